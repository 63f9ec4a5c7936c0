"""Attendance: arrivals, departures, late arrival, early departure and absence per session.

Morning and afternoon are judged separately. A staff member is present while any of their
presence sources says so (their desk, a phone, a door sensor); a check-in or a face match is a
momentary arrival. An arrival belongs to the session whose window holds it (the morning from
midnight, the afternoon from the end of the morning); somebody present when a session starts
arrives at its start. Registered leave or a business trip excuses every session it overlaps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from custom_components.quephong_office.core.calendar import CalendarState, DayInfo, Session

from .settings import RuleSettings
from .violations import EventKind, RuleError, RuleEvent, Violation, ViolationType


class LeaveKind(StrEnum):
    """Why a staff member is away with permission."""

    LEAVE = "leave"  # nghỉ phép
    BUSINESS_TRIP = "business_trip"  # đi công tác


@dataclass(frozen=True, slots=True, kw_only=True)
class Leave:
    """A registered absence with permission, [start, end)."""

    id: str
    staff: str
    start: datetime
    end: datetime
    kind: LeaveKind
    reason: str = ""

    def covers(self, start: datetime, end: datetime) -> bool:
        """True when the leave overlaps [start, end)."""
        return self.start < end and start < self.end

    def to_dict(self) -> dict[str, Any]:
        """Stored form."""
        return {
            "id": self.id,
            "staff": self.staff,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "kind": self.kind.value,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Leave:
        """Restore the stored form."""
        return cls(
            id=data["id"],
            staff=data["staff"],
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            kind=LeaveKind(data["kind"]),
            reason=data.get("reason", ""),
        )


def check_leave(leave: Leave, existing: list[Leave]) -> None:
    """Raise RuleError when a leave ends before it starts or overlaps one of the same person."""
    if leave.end <= leave.start:
        raise RuleError("end_before_start", "end")
    for other in existing:
        if (
            other.staff == leave.staff
            and other.id != leave.id
            and other.covers(leave.start, leave.end)
        ):
            raise RuleError("overlapping_leave", "start")


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffSpec:
    """A staff member as the rules need them: id, name and assigned desk."""

    id: str
    name: str
    desk: str | None = None


class SessionStatus(StrEnum):
    """How a staff member stands in one session."""

    NOT_DUE = "not_due"  # the session has not started, or started within the grace
    UNOBSERVED = "unobserved"  # nobody watched this session from its start
    WAITING = "waiting"  # due, not arrived, not yet absent
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT = "absent"
    ON_LEAVE = "on_leave"
    BUSINESS_TRIP = "business_trip"


@dataclass(slots=True, kw_only=True)
class SessionRecord:
    """One staff member in one session of one day."""

    arrival: datetime | None = None
    departure: datetime | None = None
    excused: LeaveKind | None = None
    late: str | None = None  # violation ids
    early: str | None = None
    absent: str | None = None
    closed: bool = False
    judged: bool = True  # False for a session nobody watched from its start

    def to_dict(self) -> dict[str, Any]:
        """Stored form."""
        return {
            "arrival": self.arrival.isoformat() if self.arrival else None,
            "departure": self.departure.isoformat() if self.departure else None,
            "excused": self.excused.value if self.excused else None,
            "late": self.late,
            "early": self.early,
            "absent": self.absent,
            "closed": self.closed,
            "judged": self.judged,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionRecord:
        """Restore the stored form."""
        return cls(
            arrival=datetime.fromisoformat(data["arrival"]) if data.get("arrival") else None,
            departure=datetime.fromisoformat(data["departure"]) if data.get("departure") else None,
            excused=LeaveKind(data["excused"]) if data.get("excused") else None,
            late=data.get("late"),
            early=data.get("early"),
            absent=data.get("absent"),
            closed=bool(data.get("closed", False)),
            judged=bool(data.get("judged", True)),
        )


def _at(day: date, moment: datetime, session_time: time) -> datetime:
    return datetime.combine(day, session_time, moment.tzinfo)


@dataclass(slots=True)
class StaffRule:
    """Attendance of one staff member today."""

    spec: StaffSpec
    settings: RuleSettings
    sources: dict[str, bool] = field(default_factory=dict)
    day: date | None = None
    sessions: dict[str, SessionRecord] = field(default_factory=dict)

    @property
    def present(self) -> bool:
        """True while any presence source says so."""
        return any(self.sources.values())

    def new_day(self, day: date) -> dict[str, Any] | None:
        """Start a new day; return the finished day's summary (None on the first day)."""
        summary = self.day_summary() if self.day is not None else None
        self.day = day
        self.sessions = {}
        return summary

    def record(self, session: Session) -> SessionRecord:
        """Today's record for a session (created on first use)."""
        return self.sessions.setdefault(session.key.value, SessionRecord())

    @staticmethod
    def window(info: DayInfo, t: datetime) -> Session | None:
        """The session an arrival at `t` belongs to (None after the last session ends)."""
        now = t.timetz().replace(tzinfo=None)
        for session in info.sessions:
            if now < session.end:
                return session
        return None

    def set_source(
        self,
        t: datetime,
        cal: CalendarState,
        source: str,
        present: bool | None,
        leave: Leave | None,
        new_id: Callable[[], str],
    ) -> list[RuleEvent]:
        """A presence source changed; report an arrival or a departure of the person."""
        before = self.present
        if present is None:
            self.sources.pop(source, None)
        else:
            self.sources[source] = present
        after = self.present
        if after and not before:
            return self.arrive(t, cal, source, leave, new_id)
        if before and not after:
            return self.depart(t, cal, source)
        return []

    def arrive(
        self,
        t: datetime,
        cal: CalendarState,
        source: str,
        leave: Leave | None,
        new_id: Callable[[], str],
    ) -> list[RuleEvent]:
        """An arrival (a source turning on, a check-in, a face match)."""
        events = [
            RuleEvent(kind=EventKind.ARRIVAL, at=t, staff=self.spec.id, data={"source": source})
        ]
        session = self.window(cal.day, t)
        if session is None:
            return events
        record = self.record(session)
        if record.arrival is not None:
            return events
        record.arrival = t
        start = _at(cal.day.day, t, session.start)
        due = start + timedelta(minutes=self.settings.late_grace)
        if t > due and leave is None and record.absent is None and record.judged:
            record.late = self._report(
                events, ViolationType.LATE_ARRIVAL, t, start, t, session, new_id
            )
        return events

    def depart(self, t: datetime, cal: CalendarState, source: str) -> list[RuleEvent]:
        """A departure (the last presence source turned off)."""
        now = t.timetz().replace(tzinfo=None)
        for session in cal.day.sessions:
            if session.start <= now < session.end:
                self.record(session).departure = t
        return [
            RuleEvent(kind=EventKind.DEPARTURE, at=t, staff=self.spec.id, data={"source": source})
        ]

    def unwatched_until(self, t: datetime, cal: CalendarState) -> None:
        """Nobody watched before `t`: sessions already started without an arrival go unjudged.

        Such a session raises no absence, late arrival or early departure.
        """
        now = t.timetz().replace(tzinfo=None)
        for session in cal.day.sessions:
            if session.start <= now:
                record = self.record(session)
                if record.arrival is None:
                    record.judged = False

    def excused(self, cal: CalendarState, leave: Leave | None) -> bool:
        """For the desk rule: on leave, or not arrived yet in the current session."""
        if leave is not None:
            return True
        if cal.session is None:
            return False
        record = self.sessions.get(cal.session.key.value)
        return record is None or record.arrival is None

    def deadline(self, t: datetime, cal: CalendarState) -> datetime | None:
        """The absence cut-off of the current session, while nobody has arrived."""
        if cal.session is None:
            return None
        record = self.sessions.get(cal.session.key.value)
        if record is not None and (record.arrival or record.absent or record.excused):
            return None
        start = _at(cal.day.day, t, cal.session.start)
        return start + timedelta(minutes=self.settings.absence_cutoff)

    def fire(
        self,
        t: datetime,
        cal: CalendarState,
        leave_for: Callable[[datetime, datetime], Leave | None],
        new_id: Callable[[], str],
    ) -> list[RuleEvent]:
        """Session starts (carry presence over), absence cut-offs and session ends.

        `leave_for(start, end)` gives the registered leave overlapping a period;
        `new_id()` a fresh violation id.
        """
        events: list[RuleEvent] = []
        now = t.timetz().replace(tzinfo=None)
        for session in cal.day.sessions:
            if now < session.start:
                continue
            record = self.record(session)
            start = _at(cal.day.day, t, session.start)
            end = _at(cal.day.day, t, session.end)
            leave = leave_for(start, end)
            record.excused = leave.kind if leave else None
            if record.closed:
                continue
            if record.arrival is None and self.present:
                record.arrival = start
            cutoff = start + timedelta(minutes=self.settings.absence_cutoff)
            if (
                record.arrival is None
                and t >= cutoff
                and record.absent is None
                and leave is None
                and record.judged
            ):
                record.absent = self._report(
                    events, ViolationType.ABSENCE, t, start, end, session, new_id
                )
            if now >= session.end:
                record.closed = True
                limit = end - timedelta(minutes=self.settings.early_grace)
                if (
                    leave is None
                    and record.judged
                    and record.arrival is not None
                    and not self.present
                    and record.departure is not None
                    and record.departure < limit
                ):
                    record.early = self._report(
                        events,
                        ViolationType.EARLY_DEPARTURE,
                        t,
                        record.departure,
                        end,
                        session,
                        new_id,
                    )
        return events

    def _report(
        self,
        events: list[RuleEvent],
        kind: ViolationType,
        t: datetime,
        start: datetime,
        end: datetime,
        session: Session,
        new_id: Callable[[], str],
    ) -> str:
        """Add a violation of this staff member over [start, end) to `events`; return its id."""
        violation = Violation(
            id=new_id(),
            type=kind,
            start=start,
            detected=t,
            duration=(end - start).total_seconds(),
            staff=self.spec.id,
            desk=self.spec.desk,
            session=session.key.value,
        )
        events.append(
            RuleEvent(kind=EventKind.VIOLATION, at=t, staff=self.spec.id, violation=violation)
        )
        return violation.id

    def status(self, key: str, cal: CalendarState, t: datetime) -> SessionStatus:
        """How the staff member stands in a session of today."""
        record = self.sessions.get(key)
        session = next((s for s in cal.day.sessions if s.key.value == key), None)
        if record is None or session is None:
            return SessionStatus.NOT_DUE
        if record.excused is LeaveKind.LEAVE:
            return SessionStatus.ON_LEAVE
        if record.excused is LeaveKind.BUSINESS_TRIP:
            return SessionStatus.BUSINESS_TRIP
        if record.absent:
            return SessionStatus.ABSENT
        if record.early:
            return SessionStatus.LEFT_EARLY
        if record.late:
            return SessionStatus.LATE
        if record.arrival is not None:
            return SessionStatus.PRESENT
        if not record.judged:
            return SessionStatus.UNOBSERVED
        due = _at(cal.day.day, t, session.start) + timedelta(minutes=self.settings.late_grace)
        return SessionStatus.WAITING if t > due else SessionStatus.NOT_DUE

    def day_summary(self) -> dict[str, Any]:
        """The day combined: first arrival, last departure and what happened per session."""
        arrivals = [r.arrival for r in self.sessions.values() if r.arrival]
        departures = [r.departure for r in self.sessions.values() if r.departure]
        return {
            "day": self.day.isoformat() if self.day else None,
            "first_arrival": min(arrivals).isoformat() if arrivals else None,
            "last_departure": max(departures).isoformat() if departures else None,
            "sessions": {key: record.to_dict() for key, record in self.sessions.items()},
        }

    def to_dict(self) -> dict[str, Any]:
        """Stored form; sources are kept so that a restart does not see a second arrival."""
        return {
            "day": self.day.isoformat() if self.day else None,
            "sessions": {key: record.to_dict() for key, record in self.sessions.items()},
            "sources": dict(self.sources),
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Restore the stored form."""
        self.day = date.fromisoformat(data["day"]) if data.get("day") else None
        self.sessions = {
            key: SessionRecord.from_dict(value) for key, value in data.get("sessions", {}).items()
        }
        self.sources = {str(k): bool(v) for k, v in data.get("sources", {}).items()}
