"""Services: check-in, leave, dismissing a violation, exporting evidence for a case.

Registered once in `async_setup` (they work for every office). A staff member is named by
their device; a violation by the id carried in its event. Bad input raises a translated
ServiceValidationError and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import dump as yaml_dump

from .compat import vol
from .const import DEFAULT_RETENTION_DAYS, DOMAIN
from .core.evidence import EvidenceError
from .core.meeting.endpoints import parse_endpoint
from .core.meeting.errors import MeetingError
from .core.meeting.readiness import describe
from .core.notice import NoticeFacts, camera_notice_html
from .core.report.period import PeriodKind, ReportError, period_for
from .core.rules.attendance import LeaveKind
from .core.rules.violations import RuleError
from .dashboard import build_dashboard
from .evidence_view import EXPORT_URL
from .meeting_runtime import MeetingRoom
from .notify_runtime import STAFF_ORDER
from .report_runtime import OfficeReports
from .rules_runtime import RulesRuntime
from .runtime import QuephongConfigEntry

SERVICE_CHECK_IN = "check_in"
SERVICE_REGISTER_LEAVE = "register_leave"
SERVICE_DISMISS_VIOLATION = "dismiss_violation"
SERVICE_EXPORT_EVIDENCE = "export_evidence"
SERVICE_SEND_REMINDER = "send_reminder"
ATTR_LEADERS = "leaders"
ATTR_TITLE = "title"
ATTR_MESSAGE = "message"
ATTR_SNAPSHOT = "include_snapshot"
ATTR_CHANNELS = "channels"
ATTR_ROOM = "room"
ATTR_LINK = "link"
ATTR_CONTACT = "contact"
SERVICE_CLOSE_EXPORT = "close_export"
ATTR_CONFIG_ENTRY = "config_entry_id"
ATTR_CASE = "case"
ATTR_EXPORT_ID = "export_id"
ATTR_STAFF = "staff"
ATTR_START = "start"
ATTR_END = "end"
ATTR_KIND = "kind"
ATTR_REASON = "reason"
ATTR_VIOLATION_ID = "violation_id"
ATTR_PERIOD = "period"
ATTR_DATE = "date"
ATTR_START_DATE = "start_date"
ATTR_END_DATE = "end_date"
ATTR_DEPARTMENT = "department"
ATTR_NUMBER = "number"

CHECK_IN_SCHEMA = vol.Schema({vol.Required(ATTR_STAFF): cv.string})
REGISTER_LEAVE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_STAFF): cv.string,
        vol.Required(ATTR_START): cv.datetime,
        vol.Required(ATTR_END): cv.datetime,
        vol.Optional(ATTR_KIND, default=LeaveKind.LEAVE.value): vol.In(
            [kind.value for kind in LeaveKind]
        ),
        vol.Optional(ATTR_REASON, default=""): cv.string,
    }
)
EXPORT_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY): cv.string,
        vol.Required(ATTR_CASE): cv.string,
        vol.Optional(ATTR_STAFF): cv.string,
        vol.Optional(ATTR_START): cv.datetime,
        vol.Optional(ATTR_END): cv.datetime,
    }
)
SEND_REMINDER_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_STAFF, default=[]): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_LEADERS, default=False): cv.boolean,
        vol.Optional(ATTR_VIOLATION_ID): cv.string,
        vol.Optional(ATTR_TITLE): cv.string,
        vol.Optional(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_SNAPSHOT, default=True): cv.boolean,
        vol.Optional(ATTR_CHANNELS, default=list(STAFF_ORDER)): vol.All(
            cv.ensure_list, [vol.In(STAFF_ORDER)]
        ),
    }
)
ROOM_SCHEMA = vol.Schema({vol.Required(ATTR_ROOM): cv.string})
START_MEETING_SCHEMA = ROOM_SCHEMA.extend({vol.Optional(ATTR_LINK): cv.string})
CLOSE_EXPORT_SCHEMA = vol.Schema(
    {vol.Required(ATTR_CONFIG_ENTRY): cv.string, vol.Required(ATTR_EXPORT_ID): cv.string}
)
GENERATE_REPORT_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY): cv.string,
        vol.Optional(ATTR_PERIOD, default=PeriodKind.MONTH.value): vol.In(
            [kind.value for kind in PeriodKind]
        ),
        vol.Optional(ATTR_DATE): cv.date,
        vol.Optional(ATTR_START_DATE): cv.date,
        vol.Optional(ATTR_END_DATE): cv.date,
        vol.Optional(ATTR_DEPARTMENT): cv.string,
        vol.Optional(ATTR_NUMBER): cv.string,
    }
)
DISMISS_SCHEMA = vol.Schema(
    {vol.Required(ATTR_VIOLATION_ID): cv.string, vol.Required(ATTR_REASON): cv.string}
)


def _error(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def _loaded_rules(hass: HomeAssistant) -> list[RulesRuntime]:
    entries: list[QuephongConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    return [
        entry.runtime_data.rules
        for entry in entries
        if entry.state is ConfigEntryState.LOADED and entry.runtime_data.rules is not None
    ]


def _staff(hass: HomeAssistant, device_id: str) -> tuple[RulesRuntime, str]:
    """The rules and the staff id of a staff member's device."""
    device = dr.async_get(hass).async_get(device_id)
    if device is not None:
        for rules in _loaded_rules(hass):
            for staff_id in rules.staff:
                if (DOMAIN, f"{rules.entry.entry_id}_{staff_id}") in device.identifiers:
                    return rules, staff_id
    raise _error("unknown_staff")


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_local(value)


