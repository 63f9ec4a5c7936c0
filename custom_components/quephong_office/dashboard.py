"""The leaders' dashboard of an office, built from its entities with standard cards.

Home Assistant has no public API for an integration to create a dashboard, so the service
`quephong_office.dashboard` returns the dashboard's configuration (and its YAML) for the IT
officer to paste into a new dashboard's raw configuration editor in one step. Two views:
the day (figures, live cameras, desks, attendance, violations with the latest snapshots,
reminders) and the meeting rooms (readiness, problems, communes). The snapshots come from the
integration's own evidence card, which shows them to leaders and administrators only. Labels
are Vietnamese; the sections layout reflows from a phone to a wall screen.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

#: The office's day figures, in the order leaders read them, with short labels (the entities'
#: own names start with the office's name, too long for a phone).
FIGURES = {
    "sensor.late_today": "Đi muộn",
    "sensor.absent_today": "Vắng mặt",
    "sensor.on_leave_today": "Nghỉ phép",
    "sensor.unattended_desks": "Quầy trống",
    "sensor.violations_this_month": "Vi phạm tháng",
    "sensor.failed_sends": "Tin gửi lỗi",
}
STATUS = {
    "sensor.current_session": "Buổi làm việc",
    "binary_sensor.working_hours": "Trong giờ làm việc",
    "binary_sensor.after_hours_armed": "Canh gác ngoài giờ",
    "switch.auto_send": "Tự động gửi nhắc nhở",
}


def _by_key(hass: HomeAssistant, entry: ConfigEntry[Any]) -> dict[str, list[str]]:
    """The office's entity ids by translation key (registry order), enabled ones only."""
    found: dict[str, list[str]] = defaultdict(list)
    for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        if item.disabled_by is not None:
            continue
        if item.domain == "camera":
            found["camera"].append(item.entity_id)
        elif item.translation_key:
            found[f"{item.domain}.{item.translation_key}"].append(item.entity_id)
    return found


def _section(title: str, *cards: dict[str, Any]) -> dict[str, Any]:
    return {"type": "grid", "cards": [{"type": "heading", "heading": title}, *cards]}


def build_dashboard(hass: HomeAssistant, entry: ConfigEntry[Any]) -> dict[str, Any]:
    """The dashboard configuration of an office."""
    keys = _by_key(hass, entry)

    def one(key: str) -> list[str]:
        return keys.get(key, [])[:1]

    def named(labels: dict[str, str]) -> list[dict[str, str]]:
        return [{"entity": e, "name": label} for key, label in labels.items() for e in one(key)]

    day: list[dict[str, Any]] = [
        _section(
            "Hôm nay",
            {
                "type": "glance",
                "columns": 3,
                "entities": named(FIGURES),
            },
            {"type": "entities", "entities": named(STATUS)},
        )
    ]
    if keys.get("camera"):
        day.append(
            _section(
                "Camera",
                *(
                    {"type": "picture-entity", "entity": camera, "camera_view": "live"}
                    for camera in keys["camera"]
                ),
            )
        )
    desks = [
        e
        for pair in zip(
            keys.get("binary_sensor.unattended", []),
            keys.get("sensor.unattended_minutes", []),
            strict=False,
        )
        for e in pair
    ]
    if desks:
        day.append(_section("Quầy một cửa", {"type": "entities", "entities": desks}))
    if keys.get("sensor.attendance_status"):
        day.append(
            _section(
                "Chuyên cần hôm nay",
                {"type": "entities", "entities": keys["sensor.attendance_status"]},
            )
        )
    day.append(
        _section(
            "Vi phạm",
            {
                "type": "logbook",
                "target": {"entity_id": one("event.violations")},
                "hours_to_show": 72,
            },
            {
                # snapshots for leaders only: the card asks for links signed for the viewer
                "type": "custom:quephong-evidence-card",
                "config_entry_id": entry.entry_id,
                "violations_entity": next(iter(one("event.violations")), None),
                "limit": 6,
            },
        )
    )
    views: list[dict[str, Any]] = [
        {
            "title": "Hôm nay",
            "path": "hom-nay",
            "icon": "mdi:office-building",
            "type": "sections",
            "max_columns": 4,
            "sections": day,
        }
    ]
    rooms = [
        e
        for pair in zip(
            keys.get("binary_sensor.meeting_ready", []),
            keys.get("sensor.meeting_problems", []),
            strict=False,
        )
        for e in pair
    ]
    communes = keys.get("sensor.communes_ready", []) + keys.get("sensor.commune_readiness", [])
    if rooms or communes:
        sections = []
        if rooms:
            sections.append(_section("Phòng họp", {"type": "entities", "entities": rooms}))
        if communes:
            sections.append(_section("Các xã", {"type": "entities", "entities": communes}))
        views.append(
            {
                "title": "Họp trực tuyến",
                "path": "hop-truc-tuyen",
                "icon": "mdi:video-account",
                "type": "sections",
                "max_columns": 3,
                "sections": sections,
            }
        )
    return {"title": entry.title, "views": views}
