#pragma once
// Europe/Berlin local time over UTC instants, computed from the EU summer-time rule (CET = UTC+1,
// CEST = UTC+2; summer time from the last Sunday of March 01:00 UTC to the last Sunday of October
// 01:00 UTC; docs/mako-domain.md, "Working days and time"; Directive 2000/84/EC).
//
// Why not std::chrono::zoned_time: libstdc++ 12 (the toolchain here) has no tzdb (no
// std::chrono::locate_zone), and the rule is small and fixed. Historical scope: 1981-1995 Germany
// ended summer time on the last Sunday of September (same 01:00 UTC switch); before 1981 no summer
// time is modelled (Germany's 1980 period from 6 April is not covered).
#include <chrono>
#include <string>

#include "mako/domain/calendar/date.hpp"

namespace mako::calendar {

using Instant = std::chrono::sys_seconds;
using LocalTime = std::chrono::local_seconds;

// Summer-time period of `year` as UTC instants [start, end); start == end for years without one.
Instant berlin_summer_time_start(int year);
Instant berlin_summer_time_end(int year);

bool is_berlin_summer_time(Instant t);
// +1 h (CET) or +2 h (CEST).
std::chrono::seconds berlin_utc_offset(Instant t);
LocalTime to_berlin_local(Instant t);
// The Berlin calendar date of an instant (e.g. the ÜT of a receipt).
Date berlin_date(Instant t);

// Local wall-clock time -> UTC. Times in the spring gap (02:00-03:00 on the switch Sunday) do not
// exist and are moved forward by the gap (02:30 -> 03:30 CEST); ambiguous times in the autumn
// overlap (02:00-03:00) resolve to the earlier instant (CEST).
Instant from_berlin_local(LocalTime local);
// hh:mm local on `date` as a UTC instant; hour 0-24 (24:00 = 00:00 of the next day).
Instant berlin_time_on(const Date& date, int hour, int minute = 0);
// 00:00 local on `date`.
Instant berlin_start_of_day(const Date& date);

// "2025-03-30T01:00:00Z".
std::string format_utc(Instant t);
// "2025-03-30T03:00:00+02:00".
std::string format_berlin(Instant t);
// Parses "YYYY-MM-DDTHH:MM:SSZ" (also "+00:00"); throws std::invalid_argument otherwise.
Instant parse_utc(const std::string& text);

}  // namespace mako::calendar
