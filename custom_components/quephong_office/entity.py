"""Base entities: one device per office, camera, zone (desk) and staff member."""

from __future__ import annotations

from typing import Any

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from .camera_runtime import CameraMonitor
from .const import DOMAIN
from .core.vision.analyzer import ZoneReading
from .meeting_runtime import MeetingRoom
from .rules_runtime import RulesRuntime, StaffInfo
from .runtime import QuephongConfigEntry, ZoneInfo

MANUFACTURER = "Quế Phong Office"

#: Device models shown for an office, by level (Vietnamese, as the officers name them).
OFFICE_MODELS = {
    "province": "UBND tỉnh",
    "commune": "UBND xã",
    "ward": "UBND phường",
    "district_legacy": "UBND huyện (cũ)",
}
#: Device models shown for a camera, by role.
CAMERA_MODELS = {
    "gate": "Camera cổng",
    "parking": "Camera nhà xe",
    "one_stop": "Camera bộ phận một cửa",
    "hall": "Camera hội trường",
    "reception": "Camera phòng tiếp dân",
    "yard": "Camera sân",
    "other": "Camera",
}


class OfficeEntity(Entity):
    """An entity of the office itself (working hours, current session), following its clock."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: QuephongConfigEntry, key: str) -> None:
        """Attach to the office device; the unique id is the entry id and the key."""
        office = entry.runtime_data.office
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_translation_key = key
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=office.name,
            manufacturer=MANUFACTURER,
            model=OFFICE_MODELS[office.level],
            model_id=office.level.value,
            serial_number=office.unit_code,
        )
        self.clock = entry.runtime_data.clock

    async def async_added_to_hass(self) -> None:
        """Update at every session boundary."""
        self.async_on_remove(self.clock.async_add_listener(self.async_write_ha_state))


class CameraDeviceEntity(Entity):
    """An entity of one camera's device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: QuephongConfigEntry, monitor: CameraMonitor, key: str) -> None:
        """Attach to the camera's device; the unique id is entry, subentry and key."""
        self.monitor = monitor
        self._attr_unique_id = f"{entry.entry_id}_{monitor.subentry_id}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{entry.entry_id}_{monitor.subentry_id}")},
            name=monitor.config.name,
            manufacturer=MANUFACTURER,
            model=CAMERA_MODELS[monitor.config.role],
            model_id=monitor.config.role.value,
        )

    @property
    def available(self) -> bool:
        """Unavailable while the camera does not answer."""
        return self.monitor.available

    async def async_added_to_hass(self) -> None:
        """Follow the camera's availability."""
        self.async_on_remove(self.monitor.async_add_listener(self.async_write_ha_state))


#: Device models shown for a zone, by kind.
ZONE_MODELS = {
    "desk": "Quầy làm việc",
    "hall": "Vùng hội trường",
    "gate": "Vùng cổng",
    "parking": "Vùng nhà xe",
    "other": "Vùng",
}


class ZoneEntity(Entity):
    """An entity of one zone's device (a desk, or a hall, gate or parking area)."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: QuephongConfigEntry, zone: ZoneInfo, key: str) -> None:
        """Attach to the zone's device; it is analysed by its camera."""
        self.zone = zone
        self.analysis = entry.runtime_data.analyses[zone.camera_id]
        self._attr_unique_id = f"{entry.entry_id}_{zone.subentry_id}_{key}"
        self._attr_translation_key = key
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{entry.entry_id}_{zone.subentry_id}")},
            name=zone.name,
            manufacturer=MANUFACTURER,
            model=ZONE_MODELS.get(zone.kind, "Vùng"),
            model_id=zone.kind,
        )

    @property
    def reading(self) -> ZoneReading | None:
        """The zone's latest reading (None before the first analysed frame)."""
        result = self.analysis.result
        return result.zones.get(self.zone.subentry_id) if result else None

    @property
    def available(self) -> bool:
        """Available while its camera delivers frames and a frame has been analysed."""
        return self.analysis.monitor.available and self.reading is not None

    async def async_added_to_hass(self) -> None:
        """Follow the analysis and the camera's availability."""
        self.async_on_remove(self.analysis.async_add_listener(self.async_write_ha_state))
        self.async_on_remove(self.analysis.monitor.async_add_listener(self.async_write_ha_state))


class RulesListener(Entity):
    """Refreshes whenever the office's rules change (a reading, an event, the minute tick)."""

    rules: RulesRuntime

    async def async_added_to_hass(self) -> None:
        """Follow the rules as well as whatever the base class follows."""
        await super().async_added_to_hass()
        self.async_on_remove(self.rules.async_add_listener(self.async_write_ha_state))


class OfficeRulesEntity(RulesListener, OfficeEntity):
    """An office entity that shows what the rules found."""

    def __init__(self, entry: QuephongConfigEntry, key: str) -> None:
        """Attach to the office device and its rules."""
        super().__init__(entry, key)
        rules = entry.runtime_data.rules
        assert rules is not None
        self.rules = rules


class DeskRulesEntity(RulesListener, ZoneEntity):
    """A desk entity that shows what the unattended-desk rule found."""

    def __init__(self, entry: QuephongConfigEntry, zone: ZoneInfo, key: str) -> None:
        """Attach to the desk's device and its rules."""
        super().__init__(entry, zone, key)
        rules = entry.runtime_data.rules
        assert rules is not None
        self.rules = rules


class StaffEntity(RulesListener):
    """An entity of one staff member's device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: QuephongConfigEntry, staff: StaffInfo, key: str) -> None:
        """Attach to the staff member's device; unique id from entry, subentry and key."""
        rules = entry.runtime_data.rules
        assert rules is not None
        self.rules = rules
        self.staff = staff
        self._attr_unique_id = f"{entry.entry_id}_{staff.subentry_id}_{key}"
        self._attr_translation_key = key
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{entry.entry_id}_{staff.subentry_id}")},
            name=staff.name,
            manufacturer=MANUFACTURER,
            model=staff.position or "Cán bộ, công chức",
            model_id="staff",
        )


class RoomEntity(Entity):
    """An entity of a meeting room's device, following the room."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: QuephongConfigEntry, room: MeetingRoom, key: str) -> None:
        """Attach to the room's device; unique id from entry, subentry and key."""
        self.room = room
        self._attr_unique_id = f"{entry.entry_id}_{room.config.subentry_id}_{key}"
        self._attr_translation_key = key
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{entry.entry_id}_{room.config.subentry_id}")},
            name=room.config.name,
            manufacturer=MANUFACTURER,
            model="Phòng họp trực tuyến",
            model_id="meeting_room",
        )

    async def async_added_to_hass(self) -> None:
        """Update whenever the room checks or changes."""
        self.async_on_remove(self.room.async_add_listener(self.async_write_ha_state))

    @property
    def meeting_attributes(self) -> dict[str, Any]:
        """The current or next meeting: title, start, end, link, and whether it is prepared."""
        meeting = self.room.meeting
        if meeting is None:
            return {"meeting": None, "prepared": False}
        return {
            "meeting": meeting.title,
            "start": meeting.window.start.isoformat(),
            "end": meeting.window.end.isoformat(),
            "link": meeting.link,
            "prepared": self.room.prepared,
        }
