"""Add or change a meeting room of the office: its calendar, devices and participants.

A room follows any Home Assistant calendar (local, CalDAV, Google); events count when their
title holds the keyword (all events when it is empty). Its devices are turned on before each
meeting: media players switch to the given input, air conditioners to the given mode and set
point, scenes are activated. Participants are staff members, and for a parent unit's room
the communes or wards, one per line with the endpoint to check and their unit code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    CONF_CALENDAR,
    CONF_COMMUNES,
    CONF_DEVICES,
    CONF_GRACE,
    CONF_HVAC_MODE,
    CONF_KEYWORD,
    CONF_LEAD,
    CONF_MEDIA_SOURCE,
    CONF_PARTICIPANTS,
    CONF_TEMPERATURE,
    SUBENTRY_MEETING_ROOM,
    SUBENTRY_STAFF,
)
from .core.meeting.communes import format_communes, parse_communes
from .core.meeting.devices import SUPPORTED_DOMAINS, DeviceTarget, parse_target
from .core.meeting.errors import MeetingError
from .core.meeting.events import DEFAULT_KEYWORD
from .core.office import OfficeError, normalize_name
from .flow_fields import MULTILINE, TEXT, select_field

HVAC_MODES = ["cool", "heat", "dry", "fan_only", "auto", "heat_cool"]


def room_targets(data: Mapping[str, Any]) -> list[DeviceTarget]:
    """The devices of a room with what each must be (raise MeetingError on a bad one)."""
    targets = []
    for entity_id in data.get(CONF_DEVICES, []):
        domain = entity_id.partition(".")[0]
        options: dict[str, Any] = {}
        if domain == "media_player" and data.get(CONF_MEDIA_SOURCE):
            options["source"] = data[CONF_MEDIA_SOURCE]
        if domain == "climate":
            options["hvac_mode"] = data.get(CONF_HVAC_MODE) or "cool"
            if data.get(CONF_TEMPERATURE) is not None:
                options["temperature"] = data[CONF_TEMPERATURE]
        targets.append(parse_target(entity_id, options))
    return targets


def _minutes() -> selector.NumberSelector:
    return selector.NumberSelector(
        selector.NumberSelectorConfig(
            min=0, max=240, step=1, unit_of_measurement="min", mode=selector.NumberSelectorMode.BOX
        )
    )


class MeetingRoomSubentryFlow(ConfigSubentryFlow):
    """One meeting room."""

    def _staff(self) -> dict[str, str]:
        return {
            key: sub.title
            for key, sub in self._get_entry().subentries.items()
            if sub.subentry_type == SUBENTRY_STAFF
        }

    def _schema(self) -> vol.Schema:
        staff = [selector.SelectOptionDict(value=k, label=v) for k, v in self._staff().items()]
        return vol.Schema(
            {
                vol.Required(CONF_NAME): TEXT,
                vol.Required(CONF_CALENDAR): selector.EntitySelector(
                    selector.EntitySelectorConfig(domain="calendar")
                ),
                vol.Optional(CONF_KEYWORD): TEXT,
                vol.Required(CONF_LEAD, default=15): _minutes(),
                vol.Required(CONF_GRACE, default=10): _minutes(),
                vol.Optional(CONF_DEVICES, default=[]): selector.EntitySelector(
                    selector.EntitySelectorConfig(domain=sorted(SUPPORTED_DOMAINS), multiple=True)
                ),
                vol.Optional(CONF_MEDIA_SOURCE): TEXT,
                vol.Optional(CONF_HVAC_MODE): select_field(HVAC_MODES, "hvac_mode"),
                vol.Optional(CONF_TEMPERATURE): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=16, max=32, step=0.5, unit_of_measurement="°C"
                    )
                ),
                vol.Optional(CONF_PARTICIPANTS, default=[]): selector.SelectSelector(
                    selector.SelectSelectorConfig(options=staff, multiple=True)
                ),
                vol.Optional(CONF_COMMUNES): MULTILINE,
            }
        )

    def _validate(self, user_input: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        title = ""
        try:
            title = normalize_name(str(user_input.get(CONF_NAME, "")))
        except OfficeError as err:
            errors[err.field] = err.code
        current = (
            self._get_reconfigure_subentry().subentry_id if self.source == "reconfigure" else ""
        )
        for key, sub in self._get_entry().subentries.items():
            same = sub.subentry_type == SUBENTRY_MEETING_ROOM and key != current
            if same and title and sub.title.casefold() == title.casefold():
                errors[CONF_NAME] = "duplicate_room"
        if self.hass.states.get(user_input[CONF_CALENDAR]) is None:
            errors[CONF_CALENDAR] = "calendar_not_found"
        data: dict[str, Any] = {
            CONF_CALENDAR: user_input[CONF_CALENDAR],
            CONF_KEYWORD: " ".join(str(user_input.get(CONF_KEYWORD) or "").split()),
            CONF_LEAD: int(user_input[CONF_LEAD]),
            CONF_GRACE: int(user_input[CONF_GRACE]),
            CONF_DEVICES: list(user_input.get(CONF_DEVICES, [])),
            CONF_MEDIA_SOURCE: str(user_input.get(CONF_MEDIA_SOURCE) or "").strip(),
            CONF_HVAC_MODE: user_input.get(CONF_HVAC_MODE) or "",
            CONF_TEMPERATURE: user_input.get(CONF_TEMPERATURE),
            CONF_PARTICIPANTS: [
                s for s in user_input.get(CONF_PARTICIPANTS, []) if s in self._staff()
            ],
        }
        try:
            room_targets(data)
        except MeetingError as err:
            errors[CONF_DEVICES] = err.code
        try:
            data[CONF_COMMUNES] = format_communes(
                parse_communes(str(user_input.get(CONF_COMMUNES) or ""))
            )
        except MeetingError as err:
            errors[CONF_COMMUNES] = err.code
        return title, data, errors

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """The room's name, calendar, devices and participants."""
        errors: dict[str, str] = {}
        if user_input is not None:
            title, data, errors = self._validate(user_input)
            if not errors:
                if self.source == "reconfigure":
                    self.hass.config_entries.async_update_subentry(
                        self._get_entry(), self._get_reconfigure_subentry(), data=data, title=title
                    )
                    return self.async_abort(reason="reconfigure_successful")
                return self.async_create_entry(title=title, data=data)
        defaults: Mapping[str, Any] = user_input or {CONF_KEYWORD: DEFAULT_KEYWORD}
        if self.source == "reconfigure" and user_input is None:
            subentry = self._get_reconfigure_subentry()
            defaults = {CONF_NAME: subentry.title, **subentry.data}
        defaults = {k: v for k, v in defaults.items() if v not in (None, "")}
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(self._schema(), defaults),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a room: the same form, prefilled."""
        return await self.async_step_user()
