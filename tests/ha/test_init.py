"""Setting up, reloading and unloading an office."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import DOMAIN
from devtools.streams import StreamServer

from .conftest import camera_subentry, office_entry


def _device(
    registry: dr.DeviceRegistry, entry: MockConfigEntry, identifier: tuple[str, str]
) -> dr.DeviceEntry | None:
    """The entry's device with this identifier (works on every supported HA version)."""
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if identifier in device.identifiers:
            return device
    return None


async def test_load_and_unload(hass: HomeAssistant, setup_office: MockConfigEntry) -> None:
    assert setup_office.state is ConfigEntryState.LOADED
    assert hass.states.get("binary_sensor.ubnd_xa_que_phong_working_hours") is not None
    assert await hass.config_entries.async_unload(setup_office.entry_id)
    await hass.async_block_till_done()
    assert setup_office.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("binary_sensor.ubnd_xa_que_phong_working_hours").state == "unavailable"


async def test_office_device(
    hass: HomeAssistant, setup_office: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    device = _device(device_registry, setup_office, (DOMAIN, setup_office.entry_id))
    assert device is not None
    assert device.name == "UBND xã Quế Phong"
    assert device.model == "UBND xã"
    assert device.serial_number == "17011"


async def test_adding_a_camera_reloads_and_removing_cleans_up(
    hass: HomeAssistant,
    setup_office: MockConfigEntry,
    stream_server: StreamServer,
    device_registry: dr.DeviceRegistry,
    issue_registry: ir.IssueRegistry,
) -> None:
    data = camera_subentry(stream_server)
    subentry = ConfigSubentry(
        data=data["data"],
        subentry_type=data["subentry_type"],
        title=data["title"],
        unique_id=data["unique_id"],
    )
    hass.config_entries.async_add_subentry(setup_office, subentry)
    await hass.async_block_till_done()
    assert setup_office.state is ConfigEntryState.LOADED
    assert subentry.subentry_id in setup_office.runtime_data.cameras
    identifier = (DOMAIN, f"{setup_office.entry_id}_{subentry.subentry_id}")
    assert _device(device_registry, setup_office, identifier) is not None
    # a leftover repair issue of that camera
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"camera_unreachable_{subentry.subentry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="camera_unreachable",
    )

    hass.config_entries.async_remove_subentry(setup_office, subentry.subentry_id)
    await hass.async_block_till_done()
    assert setup_office.state is ConfigEntryState.LOADED
    assert not setup_office.runtime_data.cameras
    assert _device(device_registry, setup_office, identifier) is None
    assert (
        issue_registry.async_get_issue(DOMAIN, f"camera_unreachable_{subentry.subentry_id}") is None
    )


async def test_removing_the_office_clears_its_issues(
    hass: HomeAssistant, stream_server: StreamServer, issue_registry: ir.IssueRegistry
) -> None:
    entry: MockConfigEntry = office_entry(subentries_data=[camera_subentry(stream_server)])
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    subentry_id = next(iter(entry.subentries))
    issue_id = f"camera_unreachable_{subentry_id}"
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="camera_unreachable",
    )
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_unrelated_issues_survive_setup(
    hass: HomeAssistant, mock_office: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        "something_else",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="camera_unreachable",
    )
    mock_office.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_office.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, "something_else") is not None
