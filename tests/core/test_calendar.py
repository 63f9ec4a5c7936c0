"""The working calendar: seasons, sessions, holidays, overrides, boundaries."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from custom_components.quephong_office.core.calendar import (
    NGHE_AN,
    PRESETS,
    YEAR_ROUND,
    CalendarOverride,
    OverrideKind,
    ScheduleError,
    SessionState,
    WorkingCalendar,
    overrides_from_list,
    schedule_from_dict,
    schedule_to_dict,
    vietnam_public_holidays,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar(schedule=NGHE_AN)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Thursday 5 June 2025: summer hours 07:00–11:30, 13:30–17:00
        (at(2025, 6, 5, 6, 59), SessionState.OFF),
        (at(2025, 6, 5, 7, 0), SessionState.MORNING),
        (at(2025, 6, 5, 11, 29), SessionState.MORNING),
        (at(2025, 6, 5, 11, 30), SessionState.BREAK),
        (at(2025, 6, 5, 13, 30), SessionState.AFTERNOON),
        (at(2025, 6, 5, 17, 0), SessionState.OFF),
        # Thursday 20 November 2025: winter hours 07:30–12:00
        (at(2025, 11, 20, 7, 15), SessionState.OFF),
        (at(2025, 11, 20, 7, 30), SessionState.MORNING),
        (at(2025, 11, 20, 11, 45), SessionState.MORNING),
        (at(2025, 11, 20, 12, 0), SessionState.BREAK),
        # Saturday and Sunday
        (at(2025, 6, 7, 9), SessionState.OFF),
        (at(2025, 6, 8, 9), SessionState.OFF),
    ],
)
def test_sessions_by_season(
    calendar: WorkingCalendar, moment: datetime, expected: SessionState
) -> None:
    assert calendar.state_at(moment).state is expected


def test_season_switch_dates(calendar: WorkingCalendar) -> None:
    # 15/4 is still winter (07:30 start), 16/4 summer (07:00), 15/10 summer, 16/10 winter.
    assert calendar.state_at(at(2025, 4, 15, 7, 10)).state is SessionState.OFF
    assert calendar.state_at(at(2025, 4, 16, 7, 10)).state is SessionState.MORNING
    assert calendar.state_at(at(2025, 10, 15, 7, 10)).state is SessionState.MORNING
    assert calendar.state_at(at(2025, 10, 16, 7, 10)).state is SessionState.OFF


def test_tet_and_national_holidays_are_days_off(calendar: WorkingCalendar) -> None:
    tet = calendar.state_at(at(2025, 1, 29, 9))  # Mùng 1 Tết Ất Tỵ, a Wednesday
    assert tet.state is SessionState.HOLIDAY
    assert tet.day.holiday_name
    assert "Tết" in tet.day.holiday_name
    assert calendar.state_at(at(2025, 4, 30, 9)).state is SessionState.HOLIDAY
    assert calendar.state_at(at(2025, 9, 2, 9)).state is SessionState.HOLIDAY
    hung_kings = date(2025, 4, 7)  # 10/3 lunar in 2025
    assert hung_kings in vietnam_public_holidays(2025)


def test_make_up_saturday_and_extra_day_off(calendar: WorkingCalendar) -> None:
    saturday = date(2025, 4, 26)
    extra_off = date(2025, 6, 13)  # a Friday
    cal = calendar.with_overrides(extra_workdays=[saturday], extra_days_off={extra_off: "Nghỉ bù"})
    assert cal.state_at(at(2025, 4, 26, 8)).state is SessionState.MORNING
    off = cal.state_at(at(2025, 6, 13, 8))
    assert off.state is SessionState.HOLIDAY
    assert off.day.holiday_name == "Nghỉ bù"
    assert calendar.state_at(at(2025, 6, 13, 8)).state is SessionState.MORNING
    # the original calendar is unchanged
    assert calendar.state_at(at(2025, 4, 26, 8)).state is SessionState.OFF


def test_working_time_flag_and_session(calendar: WorkingCalendar) -> None:
    state = calendar.state_at(at(2025, 6, 5, 14))
    assert state.is_working_time
    assert state.session is not None
    assert (state.session.start, state.session.end) == (time(13, 30), time(17, 0))
    assert not calendar.state_at(at(2025, 6, 5, 12)).is_working_time


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 6, 5, 6), at(2025, 6, 5, 7)),
        (at(2025, 6, 5, 7), at(2025, 6, 5, 11, 30)),
        (at(2025, 6, 5, 12), at(2025, 6, 5, 13, 30)),
        (at(2025, 6, 5, 16, 59), at(2025, 6, 5, 17)),
        (at(2025, 6, 5, 17), at(2025, 6, 6, 0)),
        (at(2025, 6, 7, 10), at(2025, 6, 8, 0)),
    ],
)
def test_next_change(calendar: WorkingCalendar, moment: datetime, expected: datetime) -> None:
    assert calendar.next_change(moment) == expected


def test_state_changes_only_at_next_change(calendar: WorkingCalendar) -> None:
    """Walking a whole week minute by minute, state changes only at announced boundaries."""
    moment = at(2025, 6, 2, 0)
    boundary = calendar.next_change(moment)
    state = calendar.state_at(moment).state
    changes = 0
    while moment < at(2025, 6, 9, 0):
        nxt = datetime.fromtimestamp(moment.timestamp() + 60, VN)
        new_state = calendar.state_at(nxt).state
        if new_state is not state:
            assert nxt == boundary
            changes += 1
        if nxt >= boundary:
            boundary = calendar.next_change(nxt)
        state, moment = new_state, nxt
    assert changes == 5 * 4  # four changes on each working day


def test_roundtrip_and_presets() -> None:
    for schedule in PRESETS.values():
        assert schedule_from_dict(schedule_to_dict(schedule)) == schedule
    assert schedule_to_dict(NGHE_AN)["summer_morning_start"] == "07:00"
    assert schedule_to_dict(YEAR_ROUND)["winter_morning_start"] == "08:00"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"summer_morning_end": "06:00"}, "end_before_start", "summer_morning_end"),
        ({"winter_afternoon_end": "13:00"}, "end_before_start", "winter_afternoon_end"),
        ({"summer_afternoon_start": "11:00"}, "sessions_overlap", "summer_afternoon_start"),
        ({"summer_morning_start": "7h"}, "invalid_time", "summer_morning_start"),
        ({"summer_start": "04/16"}, "invalid_date", "summer_start"),
        ({"winter_start": "02-30"}, "invalid_date", "winter_start"),
        ({"winter_start": "03-01"}, "season_order", "winter_start"),
    ],
)
def test_bad_schedules(change: dict[str, str], code: str, field: str) -> None:
    data = {**schedule_to_dict(NGHE_AN), **change}
    with pytest.raises(ScheduleError) as err:
        schedule_from_dict(data)
    assert (err.value.code, err.value.field) == (code, field)


def test_missing_field_is_reported() -> None:
    data = schedule_to_dict(NGHE_AN)
    del data["winter_morning_end"]
    with pytest.raises(ScheduleError) as err:
        schedule_from_dict(data)
    assert err.value.field == "winter_morning_end"


def test_overrides_parse_apply_and_show_in_the_agenda() -> None:
    overrides = overrides_from_list(
        [
            {"date": "2026-06-06", "kind": "workday", "name": "Làm bù"},
            {"date": "2026-06-05", "kind": "day_off", "name": "Nghỉ bù"},
            {
                "date": "2026-06-04",
                "kind": "hours",
                "name": "Tiếp dân",
                "morning_start": "06:30",
                "morning_end": "11:00",
                "afternoon_start": "13:00",
                "afternoon_end": "16:30",
            },
        ]
    )
    assert [o.day.day for o in overrides] == [4, 5, 6]
    assert [o.to_dict() for o in overrides_from_list(o.to_dict() for o in overrides)] == [
        o.to_dict() for o in overrides
    ]
    cal = WorkingCalendar(schedule=NGHE_AN).with_override_list(overrides)
    assert cal.state_at(at(2026, 6, 4, 6, 45)).state is SessionState.MORNING
    assert cal.state_at(at(2026, 6, 4, 16, 45)).state is SessionState.OFF
    assert cal.state_at(at(2026, 6, 5, 9)).state is SessionState.HOLIDAY
    assert cal.state_at(at(2026, 6, 6, 9)).state is SessionState.MORNING
    agenda = cal.agenda(date(2026, 6, 4), date(2026, 6, 7))
    assert [(i.day.day, i.session.key.value if i.session else i.name, i.note) for i in agenda] == [
        (4, "morning", OverrideKind.HOURS),
        (4, "afternoon", OverrideKind.HOURS),
        (5, "Nghỉ bù", OverrideKind.DAY_OFF),
        (6, "morning", OverrideKind.WORKDAY),
        (6, "afternoon", OverrideKind.WORKDAY),
    ]
    tet = cal.agenda(date(2026, 2, 17), date(2026, 2, 17))
    assert [(i.name, i.note) for i in tet] == [("Tết Nguyên Đán", None)]


@pytest.mark.parametrize(
    ("item", "code", "field"),
    [
        ({"date": "2026-13-01", "kind": "workday"}, "invalid_date", "date"),
        ({"date": "2026-06-06", "kind": "holiday"}, "invalid_kind", "kind"),
        (
            {
                "date": "2026-06-06",
                "kind": "hours",
                "morning_start": "09:00",
                "morning_end": "08:00",
                "afternoon_start": "13:00",
                "afternoon_end": "17:00",
            },
            "end_before_start",
            "morning_end",
        ),
        (
            {
                "date": "2026-06-06",
                "kind": "hours",
                "morning_start": "07:00",
                "morning_end": "12:00",
                "afternoon_start": "14:00",
                "afternoon_end": "13:00",
            },
            "end_before_start",
            "afternoon_end",
        ),
        (
            {
                "date": "2026-06-06",
                "kind": "hours",
                "morning_start": "07:00",
                "morning_end": "12:00",
                "afternoon_start": "11:00",
                "afternoon_end": "17:00",
            },
            "sessions_overlap",
            "afternoon_start",
        ),
        ({"date": "2026-06-06", "kind": "hours"}, "invalid_time", "morning_start"),
    ],
)
def test_bad_overrides_are_named(item: dict, code: str, field: str) -> None:
    with pytest.raises(ScheduleError) as err:
        CalendarOverride.from_dict(item)
    assert (err.value.code, err.value.field) == (code, field)


def test_a_date_can_only_be_overridden_once() -> None:
    with pytest.raises(ScheduleError) as err:
        overrides_from_list([{"date": "2026-06-06", "kind": "workday"}] * 2)
    assert err.value.code == "duplicate_date"


def test_holiday_names_in_english() -> None:
    assert vietnam_public_holidays(2026, "en_US")[date(2026, 9, 2)] == "National Day"
