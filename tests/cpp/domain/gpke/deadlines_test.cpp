// Every row of the GPKE tables in docs/mako-domain.md as a UTC instant for a concrete ÜT: the worked
// example, a holiday moving the 1st WT, and the DST weeks.
#include <catch2/catch.hpp>

#include "gpke_test_support.hpp"
#include "mako/domain/gpke/deadlines.hpp"

using namespace gpke_test;
using mako::gpke::answer_due;
using mako::gpke::latest_uebertragungstag;
using mako::gpke::lead_time_kept;

TEST_CASE("worked example: start Wednesday, latest ÜT Monday, answers on Tuesday 07/09/11/12 local",
          "[gpke][deadlines]") {
  // Start Wednesday 2025-03-05 -> last WT before is Tuesday 03-04 -> latest ÜT Monday 03-03 (CET, UTC+1).
  CHECK(latest_uebertragungstag(make_date(2025, 3, 5)) == make_date(2025, 3, 3));
  const Instant uet = berlin(2025, 3, 3, 16, 30);  // 55001 received Monday afternoon
  CHECK(lead_time_kept(make_date(2025, 3, 5), uet));
  CHECK(lead_time_kept(make_date(2025, 3, 5), berlin(2025, 3, 3, 23, 59)));
  CHECK_FALSE(lead_time_kept(make_date(2025, 3, 5), berlin(2025, 3, 4, 0, 0)));

  CHECK(iso(answer_due(55001, 55036, uet)) == "2025-03-04T06:00:00Z");  // 07:00 local
  CHECK(iso(answer_due(55001, 55010, uet)) == "2025-03-04T06:00:00Z");  // in parallel with 55036
  CHECK(iso(answer_due(55010, 55011, uet)) == "2025-03-04T08:00:00Z");  // 09:00, counted from the 55001's ÜT
  CHECK(iso(answer_due(55010, 55012, uet)) == "2025-03-04T08:00:00Z");
  CHECK(iso(answer_due(55001, 55002, uet)) == "2025-03-04T10:00:00Z");  // 11:00
  CHECK(iso(answer_due(55001, 55003, uet)) == "2025-03-04T10:00:00Z");
  CHECK(iso(answer_due(55001, 55037, uet)) == "2025-03-04T11:00:00Z");  // 12:00
}

TEST_CASE("related use cases: Abmeldung both directions and Kündigung", "[gpke][deadlines]") {
  const Instant uet = berlin(2025, 3, 3, 16, 30);                       // Monday
  CHECK(iso(answer_due(55004, 55005, uet)) == "2025-03-04T05:00:00Z");  // 06:00 of the 1st WT
  CHECK(iso(answer_due(55004, 55006, uet)) == "2025-03-04T05:00:00Z");
  CHECK(iso(answer_due(55007, 55008, uet)) == "2025-03-04T04:00:00Z");  // 05:00 of the 1st WT
  CHECK(iso(answer_due(55007, 55009, uet)) == "2025-03-04T04:00:00Z");
  CHECK(iso(answer_due(55016, 55017, uet)) == "2025-03-04T23:00:00Z");  // end of Tuesday = Wed 00:00 local
  CHECK(iso(answer_due(55016, 55018, uet)) == "2025-03-04T23:00:00Z");
  // Answer PIDs are not request+1: there is no row 55001 -> 55011, nor 55010 -> 55002.
  CHECK_THROWS_AS(answer_due(55001, 55011, uet), std::invalid_argument);
  CHECK_THROWS_AS(answer_due(55010, 55002, uet), std::invalid_argument);
}

TEST_CASE("a Friday or weekend ÜT counts to Monday", "[gpke][deadlines]") {
  for (const Instant uet : {berlin(2025, 2, 28, 9), berlin(2025, 3, 1, 12), berlin(2025, 3, 2, 23, 59)}) {
    CHECK(iso(answer_due(55001, 55002, uet)) == "2025-03-03T10:00:00Z");
    CHECK(iso(answer_due(55016, 55017, uet)) == "2025-03-03T23:00:00Z");
  }
}

