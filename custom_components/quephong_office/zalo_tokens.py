"""Zalo token pairs, kept in the integration's own Store (never in the config entry).

Refresh tokens are single use: a new pair is written here before it is used. Keeping the
pairs out of the config entry matters: updating an entry or a subentry reloads the whole
office and all its cameras.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .core.notify.zalo import ZaloTokens

DATA_TOKENS: HassKey[ZaloTokenStore] = HassKey(f"{DOMAIN}_zalo_tokens")


class ZaloTokenStore:
    """Token pairs by key (a key per Zalo channel)."""

    def __init__(self, hass: HomeAssistant) -> None:
        """One store for every office."""
        self._store: Store[dict[str, Any]] = Store(hass, 1, f"{DOMAIN}.zalo_tokens")
        self._pairs: dict[str, Any] | None = None

    async def _loaded(self) -> dict[str, Any]:
        if self._pairs is None:
            self._pairs = await self._store.async_load() or {}
        return self._pairs

    async def async_get(self, key: str) -> ZaloTokens | None:
        """The current pair of a channel."""
        pair = (await self._loaded()).get(key)
        return ZaloTokens.from_dict(pair) if pair else None

    async def async_set(self, key: str, tokens: ZaloTokens) -> None:
        """Write a pair to disk now (before anyone uses it)."""
        pairs = await self._loaded()
        pairs[key] = tokens.to_dict()
        await self._store.async_save(pairs)

    async def async_remove(self, key: str) -> None:
        """Forget a channel's pair."""
        pairs = await self._loaded()
        if pairs.pop(key, None) is not None:
            await self._store.async_save(pairs)


def token_store(hass: HomeAssistant) -> ZaloTokenStore:
    """The shared token store."""
    if DATA_TOKENS not in hass.data:
        hass.data[DATA_TOKENS] = ZaloTokenStore(hass)
    return hass.data[DATA_TOKENS]
