"""Reports from what the office rules really record: history, today's live day and the ledger."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from custom_components.quephong_office.core.report.daily import daily_summary
from custom_components.quephong_office.core.report.figures import (
    ReportSource,
    StaffLine,
    build_report,
)
from custom_components.quephong_office.core.report.period import Period, PeriodKind
from custom_components.quephong_office.core.rules.attendance import LeaveKind, StaffSpec
from custom_components.quephong_office.core.rules.desks import DeskSpec
from custom_components.quephong_office.core.rules.engine import OfficeRules
from custom_components.quephong_office.core.rules.settings import RuleSettings

from .conftest import MONDAY, at, office_calendar

WEDNESDAY = date(2026, 11, 25)  # Tuesday 24/11 is Vietnamese Culture Day, a holiday


def _source(rules: OfficeRules) -> ReportSource:
    """The records as the integration hands them over: history plus today's live day."""
    days = {staff: dict(history) for staff, history in rules.history.items()}
    for staff, person in rules.staff.items():
        if person.day is not None:
            days.setdefault(staff, {})[person.day.isoformat()] = person.day_summary()
    return ReportSource(
        office="UBND xã Quế Phong",
        parent_unit="UBND tỉnh Nghệ An",
        place="Quế Phong",
        unit_code="17011",
        staff=[
            StaffLine(id="an", name="Nguyễn Văn An", department="Một cửa"),
            StaffLine(id="binh", name="Trần Thị Bình", department="Văn phòng"),
        ],
        days=days,
        violations=list(rules.ledger),
        calendar=rules.calendar,
        names=dict(rules.names),
        desks={"desk-1": "Quầy 1"},
    )


def _office(now: datetime) -> OfficeRules:
    counter = itertools.count(1)
    rules = OfficeRules(
        office_calendar(),
        RuleSettings(),
        desks=[DeskSpec(id="desk-1", name="Quầy 1", staff="an")],
        staff=[
            StaffSpec(id="an", name="Nguyễn Văn An", desk="desk-1"),
            StaffSpec(id="binh", name="Trần Thị Bình"),
        ],
        new_id=lambda: f"v{next(counter)}",
    )
    rules.advance(now)
    return rules


def test_two_working_days_around_a_holiday() -> None:
    rules = _office(at(MONDAY, "06:00"))
    # Monday: An 12 minutes late, away from the desk 09:00-09:30, gone at 16:30; Bình absent
    rules.staff_source(at(MONDAY, "07:42"), "an", "phone", True)
    rules.desk_reading(at(MONDAY, "07:45"), "desk-1", True)
    rules.desk_reading(at(MONDAY, "09:00"), "desk-1", False)
    rules.desk_reading(at(MONDAY, "09:30"), "desk-1", True)
    rules.desk_reading(at(MONDAY, "16:30"), "desk-1", None)
    rules.staff_source(at(MONDAY, "16:30"), "an", "phone", False)
    # Wednesday: An early; Bình absent in the morning, on leave in the afternoon
    rules.staff_source(at(WEDNESDAY, "07:10"), "an", "phone", True)
    rules.desk_reading(at(WEDNESDAY, "07:15"), "desk-1", True)
    rules.add_leave(
        at(WEDNESDAY, "11:00"),
        "binh",
        at(WEDNESDAY, "13:30"),
        at(WEDNESDAY, "17:00"),
        LeaveKind.LEAVE,
        "Việc gia đình",
    )
    rules.advance(at(WEDNESDAY, "17:30"))

    source = _source(rules)
    period = Period(PeriodKind.RANGE, MONDAY, WEDNESDAY)
    report = build_report(source, period, generated=at(WEDNESDAY, "17:30"))
    an, binh = report.rows[0], report.rows[1]
    assert an.staff.id == "an"
    assert (an.late, an.early, an.absent, an.days_worked, an.unattended_minutes) == (
        1,
        1,
        0,
        2.0,
        30,
    )
    assert an.violations == 3
    assert (binh.absent, binh.leave_days, binh.days_worked, binh.violations) == (3, 0.5, 0.0, 3)
    assert report.office.working_days == 4.0  # Monday and Wednesday for two people
    assert report.office.unobserved_sessions == 0
    assert [day.present for day in report.by_day] == [1, 0, 1]
    assert [day.on_leave for day in report.by_day] == [0, 0, 1]
    assert report.by_day[1].info.holiday_name == "Ngày Văn hóa Việt Nam"

    summary = daily_summary(source, MONDAY, generated=at(WEDNESDAY, "17:30"))
    assert summary["late"] == [{"name": "Nguyễn Văn An", "time": "07:42", "minutes": 12}]
    assert summary["early"] == [{"name": "Nguyễn Văn An", "time": "16:30", "minutes": 30}]
    assert summary["absent"] == [{"name": "Trần Thị Bình", "sessions": "cả ngày"}]
    assert summary["desks"] == [{"name": "Quầy 1", "minutes": 30}]

    # a leader accepts Bình's reason for Monday morning: it leaves the counts, not the list
    monday_morning = next(
        v.id
        for v in rules.ledger
        if v.staff == "binh" and v.start == at(MONDAY, "07:30") and v.type.value == "absence"
    )
    rules.dismiss(at(WEDNESDAY, "17:40"), monday_morning, "Ốm, có giấy xác nhận", "chu-tich")
    report = build_report(_source(rules), period, generated=at(WEDNESDAY, "17:45"))
    binh = report.rows[1]
    assert (binh.absent, binh.absent_excused, binh.violations) == (2, 1, 2)
    assert any(line.status == "Đã bỏ qua: Ốm, có giấy xác nhận" for line in report.violations)
