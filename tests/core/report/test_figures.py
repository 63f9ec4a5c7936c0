"""Figures of a period: per staff member, department, office and day; the violations listed."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest

from custom_components.quephong_office.core.calendar import (
    NGHE_AN,
    DayInfo,
    Session,
    SessionState,
    WorkingCalendar,
)
from custom_components.quephong_office.core.report.figures import (
    BLANK_NUMBER,
    FIGURE_FIELDS,
    TOTAL_FIELDS,
    ReportSource,
    StaffLine,
    Totals,
    build_report,
    daily_counts,
)
from custom_components.quephong_office.core.report.period import Period, PeriodKind, period_for
from custom_components.quephong_office.core.rules.violations import Violation, ViolationType

from .conftest import (
    FRIDAY,
    MONDAY,
    STAFF,
    VN,
    at,
    day_summary,
    evidence_link,
    make_source,
    office_violations,
    violation,
)

EVENING = at(MONDAY, "18:00")


def _day(day: date) -> Period:
    return period_for(PeriodKind.DAY, day)


def _figures(row: object) -> dict[str, float]:
    return {name: getattr(row, name) for name in FIGURE_FIELDS}


def test_a_monday_person_by_person(source: ReportSource) -> None:
    report = build_report(source, _day(MONDAY), generated=EVENING)
    rows = {row.staff.id: _figures(row) for row in report.rows}
    base = dict.fromkeys(FIGURE_FIELDS, 0) | {"working_days": 1.0}
    assert rows["an"] == base | {
        "days_worked": 1.0,
        "late": 1,
        "unattended_minutes": 25,  # 25 min 20 s
        "violations": 2,
    }
    assert rows["binh"] == base | {"absent": 1, "leave_days": 0.5, "violations": 1}
    assert rows["cuong"] == base | {"days_worked": 1.0, "early": 1, "violations": 1}
    assert rows["dung"] == base | {"days_worked": 1.0, "business_trip_days": 1.0}


def test_office_and_departments_add_up(source: ReportSource) -> None:
    report = build_report(source, _day(MONDAY), generated=EVENING)
    assert report.office == Totals(
        staff=4,
        working_days=4.0,
        days_worked=3.0,
        late=1,
        early=1,
        absent=1,
        absent_excused=0,
        leave_days=0.5,
        business_trip_days=1.0,
        unattended_minutes=25,
        violations=4,
        unobserved_sessions=0,
    )
    assert list(report.departments) == ["Tư pháp - Hộ tịch", "Văn phòng", ""]
    assert report.departments["Văn phòng"].staff == 2
    assert report.departments["Văn phòng"].violations == 2
    for name in FIGURE_FIELDS:
        assert sum(getattr(t, name) for t in report.departments.values()) == pytest.approx(
            getattr(report.office, name)
        )
    # what belongs to nobody listed: desk 2 (13 min) and the gate; the gathering was dismissed
    assert (report.other_violations, report.other_unattended_minutes) == (2, 13)


def test_the_day_itself(source: ReportSource) -> None:
    report = build_report(source, _day(MONDAY), generated=EVENING)
    (day,) = report.by_day
    assert day.counts() == {
        "late": 1.0,
        "early": 1.0,
        "absent": 1.0,
        "on_leave": 1.0,
        "unattended_minutes": 38.0,
        "violations": 6.0,
        "present": 2.0,
    }
    assert day.info.working
    assert daily_counts(source, MONDAY) == day.counts()


def test_rows_by_department_then_given_name(source: ReportSource) -> None:
    report = build_report(source, _day(MONDAY), generated=EVENING)
    assert [row.staff.name for row in report.rows] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ]
    groups = report.groups()
    assert [(name, totals.staff, len(rows)) for name, totals, rows in groups] == [
        ("Tư pháp - Hộ tịch", 1, 1),
        ("Văn phòng", 2, 2),
        ("", 1, 1),
    ]


def test_violations_are_listed_in_order_with_who_where_and_links(source: ReportSource) -> None:
    report = build_report(source, _day(MONDAY), generated=EVENING, link_for=evidence_link)
    lines = [(v.id, v.type_label, v.who, v.where, v.minutes) for v in report.violations]
    assert lines == [
        ("v-late-an", "Đi muộn", "Nguyễn Văn An", "Quầy 1", 12),
        ("v-absent-binh", "Vắng mặt không lý do", "Trần Thị Bình", "", 270),
        ("v-desk-1", "Bỏ trống quầy", "Nguyễn Văn An", "Quầy 1", 25),
        ("v-gathering", "Tụ tập", "Hành lang", "Hành lang", 7),
        ("v-desk-2", "Bỏ trống quầy", "Quầy 2", "Quầy 2", 13),
        ("v-early-cuong", "Về sớm", "Lê Văn Cường", "", 30),
        ("v-gate", "Xâm nhập ngoài giờ", "Cổng chính", "Cổng chính", 5),
    ]
    by_id = {v.id: v for v in report.violations}
    late = by_id["v-late-an"]
    assert late.at == at(MONDAY, "07:42")  # the arrival, not the session start
    assert late.start == at(MONDAY, "07:30")
    assert late.who_where == "Nguyễn Văn An – Quầy 1"
    assert late.link == "https://ha.example/media/v-late-an"
    assert (late.status, late.dismissed, late.staff, late.session) == (
        "Tính",
        False,
        "an",
        "morning",
    )
    gathering = by_id["v-gathering"]
    assert gathering.dismissed
    assert gathering.status == "Đã bỏ qua: Họp giao ban đột xuất"
    assert gathering.who_where == "Hành lang"
    assert by_id["v-early-cuong"].at == at(MONDAY, "16:30")
    assert by_id["v-absent-binh"].link is None


def test_dismissals_and_unwatched_sessions(source: ReportSource) -> None:
    report = build_report(source, _day(FRIDAY), generated=EVENING)
    rows = {row.staff.id: row for row in report.rows}
    assert (rows["binh"].absent, rows["binh"].absent_excused, rows["binh"].days_worked) == (
        0,
        1,
        0.5,
    )
    assert rows["binh"].violations == 0
    assert (rows["cuong"].unobserved_sessions, rows["cuong"].days_worked) == (1, 0.5)
    assert (rows["dung"].late, rows["dung"].days_worked) == (1, 1.0)
    assert report.by_day[0].violations == 1  # the dismissed absence does not count
    assert report.by_day[0].present == 4
    assert [v.status for v in report.violations] == [
        "Đã bỏ qua: Ốm, có giấy xác nhận",
        "Tính",
    ]


def test_a_reason_given_by_the_rules_is_translated() -> None:
    excused = violation(
        "v1",
        ViolationType.ABSENCE,
        at(MONDAY, "07:30"),
        staff="binh",
        session="morning",
        dismissed="excused: leave",
    )
    report = build_report(make_source(violations=[excused]), _day(MONDAY), generated=EVENING)
    assert report.violations[0].status == "Đã bỏ qua: nghỉ phép đã đăng ký"


def test_the_month_against_october(source: ReportSource) -> None:
    report = build_report(source, period_for("month", MONDAY), generated=EVENING)
    assert report.previous == Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
    office, before = report.office, report.office_previous
    assert (office.late, office.absent, office.violations) == (2, 1, 5)
    assert (before.late, before.absent, before.violations) == (2, 1, 3)
    # the month so far: 16 working days up to Monday 23/11 evening × 4 people (the month has 20)
    assert office.working_days == 64
    assert before.working_days == 88
    assert report.trend["violations"] == 2
    assert report.trend["late"] == 0
    assert report.trend["staff"] == 0
    assert report.trend["working_days"] == -24
    assert set(report.trend) == set(TOTAL_FIELDS)
    # sessions up to Monday evening without any record count as unobserved (16 days, 32
    # sessions each, less the ones on record), plus Cường's unwatched Friday morning
    assert office.unobserved_sessions == 4 * 28 + 1
    assert before.unobserved_sessions == 40 + 42 + 44 + 44
    assert [d.day for d in report.by_day] == period_for("month", MONDAY).days()
    holiday = report.by_day[23]
    assert (holiday.day, holiday.info.holiday_name) == (date(2026, 11, 24), "Ngày Văn hóa Việt Nam")


def test_no_comparison_without_records_before(source: ReportSource) -> None:
    report = build_report(source, _day(MONDAY), generated=EVENING)
    assert report.previous == _day(date(2026, 11, 22))
    assert report.trend == dict.fromkeys(TOTAL_FIELDS)


def test_a_violation_alone_is_a_record_to_compare_with() -> None:
    only = [violation("v1", ViolationType.INTRUSION, at(date(2026, 11, 22), "23:00"), zone="gate")]
    report = build_report(make_source(days={}, violations=only), _day(MONDAY), generated=EVENING)
    assert report.trend["violations"] == 0
    assert report.office_previous.violations == 0


def test_today_counts_only_the_sessions_that_ended() -> None:
    source = make_source(staff=[StaffLine(id="new", name="Hà Văn Mới")], days={}, violations=[])
    period = _day(MONDAY)
    assert (
        build_report(source, period, generated=at(MONDAY, "10:00")).office.unobserved_sessions == 0
    )
    assert (
        build_report(source, period, generated=at(MONDAY, "12:30")).office.unobserved_sessions == 1
    )
    assert build_report(source, period, generated=EVENING).office.unobserved_sessions == 2
    later = build_report(source, period, generated=at(MONDAY + timedelta(days=1), "08:00"))
    assert later.office.unobserved_sessions == 2
    earlier = build_report(source, period, generated=at(MONDAY - timedelta(days=1), "20:00"))
    assert earlier.office.unobserved_sessions == 0


def test_removed_staff_are_listed_by_name_but_have_no_row() -> None:
    staff = [line for line in STAFF if line.id != "cuong"]
    source = make_source(staff=staff, names={"cuong": "Lê Văn Cường"})
    report = build_report(source, _day(MONDAY), generated=EVENING)
    assert "cuong" not in {row.staff.id for row in report.rows}
    early = next(v for v in report.violations if v.id == "v-early-cuong")
    assert early.who == "Lê Văn Cường"
    assert report.other_violations == 3
    assert report.by_day[0].violations == 6
    assert report.by_day[0].early == 0  # only listed staff's attendance is counted per day


def test_people_neither_listed_nor_removed_are_left_out() -> None:
    """A department's report: the others' violations are not its business."""
    staff = [line for line in STAFF if line.department == "Văn phòng"]
    report = build_report(make_source(staff=staff), _day(MONDAY), generated=EVENING)
    assert [row.staff.id for row in report.rows] == ["binh", "cuong"]
    ids = {v.id for v in report.violations}
    assert "v-late-an" not in ids
    assert "v-desk-1" not in ids
    assert {"v-absent-binh", "v-early-cuong", "v-desk-2", "v-gate"} <= ids
    assert report.other_violations == 2
    assert report.by_day[0].violations == 4


def test_a_removed_person_without_a_name_is_shown_by_id() -> None:
    source = make_source(staff=STAFF[:1], names={"ghost": "ghost"})
    ghost = violation("v1", ViolationType.LATE_ARRIVAL, at(MONDAY, "07:30"), staff="ghost")
    source = dataclasses.replace(source, violations=[ghost], names={"ghost": "Lò Văn Ma"})
    report = build_report(source, _day(MONDAY), generated=EVENING)
    assert report.violations[0].who == "Lò Văn Ma"


def test_a_violation_counts_on_its_own_date() -> None:
    """The start's date in its own time zone decides the day."""
    utc = ZoneInfo("UTC")
    late_night = datetime(2026, 11, 22, 17, 30, tzinfo=utc)  # 00:30 on 23/11 in Vietnam
    items = [violation("v1", ViolationType.INTRUSION, late_night, zone="gate")]
    source = make_source(days={}, violations=items)
    assert build_report(source, _day(MONDAY), generated=EVENING).violations == []
    sunday = build_report(source, _day(date(2026, 11, 22)), generated=EVENING)
    assert [v.id for v in sunday.violations] == ["v1"]
    assert daily_counts(source, date(2026, 11, 22))["violations"] == 1


