"""Reminders by Zalo OA against the local fake (Zalo's contract), with email as the fallback."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestServer
from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_CHANNEL
from custom_components.quephong_office.zalo_tokens import token_store
from devtools.fake_zalo import FakeZalo
from devtools.smtp import LocalSmtpServer

from .conftest import office_entry, staff_subentry, travel
from .test_reminders import channel

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AN, BINH = "binary_sensor.an_phone", "binary_sensor.binh_phone"
pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
def smtp() -> Generator[LocalSmtpServer]:
    with LocalSmtpServer() as server:
        yield server


@pytest.fixture
async def zalo() -> AsyncGenerator[tuple[FakeZalo, str]]:
    fake = FakeZalo(users={"8472615530912": 1, "8472615530999": 9})
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    yield fake, str(server.make_url("")).rstrip("/")
    await server.close()


async def _add_zalo_channel(hass: HomeAssistant, entry: MockConfigEntry, base: str) -> str:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_CHANNEL), context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "zalo_oa"}
    )
    form = {
        "name": "Zalo UBND xã",
        "app_id": "1234567890",
        "secret_key": "bi-mat",
        "access_token": "at-0",
        "refresh_token": "rt-sai",
        "oauth_base": base,
        "openapi_base": base,
    }
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], form)
    assert result["errors"] == {"refresh_token": "invalid_auth"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**form, "refresh_token": "rt-0"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "refresh_token" not in result["data"]  # the pair lives in the token store
    assert "access_token" not in result["data"]
    await hass.async_block_till_done(wait_background_tasks=True)
    return next(
        k
        for k, s in entry.subentries.items()
        if s.subentry_type == SUBENTRY_CHANNEL and s.data.get("kind") == "zalo_oa"
    )


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_zalo_first_email_when_zalo_refuses(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smtp: LocalSmtpServer,
    zalo: tuple[FakeZalo, str],
) -> None:
    fake, base = zalo
    entry: MockConfigEntry = office_entry(
        subentries_data=[
            staff_subentry(
                "Nguyễn Văn An",
                email="an@quephong.gov.vn",
                zalo_user_id="8472615530912",
                presence_entities=[AN],
            ),
            staff_subentry(
                "Trần Thị Bình",
                email="binh@quephong.gov.vn",
                zalo_user_id="8472615530999",
                presence_entities=[BINH],
            ),
            channel(smtp.port),
        ]
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    zalo_id = await _add_zalo_channel(hass, entry, base)
    token_key = entry.subentries[zalo_id].data["token_key"]
    assert (await token_store(hass).async_get(token_key)).refresh_token == "rt-1"

    await travel(hass, freezer, datetime(2026, 6, 4, 7, 12, tzinfo=VN))
    hass.states.async_set(AN, "on")
    hass.states.async_set(BINH, "on")
    await hass.async_block_till_done()
    # An wrote to the OA yesterday: Zalo, with the evidence image; no email
    (sent,) = fake.sent
    assert sent["user_id"] == "8472615530912"
    assert sent["text"].startswith("Nhắc nhở: đi muộn 12 phút\n\nKính gửi đồng chí Nguyễn Văn An")
    assert sent["image"][:2] == b"\xff\xd8"
    # Bình last wrote 9 days ago: Zalo refuses (-230), email takes over, the IT officer is told
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [
        ("binh@quephong.gov.vn", "Nhắc nhở: đi muộn 12 phút")
    ]
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"zalo_recipient_{zalo_id}_8472615530999")
    assert issue is not None
    assert issue.translation_placeholders["staff"] == "Trần Thị Bình"

    # after a restart the rotated pair is used; an expired access token is refreshed once
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await travel(hass, freezer, datetime(2026, 6, 4, 17, 30, tzinfo=VN))
    hass.states.async_set(AN, "off")
    hass.states.async_set(BINH, "off")
    fake.expire_access_tokens()
    await travel(hass, freezer, datetime(2026, 6, 5, 7, 20, tzinfo=VN))
    hass.states.async_set(AN, "on")
    await hass.async_block_till_done()
    assert fake.refreshes == 2
    stored = (await token_store(hass).async_get(token_key)).refresh_token
    assert stored != "rt-1"
    assert fake.refresh_tokens == {stored}  # the rotated token was saved, the old one is dead
    assert [s["user_id"] for s in fake.sent] == ["8472615530912", "8472615530912"]
    assert "muộn 20 phút" in fake.sent[-1]["text"]

    # the refresh token dies: a repair issue asks for a new pair, and email takes over
    fake.refresh_tokens.clear()
    fake.expire_access_tokens()
    await travel(hass, freezer, datetime(2026, 6, 5, 17, 30, tzinfo=VN))
    hass.states.async_set(AN, "off")
    await travel(hass, freezer, datetime(2026, 6, 8, 7, 25, tzinfo=VN))
    hass.states.async_set(AN, "on")
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"zalo_reauth_{zalo_id}") is not None
    assert ("an@quephong.gov.vn", "Nhắc nhở: đi muộn 25 phút") in [
        (m["To"], m["Subject"]) for m in smtp.messages
    ]
