#pragma once
// The data behind Calendar::bdew(): BDEW non-working days = union of the public holidays of all 16
// Länder plus BDEW's own days (24.12., 31.12., one-offs). Follows docs/mako-domain.md ("Working days and time") and
// bdew-datetimes 0.12 (PyPI; `create_bdew_calendar()`, which sums `holidays.Germany` over the 16
// states with the PUBLIC category, plus `BdewDefinedHolidays`), checked day for day 2000-2100 by
// tests/python/test_calendar_vs_bdew_datetimes.py.
#include <vector>

#include "mako/domain/calendar/holiday_rule.hpp"

namespace mako::calendar {

const std::vector<HolidayRule>& bdew_holiday_rules();

}  // namespace mako::calendar