async def _async_check_in(call: ServiceCall) -> None:
    rules, staff_id = _staff(call.hass, call.data[ATTR_STAFF])
    rules.async_apply(rules.rules.check_in(dt_util.now(), staff_id, "manual"))


async def _async_register_leave(call: ServiceCall) -> ServiceResponse:
    rules, staff_id = _staff(call.hass, call.data[ATTR_STAFF])
    try:
        leave, events = rules.rules.add_leave(
            dt_util.now(),
            staff_id,
            _local(call.data[ATTR_START]),
            _local(call.data[ATTR_END]),
            LeaveKind(call.data[ATTR_KIND]),
            call.data[ATTR_REASON],
            call.context.user_id,
        )
    except RuleError as err:
        raise _error(err.code) from err
    rules.async_apply(events)
    return {"leave_id": leave.id}


async def _async_dismiss(call: ServiceCall) -> None:
    violation_id = call.data[ATTR_VIOLATION_ID]
    user = None
    if call.context.user_id:
        found = await call.hass.auth.async_get_user(call.context.user_id)
        user = found.name if found else call.context.user_id
    for rules in _loaded_rules(call.hass):
        if rules.rules.ledger.get(violation_id) is None:
            continue
        try:
            events = rules.rules.dismiss(dt_util.now(), violation_id, call.data[ATTR_REASON], user)
        except RuleError as err:
            raise _error(err.code) from err
        rules.async_apply(events)
        return
    raise _error("unknown_violation")


def _office(hass: HomeAssistant, entry_id: str) -> QuephongConfigEntry:
    entry: QuephongConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
        raise _error("unknown_office")
    return entry


async def _user(call: ServiceCall) -> User | None:
    return (
        await call.hass.auth.async_get_user(call.context.user_id) if call.context.user_id else None
    )


async def _async_export(call: ServiceCall) -> ServiceResponse:
    entry = _office(call.hass, call.data[ATTR_CONFIG_ENTRY])
    keeper, rules = entry.runtime_data.evidence, entry.runtime_data.rules
    assert keeper is not None
    assert rules is not None
    user = await _user(call)
    if call.context.user_id and not keeper.may_see(user):
        raise _error("not_allowed")
    staff_id = _staff(call.hass, call.data[ATTR_STAFF])[1] if ATTR_STAFF in call.data else None
    start = _local(call.data[ATTR_START]) if ATTR_START in call.data else None
    end = _local(call.data[ATTR_END]) if ATTR_END in call.data else None
    ids = [
        v.evidence_id
        for v in rules.rules.ledger
        if v.evidence_id
        and (staff_id is None or v.staff == staff_id)
        and (start is None or v.start >= start)
        and (end is None or v.start < end)
    ]
    who = (user.name or user.id) if user else "automation"
    try:
        path = await call.hass.async_add_executor_job(
            keeper.store.export, ids, dt_util.now(), str(who), call.data[ATTR_CASE]
        )
    except EvidenceError as err:
        raise _error(err.code) from err
    export_id = path.stem
    return {
        "export_id": export_id,
        "evidence": len(ids),
        "url": EXPORT_URL.format(entry_id=entry.entry_id, export_id=export_id),
    }