TEST_CASE("a holiday on the Tuesday moves the 1st WT and the latest ÜT", "[gpke][deadlines]") {
  // 2023-10-03 (Tag der Deutschen Einheit) is a Tuesday. Start Wednesday 10-04: the last WT before
  // is Monday 10-02, so the latest ÜT is Sunday 10-01 (everything one WT earlier). CEST, UTC+2.
  CHECK(latest_uebertragungstag(make_date(2023, 10, 4)) == make_date(2023, 10, 1));
  CHECK_FALSE(lead_time_kept(make_date(2023, 10, 4), berlin(2023, 10, 2, 8)));
  CHECK(lead_time_kept(make_date(2023, 10, 4), berlin(2023, 10, 1, 20)));
  const Instant sunday = berlin(2023, 10, 1, 20);
  CHECK(iso(answer_due(55001, 55036, sunday)) == "2023-10-02T05:00:00Z");
  CHECK(iso(answer_due(55010, 55011, sunday)) == "2023-10-02T07:00:00Z");
  CHECK(iso(answer_due(55001, 55002, sunday)) == "2023-10-02T09:00:00Z");
  CHECK(iso(answer_due(55001, 55037, sunday)) == "2023-10-02T10:00:00Z");
  // An ÜT on Monday 10-02 has its 1st WT on Wednesday 10-04, not on the holiday.
  const Instant monday = berlin(2023, 10, 2, 10);
  CHECK(iso(answer_due(55001, 55002, monday)) == "2023-10-04T09:00:00Z");
  CHECK(iso(answer_due(55004, 55005, monday)) == "2023-10-04T04:00:00Z");
  CHECK(iso(answer_due(55016, 55018, monday)) == "2023-10-04T22:00:00Z");
}

TEST_CASE("DST weeks: the same local deadlines are an hour apart in UTC", "[gpke][deadlines]") {
  // Summer time starts Sunday 2025-03-30: Monday 03-24 is CET, Monday 03-31 CEST.
  CHECK(iso(answer_due(55001, 55036, berlin(2025, 3, 21, 12))) == "2025-03-24T06:00:00Z");
  CHECK(iso(answer_due(55001, 55036, berlin(2025, 3, 28, 12))) == "2025-03-31T05:00:00Z");
  CHECK(iso(answer_due(55010, 55011, berlin(2025, 3, 28, 12))) == "2025-03-31T07:00:00Z");
  CHECK(iso(answer_due(55001, 55002, berlin(2025, 3, 28, 12))) == "2025-03-31T09:00:00Z");
  CHECK(iso(answer_due(55001, 55037, berlin(2025, 3, 28, 12))) == "2025-03-31T10:00:00Z");
  CHECK(iso(answer_due(55007, 55008, berlin(2025, 3, 28, 12))) == "2025-03-31T03:00:00Z");
  // The ÜT Sunday 03-30 itself (the switch day) also counts to Monday 03-31.
  CHECK(iso(answer_due(55004, 55005, berlin(2025, 3, 30, 4))) == "2025-03-31T04:00:00Z");
  // Summer time ends Sunday 2025-10-26: Monday 10-20 is CEST, Monday 10-27 CET.
  CHECK(iso(answer_due(55001, 55002, berlin(2025, 10, 17, 12))) == "2025-10-20T09:00:00Z");
  CHECK(iso(answer_due(55001, 55002, berlin(2025, 10, 24, 12))) == "2025-10-27T10:00:00Z");
  CHECK(iso(answer_due(55016, 55017, berlin(2025, 10, 24, 12))) == "2025-10-27T23:00:00Z");
  CHECK(iso(answer_due(55016, 55017, berlin(2025, 10, 17, 12))) == "2025-10-20T22:00:00Z");
}
