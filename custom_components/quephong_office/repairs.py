"""Repairs: purge a removed staff member's records; give a Zalo OA channel a new token pair.

When a staff member is removed, their violations and attendance stay on file (a case may
still be open). A repair issue offers to purge them once the office no longer needs them.
When a Zalo OA channel's refresh token dies, its repair issue asks for a new refresh token,
tests it by refreshing, and hands the new pair to the running channel (no reload).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .channel_flow import async_test_zalo_pair
from .compat import vol
from .const import (
    CONF_REFRESH_TOKEN,
    CONF_TOKEN_KEY,
    DOMAIN,
    ISSUE_STAFF_RECORDS,
    ISSUE_ZALO_REAUTH,
)
from .flow_fields import PASSWORD
from .notify_runtime import ZaloChannel
from .rules_runtime import RulesRuntime
from .zalo_tokens import token_store

if TYPE_CHECKING:  # not in every supported version; only annotations use it
    from homeassistant.components.repairs import RepairsFlowResult


@callback
def async_sync_staff_issues(hass: HomeAssistant, rules: RulesRuntime) -> None:
    """One issue per removed staff member whose records are kept; none for the others."""
    orphans = rules.rules.orphaned_staff()
    prefix = f"{ISSUE_STAFF_RECORDS}_{rules.entry.entry_id}_"
    for (domain, issue_id), _issue in list(ir.async_get(hass).issues.items()):
        stale = issue_id.startswith(prefix) and issue_id.removeprefix(prefix) not in orphans
        if domain == DOMAIN and stale:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
    for staff_id, name in orphans.items():
        ir.async_create_issue(
            hass,
            DOMAIN,
            f"{prefix}{staff_id}",
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_STAFF_RECORDS,
            translation_placeholders={
                "name": name,
                "office": rules.office.name,
                "count": str(rules.rules.records_of(staff_id)),
            },
            data={"entry_id": rules.entry.entry_id, "staff_id": staff_id},
        )


class PurgeStaffRecordsFlow(RepairsFlow):
    """Confirm, then purge."""

    def __init__(self, entry_id: str, staff_id: str) -> None:
        """The office and the removed staff member."""
        self.entry_id = entry_id
        self.staff_id = staff_id

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Ask for confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Purge on confirmation."""
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="office_not_loaded")
        rules: RulesRuntime = entry.runtime_data.rules
        if user_input is not None:
            rules.rules.purge_staff(self.staff_id)
            rules.async_apply([])
            async_sync_staff_issues(self.hass, rules)
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders={
                "name": rules.rules.names.get(self.staff_id, self.staff_id),
                "count": str(rules.rules.records_of(self.staff_id)),
            },
        )


class ZaloReauthFlow(RepairsFlow):
    """A new refresh token for a Zalo OA channel, tested before it is kept."""

    def __init__(self, entry_id: str, subentry_id: str) -> None:
        """The office and its Zalo OA channel."""
        self.entry_id = entry_id
        self.subentry_id = subentry_id

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Start with the form."""
        return await self.async_step_token()

    async def async_step_token(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Ask for the new pair's refresh token."""
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        subentry = entry.subentries.get(self.subentry_id) if entry is not None else None
        if entry is None or subentry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="office_not_loaded")
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = await async_test_zalo_pair(
                self.hass, subentry.data, str(user_input[CONF_REFRESH_TOKEN]).strip()
            )
            if not errors:
                tokens = await token_store(self.hass).async_get(subentry.data[CONF_TOKEN_KEY])
                reminders = entry.runtime_data.reminders
                channel = reminders.channels.get(self.subentry_id) if reminders else None
                if tokens is not None and isinstance(channel, ZaloChannel):
                    channel.client.tokens = tokens  # the running channel uses the new pair
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="token",
            data_schema=vol.Schema({vol.Required(CONF_REFRESH_TOKEN): PASSWORD}),
            errors=errors,
            description_placeholders={"channel": subentry.title},
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The flow that fixes an issue: a Zalo reauthentication, or a staff-records purge."""
    assert data is not None
    if issue_id.startswith(f"{ISSUE_ZALO_REAUTH}_"):
        return ZaloReauthFlow(str(data["entry_id"]), str(data["subentry_id"]))
    return PurgeStaffRecordsFlow(str(data["entry_id"]), str(data["staff_id"]))
