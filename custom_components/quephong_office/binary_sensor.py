"""Binary sensors of an office: is it working time now."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import OfficeEntity
from .runtime import QuephongConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the office's working-hours sensor."""
    async_add_entities([WorkingHoursSensor(entry)])


class WorkingHoursSensor(OfficeEntity, BinarySensorEntity):
    """On during a morning or afternoon session of a working day."""

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """Follow the office's working clock."""
        super().__init__(entry, "working_hours")
        self._clock = entry.runtime_data.clock

    @property
    def is_on(self) -> bool:
        """True inside a working session."""
        return self._clock.state.is_working_time

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """The current session's hours and, on a holiday, its name."""
        state = self._clock.state
        session = state.session
        return {
            "session_start": session.start.strftime("%H:%M") if session else None,
            "session_end": session.end.strftime("%H:%M") if session else None,
            "holiday": state.day.holiday_name,
        }

    async def async_added_to_hass(self) -> None:
        """Update at every session boundary."""
        self.async_on_remove(self._clock.async_add_listener(self.async_write_ha_state))
