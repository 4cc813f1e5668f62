#include "errors_py.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include <mako/core/json.hpp>
#include <mako/domain/edifact/parse_error.hpp>
#include <mako/domain/edifact/writer.hpp>

namespace mako::py {

namespace pyb = pybind11;

namespace {

// Kept for the life of the process (never decref'd at exit).
PyObject* g_from_core = nullptr;
PyObject* g_workflow_error = nullptr;

const char* kind_code(EngineError::Kind k) {
  switch (k) {
    case EngineError::Kind::VersionConflict: return "version_conflict";
    case EngineError::Kind::Workflow: return "workflow";
    case EngineError::Kind::InvalidInput: return "invalid_input";
    case EngineError::Kind::Serialization: return "serialization";
    case EngineError::Kind::NotFound: return "not_found";
    case EngineError::Kind::Busy: return "busy";
    case EngineError::Kind::Storage: return "storage";
    case EngineError::Kind::Corrupt: return "corrupt";
    case EngineError::Kind::SchemaTooNew: return "schema_too_new";
    case EngineError::Kind::Interrupted: return "interrupted";
  }
  return "storage";
}

const char* workflow_kind_code(WorkflowError::Kind k) {
  switch (k) {
    case WorkflowError::Kind::CommandRejected: return "rejected";
    case WorkflowError::Kind::InvalidState: return "invalid_state";
    case WorkflowError::Kind::ValidationFailed: return "validation";
    case WorkflowError::Kind::NotImplemented: return "not_implemented";
    case WorkflowError::Kind::Other: return "other";
  }
  return "other";
}

// what() is "<kind name>: <message>"; Python shows the kind through the exception class.
std::string bare_message(const EngineError& e) {
  std::string what = e.what();
  const char* prefix = EngineError::kind_name(e.kind());
  const std::size_t n = std::strlen(prefix);
  if (what.compare(0, n, prefix) == 0 && what.compare(n, 2, ": ") == 0) return what.substr(n + 2);
  return what;
}

void set_python_error(const EngineError& e) {
  if (e.kind() == EngineError::Kind::Interrupted) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    return;
  }
  pyb::object exc;
  if (const WorkflowError* w = e.as_workflow_error()) {
    exc = pyb::reinterpret_borrow<pyb::object>(g_from_core)("workflow", w->message(), workflow_kind_code(w->kind()),
                                                            w->expected(), w->actual(), pyb::none(), pyb::none());
  } else if (e.is_version_conflict()) {
    exc = pyb::reinterpret_borrow<pyb::object>(g_from_core)(kind_code(e.kind()), bare_message(e), pyb::none(),
                                                            pyb::none(), pyb::none(), e.expected_version(),
                                                            e.actual_version());
  } else {
    exc = pyb::reinterpret_borrow<pyb::object>(g_from_core)(kind_code(e.kind()), bare_message(e), pyb::none(),
                                                            pyb::none(), pyb::none(), pyb::none(), pyb::none());
  }
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
}

void set_python_error(const pyb::object& instance) {
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(instance.ptr())), instance.ptr());
}

}  // namespace

// The one translator of every binding: no binding catches to convert. Exceptions it does not name
// go on to pybind11's own (std::exception: RuntimeError).
void register_error_translators(pyb::module_&) {
  pyb::module_ errors = pyb::module_::import("mako_engine._errors");
  g_from_core = pyb::object(errors.attr("_from_core")).release().ptr();
  g_workflow_error = pyb::object(errors.attr("WorkflowError")).release().ptr();
  pyb::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const EngineError& e) {
      set_python_error(e);
    } catch (const WorkflowError& e) {
      set_python_error(EngineError::workflow(e));
    } catch (const edifact::ParseError& e) {
      using namespace pybind11::literals;
      pyb::object cls = pyb::module_::import("mako_engine.edifact").attr("ParseError");
      set_python_error(cls(e.what(), "segment_number"_a = e.segment_number(), "byte_offset"_a = e.byte_offset(),
                           "segment_tag"_a = e.segment_tag(), "expected"_a = e.expected(), "found"_a = e.found()));
    } catch (const edifact::WriteError& e) {
      set_python_error(pyb::module_::import("mako_engine.edifact").attr("WriteError")(e.what()));
    } catch (const std::invalid_argument& e) {
      // How the domain refuses bad input: an id failing its check digit, a rule out of range, a
      // date with no release in force.
      set_python_error(EngineError::invalid_input(e.what()));
    } catch (const std::out_of_range& e) {
      set_python_error(EngineError::invalid_input(e.what()));
    } catch (const Json::exception& e) {
      set_python_error(EngineError::invalid_input(std::string("invalid data: ") + e.what()));
    }
  });
}

bool is_workflow_error(const pyb::error_already_set& e) { return e.matches(g_workflow_error); }

WorkflowError workflow_error_from_python(pyb::handle exc) {
  const std::string kind = pyb::str(exc.attr("workflow_kind"));
  const std::string message = pyb::str(exc.attr("message"));
  if (kind == "invalid_state")
    return WorkflowError::invalid_state(pyb::str(exc.attr("expected")), pyb::str(exc.attr("actual")));
  if (kind == "rejected") return WorkflowError::rejected(message);
  if (kind == "validation") return WorkflowError::validation(message);
  if (kind == "not_implemented") return WorkflowError::not_implemented(message);
  return WorkflowError::other(message);
}

}  // namespace mako::py
