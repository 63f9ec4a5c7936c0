"""Gatherings and after-hours intrusion, per analysed zone.

Gathering: at least N people in a zone for at least T minutes during a working session
(a count that dips below N for less than a minute does not break it; zones that are meeting
rooms are not watched). Intrusion: somebody in a zone watched after hours (gate, parking)
while the office is armed; the episode ends when the zone has been empty for five minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from custom_components.quephong_office.core.calendar import CalendarState

from .violations import EventKind, RuleEvent, Violation, ViolationType

#: A count below the threshold for less than this does not end a gathering.
GATHERING_TOLERANCE = timedelta(seconds=60)
#: An intrusion ends after the zone has been empty this long.
INTRUSION_CLEAR = timedelta(minutes=5)


@dataclass(frozen=True, slots=True, kw_only=True)
class ZoneWatchSpec:
    """Which rules watch a zone."""

    id: str
    name: str
    gatherings: bool = False
    after_hours: bool = False


class ZoneWatch:
    """Gathering and intrusion state of one zone."""

    def __init__(self, spec: ZoneWatchSpec, people: int, minutes: int) -> None:
        """Thresholds: `people` for `minutes`."""
        self.spec = spec
        self.people = people
        self.hold = timedelta(minutes=minutes)
        self.count: int | None = None
        self.occupied: bool | None = None
        self.crowd_since: datetime | None = None
        self.thin_since: datetime | None = None
        self.gathering: Violation | None = None
        self.intrusion: Violation | None = None
        self.clear_since: datetime | None = None

    @property
    def someone(self) -> bool:
        """True while the zone holds at least one person."""
        return bool(self.occupied) or (self.count or 0) > 0

    @property
    def crowded(self) -> bool:
        """True while the count reaches the gathering threshold."""
        return self.count is not None and self.count >= self.people

    def set_reading(self, t: datetime, count: int | None, occupied: bool | None) -> None:
        """A new reading of the zone (the engine calls `fire` right after)."""
        self.count, self.occupied = count, occupied
        if self.crowded:
            self.thin_since = None
        elif self.crowd_since is not None and self.thin_since is None:
            self.thin_since = t
        if self.someone:
            self.clear_since = None
        elif self.intrusion is not None and self.clear_since is None:
            self.clear_since = t

    def advance(self, t0: datetime, t1: datetime) -> None:
        """Grow the open violations' durations over [t0, t1)."""
        seconds = (t1 - t0).total_seconds()
        if self.gathering is not None and self.thin_since is None:
            self.gathering.duration += seconds
        if self.intrusion is not None and self.clear_since is None:
            self.intrusion.duration += seconds

    def deadline(self, cal: CalendarState) -> list[datetime]:
        """When something may change if no reading arrives."""
        out: list[datetime] = []
        if self.spec.gatherings and cal.is_working_time and self.crowd_since is not None:
            if self.thin_since is not None:
                out.append(self.thin_since + GATHERING_TOLERANCE)
            elif self.gathering is None:
                out.append(self.crowd_since + self.hold)
        if self.intrusion is not None and self.clear_since is not None:
            out.append(self.clear_since + INTRUSION_CLEAR)
        return out

    def fire(
        self, t: datetime, cal: CalendarState, armed: bool, new_id: Callable[[], str]
    ) -> list[RuleEvent]:
        """Open or close gathering and intrusion episodes as of `t`."""
        events: list[RuleEvent] = []
        watching = self.spec.gatherings and cal.is_working_time
        if not watching or (
            self.thin_since is not None and t - self.thin_since >= GATHERING_TOLERANCE
        ):
            if self.gathering is not None:
                ended, self.gathering = self.gathering, None
                ended.ongoing = False
                events.append(
                    RuleEvent(
                        kind=EventKind.GATHERING_ENDED, at=t, zone=self.spec.id, violation=ended
                    )
                )
            self.crowd_since = self.thin_since = None
        if watching and self.crowded and self.crowd_since is None:
            self.crowd_since = t
        if (
            watching
            and self.gathering is None
            and self.crowd_since is not None
            and self.thin_since is None
            and t - self.crowd_since >= self.hold
        ):
            self.gathering = self._open(
                events, ViolationType.GATHERING, t, self.crowd_since, cal, new_id
            )
        if self.intrusion is not None and (
            not armed or (self.clear_since is not None and t - self.clear_since >= INTRUSION_CLEAR)
        ):
            ended, self.intrusion = self.intrusion, None
            ended.ongoing = False
            self.clear_since = None
            events.append(
                RuleEvent(kind=EventKind.INTRUSION_ENDED, at=t, zone=self.spec.id, violation=ended)
            )
        elif self.spec.after_hours and armed and self.intrusion is None and self.someone:
            self.intrusion = self._open(events, ViolationType.INTRUSION, t, t, cal, new_id)
        return events

    def _open(
        self,
        events: list[RuleEvent],
        kind: ViolationType,
        t: datetime,
        start: datetime,
        cal: CalendarState,
        new_id: Callable[[], str],
    ) -> Violation:
        """Open an ongoing violation of this zone and add it to `events`."""
        violation = Violation(
            id=new_id(),
            type=kind,
            start=start,
            detected=t,
            duration=(t - start).total_seconds(),
            zone=self.spec.id,
            session=cal.state.value,
            ongoing=True,
            details={"people": self.count},
        )
        events.append(
            RuleEvent(kind=EventKind.VIOLATION, at=t, zone=self.spec.id, violation=violation)
        )
        return violation

    def to_dict(self) -> dict[str, Any]:
        """Stored form (open violations by id)."""
        return {
            "crowd_since": self.crowd_since.isoformat() if self.crowd_since else None,
            "thin_since": self.thin_since.isoformat() if self.thin_since else None,
            "clear_since": self.clear_since.isoformat() if self.clear_since else None,
            "gathering": self.gathering.id if self.gathering else None,
            "intrusion": self.intrusion.id if self.intrusion else None,
            "count": self.count,
            "occupied": self.occupied,
        }

    def restore(
        self, data: dict[str, Any], gathering: Violation | None, intrusion: Violation | None
    ) -> None:
        """Restore the stored form."""

        def _dt(key: str) -> datetime | None:
            value = data.get(key)
            return datetime.fromisoformat(value) if value else None

        self.crowd_since = _dt("crowd_since")
        self.thin_since = _dt("thin_since")
        self.clear_since = _dt("clear_since")
        self.gathering, self.intrusion = gathering, intrusion
        self.count = data.get("count")
        self.occupied = data.get("occupied")
