"""The dashboard's evidence card: its websocket answer gives leaders links signed for them
alone, tells everybody else they may not see evidence, and its module is served to the
frontend."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.quephong_office.const import DOMAIN
from custom_components.quephong_office.evidence_card import CARD_FILE, async_setup_card

from .conftest import office_entry, staff_subentry, travel

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PHONE = "binary_sensor.an_phone"


async def _token(hass: HomeAssistant, user: MockUser) -> str:
    refresh = await hass.auth.async_create_refresh_token(user, "https://quephong.test/")
    return hass.auth.async_create_access_token(refresh)


async def _ask(ws: Any, **data: Any) -> dict[str, Any]:
    await ws.send_json({"id": 1, "type": f"{DOMAIN}/evidence/recent", **data})
    answer = await ws.receive_json()
    assert answer["success"], answer
    result: dict[str, Any] = answer["result"]
    return result


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_evidence_card_answers_leaders_only(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: ClientSessionGenerator,
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
    # late on two days: two pieces of evidence
    hass.states.async_set(PHONE, "off")
    for day in (4, 5):
        await travel(hass, freezer, datetime(2026, 6, day, 7, 20, tzinfo=VN))
        hass.states.async_set(PHONE, "on")
        await travel(hass, freezer, datetime(2026, 6, day, 17, 30, tzinfo=VN))
        hass.states.async_set(PHONE, "off")
        await hass.async_block_till_done()

    ws = await hass_ws_client(hass, await _token(hass, hass_admin_user))
    answer = await _ask(ws, limit=1)
    assert answer["allowed"] is True
    (office,) = answer["offices"]
    assert office["office"] == "UBND xã Quế Phong"
    (item,) = office["items"]
    assert item["at"].startswith("2026-06-05T07:20")  # the latest first
    assert (item["label"], item["subject"]) == ("Đi muộn", "Nguyễn Văn An")
    assert "authSig=" in item["url"]

    # the signed link opens without a header, for that user only
    client = await hass_client_no_auth()
    resp = await client.get(item["url"])
    assert resp.status == 200
    assert resp.content_type == "image/jpeg"
    assert (await client.get(item["url"].split("?")[0])).status == 401

    # a staff member's session gets no link at all
    ws = await hass_ws_client(hass, await _token(hass, hass_read_only_user))
    answer = await _ask(ws)
    assert answer == {"allowed": False, "offices": []}
    ws = await hass_ws_client(hass, await _token(hass, hass_admin_user))
    assert (await _ask(ws, config_entry_id="another"))["offices"] == []


async def test_card_module_is_served(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    from homeassistant.components.frontend import (  # noqa: PLC0415
        DATA_EXTRA_MODULE_URL,
        UrlManager,
    )

    assert await async_setup_component(hass, "http", {})
    # the frontend's list of extra modules, without building the whole frontend
    hass.data[DATA_EXTRA_MODULE_URL] = UrlManager(lambda _change, _url: None, [])
    hass.config.components.add("frontend")
    await async_setup_card(hass)

    assert f"/{DOMAIN}/quephong-evidence-card.js" in hass.data[DATA_EXTRA_MODULE_URL].urls
    client = await hass_client_no_auth()
    resp = await client.get(f"/{DOMAIN}/quephong-evidence-card.js")
    assert resp.status == 200
    body = await resp.text()
    assert body == CARD_FILE.read_text(encoding="utf-8")
    assert 'customElements.define("quephong-evidence-card"' in body
