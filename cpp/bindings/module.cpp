// mako_engine._core: the C++ engine for Python. See python/mako_engine for the public API.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mako/core/workflow_registry.hpp>

#include <mako/core/lifecycle_workflow.hpp>

#include "bindings.hpp"
#include "errors_py.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "The C++ core of mako-engine (pybind11). Use the mako_engine package; this module is its implementation.";
  mako::py::register_error_translators(m);
  mako::py::bind_ids(m);
  mako::py::bind_engine(m);
  mako::py::bind_history(m);
  mako::py::bind_domain(m);

  auto& registry = mako::WorkflowRegistry::global();
  if (!registry.contains("lifecycle")) registry.add<lifecycle::Workflow>("lifecycle");
  m.def(
      "registered_workflows", [] { return mako::WorkflowRegistry::global().names(); },
      "Names of the built-in C++ workflows that Engine.spawn() accepts.");
  // The format version a Python workflow gets when it names none (the one place it is defined).
  m.attr("DEFAULT_FORMAT_VERSION") = "FV2025-10-01";
}
