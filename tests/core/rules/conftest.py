"""A small harness that drives the office rules through whole days."""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from custom_components.quephong_office.core.calendar import NGHE_AN, WorkingCalendar
from custom_components.quephong_office.core.rules.attendance import StaffSpec
from custom_components.quephong_office.core.rules.desks import DeskSpec
from custom_components.quephong_office.core.rules.engine import OfficeRules
from custom_components.quephong_office.core.rules.settings import RuleSettings
from custom_components.quephong_office.core.rules.violations import EventKind, RuleEvent
from custom_components.quephong_office.core.rules.zones import ZoneWatchSpec

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    """A local time in Vietnam."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN)


def make_rules(
    start: datetime,
    calendar: WorkingCalendar | None = None,
    settings: RuleSettings | None = None,
    prefix: str = "v",
) -> OfficeRules:
    """Rules watching from `start` for one office.

    desk-1 is assigned to An, desk-2 to nobody, Bình has no desk; a hallway is watched for
    gatherings, a hall is not, and a gate is watched after hours.
    """
    counter = itertools.count(1)
    rules = OfficeRules(
        calendar or WorkingCalendar(schedule=NGHE_AN),
        settings or RuleSettings(),
        desks=[
            DeskSpec(id="desk-1", name="Quầy 1", staff="an"),
            DeskSpec(id="desk-2", name="Quầy 2"),
        ],
        staff=[
            StaffSpec(id="an", name="Nguyễn Văn An", desk="desk-1"),
            StaffSpec(id="binh", name="Trần Thị Bình"),
        ],
        zones=[
            ZoneWatchSpec(id="hallway", name="Hành lang", gatherings=True),
            ZoneWatchSpec(id="hall", name="Hội trường"),
            ZoneWatchSpec(id="gate", name="Cổng", after_hours=True),
        ],
        new_id=lambda: f"{prefix}{next(counter)}",
    )
    assert rules.advance(start) == []
    return rules


def kinds(events: list[RuleEvent]) -> list[tuple[str, str | None]]:
    """Events as (kind or violation type, staff or desk or zone) pairs."""
    out: list[tuple[str, str | None]] = []
    for event in events:
        name = event.kind.value
        if event.kind is EventKind.VIOLATION and event.violation is not None:
            name = event.violation.type.value
        out.append((name, event.staff or event.desk or event.zone))
    return out


def violations(
    events: list[RuleEvent], only: str | None = None
) -> list[tuple[str, str | None, datetime]]:
    """Violations found (of type `only`, or all): (type, desk or staff or zone, detected at)."""
    return [
        (e.violation.type.value, e.desk or e.staff or e.zone, e.at)
        for e in events
        if e.kind is EventKind.VIOLATION
        and e.violation is not None
        and (only is None or e.violation.type.value == only)
    ]


@pytest.fixture
def rules() -> OfficeRules:
    """The office with the Nghệ An schedule and default settings, from Thursday 4 June 2026."""
    return make_rules(at(2026, 6, 4))
