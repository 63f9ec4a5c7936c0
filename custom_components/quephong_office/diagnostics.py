"""Diagnostics of an office, with credentials and camera addresses redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_STILL_IMAGE_URL, CONF_STREAM_URL, CONF_SUBSTREAM_URL
from .runtime import QuephongConfigEntry

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_HOST,
    CONF_STREAM_URL,
    CONF_SUBSTREAM_URL,
    CONF_STILL_IMAGE_URL,
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: QuephongConfigEntry
) -> dict[str, Any]:
    """The office's settings, its cameras (redacted) and their health."""
    runtime = entry.runtime_data
    clock = runtime.clock.state
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
            for subentry_id, subentry in entry.subentries.items()
        ],
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
