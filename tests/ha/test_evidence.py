"""Evidence in a real Home Assistant: captured on a violation, shown only to administrators
and leaders (view, media browser), logged, exported for a case, purged after retention."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
from PIL import Image
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.quephong_office.const import DOMAIN, EVENT_VIOLATION

from .conftest import office_entry, staff_subentry, travel

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PHONE = "binary_sensor.an_phone"


def _token(hass: HomeAssistant, user: MockUser) -> Any:
    async def make() -> str:
        refresh = await hass.auth.async_create_refresh_token(user, "https://quephong.test/")
        return hass.auth.async_create_access_token(refresh)

    return make()


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_evidence_capture_access_export_and_retention(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    hass_ws_client: WebSocketGenerator,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    entry: MockConfigEntry = office_entry(
        subentries_data=[staff_subentry("Nguyễn Văn An", presence_entities=[PHONE])]
    )
    entry.add_to_hass(hass)
    assert await async_setup_component(hass, "websocket_api", {})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    seen: list[dict[str, Any]] = []
    hass.bus.async_listen(EVENT_VIOLATION, lambda e: seen.append(dict(e.data)))

    await travel(hass, freezer, datetime(2026, 6, 4, 7, 12, tzinfo=VN))
    hass.states.async_set(PHONE, "on")
    await hass.async_block_till_done()
    (late,) = seen
    evidence_id = late["evidence_id"]
    assert evidence_id
    folder = Path(hass.config.path(DOMAIN, "evidence", entry.entry_id))
    assert (folder / "2026-06" / f"{evidence_id}.jpg").exists()
    keeper = entry.runtime_data.evidence
    record = keeper.store.get(evidence_id)
    assert record.caption[0] == "Đi muộn – Nguyễn Văn An"
    assert record.camera is None  # An has no desk camera: a captioned card
    url = f"/api/quephong_office/evidence/{entry.entry_id}/{evidence_id}.jpg"

    # administrators see it; a user who is neither admin nor a listed leader does not
    admin = await hass_client(await _token(hass, hass_admin_user))
    resp = await admin.get(url)
    assert resp.status == 200
    image = await resp.read()
    assert Image.open(io.BytesIO(image)).format == "JPEG"
    assert hashlib.sha256(image).hexdigest() == record.sha256
    assert (await admin.get(url.replace(evidence_id, "0000"))).status == 404
    staff_client = await hass_client(await _token(hass, hass_read_only_user))
    assert (await staff_client.get(url)).status == 403

    # the media browser lists the office only to those who may see it
    ws = await hass_ws_client(hass, await _token(hass, hass_read_only_user))
    await ws.send_json(
        {
            "id": 1,
            "type": "media_source/browse_media",
            "media_content_id": f"media-source://{DOMAIN}",
        }
    )
    assert (await ws.receive_json())["result"]["children"] == []

    # a leader is added in the options: now they may see it
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "evidence"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"evidence_retention_days": 180, "leaders": [hass_read_only_user.id]},
    )
    await hass.async_block_till_done()
    staff_client = await hass_client(await _token(hass, hass_read_only_user))
    assert (await staff_client.get(url)).status == 200
    ws = await hass_ws_client(hass, await _token(hass, hass_read_only_user))
    await ws.send_json(
        {
            "id": 1,
            "type": "media_source/browse_media",
            "media_content_id": f"media-source://{DOMAIN}/{entry.entry_id}",
        }
    )
    children = (await ws.receive_json())["result"]["children"]
    assert [c["title"] for c in children] == ["2026-06-04 07:12 – Đi muộn – Nguyễn Văn An"]
    await ws.send_json(
        {
            "id": 2,
            "type": "media_source/resolve_media",
            "media_content_id": children[0]["media_content_id"],
        }
    )
    resolved = (await ws.receive_json())["result"]
    assert resolved["url"].startswith(url) and "authSig=" in resolved["url"]
    keeper = entry.runtime_data.evidence
    log = keeper.store.access_log()
    assert [(e["who"], e["action"]) for e in log] == [
        (hass_admin_user.name, "view"),
        (hass_read_only_user.name, "view"),
    ]

    # an export for a case keeps its evidence through the retention purge until it is closed
    response = await hass.services.async_call(
        DOMAIN,
        "export_evidence",
        {"config_entry_id": entry.entry_id, "case": "Hồ sơ số 7/2026"},
        blocking=True,
        return_response=True,
    )
    assert response["evidence"] == 1
    admin = await hass_client(await _token(hass, hass_admin_user))
    resp = await admin.get(response["url"])
    assert resp.status == 200
    with zipfile.ZipFile(io.BytesIO(await resp.read())) as archive:
        for line in archive.read("MANIFEST.sha256").decode().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    await travel(hass, freezer, datetime(2026, 12, 20, 3, 0, 1, tzinfo=VN))  # 199 days later
    assert keeper.store.records() != []
    await hass.services.async_call(
        DOMAIN,
        "close_export",
        {"config_entry_id": entry.entry_id, "export_id": response["export_id"]},
        blocking=True,
    )
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "close_export",
            {"config_entry_id": entry.entry_id, "export_id": "nope"},
            blocking=True,
        )
    assert err.value.translation_key == "unknown_export"
    await travel(hass, freezer, datetime(2026, 12, 21, 3, 0, 1, tzinfo=VN))
    assert keeper.store.records() == []
    assert [e["action"] for e in keeper.store.access_log()][-3:] == [
        "download",
        "close_export",
        "purge",
    ]
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "export_evidence",
            {"config_entry_id": "nope", "case": "x"},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "unknown_office"


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_leaders_phones_get_a_push_and_shared_links_expire(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: ClientSessionGenerator,
    hass_read_only_user: MockUser,
) -> None:
    phone = MockConfigEntry(
        domain="mobile_app",
        data={"user_id": hass_read_only_user.id, "device_name": "Điện thoại Chủ tịch"},
    )
    phone.add_to_hass(hass)
    pushes = async_mock_service(hass, "notify", "mobile_app_dien_thoai_chu_tich")
    entry: MockConfigEntry = office_entry(
        subentries_data=[staff_subentry("Nguyễn Văn An", presence_entities=[PHONE])],
        options={"leaders": [hass_read_only_user.id]},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    seen: list[dict[str, Any]] = []
    hass.bus.async_listen(EVENT_VIOLATION, lambda e: seen.append(dict(e.data)))
    await travel(hass, freezer, datetime(2026, 6, 4, 7, 12, tzinfo=VN))
    hass.states.async_set(PHONE, "on")
    await hass.async_block_till_done()
    (late,) = seen
    assert pushes == []  # a first late arrival goes to the staff member only
    await hass.services.async_call(
        DOMAIN,
        "send_reminder",
        {"violation_id": late["id"], "leaders": True},
        blocking=True,
    )
    (push,) = pushes
    evidence_id = late["evidence_id"]
    assert push.data["title"] == "Nhắc nhở: đi muộn 12 phút"
    assert push.data["data"]["image"] == (
        f"/api/quephong_office/evidence/{entry.entry_id}/{evidence_id}.jpg"
    )

    # the Zalo Bot's link: only with an external URL, signed, and only for an hour
    keeper = entry.runtime_data.evidence
    assert keeper.shared_url(evidence_id) is None
    await hass.config.async_update(external_url="https://ubnd-quephong.example.vn")
    shared = keeper.shared_url(evidence_id)
    assert shared is not None
    assert shared.startswith("https://ubnd-quephong.example.vn/api/quephong_office/shared/")
    path = shared.removeprefix("https://ubnd-quephong.example.vn")
    client = await hass_client_no_auth()
    resp = await client.get(path)
    assert resp.status == 200
    assert Image.open(io.BytesIO(await resp.read())).format == "JPEG"
    tampered = path.replace(evidence_id, "0" * len(evidence_id))
    assert (await client.get(tampered)).status == 403
    assert keeper.store.access_log()[-1]["action"] == "shared_link"
    freezer.tick(3601)
    assert (await client.get(path)).status == 403
