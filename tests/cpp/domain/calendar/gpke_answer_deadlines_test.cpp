#include <catch2/catch.hpp>

#include <algorithm>

#include "mako/domain/calendar/gpke_answer_deadlines.hpp"

using namespace mako::calendar;

namespace {
Instant utc(const char* text) { return parse_utc(text); }
std::vector<std::uint32_t> sorted(std::vector<std::uint32_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}
}  // namespace

TEST_CASE("GPKE answer table: Anmeldung 55001 and its follow-ups", "[gpke]") {
  CHECK(sorted(gpke_allowed_answer_pids(55001)) == std::vector<std::uint32_t>{55002, 55003, 55010, 55036, 55037});
  CHECK(gpke_deadlines_for_request(55001).size() == 4);

  auto info = gpke_deadline_for_answer(55001, 55036);
  REQUIRE(info);
  CHECK(info->deadline == DeadlineRule::at_time_on_nth_working_day(1, 7));
  CHECK(info->answered_by == "NB");
  CHECK(info->answered_to == "LFN");

  auto ask_old = gpke_deadline_for_answer(55001, 55010);
  REQUIRE(ask_old);
  CHECK(ask_old->deadline == DeadlineRule::at_time_on_nth_working_day(1, 7));
  CHECK(ask_old->answered_to == "LFA");

  auto confirm = gpke_deadline_for_answer(55001, 55003);
  REQUIRE(confirm);
  CHECK(confirm->deadline == DeadlineRule::at_time_on_nth_working_day(1, 11));

  auto end_old = gpke_deadline_for_answer(55001, 55037);
  REQUIRE(end_old);
  CHECK(end_old->deadline == DeadlineRule::at_time_on_nth_working_day(1, 12));

  // The old supplier's answers belong to 55010, not 55001.
  CHECK_FALSE(gpke_deadline_for_answer(55001, 55011));
}

TEST_CASE("GPKE answer table: old supplier's silence is consent, counted from the 55001 ÜT", "[gpke]") {
  auto row = gpke_deadline_for_answer(55010, 55012);
  REQUIRE(row);
  CHECK(row->answer_pids == std::vector<std::uint32_t>{55011, 55012});
  CHECK(row->deadline == DeadlineRule::at_time_on_nth_working_day(1, 9));
  CHECK(row->on_silence == SilenceMeaning::Consent);
  CHECK(row->reference_pid == 55001);
  CHECK(row->answered_by == "LFA");
  CHECK(to_string(row->on_silence) == "consent");
}

TEST_CASE("GPKE answer table: Abmeldung and Kündigung", "[gpke]") {
  auto abm_lf = gpke_deadline_for_answer(55004, 55006);
  REQUIRE(abm_lf);
  CHECK(abm_lf->deadline == DeadlineRule::at_time_on_nth_working_day(1, 6));
  CHECK(abm_lf->answered_by == "NB");

  auto abm_nb = gpke_deadline_for_answer(55007, 55008);
  REQUIRE(abm_nb);
  CHECK(abm_nb->deadline == DeadlineRule::at_time_on_nth_working_day(1, 5));
  CHECK(abm_nb->on_silence == SilenceMeaning::Consent);

  auto kuendigung = gpke_deadline_for_answer(55016, 55018);
  REQUIRE(kuendigung);
  CHECK(kuendigung->deadline == DeadlineRule::end_of_nth_working_day(1));
  CHECK(kuendigung->on_silence == SilenceMeaning::None);

  CHECK(gpke_deadlines_for_request(55099).empty());
  CHECK(gpke_allowed_answer_pids(55002).empty());
}

TEST_CASE("GPKE table evaluated: the 24-hour switch on a normal and a holiday week", "[gpke]") {
  // 55001 received Monday 2025-10-20 15:00 local (CEST) -> everything on Tuesday.
  const Instant receipt = utc("2025-10-20T13:00:00Z");
  std::vector<std::string> due;
  for (const auto& row : gpke_answer_deadlines()) {
    if (row.reference_pid == 55001) due.push_back(format_berlin(row.deadline.evaluate(receipt)));
  }
  CHECK(due == std::vector<std::string>{"2025-10-21T07:00:00+02:00", "2025-10-21T07:00:00+02:00",
                                        "2025-10-21T09:00:00+02:00", "2025-10-21T11:00:00+02:00",
                                        "2025-10-21T12:00:00+02:00"});
  // Received Wednesday 2025-12-23 -> 24.-26.12. and the weekend are skipped -> Monday 2025-12-29.
  auto row = gpke_deadline_for_answer(55001, 55002);
  REQUIRE(row);
  CHECK(format_berlin(row->deadline.evaluate(utc("2025-12-23T10:00:00Z"))) == "2025-12-29T11:00:00+01:00");
}

TEST_CASE("Every GPKE row is complete", "[gpke]") {
  for (const auto& row : gpke_answer_deadlines()) {
    INFO(row.request_pid << " " << row.step);
    CHECK_FALSE(row.answer_pids.empty());
    CHECK(row.reference_pid != 0u);
    CHECK_FALSE(row.answered_by.empty());
    CHECK_FALSE(row.answered_to.empty());
    CHECK_FALSE(row.note.empty());
    CHECK_NOTHROW(row.deadline.validate());
  }
}
