"""Meeting rooms in a real Home Assistant: a local calendar, demo devices, local endpoints.

A room prepares itself 15 minutes before an online meeting on its calendar, reports a device
that does not come on and a commune that does not answer by name, tells the participants
with the join link, survives a restart without telling anyone twice, and puts every device
back after the meeting.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncGenerator, Generator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_MEETING_ROOM
from devtools.broker import MosquittoBroker, free_port
from devtools.smtp import LocalSmtpServer

from .conftest import office_entry, setup_mqtt, staff_subentry, travel, wait_until
from .test_reminders import channel

# The local calendar's library reads pydantic's v1 types at import: import it before a test
# freezes the clock (freezegun's datetime class clashes with them).
importlib.import_module("homeassistant.components.local_calendar.config_flow")
importlib.import_module("homeassistant.components.local_calendar.calendar")

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = "calendar.lich_hop"
TV, AC, LIGHTS, PROJECTOR = (
    "media_player.lounge_room",
    "climate.hvac",
    "input_boolean.den_phong_hop",
    "switch.may_chieu",
)
pytestmark = pytest.mark.usefixtures("socket_enabled")


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 6, 4, hh, mm, ss, tzinfo=VN)


@pytest.fixture
def smtp() -> Generator[LocalSmtpServer]:
    with LocalSmtpServer() as server:
        yield server


@pytest.fixture
async def endpoint() -> AsyncGenerator[str]:
    """A conference server (and a commune's endpoint) that answers."""
    app = web.Application()
    app.router.add_get("/{tail:.*}", lambda _r: web.Response(text="ok"))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


async def _devices(hass: HomeAssistant) -> None:
    """Demo TV and air conditioner, a lights helper, and a projector that never answers."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "media_player", {"media_player": {"platform": "demo"}})
    assert await async_setup_component(hass, "climate", {"climate": {"platform": "demo"}})
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"den_phong_hop": {"name": "Đèn phòng họp"}}}
    )
    assert await async_setup_component(hass, "switch", {})
    await hass.async_block_till_done()
    hass.states.async_set(PROJECTOR, "unavailable", {"friendly_name": "Máy chiếu"})
    await hass.services.async_call(
        "climate", "set_hvac_mode", {"entity_id": AC, "hvac_mode": "off"}, blocking=True
    )
    await hass.async_block_till_done()


async def _calendar(hass: HomeAssistant) -> None:
    Path(hass.config.path(".storage")).mkdir(exist_ok=True)
    entry = MockConfigEntry(domain="local_calendar", data={"calendar_name": "Lịch họp"})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(CALENDAR) is not None


async def _add_room(hass: HomeAssistant, entry: MockConfigEntry, form: dict[str, Any]) -> dict:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_MEETING_ROOM), context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return await hass.config_entries.subentries.async_configure(result["flow_id"], form)


def _room_device(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return next(d.id for d in devices if d.model_id == "meeting_room")


@pytest.mark.freeze_time(datetime(2026, 6, 4, 8, 0, tzinfo=VN))
async def test_a_room_prepares_reports_tells_and_restores(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smtp: LocalSmtpServer,
    endpoint: str,
) -> None:
    await _devices(hass)
    await _calendar(hass)
    entry: MockConfigEntry = office_entry(
        subentries_data=[
            staff_subentry("Nguyễn Văn An", email="an@quephong.gov.vn"),
            channel(smtp.port),
        ]
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    an = next(k for k, s in entry.subentries.items() if s.subentry_type == "staff")
    dead = free_port()  # Châu Kim's endpoint: nothing listens there
    form = {
        "name": "Phòng họp trực tuyến",
        "calendar": "calendar.khong_co",
        "keyword": "trực tuyến",
        "lead_minutes": 15,
        "grace_minutes": 10,
        "devices": [TV, AC, LIGHTS, PROJECTOR],
        "media_source": "dvd",
        "hvac_mode": "cool",
        "temperature": 24,
        "participants": [an],
        "communes": "Xã Châu Kim; 127.0.0.1:{dead}; 17011\nXã Tiền Phong; {ok}/; 17008\nXã A; ftp://x",
    }
    result = await _add_room(
        hass, entry, {**form, "communes": form["communes"].format(dead=dead, ok=endpoint)}
    )
    assert result["errors"] == {
        "calendar": "calendar_not_found",
        "communes": "unsupported_scheme",
    }
    form["calendar"] = CALENDAR
    form["communes"] = f"Xã Châu Kim; 127.0.0.1:{dead}; 17011\nXã Tiền Phong; {endpoint}/; 17008"
    result = await _add_room(hass, entry, form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await _add_room(hass, entry, form)
    assert result["errors"] == {"name": "duplicate_room"}

    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": CALENDAR,
            "summary": "Họp Truc tuyen giao ban tháng 6",
            "start_date_time": at(9, 0).isoformat(),
            "end_date_time": at(10, 0).isoformat(),
            "location": f"{endpoint}/phong-hop/giao-ban",
        },
        blocking=True,
    )
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": CALENDAR,
            "summary": "Tiếp công dân định kỳ",
            "start_date_time": at(8, 30).isoformat(),
            "end_date_time": at(8, 40).isoformat(),
        },
        blocking=True,
    )
    await hass.async_block_till_done()
    ready = "binary_sensor.phong_hop_truc_tuyen_ready_for_the_meeting"
    problems = "sensor.phong_hop_truc_tuyen_meeting_problems"
    assert hass.states.get(ready).state == "unknown"
    assert hass.states.get(ready).attributes["meeting"] == "Họp Truc tuyen giao ban tháng 6"

    # 08:45: the room prepares; the TV, the air conditioner and the lights come on
    await hass.services.async_call(
        "media_player", "select_source", {"entity_id": TV, "source": "youtube"}, blocking=True
    )
    await hass.async_block_till_done()
    tv_before = hass.states.get(TV)
    assert tv_before.attributes["source"] == "youtube"
    assert hass.states.get(AC).state == "off"
    await travel(hass, freezer, at(8, 45))
    tv = hass.states.get(TV)
    assert (tv.state, tv.attributes.get("source")) == ("playing", "dvd")
    ac = hass.states.get(AC)
    assert (ac.state, ac.attributes["temperature"]) == ("cool", 24)
    assert hass.states.get(LIGHTS).state == "on"
    # the projector never answers and Châu Kim does not answer: both are named
    for moment in (at(8, 45, 21), at(8, 45, 42)):
        await travel(hass, freezer, moment)
    assert hass.states.get(ready).state == "off"
    lines = hass.states.get(problems).attributes["problems"]
    assert hass.states.get(problems).state == "2"
    assert any(line.startswith("Thiết bị Máy chiếu") for line in lines), lines
    assert any(line.startswith("Xã Châu Kim không phản hồi") for line in lines), lines
    # An is told once, with the join link
    (invite,) = [m for m in smtp.messages if m["To"] == "an@quephong.gov.vn"]
    assert invite["Subject"] == "Họp trực tuyến: Họp Truc tuyen giao ban tháng 6"
    assert f"{endpoint}/phong-hop/giao-ban" in invite.get_body(("plain",)).get_content()

    # the projector comes back: the next check (every 2 minutes) says what is left
    hass.states.async_set(PROJECTOR, "on", {"friendly_name": "Máy chiếu"})
    await travel(hass, freezer, at(8, 48))
    assert hass.states.get(problems).state == "1", hass.states.get(problems).attributes
    response = await hass.services.async_call(
        DOMAIN,
        "check_readiness",
        {"room": _room_device(hass, entry)},
        blocking=True,
        return_response=True,
    )
    assert response["ready"] is False
    assert response["meeting"] == "Họp Truc tuyen giao ban tháng 6"
    (line,) = response["problems"]
    assert line.startswith("Xã Châu Kim không phản hồi")

    # a restart in the meeting tells nobody twice and still restores at 10:10
    await travel(hass, freezer, at(9, 30))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert len([m for m in smtp.messages if m["To"] == "an@quephong.gov.vn"]) == 1
    await travel(hass, freezer, at(10, 10, 1))
    tv = hass.states.get(TV)
    assert (tv.state, tv.attributes.get("source")) == (tv_before.state, "youtube")
    assert hass.states.get(AC).state == "off"
    assert hass.states.get(LIGHTS).state == "off"
    assert hass.states.get(ready).state == "unknown"


@pytest.mark.freeze_time(datetime(2026, 6, 4, 8, 0, tzinfo=VN))
async def test_a_meeting_started_and_ended_by_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, endpoint: str
) -> None:
    await _devices(hass)
    await _calendar(hass)
    entry: MockConfigEntry = office_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    result = await _add_room(
        hass,
        entry,
        {
            "name": "Hội trường",
            "calendar": CALENDAR,
            "lead_minutes": 15,
            "grace_minutes": 10,
            "devices": [LIGHTS],
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)
    room = _room_device(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "end_meeting", {"room": room}, blocking=True)
    assert err.value.translation_key == "no_meeting"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "start_meeting", {"room": room, "link": "zoom"}, blocking=True
        )
    assert err.value.translation_key == "invalid_link"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "check_readiness", {"room": "nope"}, blocking=True)
    assert err.value.translation_key == "unknown_room"

    await hass.services.async_call(
        DOMAIN, "start_meeting", {"room": room, "link": f"{endpoint}/hop"}, blocking=True
    )
    assert hass.states.get(LIGHTS).state == "on"
    assert hass.states.get("binary_sensor.hoi_truong_ready_for_the_meeting").state == "on"
    await hass.services.async_call(DOMAIN, "end_meeting", {"room": room}, blocking=True)
    assert hass.states.get(LIGHTS).state == "off"
    assert hass.states.get("binary_sensor.hoi_truong_ready_for_the_meeting").state == "unknown"
    # the leaders' dashboard has a view for the room
    response = await hass.services.async_call(
        DOMAIN,
        "dashboard",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    view = response["config"]["views"][1]
    assert view["path"] == "hop-truc-tuyen"
    assert view["sections"][0]["cards"][1]["entities"] == [
        "binary_sensor.hoi_truong_ready_for_the_meeting",
        "sensor.hoi_truong_meeting_problems",
    ]


async def test_a_parent_unit_sees_its_communes_over_mqtt(
    hass: HomeAssistant, broker: MosquittoBroker, endpoint: str
) -> None:
    """The commune publishes its room's readiness; the province counts who is ready."""
    await setup_mqtt(hass, broker)
    await _devices(hass)
    await _calendar(hass)
    room = {"calendar": CALENDAR, "lead_minutes": 15, "grace_minutes": 10}
    commune: MockConfigEntry = office_entry(
        subentries_data=[
            ConfigSubentryData(
                data={**room, "devices": [LIGHTS]},
                subentry_type=SUBENTRY_MEETING_ROOM,
                title="Phòng họp xã",
                unique_id=None,
            )
        ]
    )
    province = MockConfigEntry(
        domain=DOMAIN,
        title="UBND tỉnh Nghệ An",
        data={"name": "UBND tỉnh Nghệ An", "level": "province", "unit_code": "40"},
        options=dict(commune.options),
        unique_id="40",
        subentries_data=[
            ConfigSubentryData(
                data={
                    **room,
                    "communes": "Xã Quế Phong; ; 17011\nXã Tiền Phong; ; 17008",
                },
                subentry_type=SUBENTRY_MEETING_ROOM,
                title="Phòng họp trực tuyến tỉnh",
                unique_id=None,
            )
        ],
    )
    for entry in (commune, province):
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    await wait_until(lambda: mqtt.is_connected(hass))
    summary = "sensor.ubnd_tinh_nghe_an_communes_ready"
    que_phong = "sensor.ubnd_tinh_nghe_an_readiness_xa_que_phong"
    assert hass.states.get(summary).state == "0"
    assert hass.states.get(summary).attributes["summary"] == "0/2 xã sẵn sàng"
    assert hass.states.get(que_phong).state == "not_reported"

    # the commune's room is prepared (here by hand): its readiness reaches the province
    await hass.services.async_call(
        DOMAIN,
        "start_meeting",
        {"room": _room_device(hass, commune), "link": f"{endpoint}/hop"},
        blocking=True,
    )
    await wait_until(lambda: hass.states.get(que_phong).state == "ready")
    assert hass.states.get(summary).attributes["summary"] == "1/2 xã sẵn sàng"
    assert hass.states.get(summary).attributes["not_ready"] == ["Xã Tiền Phong"]

    # the lights fail: the province sees Quế Phong not ready, with the reason
    hass.states.async_set(LIGHTS, "unavailable", {"friendly_name": "Đèn phòng họp"})
    await hass.services.async_call(
        DOMAIN, "check_readiness", {"room": _room_device(hass, commune)}, blocking=True
    )
    await wait_until(lambda: hass.states.get(que_phong).state == "not_ready")
    (line,) = hass.states.get(que_phong).attributes["problems"]
    assert line.startswith("Thiết bị Đèn phòng họp")
    assert hass.states.get(summary).state == "0"
