"""Switches: the after-hours watch override, and automatic sending of reminders."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .entity import OfficeRulesEntity
from .runtime import QuephongConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The office's after-hours watch switch."""
    async_add_entities([AfterHoursWatchSwitch(entry), AutoSendSwitch(entry)])


class AfterHoursWatchSwitch(OfficeRulesEntity, SwitchEntity):
    """The after-hours watch override, kept across restarts.

    On (default): the calendar arms and disarms the watch. Off: never armed (an event at the
    office at night, a guard on duty).
    """

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's watch override."""
        super().__init__(entry, "after_hours_watch")

    @property
    def is_on(self) -> bool:
        """True while the calendar may arm the watch."""
        return self.rules.rules.watch_after_hours

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Let the calendar arm the watch."""
        self.rules.async_apply(self.rules.rules.set_watch_after_hours(dt_util.now(), True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Never arm the watch until switched on again."""
        self.rules.async_apply(self.rules.rules.set_watch_after_hours(dt_util.now(), False))


class AutoSendSwitch(OfficeRulesEntity, SwitchEntity):
    """On (default): the integration sends reminders itself. Off: blueprints take over."""

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's automatic sending."""
        super().__init__(entry, "auto_send")
        reminders = entry.runtime_data.reminders
        assert reminders is not None
        self.reminders = reminders

    @property
    def is_on(self) -> bool:
        """True while reminders go out automatically."""
        return self.reminders.auto_send

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Send reminders automatically."""
        await self.reminders.async_set_auto_send(True)
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Leave sending to automations."""
        await self.reminders.async_set_auto_send(False)
        self.async_write_ha_state()
