"""Unattended desks over whole days."""

from __future__ import annotations

import pytest

from custom_components.quephong_office.core.rules.attendance import LeaveKind
from custom_components.quephong_office.core.rules.engine import OfficeRules
from custom_components.quephong_office.core.rules.violations import EventKind
from custom_components.quephong_office.core.rules.zones import ZoneWatch, ZoneWatchSpec

from .conftest import at, kinds, make_rules, violations


def test_empty_desk_is_unattended_after_the_grace_and_staffed_again(rules: OfficeRules) -> None:
    """Thursday 4 June 2026 (summer, 07:00): desk-2 has nobody assigned."""
    rules.advance(at(2026, 6, 4, 6, 0))
    rules.desk_reading(at(2026, 6, 4, 6, 30), "desk-2", False)
    assert violations(rules.advance(at(2026, 6, 4, 7, 9, 59))) == []
    events = rules.advance(at(2026, 6, 4, 7, 30))
    assert violations(events) == [("unattended_desk", "desk-2", at(2026, 6, 4, 7, 10))]
    found = events[0].violation
    assert found is not None
    assert found.start == at(2026, 6, 4, 7, 0)
    assert rules.summary(at(2026, 6, 4, 7, 30)).unattended_desks == 1

    events = rules.desk_reading(at(2026, 6, 4, 7, 30), "desk-2", True)
    assert kinds(events) == [("desk_staffed", "desk-2")]
    assert events[0].data == {"unattended_minutes": 30.0}
    desk = rules.desks["desk-2"]
    assert desk.unattended_seconds == 30 * 60
    rules.advance(at(2026, 6, 4, 8, 30))
    assert desk.staffed_share == pytest.approx(60 / 90)
    assert rules.summary(at(2026, 6, 4, 8, 30)).unattended_desks == 0


def test_the_lunch_break_does_not_count(rules: OfficeRules) -> None:
    rules.desk_reading(at(2026, 6, 4, 7, 0), "desk-2", True)
    rules.desk_reading(at(2026, 6, 4, 11, 25), "desk-2", False)
    assert violations(rules.advance(at(2026, 6, 4, 13, 34))) == []
    assert violations(rules.advance(at(2026, 6, 4, 14, 0))) == [
        ("unattended_desk", "desk-2", at(2026, 6, 4, 13, 35))
    ]


def test_a_two_minute_absence_is_not_unattended(rules: OfficeRules) -> None:
    rules.desk_reading(at(2026, 6, 4, 7, 0), "desk-2", True)
    rules.desk_reading(at(2026, 6, 4, 9, 0), "desk-2", False)
    rules.desk_reading(at(2026, 6, 4, 9, 2), "desk-2", True)
    rules.desk_reading(at(2026, 6, 4, 10, 0), "desk-2", False)
    rules.desk_reading(at(2026, 6, 4, 10, 9), "desk-2", True)
    assert violations(rules.advance(at(2026, 6, 4, 11, 0))) == []
    assert rules.desks["desk-2"].unattended_seconds == 0


def test_assigned_staff_not_yet_arrived_excuses_the_desk(rules: OfficeRules) -> None:
    """An is late: the late arrival is reported, not the desk; once An has arrived the
    desk counts again."""
    rules.desk_reading(at(2026, 6, 4, 6, 30), "desk-1", False)
    assert violations(rules.advance(at(2026, 6, 4, 7, 20))) == []
    events = rules.staff_source(at(2026, 6, 4, 7, 20), "an", "desk", True)
    assert violations(events) == [("late_arrival", "an", at(2026, 6, 4, 7, 20))]
    rules.desk_reading(at(2026, 6, 4, 7, 20), "desk-1", True)
    rules.desk_reading(at(2026, 6, 4, 8, 0), "desk-1", False)
    events = rules.advance(at(2026, 6, 4, 8, 30))
    assert violations(events) == [("unattended_desk", "desk-1", at(2026, 6, 4, 8, 10))]
    assert events[0].violation is not None
    assert events[0].violation.staff == "an"


def test_assigned_staff_on_leave_excuses_the_desk(rules: OfficeRules) -> None:
    rules.add_leave(
        at(2026, 6, 3, 12), "an", at(2026, 6, 4, 0), at(2026, 6, 5, 0), LeaveKind.LEAVE, "Ốm"
    )
    rules.desk_reading(at(2026, 6, 4, 6, 30), "desk-1", False)
    assert violations(rules.advance(at(2026, 6, 4, 18, 0)), "unattended_desk") == []
    assert rules.summary(at(2026, 6, 4, 18, 0)).on_leave_today == 1


def test_an_unknown_reading_pauses_the_clock(rules: OfficeRules) -> None:
    rules.desk_reading(at(2026, 6, 4, 7, 0), "desk-2", False)
    rules.desk_reading(at(2026, 6, 4, 7, 5), "desk-2", None)
    assert violations(rules.advance(at(2026, 6, 4, 8, 0)), "unattended_desk") == []
    events = rules.desk_reading(at(2026, 6, 4, 8, 0), "desk-2", False)
    events += rules.advance(at(2026, 6, 4, 8, 10))
    assert violations(events) == [("unattended_desk", "desk-2", at(2026, 6, 4, 8, 5))]


def test_an_episode_open_at_night_is_closed_and_the_day_resets(rules: OfficeRules) -> None:
    rules.desk_reading(at(2026, 6, 4, 16, 0), "desk-2", False)
    events = rules.advance(at(2026, 6, 5, 6, 0))
    assert [e.kind for e in events] == [EventKind.VIOLATION]
    desk = rules.desks["desk-2"]
    assert not desk.unattended
    assert desk.unattended_seconds == 0
    assert events[0].violation is not None
    assert events[0].violation.duration == 60 * 60
    assert not events[0].violation.ongoing
    # the new day starts with an empty desk: a new episode at 07:10
    assert violations(rules.advance(at(2026, 6, 5, 7, 10))) == [
        ("unattended_desk", "desk-2", at(2026, 6, 5, 7, 10))
    ]


def test_holidays_and_weekends_raise_nothing(rules: OfficeRules) -> None:
    rules.desk_reading(at(2026, 2, 16, 6, 0), "desk-2", False)  # Tết eve, a Monday
    assert violations(rules.advance(at(2026, 2, 22, 23, 0))) == []  # through Sunday


def test_two_people_at_one_desk_is_one_staffed_desk() -> None:
    """A staff member and a citizen (then a second citizen) at desk-2: staffed, and a desk
    zone is not watched for gatherings however many stand there."""
    rules = make_rules(at(2026, 6, 4))
    rules.zones["desk-2"] = ZoneWatch(ZoneWatchSpec(id="desk-2", name="Quầy 2"), 3, 5)
    rules.desk_reading(at(2026, 6, 4, 7, 0), "desk-2", True)
    rules.zone_reading(at(2026, 6, 4, 7, 0), "desk-2", 2, True)
    rules.zone_reading(at(2026, 6, 4, 8, 0), "desk-2", 3, True)
    events = rules.advance(at(2026, 6, 4, 11, 0))
    assert violations(events, "gathering") == []
    assert violations(events, "unattended_desk") == []
    assert rules.desks["desk-2"].staffed_share == 1.0
