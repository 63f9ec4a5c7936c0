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
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_CHANNEL
from custom_components.quephong_office.zalo_tokens import token_store
from devtools.fake_zalo import FakeZalo, FakeZaloBot
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
    result = await _add_channel(hass, entry, "zalo_oa")
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
    hass_client: ClientSessionGenerator,
    hass_admin_user: MockUser,
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

    # the IT officer fixes it from the repair issue with a new refresh token: no reload
    issue_id = f"zalo_reauth_{zalo_id}"
    assert await async_setup_component(hass, "repairs", {})
    refresh = await hass.auth.async_create_refresh_token(hass_admin_user, "https://quephong.test/")
    client = await hass_client(hass.auth.async_create_access_token(refresh))
    resp = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await resp.json()
    assert flow["description_placeholders"] == {"channel": "Zalo UBND xã"}
    url = f"/api/repairs/issues/fix/{flow['flow_id']}"
    flow = await (await client.post(url, json={"refresh_token": "rt-cu"})).json()
    assert flow["errors"] == {"refresh_token": "invalid_auth"}
    fake.refresh_tokens.add("rt-moi")
    flow = await (await client.post(url, json={"refresh_token": "rt-moi"})).json()
    assert flow["type"] == "create_entry"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    an = next(
        d.id
        for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        if d.name == "Nguyễn Văn An"
    )
    await hass.services.async_call(
        DOMAIN, "send_reminder", {"staff": [an], "message": "Đã khôi phục Zalo."}, blocking=True
    )
    assert fake.sent[-1]["text"] == "Đã khôi phục Zalo."


@pytest.fixture
async def bot() -> AsyncGenerator[tuple[FakeZaloBot, str]]:
    fake = FakeZaloBot(token="1234567890:bot-bi-mat", chats={"nhom-lanh-dao"})
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    yield fake, str(server.make_url("")).rstrip("/")
    await server.close()


