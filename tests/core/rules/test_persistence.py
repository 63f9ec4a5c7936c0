"""A restart in the middle of the day loses nothing and fires nothing twice."""

from __future__ import annotations

import json

import pytest

from custom_components.quephong_office.core.rules.attendance import LeaveKind
from custom_components.quephong_office.core.rules.engine import OfficeRules
from custom_components.quephong_office.core.rules.settings import RuleSettings
from custom_components.quephong_office.core.rules.violations import RuleError

from .conftest import at, make_rules, violations


def _restart(rules: OfficeRules, now) -> OfficeRules:
    stored = json.loads(json.dumps(rules.to_dict()))  # what HA's Store writes
    fresh = make_rules(at(2020, 1, 1), prefix="r")
    fresh.last = None
    fresh.restore(stored, now)
    return fresh


def test_restart_at_ten_resumes_timers_and_repeats_nothing(rules: OfficeRules) -> None:
    before = rules.desk_reading(at(2026, 6, 4, 6, 0), "desk-2", True)
    before += rules.staff_source(at(2026, 6, 4, 7, 12), "an", "phone", True)  # late
    before += rules.desk_reading(at(2026, 6, 4, 7, 12), "desk-1", True)
    before += rules.desk_reading(at(2026, 6, 4, 9, 55), "desk-1", False)
    before += rules.zone_reading(at(2026, 6, 4, 9, 58), "hallway", 3, True)
    before += rules.advance(at(2026, 6, 4, 10, 0))
    assert violations(before) == [
        ("late_arrival", "an", at(2026, 6, 4, 7, 12)),
        ("absence", "binh", at(2026, 6, 4, 8)),
    ]

    again = _restart(rules, at(2026, 6, 4, 10, 2))
    # the same readings come back after the restart: no second arrival, no second violation
    assert again.staff_source(at(2026, 6, 4, 10, 2), "an", "phone", True) == []
    events = again.advance(at(2026, 6, 4, 10, 30))
    assert violations(events) == [
        ("gathering", "hallway", at(2026, 6, 4, 10, 3)),
        ("unattended_desk", "desk-1", at(2026, 6, 4, 10, 5)),
    ]
    assert len(again.ledger) == 4
    assert again.staff_status("an", at(2026, 6, 4, 10, 30))["morning"].value == "late"
    assert again.summary(at(2026, 6, 4, 10, 30)).absent_today == 1


def test_a_long_outage_forgets_readings_and_judges_nothing_it_missed(rules: OfficeRules) -> None:
    rules.desk_reading(at(2026, 6, 4, 6, 0), "desk-2", False)
    rules.staff_source(at(2026, 6, 4, 6, 50), "an", "phone", True)
    again = _restart(rules, at(2026, 6, 4, 9, 0))  # down from 06:50 to 09:00
    events = again.advance(at(2026, 6, 4, 10, 0))
    assert violations(events) == []  # no absence for a morning nobody watched
    assert again.desks["desk-2"].occupied is None
    # An's arrival before the outage stays on record; whether An is still there is not known
    assert again.staff["an"].sessions["morning"].arrival == at(2026, 6, 4, 6, 50)
    assert again.staff["an"].present is False
    assert again.staff_status("binh", at(2026, 6, 4, 10))["morning"].value == "unobserved"


def test_restore_drops_what_was_removed(rules: OfficeRules) -> None:
    rules.add_leave(at(2026, 6, 4), "binh", at(2026, 6, 5), at(2026, 6, 6), LeaveKind.LEAVE)
    stored = rules.to_dict()
    stored["leaves"].append({**stored["leaves"][0], "id": "x", "staff": "gone"})
    stored["desks"]["desk-9"] = stored["desks"]["desk-1"]
    again = make_rules(at(2026, 6, 4))
    again.restore(stored, at(2026, 6, 4, 0, 1))
    assert list(again.leaves) == [next(iter(rules.leaves))]
    assert set(again.desks) == {"desk-1", "desk-2"}
    assert again.to_dict()["leaves"] == rules.to_dict()["leaves"]


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"desk_grace": 0}, "out_of_range", "desk_grace"),
        ({"late_grace": "x"}, "out_of_range", "late_grace"),
        ({"absence_cutoff": 5, "late_grace": 10}, "cutoff_before_late", "absence_cutoff"),
    ],
)
def test_settings_are_checked(data: dict, code: str, field: str) -> None:
    with pytest.raises(RuleError) as err:
        RuleSettings.from_dict(data)
    assert (err.value.code, err.value.field) == (code, field)


def test_settings_round_trip() -> None:
    settings = RuleSettings(desk_grace=15, gathering_people=4)
    assert RuleSettings.from_dict(settings.to_dict()) == settings
    assert RuleSettings.from_dict({}) == RuleSettings()


def test_a_removed_staff_members_records_stay_until_purged(rules: OfficeRules) -> None:
    rules.staff_source(at(2026, 6, 4, 7, 30), "an", "phone", True)  # late
    rules.advance(at(2026, 6, 5, 9))  # Bình absent twice, An absent on Friday morning
    stored = rules.to_dict()
    without_binh = make_rules(at(2026, 6, 5), prefix="w")
    del without_binh.staff["binh"]
    without_binh.restore(stored, at(2026, 6, 5, 9))
    assert without_binh.orphaned_staff() == {"binh": "Trần Thị Bình"}
    assert without_binh.records_of("binh") == 4  # three absences and Thursday's record
    with pytest.raises(RuleError) as err:
        without_binh.purge_staff("an")
    assert err.value.code == "staff_still_registered"
    assert without_binh.purge_staff("binh") == 4
    assert without_binh.orphaned_staff() == {}
    assert {v.staff for v in without_binh.ledger} == {"an"}
    again = make_rules(at(2026, 6, 5), prefix="x")
    del again.staff["binh"]
    again.restore(without_binh.to_dict(), at(2026, 6, 5, 9))
    assert again.orphaned_staff() == {}
