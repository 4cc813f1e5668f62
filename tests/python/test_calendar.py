"""mako_engine.calendar: BDEW working days, Berlin time across DST, deadline rules, the GPKE
deadline table and the format versions."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

import mako_engine as mk
from mako_engine import calendar as cal

UTC = dt.timezone.utc
D = dt.date


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
def bdew() -> cal.Calendar:
    return cal.Calendar.bdew()


@pytest.mark.parametrize(
    "day, name",
    [
        (D(2025, 6, 6), None),  # the LFW24 cut-over day: a one-off BDEW non-working day
        (D(2025, 12, 24), "Heiligabend"),
        (D(2025, 12, 31), "Silvester"),
        (D(2025, 4, 18), "Karfreitag"),
        (D(2026, 4, 3), "Karfreitag"),
        (D(2025, 4, 21), "Ostermontag"),
        (D(2025, 11, 19), "Buß- und Bettag"),  # Wednesday before 23.11. (SN)
        (D(2025, 3, 8), "Frauentag"),  # BE (a Saturday anyway)
        (D(2025, 10, 31), "Reformationstag"),
    ],
)
def test_non_working_days(bdew: cal.Calendar, day: dt.date, name: str) -> None:
    assert not bdew.is_working_day(day)
    holiday = bdew.holiday_name(day)
    assert holiday is not None and (name is None or name in holiday)


def test_ordinary_days_and_weekends(bdew: cal.Calendar) -> None:
    assert bdew.is_working_day(D(2025, 6, 5)) and bdew.is_working_day(D(2025, 12, 23))
    assert not bdew.is_working_day(D(2025, 6, 7)) and bdew.holiday_name(D(2025, 6, 7)) is None
    assert cal.Calendar.is_weekend(D(2025, 6, 8)) and not cal.Calendar.is_weekend(D(2025, 6, 9))


def test_working_day_arithmetic(bdew: cal.Calendar) -> None:
    # Thursday before Easter 2025: the 1st WT after it is the Tuesday after Ostermontag.
    assert bdew.add_working_days(D(2025, 4, 17), 1) == D(2025, 4, 22)
    assert bdew.next_working_day(D(2025, 4, 17)) == D(2025, 4, 22)
    assert bdew.previous_working_day(D(2025, 4, 22)) == D(2025, 4, 17)
    assert bdew.add_working_days(D(2025, 4, 22), -1) == D(2025, 4, 17)
    assert bdew.add_working_days(D(2025, 4, 22), 0) == D(2025, 4, 22)
    # Christmas to New Year: 29.12., 30.12., 2.1. are WTs (24-26.12., 31.12., 1.1. and weekends are not).
    assert bdew.next_working_day(D(2025, 12, 23)) == D(2025, 12, 29)
    assert bdew.working_days_between(D(2025, 12, 23), D(2026, 1, 2)) == 3
    assert bdew.working_days_between(D(2026, 1, 2), D(2025, 12, 23)) == -3
    names = [n for _, n in bdew.holidays_between(D(2025, 12, 1), D(2025, 12, 31))]
    assert names == ["Heiligabend", "Erster Weihnachtstag", "Zweiter Weihnachtstag", "Silvester"]


def test_a_copy_can_be_extended_without_touching_the_bdew_calendar() -> None:
    mine = cal.Calendar.bdew()
    mine.add_non_working_day(D(2030, 5, 2), "Sondertag")
    assert not mine.is_working_day(D(2030, 5, 2)) and mine.holiday_name(D(2030, 5, 2)) == "Sondertag"
    assert cal.Calendar.bdew().is_working_day(D(2030, 5, 2))
    other = copy.copy(mine)
    assert other.remove_non_working_day(D(2030, 5, 2)) and other.is_working_day(D(2030, 5, 2))
    assert not mine.is_working_day(D(2030, 5, 2))
    empty = cal.Calendar()
    assert empty.is_working_day(D(2025, 12, 25)) and not empty.is_working_day(D(2025, 12, 27))


def test_dates_and_datetimes_are_not_mixed_up(bdew: cal.Calendar) -> None:
    with pytest.raises(mk.InvalidInput, match="not a datetime"):
        bdew.is_working_day(dt.datetime(2025, 6, 6, 12))  # type: ignore[arg-type]
    with pytest.raises(mk.InvalidInput, match=r"datetime\.date"):
        bdew.is_working_day("2025-06-06")  # type: ignore[arg-type]


# ---- Berlin time ------------------------------------------------------------------------------------


def test_berlin_time_across_the_switches() -> None:
    assert cal.berlin_utc_offset(utc(2025, 3, 30, 0, 59)) == dt.timedelta(hours=1)
    assert cal.berlin_utc_offset(utc(2025, 3, 30, 1, 0)) == dt.timedelta(hours=2)
    assert cal.is_berlin_summer_time(utc(2025, 10, 26, 0, 59)) and not cal.is_berlin_summer_time(utc(2025, 10, 26, 1))
    local = cal.to_berlin(utc(2025, 3, 30, 1, 0))
    assert (local.hour, local.utcoffset(), local.tzname()) == (3, dt.timedelta(hours=2), "CEST")
    assert cal.to_berlin(utc(2025, 1, 1)).tzname() == "CET"
    assert cal.berlin_date(utc(2025, 6, 30, 22, 0)) == D(2025, 7, 1)
    assert cal.berlin_start_of_day(D(2025, 7, 1)) == utc(2025, 6, 30, 22, 0)
    assert cal.berlin_time_on(D(2025, 10, 26), 12) == utc(2025, 10, 26, 11, 0)
    assert cal.berlin_time_on(D(2025, 10, 25), 24) == utc(2025, 10, 25, 22, 0)
    # Spring gap moves forward, autumn overlap resolves to the earlier (CEST) instant.
    assert cal.from_berlin_local(dt.datetime(2025, 3, 30, 2, 30)) == utc(2025, 3, 30, 1, 30)
    assert cal.from_berlin_local(dt.datetime(2025, 10, 26, 2, 30)) == utc(2025, 10, 26, 0, 30)
    # Any timezone works on input; the result is UTC.
    cet = dt.timezone(dt.timedelta(hours=1))
    assert cal.berlin_date(dt.datetime(2025, 1, 1, 0, 30, tzinfo=cet)) == D(2025, 1, 1)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(mk.InvalidInput, match="naive datetime refused"):
        cal.to_berlin(dt.datetime(2025, 1, 1))
    with pytest.raises(mk.InvalidInput, match="naive datetime refused"):
        cal.DeadlineRule.hours_after(1).evaluate(dt.datetime(2025, 1, 1))
    with pytest.raises(mk.InvalidInput, match="naive"):
        cal.from_berlin_local(utc(2025, 1, 1))  # this one wants the wall-clock time


# ---- deadline rules -----------------------------------------------------------------------------------


def test_worked_example_of_the_supplier_switch() -> None:
    # Start Wednesday 2025-03-05 -> last WT before is Tuesday -> latest ÜT Monday 2025-03-03.
    assert cal.latest_transfer_day_for_start(D(2025, 3, 5)) == D(2025, 3, 3)
    latest = cal.DeadlineRule.latest_transfer_day_before_start()
    assert latest.evaluate(cal.berlin_start_of_day(D(2025, 3, 5))) == cal.berlin_start_of_day(D(2025, 3, 4))
    receipt = cal.berlin_time_on(D(2025, 3, 3), 16)  # ÜT Monday
    for hour in (7, 9, 11, 12):
        rule = cal.DeadlineRule.at_time_on_nth_working_day(1, hour)
        assert rule.evaluate(receipt) == cal.berlin_time_on(D(2025, 3, 4), hour)
    # A holiday on that Tuesday moves everything one WT later for this ÜT (to Wednesday) ...
    holiday = cal.Calendar.bdew()
    holiday.add_non_working_day(D(2025, 3, 4), "Test")
    assert cal.DeadlineRule.at_time_on_nth_working_day(1, 7).evaluate(receipt, holiday) == cal.berlin_time_on(D(2025, 3, 5), 7)
    # ... and the latest ÜT for the same start one day earlier (Sunday).
    assert cal.latest_transfer_day_for_start(D(2025, 3, 5), holiday) == D(2025, 3, 2)


def test_a_deadline_across_the_spring_dst_switch() -> None:
    # ÜT Friday 2025-03-28 (CET); the 1st WT is Monday 2025-03-31 (CEST): 09:00 local = 07:00 UTC.
    rule = cal.DeadlineRule.at_time_on_nth_working_day(1, 9)
    assert rule.evaluate(utc(2025, 3, 28, 12)) == utc(2025, 3, 31, 7)
    assert rule.evaluate(utc(2025, 3, 27, 12)) == utc(2025, 3, 28, 8)  # still CET
    # 24 h of elapsed time across the switch is 13:00 local the next day, not 12:00.
    due = cal.DeadlineRule.hours_after(24).evaluate(cal.berlin_time_on(D(2025, 3, 29), 12))
    assert due == utc(2025, 3, 30, 11) and cal.to_berlin(due).hour == 13
    # End of the 1st WT is exclusive: 00:00 local of the next day.
    end = cal.DeadlineRule.end_of_nth_working_day(1).evaluate(utc(2025, 10, 24, 12))
    assert end == cal.berlin_start_of_day(D(2025, 10, 28))


def test_rules_are_values() -> None:
    r = cal.DeadlineRule.at_time_on_nth_working_day(1, 7, 30)
    assert r == cal.DeadlineRule.at_time_on_nth_working_day(1, 7, 30) != cal.DeadlineRule.at_time_on_nth_working_day(1, 7)
    assert r.to_dict() == {"shape": "at_time_on_nth_working_day", "n": 1, "hour": 7, "minute": 30}
    assert cal.DeadlineRule.from_dict(r.to_dict()) == r
    assert r.describe().startswith("07:30 of the 1st WT")
    assert len({r, cal.DeadlineRule.from_dict(r.to_dict())}) == 1
    with pytest.raises(mk.InvalidInput):
        cal.DeadlineRule.at_time_on_nth_working_day(0, 7)
    with pytest.raises(mk.InvalidInput):
        cal.DeadlineRule.from_dict({"shape": "whenever"})


# ---- tables -------------------------------------------------------------------------------------------


def test_gpke_deadline_table() -> None:
    rows = cal.gpke_answer_deadlines()
    by_answers = {tuple(r["answer_pids"]): r for r in rows}
    lfa = by_answers[("55011", "55012")]
    assert lfa["request_pid"] == "55010" and lfa["reference_pid"] == "55001"
    assert lfa["on_silence"] == "consent" and lfa["answered_by"] == "LFA"
    assert cal.DeadlineRule.from_dict(lfa["rule"]) == cal.DeadlineRule.at_time_on_nth_working_day(1, 9)
    assert cal.gpke_allowed_answer_pids("55004") == ["55005", "55006"]
    assert cal.gpke_deadline_for_answer("55016", "55018")["rule"] == {"shape": "end_of_nth_working_day", "n": 1}
    assert cal.gpke_deadline_for_answer("55016", "55002") is None
    with pytest.raises(mk.InvalidInput):
        cal.gpke_allowed_answer_pids("5501")


def test_gpke_deadline_table_is_dataframe_ready() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(cal.gpke_answer_deadlines())
    assert {"request_pid", "answer_pids", "deadline", "on_silence"} <= set(df.columns)
    assert (df["request_pid"] == "55001").sum() >= 3


def test_format_versions() -> None:
    names = [fv.name for fv in cal.format_versions()]
    assert names[:4] == ["FV2310", "FV2404", "FV2410", "FV2504"]
    # FV2504 took effect on 2025-06-06 00:00 Berlin (= 2025-06-05 22:00 UTC), not in April.
    assert cal.format_version_for(utc(2025, 6, 5, 21, 59)).name == "FV2410"
    fv = cal.format_version_for(utc(2025, 6, 5, 22, 0))
    assert (fv.name, fv.core_name, fv.valid_from) == ("FV2504", "FV2025-06-06", D(2025, 6, 6))
    assert mk.FormatVersion(fv.core_name) == mk.FormatVersion(2025, 6, 6)
    assert cal.format_version_by_name("FV2025-10-01").name == "FV2510"
    assert cal.format_version_by_name("FV1999") is None
    with pytest.raises(mk.InvalidInput):
        cal.format_version_for(utc(2020, 1, 1))


def test_python_calendar_agrees_with_bdew_datetimes_2024_to_2027(bdew: cal.Calendar) -> None:
    bdew_datetimes = pytest.importorskip("bdew_datetimes")
    reference = bdew_datetimes.create_bdew_calendar()
    day = D(2024, 1, 1)
    while day <= D(2027, 12, 31):
        expected = day.weekday() < 5 and day not in reference
        assert bdew.is_working_day(day) == expected, day
        day += dt.timedelta(days=1)
