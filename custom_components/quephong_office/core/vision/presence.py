"""Presence of a person in one zone, decided over time from foreground and motion.

A zone is judged from two per-frame measurements made by the analyzer:

- foreground: the share of the zone that differs from the learned empty picture, after the
  whole frame's brightness change has been compensated (lights, daylight);
- motion: the share of the zone that changed since the previous frame (same compensation).

People are never perfectly still: a seated person keeps producing small motion; objects (bags,
bottles, papers) stop moving the moment they are put down. "Activity" is motion on at least 3
of the last 10 frames. So:

- a zone turns **on** when enough of it is foreground for `on_frames` frames and something
  moved in it on at least 2 of the frames within `entry_window` seconds (an object popping
  up moves on one frame), or after `active_on` seconds of sustained activity without
  foreground (somebody who was learned into the empty picture at a cold start);
- it turns **off** when the foreground falls below `fg_off` for `off_frames` frames and the
  zone is quiet; or when, right after a big motion (somebody getting up), the zone is quiet
  and its foreground fell well below what it was (what they moved, a chair, is then learned
  as empty); or when nothing lived in it for `static_timeout` seconds (an object, learned as
  empty);
- until an empty picture has been learned (a cold start), the zone follows activity with a
  hold of `cold_hold` seconds, and the decision waits for the zone to go still: a large
  difference from the first picture that is still means somebody left (the first picture
  had them in it, and is learned anew); a still zone that looks like the first picture means
  the first picture was empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ZonePhase(StrEnum):
    """Whether the zone's empty picture can be trusted yet."""

    LEARNING = "learning"
    TRUSTED = "trusted"


@dataclass(frozen=True, slots=True, kw_only=True)
class PresenceSettings:
    """Tuning of the presence decision (defaults are what the integration uses)."""

    fg_on: float = 0.12
    fg_off: float = 0.05
    on_frames: int = 2
    off_frames: int = 2
    motion_on: float = 0.015
    entry_window: float = 3.0
    entry_motion_frames: int = 2
    static_timeout: float = 180.0
    cold_hold: float = 10.0
    activity_frames: int = 10
    activity_min: int = 3
    active_on: float = 5.0
    quiet_frames: int = 2
    big_motion: float = 0.15
    departure_window: float = 8.0
    departure_ratio: float = 0.75


@dataclass(frozen=True, slots=True, kw_only=True)
class ZoneMeasure:
    """What the analyzer measured in a zone on one frame."""

    foreground: float
    motion: float
    live_motion: float


