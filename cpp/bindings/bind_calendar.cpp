// The BDEW working-day calendar, Europe/Berlin time, deadline rules, the GPKE answer-deadline table
// and the format versions (mako::calendar). Dates are datetime.date, instants aware datetimes.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <datetime.h>

#include <mako/domain/calendar/berlin_time.hpp>
#include <mako/domain/calendar/calendar.hpp>
#include <mako/domain/calendar/deadline_rule.hpp>
#include <mako/domain/calendar/format_versions.hpp>
#include <mako/domain/calendar/gpke_answer_deadlines.hpp>
#include <mako/domain/edifact/pid.hpp>

#include "domain_py.hpp"
#include "json_py.hpp"

namespace mako::py {

using namespace pybind11::literals;
using calendar::Calendar;
using calendar::DeadlineRule;

namespace {

pyb::object berlin_aware(Seconds instant) {
  // An aware datetime in Berlin local time with a fixed-offset tzinfo named CET / CEST.
  const auto offset = calendar::berlin_utc_offset(instant);
  pyb::module_ dt = pyb::module_::import("datetime");
  pyb::object tz =
      dt.attr("timezone")(dt.attr("timedelta")("seconds"_a = offset.count()), offset.count() == 7200 ? "CEST" : "CET");
  return instant_to_py(instant).attr("astimezone")(tz);
}

pyb::dict format_version_dict(const calendar::FormatVersionInfo& fv) {
  pyb::dict d;
  d["name"] = fv.name;
  d["core_name"] = fv.core_name();
  d["valid_from"] = date_to_py(fv.valid_from);
  d["valid_from_instant"] = instant_to_py(fv.valid_from_instant());
  return d;
}

pyb::dict deadline_row(const calendar::GpkeAnswerDeadline& row) {
  pyb::dict d;
  d["request_pid"] = std::to_string(row.request_pid);
  pyb::list answers;
  for (auto pid : row.answer_pids) answers.append(std::to_string(pid));
  d["answer_pids"] = answers;
  d["deadline"] = row.deadline.describe();
  d["rule"] = to_python(Json::parse(row.deadline.to_json_string()));  // plain data: DeadlineRule.from_dict
  d["reference_pid"] = std::to_string(row.reference_pid);
  d["answered_by"] = row.answered_by;
  d["answered_to"] = row.answered_to;
  d["on_silence"] = calendar::to_string(row.on_silence);
  d["step"] = row.step;
  d["note"] = row.note;
  return d;
}

std::uint32_t pid_number(const std::string& pid) {
  const auto parsed = edifact::Pid::parse(pid);
  if (!parsed) throw EngineError::invalid_input("pid: five digits expected, got '" + pid + "'");
  return parsed->number();
}

const Calendar& calendar_or_bdew(const Calendar* c) { return c ? *c : Calendar::bdew(); }

}  // namespace

void bind_calendar(pyb::module_& m) {
  pyb::class_<Calendar>(m, "Calendar",
                        "A working-day (Werktag) calendar: weekends plus named non-working days. Calendar.bdew() is a "
                        "copy of the BDEW calendar (union of the holidays of all 16 Länder, 24.12., 31.12., one-offs "
                        "like 2025-06-06); extend the copy with add_non_working_day(). Calendar() has only weekends.")
      .def(pyb::init<>())
      .def_static(
          "bdew", [] { return Calendar(Calendar::bdew()); }, "A copy of the BDEW calendar.")
      .def(
          "copy", [](const Calendar& c) { return Calendar(c); }, "An independent copy.")
      .def("__copy__", [](const Calendar& c) { return Calendar(c); })
      .def(
          "__deepcopy__", [](const Calendar& c, pyb::dict) { return Calendar(c); }, "memo"_a)
      .def(
          "add_non_working_day",
          [](Calendar& c, const pyb::object& date, std::string name) {
            c.add_non_working_day(to_date(date, "date"), std::move(name));
          },
          "date"_a, "name"_a, "Marks date as a named non-working day (a one-off such as 2025-06-06).")
      .def(
          "remove_non_working_day",
          [](Calendar& c, const pyb::object& date) { return c.remove_non_working_day(to_date(date, "date")); },
          "date"_a, "Makes date a working day again (weekends stay non-working); whether it was a named day.")
      .def(
          "is_working_day",
          [](const Calendar& c, const pyb::object& date) { return c.is_working_day(to_date(date, "date")); }, "date"_a,
          "Whether date is a Werktag: no weekend, no named non-working day.")
      .def_static(
          "is_weekend",
          [](const pyb::object& date) { return Calendar::is_weekend(std::chrono::sys_days(to_date(date, "date"))); },
          "date"_a, "Whether date is a Saturday or Sunday.")
      .def(
          "holiday_name",
          [](const Calendar& c, const pyb::object& date) { return c.holiday_name(to_date(date, "date")); }, "date"_a,
          "The name(s) of the non-working day ('; '-joined), or None.")
      .def(
          "holidays_between",
          [](const Calendar& c, const pyb::object& from, const pyb::object& to) {
            std::vector<std::pair<pyb::object, std::string>> out;
            for (const auto& d : c.holidays_between(to_date(from, "start"), to_date(to, "end")))
              out.emplace_back(date_to_py(d.date), d.name);
            return out;
          },
          "start"_a, "end"_a, "Named non-working days in [start, end] as (date, name), in date order.")
      .def(
          "next_working_day",
          [](const Calendar& c, const pyb::object& d) { return date_to_py(c.next_working_day(to_date(d, "date"))); },
          "date"_a, "The first Werktag strictly after date.")
      .def(
          "previous_working_day",
          [](const Calendar& c, const pyb::object& d) {
            return date_to_py(c.previous_working_day(to_date(d, "date")));
          },
          "date"_a, "The last Werktag strictly before date.")
      .def(
          "add_working_days",
          [](const Calendar& c, const pyb::object& d, int n) {
            return date_to_py(c.add_working_days(to_date(d, "date"), n));
          },
          "date"_a, "n"_a, "n > 0: the n-th Werktag after date; n < 0: the |n|-th before; 0: date itself.")
      .def(
          "working_days_between",
          [](const Calendar& c, const pyb::object& a, const pyb::object& b) {
            return c.working_days_between(to_date(a, "start"), to_date(b, "end"));
          },
          "start"_a, "end"_a, "Signed number of Werktage in (start, end] (negative when end < start).")
      .def("__repr__", [](const Calendar& c) { return "<Calendar rules=" + std::to_string(c.rules().size()) + ">"; });

  // ---- Berlin time ----
  m.def(
      "berlin_utc_offset",
      [](const pyb::object& t) {
        const auto offset = calendar::berlin_utc_offset(to_instant(t, "instant"));
        return pyb::module_::import("datetime").attr("timedelta")("seconds"_a = offset.count());
      },
      "instant"_a, "The Europe/Berlin UTC offset at an instant: 1 h (CET) or 2 h (CEST).");
  m.def(
      "is_berlin_summer_time",
      [](const pyb::object& t) { return calendar::is_berlin_summer_time(to_instant(t, "instant")); }, "instant"_a,
      "Whether Berlin is on summer time (CEST) at an instant.");
  m.def(
      "to_berlin", [](const pyb::object& t) { return berlin_aware(to_instant(t, "instant")); }, "instant"_a,
      "The instant as an aware datetime in Berlin local time (tzinfo CET/CEST with a fixed offset).");
  m.def(
      "berlin_date", [](const pyb::object& t) { return date_to_py(calendar::berlin_date(to_instant(t, "instant"))); },
      "instant"_a, "The Berlin calendar date of an instant (e.g. the Übertragungstag of a receipt).");
  m.def(
      "from_berlin_local",
      [](const pyb::object& local) {
        if (!PyDateTimeAPI) PyDateTime_IMPORT;
        if (!PyDateTime_Check(local.ptr()) || !local.attr("tzinfo").is_none())
          throw EngineError::invalid_input("local: a naive datetime (Berlin wall-clock time) is required");
        pyb::object utc_like =
            local.attr("replace")("tzinfo"_a = pyb::reinterpret_borrow<pyb::object>(PyDateTime_TimeZone_UTC));
        const auto wall = to_instant(utc_like, "local");
        return instant_to_py(calendar::from_berlin_local(calendar::LocalTime(wall.time_since_epoch())));
      },
      "local"_a,
      "Berlin wall-clock time (a naive datetime) as an aware UTC datetime. Times in the spring gap move forward "
      "by the gap; ambiguous autumn times resolve to the earlier instant (CEST).");
  m.def(
      "berlin_time_on",
      [](const pyb::object& date, int hour, int minute) {
        return instant_to_py(calendar::berlin_time_on(to_date(date, "date"), hour, minute));
      },
      "date"_a, "hour"_a, "minute"_a = 0,
      "hh:mm Berlin time on date as an aware UTC datetime (hour 24 = next day 00:00).");
  m.def(
      "berlin_start_of_day",
      [](const pyb::object& date) { return instant_to_py(calendar::berlin_start_of_day(to_date(date, "date"))); },
      "date"_a, "00:00 Berlin time on date as an aware UTC datetime.");

  // ---- deadline rules ----
  pyb::class_<DeadlineRule>(
      m, "DeadlineRule",
      "A deadline shape, evaluated in Berlin local time over UTC instants: at_time_on_nth_working_day, "
      "end_of_nth_working_day, latest_transfer_day_before_start, hours_after.")
      .def_static(
          "at_time_on_nth_working_day",
          [](int n, int hour, int minute) {
            auto r = DeadlineRule::at_time_on_nth_working_day(n, hour, minute);
            r.validate();
            return r;
          },
          "n"_a, "hour"_a, "minute"_a = 0, "hh:mm Berlin time of the n-th Werktag after the Übertragungstag.")
      .def_static(
          "end_of_nth_working_day",
          [](int n) {
            auto r = DeadlineRule::end_of_nth_working_day(n);
            r.validate();
            return r;
          },
          "n"_a, "The end (00:00 of the next day, exclusive) of the n-th Werktag after the Übertragungstag.")
      .def_static(
          "latest_transfer_day_before_start", &DeadlineRule::latest_transfer_day_before_start,
          "The end of the latest Übertragungstag for a start instant: the day before the last Werktag before it.")
      .def_static(
          "hours_after",
          [](int hours, int minutes) {
            auto r = DeadlineRule::hours_after(hours, minutes);
            r.validate();
            return r;
          },
          "hours"_a, "minutes"_a = 0, "Elapsed time after the reference instant (not wall-clock time).")
      .def(
          "evaluate",
          [](const DeadlineRule& r, const pyb::object& reference, const Calendar* c) {
            const auto ref = to_instant(reference, "reference");
            return instant_to_py(r.evaluate(ref, calendar_or_bdew(c)));
          },
          "reference"_a, "calendar"_a = pyb::none(),
          "The deadline as an aware UTC datetime. reference: the receipt instant (Werktag shapes), the start instant "
          "(latest_transfer_day_before_start) or the instant to count from (hours_after). calendar: default BDEW.")
      .def("describe", &DeadlineRule::describe, "A short English description, e.g. '07:00 of the 1st WT after the ÜT'.")
      .def(
          "to_dict", [](const DeadlineRule& r) { return to_python(Json::parse(r.to_json_string())); },
          "The rule as JSON data, e.g. {'shape': 'at_time_on_nth_working_day', 'n': 1, 'hour': 7, 'minute': 0}.")
      .def_static(
          "from_dict",
          [](const pyb::object& v) {
            try {
              return DeadlineRule::from_json_string(to_json(v, "rule").dump());
            } catch (const Json::exception& e) {  // names the argument; the rest is the translator's
              throw EngineError::invalid_input(std::string("rule: ") + e.what());
            }
          },
          "value"_a, "The inverse of to_dict(); InvalidInput for an unknown shape or a bad parameter.")
      .def("__eq__",
           [](const DeadlineRule& a, const pyb::object& b) -> pyb::object {
             if (pyb::isinstance<DeadlineRule>(b)) return pyb::bool_(a == b.cast<const DeadlineRule&>());
             return pyb::reinterpret_borrow<pyb::object>(Py_NotImplemented);
           })
      .def("__hash__", [](const DeadlineRule& r) { return std::hash<std::string>{}(r.to_json_string()); })
      .def("__repr__", [](const DeadlineRule& r) { return "DeadlineRule(" + r.to_json_string() + ")"; })
      .def(pyb::pickle([](const DeadlineRule& r) { return pyb::make_tuple(r.to_json_string()); },
                       [](const pyb::tuple& t) { return DeadlineRule::from_json_string(t[0].cast<std::string>()); }));

  m.def(
      "latest_transfer_day_for_start",
      [](const pyb::object& start, const Calendar* c) {
        return date_to_py(calendar::latest_transfer_day_for_start(to_date(start, "start"), calendar_or_bdew(c)));
      },
      "start"_a, "calendar"_a = pyb::none(),
      "The latest Übertragungstag of an Anmeldung for a start date: the calendar day before the last Werktag before it.");

  // ---- GPKE answer deadlines ----
  m.def(
      "gpke_answer_deadlines",
      [] {
        pyb::list rows;
        for (const auto& row : calendar::gpke_answer_deadlines()) rows.append(deadline_row(row));
        return rows;
      },
      "The GPKE answer-deadline table (one dict per row, DataFrame-ready): request_pid, answer_pids, deadline "
      "(description), rule (DeadlineRule.to_dict() form), reference_pid, answered_by, answered_to, on_silence, step, note.");
  m.def(
      "gpke_deadline_for_answer",
      [](const std::string& request, const std::string& answer) -> pyb::object {
        auto row = calendar::gpke_deadline_for_answer(pid_number(request), pid_number(answer));
        return row ? pyb::object(deadline_row(*row)) : pyb::none();
      },
      "request_pid"_a, "answer_pid"_a, "The row that allows answer_pid in answer to request_pid, or None.");
  m.def(
      "gpke_allowed_answer_pids",
      [](const std::string& request) {
        std::vector<std::string> out;
        for (auto pid : calendar::gpke_allowed_answer_pids(pid_number(request))) out.push_back(std::to_string(pid));
        return out;
      },
      "request_pid"_a, "The PIDs allowed in answer to request_pid (empty when unknown).");

  // ---- format versions ----
  m.def(
      "format_versions",
      [] {
        pyb::list out;
        for (const auto& fv : calendar::format_versions()) out.append(format_version_dict(fv));
        return out;
      },
      "The known EDI@Energy format versions, oldest first: dicts with name ('FV2510'), core_name "
      "('FV2025-10-01'), valid_from (date) and valid_from_instant (00:00 Berlin as UTC).");
  m.def(
      "format_version_for",
      [](const pyb::object& t) {
        const auto instant = to_instant(t, "message_date");
        return format_version_dict(calendar::format_version_for(instant));
      },
      "message_date"_a, "The format version in force at a message date; InvalidInput before the first known one.");
  m.def(
      "format_version_by_name",
      [](const std::string& name) -> pyb::object {
        auto fv = calendar::format_version_by_name(name);
        return fv ? pyb::object(format_version_dict(*fv)) : pyb::none();
      },
      "name"_a, "Looks up 'FV2510' or 'FV2025-10-01'; None when unknown.");
}

}  // namespace mako::py
