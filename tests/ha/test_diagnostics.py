"""Diagnostics never show credentials or camera addresses."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from devtools.streams import StreamServer

from .conftest import CREDENTIALS, camera_subentry, office_entry, staff_subentry


async def test_diagnostics_redacted(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, auth_stream_server: StreamServer
) -> None:
    entry: MockConfigEntry = office_entry(
        subentries_data=[
            camera_subentry(auth_stream_server, **CREDENTIALS),
            staff_subentry(
                "Nguyễn Văn An",
                phone="0912345678",
                email="an@quephong.gov.vn",
                zalo_user_id="84726",
            ),
        ]
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    diag = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = str(diag)
    assert "mật-khẩu" not in text
    assert "admin" not in text
    assert "127.0.0.1" not in text
    for personal in ("Nguyễn Văn An", "0912345678", "an@quephong.gov.vn", "84726"):
        assert personal not in text
    assert len(diag["staff"]) == 1
    assert diag["channels"] == []
    assert diag["reminders"] == {
        "auto_send": True,
        "pending": 0,
        "failed_attempts": 0,
        "undelivered": 0,
    }
    assert diag["meeting_rooms"] == []
    assert diag["rules"]["settings"]["desk_grace"] == 10
    assert diag["rules"]["summary"]["late_today"] == 0
    assert diag["office"]["unit_code"] == "17011"
    session = hass.states.get("sensor.ubnd_xa_que_phong_current_session").state
    assert diag["now"]["state"] == session
    assert diag["working_hours"]["summer_morning_start"] == "07:00"
    camera = diag["cameras"][0]
    assert camera["title"] == "Bộ phận một cửa"
    assert camera["data"]["password"] == "**REDACTED**"
    assert camera["data"]["stream_url"] == "**REDACTED**"
    assert camera["health"]["up"] is True
    assert camera["health"]["failures"] == 0
