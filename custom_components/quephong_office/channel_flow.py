"""Add or change a reminder channel of the office: email through the office's SMTP server.

The connection is tested (connect, TLS, login) before anything is saved. Zalo channels will
be added here as further channel kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.helpers import selector

from .compat import vol
from .const import CONF_LEADER_EMAILS, CONF_SENDER, CONF_SENDER_NAME, CONF_TLS
from .core.notify.email import TLS_MODES, ChannelError, SmtpSettings, check
from .core.office import OfficeError, normalize_name
from .core.staff import StaffError, normalize_email
from .flow_fields import PASSWORD, TEXT, select_field


def smtp_settings(data: Mapping[str, Any]) -> SmtpSettings:
    """SMTP settings from a channel subentry's data."""
    return SmtpSettings(
        host=data[CONF_HOST],
        port=int(data[CONF_PORT]),
        tls=data[CONF_TLS],
        username=data.get(CONF_USERNAME) or None,
        password=data.get(CONF_PASSWORD) or None,
        sender=data[CONF_SENDER],
        sender_name=data.get(CONF_SENDER_NAME, ""),
    )


def split_emails(text: str) -> list[str]:
    """Addresses separated by commas, semicolons or spaces; raise StaffError on a bad one."""
    return [normalize_email(a) for a in text.replace(";", ",").replace(" ", ",").split(",") if a]


class ChannelSubentryFlow(ConfigSubentryFlow):
    """An email channel."""

    def _schema(self, defaults: Mapping[str, Any]) -> vol.Schema:
        schema = vol.Schema(
            {
                vol.Required(CONF_NAME): TEXT,
                vol.Required(CONF_HOST): TEXT,
                vol.Required(CONF_PORT, default=587): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=1, max=65535, step=1, mode=selector.NumberSelectorMode.BOX
                    )
                ),
                vol.Required(CONF_TLS, default="starttls"): select_field(list(TLS_MODES), "tls"),
                vol.Optional(CONF_USERNAME): TEXT,
                vol.Optional(CONF_PASSWORD): PASSWORD,
                vol.Required(CONF_SENDER): selector.TextSelector(
                    selector.TextSelectorConfig(type=selector.TextSelectorType.EMAIL)
                ),
                vol.Optional(CONF_SENDER_NAME): TEXT,
                vol.Optional(CONF_LEADER_EMAILS): TEXT,
            }
        )
        return self.add_suggested_values_to_schema(schema, defaults)

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """The SMTP server, the sender and the leaders' addresses, tested before saving."""
        errors: dict[str, str] = {}
        defaults: Mapping[str, Any] = user_input or {}
        if self.source == "reconfigure" and user_input is None:
            subentry = self._get_reconfigure_subentry()
            defaults = {CONF_NAME: subentry.title, **subentry.data}
        if user_input is not None:
            data: dict[str, Any] = {
                CONF_HOST: str(user_input[CONF_HOST]).strip(),
                CONF_PORT: int(user_input[CONF_PORT]),
                CONF_TLS: user_input[CONF_TLS],
                CONF_USERNAME: str(user_input.get(CONF_USERNAME) or "").strip(),
                CONF_PASSWORD: user_input.get(CONF_PASSWORD) or "",
                CONF_SENDER_NAME: " ".join(str(user_input.get(CONF_SENDER_NAME) or "").split()),
            }
            try:
                title = normalize_name(str(user_input.get(CONF_NAME, "")))
            except OfficeError as err:
                errors[err.field] = err.code
            try:
                data[CONF_SENDER] = normalize_email(str(user_input.get(CONF_SENDER, "")))
            except StaffError:
                errors[CONF_SENDER] = "invalid_email"
            try:
                data[CONF_LEADER_EMAILS] = split_emails(
                    str(user_input.get(CONF_LEADER_EMAILS) or "")
                )
            except StaffError:
                errors[CONF_LEADER_EMAILS] = "invalid_email"
            if not errors:
                try:
                    await self.hass.async_add_executor_job(check, smtp_settings(data))
                except ChannelError as err:
                    errors[CONF_HOST if err.code == "cannot_connect" else CONF_PASSWORD] = err.code
            if not errors:
                data[CONF_LEADER_EMAILS] = ", ".join(data[CONF_LEADER_EMAILS])
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
        """Change a channel: the same form, prefilled and tested again."""
        return await self.async_step_user(user_input)
