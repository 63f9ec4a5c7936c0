"""Zones in a real Home Assistant: the zone flow with its preview, and live analysis entities."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from homeassistant import config_entries
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import CONF_NAME, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_ZONE
from devtools.streams import StreamServer

from .conftest import camera_subentry, office_entry

pytestmark = pytest.mark.usefixtures("socket_enabled")  # local camera servers

DESK = "binary_sensor.quay_1"
PEOPLE = "sensor.quay_1_people"


def zone_subentry(
    camera_id: str, name: str = "Quầy 1", kind: str = "desk", coords: str = "0.05,0.2,0.5,0.95"
) -> ConfigSubentryData:
    """Subentry data for a zone of a camera."""
    return ConfigSubentryData(
        data={"camera": camera_id, "kind": kind, "coordinates": coords},
        subentry_type=SUBENTRY_ZONE,
        title=name,
        unique_id=None,
    )


async def _until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    """Wait (in real time: frames come from a real stream) until `predicate` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.1)


async def _office_with_camera(hass: HomeAssistant, server: StreamServer) -> MockConfigEntry:
    entry: MockConfigEntry = office_entry(subentries_data=[camera_subentry(server)])
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _office_with_desk(hass: HomeAssistant, server: StreamServer) -> MockConfigEntry:
    entry: MockConfigEntry = office_entry(subentries_data=[camera_subentry(server)])
    entry.add_to_hass(hass)
    camera_id = next(iter(entry.subentries))
    hass.config_entries.async_add_subentry(
        entry,
        config_entries.ConfigSubentry(**zone_subentry(camera_id)),  # type: ignore[arg-type]
    )
    hass.config_entries.async_add_subentry(
        entry,
        config_entries.ConfigSubentry(
            **zone_subentry(camera_id, "Che biển số", "privacy_mask", "0.9,0.9,1,1")  # type: ignore[arg-type]
        ),
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_zone_flow_needs_a_camera(hass: HomeAssistant, setup_office: MockConfigEntry) -> None:
    result = await hass.config_entries.subentries.async_init(
        (setup_office.entry_id, SUBENTRY_ZONE), context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_cameras"


@pytest.mark.parametrize(
    ("coords", "error"),
    [
        ("0.1,0.2,0.3", "invalid_polygon"),
        ("0.1,0.2 0.3,0.4", "too_few_points"),
        ("0.1,0.2,1.3,0.5", "outside_picture"),
        ("0.1,0.1 0.2,0.2 0.3,0.3", "zero_area"),
        ("0,5;0,2;0,7", "outside_picture"),  # comma decimals read as points outside
    ],
)
async def test_zone_coordinates_errors(
    hass: HomeAssistant, stream_server: StreamServer, coords: str, error: str
) -> None:
    entry = await _office_with_camera(hass, stream_server)
    camera_id = next(iter(entry.subentries))
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_ZONE), context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {CONF_NAME: "Quầy 1", "camera": camera_id, "kind": "desk", "coordinates": coords},
    )
    assert result["step_id"] == "user"
    assert result["errors"] == {"coordinates": error}


async def test_add_a_desk_with_preview(
    hass: HomeAssistant,
    stream_server: StreamServer,
    hass_client_no_auth: ClientSessionGenerator,
    entity_registry: er.EntityRegistry,
) -> None:
    entry = await _office_with_camera(hass, stream_server)
    camera_id = next(iter(entry.subentries))
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_ZONE), context={"source": config_entries.SOURCE_USER}
    )
    assert result["step_id"] == "user"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {CONF_NAME: " ", "camera": camera_id, "kind": "desk", "coordinates": "0.1,0.2,0.5,0.9"},
    )
    assert result["errors"] == {CONF_NAME: "empty_name"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            CONF_NAME: "Quầy 1",
            "camera": camera_id,
            "kind": "desk",
            "coordinates": "0.1,0.2,0.5,0.9",
        },
    )
    assert result["step_id"] == "preview"
    placeholders = result["description_placeholders"]
    assert placeholders["name"] == "Quầy 1"
    url = placeholders["preview"].removeprefix("![](").removesuffix(")")
    client = await hass_client_no_auth()
    resp = await client.get(url)  # the browser loads it without Home Assistant's auth header
    assert resp.status == 200
    assert (await resp.read()).startswith(b"\xff\xd8")
    assert (await client.get(url + "x")).status == 404

    # changed corners: shown again, not saved
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"coordinates": "0.1,0.2 0.5,0.2 0.5,0.9 0.1,0.9"}
    )
    assert result["step_id"] == "preview"
    assert not [s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_ZONE]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"coordinates": "9"}
    )
    assert result["errors"] == {"coordinates": "invalid_polygon"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"coordinates": "0.100,0.200 0.500,0.200 0.500,0.900 0.100,0.900"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Quầy 1"
    assert result["data"]["coordinates"] == "0.100,0.200 0.500,0.200 0.500,0.900 0.100,0.900"
    await hass.async_block_till_done()
    assert entity_registry.async_get(DESK) is not None
    await _until(lambda: hass.states.get(DESK).state in ("on", "off"))


async def test_live_desk_entities_calibration_and_restart(
    hass: HomeAssistant, stream_server: StreamServer, hass_storage: dict[str, Any]
) -> None:
    entry = await _office_with_desk(hass, stream_server)
    await _until(lambda: hass.states.get(DESK).state in ("on", "off"))
    assert hass.states.get(DESK).attributes["device_class"] == "occupancy"
    assert hass.states.get(PEOPLE).state.isdigit()
    assert hass.states.get("binary_sensor.bo_phan_mot_cua_motion").state in ("on", "off")
    # a privacy mask gets no entities
    assert hass.states.get("binary_sensor.che_bien_so") is None

    analysis = next(iter(entry.runtime_data.analyses.values()))
    assert analysis.layout.masks
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.bo_phan_mot_cua_calibrate"}, blocking=True
    )
    await _until(lambda: not analysis._calibrate.is_set())
    await _until(lambda: (analysis.frames_per_second or 0) > 0)

    # what was learned survives an unload and a new setup
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.vision"]["data"]
    assert analysis.monitor.subentry_id in stored
    assert stored[analysis.monitor.subentry_id]["zones"]
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    restored = next(iter(entry.runtime_data.analyses.values()))
    assert restored.analyzer._pending_state is not None


