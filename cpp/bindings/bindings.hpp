#pragma once
// Shared declarations of the binding translation units.
#include <pybind11/pybind11.h>

#include <mako/core/timestamp.hpp>

namespace mako::py {

void bind_ids(pybind11::module_& m);
void bind_engine(pybind11::module_& m);

// Timestamps as timezone-aware (UTC) datetimes, microsecond precision.
pybind11::object to_datetime(Timestamp t);

}  // namespace mako::py
