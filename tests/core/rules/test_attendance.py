"""Attendance per session: late arrival, early departure, absence, leave, escalation."""

from __future__ import annotations

import pytest

from custom_components.quephong_office.core.calendar import (
    NGHE_AN,
    CalendarOverride,
    OverrideKind,
    WorkingCalendar,
)
from custom_components.quephong_office.core.rules.attendance import LeaveKind, SessionStatus
from custom_components.quephong_office.core.rules.engine import OfficeRules
from custom_components.quephong_office.core.rules.violations import EventKind, RuleError

from .conftest import at, kinds, make_rules, violations


def test_on_time_late_and_the_grace(rules: OfficeRules) -> None:
    """Summer: the morning starts at 07:00, arrivals up to 07:05 are on time."""
    events = rules.staff_source(at(2026, 6, 4, 7, 5), "an", "phone", True)
    assert kinds(events) == [("arrival", "an")]
    events = rules.staff_source(at(2026, 6, 4, 7, 6), "binh", "phone", True)
    assert violations(events) == [("late_arrival", "binh", at(2026, 6, 4, 7, 6))]
    assert events[-1].violation is not None
    assert events[-1].violation.duration == 6 * 60
    assert events[-1].violation.session == "morning"
    assert rules.staff_status("an", at(2026, 6, 4, 8))["morning"] is SessionStatus.PRESENT
    assert rules.staff_status("binh", at(2026, 6, 4, 8))["morning"] is SessionStatus.LATE
    assert rules.summary(at(2026, 6, 4, 8)).late_today == 1


def test_winter_hours_start_later() -> None:
    """15/10 is the last summer day (07:00), 16/10 the first winter day (07:30)."""
    rules = make_rules(at(2026, 10, 15))
    events = rules.staff_source(at(2026, 10, 15, 7, 20), "an", "phone", True)
    assert violations(events) == [("late_arrival", "an", at(2026, 10, 15, 7, 20))]
    rules.staff_source(at(2026, 10, 15, 18), "an", "phone", False)
    events = rules.staff_source(at(2026, 10, 16, 7, 20), "an", "phone", True)
    assert violations(events) == []


def test_absence_at_the_cut_off_and_nothing_more_that_session(rules: OfficeRules) -> None:
    rules.staff_source(at(2026, 6, 4, 6, 50), "an", "phone", True)
    events = rules.advance(at(2026, 6, 4, 9, 0))
    assert violations(events) == [("absence", "binh", at(2026, 6, 4, 8, 0))]
    # arriving after the cut-off is not also a late arrival
    assert violations(rules.check_in(at(2026, 6, 4, 9, 30), "binh")) == []
    assert rules.staff_status("binh", at(2026, 6, 4, 10))["morning"] is SessionStatus.ABSENT
    # the afternoon is judged separately: Bình checks in again, An has gone home
    rules.check_in(at(2026, 6, 4, 13, 20), "binh")
    rules.staff_source(at(2026, 6, 4, 11, 40), "an", "phone", False)
    events = rules.advance(at(2026, 6, 4, 15, 0))
    assert violations(events) == [("absence", "an", at(2026, 6, 4, 14, 30))]
    summary = rules.summary(at(2026, 6, 4, 15))
    assert (summary.absent_today, summary.late_today) == (2, 0)


def test_presence_through_lunch_arrives_at_the_afternoon_start(rules: OfficeRules) -> None:
    rules.staff_source(at(2026, 6, 4, 6, 55), "an", "phone", True)
    rules.check_in(at(2026, 6, 4, 7, 0), "binh")
    events = rules.advance(at(2026, 6, 4, 15, 0))
    # Bình only checked in once (no source says they are still there): absent in the afternoon
    assert violations(events) == [("absence", "binh", at(2026, 6, 4, 14, 30))]
    record = rules.staff["an"].sessions["afternoon"]
    assert record.arrival == at(2026, 6, 4, 13, 30)


def test_early_departure_is_judged_at_the_session_end(rules: OfficeRules) -> None:
    rules.staff_source(at(2026, 6, 4, 6, 55), "an", "phone", True)
    rules.staff_source(at(2026, 6, 4, 6, 58), "binh", "phone", True)
    rules.staff_source(at(2026, 6, 4, 10, 0), "an", "phone", False)
    rules.staff_source(at(2026, 6, 4, 10, 30), "an", "phone", True)  # back again
    assert violations(rules.staff_source(at(2026, 6, 4, 11, 26), "an", "phone", False)) == []
    events = rules.staff_source(at(2026, 6, 4, 11, 10), "binh", "phone", False)
    events += rules.advance(at(2026, 6, 4, 12, 0))
    assert violations(events) == [("early_departure", "binh", at(2026, 6, 4, 11, 30))]
    assert events[-1].violation is not None
    assert events[-1].violation.start == at(2026, 6, 4, 11, 10)
    assert events[-1].violation.duration == 20 * 60


def test_several_sources_make_one_person(rules: OfficeRules) -> None:
    rules.staff_source(at(2026, 6, 4, 6, 55), "binh", "phone", True)
    rules.staff_source(at(2026, 6, 4, 6, 55), "an", "phone", True)
    assert kinds(rules.staff_source(at(2026, 6, 4, 7, 0), "an", "desk", True)) == []
    assert kinds(rules.staff_source(at(2026, 6, 4, 9, 0), "an", "desk", False)) == []
    assert kinds(rules.staff_source(at(2026, 6, 4, 9, 1), "an", "phone", None)) == [
        ("departure", "an")
    ]


