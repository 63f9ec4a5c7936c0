"""Add or change a staff member of the office (a config subentry per person).

Who they are (name, position, department), where they sit (a desk zone), how to reach them
(Zalo user id, phone, email) and what tells the office they are in: their desk's occupancy,
any presence entities (a person, a phone's device tracker, a door or mmWave sensor), and a
name that Frigate's face recognition gives them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    CONF_DEPARTMENT,
    CONF_DESK,
    CONF_EMAIL,
    CONF_FRIGATE_CAMERA,
    CONF_FRIGATE_NAME,
    CONF_KIND,
    CONF_PHONE,
    CONF_POSITION,
    CONF_PRESENCE_ENTITIES,
    CONF_ZALO_USER_ID,
    NO_DESK,
    SUBENTRY_STAFF,
    SUBENTRY_ZONE,
)
from .core.office import OfficeError, normalize_name
from .core.staff import StaffError, normalize_email, normalize_phone, normalize_zalo_user_id
from .flow_fields import TEXT


class StaffSubentryFlow(ConfigSubentryFlow):
    """One staff member."""

    def _desks(self) -> dict[str, str]:
        entry = self._get_entry()
        return {
            subentry_id: subentry.title
            for subentry_id, subentry in entry.subentries.items()
            if subentry.subentry_type == SUBENTRY_ZONE and subentry.data.get(CONF_KIND) == "desk"
        }

    def _schema(self, defaults: Mapping[str, Any]) -> vol.Schema:
        desks = [selector.SelectOptionDict(value=NO_DESK, label="—")] + [
            selector.SelectOptionDict(value=key, label=title)
            for key, title in self._desks().items()
        ]
        schema = vol.Schema(
            {
                vol.Required(CONF_NAME): TEXT,
                vol.Optional(CONF_POSITION): TEXT,
                vol.Optional(CONF_DEPARTMENT): TEXT,
                vol.Required(CONF_DESK, default=NO_DESK): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=desks, mode=selector.SelectSelectorMode.DROPDOWN
                    )
                ),
                vol.Optional(CONF_ZALO_USER_ID): TEXT,
                vol.Optional(CONF_PHONE): selector.TextSelector(
                    selector.TextSelectorConfig(type=selector.TextSelectorType.TEL)
                ),
                vol.Optional(CONF_EMAIL): selector.TextSelector(
                    selector.TextSelectorConfig(type=selector.TextSelectorType.EMAIL)
                ),
                vol.Optional(CONF_PRESENCE_ENTITIES): selector.EntitySelector(
                    selector.EntitySelectorConfig(
                        domain=["person", "device_tracker", "binary_sensor", "input_boolean"],
                        multiple=True,
                    )
                ),
                vol.Optional(CONF_FRIGATE_NAME): TEXT,
                vol.Optional(CONF_FRIGATE_CAMERA): TEXT,
            }
        )
        return self.add_suggested_values_to_schema(schema, defaults)

    def _validate(self, user_input: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        data: dict[str, Any] = {}
        try:
            data[CONF_NAME] = normalize_name(user_input.get(CONF_NAME, ""))
        except OfficeError as err:
            errors[err.field] = err.code
        else:
            current = (
                self._get_reconfigure_subentry().subentry_id
                if self.source == "reconfigure"
                else None
            )
            for subentry_id, subentry in self._get_entry().subentries.items():
                if (
                    subentry.subentry_type == SUBENTRY_STAFF
                    and subentry_id != current
                    and subentry.title.casefold() == data[CONF_NAME].casefold()
                ):
                    errors[CONF_NAME] = "duplicate_staff"
        for key in (CONF_POSITION, CONF_DEPARTMENT, CONF_FRIGATE_NAME, CONF_FRIGATE_CAMERA):
            text = " ".join(str(user_input.get(key) or "").split())
            if text:
                data[key] = text
        desk = user_input.get(CONF_DESK, NO_DESK)
        if desk != NO_DESK and desk not in self._desks():
            errors[CONF_DESK] = "desk_not_found"
        data[CONF_DESK] = desk
        for key, check in (
            (CONF_ZALO_USER_ID, normalize_zalo_user_id),
            (CONF_PHONE, normalize_phone),
            (CONF_EMAIL, normalize_email),
        ):
            value = str(user_input.get(key) or "").strip()
            if value:
                try:
                    data[key] = check(value)
                except StaffError as err:
                    errors[key] = err.code
        entities = list(user_input.get(CONF_PRESENCE_ENTITIES) or [])
        if entities:
            data[CONF_PRESENCE_ENTITIES] = entities
        return data, errors

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Everything about the staff member in one form."""
        errors: dict[str, str] = {}
        defaults: Mapping[str, Any] = user_input or {}
        if self.source == "reconfigure" and user_input is None:
            subentry = self._get_reconfigure_subentry()
            defaults = {CONF_NAME: subentry.title, **subentry.data}
        if user_input is not None:
            data, errors = self._validate(user_input)
            if not errors:
                title = data.pop(CONF_NAME)
                if self.source == "reconfigure":
                    self.hass.config_entries.async_update_subentry(
                        self._get_entry(), self._get_reconfigure_subentry(), data=data, title=title
                    )
                    return self.async_abort(reason="reconfigure_successful")
                return self.async_create_entry(title=title, data=data)
        return self.async_show_form(
            step_id="user", data_schema=self._schema(defaults), errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a staff member: the same form, prefilled."""
        return await self.async_step_user(user_input)
