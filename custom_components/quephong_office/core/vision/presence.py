"""Presence of a person in one zone, decided over time from foreground and motion.

A zone is judged from two per-frame measurements made by the analyzer:

- foreground: the share of the zone that differs from the learned empty picture, after the
  whole frame's brightness change has been compensated (lights, daylight);
- motion: the share of the zone that changed since the previous frame (same compensation).

People are never perfectly still: a seated person keeps producing small motion inside the
foreground. Objects (bags, bottles, papers) stop moving the moment they are put down. So:

- a zone turns **on** when enough of it is foreground for `on_frames` frames and there was
  motion in it within `entry_window` seconds (or it was on before a restart);
- it turns **off** when the foreground falls below `fg_off` for `off_frames` frames (the person
  left), or when the foreground has not moved for `static_timeout` seconds (an object, which
  the analyzer then learns into the empty picture);
- until an empty picture has been learned (a cold start), the zone follows motion alone with
  a hold of `cold_hold` seconds, and learns the empty picture once it has been still that long.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    static_timeout: float = 300.0
    cold_hold: float = 20.0


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
    _above: int = 0
    _below: int = 0

    def update(self, t: float, measure: ZoneMeasure) -> bool:
        """Take one frame's measurement at time `t` (seconds); return whether to relearn.

        The return value tells the analyzer to learn this zone's current picture as empty:
        after a cold start once the zone has been still long enough, and when a static
        foreground has been judged to be an object.
        """
        s = self.settings
        if self.started is None:
            self.started = t
        if measure.motion >= s.motion_on:
            self.last_motion = t
        if measure.live_motion >= s.motion_on:
            self.last_live = t

        if self.phase is ZonePhase.LEARNING:
            return self._update_learning(t, measure)

        if measure.foreground >= s.fg_on:
            self._above += 1
            self._below = 0
        elif measure.foreground < s.fg_off:
            self._below += 1
            self._above = 0
        else:
            self._above = self._below = 0

        if not self.occupied:
            moved = self.last_motion is not None and t - self.last_motion <= s.entry_window
            if self._above >= s.on_frames and moved:
                self.occupied = True
                self.last_live = t
            elif self._above and self._static_for(t) >= s.static_timeout:
                self._above = 0
                return True  # an object left in the zone: learn it as part of the empty desk
            return False
        if self._below >= s.off_frames:
            self.occupied = False
            return False
        if self._static_for(t) >= s.static_timeout:
            self.occupied = False
            self._above = 0
            return True
        return False

    def _static_for(self, t: float) -> float:
        reference = self.last_live if self.last_live is not None else self.started
        assert reference is not None
        return t - reference

    def _update_learning(self, t: float, measure: ZoneMeasure) -> bool:
        """Cold start: the first picture is not known to be empty yet.

        - Little differs from the first picture: follow motion (a person who was already
          there keeps moving a little), and trust the picture once the zone has been still
          for `cold_hold` seconds (from the start: 4 s).
        - Much differs from it and keeps moving: somebody arrived, the first picture was empty.
        - Much differs from it and is still: somebody left, the first picture had them in it.
        """
        s = self.settings
        assert self.started is not None
        if measure.foreground >= s.fg_on:
            self._above += 1
            self.occupied = True
            still_for = t - (self.last_live if self.last_live is not None else self.started)
            if self._above >= 2 * s.on_frames and still_for >= 2.0:
                # somebody left: the first picture had them in it
                self.phase, self.occupied = ZonePhase.TRUSTED, False
                self._above = 0
                return True
            if self._above >= 4 * s.on_frames and still_for <= 1.0:
                # somebody arrived and keeps moving: the first picture was empty
                self.phase = ZonePhase.TRUSTED
                self._above = 0
            return False
        self._above = 0
        if self.last_motion is None:
            if t - self.started >= min(s.cold_hold, 4.0):
                self.phase, self.occupied = ZonePhase.TRUSTED, False
                return True
            return False
        if t - self.last_motion <= s.cold_hold:
            self.occupied = True
            return False
        self.phase, self.occupied = ZonePhase.TRUSTED, False
        return True

    def calibrate(self, t: float) -> None:
        """The user says the zone is empty now."""
        self.phase = ZonePhase.TRUSTED
        self.occupied = False
        self.started = t
        self.last_motion = self.last_live = None
        self._above = self._below = 0

    def export(self) -> dict[str, Any]:
        """What survives a restart (times are not kept: the clock restarts)."""
        return {"occupied": self.occupied, "phase": self.phase.value}

    def restore(self, data: dict[str, Any]) -> None:
        """Resume after a restart; the clock starts again with the next frame."""
        self.phase = ZonePhase(data.get("phase", ZonePhase.LEARNING))
        self.occupied = bool(data.get("occupied", False)) and self.phase is ZonePhase.TRUSTED
        self.started = self.last_motion = self.last_live = None
        self._above = self._below = 0
