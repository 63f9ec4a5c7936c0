"""Callbacks that entities register to hear that what they show has changed; shutdown test."""

from __future__ import annotations

from homeassistant.core import CALLBACK_TYPE, CoreState, HomeAssistant, callback


def shutting_down(hass: HomeAssistant) -> bool:
    """True once Home Assistant stops: no new timers may be started then."""
    return hass.is_stopping or hass.state is CoreState.stopped


class Listeners:
    """Callbacks to run when something an entity shows has changed."""

    def __init__(self) -> None:
        self._callbacks: list[CALLBACK_TYPE] = []

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Register `update`; return a function that removes it."""
        self._callbacks.append(update)

        @callback
        def remove() -> None:
            self._callbacks.remove(update)

        return remove

    @callback
    def _notify(self) -> None:
        for update in list(self._callbacks):
            update()
