"""Working-hours and current-session entities over a day, with time travel."""

from __future__ import annotations

from datetime import datetime
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from .conftest import travel

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WORKING = "binary_sensor.ubnd_xa_que_phong_working_hours"
SESSION = "sensor.ubnd_xa_que_phong_current_session"


def _states(hass: HomeAssistant) -> tuple[str, str]:
    return hass.states.get(WORKING).state, hass.states.get(SESSION).state


@pytest.mark.freeze_time(datetime(2025, 6, 5, 6, 0, tzinfo=VN))
async def test_a_summer_working_day(
    hass: HomeAssistant, setup_office: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    assert _states(hass) == ("off", "off")
    await travel(hass, freezer, datetime(2025, 6, 5, 7, 0, tzinfo=VN))
    assert _states(hass) == ("on", "morning")
    attrs = hass.states.get(WORKING).attributes
    assert (attrs["session_start"], attrs["session_end"]) == ("07:00", "11:30")
    await travel(hass, freezer, datetime(2025, 6, 5, 11, 30, tzinfo=VN))
    assert _states(hass) == ("off", "break")
    await travel(hass, freezer, datetime(2025, 6, 5, 13, 30, tzinfo=VN))
    assert _states(hass) == ("on", "afternoon")
    await travel(hass, freezer, datetime(2025, 6, 5, 17, 0, tzinfo=VN))
    assert _states(hass) == ("off", "off")


@pytest.mark.freeze_time(datetime(2025, 4, 29, 16, 0, tzinfo=VN))
async def test_into_a_public_holiday(
    hass: HomeAssistant, setup_office: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    assert _states(hass) == ("on", "afternoon")
    await travel(hass, freezer, datetime(2025, 4, 30, 0, 0, tzinfo=VN))
    await travel(hass, freezer, datetime(2025, 4, 30, 9, 0, tzinfo=VN))
    assert _states(hass) == ("off", "holiday")
    assert hass.states.get(WORKING).attributes["holiday"]


@pytest.mark.freeze_time(datetime(2025, 11, 20, 9, 0, tzinfo=VN))
@pytest.mark.parametrize("platform", [Platform.BINARY_SENSOR, Platform.SENSOR])
async def test_entities_snapshot(
    hass: HomeAssistant,
    mock_office: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    mock_office.add_to_hass(hass)
    with patch("custom_components.quephong_office.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(mock_office.entry_id)
        await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, mock_office.entry_id)
