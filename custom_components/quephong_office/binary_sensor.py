"""Binary sensors: office hours and watch, zones, desks, camera motion, meeting readiness."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .compat import BinarySensorDeviceClass
from .entity import (
    CameraDeviceEntity,
    DeskRulesEntity,
    OfficeEntity,
    OfficeRulesEntity,
    RoomEntity,
    ZoneEntity,
)
from .meeting_runtime import MeetingRoom
from .runtime import Analysis, QuephongConfigEntry, ZoneInfo

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the office's working-hours sensor, and the analysis sensors of zones and cameras."""
    runtime = entry.runtime_data
    async_add_entities([WorkingHoursSensor(entry), AfterHoursArmedSensor(entry)])
    rules = runtime.rules
    assert rules is not None
    for desk_id in rules.rules.desks:
        async_add_entities(
            [DeskUnattendedSensor(entry, runtime.zones[desk_id])], config_subentry_id=desk_id
        )
    for camera_id, analysis in runtime.analyses.items():
        async_add_entities([CameraMotionSensor(entry, analysis)], config_subentry_id=camera_id)
    for zone in runtime.zones.values():
        if not zone.is_mask and zone.camera_id in runtime.analyses:
            async_add_entities(
                [ZoneOccupancySensor(entry, zone)], config_subentry_id=zone.subentry_id
            )
    for room_id, room in runtime.rooms.items():
        async_add_entities([MeetingReadySensor(entry, room)], config_subentry_id=room_id)


class MeetingReadySensor(RoomEntity, BinarySensorEntity):
    """On when the room has no problem for its meeting; unknown until it has been checked."""

    def __init__(self, entry: QuephongConfigEntry, room: MeetingRoom) -> None:
        """The room's readiness."""
        super().__init__(entry, room, "meeting_ready")

    @property
    def is_on(self) -> bool | None:
        """Ready, not ready, or not checked (no meeting being prepared)."""
        readiness = self.room.readiness
        return None if readiness is None else readiness.ready

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The meeting and when the room was last checked."""
        readiness = self.room.readiness
        return {
            **self.meeting_attributes,
            "checked_at": readiness.checked_at.isoformat() if readiness else None,
        }


class WorkingHoursSensor(OfficeEntity, BinarySensorEntity):
    """On during a morning or afternoon session of a working day."""

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's working hours entity."""
        super().__init__(entry, "working_hours")

    @property
    def is_on(self) -> bool:
        """True inside a working session."""
        return self.clock.state.is_working_time

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """The current session's hours and, on a holiday, its name."""
        state = self.clock.state
        session = state.session
        return {
            "session_start": session.start.strftime("%H:%M") if session else None,
            "session_end": session.end.strftime("%H:%M") if session else None,
            "holiday": state.day.holiday_name,
        }


class ZoneOccupancySensor(ZoneEntity, BinarySensorEntity):
    """Somebody is at the desk (or in the area)."""

    _attr_device_class = BinarySensorDeviceClass.OCCUPANCY

    def __init__(self, entry: QuephongConfigEntry, zone: ZoneInfo) -> None:
        """The zone's occupancy; a desk's main feature, so it carries the device's name."""
        super().__init__(entry, zone, "occupancy")
        if zone.kind == "desk":
            self._attr_name = None

    @property
    def is_on(self) -> bool | None:
        """True while the zone is occupied."""
        reading = self.reading
        return reading.occupied if reading else None


class CameraMotionSensor(CameraDeviceEntity, BinarySensorEntity):
    """Something moves anywhere in the camera's picture (outside privacy masks)."""

    _attr_device_class = BinarySensorDeviceClass.MOTION
    _attr_translation_key = "motion"

    def __init__(self, entry: QuephongConfigEntry, analysis: Analysis) -> None:
        """Motion of an analysed camera."""
        super().__init__(entry, analysis.monitor, "motion")
        self.analysis = analysis

    @property
    def available(self) -> bool:
        """Available once frames are analysed and while the camera answers."""
        return super().available and self.analysis.result is not None

    @property
    def is_on(self) -> bool | None:
        """True while there is motion."""
        result = self.analysis.result
        return result.motion if result else None

    async def async_added_to_hass(self) -> None:
        """Follow the analysis."""
        await super().async_added_to_hass()
        self.async_on_remove(self.analysis.async_add_listener(self.async_write_ha_state))


class AfterHoursArmedSensor(OfficeRulesEntity, BinarySensorEntity):
    """On while zones watched after hours raise intrusions (from the calendar and the switch)."""

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's after-hours watch state."""
        super().__init__(entry, "after_hours_armed")

    @property
    def is_on(self) -> bool:
        """True while armed."""
        return self.rules.rules.armed(dt_util.now())


class DeskUnattendedSensor(DeskRulesEntity, BinarySensorEntity):
    """On while the desk is unattended (empty in a session for longer than the grace)."""

    _attr_device_class = BinarySensorDeviceClass.PROBLEM

    def __init__(self, entry: QuephongConfigEntry, zone: ZoneInfo) -> None:
        """The desk's unattended state."""
        super().__init__(entry, zone, "unattended")

    @property
    def available(self) -> bool:
        """Known while the rules have a reading of the desk."""
        return self.rules.rules.desks[self.zone.subentry_id].occupied is not None

    @property
    def is_on(self) -> bool:
        """True during an unattended episode."""
        return self.rules.rules.desks[self.zone.subentry_id].unattended

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """When the desk became empty."""
        desk = self.rules.rules.desks[self.zone.subentry_id]
        return {"empty_since": desk.empty_since.isoformat() if desk.empty_since else None}
