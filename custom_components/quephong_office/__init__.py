"""Quế Phong Office: office discipline, reminders and meeting rooms for People's Committees."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from homeassistant.const import CONF_NAME, EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

from .camera_runtime import CameraAnalysis, CameraMonitor
from .communes_runtime import CommuneWatch, SummaryPublisher
from .const import (
    ANALYSIS_FRIGATE,
    ANALYSIS_WORKER,
    CONF_ANALYSIS,
    CONF_COMMUNES,
    CONF_FRIGATE_CAMERA,
    CONF_LEVEL,
    CONF_OVERRIDES,
    CONF_PARENT_UNIT,
    CONF_UNIT_CODE,
    DOMAIN,
    ISSUE_CAMERA_DOWN,
    SUBENTRY_CAMERA,
)
from .core.calendar import WorkingCalendar, overrides_from_list, schedule_from_dict
from .core.cameras import CameraConfig
from .core.meeting.communes import parse_communes
from .core.office import OfficeLevel
from .core.rules.settings import RuleSettings
from .evidence_card import async_setup_card
from .evidence_runtime import EvidenceKeeper
from .evidence_view import EvidenceExportView, EvidenceImageView, EvidenceSharedView
from .frigate_runtime import FrigateAnalysis, frigate_camera_default
from .meeting_runtime import MeetingRoom, rooms_of
from .notify_runtime import Reminders, async_channels_of
from .preview import ZonePreviewView
from .repairs import async_sync_staff_issues
from .report_runtime import OfficeReports
from .rules_runtime import RulesRuntime, staff_of
from .runtime import (
    OfficeInfo,
    QuephongConfigEntry,
    QuephongData,
    VisionStore,
    WorkingClock,
    layouts_of,
    zones_of,
)
from .services import async_setup_services
from .worker_runtime import WorkerAnalysis, WorkerJobs, async_mqtt_ready

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.CAMERA,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
    Platform.SWITCH,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register what every office shares: the zone-preview view and the services."""
    hass.http.register_view(ZonePreviewView())
    hass.http.register_view(EvidenceImageView())
    hass.http.register_view(EvidenceExportView())
    hass.http.register_view(EvidenceSharedView())
    async_setup_services(hass)
    await async_setup_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: QuephongConfigEntry) -> bool:
    """Start an office: its working clock and a monitor per camera, then its entities."""
    # listen before reading the settings: a change made while this setup runs (a staff import
    # adds people while the previous reload is still loading) must reload the office again
    entry.async_on_unload(entry.add_update_listener(_reloader()))
    schedule = schedule_from_dict(entry.options)
    overrides = overrides_from_list(entry.options.get(CONF_OVERRIDES, []))
    calendar = await hass.async_add_executor_job(
        _warm_calendar, WorkingCalendar(schedule=schedule).with_override_list(overrides)
    )
    office = OfficeInfo(
        name=entry.data[CONF_NAME],
        level=OfficeLevel(entry.data[CONF_LEVEL]),
        unit_code=entry.data[CONF_UNIT_CODE],
        parent_unit=entry.data.get(CONF_PARENT_UNIT),
    )
    store = VisionStore(hass, entry.entry_id)
    data = QuephongData(office=office, clock=WorkingClock(hass, calendar), store=store)
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type == SUBENTRY_CAMERA:
            config = CameraConfig.from_mapping(subentry.title, subentry.data)
            data.cameras[subentry_id] = CameraMonitor(hass, entry, subentry_id, config)
    data.zones = zones_of(entry, set(data.cameras))
    _add_analyses(hass, entry, data, await store.async_load())
    workers = {k for k, a in data.analyses.items() if isinstance(a, WorkerAnalysis)}
    by_mqtt = any(isinstance(a, WorkerAnalysis | FrigateAnalysis) for a in data.analyses.values())
    if by_mqtt and not await async_mqtt_ready(hass):
        raise ConfigEntryNotReady(translation_domain=DOMAIN, translation_key="mqtt_not_ready")
    data.staff = staff_of(entry, data.zones)
    rules = data.rules = RulesRuntime(
        hass,
        entry,
        office,
        calendar,
        RuleSettings.from_dict(entry.options),
        data.staff,
        {k: z for k, z in data.zones.items() if z.camera_id in data.analyses},
        data.analyses,
    )
    data.evidence = await EvidenceKeeper.async_create(hass, entry)
    rules.capture = partial(data.evidence.async_capture, data)
    data.reminders = Reminders(
        hass, entry, data.staff, await async_channels_of(hass, entry), data.evidence
    )
    for room_id, room_config in rooms_of(entry).items():
        data.rooms[room_id] = MeetingRoom(
            hass, entry, room_config, office.unit_code, data.staff, data.reminders
        )
    data.communes = CommuneWatch(
        hass,
        [
            *(c for room in data.rooms.values() for c in room.config.communes),
            *parse_communes(entry.options.get(CONF_COMMUNES, "")),
        ],
    )
    data.reports = OfficeReports(hass, entry, office, rules, data.reminders)
    if office.level is not OfficeLevel.PROVINCE:  # communes, wards, legacy districts report up
        data.publisher = SummaryPublisher(hass, office.unit_code, office.name, rules, data.reports)
    entry.runtime_data = data
    _remove_stale(hass, entry)

    await _async_start(hass, entry, data, workers)
    async_sync_staff_issues(hass, rules)
    entry.async_on_unload(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _stopper(data)))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


