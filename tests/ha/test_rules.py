"""The office's rules inside Home Assistant: attendance over a day with time travel, bus
events and event entities, services, restarts, the after-hours switch and the calendars."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.quephong_office.const import (
    DOMAIN,
    EVENT_VIOLATION,
    EVENT_VIOLATION_DISMISSED,
)
from custom_components.quephong_office.logbook import describe

from .conftest import office_entry, staff_subentry, travel

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PREFIX = "ubnd_xa_que_phong"
AN_PHONE = "binary_sensor.an_phone"


def at(d: int, hh: int, mm: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, d, hh, mm, tzinfo=VN)


@pytest.fixture
def office() -> MockConfigEntry:
    """An office with two staff members: An (phone presence) and Bình (check-in only)."""
    return office_entry(
        subentries_data=[
            staff_subentry(
                "Nguyễn Văn An", position="Công chức Tư pháp", presence_entities=[AN_PHONE]
            ),
            staff_subentry("Trần Thị Bình", position="Văn phòng"),
        ]
    )


@pytest.fixture
async def loaded(hass: HomeAssistant, office: MockConfigEntry) -> MockConfigEntry:
    office.add_to_hass(hass)
    assert await hass.config_entries.async_setup(office.entry_id)
    await hass.async_block_till_done()
    return office


def _staff_device(hass: HomeAssistant, entry: MockConfigEntry, name: str) -> str:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return next(d.id for d in devices if d.name == name)


def _capture(hass: HomeAssistant, event_type: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def _on(event: Event) -> None:
        seen.append(dict(event.data))

    hass.bus.async_listen(event_type, _on)
    return seen


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_a_working_day_with_a_restart(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    violations = _capture(hass, EVENT_VIOLATION)
    hass.states.async_set(AN_PHONE, "off")
    await travel(hass, freezer, at(4, 7, 12))
    hass.states.async_set(AN_PHONE, "on")
    await hass.async_block_till_done()

    assert [(v["type"], v["staff"], v["escalation"]) for v in violations] == [
        ("late_arrival", "Nguyễn Văn An", 1)
    ]
    late = violations[0]
    assert late["duration"] == 12 * 60
    assert late["start"] == "2026-06-04T07:00:00+07:00"
    assert (late["office"], late["unit_code"], late["session"]) == (
        "UBND xã Quế Phong",
        "17011",
        "morning",
    )
    assert hass.states.get(f"sensor.{PREFIX}_late_today").state == "1"
    assert hass.states.get("sensor.nguyen_van_an_attendance").state == "late"
    attendance = hass.states.get("event.nguyen_van_an_attendance_events")
    assert attendance.attributes["event_type"] == "late_arrival"
    assert hass.states.get(f"event.{PREFIX}_violations").attributes["event_type"] == "late_arrival"

    # Bình never comes: absent at the cut-off, 08:00 exactly
    await travel(hass, freezer, at(4, 8, 0))
    assert [v["type"] for v in violations] == ["late_arrival", "absence"]
    assert hass.states.get(f"sensor.{PREFIX}_absent_today").state == "1"
    assert hass.states.get("sensor.tran_thi_binh_attendance").state == "absent"

    # Home Assistant restarts at 10:00: nothing fires twice, nothing is lost
    await travel(hass, freezer, at(4, 10, 0))
    assert await hass.config_entries.async_reload(loaded.entry_id)
    await hass.async_block_till_done()
    assert [v["type"] for v in violations] == ["late_arrival", "absence"]
    assert hass.states.get(f"sensor.{PREFIX}_late_today").state == "1"
    assert hass.states.get("sensor.nguyen_van_an_attendance").state == "late"

    # An leaves at 11:00 for good: an early departure when the morning ends
    hass.states.async_set(AN_PHONE, "off")
    await hass.async_block_till_done()
    await travel(hass, freezer, at(4, 11, 30))
    assert [v["type"] for v in violations] == ["late_arrival", "absence", "early_departure"]
    assert hass.states.get(f"sensor.{PREFIX}_violations_this_month").state == "3"
    assert hass.states.get("sensor.nguyen_van_an_violations_in_30_days").state == "2"

    # a leader dismisses the late arrival
    dismissed = _capture(hass, EVENT_VIOLATION_DISMISSED)
    await hass.services.async_call(
        DOMAIN,
        "dismiss_violation",
        {"violation_id": late["id"], "reason": "Đi họp ở huyện"},
        blocking=True,
    )
    assert [(d["id"], d["dismissal_reason"]) for d in dismissed] == [(late["id"], "Đi họp ở huyện")]
    assert hass.states.get(f"sensor.{PREFIX}_late_today").state == "0"
    assert hass.states.get(f"sensor.{PREFIX}_violations_this_month").state == "2"
    assert describe(dismissed[0], "vi") == "vi phạm được bỏ qua: Đi họp ở huyện"
    assert describe(late, "vi") == "đi muộn 12 phút"
    assert describe(late, "en") == "arrived 12 min late"


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_services_check_in_and_leave(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    violations = _capture(hass, EVENT_VIOLATION)
    binh = _staff_device(hass, loaded, "Trần Thị Bình")
    await travel(hass, freezer, at(4, 7, 3))
    await hass.services.async_call(DOMAIN, "check_in", {"staff": binh}, blocking=True)
    assert hass.states.get("sensor.tran_thi_binh_attendance").state == "present"

    response = await hass.services.async_call(
        DOMAIN,
        "register_leave",
        {
            "staff": binh,
            "start": "2026-06-05 00:00:00",
            "end": "2026-06-06 00:00:00",
            "reason": "Ốm",
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None and response["leave_id"]
    bad = [
        (
            {"staff": binh, "start": "2026-06-05 12:00:00", "end": "2026-06-05 08:00:00"},
            "end_before_start",
        ),
        (
            {"staff": binh, "start": "2026-06-05 08:00:00", "end": "2026-06-05 09:00:00"},
            "overlapping_leave",
        ),
        (
            {
                "staff": "no-such-device",
                "start": "2026-06-05 08:00:00",
                "end": "2026-06-05 09:00:00",
            },
            "unknown_staff",
        ),
    ]
    for data, key in bad:
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(DOMAIN, "register_leave", data, blocking=True)
        assert err.value.translation_key == key
    for data, key in [
        ({"violation_id": "nope", "reason": "x"}, "unknown_violation"),
    ]:
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(DOMAIN, "dismiss_violation", data, blocking=True)
        assert err.value.translation_key == key

    # Friday: Bình is on leave, An (whose phone says nothing) is absent
    await travel(hass, freezer, at(5, 9, 0))
    assert [(v["type"], v["staff"]) for v in violations if v["start"].startswith("2026-06-05")] == [
        ("absence", "Nguyễn Văn An")
    ]
    assert hass.states.get("sensor.tran_thi_binh_attendance").state == "on_leave"
    assert hass.states.get(f"sensor.{PREFIX}_on_leave_today").state == "1"
    events = await hass.services.async_call(
        "calendar",
        "get_events",
        {"start_date_time": "2026-06-01 00:00:00", "end_date_time": "2026-06-08 00:00:00"},
        target={"entity_id": f"calendar.{PREFIX}_leave_and_business_trips"},
        blocking=True,
        return_response=True,
    )
    leaves = events[f"calendar.{PREFIX}_leave_and_business_trips"]["events"]
    assert [(e["summary"], e["description"]) for e in leaves] == [("Leave: Trần Thị Bình", "Ốm")]


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_leave_calendar_create_and_delete(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    entity_id = f"calendar.{PREFIX}_leave_and_business_trips"
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "summary": "Công tác huyện – Nguyễn Văn An",
            "start_date": "2026-06-08",
            "end_date": "2026-06-10",
            "description": "Tập huấn",
        },
        target={"entity_id": entity_id},
        blocking=True,
    )
    rules = loaded.runtime_data.rules
    (leave,) = rules.rules.leaves.values()
    assert leave.kind.value == "business_trip"
    assert (leave.start, leave.end) == (at(8, 0), at(10, 0))
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "calendar",
            "create_event",
            {
                "summary": "Nghỉ – Lê Văn Không",
                "start_date": "2026-06-08",
                "end_date": "2026-06-09",
            },
            target={"entity_id": entity_id},
            blocking=True,
        )
    assert err.value.translation_key == "unknown_staff"
    entity = hass.data["calendar"].get_entity(entity_id)
    await entity.async_delete_event(leave.id)
    assert rules.rules.leaves == {}
    with pytest.raises(ServiceValidationError):
        await entity.async_delete_event(leave.id)


@pytest.mark.freeze_time(datetime(2026, 6, 4, 9, 0, tzinfo=VN))
async def test_working_calendar_shows_sessions_holidays_and_overrides(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = office_entry()
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        options={
            **entry.options,
            "overrides": [{"date": "2026-06-06", "kind": "workday", "name": "Làm bù"}],
        },
    )
    await hass.config.async_update(language="vi")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    entity_id = f"calendar.{PREFIX}_working_calendar"
    state = hass.states.get(entity_id)
    assert (state.state, state.attributes["message"]) == ("on", "Buổi sáng")
    events = await hass.services.async_call(
        "calendar",
        "get_events",
        {"start_date_time": "2026-06-05 12:00:00", "end_date_time": "2026-06-07 00:00:00"},
        target={"entity_id": entity_id},
        blocking=True,
        return_response=True,
    )
    assert [(e["start"], e["summary"]) for e in events[entity_id]["events"]] == [
        ("2026-06-05T13:30:00+07:00", "Buổi chiều"),
        ("2026-06-06T07:00:00+07:00", "Buổi sáng (làm bù)"),
        ("2026-06-06T13:30:00+07:00", "Buổi chiều (làm bù)"),
    ]
    events = await hass.services.async_call(
        "calendar",
        "get_events",
        {"start_date_time": "2026-09-01 00:00:00", "end_date_time": "2026-09-03 00:00:00"},
        target={"entity_id": entity_id},
        blocking=True,
        return_response=True,
    )
    assert [e["summary"] for e in events[entity_id]["events"]] == ["Quốc khánh", "Quốc khánh"]


@pytest.mark.freeze_time(datetime(2026, 6, 4, 21, 0, tzinfo=VN))
async def test_after_hours_switch(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    armed = f"binary_sensor.{PREFIX}_after_hours_watch_armed"
    switch = f"switch.{PREFIX}_after_hours_watch"
    assert hass.states.get(armed).state == "on"
    await hass.services.async_call("switch", "turn_off", {"entity_id": switch}, blocking=True)
    assert hass.states.get(switch).state == "off"
    assert hass.states.get(armed).state == "off"
    assert await hass.config_entries.async_reload(loaded.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(switch).state == "off"
    await hass.services.async_call("switch", "turn_on", {"entity_id": switch}, blocking=True)
    assert hass.states.get(armed).state == "on"


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_removed_staff_records_are_kept_until_purged(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    hass_admin_user: MockUser,
) -> None:
    await travel(hass, freezer, at(4, 9, 0))  # both absent this morning
    binh = next(k for k, s in loaded.subentries.items() if s.title == "Trần Thị Bình")
    assert hass.config_entries.async_remove_subentry(loaded, binh)
    await hass.async_block_till_done()
    issue_id = f"staff_records_{loaded.entry_id}_{binh}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "name": "Trần Thị Bình",
        "office": "UBND xã Quế Phong",
        "count": "1",
    }
    assert await async_setup_component(hass, "repairs", {})
    # a fresh token: the fixture's one was made at 06:00 and has expired in frozen time
    refresh = await hass.auth.async_create_refresh_token(hass_admin_user, "https://quephong.test/")
    client = await hass_client(hass.auth.async_create_access_token(refresh))
    resp = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await resp.json()
    assert (flow["step_id"], flow["description_placeholders"]["count"]) == ("confirm", "1")
    resp = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert (await resp.json())["type"] == "create_entry"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    rules = loaded.runtime_data.rules.rules
    assert {v.staff for v in rules.ledger} == {next(iter(rules.staff))}
    # purged for good: the issue does not come back after a restart
    assert await hass.config_entries.async_reload(loaded.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
