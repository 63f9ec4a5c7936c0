"""Diagnostics of an office, with credentials and personal data redacted.

Redacted: camera credentials and addresses, staff members' names, phones, emails, Zalo ids
and face names.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import (
    CONF_EMAIL,
    CONF_FRIGATE_NAME,
    CONF_LEADER_EMAILS,
    CONF_PHONE,
    CONF_SENDER,
    CONF_STILL_IMAGE_URL,
    CONF_STREAM_URL,
    CONF_SUBSTREAM_URL,
    CONF_ZALO_USER_ID,
    SUBENTRY_CAMERA,
    SUBENTRY_CHANNEL,
    SUBENTRY_STAFF,
    SUBENTRY_ZONE,
)
from .rules_runtime import RulesRuntime
from .runtime import QuephongConfigEntry

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_HOST,
    CONF_STREAM_URL,
    CONF_SUBSTREAM_URL,
    CONF_STILL_IMAGE_URL,
    CONF_PHONE,
    CONF_EMAIL,
    CONF_ZALO_USER_ID,
    CONF_FRIGATE_NAME,
    CONF_LEADER_EMAILS,
    CONF_SENDER,
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: QuephongConfigEntry
) -> dict[str, Any]:
    """The office's settings, cameras (redacted) and their health, zones, staff and rules."""
    runtime = entry.runtime_data
    clock = runtime.clock.state
    subentries = entry.subentries.items()
    rules = runtime.rules
    return {
        "office": async_redact_data(dict(entry.data), TO_REDACT),
        "working_hours": dict(entry.options),
        "now": {
            "state": clock.state.value,
            "working_day": clock.day.working,
            "holiday": clock.day.holiday_name,
        },
        "cameras": [
            {
                "title": subentry.title,
                "data": async_redact_data(dict(subentry.data), TO_REDACT),
                "health": _health(runtime.cameras.get(subentry_id)),
            }
            for subentry_id, subentry in subentries
            if subentry.subentry_type == SUBENTRY_CAMERA
        ],
        "zones": [
            {"title": subentry.title, "data": dict(subentry.data)}
            for _id, subentry in subentries
            if subentry.subentry_type == SUBENTRY_ZONE
        ],
        "staff": [
            {"title": "**REDACTED**", "data": async_redact_data(dict(subentry.data), TO_REDACT)}
            for _id, subentry in subentries
            if subentry.subentry_type == SUBENTRY_STAFF
        ],
        "channels": [
            {"title": subentry.title, "data": async_redact_data(dict(subentry.data), TO_REDACT)}
            for _id, subentry in subentries
            if subentry.subentry_type == SUBENTRY_CHANNEL
        ],
        "reminders": None
        if runtime.reminders is None
        else {
            "auto_send": runtime.reminders.auto_send,
            "pending": len(runtime.reminders.queue),
            "failed_attempts": runtime.reminders.failed,
            "undelivered": runtime.reminders.undelivered,
        },
        "meeting_rooms": [
            {
                "title": room.config.name,
                "calendar": room.config.calendar,
                "devices": [t.entity_id for t in room.config.targets],
                "communes": len(room.config.communes),
                "meeting": room.meeting.title if room.meeting else None,
                "prepared": room.prepared,
                "problems": None if room.readiness is None else len(room.readiness.problems),
            }
            for room in runtime.rooms.values()
        ],
        "rules": None if rules is None else _rules(rules),
    }


def _rules(rules: RulesRuntime) -> dict[str, Any]:
    now = dt_util.now()
    engine = rules.rules
    return {
        "settings": engine.settings.to_dict(),
        "summary": asdict(engine.summary(now)),
        "violations_on_file": len(engine.ledger),
        "leaves": len(engine.leaves),
        "watch_after_hours": engine.watch_after_hours,
        "armed": engine.armed(now),
        "next_deadline": engine.next_deadline(now).isoformat(),
        "desks": {
            key: {"occupied": desk.occupied, "unattended": desk.unattended}
            for key, desk in engine.desks.items()
        },
    }


def _health(monitor: Any) -> dict[str, Any] | None:
    if monitor is None:
        return None
    health = monitor.health
    return {
        "up": health.up,
        "failures": health.failures,
        "last_error": health.last_error,
        "down_for_repair": monitor.issue_id,
    }
