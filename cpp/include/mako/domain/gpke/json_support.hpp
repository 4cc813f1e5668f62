#pragma once
// JSON helpers shared by the GPKE workflows: instants as "YYYY-MM-DDTHH:MM:SSZ" (UTC, as stored
// everywhere, mako-domain.md "Working days and time"), dates as "YYYY-MM-DD", optional fields
// (omitted when empty).
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mako/core/json.hpp"
#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/calendar/date.hpp"

namespace mako::gpke {

using calendar::Date;
using calendar::Instant;

Json instant_to_json(Instant t);
// Accepts any RFC 3339 instant (offsets too) and truncates to whole seconds.
Instant instant_from_json(const Json& j);
Json date_to_json(const Date& d);
Date date_from_json(const Json& j);

// Reads a required field; throws Json::other_error naming the field when it is absent.
const Json& required(const Json& j, std::string_view field);

template <class T>
void put_optional(Json& j, const char* field, const std::optional<T>& value) {
    if (value) j[field] = *value;
}
inline void put_optional_instant(Json& j, const char* field, const std::optional<Instant>& value) {
    if (value) j[field] = instant_to_json(*value);
}
inline void put_optional_date(Json& j, const char* field, const std::optional<Date>& value) {
    if (value) j[field] = date_to_json(*value);
}
template <class T>
std::optional<T> get_optional(const Json& j, const char* field) {
    auto it = j.find(field);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return it->template get<T>();
}
std::optional<Instant> get_optional_instant(const Json& j, const char* field);
std::optional<Date> get_optional_date(const Json& j, const char* field);

}  // namespace mako::gpke
