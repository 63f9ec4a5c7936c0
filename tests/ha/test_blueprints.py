"""The automation blueprints in automations/, loaded into a real Home Assistant.

Each blueprint is installed the way "import blueprint" installs it, an automation is made
from it, the integration's events are fed in, and the actions it runs are checked.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.quephong_office.const import DOMAIN, EVENT_VIOLATION

from .conftest import office_entry, staff_subentry, travel

BLUEPRINTS = Path(__file__).resolve().parents[2] / "automations"
OFFICE = "01JQPOFFICE0000000000000001"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _install(hass: HomeAssistant) -> None:
    target = Path(hass.config.path("blueprints", "automation", DOMAIN))
    target.mkdir(parents=True, exist_ok=True)
    for path in BLUEPRINTS.glob("*.yaml"):
        shutil.copy(path, target / path.name)


async def _automations(hass: HomeAssistant, blueprints: dict[str, dict[str, Any]]) -> None:
    """One automation per blueprint, with the given inputs; each must load."""
    _install(hass)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "id": name,
                    "alias": name,
                    "use_blueprint": {"path": f"{DOMAIN}/{name}.yaml", "input": inputs},
                }
                for name, inputs in blueprints.items()
            ]
        },
    )
    await hass.async_block_till_done()
    for name in blueprints:
        state = hass.states.get(f"automation.{name}")
        assert state is not None, f"{name} did not load"
        assert state.state == "on", f"{name} did not load"


def _violation(kind: str, **data: Any) -> dict[str, Any]:
    return {"id": f"v-{kind}", "type": kind, "config_entry_id": OFFICE, **data}


def test_every_blueprint_is_documented_in_vietnamese() -> None:
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_constructor("!input", lambda loader, node: loader.construct_scalar(node))
    names = sorted(p.stem for p in BLUEPRINTS.glob("*.yaml"))
    assert names == [
        "end_of_day_summary",
        "gathering_reminder",
        "intrusion_alert",
        "late_arrival_reminder",
        "meeting_room_actions",
        "meeting_room_not_ready",
        "unattended_desk_reminder",
    ]
    readme = (BLUEPRINTS.parent / "README.md").read_text(encoding="utf-8")
    for name in names:
        blueprint = yaml.load((BLUEPRINTS / f"{name}.yaml").read_text("utf-8"), _Loader)
        meta = blueprint["blueprint"]
        assert meta["domain"] == "automation"
        assert meta["source_url"].endswith(f"/automations/{name}.yaml")
        assert any(ch in meta["description"] for ch in "ăâđêôơư"), name
        assert f"automations/{name}.yaml" in readme, f"{name} is not in the README"


async def test_violation_blueprints_run_the_reminder_service(hass: HomeAssistant) -> None:
    calls: list[ServiceCall] = async_mock_service(hass, DOMAIN, "send_reminder")
    turned_on = async_mock_service(hass, "homeassistant", "turn_on")
    await _automations(
        hass,
        {
            "late_arrival_reminder": {"office": OFFICE, "leaders_from": 2},
            "unattended_desk_reminder": {"office": OFFICE, "tell_leaders": True},
            "gathering_reminder": {"office": OFFICE, "min_people": 4},
            "intrusion_alert": {"office": OFFICE, "deterrent": ["light.den_cong"]},
        },
    )

    def fire(**data: Any) -> None:
        hass.bus.async_fire(EVENT_VIOLATION, data)

    fire(**_violation("late_arrival", escalation=1))
    fire(**{**_violation("late_arrival", escalation=2), "id": "v-late-2"})
    fire(**{**_violation("late_arrival", escalation=2), "config_entry_id": "another-office"})
    fire(**_violation("unattended_desk", escalation=1))
    fire(**_violation("gathering", details={"people": 3}))
    fire(**{**_violation("gathering", details={"people": 5}), "id": "v-gathering-5"})
    fire(**_violation("intrusion"))
    await hass.async_block_till_done()
    sent = [(c.data["violation_id"], c.data["leaders"]) for c in calls]
    assert sent == [
        ("v-late_arrival", False),
        ("v-late-2", True),
        ("v-unattended_desk", True),
        ("v-gathering-5", True),
        ("v-intrusion", True),
    ]
    assert all(c.data["include_snapshot"] for c in calls)
    assert [c.data["entity_id"] for c in turned_on] == [["light.den_cong"]]


async def test_meeting_blueprint_ignores_reloads(hass: HomeAssistant) -> None:
    sent = async_mock_service(hass, "notify", "send_message")
    ready, problems = "binary_sensor.phong_hop_ready", "sensor.phong_hop_problems"
    hass.states.async_set(ready, "unknown", {"meeting": "Giao ban"})
    hass.states.async_set(problems, "0", {"problems": []})
    await _automations(
        hass,
        {
            "meeting_room_not_ready": {
                "ready_sensor": ready,
                "problems_sensor": problems,
                "notify_target": "notify.email",
            }
        },
    )
    lines = ["Thiết bị Máy chiếu chưa bật (đang tắt)", "Xã Châu Kim không phản hồi"]
    hass.states.async_set(problems, "2", {"problems": lines})
    hass.states.async_set(ready, "off", {"meeting": "Giao ban"})
    await hass.async_block_till_done()
    # a reload: unavailable, then off again, tells nobody
    hass.states.async_set(ready, "unavailable")
    hass.states.async_set(ready, "off", {"meeting": "Giao ban"})
    await hass.async_block_till_done()
    (call,) = sent
    assert call.data["title"] == "Phòng họp chưa sẵn sàng: Giao ban"
    assert call.data["message"] == "\n".join(lines)


async def test_meeting_setup_and_teardown_actions(hass: HomeAssistant) -> None:
    opened = async_mock_service(hass, "cover", "open_cover")
    closed = async_mock_service(hass, "cover", "close_cover")
    ready = "binary_sensor.phong_hop_ready"
    hass.states.async_set(ready, "unknown", {"prepared": False})
    await _automations(
        hass,
        {
            "meeting_room_actions": {
                "ready_sensor": ready,
                "setup_actions": [
                    {"action": "cover.open_cover", "target": {"entity_id": "cover.rem"}}
                ],
                "teardown_actions": [
                    {"action": "cover.close_cover", "target": {"entity_id": "cover.rem"}}
                ],
            }
        },
    )
    hass.states.async_set(ready, "on", {"prepared": True})
    await hass.async_block_till_done()
    assert (len(opened), len(closed)) == (1, 0)
    hass.states.async_set(ready, "unavailable", {"prepared": False})  # a reload
    hass.states.async_set(ready, "on", {"prepared": True})
    await hass.async_block_till_done()
    assert (len(opened), len(closed)) == (1, 0)
    hass.states.async_set(ready, "unknown", {"prepared": False})
    await hass.async_block_till_done()
    assert (len(opened), len(closed)) == (1, 1)


@pytest.mark.freeze_time(datetime(2026, 6, 4, 6, 0, tzinfo=VN))
async def test_end_of_day_summary(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """The summary comes from the office's records (the integration's daily summary)."""
    entry = office_entry(
        subentries_data=[
            staff_subentry("Nguyễn Văn An", presence_entities=["binary_sensor.an_phone"]),
            staff_subentry("Trần Thị Bình"),
        ]
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # after the office: its notify platform loads the real notify services
    sent = async_mock_service(hass, "notify", "send_message")
    await _automations(
        hass,
        {
            "end_of_day_summary": {
                "office": entry.entry_id,
                "at": "17:15:00",
                "notify_target": "notify.email_lanh_dao",
            }
        },
    )
    hass.states.async_set("binary_sensor.an_phone", "off")
    await travel(hass, freezer, datetime(2026, 6, 4, 7, 12, tzinfo=VN))
    hass.states.async_set("binary_sensor.an_phone", "on")
    await travel(hass, freezer, datetime(2026, 6, 4, 17, 15, tzinfo=VN))
    (call,) = sent
    assert call.data["title"] == "Tổng hợp kỷ luật ngày 04/06/2026 – UBND xã Quế Phong"
    message = call.data["message"]
    assert "Nguyễn Văn An" in message
    assert "07:12" in message
    assert "Trần Thị Bình" in message  # absent
    # a day off (Saturday): nothing is sent unless asked for
    await travel(hass, freezer, datetime(2026, 6, 6, 17, 15, tzinfo=VN))
    assert len(sent) == 1
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "automation.end_of_day_summary"}, blocking=True
    )
