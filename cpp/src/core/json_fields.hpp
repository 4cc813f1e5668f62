#pragma once
// Reading required fields of a JSON object with errors that name the object and the field.
#include <string>

#include "mako/core/errors.hpp"
#include "mako/core/format_version.hpp"
#include "mako/core/json.hpp"

namespace mako::detail {

inline const Json& require_field(const Json& object, const char* field, const char* what) {
  if (!object.is_object()) throw EngineError::invalid_input(std::string(what) + " must be a JSON object");
  auto it = object.find(field);
  if (it == object.end()) throw EngineError::invalid_input(std::string(what) + ": missing field '" + field + "'");
  return *it;
}

inline const std::string& require_string(const Json& object, const char* field, const char* what) {
  const Json& v = require_field(object, field, what);
  if (!v.is_string()) throw EngineError::invalid_input(std::string(what) + ": field '" + field + "' must be a string");
  return v.get_ref<const std::string&>();
}

inline std::uint64_t require_unsigned(const Json& object, const char* field, const char* what) {
  const Json& v = require_field(object, field, what);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
    throw EngineError::invalid_input(std::string(what) + ": field '" + field + "' must be a non-negative integer");
  return v.get<std::uint64_t>();
}

// Re-throws an EngineError from parsing a field with the field's name in front.
template <class F>
auto with_field(const char* field, const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const EngineError& e) {
    throw EngineError::invalid_input(std::string(what) + ": field '" + field + "': " + e.what());
  }
}

inline Json parse_json_text(std::string_view text, const char* what) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw EngineError::invalid_input(std::string(what) + " is not valid JSON: " + e.what());
  }
}

// {"name": ..., "format_version": "FV..."}, as envelopes and identities carry it.
inline Json workflow_id_to_json(const WorkflowId& id) {
  Json w = Json::object();
  w["name"] = id.name();
  w["format_version"] = id.format_version().to_string();
  return w;
}

inline WorkflowId workflow_id_from_json(const Json& parent, const char* what) {
  const Json& w = require_field(parent, "workflow_id", what);
  const std::string context = std::string(what) + " workflow_id";
  std::string name = require_string(w, "name", context.c_str());
  auto fv = with_field("workflow_id.format_version", what,
                       [&] { return FormatVersion::parse(require_string(w, "format_version", context.c_str())); });
  return WorkflowId(std::move(name), fv);
}

}  // namespace mako::detail