def test_leave_excuses_and_business_trip_shows(rules: OfficeRules) -> None:
    leave, events = rules.add_leave(
        at(2026, 6, 4), "binh", at(2026, 6, 4, 13), at(2026, 6, 6, 0), LeaveKind.BUSINESS_TRIP
    )
    assert events == []
    rules.staff_source(at(2026, 6, 4, 6, 58), "binh", "phone", True)
    rules.staff_source(at(2026, 6, 4, 11, 35), "binh", "phone", False)
    events = rules.advance(at(2026, 6, 5, 18))
    assert violations(events, "absence") == [
        ("absence", "an", at(2026, 6, 4, 14, 30)),
        ("absence", "an", at(2026, 6, 5, 8)),
        ("absence", "an", at(2026, 6, 5, 14, 30)),
    ]
    status = rules.staff_status("binh", at(2026, 6, 5, 18))
    assert status == {
        "morning": SessionStatus.BUSINESS_TRIP,
        "afternoon": SessionStatus.BUSINESS_TRIP,
    }
    assert rules.leave_at("binh", at(2026, 6, 5, 10)) == leave
    rules.remove_leave(at(2026, 6, 5, 18), leave.id)
    assert rules.leave_at("binh", at(2026, 6, 5, 10)) is None


def test_leave_registered_afterwards_dismisses_what_it_covers(rules: OfficeRules) -> None:
    events = rules.advance(at(2026, 6, 4, 9))
    absent = {e.staff: e.violation for e in events if e.violation}
    _leave, events = rules.add_leave(
        at(2026, 6, 4, 9, 30), "an", at(2026, 6, 4, 0), at(2026, 6, 4, 12), LeaveKind.LEAVE, "Ốm"
    )
    assert [e.kind for e in events] == [EventKind.VIOLATION_DISMISSED]
    assert absent["an"] is not None
    assert absent["an"].dismissal is not None
    assert absent["an"].dismissal.reason == "excused: leave"
    assert rules.summary(at(2026, 6, 4, 10)).absent_today == 1  # Bình only


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (at(2026, 6, 4, 12), at(2026, 6, 4, 8), "end_before_start"),
        (at(2026, 6, 5, 0), at(2026, 6, 5, 12), "overlapping_leave"),
    ],
)
def test_bad_leave_changes_nothing(rules: OfficeRules, start, end, code: str) -> None:
    rules.add_leave(at(2026, 6, 1), "an", at(2026, 6, 4), at(2026, 6, 6), LeaveKind.LEAVE)
    with pytest.raises(RuleError) as err:
        rules.add_leave(at(2026, 6, 1), "an", start, end, LeaveKind.LEAVE)
    assert err.value.code == code
    assert len(rules.leaves) == 1


def test_unknown_staff_member(rules: OfficeRules) -> None:
    for call in (
        lambda: rules.check_in(at(2026, 6, 4, 7), "chi"),
        lambda: rules.staff_source(at(2026, 6, 4, 7), "chi", "phone", True),
        lambda: rules.add_leave(
            at(2026, 6, 4), "chi", at(2026, 6, 4), at(2026, 6, 5), LeaveKind.LEAVE
        ),
    ):
        with pytest.raises(RuleError) as err:
            call()
        assert err.value.code == "unknown_staff"


def test_escalation_over_a_rolling_thirty_days_and_dismissal() -> None:
    rules = make_rules(at(2026, 6, 1))
    levels = []
    for day in (1, 2, 3, 4):
        events = rules.staff_source(at(2026, 6, day, 7, 30), "an", "phone", True)
        late = [e.violation for e in events if e.violation]
        levels.append(late[0].escalation if late[0] else None)
        rules.staff_source(at(2026, 6, day, 17, 0), "an", "phone", False)
    assert levels == [1, 2, 3, 3]
    first = next(iter(rules.ledger))
    events = rules.dismiss(at(2026, 6, 5, 9), first.id, "Nhận diện nhầm", "Chủ tịch")
    assert kinds(events) == [("violation_dismissed", "an")]
    assert rules.ledger.repeats("an", at(2026, 6, 5, 10)) == 3
    with pytest.raises(RuleError) as err:
        rules.dismiss(at(2026, 6, 5, 9), first.id, "again", None)
    assert err.value.code == "already_dismissed"
    with pytest.raises(RuleError) as err:
        rules.dismiss(at(2026, 6, 5, 9), "nope", "x", None)
    assert err.value.code == "unknown_violation"
    with pytest.raises(RuleError) as err:
        rules.dismiss(at(2026, 6, 5, 9), list(rules.ledger)[1].id, "  ", None)
    assert err.value.code == "reason_required"
    # a month later the old ones no longer count (An was on leave in between)
    rules.add_leave(
        at(2026, 6, 5, 9), "an", at(2026, 6, 5), at(2026, 7, 15), LeaveKind.LEAVE, "Nghỉ phép năm"
    )
    events = rules.staff_source(at(2026, 7, 15, 7, 30), "an", "phone", True)
    late = [e.violation for e in events if e.violation and e.staff == "an"]
    assert [(v.type.value, v.escalation) for v in late] == [("late_arrival", 1)]


def test_make_up_saturday_and_tet() -> None:
    """Nobody comes: absences fall on Thursday, Friday and the make-up Saturday, none on
    Sunday, none during Tết."""
    calendar = WorkingCalendar(schedule=NGHE_AN).with_override_list(
        [CalendarOverride(day=at(2026, 6, 6).date(), kind=OverrideKind.WORKDAY, name="Làm bù")]
    )
    rules = make_rules(at(2026, 6, 4), calendar)
    found = violations(rules.advance(at(2026, 6, 7, 23)), "absence")
    assert sorted({t.date().day for _t, _s, t in found}) == [4, 5, 6]
    assert len(found) == 12  # two people, two sessions, three days
    rules = make_rules(at(2026, 2, 15, 23))
    assert violations(rules.advance(at(2026, 2, 22, 23))) == []
