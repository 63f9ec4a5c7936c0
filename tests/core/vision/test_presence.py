"""The per-zone decision over time, fed with measurements directly."""

from __future__ import annotations

from custom_components.quephong_office.core.vision.presence import (
    PresenceSettings,
    ZoneMeasure,
    ZonePhase,
    ZonePresence,
)

EMPTY = ZoneMeasure(foreground=0.0, motion=0.0, live_motion=0.0)
STILL = ZoneMeasure(foreground=0.0, motion=0.002, live_motion=0.0)
WALK_IN = ZoneMeasure(foreground=0.4, motion=0.2, live_motion=0.2)
SEATED = ZoneMeasure(foreground=0.4, motion=0.03, live_motion=0.03)
FROZEN = ZoneMeasure(foreground=0.4, motion=0.0, live_motion=0.0)
BOTTLE = ZoneMeasure(foreground=0.03, motion=0.0, live_motion=0.0)
HAND = ZoneMeasure(foreground=0.06, motion=0.05, live_motion=0.05)


def feed(zone: ZonePresence, start: float, seconds: float, measure: ZoneMeasure) -> float:
    t = start
    while t < start + seconds:
        zone.update(t, measure)
        t += 0.5
    return t


def trusted() -> ZonePresence:
    zone = ZonePresence(PresenceSettings())
    feed(zone, 0, 5, EMPTY)
    assert zone.phase is ZonePhase.TRUSTED
    assert not zone.occupied
    return zone


def test_a_blip_of_motion_at_cold_start_is_noise() -> None:
    zone = ZonePresence(PresenceSettings())
    zone.update(0, EMPTY)
    zone.update(0.5, ZoneMeasure(foreground=0.0, motion=0.05, live_motion=0.0))
    feed(zone, 1, 4, EMPTY)
    assert not zone.occupied
    assert zone.phase is ZonePhase.TRUSTED


def test_a_seated_person_learned_into_the_picture_is_found_by_activity() -> None:
    zone = trusted()
    fidget = ZoneMeasure(foreground=0.01, motion=0.03, live_motion=0.0)
    t = feed(zone, 10, 4, fidget)
    assert not zone.occupied
    feed(zone, t, 3.5, fidget)
    assert zone.occupied  # after 5 s of sustained activity


def test_an_object_popping_up_is_not_somebody_walking_in() -> None:
    zone = trusted()
    zone.update(10, ZoneMeasure(foreground=0.2, motion=0.2, live_motion=0.2))
    feed(zone, 10.5, 10, ZoneMeasure(foreground=0.2, motion=0.0, live_motion=0.0))
    assert not zone.occupied


def test_departure_leaving_a_moved_chair_behind() -> None:
    zone = trusted()
    t = feed(zone, 10, 3, WALK_IN)
    t = feed(zone, t, 20, SEATED)
    assert zone.occupied
    t = feed(zone, t, 1.5, ZoneMeasure(foreground=0.3, motion=0.3, live_motion=0.3))
    relearn = False
    for _ in range(8):
        relearn = zone.update(t, ZoneMeasure(foreground=0.15, motion=0.0, live_motion=0.0))
        t += 0.5
        if relearn:
            break
    assert relearn
    assert not zone.occupied


def test_cold_start_on_an_empty_zone_trusts_it_after_four_seconds() -> None:
    zone = ZonePresence(PresenceSettings())
    assert zone.update(0, EMPTY) is False
    t = feed(zone, 0.5, 3, EMPTY)
    assert zone.phase is ZonePhase.LEARNING
    relearn = zone.update(t + 0.5, EMPTY)
    assert relearn
    assert zone.phase is ZonePhase.TRUSTED


def test_cold_start_with_someone_already_there_is_on_at_once() -> None:
    zone = ZonePresence(PresenceSettings())
    fidget = ZoneMeasure(foreground=0.0, motion=0.03, live_motion=0.0)
    zone.update(0, STILL)
    zone.update(0.5, fidget)
    assert not zone.occupied  # one blip of motion is noise
    zone.update(1.0, fidget)
    zone.update(1.5, fidget)
    assert zone.occupied  # people are never perfectly still: on within 2 s
    assert zone.phase is ZonePhase.LEARNING
    # they leave: the picture differs from the first one and stays still → relearn, off
    t = feed(zone, 2, 2, ZoneMeasure(foreground=0.4, motion=0.3, live_motion=0.3))
    relearned = False
    for _ in range(20):  # within 10 s of stillness
        relearned = zone.update(t, FROZEN)
        t += 0.5
        if relearned:
            break
    assert relearned
    assert not zone.occupied
    assert zone.phase is ZonePhase.TRUSTED


