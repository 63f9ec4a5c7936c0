"""Sensors of an office: the current session."""

from __future__ import annotations

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.calendar import SessionState
from .entity import OfficeEntity
from .runtime import QuephongConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the office's current-session sensor."""
    async_add_entities([CurrentSessionSensor(entry)])


class CurrentSessionSensor(OfficeEntity, SensorEntity):
    """Morning, afternoon, break, off or holiday."""

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = [state.value for state in SessionState]

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """Follow the office's working clock."""
        super().__init__(entry, "current_session")
        self._clock = entry.runtime_data.clock

    @property
    def native_value(self) -> str:
        """The session state now."""
        return self._clock.state.state.value

    async def async_added_to_hass(self) -> None:
        """Update at every session boundary."""
        self.async_on_remove(self._clock.async_add_listener(self.async_write_ha_state))
