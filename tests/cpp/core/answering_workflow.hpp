#pragma once
// A small request/answer workflow for the runtime-service tests: a Request schedules the deadline
// "answer"; its Timeout command is refused once the request was answered.
#include <string>

#include <mako/core/errors.hpp>
#include <mako/core/json.hpp>
#include <mako/core/workflow_output.hpp>

namespace answering {

inline const mako::Timestamp kAnswerDue = mako::parse_rfc3339("2025-10-02T09:00:00Z");

struct Workflow {
  struct State {
    bool requested = false, answered = false, timed_out = false;
  };
  struct Event {
    std::string type;
    const char* event_type() const { return type.c_str(); }
  };
  struct Command {
    std::string type;
    std::string due;  // Request: optional RFC 3339 due time of "answer"
  };

  void apply(State& s, const Event& e) const {
    if (e.type == "Requested") s.requested = true;
    if (e.type == "Answered") s.answered = true;
    if (e.type == "TimedOut") s.timed_out = true;
  }
  mako::WorkflowOutput<Event> handle(const State& s, const Command& c) const {
    if (c.type == "Request") {
      mako::WorkflowOutput<Event> out{{Event{"Requested"}}};
      out.schedule(mako::DeadlineRequest{"answer", c.due.empty() ? kAnswerDue : mako::parse_rfc3339(c.due),
                                         mako::Json{{"type", "Timeout"}}});
      return out;
    }
    if (c.type == "Answer") return {{Event{"Answered"}}};
    if (c.type == "Timeout") {
      if (s.answered) throw mako::WorkflowError::invalid_state("awaiting an answer", "answered");
      return {{Event{"TimedOut"}}};
    }
    throw mako::WorkflowError::rejected("unknown command " + c.type);
  }
};

inline void to_json(mako::Json& j, const Workflow::Event& e) { j = mako::Json{{"type", e.type}}; }
inline void from_json(const mako::Json& j, Workflow::Event& e) { e.type = j.at("type").get<std::string>(); }
inline void to_json(mako::Json& j, const Workflow::State& s) {
  j = mako::Json{{"requested", s.requested}, {"answered", s.answered}, {"timed_out", s.timed_out}};
}
inline void from_json(const mako::Json& j, Workflow::State& s) {
  s.requested = j.at("requested").get<bool>();
  s.answered = j.at("answered").get<bool>();
  s.timed_out = j.at("timed_out").get<bool>();
}
inline void from_json(const mako::Json& j, Workflow::Command& c) {
  c.type = j.at("type").get<std::string>();
  c.due = j.value("due", "");
}

}  // namespace answering
