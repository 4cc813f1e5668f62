#include "mako/domain/calendar/gpke_answer_deadlines.hpp"

#include <algorithm>

namespace mako::calendar {

std::string to_string(SilenceMeaning meaning) {
  switch (meaning) {
    case SilenceMeaning::None: return "none";
    case SilenceMeaning::Consent: return "consent";
  }
  return "none";
}

namespace {

std::vector<GpkeAnswerDeadline> make_table() {
  using R = DeadlineRule;
  const char* src = "mako-domain.md, GPKE supplier switch after LFW24 (BK6-24-174)";
  const char* rel = "mako-domain.md, related use cases";
  return {
      {55001,
       {55036},
       R::at_time_on_nth_working_day(1, 7),
       55001,
       "NB",
       "LFN",
       SilenceMeaning::None,
       "Information on an existing assignment to the new supplier",
       src},
      {55001,
       {55010},
       R::at_time_on_nth_working_day(1, 7),
       55001,
       "NB",
       "LFA",
       SilenceMeaning::None,
       "Anfrage zur Beendigung to the old supplier",
       std::string(src) + "; in parallel with 55036"},
      {55010,
       {55011, 55012},
       R::at_time_on_nth_working_day(1, 9),
       55001,
       "LFA",
       "NB",
       SilenceMeaning::Consent,
       "Old supplier confirms / rejects the end of supply",
       std::string(src) + "; counted from the ÜT of the 55001; silence counts as consent, late answers are ignored"},
      {55001,
       {55002, 55003},
       R::at_time_on_nth_working_day(1, 11),
       55001,
       "NB",
       "LFN",
       SilenceMeaning::None,
       "Bestätigung / Ablehnung Anmeldung",
       src},
      {55001,
       {55037},
       R::at_time_on_nth_working_day(1, 12),
       55001,
       "NB",
       "LFA",
       SilenceMeaning::None,
       "Beendigung der Zuordnung to the old supplier",
       std::string(src) + "; only when an old supplier is assigned"},
      {55004,
       {55005, 55006},
       R::at_time_on_nth_working_day(1, 6),
       55004,
       "NB",
       "LF",
       SilenceMeaning::None,
       "Abmeldung LF->NB: NB confirms / rejects",
       rel},
      {55007,
       {55008, 55009},
       R::at_time_on_nth_working_day(1, 5),
       55007,
       "LF",
       "NB",
       SilenceMeaning::Consent,
       "Abmeldung NB->LF: LF confirms / rejects",
       std::string(rel) + "; silence: the NB ends the assignment"},
      {55016,
       {55017, 55018},
       R::end_of_nth_working_day(1),
       55016,
       "LFA",
       "LFN",
       SilenceMeaning::None,
       "Kündigung LFN->LFA: LFA confirms / rejects",
       rel},
  };
}

}  // namespace

const std::vector<GpkeAnswerDeadline>& gpke_answer_deadlines() {
  static const std::vector<GpkeAnswerDeadline> table = make_table();
  return table;
}

std::vector<GpkeAnswerDeadline> gpke_deadlines_for_request(std::uint32_t request_pid) {
  std::vector<GpkeAnswerDeadline> out;
  for (const auto& row : gpke_answer_deadlines()) {
    if (row.request_pid == request_pid) out.push_back(row);
  }
  return out;
}

const GpkeAnswerDeadline* find_gpke_deadline_for_answer(std::uint32_t request_pid, std::uint32_t answer_pid) {
  for (const auto& row : gpke_answer_deadlines()) {
    if (row.request_pid == request_pid &&
        std::find(row.answer_pids.begin(), row.answer_pids.end(), answer_pid) != row.answer_pids.end()) {
      return &row;
    }
  }
  return nullptr;
}

std::optional<GpkeAnswerDeadline> gpke_deadline_for_answer(std::uint32_t request_pid, std::uint32_t answer_pid) {
  const GpkeAnswerDeadline* row = find_gpke_deadline_for_answer(request_pid, answer_pid);
  if (!row) return std::nullopt;
  return *row;
}

std::vector<std::uint32_t> gpke_allowed_answer_pids(std::uint32_t request_pid) {
  std::vector<std::uint32_t> out;
  for (const auto& row : gpke_deadlines_for_request(request_pid)) {
    out.insert(out.end(), row.answer_pids.begin(), row.answer_pids.end());
  }
  return out;
}

}  // namespace mako::calendar
