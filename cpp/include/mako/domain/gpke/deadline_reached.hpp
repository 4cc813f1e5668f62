#pragma once
// The command a scheduler delivers when a deadline of a GPKE process fires, and the
// DeadlineRequest that asks for it. Time enters a workflow only through commands: `at` is the
// firing instant. The stored request carries `at` = the due instant; a scheduler that fires late
// replaces `at` with the actual instant, so the workflow sees how late it was.
// JSON: {"type": "DeadlineReached", "data": {"name": "lfa-answer-window", "at": "2025-03-04T08:00:00Z"}}
#include <string>

#include "mako/core/outbound_message.hpp"
#include "mako/domain/gpke/json_support.hpp"

namespace mako::gpke {

struct DeadlineReached {
  static constexpr const char* kType = "DeadlineReached";
  std::string name;
  Instant at{};
};
void to_json(Json& j, const DeadlineReached& c);
void from_json(const Json& j, DeadlineReached& c);

// DeadlineRequest{name, due, command = {"type": "DeadlineReached", "data": {name, at: due}}}.
DeadlineRequest deadline_request(const std::string& name, Instant due);

}  // namespace mako::gpke
