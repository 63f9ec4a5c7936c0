"""Sensors: the office's day, desks, zones, staff members and cameras' analysis health."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .communes_runtime import CommuneWatch
from .const import DOMAIN
from .core.calendar import SessionState
from .core.meeting.readiness import describe
from .core.rules.attendance import SessionStatus
from .core.rules.desks import DeskRule
from .core.rules.engine import OfficeSummary
from .entity import (
    MANUFACTURER,
    CameraDeviceEntity,
    DeskRulesEntity,
    OfficeEntity,
    OfficeRulesEntity,
    RoomEntity,
    StaffEntity,
    ZoneEntity,
)
from .meeting_runtime import MeetingRoom
from .rules_runtime import StaffInfo
from .runtime import Analysis, QuephongConfigEntry, ZoneInfo

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
    async_add_entities(OfficeFigureSensor(entry, d) for d in OFFICE_FIGURES)
    if runtime.reminders is not None:
        async_add_entities([FailedSendsSensor(entry)])
    rules = runtime.rules
    assert rules is not None
    for desk_id in rules.rules.desks:
        async_add_entities(
            [DeskFigureSensor(entry, runtime.zones[desk_id], d) for d in DESK_FIGURES],
            config_subentry_id=desk_id,
        )
    for staff in runtime.staff.values():
        async_add_entities(
            [StaffStatusSensor(entry, staff), StaffRepeatsSensor(entry, staff)],
            config_subentry_id=staff.subentry_id,
        )
    for camera_id, analysis in runtime.analyses.items():
        async_add_entities(
            [AnalysisFpsSensor(entry, analysis), FrameAgeSensor(entry, analysis)],
            config_subentry_id=camera_id,
        )
    for zone in runtime.zones.values():
        if not zone.is_mask and zone.camera_id in runtime.analyses:
            async_add_entities([ZonePeopleCount(entry, zone)], config_subentry_id=zone.subentry_id)
    for room_id, room in runtime.rooms.items():
        async_add_entities([MeetingProblemsSensor(entry, room)], config_subentry_id=room_id)
    watch = runtime.communes
    if watch is not None and watch.communes:
        async_add_entities([CommunesReadySensor(entry, watch)])
        async_add_entities(CommuneReadinessSensor(entry, watch, site) for site in watch.communes)
        async_add_entities(
            CommuneFigureSensor(entry, watch, site, figure)
            for site in watch.communes
            for figure in COMMUNE_FIGURES
        )


class MeetingProblemsSensor(RoomEntity, SensorEntity):
    """How many problems the room has for its meeting, each described in Vietnamese."""

    def __init__(self, entry: QuephongConfigEntry, room: MeetingRoom) -> None:
        """The room's problems."""
        super().__init__(entry, room, "meeting_problems")

    @property
    def native_value(self) -> int | None:
        """The number of problems (unknown until the room has been checked)."""
        readiness = self.room.readiness
        return None if readiness is None else len(readiness.problems)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The problems as sentences, and the meeting."""
        readiness = self.room.readiness
        return {
            "problems": describe(readiness.problems, "vi") if readiness else [],
            **self.meeting_attributes,
        }


class CommunesReadySensor(OfficeEntity, SensorEntity):
    """A parent unit's count of ready communes ("12/14 xã sẵn sàng")."""

    def __init__(self, entry: QuephongConfigEntry, watch: CommuneWatch) -> None:
        """The office's summary of its communes."""
        super().__init__(entry, "communes_ready")
        self.watch = watch

    async def async_added_to_hass(self) -> None:
        """Update whenever a commune reports."""
        await super().async_added_to_hass()
        self.async_on_remove(self.watch.async_add_listener(self.async_write_ha_state))

    @property
    def native_value(self) -> int:
        """How many communes are ready."""
        return self.watch.summary().ready_count

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Out of how many, the sentence, and which are not ready."""
        found = self.watch.summary()
        return {"total": found.total, "summary": found.text, "not_ready": list(found.not_ready)}


class CommuneReadinessSensor(OfficeEntity, SensorEntity):
    """One commune's readiness as it reported it over MQTT."""

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = ["ready", "not_ready", "not_reported"]

    def __init__(self, entry: QuephongConfigEntry, watch: CommuneWatch, site: str) -> None:
        """A commune of the parent unit, by its unit code."""
        super().__init__(entry, "commune_readiness")
        self.watch = watch
        self.site = site
        self._attr_unique_id = f"{entry.entry_id}_commune_{site}"
        self._attr_translation_placeholders = {"commune": watch.communes[site].name}

    async def async_added_to_hass(self) -> None:
        """Update whenever a commune reports."""
        await super().async_added_to_hass()
        self.async_on_remove(self.watch.async_add_listener(self.async_write_ha_state))

    @property
    def native_value(self) -> str:
        """Ready, not ready, or not reported (never, or not for 30 minutes)."""
        report = self.watch.report(self.site)
        if report is None:
            return "not_reported"
        return "ready" if report.ready else "not_ready"

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The commune's problems and when it checked."""
        report = self.watch.report(self.site)
        return {
            "unit_code": self.site,
            "room": report.room if report else None,
            "checked_at": report.checked_at.isoformat() if report else None,
            "problems": describe(report.problems, "vi") if report else [],
        }


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


