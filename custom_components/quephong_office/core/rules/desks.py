"""Unattended desks.

A desk is unattended when it has been empty for longer than the grace during working
sessions: the empty clock only runs inside a session (the lunch break and after-hours pause
it), and it does not run while the desk's assigned staff member is excused (on leave, or not
yet arrived this session: late arrival or absence is reported instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from custom_components.quephong_office.core.calendar import CalendarState

from .violations import EventKind, RuleEvent, Violation, ViolationType


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskSpec:
    """A desk: its zone id, name and the staff member assigned to it (if any)."""

    id: str
    name: str
    staff: str | None = None


class DeskRule:
    """The unattended-desk rule and the day's figures of one desk."""

    def __init__(self, spec: DeskSpec, grace_minutes: int) -> None:
        """Unknown occupancy until the first reading."""
        self.spec = spec
        self.grace = float(grace_minutes * 60)
        self.occupied: bool | None = None
        self.empty_seconds = 0.0  # session seconds of the current empty stretch
        self.empty_since: datetime | None = None
        self.violation: Violation | None = None  # the open unattended episode
        self.day: date | None = None
        self.unattended_seconds = 0.0  # today
        self.staffed_seconds = 0.0  # today, session time with the desk occupied
        self.observed_seconds = 0.0  # today, session time with a known occupancy

    @property
    def unattended(self) -> bool:
        """True during an unattended episode."""
        return self.violation is not None

    @property
    def staffed_share(self) -> float | None:
        """Share of today's observed session time the desk was occupied (None before any)."""
        if self.observed_seconds <= 0:
            return None
        return self.staffed_seconds / self.observed_seconds

    def new_day(self, day: date) -> None:
        """Reset the day's figures; an episode left open at night is closed."""
        self.day = day
        self.unattended_seconds = self.staffed_seconds = self.observed_seconds = 0.0
        self.empty_seconds = 0.0
        self.empty_since = None
        if self.violation is not None:
            self.violation.ongoing = False
            self.violation = None

    def advance(self, t0: datetime, t1: datetime, cal: CalendarState, excused: bool) -> None:
        """Account for [t0, t1), during which nothing changed."""
        if not cal.is_working_time or self.occupied is None:
            return
        seconds = (t1 - t0).total_seconds()
        self.observed_seconds += seconds
        if self.occupied:
            self.staffed_seconds += seconds
            return
        if excused and self.violation is None:
            return
        if self.empty_since is None:
            self.empty_since = t0
        self.empty_seconds += seconds
        if self.violation is not None:
            self.unattended_seconds += seconds
            self.violation.duration += seconds

    def deadline(self, t: datetime, cal: CalendarState, excused: bool) -> datetime | None:
        """When the grace runs out if nothing changes."""
        if self.violation is not None or excused or self.occupied is not False:
            return None
        if not cal.is_working_time:
            return None
        return t + timedelta(seconds=max(0.0, self.grace - self.empty_seconds))

    def fire(
        self, t: datetime, cal: CalendarState, excused: bool, new_id: Callable[[], str]
    ) -> list[RuleEvent]:
        """Open an unattended episode once the grace has run out; forget excused emptiness."""
        if self.violation is not None or self.occupied is not False:
            return []
        if excused:
            self.empty_seconds = 0.0
            self.empty_since = None
            return []
        if not cal.is_working_time or self.empty_seconds < self.grace - 1e-6:
            return []
        start = self.empty_since or t
        self.unattended_seconds += self.empty_seconds
        self.violation = Violation(
            id=new_id(),
            type=ViolationType.UNATTENDED_DESK,
            start=start,
            detected=t,
            duration=self.empty_seconds,
            desk=self.spec.id,
            staff=self.spec.staff,
            session=cal.state.value,
            ongoing=True,
        )
        return [
            RuleEvent(
                kind=EventKind.VIOLATION,
                at=t,
                desk=self.spec.id,
                staff=self.spec.staff,
                violation=self.violation,
            )
        ]

    def set_occupied(self, t: datetime, occupied: bool | None) -> list[RuleEvent]:
        """A new reading; an unattended episode ends when somebody sits down."""
        if occupied == self.occupied:
            return []
        self.occupied = occupied
        if not occupied:
            return []
        self.empty_seconds = 0.0
        self.empty_since = None
        if self.violation is None:
            return []
        ended, self.violation = self.violation, None
        ended.ongoing = False
        return [
            RuleEvent(
                kind=EventKind.DESK_STAFFED,
                at=t,
                desk=self.spec.id,
                staff=self.spec.staff,
                violation=ended,
                data={"unattended_minutes": round(ended.duration / 60, 1)},
            )
        ]

    def to_dict(self) -> dict[str, Any]:
        """Stored form (the open violation is stored by id in the ledger)."""
        return {
            "occupied": self.occupied,
            "empty_seconds": self.empty_seconds,
            "empty_since": self.empty_since.isoformat() if self.empty_since else None,
            "violation": self.violation.id if self.violation else None,
            "day": self.day.isoformat() if self.day else None,
            "unattended_seconds": self.unattended_seconds,
            "staffed_seconds": self.staffed_seconds,
            "observed_seconds": self.observed_seconds,
        }

    def restore(self, data: dict[str, Any], violation: Violation | None) -> None:
        """Restore the stored form."""
        self.occupied = data.get("occupied")
        self.empty_seconds = float(data.get("empty_seconds", 0.0))
        since = data.get("empty_since")
        self.empty_since = datetime.fromisoformat(since) if since else None
        self.violation = violation
        day = data.get("day")
        self.day = date.fromisoformat(day) if day else None
        self.unattended_seconds = float(data.get("unattended_seconds", 0.0))
        self.staffed_seconds = float(data.get("staffed_seconds", 0.0))
        self.observed_seconds = float(data.get("observed_seconds", 0.0))
