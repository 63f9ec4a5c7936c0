"""Quế Phong Office: office discipline, reminders and meeting rooms for People's Committees."""

from __future__ import annotations

from homeassistant.const import CONF_NAME, EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir

from .camera_runtime import CameraMonitor
from .const import (
    CONF_LEVEL,
    CONF_PARENT_UNIT,
    CONF_UNIT_CODE,
    DOMAIN,
    ISSUE_CAMERA_DOWN,
    SUBENTRY_CAMERA,
)
from .core.calendar import WorkingCalendar, schedule_from_dict
from .core.cameras import CameraConfig
from .core.office import OfficeLevel
from .runtime import OfficeInfo, QuephongConfigEntry, QuephongData, WorkingClock

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.CAMERA, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: QuephongConfigEntry) -> bool:
    """Start an office: its working clock and a monitor per camera, then its entities."""
    schedule = schedule_from_dict(entry.options)
    calendar = await hass.async_add_executor_job(_warm_calendar, WorkingCalendar(schedule=schedule))
    office = OfficeInfo(
        name=entry.data[CONF_NAME],
        level=OfficeLevel(entry.data[CONF_LEVEL]),
        unit_code=entry.data[CONF_UNIT_CODE],
        parent_unit=entry.data.get(CONF_PARENT_UNIT),
    )
    data = QuephongData(office=office, clock=WorkingClock(hass, calendar))
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type == SUBENTRY_CAMERA:
            config = CameraConfig.from_mapping(subentry.title, subentry.data)
            data.cameras[subentry_id] = CameraMonitor(hass, entry, subentry_id, config)
    entry.runtime_data = data
    _remove_stale(hass, entry)

    data.clock.async_start()
    for monitor in data.cameras.values():
        monitor.async_start()
    entry.async_on_unload(data.async_stop)
    entry.async_on_unload(
        hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, lambda _event: data.async_stop())
    )
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


def _warm_calendar(calendar: WorkingCalendar) -> WorkingCalendar:
    """Load this year's holidays off the event loop (the holidays package reads files)."""
    from homeassistant.util import dt as dt_util  # noqa: PLC0415 - only needed here

    calendar.day_info(dt_util.now().date())
    return calendar


def _remove_stale(hass: HomeAssistant, entry: QuephongConfigEntry) -> None:
    """Remove devices and repair issues of cameras that were deleted from the office."""
    known = {(DOMAIN, entry.entry_id)} | {
        (DOMAIN, f"{entry.entry_id}_{subentry_id}") for subentry_id in entry.runtime_data.cameras
    }
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not device.identifiers & known:
            registry.async_remove_device(device.id)
    issues = ir.async_get(hass)
    for (domain, issue_id), _issue in list(issues.issues.items()):
        if domain != DOMAIN or not issue_id.startswith(f"{ISSUE_CAMERA_DOWN}_"):
            continue
        subentry_id = issue_id.removeprefix(f"{ISSUE_CAMERA_DOWN}_")
        if subentry_id not in entry.runtime_data.cameras and subentry_id not in entry.subentries:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


async def _async_reload(hass: HomeAssistant, entry: QuephongConfigEntry) -> None:
    """Reload the office when its settings, cameras or identity change."""
    hass.config_entries.async_schedule_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: QuephongConfigEntry) -> bool:
    """Stop the office's entities; the runtime stops through async_on_unload."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: QuephongConfigEntry) -> None:
    """Clear the repair issues of a removed office."""
    for subentry_id in entry.subentries:
        ir.async_delete_issue(hass, DOMAIN, f"{ISSUE_CAMERA_DOWN}_{subentry_id}")
