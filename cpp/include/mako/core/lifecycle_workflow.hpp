#pragma once
// The built-in example workflow ("lifecycle" in the Python package), also used by the examples,
// tests and benchmarks: a process is registered under a name, then activated and deactivated. It shows every part of
// the C++ workflow model: typed State/Event/Command, apply/handle, JSON in the {"type","data"} shape, an upcast of an
// old event schema and a state schema version for snapshots.
#include <string>
#include <variant>

#include <mako/core/errors.hpp>
#include <mako/core/json.hpp>
#include <mako/core/workflow_output.hpp>

namespace lifecycle {

enum class Status { New, Registered, Active, Inactive };
inline const char* to_string(Status s) {
  switch (s) {
    case Status::New: return "New";
    case Status::Registered: return "Registered";
    case Status::Active: return "Active";
    case Status::Inactive: return "Inactive";
  }
  return "?";
}

struct State {
  Status status = Status::New;
  std::string name;
  int activations = 0;
};
inline void to_json(mako::Json& j, const State& s) {
  j = mako::Json{{"status", to_string(s.status)}, {"name", s.name}, {"activations", s.activations}};
}
inline void from_json(const mako::Json& j, State& s) {
  const auto status = j.at("status").get<std::string>();
  for (auto candidate : {Status::New, Status::Registered, Status::Active, Status::Inactive})
    if (status == to_string(candidate)) s.status = candidate;
  s.name = j.at("name").get<std::string>();
  s.activations = j.at("activations").get<int>();
}

// Events. Registered is at schema version 2: version 1 called the field "label".
struct Registered {
  std::string name;
};
struct Activated {};
struct Deactivated {};

struct Event {
  std::variant<Registered, Activated, Deactivated> value;
  const char* event_type() const {
    static constexpr const char* names[] = {"Registered", "Activated", "Deactivated"};
    return names[value.index()];
  }
  std::uint32_t schema_version() const { return std::holds_alternative<Registered>(value) ? 2 : 1; }
};
inline void to_json(mako::Json& j, const Event& e) {
  j = mako::Json::object();
  j["type"] = e.event_type();
  if (auto* r = std::get_if<Registered>(&e.value)) j["data"] = mako::Json{{"name", r->name}};
}
inline void from_json(const mako::Json& j, Event& e) {
  const auto& type = j.at("type").get_ref<const std::string&>();
  if (type == "Registered") e.value = Registered{j.at("data").at("name").get<std::string>()};
  else if (type == "Activated") e.value = Activated{};
  else if (type == "Deactivated") e.value = Deactivated{};
  else throw mako::Json::other_error::create(501, "unknown lifecycle event type '" + type + "'", &j);
}

struct Register {
  std::string name;
};
struct Activate {};
struct Deactivate {};
using Command = std::variant<Register, Activate, Deactivate>;
inline void from_json(const mako::Json& j, Command& c) {
  const auto& type = j.at("type").get_ref<const std::string&>();
  if (type == "Register") c = Register{j.at("data").at("name").get<std::string>()};
  else if (type == "Activate") c = Activate{};
  else if (type == "Deactivate") c = Deactivate{};
  else throw mako::Json::other_error::create(501, "unknown lifecycle command '" + type + "'", &j);
}

struct Workflow {
  using State = lifecycle::State;
  using Event = lifecycle::Event;
  using Command = lifecycle::Command;

  void apply(State& s, const Event& e) const {
    if (auto* r = std::get_if<Registered>(&e.value)) {
      s.status = Status::Registered;
      s.name = r->name;
    } else if (std::holds_alternative<Activated>(e.value)) {
      s.status = Status::Active;
      ++s.activations;
    } else {
      s.status = Status::Inactive;
    }
  }

  std::vector<Event> handle(const State& s, const Command& c) const {
    if (auto* r = std::get_if<Register>(&c)) {
      if (s.status != Status::New) throw mako::WorkflowError::invalid_state("New", to_string(s.status));
      if (r->name.empty()) throw mako::WorkflowError::validation("name must not be empty");
      return {Event{Registered{r->name}}};
    }
    if (std::holds_alternative<Activate>(c)) {
      if (s.status != Status::Registered && s.status != Status::Inactive)
        throw mako::WorkflowError::invalid_state("Registered or Inactive", to_string(s.status));
      return {Event{Activated{}}};
    }
    if (s.status != Status::Active) throw mako::WorkflowError::invalid_state("Active", to_string(s.status));
    return {Event{Deactivated{}}};
  }

  // The status analysts see (process.status(), engine.processes(), mako-engine processes).
  std::string status(const State& s) const { return to_string(s.status); }

  // Old "Registered" events (schema 1) carried {"label": ...}; rename before decoding.
  mako::Json upcast(const std::string& type, std::uint32_t schema_version, mako::Json payload) const {
    if (type == "Registered" && schema_version < 2 && payload.contains("data") && payload["data"].contains("label")) {
      payload["data"]["name"] = payload["data"]["label"];
      payload["data"].erase("label");
    }
    return payload;
  }

  std::uint32_t state_schema_version() const { return 1; }
};

}  // namespace lifecycle
