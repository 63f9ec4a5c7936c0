"""Device targets, their service calls, verification and restore."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.quephong_office.core.meeting.devices import (
    DeviceTarget,
    ServiceCall,
    Shortfall,
    parse_target,
    plan,
    reached,
    restore_plan,
    shortfall,
)
from custom_components.quephong_office.core.meeting.errors import MeetingError

TV = "media_player.man_hinh_phong_hop"
AC = "climate.dieu_hoa"


def call(domain: str, service: str, entity_id: str, **data: Any) -> ServiceCall:
    return ServiceCall(domain=domain, service=service, data={"entity_id": entity_id, **data})


@pytest.mark.parametrize(
    ("entity_id", "options", "expected"),
    [
        (TV, None, DeviceTarget(entity_id=TV)),
        (f" {TV.upper()} ", {}, DeviceTarget(entity_id=TV)),
        (TV, {"source": " HDMI 1 "}, DeviceTarget(entity_id=TV, source="HDMI 1")),
        (TV, {"state": "OFF"}, DeviceTarget(entity_id=TV, state="off")),
        (TV, {"state": False}, DeviceTarget(entity_id=TV, state="off")),
        (TV, {"state": True, "source": ""}, DeviceTarget(entity_id=TV)),
        (TV, {"state": ""}, DeviceTarget(entity_id=TV)),
        ("switch.micro", {"state": "on"}, DeviceTarget(entity_id="switch.micro")),
        ("light.den", {"state": "off"}, DeviceTarget(entity_id="light.den", state="off")),
        ("fan.quat", None, DeviceTarget(entity_id="fan.quat")),
        ("input_boolean.hop", None, DeviceTarget(entity_id="input_boolean.hop")),
        ("scene.hop_truc_tuyen", {"state": "on"}, DeviceTarget(entity_id="scene.hop_truc_tuyen")),
        (AC, None, DeviceTarget(entity_id=AC)),
        (AC, {"hvac_mode": "COOL"}, DeviceTarget(entity_id=AC, hvac_mode="cool")),
        (
            AC,
            {"hvac_mode": "cool", "temperature": "24,5"},
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24.5),
        ),
        (AC, {"temperature": 26}, DeviceTarget(entity_id=AC, temperature=26.0)),
        (AC, {"temperature": ""}, DeviceTarget(entity_id=AC)),
        (AC, {"state": "off"}, DeviceTarget(entity_id=AC, state="off", hvac_mode="off")),
        (AC, {"hvac_mode": "off"}, DeviceTarget(entity_id=AC, state="off", hvac_mode="off")),
    ],
)
def test_parse_target(
    entity_id: str, options: dict[str, Any] | None, expected: DeviceTarget
) -> None:
    assert parse_target(entity_id, options) == expected


@pytest.mark.parametrize(
    ("entity_id", "options", "code"),
    [
        ("man hinh", None, "invalid_entity_id"),
        ("media_player.", None, "invalid_entity_id"),
        ("cover.rem", None, "unsupported_domain"),
        (TV, {"volume": 0.5}, "unknown_option"),
        ("switch.micro", {"source": "HDMI 1"}, "unknown_option"),
        ("light.den", {"temperature": 24}, "unknown_option"),
        (TV, {"state": "playing"}, "invalid_state"),
        (TV, {"source": 3}, "invalid_source"),
        (TV, {"state": "off", "source": "HDMI 1"}, "conflicting_options"),
        (AC, {"hvac_mode": "turbo"}, "invalid_hvac_mode"),
        (AC, {"hvac_mode": 1}, "invalid_hvac_mode"),
        (AC, {"temperature": "ấm"}, "invalid_temperature"),
        (AC, {"temperature": [24]}, "invalid_temperature"),
        (AC, {"temperature": True}, "invalid_temperature"),
        (AC, {"temperature": 4}, "invalid_temperature"),
        (AC, {"temperature": 41}, "invalid_temperature"),
        (AC, {"temperature": float("nan")}, "invalid_temperature"),
        (AC, {"state": "off", "hvac_mode": "cool"}, "conflicting_options"),
        (AC, {"state": "off", "temperature": 24}, "conflicting_options"),
        (AC, {"hvac_mode": "off", "temperature": 24}, "conflicting_options"),
        ("scene.hop", {"state": "off"}, "invalid_state"),
    ],
)
def test_parse_target_refuses(entity_id: str, options: dict[str, Any] | None, code: str) -> None:
    with pytest.raises(MeetingError) as err:
        parse_target(entity_id, options)
    assert err.value.code == code
    assert err.value.field == entity_id.strip().lower()


def test_domain() -> None:
    assert DeviceTarget(entity_id=AC).domain == "climate"


@pytest.mark.parametrize(
    ("target", "calls"),
    [
        (DeviceTarget(entity_id=TV), [call("media_player", "turn_on", TV)]),
        (
            DeviceTarget(entity_id=TV, source="HDMI 1"),
            [
                call("media_player", "turn_on", TV),
                call("media_player", "select_source", TV, source="HDMI 1"),
            ],
        ),
        (DeviceTarget(entity_id=TV, state="off"), [call("media_player", "turn_off", TV)]),
        (DeviceTarget(entity_id="switch.micro"), [call("switch", "turn_on", "switch.micro")]),
        (
            DeviceTarget(entity_id="light.den", state="off"),
            [call("light", "turn_off", "light.den")],
        ),
        (DeviceTarget(entity_id="fan.quat"), [call("fan", "turn_on", "fan.quat")]),
        (
            DeviceTarget(entity_id="input_boolean.hop", state="off"),
            [call("input_boolean", "turn_off", "input_boolean.hop")],
        ),
        (DeviceTarget(entity_id="scene.hop"), [call("scene", "turn_on", "scene.hop")]),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            [
                call("climate", "set_hvac_mode", AC, hvac_mode="cool"),
                call("climate", "set_temperature", AC, temperature=24),
            ],
        ),
        (
            DeviceTarget(entity_id=AC, temperature=25),
            [
                call("climate", "turn_on", AC),
                call("climate", "set_temperature", AC, temperature=25),
            ],
        ),
        (
            DeviceTarget(entity_id=AC, state="off", hvac_mode="off"),
            [call("climate", "set_hvac_mode", AC, hvac_mode="off")],
        ),
    ],
)
def test_plan(target: DeviceTarget, calls: list[ServiceCall]) -> None:
    assert plan(target) == calls


@pytest.mark.parametrize(
    ("target", "state", "attributes", "gap"),
    [
        (DeviceTarget(entity_id="scene.hop"), "unknown", {}, None),
        (DeviceTarget(entity_id=TV), "on", {}, None),
        (DeviceTarget(entity_id=TV), "playing", {}, None),
        (DeviceTarget(entity_id=TV), "idle", {}, None),
        (DeviceTarget(entity_id=TV), "paused", {}, None),
        (
            DeviceTarget(entity_id=TV),
            "off",
            {},
            Shortfall(aspect="state", expected="on", actual="off"),
        ),
        (
            DeviceTarget(entity_id=TV),
            "standby",
            {},
            Shortfall(aspect="state", expected="on", actual="standby"),
        ),
        (
            DeviceTarget(entity_id=TV),
            "unavailable",
            {},
            Shortfall(aspect="state", expected="on", actual="unavailable"),
        ),
        (DeviceTarget(entity_id=TV, source="HDMI 1"), "on", {"source": "hdmi 1"}, None),
        (
            DeviceTarget(entity_id=TV, source="HDMI 1"),
            "on",
            {"source": "HDMI 2"},
            Shortfall(aspect="source", expected="HDMI 1", actual="HDMI 2"),
        ),
        (
            DeviceTarget(entity_id=TV, source="HDMI 1"),
            "on",
            {},
            Shortfall(aspect="source", expected="HDMI 1", actual=""),
        ),
        (
            DeviceTarget(entity_id=TV, source="HDMI 1"),
            "off",
            {"source": "HDMI 1"},
            Shortfall(aspect="state", expected="on", actual="off"),
        ),
        (DeviceTarget(entity_id=TV, state="off"), "standby", {}, None),
        (DeviceTarget(entity_id=TV, state="off"), "off", {}, None),
        (
            DeviceTarget(entity_id=TV, state="off"),
            "playing",
            {},
            Shortfall(aspect="state", expected="off", actual="playing"),
        ),
        (DeviceTarget(entity_id="switch.micro"), "on", {}, None),
        (
            DeviceTarget(entity_id="switch.micro"),
            "idle",
            {},
            Shortfall(aspect="state", expected="on", actual="idle"),
        ),
        (DeviceTarget(entity_id="light.den", state="off"), "off", {}, None),
        (
            DeviceTarget(entity_id="light.den", state="off"),
            "on",
            {},
            Shortfall(aspect="state", expected="off", actual="on"),
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "cool",
            {"temperature": 24.5},
            None,
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "cool",
            {"temperature": 23.5},
            None,
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "cool",
            {"temperature": 25},
            Shortfall(aspect="temperature", expected="24", actual="25"),
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "cool",
            {"temperature": 23.2},
            Shortfall(aspect="temperature", expected="24", actual="23.2"),
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24.5),
            "cool",
            {"temperature": "24.5"},
            Shortfall(aspect="temperature", expected="24.5", actual=""),
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "cool",
            {"temperature": True},
            Shortfall(aspect="temperature", expected="24", actual=""),
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "cool",
            {"temperature": float("inf")},
            Shortfall(aspect="temperature", expected="24", actual=""),
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "heat",
            {"temperature": 24},
            Shortfall(aspect="state", expected="cool", actual="heat"),
        ),
        (DeviceTarget(entity_id=AC), "heat_cool", {}, None),
        (
            DeviceTarget(entity_id=AC),
            "off",
            {},
            Shortfall(aspect="state", expected="on", actual="off"),
        ),
        (
            DeviceTarget(entity_id=AC, temperature=26),
            "unavailable",
            {"temperature": 26},
            Shortfall(aspect="state", expected="on", actual="unavailable"),
        ),
        (DeviceTarget(entity_id=AC, state="off", hvac_mode="off"), "off", {}, None),
    ],
)
def test_shortfall_and_reached(
    target: DeviceTarget, state: str, attributes: dict[str, Any], gap: Shortfall | None
) -> None:
    assert shortfall(target, state, attributes) == gap
    assert reached(target, state, attributes) is (gap is None)


@pytest.mark.parametrize(
    ("target", "saved_state", "saved_attributes", "calls"),
    [
        (DeviceTarget(entity_id="scene.hop"), "on", {}, []),
        (DeviceTarget(entity_id=TV), "off", {}, [call("media_player", "turn_off", TV)]),
        (DeviceTarget(entity_id=TV), "standby", None, [call("media_player", "turn_off", TV)]),
        (DeviceTarget(entity_id=TV), None, None, [call("media_player", "turn_off", TV)]),
        (DeviceTarget(entity_id=TV), "unavailable", {}, [call("media_player", "turn_off", TV)]),
        (
            DeviceTarget(entity_id=TV, source="HDMI 1"),
            "playing",
            {"source": "TV"},
            [
                call("media_player", "turn_on", TV),
                call("media_player", "select_source", TV, source="TV"),
            ],
        ),
        (
            DeviceTarget(entity_id=TV, source="HDMI 1"),
            "on",
            {"source": "HDMI 1"},
            [call("media_player", "turn_on", TV)],
        ),
        (
            DeviceTarget(entity_id=TV),  # the source was not changed: not touched
            "on",
            {"source": "TV"},
            [call("media_player", "turn_on", TV)],
        ),
        (
            DeviceTarget(entity_id=TV, state="off"),
            "idle",
            {},
            [call("media_player", "turn_on", TV)],
        ),
        (
            DeviceTarget(entity_id="switch.micro"),
            " ON ",
            {},
            [call("switch", "turn_on", "switch.micro")],
        ),
        (
            DeviceTarget(entity_id="switch.micro"),
            "unknown",
            {},
            [call("switch", "turn_off", "switch.micro")],
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "heat",
            {"temperature": 28},
            [
                call("climate", "set_hvac_mode", AC, hvac_mode="heat"),
                call("climate", "set_temperature", AC, temperature=28.0),
            ],
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool"),  # set point unchanged: not touched
            "heat",
            {"temperature": 28},
            [call("climate", "set_hvac_mode", AC, hvac_mode="heat")],
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "off",
            {"temperature": 28},
            [call("climate", "set_hvac_mode", AC, hvac_mode="off")],
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool", temperature=24),
            "cool",
            {"temperature": None},
            [call("climate", "set_hvac_mode", AC, hvac_mode="cool")],
        ),
        (
            DeviceTarget(entity_id=AC, hvac_mode="cool"),
            "unavailable",
            {},
            [call("climate", "set_hvac_mode", AC, hvac_mode="off")],
        ),
    ],
)
def test_restore_plan(
    target: DeviceTarget,
    saved_state: str | None,
    saved_attributes: dict[str, Any] | None,
    calls: list[ServiceCall],
) -> None:
    assert restore_plan(target, saved_state, saved_attributes) == calls
