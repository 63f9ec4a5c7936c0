"""Form fields shared by the office's flows: selectors and the working-hours form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.helpers import selector

from .compat import vol
from .core.calendar import SCHEDULE_FIELDS, ScheduleError, schedule_from_dict, schedule_to_dict


def select_field(options: list[str], key: str) -> selector.SelectSelector:
    """A drop-down whose option labels are translated under `selector.<key>`."""
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=options, translation_key=key, mode=selector.SelectSelectorMode.DROPDOWN
        )
    )


TEXT = selector.TextSelector()
PASSWORD = selector.TextSelector(
    selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
)
URL = selector.TextSelector(selector.TextSelectorConfig(type=selector.TextSelectorType.URL))
TIME = selector.TimeSelector()
MULTILINE = selector.TextSelector(selector.TextSelectorConfig(multiline=True))


def hours_schema(defaults: Mapping[str, str]) -> vol.Schema:
    """The working-hours form (season dates as text, session times as time pickers)."""
    fields: dict[vol.Marker, Any] = {}
    for key in SCHEDULE_FIELDS:
        field_selector = TEXT if key in ("summer_start", "winter_start") else TIME
        fields[vol.Required(key, default=defaults[key])] = field_selector
    return vol.Schema(fields)


def validate_hours(user_input: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Parse the hours form: (stored fields, {}) or ({}, {field: error})."""
    trimmed = {
        key: str(value)[:5] if key not in ("summer_start", "winter_start") else str(value).strip()
        for key, value in user_input.items()
    }
    try:
        schedule = schedule_from_dict(trimmed)
    except ScheduleError as err:
        return {}, {err.field: err.code}
    return schedule_to_dict(schedule), {}
