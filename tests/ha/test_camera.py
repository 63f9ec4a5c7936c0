"""Camera entities with a real local stream: pictures, live source, drop-outs and recovery."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.camera import async_get_image, async_get_stream_source
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_CAMERA
from devtools.streams import StreamServer

from .conftest import CREDENTIALS, camera_subentry, office_entry, wait_for_checks

pytestmark = pytest.mark.usefixtures("socket_enabled")  # local camera servers

CAMERA = "camera.bo_phan_mot_cua"
JPEG_MAGIC = b"\xff\xd8"


async def _setup(hass: HomeAssistant, *subentries: ConfigSubentryData) -> MockConfigEntry:
    entry: MockConfigEntry = office_entry(subentries_data=list(subentries))
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await wait_for_checks(hass, entry)
    return entry


async def _advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done(wait_background_tasks=True)
    for entry in hass.config_entries.async_entries(DOMAIN):
        await wait_for_checks(hass, entry)


async def test_stream_camera_picture_and_live_source(
    hass: HomeAssistant, stream_server: StreamServer, entity_registry: er.EntityRegistry
) -> None:
    entry = await _setup(hass, camera_subentry(stream_server))
    state = hass.states.get(CAMERA)
    assert state is not None
    assert state.state != STATE_UNAVAILABLE
    image = await async_get_image(hass, CAMERA)
    assert image.content.startswith(JPEG_MAGIC)
    assert image.content_type == "image/jpeg"
    assert await async_get_stream_source(hass, CAMERA) == stream_server.stream_url("cam")
    reg = entity_registry.async_get(CAMERA)
    assert reg is not None
    assert reg.config_subentry_id == next(iter(entry.subentries))
    assert reg.unique_id == f"{entry.entry_id}_{reg.config_subentry_id}_camera"


async def test_credentials_go_into_the_stream_url_only(
    hass: HomeAssistant, auth_stream_server: StreamServer
) -> None:
    await _setup(
        hass,
        camera_subentry(
            auth_stream_server,
            still_image_url=auth_stream_server.snapshot_url("cam"),
            **CREDENTIALS,
        ),
    )
    assert hass.states.get(CAMERA).state != STATE_UNAVAILABLE
    source = await async_get_stream_source(hass, CAMERA)
    assert source == auth_stream_server.stream_url("cam").replace(
        "http://", "http://admin:m%E1%BA%ADt-kh%E1%BA%A9u@"
    )
    image = await async_get_image(hass, CAMERA)
    assert image.content.startswith(JPEG_MAGIC)
    assert "mật-khẩu" not in str(hass.states.get(CAMERA).attributes)


async def test_camera_drops_out_raises_repair_and_recovers(
    hass: HomeAssistant,
    stream_server: StreamServer,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = await _setup(hass, camera_subentry(stream_server))
    issue_id = f"camera_unreachable_{next(iter(entry.subentries))}"
    assert hass.states.get(CAMERA).state != STATE_UNAVAILABLE

    stream_server.set_available(False)
    await _advance(hass, freezer, 61)
    assert hass.states.get(CAMERA).state == STATE_UNAVAILABLE
    assert caplog.text.count("is unreachable") == 1
    with pytest.raises(HomeAssistantError):
        await async_get_image(hass, CAMERA)

    # retried with backoff for ten minutes, logged once, then a repair issue
    for _ in range(14):
        await _advance(hass, freezer, 60)
    assert caplog.text.count("is unreachable") == 1
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders["camera"] == "Bộ phận một cửa"

    stream_server.set_available(True)
    await _advance(hass, freezer, 61)
    assert hass.states.get(CAMERA).state != STATE_UNAVAILABLE
    assert "is reachable again" in caplog.text
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_camera_down_at_start_is_unavailable(
    hass: HomeAssistant, stream_server: StreamServer
) -> None:
    stream_server.set_available(False)
    await _setup(hass, camera_subentry(stream_server))
    assert hass.states.get(CAMERA).state == STATE_UNAVAILABLE


async def test_entity_source_camera_follows_its_source(
    hass: HomeAssistant, stream_server: StreamServer
) -> None:
    source = camera_subentry(stream_server)
    wrapped = ConfigSubentryData(
        data={"role": "reception", "source": "entity", "camera_entity": CAMERA},
        subentry_type=SUBENTRY_CAMERA,
        title="Tiếp dân",
        unique_id=CAMERA,
    )
    await _setup(hass, source, wrapped)
    image = await async_get_image(hass, "camera.tiep_dan")
    assert image.content.startswith(JPEG_MAGIC)
    assert await async_get_stream_source(hass, "camera.tiep_dan") == stream_server.stream_url("cam")


async def test_entity_source_missing_is_unavailable(hass: HomeAssistant) -> None:
    wrapped = ConfigSubentryData(
        data={"role": "reception", "source": "entity", "camera_entity": "camera.gone"},
        subentry_type=SUBENTRY_CAMERA,
        title="Tiếp dân",
        unique_id="camera.gone",
    )
    await _setup(hass, wrapped)
    assert hass.states.get("camera.tiep_dan").state == STATE_UNAVAILABLE


async def test_snapshot_is_cached_for_a_few_seconds(
    hass: HomeAssistant, stream_server: StreamServer, freezer: FrozenDateTimeFactory
) -> None:
    await _setup(hass, camera_subentry(stream_server))
    first = await async_get_image(hass, CAMERA)
    stream_server.set_available(False)
    again = await async_get_image(hass, CAMERA)  # served from the cache
    assert again.content == first.content
    freezer.tick(timedelta(seconds=6))
    with pytest.raises(HomeAssistantError):
        await async_get_image(hass, CAMERA)
    assert hass.states.get(CAMERA).state == STATE_UNAVAILABLE
