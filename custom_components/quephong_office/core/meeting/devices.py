"""Devices of a meeting room: targets, the calls that reach them, verification, restore.

Home Assistant runs the calls; this module only says which ones, in Home Assistant's own terms
(domain, service, data), and judges the states that come back.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .errors import MeetingError

#: Domains that are switched on and off and nothing more.
SWITCHED = frozenset({"switch", "light", "fan", "input_boolean"})
SUPPORTED_DOMAINS = frozenset({"media_player", "climate", "scene"} | SWITCHED)
HVAC_MODES = frozenset({"off", "heat", "cool", "heat_cool", "auto", "dry", "fan_only"})
#: States in which a media player (a TV, a projector, a conference codec) counts as on.
MEDIA_ON = frozenset({"on", "playing", "idle", "paused", "buffering"})
MEDIA_OFF = frozenset({"off", "standby"})
#: The lowest and highest set point accepted for an air conditioner.
MIN_TEMPERATURE = 5.0
MAX_TEMPERATURE = 40.0
#: A climate device is at its set point when within this many degrees.
TEMPERATURE_TOLERANCE = 0.5

_OPTIONS: Mapping[str, frozenset[str]] = {
    "media_player": frozenset({"state", "source"}),
    "climate": frozenset({"state", "hvac_mode", "temperature"}),
    "scene": frozenset({"state"}),
    **{domain: frozenset({"state"}) for domain in SWITCHED},
}
_ENTITY_ID = re.compile(r"[a-z0-9_]+\.[a-z0-9_]+")
_LOST = frozenset({"unavailable", "unknown", ""})


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceTarget:
    """What a device must be before a meeting.

    `state` is "on" or "off"; `source` is a media player's input; `hvac_mode` and
    `temperature` are a climate device's mode and set point; a scene is activated.
    """

    entity_id: str
    state: Literal["on", "off"] = "on"
    source: str | None = None
    hvac_mode: str | None = None
    temperature: float | None = None

    @property
    def domain(self) -> str:
        """The entity's domain, e.g. "media_player"."""
        return self.entity_id.partition(".")[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceCall:
    """A Home Assistant service call: `data` includes the entity_id."""

    domain: str
    service: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Shortfall:
    """How a device falls short of its target: `aspect` with the expected and actual value."""

    aspect: Literal["state", "source", "temperature"]
    expected: str
    actual: str


def _state(value: Any, entity_id: str) -> Literal["on", "off"] | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else "off"
    text = str(value).strip().lower()
    if text == "on":
        return "on"
    if text == "off":
        return "off"
    if not text:
        return None
    raise MeetingError("invalid_state", entity_id)


def _text(value: Any, code: str, entity_id: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise MeetingError(code, entity_id)
    return value.strip() or None


def _temperature(value: Any, entity_id: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise MeetingError("invalid_temperature", entity_id)
    try:
        number = float(value.replace(",", ".") if isinstance(value, str) else value)
    except (TypeError, ValueError) as err:
        raise MeetingError("invalid_temperature", entity_id) from err
    if not MIN_TEMPERATURE <= number <= MAX_TEMPERATURE:
        raise MeetingError("invalid_temperature", entity_id)
    return number


def _climate(entity_id: str, state: str | None, options: Mapping[str, Any]) -> DeviceTarget:
    mode = _text(options.get("hvac_mode"), "invalid_hvac_mode", entity_id)
    if mode is not None:
        mode = mode.lower()
        if mode not in HVAC_MODES:
            raise MeetingError("invalid_hvac_mode", entity_id)
    temperature = _temperature(options.get("temperature"), entity_id)
    if state == "off":
        if mode not in (None, "off") or temperature is not None:
            raise MeetingError("conflicting_options", entity_id)
        mode = "off"
    if mode == "off" and temperature is not None:
        raise MeetingError("conflicting_options", entity_id)
    return DeviceTarget(
        entity_id=entity_id,
        state="off" if mode == "off" else "on",
        hvac_mode=mode,
        temperature=temperature,
    )


def parse_target(entity_id: str, mapping: Mapping[str, Any] | None = None) -> DeviceTarget:
    """A validated target for `entity_id` from its options (state, source, hvac_mode, …).

    Without a state a device is to be on. Raise MeetingError (invalid_entity_id,
    unsupported_domain, unknown_option, invalid_state, invalid_source, invalid_hvac_mode,
    invalid_temperature, conflicting_options) with the entity_id as its field.
    """
    entity_id = entity_id.strip().lower()
    if not _ENTITY_ID.fullmatch(entity_id):
        raise MeetingError("invalid_entity_id", entity_id)
    domain = entity_id.partition(".")[0]
    if domain not in SUPPORTED_DOMAINS:
        raise MeetingError("unsupported_domain", entity_id)
    options = mapping or {}
    if set(options) - _OPTIONS[domain]:
        raise MeetingError("unknown_option", entity_id)
    state = _state(options.get("state"), entity_id)
    if domain == "climate":
        return _climate(entity_id, state, options)
    if domain == "scene":
        if state == "off":
            raise MeetingError("invalid_state", entity_id)
        return DeviceTarget(entity_id=entity_id)
    source = _text(options.get("source"), "invalid_source", entity_id)
    if source is not None and state == "off":
        raise MeetingError("conflicting_options", entity_id)
    return DeviceTarget(entity_id=entity_id, state=state or "on", source=source)


def _call(target: DeviceTarget, service: str, **data: Any) -> ServiceCall:
    return ServiceCall(
        domain=target.domain, service=service, data={"entity_id": target.entity_id, **data}
    )


def plan(target: DeviceTarget) -> list[ServiceCall]:
    """The service calls, in order, that bring a device to its target."""
    if target.domain == "scene":
        return [_call(target, "turn_on")]
    if target.domain == "climate":
        calls = [
            _call(target, "set_hvac_mode", hvac_mode=target.hvac_mode)
            if target.hvac_mode
            else _call(target, "turn_on")
        ]
        if target.temperature is not None:
            calls.append(_call(target, "set_temperature", temperature=target.temperature))
        return calls
    if target.state == "off":
        return [_call(target, "turn_off")]
    calls = [_call(target, "turn_on")]
    if target.source is not None:
        calls.append(_call(target, "select_source", source=target.source))
    return calls


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _degrees(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def shortfall(target: DeviceTarget, state: str, attributes: Mapping[str, Any]) -> Shortfall | None:
    """How the device's current `state` and `attributes` miss the target; None when reached.

    A scene is reached once activated. A media player is on in any of MEDIA_ON, its source
    compared without regard to case; a climate device must be in its mode with its set point
    within TEMPERATURE_TOLERANCE.
    """
    if target.domain == "scene":
        return None
    if target.domain == "climate":
        if target.hvac_mode is not None:
            if state != target.hvac_mode:
                return Shortfall(aspect="state", expected=target.hvac_mode, actual=state)
        elif state in _LOST or state == "off":
            return Shortfall(aspect="state", expected="on", actual=state)
        if target.temperature is not None:
            current = _number(attributes.get("temperature"))
            if current is None or abs(current - target.temperature) > TEMPERATURE_TOLERANCE:
                return Shortfall(
                    aspect="temperature",
                    expected=_degrees(target.temperature),
                    actual=_degrees(current),
                )
        return None
    if target.domain == "media_player":
        wanted = MEDIA_ON if target.state == "on" else MEDIA_OFF
    else:
        wanted = frozenset({target.state})
    if state not in wanted:
        return Shortfall(aspect="state", expected=target.state, actual=state)
    if target.source is not None:
        current_source = attributes.get("source")
        if not isinstance(current_source, str) or (
            current_source.strip().casefold() != target.source.casefold()
        ):
            actual = current_source if isinstance(current_source, str) else ""
            return Shortfall(aspect="source", expected=target.source, actual=actual)
    return None


def reached(target: DeviceTarget, state: str, attributes: Mapping[str, Any]) -> bool:
    """Whether the device is at its target (see `shortfall`)."""
    return shortfall(target, state, attributes) is None


def restore_plan(
    target: DeviceTarget, saved_state: str | None, saved_attributes: Mapping[str, Any] | None
) -> list[ServiceCall]:
    """The calls that bring a device back to what it was before the meeting.

    A device whose saved state was off, unknown or unavailable is turned off. A media player's
    source and a climate device's set point are put back only when the target changed them.
    A scene cannot be undone: nothing to call.
    """
    attributes = saved_attributes or {}
    saved = (saved_state or "").strip().lower()
    if target.domain == "scene":
        return []
    if target.domain == "climate":
        if saved not in HVAC_MODES:
            return [_call(target, "set_hvac_mode", hvac_mode="off")]
        calls = [_call(target, "set_hvac_mode", hvac_mode=saved)]
        temperature = _number(attributes.get("temperature"))
        if saved != "off" and target.temperature is not None and temperature is not None:
            calls.append(_call(target, "set_temperature", temperature=temperature))
        return calls
    was_on = saved in MEDIA_ON if target.domain == "media_player" else saved == "on"
    if not was_on:
        return [_call(target, "turn_off")]
    calls = [_call(target, "turn_on")]
    source = attributes.get("source")
    if target.source is not None and isinstance(source, str) and source and source != target.source:
        calls.append(_call(target, "select_source", source=source))
    return calls
