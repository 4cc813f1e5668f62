#pragma once
// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
// All Easter-dependent German holidays are offsets from it.
#include "mako/domain/calendar/date.hpp"

namespace mako::calendar {

Date easter_sunday(int year);

}  // namespace mako::calendar
