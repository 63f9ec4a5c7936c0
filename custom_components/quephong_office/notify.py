"""Notify entities: one per channel with default recipients, for broadcasts to leaders.

Home Assistant's notify entities carry only a message and a title, so they broadcast to the
channel's default recipients (an email channel's leader addresses, a Zalo Bot's chats, a
notify service); reminders to a staff member go through `quephong_office.send_reminder` or
the automatic router. A Zalo OA has no default recipients: it has no entity.
"""

from __future__ import annotations

from homeassistant.components.notify import NotifyEntity
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .entity import MANUFACTURER
from .notify_runtime import BotChannel, EmailChannel, Reminders, ServiceChannel
from .runtime import QuephongConfigEntry

PARALLEL_UPDATES = 1
#: Device models of the channels that broadcast.
MODELS: dict[type, tuple[str, str]] = {
    EmailChannel: ("Email (SMTP)", "email"),
    BotChannel: ("Zalo Bot", "zalo_bot"),
    ServiceChannel: ("Dịch vụ thông báo Home Assistant", "ha_notify"),
}
type BroadcastChannel = EmailChannel | BotChannel | ServiceChannel


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """A notify entity per channel."""
    reminders = entry.runtime_data.reminders
    assert reminders is not None
    for key, channel in reminders.channels.items():
        if isinstance(channel, EmailChannel | BotChannel | ServiceChannel):
            async_add_entities([ChannelNotify(entry, reminders, channel)], config_subentry_id=key)


class ChannelNotify(NotifyEntity):
    """Sends a message to the channel's leaders."""

    _attr_has_entity_name = True
    _attr_name = None

    def __init__(
        self, entry: QuephongConfigEntry, reminders: Reminders, channel: BroadcastChannel
    ) -> None:
        """The channel's device and entity."""
        self.reminders = reminders
        self.channel = channel
        self._attr_unique_id = f"{entry.entry_id}_{channel.subentry_id}_notify"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{entry.entry_id}_{channel.subentry_id}")},
            name=channel.name,
            manufacturer=MANUFACTURER,
            model=MODELS[type(channel)][0],
            model_id=MODELS[type(channel)][1],
        )

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Queue the message to every default recipient of the channel."""
        if isinstance(self.channel, EmailChannel) and not self.channel.leaders:
            raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_recipients")
        await self.reminders.async_broadcast(
            self.channel.subentry_id, title or message.splitlines()[0][:80], message
        )
