#pragma once
// Shared declarations of the binding translation units.
#include <optional>

#include <pybind11/pybind11.h>

#include <mako/core/timestamp.hpp>

namespace mako {
class EngineContext;
}

namespace mako::py {

void bind_ids(pybind11::module_& m);
void bind_engine(pybind11::module_& m);
void bind_history(pybind11::module_& m);  // HistoryReader (columnar reads for pandas)
// The domain layer (edifact, identifiers, calendar, gpke, market): domain_py.cpp.
void bind_domain(pybind11::module_& m);

// The EngineContext behind a _core.Engine (TypeError for anything else).
const EngineContext& engine_context(pybind11::handle engine);

// Timestamps as timezone-aware (UTC) datetimes, microsecond precision.
pybind11::object to_datetime(Timestamp t);

// An optional value as the Python object of its value, or None when empty.
template <class T>
pybind11::object optional_to_py(const std::optional<T>& v) {
  return v ? pybind11::cast(*v) : pybind11::none();
}

}  // namespace mako::py
