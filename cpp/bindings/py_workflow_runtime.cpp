#include "py_workflow_runtime.hpp"

#include <cmath>

#include <mako/core/errors.hpp>
#include <mako/core/timestamp.hpp>

#include "errors_py.hpp"
#include "gil.hpp"
#include "json_py.hpp"

namespace mako::py {

namespace {

pyb::object steal_or_throw(PyObject* r) {
  if (!r) throw pyb::error_already_set();
  return pyb::reinterpret_steal<pyb::object>(r);
}

// Vectorcall: no argument tuple is built, the cheapest way to call a Python function from C.
pyb::object call(PyObject* f) { return steal_or_throw(PyObject_CallNoArgs(f)); }
pyb::object call(PyObject* f, PyObject* a) { return steal_or_throw(PyObject_CallOneArg(f, a)); }
pyb::object call(PyObject* f, PyObject* a, PyObject* b) {
  PyObject* args[3] = {nullptr, a, b};
  return steal_or_throw(PyObject_Vectorcall(f, args + 1, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, nullptr));
}
pyb::object call(PyObject* f, PyObject* a, PyObject* b, PyObject* c) {
  PyObject* args[4] = {nullptr, a, b, c};
  return steal_or_throw(PyObject_Vectorcall(f, args + 1, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, nullptr));
}

[[noreturn]] void raise_type_error(const std::string& message) {
  PyErr_SetString(PyExc_TypeError, message.c_str());
  throw pyb::error_already_set();
}

pyb::object optional_attr(const pyb::object& o, const char* name) {
  if (!pyb::hasattr(o, name)) return pyb::object();
  pyb::object v = o.attr(name);
  return v.is_none() ? pyb::object() : v;
}

// Reads `name` from a dict or an attribute of any other object; `fallback` when absent.
pyb::object field(pyb::handle o, const char* name, pyb::object fallback = pyb::object()) {
  if (PyDict_Check(o.ptr())) {
    PyObject* v = PyDict_GetItemString(o.ptr(), name);
    return v ? pyb::reinterpret_borrow<pyb::object>(v) : fallback;
  }
  if (pyb::hasattr(o, name)) return o.attr(name);
  return fallback;
}

std::string required_str(pyb::handle o, const char* name, const std::string& where) {
  pyb::object v = field(o, name);
  if (!v || !PyUnicode_Check(v.ptr())) throw EngineError::invalid_input(where + "." + name + ": a string is required");
  return v.cast<std::string>();
}

Timestamp to_timestamp(pyb::handle value, const std::string& where) {
  if (PyUnicode_Check(value.ptr())) return parse_rfc3339(value.cast<std::string>());
  if (!pyb::hasattr(value, "tzinfo") || value.attr("tzinfo").is_none() || !pyb::hasattr(value, "timestamp"))
    throw EngineError::invalid_input(where + ": a timezone-aware datetime (or an RFC 3339 string) is required");
  const double seconds = value.attr("timestamp")().cast<double>();
  return Timestamp{std::chrono::microseconds(std::llround(seconds * 1e6))};
}

std::string workflow_name(const pyb::object& workflow) {
  pyb::object name = optional_attr(workflow, "name");
  if (name && PyUnicode_Check(name.ptr())) return name.cast<std::string>();
  return pyb::str(pyb::type::handle_of(workflow).attr("__qualname__"));
}

template <class T>
void drop(T& object) {
  if (interpreter_alive()) {
    object = T();
  } else {
    object.release();  // the interpreter is gone: leaking beats crashing at exit
  }
}

}  // namespace

PyWorkflowRuntime::Box::~Box() {
  if (!value) return;
  if (!interpreter_alive()) {
    value.release();
    return;
  }
  AcquireGil gil;
  value = pyb::object();
}

PyWorkflowRuntime::PyWorkflowRuntime(pyb::object workflow) : workflow_(std::move(workflow)) {
  const std::string name = workflow_name(workflow_);
  auto required = [&](const char* attr) {
    pyb::object f = optional_attr(workflow_, attr);
    if (!f || !PyCallable_Check(f.ptr())) raise_type_error("workflow '" + name + "' has no callable '" + attr + "'");
    return f;
  };
  initial_state_ = required("initial_state");
  apply_ = required("apply");
  handle_ = required("handle");
  upcast_ = optional_attr(workflow_, "upcast");
  status_ = optional_attr(workflow_, "status");
  state_to_json_ = optional_attr(workflow_, "state_to_json");
  state_from_json_ = optional_attr(workflow_, "state_from_json");
  state_type_ = optional_attr(workflow_, "state_type");
  if (pyb::object v = optional_attr(workflow_, "state_schema_version")) {
    if (PyCallable_Check(v.ptr())) v = v();
    state_schema_version_ = v.cast<std::uint32_t>();
  }
  if (pyb::object types = optional_attr(workflow_, "event_types")) {
    if (pyb::hasattr(types, "items")) {
      for (auto item : types.attr("items")()) {
        auto pair = item.cast<pyb::tuple>();
        event_types_[pair[0].cast<std::string>()] = pyb::reinterpret_borrow<pyb::object>(pair[1]);
      }
    } else {
      for (auto cls : types) {
        pyb::object type_name = optional_attr(pyb::reinterpret_borrow<pyb::object>(cls), "event_type");
        std::string key = type_name && PyUnicode_Check(type_name.ptr()) ? type_name.cast<std::string>()
                                                                        : cls.attr("__name__").cast<std::string>();
        event_types_[key] = pyb::reinterpret_borrow<pyb::object>(cls);
      }
    }
  }
  if (pyb::object versions = optional_attr(workflow_, "event_schema_versions")) {
    for (auto item : versions.attr("items")()) {
      auto pair = item.cast<pyb::tuple>();
      event_schema_versions_[pair[0].cast<std::string>()] = pair[1].cast<std::uint32_t>();
    }
  }
}

PyWorkflowRuntime::~PyWorkflowRuntime() {
  std::unique_ptr<AcquireGil> gil;
  if (interpreter_alive()) gil = std::make_unique<AcquireGil>();
  for (auto& [_, cls] : event_types_) drop(cls);
  for (auto* o : {&workflow_, &initial_state_, &apply_, &handle_, &upcast_, &status_, &state_to_json_,
                  &state_from_json_, &state_type_})
    drop(*o);
}

std::unique_ptr<StateBox> PyWorkflowRuntime::initial_state() const {
  CallGil gil;
  return std::make_unique<Box>(call(initial_state_.ptr()));
}

std::unique_ptr<StateBox> PyWorkflowRuntime::clone_state(const StateBox& state) const {
  AcquireGil gil;
  static PyObject* deepcopy = pyb::object(pyb::module_::import("copy").attr("deepcopy")).release().ptr();
  return std::make_unique<Box>(call(deepcopy, value_of(state).ptr()));
}

pyb::object PyWorkflowRuntime::decode_event(const std::string& type, pyb::object payload) const {
  auto it = event_types_.find(type);
  if (it == event_types_.end()) return payload;
  PyObject* data = PyDict_Check(payload.ptr()) ? PyDict_GetItemString(payload.ptr(), "data") : nullptr;
  if (!data || data == Py_None) return call(it->second.ptr());
  if (!PyDict_Check(data)) return call(it->second.ptr(), data);
  pyb::tuple no_args;
  return steal_or_throw(PyObject_Call(it->second.ptr(), no_args.ptr(), data));
}

void PyWorkflowRuntime::apply(StateBox& box, const EventEnvelope& e) const {
  CallGil gil;
  pyb::object& state = static_cast<Box&>(box).value;
  pyb::object event = to_python(e.payload.json());
  if (upcast_) {
    pyb::str type(e.event_type);
    pyb::int_ version(e.schema_version);
    event = call(upcast_.ptr(), type.ptr(), version.ptr(), event.ptr());
  }
  if (!event_types_.empty()) event = decode_event(e.event_type, std::move(event));
  pyb::object next = call(apply_.ptr(), state.ptr(), event.ptr());
  if (next.is_none())
    raise_type_error("workflow '" + workflow_name(workflow_) +
                     "': apply() returned None; it must return the new state");
  state = std::move(next);
  check_signals_every(1024);
}

ErasedOutput PyWorkflowRuntime::handle_py(const StateBox& box, pyb::handle command) const {
  AcquireGil gil;
  pyb::object result;
  try {
    result = call(handle_.ptr(), value_of(box).ptr(), command.ptr());
  } catch (pyb::error_already_set& e) {
    if (is_workflow_error(e)) throw workflow_error_from_python(e.value());
    throw;
  }
  return to_output(result);
}

ErasedOutput PyWorkflowRuntime::handle_json(const StateBox& state, const Json& command) const {
  AcquireGil gil;
  return handle_py(state, to_python(command));
}

NewEvent PyWorkflowRuntime::to_event(pyb::handle event, Py_ssize_t index) const {
  const std::string where = "events[" + std::to_string(index) + "]";
  NewEvent out;
  if (PyDict_Check(event.ptr())) {
    PyObject* type = PyDict_GetItemString(event.ptr(), "type");
    if (!type || !PyUnicode_Check(type))
      throw EngineError(EngineError::Kind::Serialization, where + ": an event dict needs a string 'type'");
    Json payload = to_json(event, where.c_str());
    out.event_type = payload["type"].get<std::string>();
    out.payload = std::move(payload);
  } else if (is_dataclass_instance(event)) {
    pyb::handle cls = pyb::type::handle_of(event);
    pyb::object type = optional_attr(pyb::reinterpret_borrow<pyb::object>(cls), "event_type");
    out.event_type =
        type && PyUnicode_Check(type.ptr()) ? type.cast<std::string>() : cls.attr("__name__").cast<std::string>();
    pyb::object data = dataclass_asdict(event);
    Json payload = Json::object();
    payload["type"] = out.event_type;
    if (PyDict_Size(data.ptr()) > 0) payload["data"] = to_json(data, (where + ".data").c_str());
    out.payload = std::move(payload);
    if (pyb::object v = optional_attr(pyb::reinterpret_borrow<pyb::object>(cls), "schema_version"))
      if (PyLong_Check(v.ptr())) out.schema_version = v.cast<std::uint32_t>();
  } else {
    throw EngineError(EngineError::Kind::Serialization,
                      where +
                          ": an event must be a dict {\"type\": ..., \"data\": {...}} or a dataclass instance, got " +
                          std::string(Py_TYPE(event.ptr())->tp_name));
  }
  if (!event_schema_versions_.empty()) {
    auto it = event_schema_versions_.find(out.event_type);
    if (it != event_schema_versions_.end()) out.schema_version = it->second;
  }
  return out;
}

ErasedOutput PyWorkflowRuntime::to_output(pyb::handle result) const {
  ErasedOutput out;
  if (result.is_none()) return out;
  pyb::object events;
  const bool plain = PyList_Check(result.ptr()) || PyTuple_Check(result.ptr());
  if (plain) {
    events = pyb::reinterpret_borrow<pyb::object>(result);
  } else if (pyb::hasattr(result, "events") && !PyDict_Check(result.ptr())) {
    events = pyb::list(result.attr("events"));
  } else {
    raise_type_error("workflow '" + workflow_name(workflow_) +
                     "': handle() must return a list of events, a WorkflowOutput or None, got " +
                     std::string(Py_TYPE(result.ptr())->tp_name));
  }
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(events.ptr());
  PyObject** items = PySequence_Fast_ITEMS(events.ptr());
  out.events.reserve(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) out.events.push_back(to_event(items[i], i));
  if (plain) return out;

  Py_ssize_t i = 0;
  for (auto m : pyb::list(field(result, "messages", pyb::list()))) {
    const std::string where = "messages[" + std::to_string(i++) + "]";
    OutboundMessage msg;
    msg.step = required_str(m, "step", where);
    msg.recipient = required_str(m, "recipient", where);
    msg.message_type = required_str(m, "message_type", where);
    msg.payload = to_json(field(m, "payload", pyb::none()), (where + ".payload").c_str());
    pyb::object key = field(m, "idempotency_key", pyb::str(""));
    if (!key.is_none()) msg.idempotency_key = key.cast<std::string>();
    out.messages.push_back(std::move(msg));
  }
  i = 0;
  for (auto d : pyb::list(field(result, "deadlines", pyb::list()))) {
    const std::string where = "deadlines[" + std::to_string(i++) + "]";
    DeadlineRequest req;
    req.name = required_str(d, "name", where);
    req.due = to_timestamp(field(d, "due", pyb::none()), where + ".due");
    req.command = to_json(field(d, "command", pyb::none()), (where + ".command").c_str());
    out.deadlines.push_back(std::move(req));
  }
  i = 0;
  for (auto r : pyb::list(field(result, "registrations", pyb::list()))) {
    const std::string where = "registrations[" + std::to_string(i++) + "]";
    out.registrations.push_back(RegistryEntry{required_str(r, "kind", where), required_str(r, "key", where)});
  }
  return out;
}

std::optional<std::string> PyWorkflowRuntime::status(const StateBox& box) const {
  if (!status_) return std::nullopt;
  AcquireGil gil;
  pyb::object result = call(status_.ptr(), value_of(box).ptr());
  if (result.is_none()) return std::nullopt;
  if (!PyUnicode_Check(result.ptr())) raise_type_error("Workflow.status(state) must return a str or None");
  return result.cast<std::string>();
}

Json PyWorkflowRuntime::state_to_json(const StateBox& box) const {
  AcquireGil gil;
  const pyb::object& state = value_of(box);
  if (state_to_json_) return to_json(call(state_to_json_.ptr(), state.ptr()), "state");
  if (is_dataclass_instance(state)) return to_json(dataclass_asdict(state), "state");
  return to_json(state, "state");
}

std::unique_ptr<StateBox> PyWorkflowRuntime::state_from_json(const Json& json) const {
  AcquireGil gil;
  pyb::object data = to_python(json);
  if (state_from_json_) return std::make_unique<Box>(call(state_from_json_.ptr(), data.ptr()));
  pyb::object type = state_type_;
  if (!type) {
    pyb::object initial = call(initial_state_.ptr());
    if (is_dataclass_instance(initial)) type = pyb::reinterpret_borrow<pyb::object>(pyb::type::handle_of(initial));
  }
  if (type && PyDict_Check(data.ptr())) {
    pyb::tuple no_args;
    return std::make_unique<Box>(steal_or_throw(PyObject_Call(type.ptr(), no_args.ptr(), data.ptr())));
  }
  return std::make_unique<Box>(std::move(data));
}

void InterruptibleRuntime::apply(StateBox& state, const EventEnvelope& event) const {
  inner_->apply(state, event);
  thread_local std::uint32_t countdown = 0;
  if (++countdown >= 4096) {
    countdown = 0;
    if (!interpreter_alive()) return;
    AcquireGil gil;
    if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
  }
}

}  // namespace mako::py