class _CountingList(list[Violation]):
    """A list that counts how often it is walked through."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.walks += 1
        return super().__iter__()


def test_violations_are_read_once_per_report() -> None:
    items = _CountingList(office_violations())
    source = make_source(violations=items)
    report = build_report(source, period_for("month", MONDAY), generated=EVENING)
    assert report.office.violations == 5
    assert items.walks == 1


def test_daily_counts_are_the_reports_days(source: ReportSource) -> None:
    period = period_for("month", MONDAY)
    report = build_report(source, period, generated=EVENING)
    assert [daily_counts(source, day.day) for day in report.by_day] == [
        day.counts() for day in report.by_day
    ]
    counted = [v for v in report.violations if not v.dismissed]
    assert sum(day.violations for day in report.by_day) == len(counted)
    assert len(counted) == report.office.violations + report.other_violations


def test_the_document_number() -> None:
    source = make_source()
    assert build_report(source, _day(MONDAY), generated=EVENING).number == BLANK_NUMBER
    numbered = build_report(source, _day(MONDAY), generated=EVENING, number="125/BC-UBND")
    assert numbered.number == "125/BC-UBND"
    assert (numbered.office_name, numbered.parent_unit, numbered.place, numbered.unit_code) == (
        "UBND xã Quế Phong",
        "UBND tỉnh Nghệ An",
        "Quế Phong",
        "17011",
    )


class _HalfSaturdays(WorkingCalendar):
    """Saturdays are worked in the morning only."""

    def day_info(self, day: date) -> DayInfo:
        if day.weekday() == 5:
            morning = Session(key=SessionState.MORNING, start=clock(7, 30), end=clock(11, 30))
            return DayInfo(day=day, working=True, holiday_name=None, sessions=(morning,))
        return super().day_info(day)


def test_a_half_day_and_a_day_the_calendar_no_longer_works() -> None:
    saturday, sunday = date(2026, 11, 21), date(2026, 11, 22)
    days = {
        "an": {
            saturday.isoformat(): day_summary(saturday, ("07:20", "11:30")),
            sunday.isoformat(): day_summary(sunday, ("07:20", "11:30"), ("13:30", "17:00")),
        }
    }
    source = dataclasses.replace(
        make_source(staff=STAFF[:1], days=days, violations=[]),
        calendar=_HalfSaturdays(schedule=NGHE_AN),
    )
    period = Period(PeriodKind.RANGE, saturday, sunday)
    (row,) = build_report(source, period, generated=EVENING).rows
    assert row.working_days == 0.5
    assert row.days_worked == 1.5  # the half Saturday, and the Sunday on record


def test_an_arrival_on_leave_counts_as_work_not_leave() -> None:
    summary = day_summary(MONDAY, ("07:25", "12:00"), "leave")
    summary["sessions"]["morning"]["excused"] = "leave"
    source = make_source(staff=STAFF[:1], days={"an": {MONDAY.isoformat(): summary}}, violations=[])
    (row,) = build_report(source, _day(MONDAY), generated=EVENING).rows
    assert (row.days_worked, row.leave_days) == (0.5, 0.5)
    assert build_report(source, _day(MONDAY), generated=EVENING).by_day[0].on_leave == 1


def test_an_empty_office() -> None:
    source = make_source(staff=[], days={}, violations=[])
    report = build_report(source, _day(MONDAY), generated=EVENING)
    assert report.rows == []
    assert report.departments == {}
    assert report.office == Totals(staff=0, **dict.fromkeys(FIGURE_FIELDS, 0))
    assert report.violations == []


def test_the_generated_time_is_kept() -> None:
    moment = datetime(2026, 11, 23, 17, 45, tzinfo=VN)
    report = build_report(make_source(), _day(MONDAY), generated=moment)
    assert report.generated == moment
