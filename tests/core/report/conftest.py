"""Records of a small office for report tests, written the way the rules keep them.

Four staff members: An (Tư pháp - Hộ tịch, desk 1), Bình and Cường (Văn phòng) and Dung (no
department). Monday 23/11/2026, winter hours 07:30–12:00 and 13:30–17:00:

- An arrives at 07:42 (late 12 min) and 13:25; desk 1 is unattended 09:10 for 25 min 20 s.
- Bình is absent in the morning and on leave in the afternoon.
- Cường is on time and leaves at 16:30 (early 30 min).
- Dung is on a business trip all day.
- Desk 2 (nobody's) is unattended 14:00 for 12 min 40 s; a gathering in the hallway at 10:00
  was dismissed; somebody is at the gate at 22:15.

Friday 20/11: An on time; Bình's morning absence was dismissed (a reason accepted), she came in
the afternoon; nobody watched Cường's morning, he came in the afternoon; Dung arrived at 13:50
(late 20 min). October: An late twice, Bình absent once (for the comparison).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.quephong_office.core.calendar import NGHE_AN, WorkingCalendar
from custom_components.quephong_office.core.report.figures import (
    Report,
    ReportSource,
    StaffLine,
    build_report,
)
from custom_components.quephong_office.core.report.period import period_for
from custom_components.quephong_office.core.rules.attendance import (
    LeaveKind,
    SessionRecord,
    StaffRule,
    StaffSpec,
)
from custom_components.quephong_office.core.rules.settings import RuleSettings
from custom_components.quephong_office.core.rules.violations import (
    Dismissal,
    Violation,
    ViolationType,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 20)

#: Public holidays as the tests know them, whatever the installed `holidays` package says.
HOLIDAYS = {
    date(2026, 1, 1): "Tết Dương lịch",
    date(2026, 9, 2): "Quốc khánh",
    date(2026, 11, 24): "Ngày Văn hóa Việt Nam",
}


def holidays_of(year: int) -> dict[date, str]:
    """The tests' public holidays of a year."""
    return {day: name for day, name in HOLIDAYS.items() if day.year == year}


def office_calendar() -> WorkingCalendar:
    """Nghệ An hours with the tests' holidays."""
    return WorkingCalendar(schedule=NGHE_AN, holiday_source=holidays_of)


type SessionSpec = tuple[str, str | None] | str | None