async def _add_channel(hass: HomeAssistant, entry: MockConfigEntry, kind: str) -> dict:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_CHANNEL), context={"source": config_entries.SOURCE_USER}
    )
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": kind}
    )


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_zns_by_phone_when_outside_the_window(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smtp: LocalSmtpServer,
    zalo: tuple[FakeZalo, str],
) -> None:
    fake, base = zalo
    fake.templates = {"318901": {"ten_can_bo", "noi_dung", "thoi_gian"}}
    entry: MockConfigEntry = office_entry(
        subentries_data=[
            staff_subentry(
                "Trần Thị Bình",
                email="binh@quephong.gov.vn",
                zalo_user_id="8472615530999",
                phone="0912 345 672",
                presence_entities=[BINH],
            ),
            channel(smtp.port),
        ]
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    result = await _add_channel(hass, entry, "zalo_oa")
    form = {
        "name": "Zalo UBND xã",
        "app_id": "1234567890",
        "secret_key": "bi-mat",
        "access_token": "at-0",
        "refresh_token": "rt-0",
        "oauth_base": base,
        "openapi_base": base,
        "business_base": base,
        "zns_template_id": "318901",
        "zns_mapping": "ten_can_bo = {staff}\nnoi_dung {subject}",
    }
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], form)
    assert result["errors"] == {"zns_mapping": "invalid_mapping"}
    assert fake.refreshes == 0  # nothing is tested while the form is wrong
    form["zns_mapping"] = "ten_can_bo = {staff}\nnoi_dung = {subject}\nthoi_gian={time} {date}"
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)

    await travel(hass, freezer, datetime(2026, 6, 4, 7, 12, tzinfo=VN))
    hass.states.async_set(BINH, "on")
    await hass.async_block_till_done()
    # Bình is outside the 7-day window: the OA refuses, ZNS reaches her phone, no email
    assert fake.sent == []
    (zns,) = fake.zns_sent
    assert zns["phone"] == "84912345672"
    assert zns["template_id"] == "318901"
    assert zns["template_data"] == {
        "ten_can_bo": "Trần Thị Bình",
        "noi_dung": "Nhắc nhở: đi muộn 12 phút",
        "thoi_gian": "07:12 04/06/2026",
    }
    assert smtp.messages == []

    # the reminder service may skip Zalo and go straight to email
    binh = next(
        d.id
        for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        if d.name == "Trần Thị Bình"
    )
    await hass.services.async_call(
        DOMAIN,
        "send_reminder",
        {"staff": [binh], "message": "Chiều nay họp lúc 14:00.", "channels": ["email"]},
        blocking=True,
    )
    assert [m["To"] for m in smtp.messages] == ["binh@quephong.gov.vn"]
    assert len(fake.zns_sent) == 1

    # out of ZNS quota: retried later, counted as a failed send
    fake.zns_quota = 0
    await hass.services.async_call(
        DOMAIN,
        "send_reminder",
        {"staff": [binh], "message": "Nộp báo cáo tuần.", "channels": ["zns"]},
        blocking=True,
    )
    sensor = hass.states.get("sensor.ubnd_xa_que_phong_failed_sends")
    assert sensor is not None
    assert (sensor.state, sensor.attributes["last_error"]) == ("1", "quota_exceeded")
    fake.zns_quota = 10
    await travel(hass, freezer, datetime(2026, 6, 4, 7, 13, 5, tzinfo=VN))
    assert fake.zns_sent[-1]["template_data"]["noi_dung"] == "Nộp báo cáo tuần."
    assert entry.runtime_data.reminders.queue == []


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_zalo_bot_posts_to_the_leaders_chat(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    bot: tuple[FakeZaloBot, str],
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    fake, base = bot
    entry: MockConfigEntry = office_entry(
        subentries_data=[staff_subentry("Nguyễn Văn An", presence_entities=[AN])]
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    result = await _add_channel(hass, entry, "zalo_bot")
    form = {
        "name": "Zalo Bot lãnh đạo",
        "bot_token": "1234567890:sai",
        "chat_ids": "",
        "bot_base": base,
    }
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], form)
    assert result["errors"] == {"chat_ids": "no_chats"}
    form["chat_ids"] = "nhom-lanh-dao"
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], form)
    assert result["errors"] == {"bot_token": "invalid_auth"}
    form["bot_token"] = "1234567890:bot-bi-mat"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**form, "bot_base": "http://127.0.0.1:1"}
    )
    assert result["errors"] == {"bot_base": "cannot_connect"}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)

    # a second late arrival in 30 days reaches the leaders: no external URL, so text and a link
    await hass.config.async_update(internal_url="http://192.168.1.10:8123")
    for day in (4, 5):
        await travel(hass, freezer, datetime(2026, 6, day, 7, 10, tzinfo=VN))
        hass.states.async_set(AN, "on")
        await travel(hass, freezer, datetime(2026, 6, day, 17, 30, tzinfo=VN))
        hass.states.async_set(AN, "off")
    await hass.async_block_till_done()
    (text,) = fake.sent
    assert text["chat_id"] == "nhom-lanh-dao"
    assert text["text"].startswith("Nhắc nhở: đi muộn 10 phút")
    assert "Ảnh bằng chứng: http://192.168.1.10:8123/media-browser/browser" in text["text"]

    # with an external URL Zalo fetches the captioned snapshot itself, through a signed link
    client = await hass_client_no_auth()
    await hass.config.async_update(external_url=f"http://127.0.0.1:{client.server.port}")
    await travel(hass, freezer, datetime(2026, 6, 8, 7, 15, tzinfo=VN))
    hass.states.async_set(AN, "on")
    await hass.async_block_till_done()
    photo = fake.sent[-1]
    assert photo["photo"][:2] == b"\xff\xd8"
    assert "/api/quephong_office/shared/" in photo["photo_url"]
    assert photo["caption"].startswith("Nhắc nhở: đi muộn 15 phút")

    # the channel's notify entity broadcasts to its chats
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.zalo_bot_lanh_dao", "message": "Họp giao ban lúc 7:30."},
        blocking=True,
    )
    assert fake.sent[-1]["text"] == "Họp giao ban lúc 7:30."
