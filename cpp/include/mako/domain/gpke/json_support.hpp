#pragma once
// JSON helpers shared by the GPKE workflows: instants as "YYYY-MM-DDTHH:MM:SSZ" (UTC, as stored
// everywhere, mako-domain.md "Working days and time"), dates as "YYYY-MM-DD", optional fields
// (omitted when empty).
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

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

namespace detail {
inline void put_pairs(Json::object_t&) {}
template <class V, class... Rest>
void put_pairs(Json::object_t& members, const char* field, V&& value, Rest&&... rest) {
    members.emplace_back(field, std::forward<V>(value));
    put_pairs(members, std::forward<Rest>(rest)...);
}
}  // namespace detail

// The JSON object of these (field, value) pairs, in this order: object_of("a", x, "b", y) is
// Json{{"a", x}, {"b", y}} without nlohmann's detour through a two-element array per pair.
template <class... Args>
Json object_of(Args&&... args) {
    static_assert(sizeof...(Args) % 2 == 0, "object_of takes field, value pairs");
    Json j = Json::object();
    auto& members = j.get_ref<Json::object_t&>();
    members.reserve(sizeof...(Args) / 2 + 4);  // room for the optional fields put after
    detail::put_pairs(members, std::forward<Args>(args)...);
    return j;
}

// Adds `field` to the object `j`, which does not have it yet (each writer below names a field
// once): appended in place, without j[field]'s search through the members before it.
template <class V>
void put(Json& j, const char* field, V&& value) {
    j.get_ref<Json::object_t&>().emplace_back(field, std::forward<V>(value));
}
template <class T>
void put_optional(Json& j, const char* field, const std::optional<T>& value) {
    if (value) put(j, field, *value);
}
inline void put_optional_instant(Json& j, const char* field, const std::optional<Instant>& value) {
    if (value) put(j, field, instant_to_json(*value));
}
inline void put_optional_date(Json& j, const char* field, const std::optional<Date>& value) {
    if (value) put(j, field, date_to_json(*value));
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
