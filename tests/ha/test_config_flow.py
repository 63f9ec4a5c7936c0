"""Every path of the config flow, the options flow and the camera subentry flow."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest
from homeassistant import config_entries
from homeassistant.const import CONF_NAME, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_CAMERA
from custom_components.quephong_office.core.calendar import NGHE_AN, YEAR_ROUND, schedule_to_dict
from custom_components.quephong_office.core.vision.probe import Snapshot, SourceNoVideo
from devtools.streams import StreamServer

from .conftest import CREDENTIALS, OFFICE_DATA, camera_subentry

pytestmark = pytest.mark.usefixtures("socket_enabled")  # local camera servers

USER_INPUT = {**OFFICE_DATA, "preset": "nghe_an"}
UNREACHABLE = "rtsp://127.0.0.1:9/live"


async def _start_office_flow(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return result


async def test_create_office(hass: HomeAssistant) -> None:
    result = await _start_office_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], USER_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "hours"
    # the Nghệ An preset is offered for confirmation; the officer changes one time
    hours = {**schedule_to_dict(NGHE_AN), "summer_afternoon_end": "17:15:00"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], hours)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "UBND xã Quế Phong"
    assert result["data"] == OFFICE_DATA
    assert result["options"]["summer_afternoon_end"] == "17:15"
    assert result["options"]["winter_morning_start"] == "07:30"
    assert result["result"].unique_id == "17011"


async def test_year_round_preset_and_blank_parent(hass: HomeAssistant) -> None:
    result = await _start_office_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {**USER_INPUT, "parent_unit": "  ", "preset": "year_round", "level": "ward"},
    )
    schema_defaults = {
        str(key): key.default() for key in result["data_schema"].schema if hasattr(key, "default")
    }
    assert schema_defaults["summer_morning_start"] == "08:00"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], schedule_to_dict(YEAR_ROUND)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "parent_unit" not in result["data"]
    assert result["data"]["level"] == "ward"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({CONF_NAME: "   "}, {CONF_NAME: "empty_name"}),
        ({"unit_code": "17O11"}, {"unit_code": "invalid_unit_code"}),
        (
            {CONF_NAME: "", "unit_code": "1"},
            {CONF_NAME: "empty_name", "unit_code": "invalid_unit_code"},
        ),
    ],
)
async def test_office_field_errors_then_success(
    hass: HomeAssistant, change: dict[str, str], errors: dict[str, str]
) -> None:
    result = await _start_office_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**USER_INPUT, **change}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert hass.config_entries.async_entries(DOMAIN) == []
    result = await hass.config_entries.flow.async_configure(result["flow_id"], USER_INPUT)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], schedule_to_dict(NGHE_AN)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"summer_morning_end": "06:30:00"}, {"summer_morning_end": "end_before_start"}),
        ({"winter_afternoon_start": "11:00:00"}, {"winter_afternoon_start": "sessions_overlap"}),
        ({"summer_start": "16/4"}, {"summer_start": "invalid_date"}),
    ],
)
async def test_hours_errors_keep_input_and_save_nothing(
    hass: HomeAssistant, change: dict[str, str], errors: dict[str, str]
) -> None:
    result = await _start_office_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], USER_INPUT)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**schedule_to_dict(NGHE_AN), **change}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "hours"
    assert result["errors"] == errors
    assert hass.config_entries.async_entries(DOMAIN) == []
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], schedule_to_dict(NGHE_AN)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_same_unit_code_twice_aborts(
    hass: HomeAssistant, mock_office: MockConfigEntry
) -> None:
    mock_office.add_to_hass(hass)
    result = await _start_office_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**USER_INPUT, "unit_code": " 17011 "}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure_office(hass: HomeAssistant, setup_office: MockConfigEntry) -> None:
    result = await setup_office.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"unit_code": "17011"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: " ", "level": "ward"}
    )
    assert result["errors"] == {CONF_NAME: "empty_name"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "UBND phường Quế Phong", "level": "ward"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert setup_office.title == "UBND phường Quế Phong"
    assert setup_office.data == {
        CONF_NAME: "UBND phường Quế Phong",
        "level": "ward",
        "unit_code": "17011",
    }
    assert setup_office.state is config_entries.ConfigEntryState.LOADED


# --- cameras ---------------------------------------------------------------------------------


async def _start_camera_flow(
    hass: HomeAssistant, entry: MockConfigEntry, name: str, source: str, role: str = "gate"
) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_CAMERA), context={"source": config_entries.SOURCE_USER}
    )
    assert result["step_id"] == "user"
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: name, "role": role, "source": source}
    )


async def test_add_url_camera_with_real_stream(
    hass: HomeAssistant, setup_office: MockConfigEntry, stream_server: StreamServer
) -> None:
    result = await _start_camera_flow(hass, setup_office, "  Cổng  chính ", "url")
    assert result["step_id"] == "url"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "stream_url": f" {stream_server.stream_url('cam')} ",
            "still_image_url": stream_server.snapshot_url("cam"),
            CONF_USERNAME: "",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Cổng chính"
    assert result["data"] == {
        "role": "gate",
        "source": "url",
        "analysis": "embedded",
        "stream_url": stream_server.stream_url("cam"),
        "still_image_url": stream_server.snapshot_url("cam"),
    }
    await hass.async_block_till_done()
    subentries = list(setup_office.subentries.values())
    assert [s.title for s in subentries] == ["Cổng chính"]
    assert subentries[0].unique_id == stream_server.stream_url("cam")


@pytest.mark.parametrize(
    ("details", "errors"),
    [
        ({"stream_url": "ftp://127.0.0.1/x"}, {"stream_url": "invalid_url"}),
        ({"stream_url": "rtsp://admin:x@127.0.0.1/x"}, {"stream_url": "credentials_in_url"}),
        ({"stream_url": UNREACHABLE}, {"stream_url": "cannot_connect"}),
        (
            {"stream_url": "STREAM", "substream_url": "rtsp://127.0.0.1:9/sub"},
            {"substream_url": "cannot_connect"},
        ),
        (
            {"stream_url": "STREAM", "still_image_url": "rtsp://127.0.0.1/snap"},
            {"still_image_url": "invalid_url"},
        ),
        (
            {"stream_url": "STREAM", "still_image_url": "http://127.0.0.1:9/snap.jpg"},
            {"still_image_url": "still_image_failed"},
        ),
        (
            {"stream_url": "STREAM", "still_image_url": "STREAM"},
            {"still_image_url": "still_image_failed"},
        ),
    ],
)
async def test_url_camera_errors_then_fix(
    hass: HomeAssistant,
    setup_office: MockConfigEntry,
    stream_server: StreamServer,
    details: dict[str, str],
    errors: dict[str, str],
) -> None:
    stream = stream_server.stream_url("cam")
    details = {key: value.replace("STREAM", stream) for key, value in details.items()}
    result = await _start_camera_flow(hass, setup_office, "Hội trường", "url", role="hall")
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], details)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert not setup_office.subentries
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"stream_url": stream}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_wrong_and_right_credentials(
    hass: HomeAssistant, setup_office: MockConfigEntry, auth_stream_server: StreamServer
) -> None:
    stream = auth_stream_server.stream_url("cam")
    result = await _start_camera_flow(hass, setup_office, "Một cửa", "url", role="one_stop")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"stream_url": stream, CONF_USERNAME: "admin", CONF_PASSWORD: "sai"}
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "stream_url": stream,
            "still_image_url": auth_stream_server.snapshot_url("cam"),
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "sai",
        },
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    with patch(
        "custom_components.quephong_office.config_flow.grab_snapshot",
        return_value=Snapshot(jpeg=b"x", width=1, height=1, codec="h264"),
    ):  # the stream accepts; only the snapshot URL refuses the password
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"],
            {
                "stream_url": stream,
                "still_image_url": auth_stream_server.snapshot_url("cam"),
                **{**CREDENTIALS, CONF_PASSWORD: "sai"},
            },
        )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "stream_url": stream,
            "still_image_url": auth_stream_server.snapshot_url("cam"),
            **CREDENTIALS,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PASSWORD] == "mật-khẩu"


async def test_no_video_error(
    hass: HomeAssistant, setup_office: MockConfigEntry, stream_server: StreamServer
) -> None:
    result = await _start_camera_flow(hass, setup_office, "Sân", "url", role="yard")
    with patch(
        "custom_components.quephong_office.config_flow.grab_snapshot",
        side_effect=SourceNoVideo("audio only"),
    ):
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"stream_url": stream_server.stream_url("cam")}
        )
    assert result["errors"] == {"stream_url": "no_video"}


@pytest.mark.parametrize("brand", ["hikvision", "dahua"])
async def test_preset_camera(
    hass: HomeAssistant, setup_office: MockConfigEntry, brand: str
) -> None:
    result = await _start_camera_flow(hass, setup_office, "Nhà xe", brand, role="parking")
    assert result["step_id"] == "preset"
    assert result["description_placeholders"] == {"brand": brand.capitalize()}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"host": "http://x/", "channel": 1, "rtsp_port": 554}
    )
    assert result["errors"] == {"host": "invalid_host"}
    # nothing answers on this port: the test reports it on the host field
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"host": "127.0.0.1", "channel": 2, "rtsp_port": 9, **CREDENTIALS}
    )
    assert result["errors"] == {"host": "cannot_connect"}
    with (
        patch(
            "custom_components.quephong_office.config_flow.grab_snapshot",
            return_value=Snapshot(jpeg=b"x", width=1, height=1, codec="h264"),
        ),
        patch(
            "custom_components.quephong_office.config_flow.async_fetch_still_image",
            return_value=b"jpeg",
        ),
    ):
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"host": "127.0.0.1", "channel": 2, "rtsp_port": 9, **CREDENTIALS}
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["stream_url"].startswith("rtsp://127.0.0.1:9/")
    assert "admin" not in result["data"]["stream_url"]
    assert result["data"]["still_image_url"].startswith("http://127.0.0.1/")


async def test_preset_invalid_channel(hass: HomeAssistant, setup_office: MockConfigEntry) -> None:
    result = await _start_camera_flow(hass, setup_office, "Nhà xe", "hikvision")
    with patch(
        "custom_components.quephong_office.config_flow.preset_urls",
        side_effect=__import__(
            "custom_components.quephong_office.core.cameras", fromlist=["CameraUrlError"]
        ).CameraUrlError("invalid_channel"),
    ):
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"host": "10.0.0.1", "channel": 1, "rtsp_port": 554}
        )
    assert result["errors"] == {"channel": "invalid_channel"}


async def test_preset_still_image_failure_reported_on_host(
    hass: HomeAssistant, setup_office: MockConfigEntry
) -> None:
    result = await _start_camera_flow(hass, setup_office, "Nhà xe", "dahua")
    with patch(
        "custom_components.quephong_office.config_flow.grab_snapshot",
        return_value=Snapshot(jpeg=b"x", width=1, height=1, codec="h264"),
    ):
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"host": "127.0.0.1", "channel": 1, "rtsp_port": 9}
        )
    assert result["errors"] == {"host": "still_image_failed"}


async def test_entity_camera(hass: HomeAssistant, setup_office: MockConfigEntry) -> None:
    result = await _start_camera_flow(hass, setup_office, "Phòng tiếp dân", "entity", "reception")
    assert result["step_id"] == "entity"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"camera_entity": "camera.khong_co"}
    )
    assert result["errors"] == {"camera_entity": "entity_not_found"}
    hass.states.async_set("camera.onvif_tiep_dan", "idle")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"camera_entity": "camera.onvif_tiep_dan"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "role": "reception",
        "source": "entity",
        "analysis": "embedded",
        "camera_entity": "camera.onvif_tiep_dan",
    }


async def test_camera_name_required(hass: HomeAssistant, setup_office: MockConfigEntry) -> None:
    result = await _start_camera_flow(hass, setup_office, "   ", "url")
    assert result["step_id"] == "user"
    assert result["errors"] == {CONF_NAME: "empty_name"}


async def test_same_camera_twice_aborts(
    hass: HomeAssistant, mock_office: MockConfigEntry, stream_server: StreamServer
) -> None:
    mock_office.add_to_hass(hass)
    hass.config_entries.async_add_subentry(mock_office, _subentry(stream_server))
    result = await _start_camera_flow(hass, mock_office, "Trùng", "url")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"stream_url": stream_server.stream_url("cam")}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


def _subentry(server: StreamServer) -> config_entries.ConfigSubentry:
    data = camera_subentry(server)
    return config_entries.ConfigSubentry(
        data=data["data"],
        subentry_type=data["subentry_type"],
        title=data["title"],
        unique_id=data["unique_id"],
    )


async def test_reconfigure_camera(
    hass: HomeAssistant, mock_office: MockConfigEntry, stream_server: StreamServer
) -> None:
    mock_office.add_to_hass(hass)
    subentry = _subentry(stream_server)
    hass.config_entries.async_add_subentry(mock_office, subentry)
    assert await hass.config_entries.async_setup(mock_office.entry_id)
    await hass.async_block_till_done()

    result = await hass.config_entries.subentries.async_init(
        (mock_office.entry_id, SUBENTRY_CAMERA),
        context={"source": config_entries.SOURCE_RECONFIGURE, "subentry_id": subentry.subentry_id},
    )
    assert result["step_id"] == "user"
    name = next(key for key in result["data_schema"].schema if key == CONF_NAME)
    assert name.default() == "Bộ phận một cửa"  # the form shows the camera's current name
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Một cửa (quầy 1-2)", "role": "one_stop", "source": "url"}
    )
    assert result["step_id"] == "url"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"stream_url": UNREACHABLE}
    )
    assert result["errors"] == {"stream_url": "cannot_connect"}
    assert mock_office.subentries[subentry.subentry_id].title == "Bộ phận một cửa"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "stream_url": stream_server.stream_url("cam"),
            "substream_url": stream_server.stream_url("cam"),
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    changed = mock_office.subentries[subentry.subentry_id]
    assert changed.title == "Một cửa (quầy 1-2)"
    assert changed.data["substream_url"] == stream_server.stream_url("cam")
    assert mock_office.state is config_entries.ConfigEntryState.LOADED


async def test_office_flow_through_the_http_api(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """The frontend's path: forms serialise, and a wrongly typed value is refused cleanly."""
    assert await async_setup_component(hass, "config", {})
    assert await async_setup_component(hass, DOMAIN, {})  # routes are frozen once a client runs
    client = await hass_client()
    resp = await client.post("/api/config/config_entries/flow", json={"handler": DOMAIN})
    assert resp.status == 200, await resp.text()
    form = await resp.json()
    assert [field["name"] for field in form["data_schema"]] == [
        "name",
        "level",
        "parent_unit",
        "unit_code",
        "preset",
    ]
    url = f"/api/config/config_entries/flow/{form['flow_id']}"
    resp = await client.post(url, json={**USER_INPUT, "level": "village"})
    assert resp.status == 400  # not one of the offered levels
    resp = await client.post(url, json=USER_INPUT)
    hours = await resp.json()
    assert hours["step_id"] == "hours"
    assert {field["name"] for field in hours["data_schema"]} >= {"summer_start", "winter_start"}
    resp = await client.post(
        f"/api/config/config_entries/flow/{hours['flow_id']}", json=schedule_to_dict(NGHE_AN)
    )
    assert (await resp.json())["type"] == "create_entry"