@dataclass(slots=True)
class ZonePresence:
    """The decision for one zone, fed one measurement per analysed frame."""

    settings: PresenceSettings
    occupied: bool = False
    phase: ZonePhase = ZonePhase.LEARNING
    last_motion: float | None = None
    last_live: float | None = None
    started: float | None = None
    last_active: float | None = None
    active_since: float | None = None
    _above: int = 0
    _below: int = 0
    _recent: list[bool] = field(default_factory=list)
    _fg_history: list[float] = field(default_factory=list)
    _big_motion_at: float | None = None
    _fg_before: float = 0.0
    _seen_apart: bool = False

    def update(self, t: float, measure: ZoneMeasure) -> bool:
        """Take one frame's measurement at time `t` (seconds); return whether to relearn.

        The return value tells the analyzer to learn this zone's current picture as empty:
        after a cold start once the zone has been still long enough, and when a static
        foreground has been judged to be an object.
        """
        self._observe(t, measure)
        if self.phase is ZonePhase.LEARNING:
            return self._update_learning(t, measure)
        return self._update_trusted(t, measure)

    def _observe(self, t: float, measure: ZoneMeasure) -> None:
        """Keep the recent history: motion, activity, big motions and the foreground."""
        s = self.settings
        if self.started is None:
            self.started = t
        moved = measure.motion >= s.motion_on
        if moved:
            self.last_motion = t
        if measure.live_motion >= s.motion_on:
            self.last_live = t
        self._recent.append(moved)
        del self._recent[: -s.activity_frames]
        if sum(self._recent) >= s.activity_min:
            self.last_active = t
            if self.active_since is None:
                self.active_since = t
        else:
            self.active_since = None

        if measure.motion >= s.big_motion and (
            self._big_motion_at is None or t - self._big_motion_at > s.departure_window
        ):
            history = self._fg_history[-6:]
            self._fg_before = sum(history) / len(history) if history else 0.0
            self._big_motion_at = t
        self._fg_history.append(measure.foreground)
        del self._fg_history[:-12]

    def _update_trusted(self, t: float, measure: ZoneMeasure) -> bool:
        """The empty picture is known: foreground, entry motion, departure, stillness."""
        s = self.settings
        if measure.foreground >= s.fg_on:
            self._above += 1
            self._below = 0
        elif measure.foreground < s.fg_off:
            self._below += 1
            self._above = 0
        else:
            self._above = self._below = 0

        if not self.occupied:
            # somebody walking in moves over several frames; an object popping up does not
            window = round(s.entry_window * 2)
            moved = sum(self._recent[-window:]) >= s.entry_motion_frames
            if self._above >= s.on_frames and moved:
                self.occupied = True
                self.last_live = t
            elif self.active_since is not None and t - self.active_since >= s.active_on:
                # sustained small motion without a difference from the empty picture:
                # somebody who was learned into it (a cold start with them seated)
                self.occupied = True
            elif self._above and self._static_for(t) >= s.static_timeout:
                self._above = 0
                return True  # an object left in the zone: learn it as part of the empty desk
            return False
        quiet = not any(self._recent[-s.quiet_frames :])
        if self._below >= s.off_frames and quiet:
            self._leave()
            return False
        if (
            self._big_motion_at is not None
            and t - self._big_motion_at <= s.departure_window
            and not any(self._recent[-2 * s.quiet_frames :])
            and measure.foreground <= s.departure_ratio * self._fg_before
        ):
            # somebody got up and left; what they moved (a chair) stays: learn it as empty
            self._leave()
            self._big_motion_at = None
            return True
        if self._static_for(t) >= s.static_timeout:
            self.occupied = False
            self._above = 0
            return True
        return False

    def _leave(self) -> None:
        """Turn off; the motion of leaving must not count as somebody's activity."""
        self.occupied = False
        self.active_since = None
        self._recent.clear()

    def _static_for(self, t: float) -> float:
        times = [v for v in (self.last_live, self.last_active) if v is not None]
        reference = max(times) if times else self.started
        assert reference is not None
        return t - reference

    def _update_learning(self, t: float, measure: ZoneMeasure) -> bool:
        """Cold start: the first picture is not known to be empty yet.

        - Little differs from the first picture: follow motion (a person who was already
          there keeps moving a little), and trust the picture once the zone has been still
          for `cold_hold` seconds (from the start: 4 s).
        - Much differs from it and is still: somebody left, the first picture had them in it.
        - Much differed from it and now it looks the same and is quiet: somebody came and
          went, the first picture was empty.
        """
        s = self.settings
        assert self.started is not None
        if measure.foreground >= s.fg_on:
            self._above += 1
            self.occupied = True
            still_for = t - (self.last_active if self.last_active is not None else self.started)
            if self._above >= 2 * s.on_frames and still_for >= 2.0:
                # somebody left: the first picture had them in it
                self.phase, self.occupied = ZonePhase.TRUSTED, False
                self._above = 0
                return True
            self._seen_apart = True
            return False
        self._above = 0
        quiet = not any(self._recent[-s.quiet_frames :])
        if self._seen_apart and measure.foreground < s.fg_off and quiet:
            # somebody came and went: the zone looks like the first picture again, so that
            # picture was empty
            self._seen_apart = False
            self.phase = ZonePhase.TRUSTED
            self._leave()
            return False
        # a blip of motion is noise; a person keeps moving a little (activity)
        if self.last_active is None:
            if t - self.started >= min(s.cold_hold, 4.0):
                self.phase, self.occupied = ZonePhase.TRUSTED, False
                return True
            return False
        if t - self.last_active <= s.cold_hold:
            self.occupied = True
            return False
        self.phase, self.occupied = ZonePhase.TRUSTED, False
        return True

    def calibrate(self, t: float) -> None:
        """The user says the zone is empty now."""
        self.phase = ZonePhase.TRUSTED
        self.occupied = False
        self.started = t
        self.last_motion = self.last_live = self.last_active = self.active_since = None
        self._above = self._below = 0
        self._recent.clear()

    def export(self) -> dict[str, Any]:
        """What survives a restart (times are not kept: the clock restarts)."""
        return {"occupied": self.occupied, "phase": self.phase.value}

    def restore(self, data: dict[str, Any]) -> None:
        """Resume after a restart; the clock starts again with the next frame."""
        self.phase = ZonePhase(data.get("phase", ZonePhase.LEARNING))
        self.occupied = bool(data.get("occupied", False)) and self.phase is ZonePhase.TRUSTED
        self.started = self.last_motion = self.last_live = self.last_active = None
        self.active_since = None
        self._recent.clear()
        self._above = self._below = 0
