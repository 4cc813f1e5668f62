#pragma once
// Shared helpers of the domain bindings (bind_edifact, bind_identifiers, bind_calendar, bind_gpke,
// bind_market): dates and instants between Python and C++, reading fields of dataclass-like
// objects, and the error translation of the domain layer.
//
// Conventions at the boundary:
//   * calendar dates are datetime.date (a datetime.datetime is refused: it would hide a time);
//   * instants are timezone-aware datetime.datetime; naive datetimes are refused with InvalidInput
//     naming the argument; results are aware datetimes in UTC;
//   * std::invalid_argument / std::out_of_range from the domain layer become InvalidInput.
#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/pybind11.h>

#include <mako/core/errors.hpp>
#include <mako/domain/calendar/date.hpp>

namespace mako::py {

namespace pyb = pybind11;

void bind_edifact(pyb::module_& m);
void bind_identifiers(pyb::module_& m);
void bind_calendar(pyb::module_& m);
void bind_gpke(pyb::module_& m);
void bind_market(pyb::module_& m);

using Seconds = std::chrono::sys_seconds;

// datetime.date <-> year_month_day.
calendar::Date to_date(pyb::handle value, const char* what);
pyb::object date_to_py(const calendar::Date& date);
// Aware datetime -> UTC instant (microseconds dropped for Seconds). InvalidInput for naive ones.
std::chrono::sys_time<std::chrono::microseconds> to_instant_us(pyb::handle value, const char* what);
Seconds to_instant(pyb::handle value, const char* what);
pyb::object instant_to_py(Seconds instant);

// A field of a dict (key) or of any other object (attribute); an empty object when absent/None.
pyb::object field_of(pyb::handle obj, const char* name);
std::string str_field(pyb::handle obj, const char* name, const std::string& fallback = "");
std::optional<std::string> optional_str_field(pyb::handle obj, const char* name);

}  // namespace mako::py
