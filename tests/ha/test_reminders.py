"""Reminders by email, end to end against a real local SMTP server: the channel flow, the
router by escalation level, quiet hours, retries with a repair issue, and a restart."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_CHANNEL
from devtools.broker import free_port
from devtools.smtp import LocalSmtpServer

from .conftest import office_entry, staff_subentry, travel

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PHONE = "binary_sensor.an_phone"
pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
def smtp() -> Generator[LocalSmtpServer]:
    with LocalSmtpServer() as server:
        yield server


def channel(port: int, name: str = "Email cơ quan") -> ConfigSubentryData:
    return ConfigSubentryData(
        data={
            "host": "127.0.0.1",
            "port": port,
            "tls": "none",
            "username": "",
            "password": "",
            "sender": "vanphong@quephong.gov.vn",
            "sender_name": "UBND xã Quế Phong",
            "leader_emails": "chutich@quephong.gov.vn, cvp@quephong.gov.vn",
        },
        subentry_type=SUBENTRY_CHANNEL,
        title=name,
        unique_id=None,
    )


async def _office(hass: HomeAssistant, port: int) -> MockConfigEntry:
    entry: MockConfigEntry = office_entry(
        subentries_data=[
            staff_subentry("Nguyễn Văn An", email="an@quephong.gov.vn", presence_entities=[PHONE]),
            channel(port),
        ]
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _to(server: LocalSmtpServer) -> list[tuple[str, str]]:
    return [(m["To"], m["Subject"]) for m in server.messages]


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_router_quiet_hours_and_restart(
    hass: HomeAssistant, smtp: LocalSmtpServer, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _office(hass, smtp.port)
    hass.states.async_set(PHONE, "off")
    await travel(hass, freezer, datetime(2026, 6, 4, 7, 12, tzinfo=VN))
    hass.states.async_set(PHONE, "on")
    await hass.async_block_till_done()
    assert _to(smtp) == [("an@quephong.gov.vn", "Nhắc nhở: đi muộn 12 phút")]
    (message,) = smtp.messages
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "image/jpeg"
    assert "Kính gửi đồng chí Nguyễn Văn An" in message.get_body(("plain",)).get_content()

    # the second time in 30 days the leaders are told too
    await travel(hass, freezer, datetime(2026, 6, 4, 17, 30, tzinfo=VN))
    hass.states.async_set(PHONE, "off")
    await travel(hass, freezer, datetime(2026, 6, 5, 7, 20, tzinfo=VN))
    hass.states.async_set(PHONE, "on")
    await hass.async_block_till_done()
    assert sorted(to for to, _s in _to(smtp)[1:]) == [
        "an@quephong.gov.vn",
        "chutich@quephong.gov.vn",
        "cvp@quephong.gov.vn",
    ]

    # a reminder asked for at 22:00 waits for 06:00, across a restart
    await travel(hass, freezer, datetime(2026, 6, 5, 22, 0, tzinfo=VN))
    an = next(
        d.id
        for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        if d.name == "Nguyễn Văn An"
    )
    response = await hass.services.async_call(
        DOMAIN,
        "send_reminder",
        {"staff": [an], "title": "Họp giao ban", "message": "Đồng chí dự họp giao ban lúc 7:30."},
        blocking=True,
        return_response=True,
    )
    assert response == {"queued": 1, "recipients": ["Nguyễn Văn An"]}
    assert len(smtp.messages) == 4
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert len(smtp.messages) == 4
    await travel(hass, freezer, datetime(2026, 6, 6, 6, 0, 1, tzinfo=VN))
    assert _to(smtp)[-1] == ("an@quephong.gov.vn", "Họp giao ban")
    assert len(smtp.messages) == 5
    for data, key in [
        ({"staff": [an]}, "message_required"),
        ({"leaders": False}, "no_recipients"),
        ({"violation_id": "nope"}, "unknown_violation"),
    ]:
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(DOMAIN, "send_reminder", data, blocking=True)
        assert err.value.translation_key == key

    # automatic sending off: violations stay quiet
    await hass.services.async_call(
        "switch",
        "turn_off",
        {"entity_id": "switch.ubnd_xa_que_phong_send_reminders_automatically"},
        blocking=True,
    )
    hass.states.async_set(PHONE, "off")
    await travel(hass, freezer, datetime(2026, 6, 8, 7, 30, tzinfo=VN))
    hass.states.async_set(PHONE, "on")
    await hass.async_block_till_done()
    assert len(smtp.messages) == 5

    # the notify entity broadcasts to the leaders
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.email_co_quan", "title": "Thông báo", "message": "Chiều nay họp."},
        blocking=True,
    )
    assert sorted(to for to, _s in _to(smtp)[5:]) == [
        "chutich@quephong.gov.vn",
        "cvp@quephong.gov.vn",
    ]


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_a_failing_channel_retries_then_raises_a_repair(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _office(hass, free_port())  # nothing listens there
    hass.states.async_set(PHONE, "off")
    await travel(hass, freezer, datetime(2026, 6, 4, 7, 12, tzinfo=VN))
    hass.states.async_set(PHONE, "on")
    await hass.async_block_till_done()
    reminders = entry.runtime_data.reminders
    (pending,) = reminders.queue
    assert (pending.attempts, pending.last_error) == (1, "cannot_connect")
    sensor = hass.states.get("sensor.ubnd_xa_que_phong_failed_sends")
    assert sensor is not None
    assert sensor.state == "1"
    assert sensor.attributes["pending"] == 1
    assert sensor.attributes["last_recipient"] == "an@quephong.gov.vn"
    assert sensor.attributes["last_error"] == "cannot_connect"
    minute = 7 * 60 + 12
    for delay in (1, 5, 15, 60, 60):
        minute += delay
        await travel(hass, freezer, datetime(2026, 6, 4, minute // 60, minute % 60, 1, tzinfo=VN))
    assert reminders.queue == []
    channel_id = next(k for k, s in entry.subentries.items() if s.subentry_type == "channel")
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"channel_failing_{channel_id}")
    assert issue is not None
    assert issue.translation_placeholders == {"channel": "Email cơ quan", "error": "cannot_connect"}
    # six attempts failed, the message was given up, and the count survives a reload
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    sensor = hass.states.get("sensor.ubnd_xa_que_phong_failed_sends")
    assert sensor is not None
    assert (sensor.state, sensor.attributes["pending"], sensor.attributes["undelivered"]) == (
        "6",
        0,
        1,
    )


async def test_channel_flow_tests_the_server(
    hass: HomeAssistant, setup_office: MockConfigEntry
) -> None:
    with LocalSmtpServer(user="vanphong", password="matkhau-1") as server:
        form = {
            "name": "Email cơ quan",
            "host": "127.0.0.1",
            "port": server.port,
            "tls": "none",
            "username": "vanphong",
            "password": "sai",
            "sender": "vanphong@quephong.gov.vn",
            "leader_emails": "chutich@quephong.gov.vn; cvp@",
        }
        result = await hass.config_entries.subentries.async_init(
            (setup_office.entry_id, SUBENTRY_CHANNEL),
            context={"source": config_entries.SOURCE_USER},
        )
        assert result["type"] is FlowResultType.MENU
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"next_step_id": "email"}
        )
        result = await hass.config_entries.subentries.async_configure(result["flow_id"], form)
        assert result["errors"] == {"leader_emails": "invalid_email"}
        form["leader_emails"] = "chutich@quephong.gov.vn; cvp@quephong.gov.vn"
        result = await hass.config_entries.subentries.async_configure(result["flow_id"], form)
        assert result["errors"] == {"password": "invalid_auth"}
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {**form, "port": free_port()}
        )
        assert result["errors"] == {"host": "cannot_connect"}
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {**form, "password": "matkhau-1"}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"]["leader_emails"] == "chutich@quephong.gov.vn, cvp@quephong.gov.vn"
        await hass.async_block_till_done()
        channel_id = next(
            k for k, s in setup_office.subentries.items() if s.subentry_type == SUBENTRY_CHANNEL
        )
        result = await hass.config_entries.subentries.async_init(
            (setup_office.entry_id, SUBENTRY_CHANNEL),
            context={"source": config_entries.SOURCE_RECONFIGURE, "subentry_id": channel_id},
        )
        assert result["step_id"] == "email"
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {**form, "name": " ", "sender": "vanphong@", "password": "matkhau-1"}
        )
        assert result["errors"] == {"name": "empty_name", "sender": "invalid_email"}
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {**form, "name": "Thư công vụ", "password": "matkhau-1"}
        )
        assert (result["type"], result["reason"]) == (
            FlowResultType.ABORT,
            "reconfigure_successful",
        )
        await hass.async_block_till_done()
        assert setup_office.subentries[channel_id].title == "Thư công vụ"


async def _edit_template(hass: HomeAssistant, entry: MockConfigEntry, **fields: object) -> dict:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "templates"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"rule": "late_arrival"}
    )
    assert result["step_id"] == "template"
    return await hass.config_entries.options.async_configure(result["flow_id"], fields)


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_the_office_writes_its_own_reminder_text(
    hass: HomeAssistant, smtp: LocalSmtpServer, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _office(hass, smtp.port)
    result = await _edit_template(hass, entry, subject="Đi muộn {phut}", body="x")
    assert result["errors"] == {"subject": "unknown_placeholder"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"subject": "Đi muộn", "body": "Đồng chí {staff} đến lúc {time"}
    )
    assert result["errors"] == {"body": "invalid_template"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"subject": "Đi muộn {minutes} phút", "body": "Đồng chí {staff} đến lúc {time}."},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["templates"] == {
        "late_arrival": ["Đi muộn {minutes} phút", "Đồng chí {staff} đến lúc {time}."]
    }
    hass.states.async_set(PHONE, "off")
    await travel(hass, freezer, datetime(2026, 6, 4, 7, 9, tzinfo=VN))
    hass.states.async_set(PHONE, "on")
    await hass.async_block_till_done()
    (message,) = smtp.messages
    assert message["Subject"] == "Đi muộn 9 phút"
    assert (
        message.get_body(("plain",)).get_content().strip()
        == "Đồng chí Nguyễn Văn An đến lúc 07:09."
    )

    # the form shows the office's text; reset brings back the built-in one
    result = await _edit_template(hass, entry, subject="a", body="b", reset=True)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["templates"] == {}


@pytest.mark.freeze_time(datetime(2026, 6, 4, 9, 0, tzinfo=VN))
async def test_a_notify_service_home_assistant_has_as_a_channel(hass: HomeAssistant) -> None:
    entry = office_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    async def start() -> dict:
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_CHANNEL), context={"source": config_entries.SOURCE_USER}
        )
        return await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"next_step_id": "ha_notify"}
        )

    result = await start()
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "no_notify_services")
    calls = async_mock_service(hass, "notify", "smtp_van_phong")
    result = await start()
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": " ", "service": "smtp_van_phong"}
    )
    assert result["errors"] == {"name": "empty_name"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Thư điện tử công vụ", "service": "smtp_van_phong"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.thu_dien_tu_cong_vu", "title": "Thông báo", "message": "Họp 14:00."},
        blocking=True,
    )
    assert [(c.data["title"], c.data["message"]) for c in calls] == [("Thông báo", "Họp 14:00.")]