@dataclass(frozen=True, kw_only=True)
class OfficeFigureDescription(SensorEntityDescription):
    """A figure of the office's day or month."""

    value_fn: Callable[[OfficeSummary], int]


OFFICE_FIGURES = (
    OfficeFigureDescription(
        key="late_today",
        native_unit_of_measurement="người",
        value_fn=lambda s: s.late_today,
    ),
    OfficeFigureDescription(
        key="absent_today",
        native_unit_of_measurement="người",
        value_fn=lambda s: s.absent_today,
    ),
    OfficeFigureDescription(
        key="on_leave_today",
        native_unit_of_measurement="người",
        value_fn=lambda s: s.on_leave_today,
    ),
    OfficeFigureDescription(
        key="unattended_desks",
        native_unit_of_measurement="quầy",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.unattended_desks,
    ),
    OfficeFigureDescription(
        key="violations_this_month",
        native_unit_of_measurement="lượt",
        value_fn=lambda s: s.violations_this_month,
    ),
)


class OfficeFigureSensor(OfficeRulesEntity, SensorEntity):
    """Late, absent and on leave today; unattended desks now; violations this month."""

    entity_description: OfficeFigureDescription

    def __init__(self, entry: QuephongConfigEntry, description: OfficeFigureDescription) -> None:
        """One figure of the office."""
        super().__init__(entry, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> int:
        """The figure now (dismissed violations left out)."""
        return self.entity_description.value_fn(self.rules.rules.summary(dt_util.now()))


class FailedSendsSensor(OfficeEntity, SensorEntity):
    """Reminder sends that failed (each attempt), with the latest failure and the queue."""

    _attr_state_class = SensorStateClass.TOTAL_INCREASING

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's failed-sends counter."""
        super().__init__(entry, "failed_sends")
        reminders = entry.runtime_data.reminders
        assert reminders is not None
        self.reminders = reminders

    async def async_added_to_hass(self) -> None:
        """Update whenever the queue changes."""
        await super().async_added_to_hass()
        self.async_on_remove(self.reminders.async_add_listener(self.async_write_ha_state))

    @property
    def native_value(self) -> int:
        """Failed attempts so far."""
        return self.reminders.failed

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Messages waiting, messages given up, and the latest failure."""
        last = self.reminders.last_failure
        return {
            "pending": len(self.reminders.queue),
            "undelivered": self.reminders.undelivered,
            "last_failure_at": last.get("at"),
            "last_channel": last.get("channel"),
            "last_recipient": last.get("recipient"),
            "last_error": last.get("error"),
        }


@dataclass(frozen=True, kw_only=True)
class DeskFigureDescription(SensorEntityDescription):
    """A figure of a desk's day."""

    value_fn: Callable[[DeskRule], float | None]


DESK_FIGURES = (
    DeskFigureDescription(
        key="unattended_minutes",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda d: round(d.unattended_seconds / 60, 1),
    ),
    DeskFigureDescription(
        key="staffed_share",
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda d: None if d.staffed_share is None else round(d.staffed_share * 100, 1),
    ),
)


class DeskFigureSensor(DeskRulesEntity, SensorEntity):
    """Unattended minutes today, and the share of today's working time the desk was staffed."""

    entity_description: DeskFigureDescription

    def __init__(
        self, entry: QuephongConfigEntry, zone: ZoneInfo, description: DeskFigureDescription
    ) -> None:
        """One figure of a desk."""
        super().__init__(entry, zone, description.key)
        self.entity_description = description

    @property
    def available(self) -> bool:
        """The day's figures stand while the camera is down."""
        return True

    @property
    def native_value(self) -> float | None:
        """The figure so far today."""
        return self.entity_description.value_fn(self.rules.rules.desks[self.zone.subentry_id])


class StaffStatusSensor(StaffEntity, SensorEntity):
    """How the staff member stands in the current (or the last) session of today."""

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = [status.value for status in SessionStatus]

    def __init__(self, entry: QuephongConfigEntry, staff: StaffInfo) -> None:
        """The staff member's standing today."""
        super().__init__(entry, staff, "attendance_status")

    @property
    def native_value(self) -> str:
        """The current session's status, or the last session's after it ended."""
        now = dt_util.now()
        statuses = self.rules.rules.staff_status(self.staff.subentry_id, now)
        current = self.rules.rules.calendar.state_at(now).session
        if current is not None:
            return statuses[current.key.value].value
        started = [v for v in statuses.values() if v is not SessionStatus.NOT_DUE]
        return (started[-1] if started else SessionStatus.NOT_DUE).value

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """First arrival and last departure today, and each session's status."""
        person = self.rules.rules.staff[self.staff.subentry_id]
        summary = person.day_summary()
        statuses = self.rules.rules.staff_status(self.staff.subentry_id, dt_util.now())
        return {
            "first_arrival": summary["first_arrival"],
            "last_departure": summary["last_departure"],
            **{f"{key}_status": value.value for key, value in statuses.items()},
        }


class StaffRepeatsSensor(StaffEntity, SensorEntity):
    """Violations over the last 30 days: what the escalation level is counted from."""

    _attr_native_unit_of_measurement = "lượt"

    def __init__(self, entry: QuephongConfigEntry, staff: StaffInfo) -> None:
        """The staff member's repeats."""
        super().__init__(entry, staff, "violations_30_days")

    @property
    def native_value(self) -> int:
        """Counted (not dismissed) violations in the last 30 days."""
        return self.rules.rules.ledger.repeats(self.staff.subentry_id, dt_util.now())


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

    def __init__(self, entry: QuephongConfigEntry, analysis: Analysis) -> None:
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

    def __init__(self, entry: QuephongConfigEntry, analysis: Analysis) -> None:
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


#: A commune's figures on its device (translation keys `commune_<figure>`).
COMMUNE_FIGURES = (
    "late",
    "absent",
    "violations",
    "unattended_minutes",
    "month_violations",
)


class CommuneFigureSensor(SensorEntity):
    """One of a commune's discipline figures of today, as it published them over MQTT."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(
        self, entry: QuephongConfigEntry, watch: CommuneWatch, site: str, figure: str
    ) -> None:
        """A figure of a commune (by unit code), on the commune's own device."""
        commune = watch.communes[site]
        self.watch = watch
        self.site = site
        self.figure = figure
        self._attr_unique_id = f"{entry.entry_id}_commune_{site}_{figure}"
        self._attr_translation_key = f"commune_{figure}"
        if figure == "unattended_minutes":
            self._attr_native_unit_of_measurement = UnitOfTime.MINUTES
            self._attr_device_class = SensorDeviceClass.DURATION
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{entry.entry_id}_commune_{site}")},
            name=commune.name,
            manufacturer=MANUFACTURER,
            model="Xã, phường trực thuộc",
            serial_number=site,
        )

    async def async_added_to_hass(self) -> None:
        """Update whenever a commune publishes."""
        self.async_on_remove(self.watch.async_add_listener(self.async_write_ha_state))

    @property
    def native_value(self) -> int | None:
        """Today's figure (unknown until the commune publishes today's)."""
        found = self.watch.today(self.site)
        if found is None:
            return None
        if self.figure == "month_violations":
            return found.month_violations
        return round(found.figures[self.figure])

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When the commune published, and the figure of its previous day."""
        found = self.watch.figures.get(self.site)
        if found is None:
            return {}
        previous = found.previous or {}
        return {
            "day": found.day.isoformat(),
            "published": found.published.isoformat(),
            "working_day": found.working,
            "previous_day": found.previous_day.isoformat() if found.previous_day else None,
            "previous": round(previous[self.figure]) if self.figure in previous else None,
        }
