"""Add or change a reminder channel of the office: email, Zalo OA (and ZNS), Zalo Bot.

Email goes through the office's SMTP server, tested (connect, TLS, login) before saving, or
through a notify service Home Assistant already has. A Zalo OA channel takes the app id,
its secret key and a token pair (from the Zalo developer console's API Explorer); the pair
is tested by refreshing it, and the new pair goes to the integration's token store, not to
the subentry. Changing the channel with a new pair is how a dead refresh token is replaced.
The same OA may send an approved ZNS template by phone: the office maps the integration's
values onto the template's parameters. A Zalo Bot takes its token (tested with getMe) and
the chats (the leaders' group) it posts to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from uuid import uuid4

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util

from .compat import vol
from .const import (
    CHANNEL_EMAIL,
    CHANNEL_HA_NOTIFY,
    CHANNEL_KINDS,
    CHANNEL_ZALO_BOT,
    CHANNEL_ZALO_OA,
    CONF_ACCESS_TOKEN,
    CONF_APP_ID,
    CONF_BOT_BASE,
    CONF_BOT_CHATS,
    CONF_BOT_TOKEN,
    CONF_BUSINESS_BASE,
    CONF_CHANNEL_KIND,
    CONF_LEADER_EMAILS,
    CONF_OAUTH_BASE,
    CONF_OPENAPI_BASE,
    CONF_REFRESH_TOKEN,
    CONF_SECRET_KEY,
    CONF_SENDER,
    CONF_SENDER_NAME,
    CONF_SERVICE,
    CONF_TLS,
    CONF_TOKEN_KEY,
    CONF_ZNS_MAPPING,
    CONF_ZNS_TEMPLATE,
)
from .core.notify.email import TLS_MODES, ChannelError, SmtpSettings, check
from .core.notify.templates import TemplateError, parse_zns_mapping
from .core.notify.zalo import (
    BUSINESS_BASE,
    OAUTH_BASE,
    OPENAPI_BASE,
    ZaloError,
    ZaloOAClient,
    ZaloTokens,
)
from .core.notify.zalo_bot import BOT_BASE, ZaloBotClient
from .core.office import OfficeError, normalize_name
from .core.staff import StaffError, normalize_email
from .flow_fields import MULTILINE, PASSWORD, TEXT, select_field
from .zalo_tokens import token_store


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


async def async_test_zalo_pair(
    hass: HomeAssistant, data: Mapping[str, Any], refresh_token: str
) -> dict[str, str]:
    """Refresh a Zalo OA channel's pair once; keep the new pair in the token store.

    Returns the form errors ({} when the pair works).
    """
    store = token_store(hass)

    async def save(tokens: ZaloTokens) -> None:
        await store.async_set(data[CONF_TOKEN_KEY], tokens)

    client = ZaloOAClient(
        async_get_clientsession(hass),
        app_id=data[CONF_APP_ID],
        secret_key=data[CONF_SECRET_KEY],
        tokens=ZaloTokens(access_token="", refresh_token=refresh_token, expires_at=dt_util.now()),
        save_tokens=save,
        now=dt_util.now,
        oauth_base=data[CONF_OAUTH_BASE],
        openapi_base=data[CONF_OPENAPI_BASE],
    )
    try:
        await client.refresh()
    except ZaloError as err:
        if err.code == "cannot_connect":
            return {CONF_OAUTH_BASE: "cannot_connect"}
        return {CONF_REFRESH_TOKEN: "invalid_auth"}
    return {}


def _title(user_input: Mapping[str, Any]) -> str:
    """The channel's name as typed, with runs of spaces folded ("" when only spaces)."""
    return " ".join(str(user_input.get(CONF_NAME, "")).split())


