#pragma once
// GPKE answer deadlines (Fristen) as UTC instants, looked up in the explicit table
// calendar/gpke_answer_deadlines.hpp (answer PIDs are not always request + 1: docs/mako-domain.md, "Keep
// explicit tables") and evaluated with the BDEW calendar. The lead-time rule of an Anmeldung:
// "ÜT is the day before the last WT before the Zuordnungsbeginn".
#include <cstdint>

#include "mako/domain/calendar/calendar.hpp"
#include "mako/domain/calendar/gpke_answer_deadlines.hpp"
#include "mako/domain/gpke/json_support.hpp"

namespace mako::gpke {

// The latest instant by which `answer_pid` must be sent in answer to `request_pid`, counted from
// `uebertragung` (the ÜT instant of the table row's reference message, e.g. of the 55001 for the
// 55011/55012 of the LFA). Throws std::invalid_argument when the table has no such row.
Instant answer_due(std::uint32_t request_pid, std::uint32_t answer_pid, Instant uebertragung,
                   const calendar::Calendar& cal = calendar::Calendar::bdew());

// The table row (throws std::invalid_argument when absent).
const calendar::GpkeAnswerDeadline& answer_row(std::uint32_t request_pid, std::uint32_t answer_pid);

// Latest ÜT of an Anmeldung for Zuordnungsbeginn `start` (a calendar day; any instant on it is in time).
Date latest_uebertragungstag(const Date& start, const calendar::Calendar& cal = calendar::Calendar::bdew());
// Whether an Anmeldung received at `uebertragung` keeps the lead time for `start`.
bool lead_time_kept(const Date& start, Instant uebertragung,
                    const calendar::Calendar& cal = calendar::Calendar::bdew());

}  // namespace mako::gpke