async def test_desk_unavailable_while_camera_down(
    hass: HomeAssistant, stream_server: StreamServer
) -> None:
    await _office_with_desk(hass, stream_server)
    await _until(lambda: hass.states.get(DESK).state in ("on", "off"))
    stream_server.set_available(False)
    await _until(lambda: hass.states.get(DESK).state == STATE_UNAVAILABLE, timeout=30)
    assert hass.states.get("camera.bo_phan_mot_cua").state == STATE_UNAVAILABLE
    stream_server.set_available(True)
    await _until(lambda: hass.states.get(DESK).state in ("on", "off"), timeout=30)


async def test_reconfigure_a_zone_shows_the_others(
    hass: HomeAssistant, stream_server: StreamServer, hass_client_no_auth: ClientSessionGenerator
) -> None:
    entry = await _office_with_desk(hass, stream_server)
    camera_id = next(iter(entry.runtime_data.cameras))
    desk_id = next(z.subentry_id for z in entry.runtime_data.zones.values() if z.kind == "desk")
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_ZONE),
        context={"source": config_entries.SOURCE_RECONFIGURE, "subentry_id": desk_id},
    )
    assert result["step_id"] == "user"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            CONF_NAME: "Quầy 1 (Tư pháp)",
            "camera": camera_id,
            "kind": "desk",
            "coordinates": "0.05,0.2,0.45,0.95",
        },
    )
    assert result["step_id"] == "preview"
    url = result["description_placeholders"]["preview"].removeprefix("![](").removesuffix(")")
    client = await hass_client_no_auth()
    assert (await client.get(url)).status == 200
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"coordinates": "0.050,0.200 0.450,0.200 0.450,0.950 0.050,0.950"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.subentries[desk_id].title == "Quầy 1 (Tư pháp)"
    assert entry.runtime_data.zones[desk_id].name == "Quầy 1 (Tư pháp)"


async def test_zone_preview_without_a_picture(
    hass: HomeAssistant, stream_server: StreamServer
) -> None:
    stream_server.set_available(False)
    entry = await _office_with_camera(hass, stream_server)
    camera_id = next(iter(entry.subentries))
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_ZONE), context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {CONF_NAME: "Cổng", "camera": camera_id, "kind": "gate", "coordinates": "0,0,1,1"},
    )
    assert result["step_id"] == "preview"
    assert result["description_placeholders"]["preview"] == "—"


async def test_zones_on_a_camera_taken_from_another_entity(
    hass: HomeAssistant, stream_server: StreamServer
) -> None:
    """An existing HA camera as the source: snapshots are polled and analysed."""
    entry: MockConfigEntry = office_entry(
        subentries_data=[
            camera_subentry(stream_server),
            ConfigSubentryData(
                data={
                    "role": "hall",
                    "source": "entity",
                    "camera_entity": "camera.bo_phan_mot_cua",
                },
                subentry_type="camera",
                title="Hội trường",
                unique_id="camera.bo_phan_mot_cua",
            ),
        ]
    )
    entry.add_to_hass(hass)
    wrapped_id = next(k for k, s in entry.subentries.items() if s.title == "Hội trường")
    hass.config_entries.async_add_subentry(
        entry,
        config_entries.ConfigSubentry(  # type: ignore[arg-type]
            **zone_subentry(wrapped_id, "Khán phòng", "hall", "0,0,1,1")
        ),
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await _until(lambda: hass.states.get("sensor.khan_phong_people").state.isdigit())
    assert hass.states.get("binary_sensor.khan_phong_occupancy").state in ("on", "off")
    # the source camera goes away: the wrapped camera's zone turns unavailable
    stream_server.set_available(False)
    await _until(
        lambda: hass.states.get("sensor.khan_phong_people").state == STATE_UNAVAILABLE,
        timeout=30,
    )
