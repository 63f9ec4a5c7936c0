"""The office's rules in one object, driven by readings and by the clock.

`OfficeRules` owns a desk rule per desk, an attendance rule per staff member and a watch per
zone. Time only moves through `advance(now)`: the engine walks from the last instant it saw to
`now` in segments cut at every session boundary, midnight and rule deadline, so an event
fires at the exact instant it is due even when the caller looks late (after a restart, or in
a time-travel test). Every input first advances to its time, then applies the reading.
Everything it knows round-trips through `to_dict`/`restore`, so a restart fires nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4

from custom_components.quephong_office.core.calendar import CalendarState, WorkingCalendar

from .attendance import Leave, LeaveKind, SessionStatus, StaffRule, StaffSpec, check_leave
from .desks import DeskRule, DeskSpec
from .settings import RuleSettings
from .violations import EventKind, RuleError, RuleEvent, Violation, ViolationLedger, ViolationType
from .zones import ZoneWatch, ZoneWatchSpec

#: After-hours watch starts this long after the last session and ends this long before the first.
ARM_MARGIN = timedelta(minutes=30)
#: Attendance summaries kept per staff member (days).
HISTORY_DAYS = 400
#: A gap longer than this between two instants (Home Assistant was down) forgets readings.
STALE_AFTER = timedelta(minutes=15)


def _new_id() -> str:
    return uuid4().hex[:12]


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficeSummary:
    """Today's figures for the office's sensors."""

    late_today: int
    absent_today: int
    on_leave_today: int
    unattended_desks: int
    violations_this_month: int


class OfficeRules:
    """Every rule of one office; pure, time passed in."""

    def __init__(
        self,
        calendar: WorkingCalendar,
        settings: RuleSettings,
        *,
        desks: Iterable[DeskSpec] = (),
        staff: Iterable[StaffSpec] = (),
        zones: Iterable[ZoneWatchSpec] = (),
        new_id: Callable[[], str] = _new_id,
    ) -> None:
        """Rules for the office's desks, staff and watched zones."""
        self.calendar = calendar
        self.settings = settings
        self.new_id = new_id
        self.desks = {d.id: DeskRule(d, settings.desk_grace) for d in desks}
        self.staff = {s.id: StaffRule(s, settings) for s in staff}
        self.zones = {
            z.id: ZoneWatch(z, settings.gathering_people, settings.gathering_minutes) for z in zones
        }
        self.ledger = ViolationLedger()
        self.names: dict[str, str] = {s.id: s.name for s in staff}
        self.leaves: dict[str, Leave] = {}
        self.history: dict[str, dict[str, dict[str, Any]]] = {}
        self.watch_after_hours = True
        self.last: datetime | None = None
        self.day: date | None = None

    # --- the clock ----------------------------------------------------------------------

    def advance(self, now: datetime) -> list[RuleEvent]:
        """Walk the rules forward to `now`, firing what falls due on the way."""
        if self.last is None:
            self.last = now
            self._new_day(now)
            self._unwatched_until(now)
        elif now < self.last:
            return []  # the clock went back: nothing new is due
        events: list[RuleEvent] = []
        t = self.last
        while True:
            if t.date() != self.day:
                self._new_day(t)
            cal = self.calendar.state_at(t)
            events += self._fire(t, cal)
            if t >= now:
                break
            later = [self.calendar.next_change(t), *self._deadlines(t, cal)]
            nxt = min([now, *(d for d in later if d > t)])
            self._advance_segment(t, nxt, cal)
            t = nxt
        self.last = now
        return events

    def next_deadline(self, now: datetime) -> datetime:
        """The next instant at which `advance` would fire something without new readings."""
        cal = self.calendar.state_at(now)
        later = [self.calendar.next_change(now), *self._deadlines(now, cal)]
        return min(d for d in later if d > now)

    def armed(self, t: datetime) -> bool:
        """True while zones watched after hours raise intrusions."""
        if not self.watch_after_hours:
            return False
        info = self.calendar.day_info(t.date())
        if not info.working:
            return True
        first = datetime.combine(t.date(), info.sessions[0].start, t.tzinfo) - ARM_MARGIN
        last = datetime.combine(t.date(), info.sessions[-1].end, t.tzinfo) + ARM_MARGIN
        return not first <= t < last

    def _arm_changes(self, t: datetime) -> list[datetime]:
        info = self.calendar.day_info(t.date())
        if not info.working:
            return []
        first = datetime.combine(t.date(), info.sessions[0].start, t.tzinfo) - ARM_MARGIN
        last = datetime.combine(t.date(), info.sessions[-1].end, t.tzinfo) + ARM_MARGIN
        return [first, last]

    def _deadlines(self, t: datetime, cal: CalendarState) -> list[datetime]:
        out = self._arm_changes(t)
        for desk in self.desks.values():
            deadline = desk.deadline(t, cal, self._desk_excused(desk, t, cal))
            if deadline is not None:
                out.append(deadline)
        for person in self.staff.values():
            deadline = person.deadline(t, cal)
            if deadline is not None:
                out.append(deadline)
        for zone in self.zones.values():
            out.extend(zone.deadline(cal))
        return out

    def _advance_segment(self, t0: datetime, t1: datetime, cal: CalendarState) -> None:
        for desk in self.desks.values():
            desk.advance(t0, t1, cal, self._desk_excused(desk, t0, cal))
        for zone in self.zones.values():
            zone.advance(t0, t1)

    def _fire(self, t: datetime, cal: CalendarState) -> list[RuleEvent]:
        events: list[RuleEvent] = []
        for person in self.staff.values():
            events += person.fire(t, cal, self._leave_between(person.spec.id), self.new_id)
        for desk in self.desks.values():
            events += desk.fire(t, cal, self._desk_excused(desk, t, cal), self.new_id)
        armed = self.armed(t)
        for zone in self.zones.values():
            events += zone.fire(t, cal, armed, self.new_id)
        return self._file(events)

    def _file(self, events: list[RuleEvent]) -> list[RuleEvent]:
        """Put new violations in the ledger (with their escalation level)."""
        for event in events:
            violation = event.violation
            if violation is not None and self.ledger.get(violation.id) is None:
                self.ledger.add(violation)
        return events

    def _new_day(self, t: datetime) -> None:
        day = t.date()
        for person in self.staff.values():
            summary = person.new_day(day)
            if summary is not None and summary["day"]:
                days = self.history.setdefault(person.spec.id, {})
                days[summary["day"]] = summary
                for old in sorted(days)[:-HISTORY_DAYS]:
                    del days[old]
        for desk in self.desks.values():
            desk.new_day(day)
        self.day = day
        self.ledger.prune(t)

    def _unwatched_until(self, t: datetime) -> None:
        cal = self.calendar.state_at(t)
        for person in self.staff.values():
            person.unwatched_until(t, cal)

    def _forget_readings(self, now: datetime) -> None:
        """After a long gap nothing read before it can be trusted."""
        for desk in self.desks.values():
            desk.set_occupied(now, None)
        for zone in self.zones.values():
            zone.set_reading(now, None, None)

    # --- who is excused ------------------------------------------------------------------

    def _leave_between(self, staff: str) -> Callable[[datetime, datetime], Leave | None]:
        def _find(start: datetime, end: datetime) -> Leave | None:
            return next(
                (lv for lv in self.leaves.values() if lv.staff == staff and lv.covers(start, end)),
                None,
            )

        return _find

    def leave_at(self, staff: str, t: datetime) -> Leave | None:
        """The registered leave of a staff member at `t`."""
        return self._leave_between(staff)(t, t + timedelta(microseconds=1))

    def _desk_excused(self, desk: DeskRule, t: datetime, cal: CalendarState) -> bool:
        staff = desk.spec.staff
        if staff is None or staff not in self.staff:
            return False
        return self.staff[staff].excused(cal, self.leave_at(staff, t))

    # --- inputs --------------------------------------------------------------------------

    def desk_reading(self, now: datetime, desk_id: str, occupied: bool | None) -> list[RuleEvent]:
        """A desk's occupancy (None: unknown, the camera is down)."""
        events = self.advance(now)
        desk = self.desks.get(desk_id)
        if desk is None:
            return events
        events += desk.set_occupied(now, occupied)
        return events + self._fire(now, self.calendar.state_at(now))

    def zone_reading(
        self, now: datetime, zone_id: str, count: int | None, occupied: bool | None
    ) -> list[RuleEvent]:
        """A zone's people count and occupancy (None: unknown)."""
        events = self.advance(now)
        zone = self.zones.get(zone_id)
        if zone is None:
            return events
        zone.set_reading(now, count, occupied)
        return events + self._fire(now, self.calendar.state_at(now))

    def _person(self, staff_id: str) -> StaffRule:
        person = self.staff.get(staff_id)
        if person is None:
            raise RuleError("unknown_staff", "staff")
        return person

    def staff_source(
        self, now: datetime, staff_id: str, source: str, present: bool | None
    ) -> list[RuleEvent]:
        """One presence source of a staff member changed (None: the source is unknown)."""
        events = self.advance(now)
        person = self._person(staff_id)
        cal = self.calendar.state_at(now)
        events += self._file(
            person.set_source(now, cal, source, present, self.leave_at(staff_id, now), self.new_id)
        )
        return events + self._fire(now, cal)

    def check_in(self, now: datetime, staff_id: str, source: str = "manual") -> list[RuleEvent]:
        """A momentary arrival: a manual check-in or a face match."""
        person = self._person(staff_id)
        events = self.advance(now)
        cal = self.calendar.state_at(now)
        events += self._file(
            person.arrive(now, cal, source, self.leave_at(staff_id, now), self.new_id)
        )
        return events + self._fire(now, cal)

    def add_leave(
        self,
        now: datetime,
        staff_id: str,
        start: datetime,
        end: datetime,
        kind: LeaveKind,
        reason: str = "",
        by: str | None = None,
    ) -> tuple[Leave, list[RuleEvent]]:
        """Register leave or a business trip; violations it covers are dismissed as excused."""
        self._person(staff_id)
        leave = Leave(
            id=self.new_id(), staff=staff_id, start=start, end=end, kind=kind, reason=reason
        )
        check_leave(leave, list(self.leaves.values()))
        events = self.advance(now)
        self.leaves[leave.id] = leave
        for violation in self.ledger.counted():
            if (
                violation.staff == staff_id
                and violation.type is not ViolationType.UNATTENDED_DESK
                and leave.covers(violation.start, violation.start + timedelta(seconds=1))
            ):
                events += self.dismiss(now, violation.id, f"excused: {kind.value}", by)
        return leave, events + self._fire(now, self.calendar.state_at(now))

    def remove_leave(self, now: datetime, leave_id: str) -> list[RuleEvent]:
        """Withdraw a registered leave."""
        if leave_id not in self.leaves:
            raise RuleError("unknown_leave", "leave_id")
        events = self.advance(now)
        del self.leaves[leave_id]
        return events + self._fire(now, self.calendar.state_at(now))

    def dismiss(
        self, now: datetime, violation_id: str, reason: str, by: str | None
    ) -> list[RuleEvent]:
        """A leader dismisses a violation (wrong detection, excused afterwards)."""
        violation = self.ledger.dismiss(violation_id, now, reason, by)
        return [
            RuleEvent(
                kind=EventKind.VIOLATION_DISMISSED,
                at=now,
                desk=violation.desk,
                staff=violation.staff,
                zone=violation.zone,
                violation=violation,
                data={"reason": violation.dismissal.reason if violation.dismissal else reason},
            )
        ]

    def set_watch_after_hours(self, now: datetime, on: bool) -> list[RuleEvent]:
        """The manual override of the after-hours watch."""
        events = self.advance(now)
        self.watch_after_hours = on
        return events + self._fire(now, self.calendar.state_at(now))

    # --- figures ---------------------------------------------------------------------------

    def staff_status(self, staff_id: str, now: datetime) -> dict[str, SessionStatus]:
        """Each session of today: how the staff member stands."""
        person = self._person(staff_id)
        cal = self.calendar.state_at(now)
        return {s.key.value: person.status(s.key.value, cal, now) for s in cal.day.sessions}

    def summary(self, now: datetime) -> OfficeSummary:
        """Today's office figures (dismissed violations left out)."""
        today = now.date()
        counted = self.ledger.counted()
        today_v = [v for v in counted if v.start.date() == today]
        late = {v.staff for v in today_v if v.type is ViolationType.LATE_ARRIVAL}
        absent = {v.staff for v in today_v if v.type is ViolationType.ABSENCE}
        day_start = datetime.combine(today, datetime.min.time(), now.tzinfo)
        on_leave = {
            lv.staff
            for lv in self.leaves.values()
            if lv.covers(day_start, day_start + timedelta(days=1))
        }
        month = [v for v in counted if (v.start.year, v.start.month) == (now.year, now.month)]
        return OfficeSummary(
            late_today=len(late),
            absent_today=len(absent),
            on_leave_today=len(on_leave),
            unattended_desks=sum(1 for d in self.desks.values() if d.unattended),
            violations_this_month=len(month),
        )

    # --- removed staff members -------------------------------------------------------------

    def orphaned_staff(self) -> dict[str, str]:
        """Staff members removed from the office whose records are still kept: id -> name."""
        ids = {v.staff for v in self.ledger if v.staff} | set(self.history)
        return {i: self.names.get(i, i) for i in sorted(ids - set(self.staff))}

    def records_of(self, staff_id: str) -> int:
        """How many violations and day records are kept for a staff member."""
        return sum(1 for v in self.ledger if v.staff == staff_id) + len(
            self.history.get(staff_id, {})
        )

    def purge_staff(self, staff_id: str) -> int:
        """Forget a removed staff member's violations and attendance; return how many went."""
        if staff_id in self.staff:
            raise RuleError("staff_still_registered", "staff")
        count = self.records_of(staff_id)
        self.ledger.forget_staff(staff_id)
        self.history.pop(staff_id, None)
        self.names.pop(staff_id, None)
        return count

    # --- persistence -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to resume after a restart."""
        return {
            "last": self.last.isoformat() if self.last else None,
            "day": self.day.isoformat() if self.day else None,
            "watch_after_hours": self.watch_after_hours,
            "violations": [v.to_dict() for v in self.ledger],
            "leaves": [lv.to_dict() for lv in self.leaves.values()],
            "desks": {k: d.to_dict() for k, d in self.desks.items()},
            "staff": {k: s.to_dict() for k, s in self.staff.items()},
            "zones": {k: z.to_dict() for k, z in self.zones.items()},
            "history": self.history,
            "names": self.names,
        }

    def restore(self, data: dict[str, Any], now: datetime) -> None:
        """Resume from `to_dict` output (desks, staff or zones that no longer exist are dropped).

        Readings are trusted across a short gap (a restart): the rules then resume as if
        nothing changed while they were down. After a longer gap they are forgotten and the
        downtime counts for nothing.
        """
        self.last = datetime.fromisoformat(data["last"]) if data.get("last") else None
        self.day = date.fromisoformat(data["day"]) if data.get("day") else None
        self.watch_after_hours = bool(data.get("watch_after_hours", True))
        self.ledger = ViolationLedger(Violation.from_dict(v) for v in data.get("violations", []))
        self.leaves = {
            lv["id"]: Leave.from_dict(lv)
            for lv in data.get("leaves", [])
            if lv.get("staff") in self.staff
        }
        for key, stored in data.get("desks", {}).items():
            if key in self.desks:
                open_id = stored.get("violation")
                self.desks[key].restore(stored, self.ledger.get(open_id) if open_id else None)
        for key, stored in data.get("staff", {}).items():
            if key in self.staff:
                self.staff[key].restore(stored)
        for key, stored in data.get("zones", {}).items():
            if key in self.zones:
                g, i = stored.get("gathering"), stored.get("intrusion")
                self.zones[key].restore(
                    stored,
                    self.ledger.get(g) if g else None,
                    self.ledger.get(i) if i else None,
                )
        self.history = {k: dict(v) for k, v in data.get("history", {}).items()}
        self.names = {**data.get("names", {}), **{k: s.spec.name for k, s in self.staff.items()}}
        if self.last is not None and now - self.last > STALE_AFTER:
            self._forget_readings(self.last)
            for person in self.staff.values():
                person.sources.clear()
            self.last = now
            if now.date() != self.day:
                self._new_day(now)
            self._unwatched_until(now)
