#pragma once
// The error bridge. mako_engine._errors defines the Python exception hierarchy (EngineError and its
// subclasses); C++ EngineError/WorkflowError become those exceptions, and a Python WorkflowError
// raised inside a workflow's handle() becomes a C++ WorkflowError of the same kind, so the engine
// classifies it exactly like one thrown by a C++ workflow.
#include <pybind11/pybind11.h>

#include <mako/core/errors.hpp>

namespace mako::py {

void register_error_translators(pybind11::module_& m);

// Whether the pending Python exception is a mako_engine.WorkflowError.
bool is_workflow_error(const pybind11::error_already_set& e);
WorkflowError workflow_error_from_python(pybind11::handle exception);

}  // namespace mako::py
