#pragma once
// Conversions between Python objects and mako::Json (GIL held).
//
// Python -> JSON accepts dict (string keys), list, tuple, str, int, float (finite), bool, None and
// dataclass instances (as their fields, recursively). Anything else is refused with
// EngineError(Serialization) naming the path of the offending value, e.g.
//   events[0].data.when: object of type datetime is not JSON serialisable
#include <string>

#include <pybind11/pybind11.h>

#include <mako/core/json.hpp>

namespace mako::py {

namespace pyb = pybind11;

// `root` names the value in error messages ("events[0]", "command", "state").
Json to_json(pyb::handle value, const char* root);
pyb::object to_python(const Json& value);

bool is_dataclass_instance(pyb::handle value);
// dataclasses.asdict(value)
pyb::object dataclass_asdict(pyb::handle value);

}  // namespace mako::py
