"""Violations, the events rules emit, and the ledger that counts repeats.

A violation is what a rule found (late arrival, unattended desk, …). The ledger keeps them,
numbers repeats per staff member over a rolling 30 days into an escalation level, and records
dismissals (who, when, why) so a dismissed violation leaves counts and reports but stays on file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from custom_components.quephong_office.core.errors import CodedError

#: Repeats are counted over this window.
ESCALATION_WINDOW = timedelta(days=30)
#: The highest escalation level (3: the leader, with the evidence).
MAX_ESCALATION = 3
#: Violations older than this are dropped from the rules' own store.
KEEP_FOR = timedelta(days=400)


class ViolationType(StrEnum):
    """The rules the office enforces."""

    LATE_ARRIVAL = "late_arrival"
    EARLY_DEPARTURE = "early_departure"
    ABSENCE = "absence"
    UNATTENDED_DESK = "unattended_desk"
    GATHERING = "gathering"
    INTRUSION = "intrusion"


class RuleError(CodedError):
    """Bad input to a rule (unknown staff member, overlapping leave, …); `code` says which."""


@dataclass(slots=True, kw_only=True)
class Dismissal:
    """A leader's decision that a violation does not count."""

    at: datetime
    reason: str
    by: str | None

    def to_dict(self) -> dict[str, Any]:
        """Stored form."""
        return {"at": self.at.isoformat(), "reason": self.reason, "by": self.by}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dismissal:
        """Restore the stored form."""
        return cls(at=datetime.fromisoformat(data["at"]), reason=data["reason"], by=data["by"])


@dataclass(slots=True, kw_only=True)
class Violation:
    """One rule hit. `duration` grows while the situation lasts (an unattended desk)."""

    id: str
    type: ViolationType
    start: datetime
    detected: datetime
    duration: float = 0.0
    staff: str | None = None
    desk: str | None = None
    zone: str | None = None
    session: str | None = None
    escalation: int | None = None
    evidence_id: str | None = None
    ongoing: bool = False
    dismissal: Dismissal | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> bool:
        """False once dismissed."""
        return self.dismissal is None

    def to_dict(self) -> dict[str, Any]:
        """Stored form."""
        return {
            "id": self.id,
            "type": self.type.value,
            "start": self.start.isoformat(),
            "detected": self.detected.isoformat(),
            "duration": round(self.duration, 1),
            "staff": self.staff,
            "desk": self.desk,
            "zone": self.zone,
            "session": self.session,
            "escalation": self.escalation,
            "evidence_id": self.evidence_id,
            "ongoing": self.ongoing,
            "dismissal": self.dismissal.to_dict() if self.dismissal else None,
            "details": self.details,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Violation:
        """Restore the stored form."""
        dismissal = data.get("dismissal")
        return cls(
            id=data["id"],
            type=ViolationType(data["type"]),
            start=datetime.fromisoformat(data["start"]),
            detected=datetime.fromisoformat(data["detected"]),
            duration=float(data.get("duration", 0.0)),
            staff=data.get("staff"),
            desk=data.get("desk"),
            zone=data.get("zone"),
            session=data.get("session"),
            escalation=data.get("escalation"),
            evidence_id=data.get("evidence_id"),
            ongoing=bool(data.get("ongoing", False)),
            dismissal=Dismissal.from_dict(dismissal) if dismissal else None,
            details=dict(data.get("details", {})),
        )


class EventKind(StrEnum):
    """What a rule reports; violations carry a `Violation`, the rest are plain facts."""

    ARRIVAL = "arrival"
    DEPARTURE = "departure"
    DESK_STAFFED = "desk_staffed"
    GATHERING_ENDED = "gathering_ended"
    INTRUSION_ENDED = "intrusion_ended"
    VIOLATION = "violation"
    VIOLATION_DISMISSED = "violation_dismissed"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleEvent:
    """Something a rule reports at `at`, about a desk, a staff member or a zone."""

    kind: EventKind
    at: datetime
    desk: str | None = None
    staff: str | None = None
    zone: str | None = None
    violation: Violation | None = None
    data: dict[str, Any] = field(default_factory=dict)


class ViolationLedger:
    """Every violation the office's rules found, with escalation and dismissals."""

    def __init__(self, violations: Iterable[Violation] = ()) -> None:
        """Start from stored violations."""
        self._items: dict[str, Violation] = {v.id: v for v in violations}

    def __iter__(self) -> Iterator[Violation]:
        """Violations in detection order."""
        return iter(sorted(self._items.values(), key=lambda v: v.detected))

    def __len__(self) -> int:
        """How many are on file (dismissed ones included)."""
        return len(self._items)

    def get(self, violation_id: str) -> Violation | None:
        """A violation by id."""
        return self._items.get(violation_id)

    def add(self, violation: Violation) -> Violation:
        """File a violation; a staff member's violation gets its escalation level."""
        if violation.staff is not None:
            violation.escalation = min(
                MAX_ESCALATION, self.repeats(violation.staff, violation.start) + 1
            )
        self._items[violation.id] = violation
        return violation

    def repeats(self, staff: str, moment: datetime) -> int:
        """Counted violations of a staff member in the 30 days before `moment`."""
        since = moment - ESCALATION_WINDOW
        return sum(
            1
            for v in self._items.values()
            if v.staff == staff and v.counts and since <= v.start <= moment
        )

    def dismiss(self, violation_id: str, at: datetime, reason: str, by: str | None) -> Violation:
        """Take a violation out of counts and reports, keeping it on file with the reason."""
        violation = self._items.get(violation_id)
        if violation is None:
            raise RuleError("unknown_violation", "violation_id")
        if violation.dismissal is not None:
            raise RuleError("already_dismissed", "violation_id")
        if not reason.strip():
            raise RuleError("reason_required", "reason")
        violation.dismissal = Dismissal(at=at, reason=reason.strip(), by=by)
        return violation

    def prune(self, now: datetime) -> None:
        """Forget violations older than KEEP_FOR."""
        cutoff = now - KEEP_FOR
        self._items = {k: v for k, v in self._items.items() if v.start >= cutoff}

    def forget_staff(self, staff: str) -> None:
        """Drop every violation of a staff member (their records are purged)."""
        self._items = {k: v for k, v in self._items.items() if v.staff != staff}

    def counted(self) -> list[Violation]:
        """Violations that were not dismissed, in detection order."""
        return [v for v in self if v.counts]
