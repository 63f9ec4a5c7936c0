"""Buttons: "calibrate: the zones are empty now" for an analysed camera."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import CameraDeviceEntity
from .runtime import Analysis, QuephongConfigEntry

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One calibration button per analysed camera."""
    for camera_id, analysis in entry.runtime_data.analyses.items():
        async_add_entities([CalibrateButton(entry, analysis)], config_subentry_id=camera_id)


class CalibrateButton(CameraDeviceEntity, ButtonEntity):
    """Press when every zone of the camera is empty: the next frame becomes the empty picture."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_translation_key = "calibrate"

    def __init__(self, entry: QuephongConfigEntry, analysis: Analysis) -> None:
        """Calibrate an analysed camera."""
        super().__init__(entry, analysis.monitor, "calibrate")
        self.analysis = analysis

    async def async_press(self) -> None:
        """Ask the analysis to learn the next frame as empty."""
        self.analysis.request_calibration()
