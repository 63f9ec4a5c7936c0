"""Discipline figures of a period: per staff member, per department, per day, and the violations.

The records come in as the rules keep them: a day summary per staff member and day (sessions
with arrival, departure, leave and whether anybody watched), and the violations with their
dismissals. Late arrivals, early departures and absences are counted from the violations, so a
leader's dismissal takes one out; attendance (days worked, leave, business trips) comes from
the day summaries. Violations and days are indexed once per report, whatever its length.

Who is in a report: the staff members listed in the source. Violations of removed staff (named
in `names`) and violations tied to nobody (a desk without an assigned person, a gathering, an
intrusion) are listed with the period's violations and counted in the office's figures per day,
but belong to no staff member's row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from custom_components.quephong_office.core.calendar import DayInfo, WorkingCalendar
from custom_components.quephong_office.core.rules.violations import Violation, ViolationType

from .ordering import name_key, vietnamese_key
from .period import Period, PeriodKind
from .wording import DEFAULT_SIGNING, TYPE_LABELS, dismissal_reason

#: A session (morning or afternoon) is half a working day.
SESSION_DAYS = 0.5
#: The document number printed when none is given: the clerk writes it in by hand.
BLANK_NUMBER = "   /BC-UBND"


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffLine:
    """A staff member as reports show them."""

    id: str
    name: str
    position: str = ""
    department: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportSource:
    """Everything a report is made from: the office, its staff and their records."""

    office: str
    parent_unit: str | None
    place: str
    unit_code: str
    staff: Sequence[StaffLine]
    days: Mapping[str, Mapping[str, Mapping[str, Any]]]
    violations: Sequence[Violation]
    calendar: WorkingCalendar
    names: Mapping[str, str] = field(default_factory=dict)
    desks: Mapping[str, str] = field(default_factory=dict)
    zones: Mapping[str, str] = field(default_factory=dict)
    #: who signs its reports (a key of wording.SIGNINGS) and their name, if set
    signing: str = DEFAULT_SIGNING
    signer: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Figures:
    """Discipline figures over a period.

    Days are working days (a session is half a day); late arrivals, early departures, absences
    and violations are occurrences (lượt); unattended desks are minutes.
    """

    working_days: float = 0.0
    days_worked: float = 0.0
    late: int = 0
    early: int = 0
    absent: int = 0
    absent_excused: int = 0
    leave_days: float = 0.0
    business_trip_days: float = 0.0
    unattended_minutes: int = 0
    violations: int = 0
    unobserved_sessions: int = 0


#: The figures that add up over staff members, in the order reports show them.
FIGURE_FIELDS = tuple(f.name for f in fields(Figures))
#: The figures counted in days (with halves); the others are whole numbers.
DAY_FIELDS = frozenset({"working_days", "days_worked", "leave_days", "business_trip_days"})


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffFigures(Figures):
    """One staff member's figures over a period."""

    staff: StaffLine


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals(Figures):
    """Figures added up over staff members (`staff`: how many people)."""

    staff: int = 0

    @classmethod
    def of(cls, rows: Iterable[StaffFigures]) -> Totals:
        """The sum of staff members' figures."""
        rows = list(rows)
        sums = {name: sum(getattr(row, name) for row in rows) for name in FIGURE_FIELDS}
        return cls(staff=len(rows), **_figure_values(sums))


def _figure_values(tally: Mapping[str, float]) -> dict[str, Any]:
    """Figures from a running tally: days rounded to hundredths, the rest whole numbers."""
    return {
        name: round(float(tally[name]), 2) if name in DAY_FIELDS else int(tally[name])
        for name in FIGURE_FIELDS
    }


#: The figures of Totals that a trend compares.
TOTAL_FIELDS = tuple(f.name for f in fields(Totals))


