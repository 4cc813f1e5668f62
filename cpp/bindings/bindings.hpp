#pragma once
// Shared declarations of the binding translation units.
#include <memory>
#include <optional>

#include <pybind11/pybind11.h>

#include <mako/core/timestamp.hpp>

namespace mako {
class EngineContext;
class WorkflowRuntime;
}  // namespace mako

namespace mako::py {

void bind_ids(pybind11::module_& m);
void bind_engine(pybind11::module_& m);
void bind_history(pybind11::module_& m);  // HistoryReader (columnar reads for pandas)
// The domain layer (edifact, identifiers, calendar, gpke, market): domain_py.cpp.
void bind_domain(pybind11::module_& m);

// The EngineContext behind a _core.Engine (TypeError for anything else).
const EngineContext& engine_context(pybind11::handle engine);

// The runtime of a Python workflow: a _core.PythonWorkflow's own, else a new one over the object
// (GIL held).
std::shared_ptr<const WorkflowRuntime> python_workflow_runtime(pybind11::handle workflow);

// Timestamps as timezone-aware (UTC) datetimes, microsecond precision.
pybind11::object to_datetime(Timestamp t);

// An optional value as the Python object of its value, or None when empty.
template <class T>
pybind11::object optional_to_py(const std::optional<T>& v) {
  return v ? pybind11::cast(*v) : pybind11::none();
}

}  // namespace mako::py