def test_cold_start_then_arrival_trusts_the_first_picture() -> None:
    zone = ZonePresence(PresenceSettings())
    zone.update(0, EMPTY)
    feed(zone, 0.5, 1, WALK_IN)
    assert zone.occupied  # at once
    t = feed(zone, 1.5, 30, SEATED)
    assert zone.occupied  # still deciding: they keep moving
    assert zone.phase is ZonePhase.LEARNING
    t = feed(zone, t, 15, EMPTY)  # they leave; the zone looks like the first picture again
    assert not zone.occupied
    assert zone.phase is ZonePhase.TRUSTED


def test_cold_start_motion_then_stillness_trusts_after_the_hold() -> None:
    zone = ZonePresence(PresenceSettings(cold_hold=5))
    t = feed(zone, 0, 2, ZoneMeasure(foreground=0.0, motion=0.05, live_motion=0.0))
    t = feed(zone, t, 4, EMPTY)
    assert zone.occupied
    t = feed(zone, t, 6, EMPTY)
    assert not zone.occupied
    assert zone.phase is ZonePhase.TRUSTED


def test_entry_stay_still_for_hours_and_exit() -> None:
    zone = trusted()
    t = 10.0
    zone.update(t, WALK_IN)
    assert not zone.occupied  # one frame is not enough
    zone.update(t + 0.5, WALK_IN)
    assert zone.occupied  # on within 1 s
    # two hours seated, moving a little every 30 s
    t += 1
    end = t + 2 * 3600
    while t < end:
        zone.update(t, SEATED if int(t) % 30 == 0 else FROZEN)
        assert zone.occupied
        t += 0.5
    zone.update(t, EMPTY)
    assert zone.occupied
    zone.update(t + 0.5, EMPTY)
    assert not zone.occupied  # off within 1 s of leaving


def test_objects_are_not_people() -> None:
    zone = trusted()
    t = feed(zone, 10, 1.5, HAND)  # a hand puts a bottle down
    t = feed(zone, t, 60, BOTTLE)
    assert not zone.occupied
    # a big bag: foreground without life stays off, and is learned after the static timeout
    zone = ZonePresence(PresenceSettings(static_timeout=30))
    feed(zone, 0, 5, EMPTY)
    zone.update(10, FROZEN)
    zone.update(10.5, FROZEN)
    assert not zone.occupied  # no motion on entry: not a person
    relearn = False
    t = 11.0
    while t < 50:
        relearn = zone.update(t, FROZEN) or relearn
        t += 0.5
    assert relearn
    assert not zone.occupied


def test_a_perfectly_still_foreground_times_out() -> None:
    zone = ZonePresence(PresenceSettings(static_timeout=20))
    feed(zone, 0, 5, EMPTY)
    feed(zone, 10, 1, WALK_IN)
    assert zone.occupied
    relearn = False
    t = 11.0
    while t < 40:
        relearn = zone.update(t, FROZEN) or relearn
        t += 0.5
    assert relearn
    assert not zone.occupied


def test_calibrate_and_restore() -> None:
    zone = ZonePresence(PresenceSettings())
    zone.update(0, WALK_IN)
    zone.calibrate(1)
    assert zone.phase is ZonePhase.TRUSTED
    assert not zone.occupied
    feed(zone, 2, 1, WALK_IN)
    saved = zone.export()
    assert saved == {"occupied": True, "phase": "trusted"}
    again = ZonePresence(PresenceSettings())
    again.restore(saved)
    assert again.occupied  # right at once after a restart
    again.update(1000, SEATED)
    assert again.occupied
    feed(again, 1000.5, 1, EMPTY)
    assert not again.occupied
    learning = ZonePresence(PresenceSettings())
    learning.restore({"occupied": True, "phase": "learning"})
    assert not learning.occupied
