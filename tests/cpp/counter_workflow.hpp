#pragma once
// The smallest useful workflow: every Increment command adds to a counter. Tests and benchmarks
// use it where many commands must all succeed (contention, throughput, replay speed).
#include <vector>

#include <mako/core/json.hpp>

namespace counter {

struct State {
  long value = 0;
};
struct Event {
  int by = 1;
  const char* event_type() const { return "Incremented"; }
};
struct Command {
  int by = 1;
};

inline void to_json(mako::Json& j, const Event& e) {
  j = mako::Json{{"type", "Incremented"}, {"data", {{"by", e.by}}}};
}
inline void from_json(const mako::Json& j, Event& e) { e.by = j.at("data").at("by").get<int>(); }
inline void to_json(mako::Json& j, const State& s) { j = mako::Json{{"value", s.value}}; }
inline void from_json(const mako::Json& j, State& s) { s.value = j.at("value").get<long>(); }
inline void from_json(const mako::Json& j, Command& c) { c.by = j.at("by").get<int>(); }

struct Workflow {
  using State = counter::State;
  using Event = counter::Event;
  using Command = counter::Command;
  void apply(State& s, const Event& e) const { s.value += e.by; }
  std::vector<Event> handle(const State&, const Command& c) const { return {Event{c.by}}; }
};

}  // namespace counter
