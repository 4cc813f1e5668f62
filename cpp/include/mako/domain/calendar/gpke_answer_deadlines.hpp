#pragma once
// Answer deadlines of GPKE steps after LFW24, keyed by the PID of the request (docs/mako-domain.md,
// "The GPKE table" and "Related use cases"). Data, not code: answer PIDs are not always request + 1, one
// request can trigger several follow-ups, and a deadline can count from another message's ÜT.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mako/domain/calendar/deadline_rule.hpp"

namespace mako::calendar {

enum class SilenceMeaning {
  None,     // no answer is a breach of the deadline; no legal effect is implied
  Consent,  // no answer in time counts as consent (late answers are ignored)
};

std::string to_string(SilenceMeaning meaning);  // "none", "consent"

struct GpkeAnswerDeadline {
  std::uint32_t request_pid = 0;           // the message that starts the clock's step
  std::vector<std::uint32_t> answer_pids;  // messages allowed/expected in answer to it
  DeadlineRule deadline;                   // by when the answer must be sent
  std::uint32_t reference_pid = 0;         // whose ÜT the deadline counts from (55001 for 55011/55012)
  std::string answered_by;                 // role that answers: "NB", "LFA", "LF", ...
  std::string answered_to;                 // role that receives the answer
  SilenceMeaning on_silence = SilenceMeaning::None;
  std::string step;  // what the step is, for people
  std::string note;  // source and remarks
};

// All rows, in table order.
const std::vector<GpkeAnswerDeadline>& gpke_answer_deadlines();
// Rows whose request is `request_pid` (empty when unknown).
std::vector<GpkeAnswerDeadline> gpke_deadlines_for_request(std::uint32_t request_pid);
// The row that allows `answer_pid` as an answer to `request_pid`, if any.
std::optional<GpkeAnswerDeadline> gpke_deadline_for_answer(std::uint32_t request_pid, std::uint32_t answer_pid);
// The same row in the table itself (valid for the whole program), or nullptr: no copy.
const GpkeAnswerDeadline* find_gpke_deadline_for_answer(std::uint32_t request_pid, std::uint32_t answer_pid);
// Union of the answer PIDs of all rows of `request_pid`.
std::vector<std::uint32_t> gpke_allowed_answer_pids(std::uint32_t request_pid);

}  // namespace mako::calendar
