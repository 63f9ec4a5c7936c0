"""Camera entities: the office's cameras, live through Home Assistant's stream component."""

from __future__ import annotations

from homeassistant.components.camera import Camera, async_get_stream_source
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .camera_runtime import CameraMonitor
from .compat import CameraEntityFeature
from .core.cameras import SourceKind
from .entity import CameraDeviceEntity
from .runtime import QuephongConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one camera entity per camera subentry, attached to that subentry."""
    for subentry_id, monitor in entry.runtime_data.cameras.items():
        async_add_entities([OfficeCamera(entry, monitor)], config_subentry_id=subentry_id)


class OfficeCamera(CameraDeviceEntity, Camera):
    """Still image from the snapshot URL or the stream; live view from the main stream."""

    _attr_name = None

    def __init__(self, entry: QuephongConfigEntry, monitor: CameraMonitor) -> None:
        """One camera of the office."""
        CameraDeviceEntity.__init__(self, entry, monitor, "camera")
        Camera.__init__(self)
        config = monitor.config
        if config.stream_url or config.source is SourceKind.ENTITY:
            self._attr_supported_features = CameraEntityFeature.STREAM

    async def stream_source(self) -> str | None:
        """The main stream with credentials, or the source entity's stream."""
        config = self.monitor.config
        if config.source is SourceKind.ENTITY:
            assert config.camera_entity is not None
            return await async_get_stream_source(self.hass, config.camera_entity)
        return config.authed(config.stream_url)

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """The latest still image (at most 5 s old)."""
        return await self.monitor.async_image()
