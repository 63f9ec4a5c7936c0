"""Repairs: purge the records of a staff member removed from the office.

When a staff member is removed, their violations and attendance stay on file (a case may
still be open). A repair issue offers to purge them once the office no longer needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .compat import vol
from .const import DOMAIN, ISSUE_STAFF_RECORDS
from .rules_runtime import RulesRuntime

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


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The purge flow of a staff-records issue."""
    assert data is not None
    return PurgeStaffRecordsFlow(str(data["entry_id"]), str(data["staff_id"]))
