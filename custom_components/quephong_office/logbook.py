"""Logbook entries for violations and their dismissal, in Vietnamese (English otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.components.logbook.const import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_VIOLATION, EVENT_VIOLATION_DISMISSED

MESSAGES: dict[str, dict[str, str]] = {
    "vi": {
        "late_arrival": "đi muộn {minutes} phút",
        "early_departure": "về sớm {minutes} phút",
        "absence": "vắng không lý do ({session})",
        "unattended_desk": "quầy không có người trực từ {start}",
        "gathering": "tụ tập {people} người từ {start}",
        "intrusion": "có người vào ngoài giờ lúc {start}",
        "dismissed": "vi phạm được bỏ qua: {reason}",
        "morning": "buổi sáng",
        "afternoon": "buổi chiều",
    },
    "en": {
        "late_arrival": "arrived {minutes} min late",
        "early_departure": "left {minutes} min early",
        "absence": "absent without reason ({session})",
        "unattended_desk": "desk unattended since {start}",
        "gathering": "gathering of {people} since {start}",
        "intrusion": "someone entered after hours at {start}",
        "dismissed": "violation dismissed: {reason}",
        "morning": "morning",
        "afternoon": "afternoon",
    },
}


def describe(data: dict[str, Any], language: str) -> str:
    """The sentence for a violation payload."""
    texts = MESSAGES["vi" if language.startswith("vi") else "en"]
    if data.get("dismissed"):
        return texts["dismissed"].format(reason=data.get("dismissal_reason") or "")
    start = str(data.get("start", ""))
    return texts[data["type"]].format(
        minutes=round(int(data.get("duration") or 0) / 60),
        session=texts.get(str(data.get("session")), data.get("session") or ""),
        start=start[11:16],
        people=(data.get("details") or {}).get("people") or "",
    )


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the integration's bus events in the logbook."""

    @callback
    def _describe(event: Event) -> dict[str, str]:
        data = dict(event.data)
        name = data.get("staff") or data.get("desk") or data.get("zone") or data.get("office")
        return {
            LOGBOOK_ENTRY_NAME: str(name),
            LOGBOOK_ENTRY_MESSAGE: describe(data, hass.config.language),
        }

    async_describe_event(DOMAIN, EVENT_VIOLATION, _describe)
    async_describe_event(DOMAIN, EVENT_VIOLATION_DISMISSED, _describe)
