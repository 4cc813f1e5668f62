#pragma once
// JSON helpers shared by the GPKE workflows: instants as "YYYY-MM-DDTHH:MM:SSZ" (UTC, as stored
// everywhere, docs/mako-domain.md "Working days and time"), dates as "YYYY-MM-DD", optional fields
// (omitted when empty).
#include <charconv>
#include <concepts>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "mako/core/json.hpp"
#include "mako/core/json_text.hpp"
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

// ---- one list of fields, three uses ----------------------------------------------------------
// A struct that describes its JSON object once, as `template <class F, FieldsOf<T> V> void
// json_fields(F& f, V& v)` calling f("name", member) per member in order, gets a mako::Json
// (fields_to_json, for to_json), the same object's text written straight into a buffer
// (fields_to_text, for to_json_text: what stores want, without building the Json first), and the
// reader back (fields_from_json, for from_json: required members throw naming the field, optional
// ones may be absent or null).
// Members: strings, bools, integers, Instant ("..Z"), Date ("YYYY-MM-DD"), optionals (omitted when
// empty), anything else through its to_json_text if it has one (declared with the type, so that
// every translation unit makes the same choice), else its to_json.

// V is T or const T: json_fields serves the writers (const) and the reader (mutable).
template <class V, class T>
concept FieldsOf = std::same_as<std::remove_const_t<V>, T>;

template <class V>
Json json_value_of(const V& v) {
  if constexpr (std::is_same_v<V, Instant>) return instant_to_json(v);
  else if constexpr (std::is_same_v<V, Date>) return date_to_json(v);
  else return Json(v);
}

template <class V>
void append_json_value(std::string& out, const V& v) {
  if constexpr (std::is_same_v<V, std::string>) {
    append_json_string(v, out);
  } else if constexpr (std::is_same_v<V, Instant>) {
    append_json_string(calendar::format_utc(v), out);
  } else if constexpr (std::is_same_v<V, Date>) {
    append_json_string(calendar::to_iso_string(v), out);
  } else if constexpr (std::is_same_v<V, bool>) {
    out += v ? "true" : "false";
  } else if constexpr (std::is_integral_v<V>) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
  } else if constexpr (requires(std::string& o) { to_json_text(o, v); }) {
    to_json_text(out, v);
  } else {
    append_json(Json(v), out);
  }
}

// Fields written into a Json object.
class JsonValueFields {
 public:
  explicit JsonValueFields(Json& j) : members_(j.get_ref<Json::object_t&>()) {}
  template <class V>
  void operator()(const char* field, const V& value) {
    members_.emplace_back(field, json_value_of(value));
  }
  template <class V>
  void operator()(const char* field, const std::optional<V>& value) {
    if (value) (*this)(field, *value);
  }

 private:
  Json::object_t& members_;
};

// Fields written as the text of a JSON object: "{" on construction, "}" on close().
class JsonTextFields {
 public:
  explicit JsonTextFields(std::string& out) : out_(out) { out_ += '{'; }
  template <class V>
  void operator()(const char* field, const V& value) {
    if (!first_) out_ += ',';
    first_ = false;
    append_json_string(field, out_);
    out_ += ':';
    append_json_value(out_, value);
  }
  template <class V>
  void operator()(const char* field, const std::optional<V>& value) {
    if (value) (*this)(field, *value);
  }
  void close() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

template <class T>
Json fields_to_json(const T& v) {
  Json j = Json::object();
  j.get_ref<Json::object_t&>().reserve(8);
  JsonValueFields fields(j);
  json_fields(fields, v);
  return j;
}

template <class T>
void fields_to_text(std::string& out, const T& v) {
  JsonTextFields fields(out);
  json_fields(fields, v);
  fields.close();
}

template <class V>
V json_value_from(const Json& j) {
  if constexpr (std::is_same_v<V, Instant>) return instant_from_json(j);
  else if constexpr (std::is_same_v<V, Date>) return date_from_json(j);
  else return j.get<V>();
}

// Fields read from a Json object into the members.
class JsonReadFields {
 public:
  explicit JsonReadFields(const Json& j) : j_(j) {}
  template <class V>
  void operator()(const char* field, V& value) {
    value = json_value_from<V>(required(j_, field));
  }
  template <class V>
  void operator()(const char* field, std::optional<V>& value) {
    auto it = j_.find(field);
    if (it == j_.end() || it->is_null()) value.reset();
    else value = json_value_from<V>(*it);
  }

 private:
  const Json& j_;
};

template <class T>
void fields_from_json(const Json& j, T& v) {
  JsonReadFields fields(j);
  json_fields(fields, v);
}

// Defines to_json, to_json_text and from_json of T from its json_fields (in the .cpp that defines
// those).
#define MAKO_GPKE_JSON_FROM_FIELDS(T)                                         \
  void to_json(Json& j, const T& v) { j = fields_to_json(v); }                \
  void to_json_text(std::string& out, const T& v) { fields_to_text(out, v); } \
  void from_json(const Json& j, T& v) { fields_from_json(j, v); }

template <class T>
std::optional<T> get_optional(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->template get<T>();
}
std::optional<Instant> get_optional_instant(const Json& j, const char* field);
std::optional<Date> get_optional_date(const Json& j, const char* field);

}  // namespace mako::gpke