async def _async_close_export(call: ServiceCall) -> None:
    entry = _office(call.hass, call.data[ATTR_CONFIG_ENTRY])
    keeper = entry.runtime_data.evidence
    assert keeper is not None
    user = await _user(call)
    who = (user.name or user.id) if user else "automation"
    try:
        await call.hass.async_add_executor_job(
            keeper.store.close_export, call.data[ATTR_EXPORT_ID], dt_util.now(), str(who)
        )
    except EvidenceError as err:
        raise _error(err.code) from err


async def _async_send_reminder(call: ServiceCall) -> ServiceResponse:
    """Remind staff members and/or the leaders of a violation, or with a message."""
    hass = call.hass
    targets = [_staff(hass, device_id) for device_id in call.data[ATTR_STAFF]]
    rules: RulesRuntime | None = targets[0][0] if targets else None
    violation = None
    if ATTR_VIOLATION_ID in call.data:
        for candidate in _loaded_rules(hass):
            violation = candidate.rules.ledger.get(call.data[ATTR_VIOLATION_ID])
            if violation is not None:
                rules = rules or candidate
                break
        if violation is None:
            raise _error("unknown_violation")
    if rules is None:
        raise _error("no_recipients")
    entry = _office(hass, rules.entry.entry_id)
    reminders = entry.runtime_data.reminders
    assert reminders is not None
    staff = [rules.staff[staff_id] for _rules, staff_id in targets]
    if not staff and violation is not None and violation.staff in rules.staff:
        staff = [rules.staff[violation.staff]]  # a violation's own staff member by default
    order = call.data[ATTR_CHANNELS]
    reachable = [s.name for s in staff if reminders.staff_routes(s, order)]
    leaders = [address for address, _routes in reminders.leader_routes()]
    if not reachable and not (call.data[ATTR_LEADERS] and leaders):
        raise _error("no_recipients")
    if violation is not None and ATTR_MESSAGE not in call.data:
        title, body = reminders.render(rules.payload(violation))
    elif ATTR_MESSAGE in call.data:
        body = call.data[ATTR_MESSAGE]
        title = call.data.get(ATTR_TITLE) or body.splitlines()[0][:80]
    else:
        raise _error("message_required")
    snapshot = violation.evidence_id if violation is not None and call.data[ATTR_SNAPSHOT] else None
    queued = await reminders.async_send_reminder(
        staff=staff,
        leaders=call.data[ATTR_LEADERS],
        subject=call.data.get(ATTR_TITLE, title),
        body=body,
        evidence_id=snapshot,
        payload=rules.payload(violation) if violation is not None else None,
        order=order,
    )
    recipients: list[Any] = [*reachable, *(leaders if call.data[ATTR_LEADERS] else [])]
    return {"queued": queued, "recipients": recipients}


def _room(hass: HomeAssistant, device_id: str) -> MeetingRoom:
    """The meeting room of a room's device."""
    device = dr.async_get(hass).async_get(device_id)
    entries: list[QuephongConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    if device is not None:
        for entry in entries:
            if entry.state is not ConfigEntryState.LOADED:
                continue
            for room_id, room in entry.runtime_data.rooms.items():
                if (DOMAIN, f"{entry.entry_id}_{room_id}") in device.identifiers:
                    return room
    raise _error("unknown_room")


async def _async_start_meeting(call: ServiceCall) -> None:
    room = _room(call.hass, call.data[ATTR_ROOM])
    link = call.data.get(ATTR_LINK)
    if link is not None:
        try:
            parse_endpoint(link, field_name=ATTR_LINK)
        except MeetingError as err:
            raise _error("invalid_link", link=link) from err
    if room.prepared and room.meeting is not None and not room.meeting.manual:
        raise _error("meeting_in_progress", title=room.meeting.title)
    await room.async_start_meeting(link)


async def _async_end_meeting(call: ServiceCall) -> None:
    room = _room(call.hass, call.data[ATTR_ROOM])
    if not room.prepared:
        raise _error("no_meeting")
    await room.async_end_meeting()


async def _async_check_readiness(call: ServiceCall) -> ServiceResponse:
    room = _room(call.hass, call.data[ATTR_ROOM])
    readiness = await room.async_check()
    return {
        "ready": readiness.ready,
        "problems": list[Any](describe(readiness.problems, "vi")),
        "meeting": room.meeting.title if room.meeting else None,
    }


async def _reports(call: ServiceCall) -> OfficeReports:
    """The reports of the office named in the call, for a caller who may see the records."""
    entry = _office(call.hass, call.data[ATTR_CONFIG_ENTRY])
    keeper, reports = entry.runtime_data.evidence, entry.runtime_data.reports
    assert reports is not None
    if call.context.user_id and keeper is not None and not keeper.may_see(await _user(call)):
        raise _error("not_allowed")
    return reports


async def _async_generate_report(call: ServiceCall) -> ServiceResponse:
    reports = await _reports(call)
    day = call.data.get(ATTR_DATE) or dt_util.now().date()
    try:
        period = period_for(
            call.data[ATTR_PERIOD],
            day,
            call.data.get(ATTR_START_DATE),
            call.data.get(ATTR_END_DATE),
        )
    except ReportError as err:
        raise _error(err.code) from err
    department = call.data.get(ATTR_DEPARTMENT)
    if department is not None and department not in {
        s.department for s in reports.rules.staff.values()
    }:
        raise _error("unknown_department", department=department)
    try:
        return await reports.async_generate(
            period, department=department, number=call.data.get(ATTR_NUMBER)
        )
    except OSError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="report_not_written",
            translation_placeholders={"error": str(err)},
        ) from err