def _add_analyses(
    hass: HomeAssistant, entry: QuephongConfigEntry, data: QuephongData, saved: dict[str, Any]
) -> None:
    """An analysis per camera with zones: embedded, by a vision worker or by Frigate (MQTT)."""
    for camera_id, layout in layouts_of(data.zones).items():
        subentry = entry.subentries[camera_id]
        if subentry.data.get(CONF_ANALYSIS) == ANALYSIS_WORKER:
            data.analyses[camera_id] = WorkerAnalysis(
                hass, entry, data.cameras[camera_id], layout, data.office.unit_code
            )
            continue
        if subentry.data.get(CONF_ANALYSIS) == ANALYSIS_FRIGATE:
            frigate_camera = subentry.data.get(CONF_FRIGATE_CAMERA) or frigate_camera_default(
                subentry.title
            )
            data.analyses[camera_id] = FrigateAnalysis(
                hass, entry, data.cameras[camera_id], layout, frigate_camera
            )
            continue
        data.analyses[camera_id] = CameraAnalysis(
            hass,
            entry,
            data.cameras[camera_id],
            layout,
            data.store.async_update,
            saved.get(camera_id),
        )


async def _async_start(
    hass: HomeAssistant, entry: QuephongConfigEntry, data: QuephongData, workers: set[str]
) -> None:
    """Start the clock, the cameras and their analyses, then everything built on the rules."""
    assert data.evidence is not None
    assert data.reminders is not None
    assert data.rules is not None
    assert data.communes is not None
    assert data.reports is not None
    data.clock.async_start()
    await WorkerJobs(hass, entry.entry_id, data.office.unit_code).async_sync(workers)
    for camera_id, monitor in data.cameras.items():
        analysis = data.analyses.get(camera_id)
        if isinstance(analysis, WorkerAnalysis | FrigateAnalysis):
            await analysis.async_start()
        elif analysis is not None:
            analysis.async_start()
        else:
            monitor.async_start()
    data.evidence.async_start()
    await data.reminders.async_start()
    await data.rules.async_start()
    for room in data.rooms.values():
        await room.async_start()
    await data.communes.async_start()
    await data.reports.async_start()
    if data.publisher is not None:
        await data.publisher.async_start()


def _warm_calendar(calendar: WorkingCalendar) -> WorkingCalendar:
    """Load this year's holidays off the event loop (the holidays package reads files)."""
    calendar.day_info(dt_util.now().date())
    return calendar


def _remove_stale(hass: HomeAssistant, entry: QuephongConfigEntry) -> None:
    """Remove devices and repair issues of cameras that were deleted from the office."""
    runtime = entry.runtime_data
    known = {(DOMAIN, entry.entry_id)} | {
        (DOMAIN, f"{entry.entry_id}_{subentry_id}")
        for subentry_id in (
            *runtime.cameras,
            *runtime.zones,
            *runtime.staff,
            *(runtime.reminders.channels if runtime.reminders else ()),
            *runtime.rooms,
            *(
                f"commune_{site}"
                for site in (runtime.communes.communes if runtime.communes else ())
            ),
        )
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


def _reloader() -> Callable[[HomeAssistant, QuephongConfigEntry], Coroutine[Any, Any, None]]:
    """Reload the office once when its settings, cameras, staff or identity change.

    Changes made together (a staff import adds every person in one step) share one reload:
    the listener yields once, so the reload reads them all.
    """
    scheduled = False

    async def reload(hass: HomeAssistant, entry: QuephongConfigEntry) -> None:
        nonlocal scheduled
        if scheduled:
            return
        scheduled = True
        await asyncio.sleep(0)
        hass.config_entries.async_schedule_reload(entry.entry_id)

    return reload


def _stopper(data: QuephongData) -> Callable[[Event], Coroutine[Any, Any, None]]:
    async def _async_stop(_event: Event) -> None:
        await data.async_stop()

    return _async_stop


async def async_unload_entry(hass: HomeAssistant, entry: QuephongConfigEntry) -> bool:
    """Stop the office's entities, then its clock, cameras and analyses (saving them)."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_stop()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: QuephongConfigEntry) -> None:
    """Clear the repair issues of a removed office."""
    for subentry_id in entry.subentries:
        ir.async_delete_issue(hass, DOMAIN, f"{ISSUE_CAMERA_DOWN}_{subentry_id}")
