"""Desk and zone rules fed by a camera's analysis: unattended desk, staffed again, late
arrival through the desk, gathering, and a camera that drops out."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import EVENT_VIOLATION
from custom_components.quephong_office.core.vision.analyzer import AnalysisResult, ZoneReading
from devtools.streams import StreamServer

from .conftest import camera_subentry, office_entry, staff_subentry, travel, wait_for_checks
from .test_zones import zone_subentry

pytestmark = pytest.mark.usefixtures("socket_enabled")  # the local camera
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 6, 4, hh, mm, tzinfo=VN)


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 50, tzinfo=VN))
async def test_desk_and_hallway_over_a_morning(
    hass: HomeAssistant, stream_server: StreamServer, freezer: FrozenDateTimeFactory
) -> None:
    entry: MockConfigEntry = office_entry(subentries_data=[camera_subentry(stream_server)])
    entry.add_to_hass(hass)
    camera_id = next(iter(entry.subentries))
    desk = config_entries.ConfigSubentry(**zone_subentry(camera_id))  # type: ignore[arg-type]
    hall = config_entries.ConfigSubentry(
        **zone_subentry(camera_id, "Hành lang", "other", "0.5,0,1,1")  # type: ignore[arg-type]
    )
    hass.config_entries.async_add_subentry(entry, desk)
    hass.config_entries.async_add_subentry(entry, hall)
    hass.config_entries.async_add_subentry(
        entry,
        config_entries.ConfigSubentry(
            **staff_subentry("Nguyễn Văn An", desk=desk.subentry_id)  # type: ignore[arg-type]
        ),
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    analysis = entry.runtime_data.analyses[camera_id]
    await analysis.async_stop()  # readings are fed by hand from here on
    await wait_for_checks(hass, entry)
    analysis.monitor.report_source(True, None)
    seen: list[dict[str, Any]] = []
    hass.bus.async_listen(EVENT_VIOLATION, lambda e: seen.append(dict(e.data)))

    def feed(desk_on: bool, people: int) -> None:
        analysis._publish(
            AnalysisResult(
                t=0.0,
                motion=False,
                zones={
                    desk.subentry_id: ZoneReading(
                        occupied=desk_on, count=int(desk_on), motion=False, foreground=0.0
                    ),
                    hall.subentry_id: ZoneReading(
                        occupied=people > 0, count=people, motion=False, foreground=0.0
                    ),
                },
            ),
            None,
        )

    feed(False, 0)
    await travel(hass, freezer, at(7, 20))
    assert seen == []  # An is not in yet: the desk is excused, the late arrival will tell
    feed(True, 0)
    await hass.async_block_till_done()
    assert [(v["type"], v["staff"]) for v in seen] == [("late_arrival", "Nguyễn Văn An")]

    await travel(hass, freezer, at(8, 0))
    feed(False, 0)
    await travel(hass, freezer, at(8, 10))
    assert [v["type"] for v in seen] == ["late_arrival", "unattended_desk"]
    unattended = seen[-1]
    assert (unattended["desk"], unattended["staff"], unattended["start"]) == (
        "Quầy 1",
        "Nguyễn Văn An",
        "2026-06-04T08:00:00+07:00",
    )
    assert hass.states.get("binary_sensor.quay_1_unattended").state == "on"
    assert hass.states.get("event.quay_1_desk_events").attributes["event_type"] == "unattended"
    assert hass.states.get("sensor.ubnd_xa_que_phong_unattended_desks").state == "1"

    await travel(hass, freezer, at(8, 30))
    feed(True, 4)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.quay_1_unattended").state == "off"
    desk_event = hass.states.get("event.quay_1_desk_events").attributes
    assert (desk_event["event_type"], desk_event["unattended_minutes"]) == ("staffed", 30.0)
    assert hass.states.get("sensor.quay_1_unattended_minutes_today").state == "30.0"

    await travel(hass, freezer, at(8, 35))
    assert [v["type"] for v in seen][-1] == "gathering"
    assert seen[-1]["zone"] == "Hành lang"
    assert seen[-1]["details"] == {"people": 4}

    analysis.monitor.report_source(False, "gone")
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.quay_1_unattended").state == STATE_UNAVAILABLE
    assert hass.states.get("event.quay_1_desk_events").state != STATE_UNAVAILABLE
    share = hass.states.get("sensor.quay_1_staffed_share_today").state
    assert 0 < float(share) < 100


def test_logbook_sentences_for_every_rule() -> None:
    from custom_components.quephong_office.logbook import describe  # noqa: PLC0415

    base = {"start": "2026-06-04T08:00:00+07:00", "duration": 600, "session": "morning"}
    assert describe({**base, "type": "absence"}, "vi") == "vắng không lý do (buổi sáng)"
    assert (
        describe({**base, "type": "unattended_desk"}, "vi") == "quầy không có người trực từ 08:00"
    )
    assert describe({**base, "type": "gathering", "details": {"people": 4}}, "vi") == (
        "tụ tập 4 người từ 08:00"
    )
    assert describe({**base, "type": "intrusion"}, "en") == "someone entered after hours at 08:00"
    assert describe({**base, "type": "early_departure"}, "vi") == "về sớm 10 phút"


async def test_events_are_described_in_the_logbook(hass: HomeAssistant) -> None:
    from custom_components.quephong_office import logbook  # noqa: PLC0415

    described: dict[str, Any] = {}
    logbook.async_describe_events(hass, lambda d, e, fn: described.setdefault(e, fn))
    event = Event(
        EVENT_VIOLATION,
        {"type": "late_arrival", "staff": "Nguyễn Văn An", "duration": 720, "start": "x"},
    )
    assert described[EVENT_VIOLATION](event) == {
        "name": "Nguyễn Văn An",
        "message": "arrived 12 min late",
    }
