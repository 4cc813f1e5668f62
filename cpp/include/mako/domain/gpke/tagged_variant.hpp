#pragma once
// Commands and events of the GPKE workflows as std::variants of plain structs, in the adjacently
// tagged JSON shape {"type": "...", "data": {...}} (docs/architecture.md, "Event payloads").
// Each alternative T has `static constexpr const char* kType` and ADL to_json/from_json for its
// data; alternatives with `static constexpr bool kUnit = true` are written without "data".
#include <string>
#include <type_traits>
#include <variant>

#include "mako/domain/gpke/json_support.hpp"

namespace mako::gpke {

template <class T>
constexpr bool is_unit_v = requires { T::kUnit; };

template <class Variant>
const char* type_name(const Variant& v) {
  return std::visit([](const auto& alt) -> const char* { return std::decay_t<decltype(alt)>::kType; }, v);
}

template <class Variant>
Json tagged_to_json(const Variant& v) {
  Json j = Json::object();
  std::visit(
      [&](const auto& alt) {
        using T = std::decay_t<decltype(alt)>;
        j.get_ref<Json::object_t&>().reserve(2);
        put(j, "type", T::kType);
        if constexpr (!is_unit_v<T>) {
          Json data;
          to_json(data, alt);
          put(j, "data", std::move(data));
        }
      },
      v);
  return j;
}

// The text of tagged_to_json(v), written straight from the alternative when it has a
// to_json_text, else through its JSON value.
template <class Variant>
void tagged_to_text(std::string& out, const Variant& v) {
  std::visit(
      [&](const auto& alt) {
        using T = std::decay_t<decltype(alt)>;
        if constexpr (is_unit_v<T>) {
          out += "{\"type\":";
          append_json_string(T::kType, out);
          out += '}';
        } else if constexpr (requires { to_json_text(out, alt); }) {
          out += "{\"type\":";
          append_json_string(T::kType, out);
          out += ",\"data\":";
          to_json_text(out, alt);
          out += '}';
        } else {
          append_json(tagged_to_json(v), out);
        }
      },
      v);
}

namespace detail {
template <class Variant, std::size_t I = 0>
bool tagged_from_json_at(const Json& j, const std::string& type, Variant& out) {
  if constexpr (I == std::variant_size_v<Variant>) {
    return false;
  } else {
    using T = std::variant_alternative_t<I, Variant>;
    if (type == T::kType) {
      T value{};
      if constexpr (!is_unit_v<T>) from_json(required(j, "data"), value);
      out = std::move(value);
      return true;
    }
    return tagged_from_json_at<Variant, I + 1>(j, type, out);
  }
}
}  // namespace detail

// Throws Json::other_error for an unknown type; `what` names the family ("command", "event").
template <class Variant>
void tagged_from_json(const Json& j, Variant& out, const char* what) {
  const auto& type = required(j, "type").template get_ref<const std::string&>();
  if (!detail::tagged_from_json_at(j, type, out))
    throw Json::other_error::create(501, std::string("unknown ") + what + " type '" + type + "'", &j);
}

// An event family: what TypedWorkflowRuntime needs (event_type()) over a variant of structs.
template <class... Alts>
struct EventOf {
  std::variant<Alts...> value;
  EventOf() = default;
  template <class T>
    requires(std::is_same_v<std::decay_t<T>, Alts> || ...)
  EventOf(T&& alt) : value(std::forward<T>(alt)) {}  // NOLINT: an alternative is an event
  const char* event_type() const { return type_name(value); }
  template <class T>
  const T* get_if() const {
    return std::get_if<T>(&value);
  }
};
template <class... A>
void to_json(Json& j, const EventOf<A...>& e) {
  j = tagged_to_json(e.value);
}
template <class... A>
void from_json(const Json& j, EventOf<A...>& e) {
  tagged_from_json(j, e.value, "event");
}
template <class... A>
void to_json_text(std::string& out, const EventOf<A...>& e) {
  tagged_to_text(out, e.value);
}

// A command family; `from_json` is how a scheduler or the inbound pipeline delivers commands
// (WorkflowRuntime::handle_json).
template <class... Alts>
struct CommandOf {
  std::variant<Alts...> value;
  CommandOf() = default;
  template <class T>
    requires(std::is_same_v<std::decay_t<T>, Alts> || ...)
  CommandOf(T&& alt) : value(std::forward<T>(alt)) {}  // NOLINT: an alternative is a command
  const char* command_type() const { return type_name(value); }
  template <class T>
  const T* get_if() const {
    return std::get_if<T>(&value);
  }
};
template <class... A>
void to_json(Json& j, const CommandOf<A...>& c) {
  j = tagged_to_json(c.value);
}
template <class... A>
void from_json(const Json& j, CommandOf<A...>& c) {
  tagged_from_json(j, c.value, "command");
}

}  // namespace mako::gpke
