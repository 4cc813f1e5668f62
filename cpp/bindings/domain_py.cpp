// bind_domain and the shared conversions of the domain bindings (see domain_py.hpp).
#include "domain_py.hpp"

#include <pybind11/pybind11.h>
// datetime.h needs Python.h first.
#include <datetime.h>

#include "bindings.hpp"

namespace mako::py {

namespace {

void ensure_datetime_api() {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
}

}  // namespace

calendar::Date to_date(pyb::handle value, const char* what) {
  ensure_datetime_api();
  if (PyDateTime_Check(value.ptr()))
    throw EngineError::invalid_input(std::string(what) +
                                     ": a datetime.date is required, not a datetime (use .date() or berlin_date())");
  if (!PyDate_Check(value.ptr()))
    throw EngineError::invalid_input(std::string(what) + ": a datetime.date is required, got " +
                                     std::string(Py_TYPE(value.ptr())->tp_name));
  return calendar::make_date(PyDateTime_GET_YEAR(value.ptr()), unsigned(PyDateTime_GET_MONTH(value.ptr())),
                             unsigned(PyDateTime_GET_DAY(value.ptr())));
}

pyb::object date_to_py(const calendar::Date& date) {
  ensure_datetime_api();
  PyObject* d = PyDate_FromDate(int(date.year()), int(unsigned(date.month())), int(unsigned(date.day())));
  if (!d) throw pyb::error_already_set();
  return pyb::reinterpret_steal<pyb::object>(d);
}

std::chrono::sys_time<std::chrono::microseconds> to_instant_us(pyb::handle value, const char* what) {
  ensure_datetime_api();
  if (!PyDateTime_Check(value.ptr()))
    throw EngineError::invalid_input(std::string(what) + ": a timezone-aware datetime.datetime is required, got " +
                                     std::string(Py_TYPE(value.ptr())->tp_name));
  pyb::object tz = value.attr("tzinfo");
  if (tz.is_none() || value.attr("utcoffset")().is_none())
    throw EngineError::invalid_input(std::string(what) +
                                     ": naive datetime refused; pass a timezone-aware datetime "
                                     "(e.g. datetime(..., tzinfo=timezone.utc))");
  pyb::object utc = value.attr("astimezone")(pyb::reinterpret_borrow<pyb::object>(PyDateTime_TimeZone_UTC));
  PyObject* u = utc.ptr();
  using namespace std::chrono;
  const sys_days day{year{PyDateTime_GET_YEAR(u)} / month{unsigned(PyDateTime_GET_MONTH(u))} /
                     std::chrono::day{unsigned(PyDateTime_GET_DAY(u))}};
  return sys_time<microseconds>(day) + hours{PyDateTime_DATE_GET_HOUR(u)} + minutes{PyDateTime_DATE_GET_MINUTE(u)} +
         seconds{PyDateTime_DATE_GET_SECOND(u)} + microseconds{PyDateTime_DATE_GET_MICROSECOND(u)};
}

Seconds to_instant(pyb::handle value, const char* what) {
  return std::chrono::floor<std::chrono::seconds>(to_instant_us(value, what));
}

pyb::object instant_to_py(Seconds instant) { return to_datetime(Timestamp(instant)); }

pyb::object field_of(pyb::handle obj, const char* name) {
  if (PyDict_Check(obj.ptr())) {
    PyObject* v = PyDict_GetItemString(obj.ptr(), name);
    if (!v || v == Py_None) return pyb::object();
    return pyb::reinterpret_borrow<pyb::object>(v);
  }
  if (!pyb::hasattr(obj, name)) return pyb::object();
  pyb::object v = obj.attr(name);
  return v.is_none() ? pyb::object() : v;
}

std::string str_field(pyb::handle obj, const char* name, const std::string& fallback) {
  pyb::object v = field_of(obj, name);
  if (!v) return fallback;
  if (!PyUnicode_Check(v.ptr()))
    throw EngineError::invalid_input(std::string(name) + ": a str is required, got " +
                                     std::string(Py_TYPE(v.ptr())->tp_name));
  return v.cast<std::string>();
}

std::optional<std::string> optional_str_field(pyb::handle obj, const char* name) {
  pyb::object v = field_of(obj, name);
  if (!v) return std::nullopt;
  return str_field(obj, name);
}

void bind_domain(pyb::module_& m) {
  bind_identifiers(m);
  bind_calendar(m);
  bind_edifact(m);
  bind_gpke(m);
  bind_market(m);
}

}  // namespace mako::py
