"""The bridge between the pure core and Home Assistant for one office.

Holds what a loaded office keeps at run time: who it is, its working clock (the calendar
followed on Home Assistant's clock, refreshed exactly at session boundaries) and its cameras.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .camera_runtime import CameraAnalysis, CameraMonitor
from .const import (
    CONF_AFTER_HOURS,
    CONF_CAMERA,
    CONF_COORDINATES,
    CONF_GATHERINGS,
    CONF_KIND,
    DOMAIN,
    KIND_PRIVACY_MASK,
    SUBENTRY_ZONE,
)
from .core.calendar import CalendarState, WorkingCalendar
from .core.office import OfficeLevel
from .core.vision.zones import Polygon, Zone, ZoneKind, ZoneLayout, parse_coordinates
from .frigate_runtime import FrigateAnalysis
from .listeners import Listeners, shutting_down
from .worker_runtime import WorkerAnalysis

if TYPE_CHECKING:
    from .communes_runtime import CommuneWatch, SummaryPublisher
    from .evidence_runtime import EvidenceKeeper
    from .meeting_runtime import MeetingRoom
    from .notify_runtime import Reminders
    from .report_runtime import OfficeReports
    from .rules_runtime import RulesRuntime, StaffInfo


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
        if shutting_down(self.hass):
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


@dataclass(frozen=True, slots=True, kw_only=True)
class ZoneInfo:
    """A zone of a camera, as configured in a zone subentry."""

    subentry_id: str
    camera_id: str
    name: str
    kind: str
    polygon: Polygon
    gatherings: bool = False
    after_hours: bool = False

    @property
    def is_mask(self) -> bool:
        """Privacy masks are never analysed and get no entities."""
        return self.kind == KIND_PRIVACY_MASK


def default_gatherings(kind: str) -> bool:
    """Gatherings are watched in general areas.

    Not at desks (citizens queue there) nor in halls (meetings happen there).
    """
    return kind == ZoneKind.OTHER


def default_after_hours(kind: str) -> bool:
    """The gate and the parking lot are watched after hours."""
    return kind in (ZoneKind.GATE, ZoneKind.PARKING)


def zones_of(entry: ConfigEntry[Any], cameras: set[str]) -> dict[str, ZoneInfo]:
    """The office's zones whose camera still exists, by subentry id."""
    zones: dict[str, ZoneInfo] = {}
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type != SUBENTRY_ZONE:
            continue
        camera_id = subentry.data[CONF_CAMERA]
        if camera_id not in cameras:
            continue
        zones[subentry_id] = ZoneInfo(
            subentry_id=subentry_id,
            camera_id=camera_id,
            name=subentry.title,
            kind=subentry.data[CONF_KIND],
            polygon=parse_coordinates(subentry.data[CONF_COORDINATES]),
            gatherings=subentry.data.get(
                CONF_GATHERINGS, default_gatherings(subentry.data[CONF_KIND])
            ),
            after_hours=subentry.data.get(
                CONF_AFTER_HOURS, default_after_hours(subentry.data[CONF_KIND])
            ),
        )
    return zones


def layouts_of(zones: dict[str, ZoneInfo]) -> dict[str, ZoneLayout]:
    """One layout per camera that has at least one analysed zone (masks join their camera)."""
    by_camera: dict[str, list[ZoneInfo]] = {}
    for zone in zones.values():
        by_camera.setdefault(zone.camera_id, []).append(zone)
    layouts: dict[str, ZoneLayout] = {}
    for camera_id, items in by_camera.items():
        analysed = [z for z in items if not z.is_mask]
        if not analysed:
            continue
        layouts[camera_id] = ZoneLayout(
            zones=tuple(
                Zone(id=z.subentry_id, name=z.name, kind=ZoneKind(z.kind), polygon=z.polygon)
                for z in analysed
            ),
            masks=tuple(z.polygon for z in items if z.is_mask),
        )
    return layouts


class VisionStore:
    """What each camera's analysis learned, kept across restarts (HA's Store, per office)."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """A store file per office."""
        self._store: Store[dict[str, Any]] = Store(hass, 1, f"{DOMAIN}.{entry_id}.vision")
        self._data: dict[str, Any] = {}

    async def async_load(self) -> dict[str, Any]:
        """The saved states by camera subentry id."""
        self._data = await self._store.async_load() or {}
        return dict(self._data)

    @callback
    def async_update(self, camera_id: str, state: dict[str, Any]) -> None:
        """Keep a camera's latest state and save it soon."""
        self._data[camera_id] = state
        self._store.async_delay_save(lambda: self._data, 10)

    async def async_flush(self) -> None:
        """Save now (unload, shutdown)."""
        await self._store.async_save(self._data)


@dataclass(kw_only=True)
class QuephongData:
    """What a loaded office keeps at run time (`entry.runtime_data`)."""

    office: OfficeInfo
    clock: WorkingClock
    store: VisionStore
    cameras: dict[str, CameraMonitor] = field(default_factory=dict)
    zones: dict[str, ZoneInfo] = field(default_factory=dict)
    analyses: dict[str, Analysis] = field(default_factory=dict)
    staff: dict[str, StaffInfo] = field(default_factory=dict)
    rules: RulesRuntime | None = None
    evidence: EvidenceKeeper | None = None
    reminders: Reminders | None = None
    rooms: dict[str, MeetingRoom] = field(default_factory=dict)
    communes: CommuneWatch | None = None
    reports: OfficeReports | None = None
    publisher: SummaryPublisher | None = None
    _stopped: bool = False

    async def async_stop(self) -> None:
        """Stop every timer and thread this office started and save what was learned."""
        if self._stopped:
            return
        self._stopped = True
        self.clock.async_stop()
        if self.publisher is not None:
            self.publisher.async_stop()
        if self.reports is not None:
            self.reports.async_stop()
        if self.evidence is not None:
            self.evidence.async_stop()
        if self.reminders is not None:
            await self.reminders.async_stop()
        for room in self.rooms.values():
            await room.async_stop()
        if self.communes is not None:
            await self.communes.async_stop()
        if self.rules is not None:
            await self.rules.async_stop()
        for monitor in self.cameras.values():
            monitor.async_stop()
        if self.analyses:
            await asyncio.gather(*(a.async_stop() for a in self.analyses.values()))
            await self.store.async_flush()


#: A camera's analysis: embedded (this Home Assistant), by a vision worker or by Frigate (MQTT).
type Analysis = CameraAnalysis | WorkerAnalysis | FrigateAnalysis

type QuephongConfigEntry = ConfigEntry[QuephongData]