@dataclass(frozen=True, slots=True, kw_only=True)
class DayFigures:
    """The office on one day: counts of violations (lượt) and of people.

    `late`, `early` and `absent` count the listed staff members' violations; `violations` and
    `unattended_minutes` count every violation of the day in the report (desks without an
    assigned person, gatherings and intrusions included).
    """

    day: date
    info: DayInfo
    late: int = 0
    early: int = 0
    absent: int = 0
    on_leave: int = 0
    present: int = 0
    unattended_minutes: int = 0
    violations: int = 0

    def counts(self) -> dict[str, float]:
        """The day's counts for long-term statistics."""
        return {
            "late": float(self.late),
            "early": float(self.early),
            "absent": float(self.absent),
            "on_leave": float(self.on_leave),
            "unattended_minutes": float(self.unattended_minutes),
            "violations": float(self.violations),
            "present": float(self.present),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ViolationLine:
    """A violation as reports list it (`end`: its start plus its duration)."""

    id: str
    type: ViolationType
    type_label: str
    start: datetime
    minutes: int
    who: str
    where: str
    dismissed: bool
    reason: str
    link: str | None
    end: datetime | None = None
    staff: str | None = None
    session: str | None = None

    @property
    def at(self) -> datetime:
        """When it happened as people say it: a late arrival's arrival, otherwise the start."""
        if self.type is ViolationType.LATE_ARRIVAL and self.end is not None:
            return self.end
        return self.start

    @property
    def who_where(self) -> str:
        """Who, and where when that says more: "Nguyễn Văn An – Quầy 1"."""
        if not self.where or self.where == self.who:
            return self.who
        return f"{self.who} – {self.where}"

    @property
    def status(self) -> str:
        """The status as listed: "Tính" (counted) or "Đã bỏ qua: <reason>" (dismissed)."""
        if not self.dismissed:
            return "Tính"
        return f"Đã bỏ qua: {self.reason}" if self.reason else "Đã bỏ qua"


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """A discipline report of one office over a period, compared with the period before."""

    office_name: str
    parent_unit: str | None
    place: str
    unit_code: str
    period: Period
    previous: Period
    generated: datetime
    number: str
    rows: list[StaffFigures]
    departments: dict[str, Totals]
    office: Totals
    office_previous: Totals
    trend: dict[str, float | None]
    violations: list[ViolationLine]
    by_day: list[DayFigures]
    other_violations: int = 0
    other_unattended_minutes: int = 0
    signing: str = DEFAULT_SIGNING
    signer: str = ""

    def groups(self) -> list[tuple[str, Totals, list[StaffFigures]]]:
        """The rows by department, in order: department, its totals, its staff members."""
        members: dict[str, list[StaffFigures]] = {}
        for row in self.rows:
            members.setdefault(row.staff.department, []).append(row)
        return [(name, self.departments[name], rows) for name, rows in members.items()]


def minutes_of(violation: Violation) -> int:
    """A violation's duration in whole minutes (half a minute rounds up)."""
    return int(violation.duration / 60 + 0.5)


class _Records:
    """A source's violations indexed by date, restricted to who the report is about."""

    def __init__(self, source: ReportSource, first: date, last: date) -> None:
        self.source = source
        self.listed = {line.id: line for line in source.staff}
        self.by_date: dict[date, list[Violation]] = defaultdict(list)
        for violation in source.violations:
            day = violation.start.date()
            if first <= day <= last and self.in_scope(violation):
                self.by_date[day].append(violation)
        for items in self.by_date.values():
            items.sort(key=lambda v: v.start)

    def in_scope(self, violation: Violation) -> bool:
        """A violation of a listed or removed staff member, or of nobody."""
        staff = violation.staff
        return staff is None or staff in self.listed or staff in self.source.names

    def of(self, period: Period) -> list[Violation]:
        """The period's violations in order of start."""
        return [v for day in period.days() for v in self.by_date.get(day, ())]


@dataclass(slots=True)
class _Tally:
    """A period's figures: rows (unsorted), days, and what belongs to no listed person."""

    rows: list[StaffFigures]
    days: list[DayFigures]
    other_violations: int
    other_unattended_minutes: int
    has_records: bool


def _new_tally(working_days: float) -> dict[str, float]:
    """A staff member's figures before anything is counted."""
    return dict.fromkeys(FIGURE_FIELDS, 0) | {"working_days": working_days}


def _day_share(info: DayInfo, now: datetime | None) -> float:
    """A working day counts 1, a day of one session 0.5, as far as its sessions had ended by `now`.

    A report of the month so far counts the working days so far, not the whole month's.
    """
    sessions = info.sessions if now is None else _due_sessions(info, now)
    return min(len(sessions), 2) * SESSION_DAYS


def _due_sessions(info: DayInfo, now: datetime | None) -> tuple[str, ...]:
    """The sessions of a day that had ended by `now` (none without `now`)."""
    if now is None or info.day > now.date():
        return ()
    if info.day < now.date():
        return tuple(session.key.value for session in info.sessions)
    ended = now.timetz().replace(tzinfo=None)
    return tuple(session.key.value for session in info.sessions if session.end <= ended)


def _tally(records: _Records, period: Period, now: datetime | None) -> _Tally:
    """Add up a period: the day summaries per person and day, then the violations once."""
    source = records.source
    infos = [source.calendar.day_info(day) for day in period.days()]
    working_days = sum(_day_share(info, now) for info in infos)
    counts = {line.id: _new_tally(working_days) for line in source.staff}
    days, has_records = _attendance(source, infos, counts, now)
    other_violations = other_unattended = 0
    for index, day in enumerate(days):
        items = records.by_date.get(day.day, ())
        if items:
            has_records = True
            days[index], others, minutes = _day_violations(day, items, counts)
            other_violations += others
            other_unattended += minutes
    rows = [StaffFigures(staff=line, **_figure_values(counts[line.id])) for line in source.staff]
    return _Tally(rows, days, other_violations, other_unattended, has_records)


def _attendance(
    source: ReportSource,
    infos: list[DayInfo],
    counts: dict[str, dict[str, float]],
    now: datetime | None,
) -> tuple[list[DayFigures], bool]:
    """Days worked, leave, business trips and unobserved sessions from the day summaries.

    Each session is half a day. It counts as worked with an arrival or on a business trip, as
    leave when excused for leave without an arrival, and as unobserved when nobody watched it
    (or, before `now`, when there is no record of it at all). Returns each day with its people
    present and on leave, and whether there was any day summary at all.
    """
    keys = [info.day.isoformat() for info in infos]
    due = [_due_sessions(info, now) for info in infos]
    on_leave = [0] * len(infos)
    present = [0] * len(infos)
    found = False
    for line in source.staff:
        person = counts[line.id]
        history = source.days.get(line.id, {})
        for index, key in enumerate(keys):
            summary = history.get(key)
            sessions: Mapping[str, Mapping[str, Any]] = (
                summary.get("sessions", {}) if summary else {}
            )
            if not sessions:
                person["unobserved_sessions"] += len(due[index])
                continue
            person["unobserved_sessions"] += sum(1 for name in due[index] if name not in sessions)
            found = True
            came = away = False
            for record in sessions.values():
                excused = record.get("excused")
                if record.get("arrival"):
                    came = True
                    person["days_worked"] += SESSION_DAYS
                elif excused == "business_trip":
                    person["days_worked"] += SESSION_DAYS
                elif excused == "leave":
                    away = True
                    person["leave_days"] += SESSION_DAYS
                elif not record.get("judged", True):
                    person["unobserved_sessions"] += 1
                if excused == "business_trip":
                    person["business_trip_days"] += SESSION_DAYS
            present[index] += came
            on_leave[index] += away
    days = [
        DayFigures(day=info.day, info=info, on_leave=on_leave[i], present=present[i])
        for i, info in enumerate(infos)
    ]
    return days, found


def _day_violations(
    day: DayFigures, items: Iterable[Violation], counts: dict[str, dict[str, float]]
) -> tuple[DayFigures, int, int]:
    """Count a day's violations into the staff members' figures and the day's.

    Returns the day's figures, and the violations and unattended minutes of nobody listed.
    """
    late = early = absent = unattended = total = others = other_minutes = 0
    for violation in items:
        person = counts.get(violation.staff or "")
        kind = violation.type
        if violation.dismissal is not None:
            if person is not None and kind is ViolationType.ABSENCE:
                person["absent_excused"] += 1
            continue
        total += 1
        minutes = minutes_of(violation) if kind is ViolationType.UNATTENDED_DESK else 0
        unattended += minutes
        if person is None:
            others += 1
            other_minutes += minutes
            continue
        person["violations"] += 1
        person["unattended_minutes"] += minutes
        if kind is ViolationType.LATE_ARRIVAL:
            person["late"] += 1
            late += 1
        elif kind is ViolationType.EARLY_DEPARTURE:
            person["early"] += 1
            early += 1
        elif kind is ViolationType.ABSENCE:
            person["absent"] += 1
            absent += 1
    figures = DayFigures(
        day=day.day,
        info=day.info,
        late=late,
        early=early,
        absent=absent,
        on_leave=day.on_leave,
        present=day.present,
        unattended_minutes=unattended,
        violations=total,
    )
    return figures, others, other_minutes


def _row_key(row: StaffFigures) -> tuple[bool, Any, Any]:
    """Departments in alphabetical order (staff without one last), then names."""
    department = row.staff.department
    return department == "", vietnamese_key(department), name_key(row.staff.name)


def _line(
    records: _Records, violation: Violation, link_for: Callable[[Violation], str | None]
) -> ViolationLine:
    """How a violation is listed: who, where, whether it counts and its evidence link."""
    source = records.source
    place = ""
    if violation.desk is not None:
        place = source.desks.get(violation.desk, violation.desk)
    elif violation.zone is not None:
        place = source.zones.get(violation.zone, violation.zone)
    staff = violation.staff
    listed = records.listed.get(staff or "")
    if listed is not None:
        who = listed.name
    elif staff is not None:
        who = source.names.get(staff, staff)
    else:
        who = place or "—"
    dismissal = violation.dismissal
    return ViolationLine(
        id=violation.id,
        type=violation.type,
        type_label=TYPE_LABELS[violation.type],
        start=violation.start,
        minutes=minutes_of(violation),
        who=who,
        where=place,
        dismissed=dismissal is not None,
        reason=dismissal_reason(dismissal.reason) if dismissal is not None else "",
        link=link_for(violation),
        end=violation.start + timedelta(seconds=violation.duration),
        staff=staff,
        session=violation.session,
    )


def build_report(
    source: ReportSource,
    period: Period,
    *,
    generated: datetime,
    link_for: Callable[[Violation], str | None] = lambda v: None,
    number: str | None = None,
) -> Report:
    """The report of a period, with the period before it for comparison."""
    previous = period.previous()
    records = _Records(source, previous.start, period.end)
    current = _tally(records, period, generated)
    before = _tally(records, previous, generated)
    rows = sorted(current.rows, key=_row_key)
    departments: dict[str, list[StaffFigures]] = {}
    for row in rows:
        departments.setdefault(row.staff.department, []).append(row)
    office = Totals.of(rows)
    office_previous = Totals.of(before.rows)
    trend: dict[str, float | None] = {
        name: (
            round(getattr(office, name) - getattr(office_previous, name), 2)
            if before.has_records
            else None
        )
        for name in TOTAL_FIELDS
    }
    return Report(
        office_name=source.office,
        parent_unit=source.parent_unit,
        place=source.place,
        unit_code=source.unit_code,
        period=period,
        previous=previous,
        generated=generated,
        number=number or BLANK_NUMBER,
        rows=rows,
        departments={name: Totals.of(group) for name, group in departments.items()},
        office=office,
        office_previous=office_previous,
        trend=trend,
        violations=[_line(records, v, link_for) for v in records.of(period)],
        by_day=current.days,
        other_violations=current.other_violations,
        other_unattended_minutes=current.other_unattended_minutes,
        signing=source.signing,
        signer=source.signer,
    )


def daily_counts(source: ReportSource, day: date) -> dict[str, float]:
    """One day's office counts, for long-term statistics.

    late, early, absent (listed staff's violations), on_leave and present (people),
    unattended_minutes and violations (every counted violation of the day).
    """
    period = Period(PeriodKind.DAY, day, day)
    return _tally(_Records(source, day, day), period, None).days[0].counts()
