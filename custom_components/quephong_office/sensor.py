"""Sensors: current session (office), people count (zone), analysis health (camera)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorStateClass
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval

from .camera_runtime import CameraAnalysis
from .core.calendar import SessionState
from .entity import CameraDeviceEntity, OfficeEntity, ZoneEntity
from .runtime import QuephongConfigEntry, ZoneInfo

PARALLEL_UPDATES = 0
REFRESH = timedelta(seconds=10)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the office's current-session sensor, zone counts and camera diagnostics."""
    runtime = entry.runtime_data
    async_add_entities([CurrentSessionSensor(entry)])
    for camera_id, analysis in runtime.analyses.items():
        async_add_entities(
            [AnalysisFpsSensor(entry, analysis), FrameAgeSensor(entry, analysis)],
            config_subentry_id=camera_id,
        )
    for zone in runtime.zones.values():
        if not zone.is_mask and zone.camera_id in runtime.analyses:
            async_add_entities([ZonePeopleCount(entry, zone)], config_subentry_id=zone.subentry_id)


class CurrentSessionSensor(OfficeEntity, SensorEntity):
    """Morning, afternoon, break, off or holiday."""

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = [state.value for state in SessionState]

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's current session entity."""
        super().__init__(entry, "current_session")

    @property
    def native_value(self) -> str:
        """The session state now."""
        return self.clock.state.state.value


class ZonePeopleCount(ZoneEntity, SensorEntity):
    """How many people are in the zone."""

    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_native_unit_of_measurement = "người"

    def __init__(self, entry: QuephongConfigEntry, zone: ZoneInfo) -> None:
        """The zone's people count."""
        super().__init__(entry, zone, "people")

    @property
    def native_value(self) -> int | None:
        """People counted on the latest frame."""
        reading = self.reading
        return reading.count if reading else None


class AnalysisFpsSensor(CameraDeviceEntity, SensorEntity):
    """Analysed frames per second (diagnostic): should stay near the configured rate."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_native_unit_of_measurement = "khung/giây"
    _attr_suggested_display_precision = 1
    _attr_translation_key = "analysed_fps"

    def __init__(self, entry: QuephongConfigEntry, analysis: CameraAnalysis) -> None:
        """Frames per second of an analysed camera."""
        super().__init__(entry, analysis.monitor, "analysed_fps")
        self.analysis = analysis

    @property
    def native_value(self) -> float | None:
        """Frames analysed per second over the last 30 s."""
        return self.analysis.frames_per_second

    async def async_added_to_hass(self) -> None:
        """Refresh every 10 s (not on every frame)."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_track_time_interval(
                self.hass, self._async_refresh, REFRESH, cancel_on_shutdown=True
            )
        )

    async def _async_refresh(self, _now: datetime) -> None:
        self.async_write_ha_state()


class FrameAgeSensor(AnalysisFpsSensor):
    """Seconds since the last analysed frame (diagnostic): grows when frames stop."""

    _attr_device_class = SensorDeviceClass.DURATION
    _attr_native_unit_of_measurement = UnitOfTime.SECONDS
    _attr_suggested_display_precision = 0
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_translation_key = "frame_age"

    def __init__(self, entry: QuephongConfigEntry, analysis: CameraAnalysis) -> None:
        """Age of an analysed camera's last frame."""
        CameraDeviceEntity.__init__(self, entry, analysis.monitor, "frame_age")
        self.analysis = analysis

    @property
    def available(self) -> bool:
        """Stays available while the camera is down: that is when the age matters."""
        return self.analysis.last_frame is not None

    @property
    def native_value(self) -> float | None:
        """Whole seconds since the last frame."""
        last = self.analysis.last_frame
        return None if last is None else float(int(time.monotonic() - last))
