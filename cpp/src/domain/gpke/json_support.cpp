#include "mako/domain/gpke/json_support.hpp"

#include <chrono>

#include "mako/core/errors.hpp"
#include "mako/core/timestamp.hpp"

namespace mako::gpke {

Json instant_to_json(Instant t) { return calendar::format_utc(t); }

Instant instant_from_json(const Json& j) {
  const auto& text = j.get_ref<const std::string&>();
  try {
    return std::chrono::floor<std::chrono::seconds>(parse_rfc3339(text));
  } catch (const EngineError& e) {
    throw Json::other_error::create(502, "not an RFC 3339 instant: '" + text + "'", &j);
  }
}

Json date_to_json(const Date& d) { return calendar::to_iso_string(d); }

Date date_from_json(const Json& j) {
  const auto& text = j.get_ref<const std::string&>();
  try {
    return calendar::parse_iso_date(text);
  } catch (const std::invalid_argument&) {
    throw Json::other_error::create(502, "not a date YYYY-MM-DD: '" + text + "'", &j);
  }
}

const Json& required(const Json& j, std::string_view field) {
  auto it = j.find(field);
  if (it == j.end()) throw Json::other_error::create(503, "missing field '" + std::string(field) + "'", &j);
  return *it;
}

std::optional<Instant> get_optional_instant(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return instant_from_json(*it);
}

std::optional<Date> get_optional_date(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return date_from_json(*it);
}

}  // namespace mako::gpke
