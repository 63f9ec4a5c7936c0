"""Evidence in Home Assistant's media browser, for administrators and leaders only.

Home Assistant's media browser shows every source to every user, so this source asks who
is browsing and lists an office's evidence only to its administrators and leaders. Playing
an item resolves to the integration's authenticated view (signed for the user who asked).
"""

from __future__ import annotations

from homeassistant.components.media_player.const import MediaClass
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.components.media_source import (
    BrowseMediaSource,
    MediaSource,
    MediaSourceItem,
    PlayMedia,
    Unresolvable,
)
from homeassistant.components.websocket_api.connection import current_connection
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from .const import DOMAIN
from .core.evidence import RULE_LABELS
from .evidence_runtime import EvidenceKeeper
from .evidence_view import IMAGE_URL


async def async_get_media_source(hass: HomeAssistant) -> MediaSource:
    """The evidence source."""
    return EvidenceMediaSource(hass)


class EvidenceMediaSource(MediaSource):
    """Offices, then their evidence, newest first."""

    name = "Bằng chứng vi phạm"

    def __init__(self, hass: HomeAssistant) -> None:
        """The source for every office."""
        super().__init__(DOMAIN)
        self.hass = hass

    def _keepers(self) -> dict[str, tuple[str, EvidenceKeeper]]:
        connection = current_connection.get()
        user = connection.user if connection is not None else None
        found: dict[str, tuple[str, EvidenceKeeper]] = {}
        for entry in self.hass.config_entries.async_entries(DOMAIN):
            keeper = entry.runtime_data.evidence if entry.state is ConfigEntryState.LOADED else None
            if keeper is not None and keeper.may_see(user):
                found[entry.entry_id] = (entry.title, keeper)
        return found

    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        """The view's path for an evidence image."""
        entry_id, _, evidence_id = (item.identifier or "").partition("/")
        if entry_id not in self._keepers() or not evidence_id.isalnum():
            raise Unresolvable("unknown evidence")
        return PlayMedia(IMAGE_URL.format(entry_id=entry_id, evidence_id=evidence_id), "image/jpeg")

    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
        """The offices the user may see, or one office's evidence."""
        keepers = self._keepers()
        if not item.identifier:
            return BrowseMediaSource(
                domain=DOMAIN,
                identifier=None,
                media_class=MediaClass.DIRECTORY,
                media_content_type="",
                title=self.name,
                can_play=False,
                can_expand=True,
                children_media_class=MediaClass.DIRECTORY,
                children=[
                    BrowseMediaSource(
                        domain=DOMAIN,
                        identifier=entry_id,
                        media_class=MediaClass.DIRECTORY,
                        media_content_type="",
                        title=title,
                        can_play=False,
                        can_expand=True,
                    )
                    for entry_id, (title, _keeper) in keepers.items()
                ],
            )
        if item.identifier not in keepers:
            raise BrowseError("unknown office")
        title, keeper = keepers[item.identifier]
        records = await self.hass.async_add_executor_job(keeper.store.records)
        return BrowseMediaSource(
            domain=DOMAIN,
            identifier=item.identifier,
            media_class=MediaClass.DIRECTORY,
            media_content_type="",
            title=title,
            can_play=False,
            can_expand=True,
            children_media_class=MediaClass.IMAGE,
            children=[
                BrowseMediaSource(
                    domain=DOMAIN,
                    identifier=f"{item.identifier}/{record.id}",
                    media_class=MediaClass.IMAGE,
                    media_content_type="image/jpeg",
                    title=(
                        f"{record.at[:16].replace('T', ' ')} – "
                        f"{RULE_LABELS.get(record.type, record.type)} – {record.subject}"
                    ),
                    can_play=True,
                    can_expand=False,
                )
                for record in reversed(records)
            ],
        )