def split_ids(text: str) -> list[str]:
    """Ids separated by commas, semicolons or spaces, without repeats."""
    return list(dict.fromkeys(i for i in text.replace(";", ",").replace(" ", ",").split(",") if i))


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
        """Which kind of channel."""
        if self.source == "reconfigure":
            kind = self._get_reconfigure_subentry().data.get(CONF_CHANNEL_KIND, CHANNEL_EMAIL)
            step: Callable[[], Awaitable[SubentryFlowResult]] = getattr(self, f"async_step_{kind}")
            return await step()
        return self.async_show_menu(step_id="user", menu_options=list(CHANNEL_KINDS))

    def _kept(self) -> Mapping[str, Any]:
        """The channel's current name and settings when it is being changed, else nothing."""
        if self.source != "reconfigure":
            return {}
        subentry = self._get_reconfigure_subentry()
        return {CONF_NAME: subentry.title, **subentry.data}

    def _form(
        self,
        step_id: str,
        schema: vol.Schema,
        user_input: Mapping[str, Any] | None,
        errors: dict[str, str],
    ) -> SubentryFlowResult:
        """The step's form, showing again what the user typed."""
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )

    def _save(self, title: str, data: dict[str, Any]) -> SubentryFlowResult:
        if self.source == "reconfigure":
            self.hass.config_entries.async_update_subentry(
                self._get_entry(), self._get_reconfigure_subentry(), data=data, title=title
            )
            return self.async_abort(reason="reconfigure_successful")
        return self.async_create_entry(title=title, data=data)

    async def async_step_zalo_oa(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """App id, secret key and a token pair, tested by refreshing the pair."""
        errors: dict[str, str] = {}
        kept = self._kept()
        if user_input is not None:
            title = _title(user_input)
            data = {
                CONF_CHANNEL_KIND: CHANNEL_ZALO_OA,
                CONF_APP_ID: str(user_input[CONF_APP_ID]).strip(),
                CONF_SECRET_KEY: str(user_input[CONF_SECRET_KEY]).strip(),
                CONF_OAUTH_BASE: str(user_input.get(CONF_OAUTH_BASE) or OAUTH_BASE).rstrip("/"),
                CONF_OPENAPI_BASE: str(user_input.get(CONF_OPENAPI_BASE) or OPENAPI_BASE).rstrip(
                    "/"
                ),
                CONF_BUSINESS_BASE: str(user_input.get(CONF_BUSINESS_BASE) or BUSINESS_BASE).rstrip(
                    "/"
                ),
                CONF_TOKEN_KEY: kept.get(CONF_TOKEN_KEY) or uuid4().hex,
                CONF_ZNS_TEMPLATE: str(user_input.get(CONF_ZNS_TEMPLATE) or "").strip(),
                CONF_ZNS_MAPPING: "",
            }
            if data[CONF_ZNS_TEMPLATE]:
                try:
                    mapping = parse_zns_mapping(str(user_input.get(CONF_ZNS_MAPPING) or ""))
                except TemplateError as err:
                    errors[CONF_ZNS_MAPPING] = err.code
                else:
                    data[CONF_ZNS_MAPPING] = "\n".join(f"{k} = {v}" for k, v in mapping.items())
            if not title:
                errors[CONF_NAME] = "empty_name"
            elif not errors:
                errors = await async_test_zalo_pair(
                    self.hass, data, str(user_input[CONF_REFRESH_TOKEN]).strip()
                )
            if not errors:
                return self._save(title, data)
        schema = vol.Schema(
            {
                vol.Required(CONF_NAME, default=kept.get(CONF_NAME, "Zalo OA")): TEXT,
                vol.Required(CONF_APP_ID, default=kept.get(CONF_APP_ID, "")): TEXT,
                vol.Required(CONF_SECRET_KEY): PASSWORD,
                vol.Required(CONF_ACCESS_TOKEN): PASSWORD,
                vol.Required(CONF_REFRESH_TOKEN): PASSWORD,
                vol.Optional(CONF_OAUTH_BASE, default=kept.get(CONF_OAUTH_BASE, OAUTH_BASE)): TEXT,
                vol.Optional(CONF_ZNS_TEMPLATE, default=kept.get(CONF_ZNS_TEMPLATE, "")): TEXT,
                vol.Optional(CONF_ZNS_MAPPING, default=kept.get(CONF_ZNS_MAPPING, "")): MULTILINE,
                vol.Optional(
                    CONF_OPENAPI_BASE, default=kept.get(CONF_OPENAPI_BASE, OPENAPI_BASE)
                ): TEXT,
                vol.Optional(
                    CONF_BUSINESS_BASE, default=kept.get(CONF_BUSINESS_BASE, BUSINESS_BASE)
                ): TEXT,
            }
        )
        return self._form("zalo_oa", schema, user_input, errors)

    async def async_step_zalo_bot(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The bot's token (tested with getMe) and the chats it posts to."""
        errors: dict[str, str] = {}
        kept = self._kept()
        if user_input is not None:
            title = _title(user_input)
            chats = split_ids(str(user_input.get(CONF_BOT_CHATS) or ""))
            data = {
                CONF_CHANNEL_KIND: CHANNEL_ZALO_BOT,
                CONF_BOT_TOKEN: str(user_input[CONF_BOT_TOKEN]).strip(),
                CONF_BOT_BASE: str(user_input.get(CONF_BOT_BASE) or BOT_BASE).rstrip("/"),
                CONF_BOT_CHATS: ", ".join(chats),
            }
            if not title:
                errors[CONF_NAME] = "empty_name"
            elif not chats:
                errors[CONF_BOT_CHATS] = "no_chats"
            else:
                client = ZaloBotClient(
                    async_get_clientsession(self.hass),
                    token=data[CONF_BOT_TOKEN],
                    base=data[CONF_BOT_BASE],
                )
                try:
                    await client.get_me()
                except ZaloError as err:
                    if err.code == "cannot_connect":
                        errors[CONF_BOT_BASE] = "cannot_connect"
                    else:
                        errors[CONF_BOT_TOKEN] = "invalid_auth"
            if not errors:
                return self._save(title, data)
        schema = vol.Schema(
            {
                vol.Required(CONF_NAME, default=kept.get(CONF_NAME, "Zalo Bot")): TEXT,
                vol.Required(CONF_BOT_TOKEN): PASSWORD,
                vol.Required(CONF_BOT_CHATS, default=kept.get(CONF_BOT_CHATS, "")): TEXT,
                vol.Optional(CONF_BOT_BASE, default=kept.get(CONF_BOT_BASE, BOT_BASE)): TEXT,
            }
        )
        return self._form("zalo_bot", schema, user_input, errors)

    async def async_step_ha_notify(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """A notify service Home Assistant already has (SMTP, Telegram, …) for the leaders."""
        services = sorted(
            name
            for name in self.hass.services.async_services_for_domain("notify")
            if name not in ("send_message", "persistent_notification")
        )
        if not services:
            return self.async_abort(reason="no_notify_services")
        errors: dict[str, str] = {}
        kept = self._kept()
        if user_input is not None:
            title = _title(user_input)
            if not title:
                errors[CONF_NAME] = "empty_name"
            else:
                return self._save(
                    title,
                    {CONF_CHANNEL_KIND: CHANNEL_HA_NOTIFY, CONF_SERVICE: user_input[CONF_SERVICE]},
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_NAME, default=kept.get(CONF_NAME, "")): TEXT,
                vol.Required(
                    CONF_SERVICE, default=kept.get(CONF_SERVICE, services[0])
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=services, mode=selector.SelectSelectorMode.DROPDOWN
                    )
                ),
            }
        )
        return self._form("ha_notify", schema, user_input, errors)

    async def async_step_email(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The SMTP server, the sender and the leaders' addresses, tested before saving."""
        errors: dict[str, str] = {}
        defaults: Mapping[str, Any] = user_input or self._kept()
        if user_input is not None:
            data: dict[str, Any] = {
                CONF_CHANNEL_KIND: CHANNEL_EMAIL,
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
                return self._save(title, data)
        return self.async_show_form(
            step_id="email", data_schema=self._schema(defaults), errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a channel: the same form, prefilled and tested again."""
        return await self.async_step_user()