async def _async_daily_summary(call: ServiceCall) -> ServiceResponse:
    reports = await _reports(call)
    return await reports.async_daily_summary(call.data.get(ATTR_DATE) or dt_util.now().date())


async def _async_dashboard(call: ServiceCall) -> ServiceResponse:
    entry = _office(call.hass, call.data[ATTR_CONFIG_ENTRY])
    config = build_dashboard(call.hass, entry)
    return {"config": config, "yaml": yaml_dump(config)}


async def _async_camera_notice(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    entry = _office(hass, call.data[ATTR_CONFIG_ENTRY])
    runtime = entry.runtime_data
    keeper = runtime.evidence
    facts = NoticeFacts(
        office=runtime.office.name,
        parent_unit=runtime.office.parent_unit,
        cameras=[monitor.config.name for monitor in runtime.cameras.values()],
        retention_days=keeper.retention_days if keeper else DEFAULT_RETENTION_DAYS,
        contact=call.data.get(ATTR_CONTACT) or f"Văn phòng {runtime.office.name}",
        issued=dt_util.now().date(),
    )
    name = f"thong-bao-camera-{runtime.office.unit_code}.html"
    path = Path(hass.config.path("www", DOMAIN, name))

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(camera_notice_html(facts), encoding="utf-8")

    await hass.async_add_executor_job(write)
    return {"url": f"/local/{DOMAIN}/{name}", "path": str(path)}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's services."""
    hass.services.async_register(DOMAIN, SERVICE_CHECK_IN, _async_check_in, CHECK_IN_SCHEMA)
    hass.services.async_register(
        DOMAIN,
        SERVICE_REGISTER_LEAVE,
        _async_register_leave,
        REGISTER_LEAVE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(DOMAIN, SERVICE_DISMISS_VIOLATION, _async_dismiss, DISMISS_SCHEMA)
    hass.services.async_register(
        DOMAIN,
        SERVICE_EXPORT_EVIDENCE,
        _async_export,
        EXPORT_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_CLOSE_EXPORT, _async_close_export, CLOSE_EXPORT_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_REMINDER,
        _async_send_reminder,
        SEND_REMINDER_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN, "start_meeting", _async_start_meeting, START_MEETING_SCHEMA
    )
    hass.services.async_register(DOMAIN, "end_meeting", _async_end_meeting, ROOM_SCHEMA)
    hass.services.async_register(
        DOMAIN,
        "check_readiness",
        _async_check_readiness,
        ROOM_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        "generate_report",
        _async_generate_report,
        GENERATE_REPORT_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        "daily_summary",
        _async_daily_summary,
        vol.Schema({vol.Required(ATTR_CONFIG_ENTRY): cv.string, vol.Optional(ATTR_DATE): cv.date}),
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        "dashboard",
        _async_dashboard,
        vol.Schema({vol.Required(ATTR_CONFIG_ENTRY): cv.string}),
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        "camera_notice",
        _async_camera_notice,
        vol.Schema(
            {vol.Required(ATTR_CONFIG_ENTRY): cv.string, vol.Optional(ATTR_CONTACT): cv.string}
        ),
        supports_response=SupportsResponse.ONLY,
    )