def at(day: date, hhmm: str, seconds: int = 0) -> datetime:
    """A local time in Vietnam on `day`."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, seconds, tzinfo=VN)


def _record(day: date, spec: SessionSpec) -> SessionRecord:
    """A session: (arrival, departure), "leave", "trip", "absent" or "unwatched"."""
    if spec == "leave":
        return SessionRecord(excused=LeaveKind.LEAVE, closed=True)
    if spec == "trip":
        return SessionRecord(excused=LeaveKind.BUSINESS_TRIP, closed=True)
    if spec == "unwatched":
        return SessionRecord(judged=False, closed=True)
    if isinstance(spec, tuple):
        arrival, departure = spec
        left = at(day, departure) if departure else None
        return SessionRecord(arrival=at(day, arrival), departure=left, closed=True)
    return SessionRecord(absent="absent", closed=True)


def day_summary(
    day: date, morning: SessionSpec = None, afternoon: SessionSpec = None
) -> dict[str, Any]:
    """A day summary written by the rules themselves (None: no record of that session)."""
    rule = StaffRule(StaffSpec(id="someone", name="Someone"), RuleSettings(), day=day)
    for key, spec in (("morning", morning), ("afternoon", afternoon)):
        if spec is not None:
            rule.sessions[key] = _record(day, spec)
    return rule.day_summary()


def violation(
    vid: str,
    kind: ViolationType,
    start: datetime,
    *,
    seconds: float = 0.0,
    staff: str | None = None,
    desk: str | None = None,
    zone: str | None = None,
    session: str | None = None,
    dismissed: str | None = None,
    evidence: bool = False,
) -> Violation:
    """A violation as the rules file it (dismissed with `dismissed` as the reason)."""
    return Violation(
        id=vid,
        type=kind,
        start=start,
        detected=start + timedelta(seconds=seconds),
        duration=seconds,
        staff=staff,
        desk=desk,
        zone=zone,
        session=session,
        evidence_id=f"ev-{vid}" if evidence else None,
        dismissal=(
            Dismissal(at=start + timedelta(hours=3), reason=dismissed, by="chu-tich")
            if dismissed is not None
            else None
        ),
    )


STAFF = (
    StaffLine(id="an", name="Nguyễn Văn An", position="Công chức", department="Tư pháp - Hộ tịch"),
    StaffLine(id="binh", name="Trần Thị Bình", position="Chuyên viên", department="Văn phòng"),
    StaffLine(id="cuong", name="Lê Văn Cường", position="Chánh Văn phòng", department="Văn phòng"),
    StaffLine(id="dung", name="Phạm Thị Dung", position="Nhân viên"),
)
L = ViolationType


def office_days() -> dict[str, dict[str, dict[str, Any]]]:
    """The day summaries of the scenario."""
    days: dict[str, dict[str, dict[str, Any]]] = {person.id: {} for person in STAFF}

    def put(person: str, summary: dict[str, Any]) -> None:
        days[person][summary["day"]] = summary

    put("an", day_summary(MONDAY, ("07:42", "11:50"), ("13:25", "17:05")))
    put("binh", day_summary(MONDAY, "absent", "leave"))
    put("cuong", day_summary(MONDAY, ("07:20", "12:00"), ("13:20", "16:30")))
    put("dung", day_summary(MONDAY, "trip", "trip"))
    put("an", day_summary(FRIDAY, ("07:25", "12:00"), ("13:28", "17:00")))
    put("binh", day_summary(FRIDAY, "absent", ("13:30", "17:00")))
    put("cuong", day_summary(FRIDAY, "unwatched", ("13:29", "17:00")))
    put("dung", day_summary(FRIDAY, ("07:29", "12:00"), ("13:50", "17:00")))
    for day in (date(2026, 10, 12), date(2026, 10, 13)):
        put("an", day_summary(day, ("07:45", "12:00"), ("13:30", "17:00")))
    put("binh", day_summary(date(2026, 10, 13), "absent", ("13:30", "17:00")))
    return days


def office_violations() -> list[Violation]:
    """The violations of the scenario (not in order: reports sort them)."""
    october = date(2026, 10, 12)
    return [
        violation("v-late-an", L.LATE_ARRIVAL, at(MONDAY, "07:30"), seconds=720, staff="an",
                  desk="desk-1", session="morning", evidence=True),
        violation("v-absent-binh", L.ABSENCE, at(MONDAY, "07:30"), seconds=16200, staff="binh",
                  session="morning"),
        violation("v-early-cuong", L.EARLY_DEPARTURE, at(MONDAY, "16:30"), seconds=1800,
                  staff="cuong", session="afternoon", evidence=True),
        violation("v-desk-1", L.UNATTENDED_DESK, at(MONDAY, "09:10"), seconds=1520, staff="an",
                  desk="desk-1", session="morning", evidence=True),
        violation("v-desk-2", L.UNATTENDED_DESK, at(MONDAY, "14:00"), seconds=760,
                  desk="desk-2", session="afternoon"),
        violation("v-gathering", L.GATHERING, at(MONDAY, "10:00"), seconds=420, zone="hallway",
                  dismissed="Họp giao ban đột xuất", evidence=True),
        violation("v-gate", L.INTRUSION, at(MONDAY, "22:15"), seconds=300, zone="gate",
                  evidence=True),
        violation("v-absent-binh-fri", L.ABSENCE, at(FRIDAY, "07:30"), seconds=16200,
                  staff="binh", session="morning", dismissed="Ốm, có giấy xác nhận"),
        violation("v-late-dung", L.LATE_ARRIVAL, at(FRIDAY, "13:30"), seconds=1200,
                  staff="dung", session="afternoon"),
        violation("v-oct-1", L.LATE_ARRIVAL, at(october, "07:30"), seconds=900, staff="an",
                  session="morning"),
        violation("v-oct-2", L.LATE_ARRIVAL, at(october + timedelta(days=1), "07:30"),
                  seconds=900, staff="an", session="morning"),
        violation("v-oct-3", L.ABSENCE, at(october + timedelta(days=1), "07:30"), seconds=16200,
                  staff="binh", session="morning"),
    ]  # fmt: skip


def make_source(
    *,
    staff: Sequence[StaffLine] = STAFF,
    days: dict[str, dict[str, dict[str, Any]]] | None = None,
    violations: Sequence[Violation] | None = None,
    names: dict[str, str] | None = None,
    parent_unit: str | None = "UBND tỉnh Nghệ An",
) -> ReportSource:
    """The scenario's office as a report source."""
    return ReportSource(
        office="UBND xã Quế Phong",
        parent_unit=parent_unit,
        place="Quế Phong",
        unit_code="17011",
        staff=list(staff),
        days=office_days() if days is None else days,
        violations=office_violations() if violations is None else list(violations),
        calendar=office_calendar(),
        names=names or {},
        desks={"desk-1": "Quầy 1", "desk-2": "Quầy 2"},
        zones={"hallway": "Hành lang", "gate": "Cổng chính"},
    )


def evidence_link(item: Violation) -> str | None:
    """Links as the integration gives them: only for violations with evidence."""
    return f"https://ha.example/media/{item.id}" if item.evidence_id else None


@pytest.fixture
def source() -> ReportSource:
    """The scenario's office."""
    return make_source()


@pytest.fixture
def month_report(source: ReportSource) -> Report:
    """November 2026, made on Monday evening, with evidence links."""
    return build_report(
        source,
        period_for("month", MONDAY),
        generated=at(MONDAY, "18:00"),
        link_for=evidence_link,
    )
