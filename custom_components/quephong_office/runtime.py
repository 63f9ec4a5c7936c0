"""The bridge between the pure core and Home Assistant for one office.

Holds what a loaded office keeps at run time: who it is, its working clock (the calendar
followed on Home Assistant's clock, refreshed exactly at session boundaries) and its cameras.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.util import dt as dt_util

from .camera_runtime import CameraMonitor
from .core.calendar import CalendarState, WorkingCalendar
from .core.office import OfficeLevel
from .listeners import Listeners


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficeInfo:
    """Who the office is."""

    name: str
    level: OfficeLevel
    unit_code: str
    parent_unit: str | None


class WorkingClock(Listeners):
    """The office's calendar state, refreshed exactly at every session boundary."""

    def __init__(self, hass: HomeAssistant, calendar: WorkingCalendar) -> None:
        """Keep the calendar; call `async_start` to follow the clock."""
        super().__init__()
        self.hass = hass
        self.calendar = calendar
        self.state: CalendarState = calendar.state_at(dt_util.now())
        self._unsub: CALLBACK_TYPE | None = None

    @callback
    def async_start(self) -> None:
        """Compute the current state and schedule the next change."""
        now = dt_util.now()
        self.state = self.calendar.state_at(now)
        if self.hass.is_stopping:
            return
        self._unsub = async_track_point_in_time(
            self.hass,
            HassJob(self._async_tick, "session boundary", cancel_on_shutdown=True),
            self.calendar.next_change(now),
        )

    @callback
    def _async_tick(self, _now: datetime) -> None:
        self.async_start()
        self._notify()

    @callback
    def async_stop(self) -> None:
        """Stop following the clock."""
        if self._unsub:
            self._unsub()
            self._unsub = None


@dataclass(kw_only=True)
class QuephongData:
    """What a loaded office keeps at run time (`entry.runtime_data`)."""

    office: OfficeInfo
    clock: WorkingClock
    cameras: dict[str, CameraMonitor] = field(default_factory=dict)

    @callback
    def async_stop(self) -> None:
        """Stop every timer this office started."""
        self.clock.async_stop()
        for monitor in self.cameras.values():
            monitor.async_stop()


type QuephongConfigEntry = ConfigEntry[QuephongData]
