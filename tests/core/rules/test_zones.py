"""Gatherings in working time and after-hours intrusion."""

from __future__ import annotations

from custom_components.quephong_office.core.rules.engine import OfficeRules

from .conftest import at, kinds, make_rules, violations


def test_gathering_after_five_minutes_survives_a_short_dip(rules: OfficeRules) -> None:
    rules.zone_reading(at(2026, 6, 4, 9, 0), "hallway", 3, True)
    rules.zone_reading(at(2026, 6, 4, 9, 2), "hallway", 2, True)  # one turns away for 30 s
    rules.zone_reading(at(2026, 6, 4, 9, 2, 30), "hallway", 4, True)
    assert violations(rules.advance(at(2026, 6, 4, 9, 4, 59))) == []
    events = rules.advance(at(2026, 6, 4, 9, 10))
    assert violations(events) == [("gathering", "hallway", at(2026, 6, 4, 9, 5))]
    gathering = events[0].violation
    assert gathering is not None
    assert gathering.details == {"people": 4}
    rules.zone_reading(at(2026, 6, 4, 9, 20), "hallway", 1, True)
    events = rules.advance(at(2026, 6, 4, 9, 30))
    assert kinds(events) == [("gathering_ended", "hallway")]
    assert events[0].at == at(2026, 6, 4, 9, 21)
    assert gathering.duration == 20 * 60
    assert not gathering.ongoing


def test_no_gathering_in_the_hall_at_lunch_or_below_the_threshold(rules: OfficeRules) -> None:
    rules.zone_reading(at(2026, 6, 4, 9, 0), "hall", 20, True)  # a meeting in the hall
    rules.zone_reading(at(2026, 6, 4, 9, 0), "hallway", 2, True)
    rules.zone_reading(at(2026, 6, 4, 11, 40), "hallway", 5, True)  # lunch break
    assert violations(rules.advance(at(2026, 6, 4, 13, 29))) == []
    found = violations(rules.advance(at(2026, 6, 4, 13, 40)), "gathering")
    # the crowd still stands there when the afternoon starts: five minutes of session later
    assert found == [("gathering", "hallway", at(2026, 6, 4, 13, 35))]


def test_intrusion_after_hours_and_on_holidays(rules: OfficeRules) -> None:
    # a working day: 06:35 is inside the margin before the morning, no alarm
    assert violations(rules.zone_reading(at(2026, 6, 4, 6, 35), "gate", 1, True)) == []
    rules.zone_reading(at(2026, 6, 4, 6, 40), "gate", 0, False)
    assert not rules.armed(at(2026, 6, 4, 17, 29))
    assert rules.armed(at(2026, 6, 4, 17, 30))
    events = rules.zone_reading(at(2026, 6, 4, 22, 15), "gate", 1, True)
    assert violations(events, "intrusion") == [("intrusion", "gate", at(2026, 6, 4, 22, 15))]
    rules.zone_reading(at(2026, 6, 4, 22, 20), "gate", 0, False)
    rules.zone_reading(at(2026, 6, 4, 22, 23), "gate", 1, True)  # back within five minutes
    rules.zone_reading(at(2026, 6, 4, 22, 24), "gate", 0, False)
    events = rules.advance(at(2026, 6, 4, 23))
    assert kinds(events) == [("intrusion_ended", "gate")]
    assert events[0].at == at(2026, 6, 4, 22, 29)


def test_the_manual_override_disarms(rules: OfficeRules) -> None:
    rules.set_watch_after_hours(at(2026, 6, 4, 18), False)
    assert violations(rules.zone_reading(at(2026, 6, 4, 22), "gate", 1, True)) == []
    events = rules.set_watch_after_hours(at(2026, 6, 4, 22, 5), True)
    assert violations(events, "intrusion") == [("intrusion", "gate", at(2026, 6, 4, 22, 5))]
    events = rules.advance(at(2026, 6, 5, 6, 30))  # disarmed 30 minutes before the morning
    assert kinds(events)[-1] == ("intrusion_ended", "gate")
    assert events[-1].at == at(2026, 6, 5, 6, 30)


def test_holiday_daytime_is_watched() -> None:
    rules = make_rules(at(2026, 9, 2, 0))  # Quốc khánh
    events = rules.zone_reading(at(2026, 9, 2, 10), "gate", 2, True)
    assert violations(events) == [("intrusion", "gate", at(2026, 9, 2, 10))]
