"""Reminder texts for each rule, in Vietnamese (English as a fallback), with placeholders.

Placeholders come from the violation's payload: {staff}, {desk}, {zone}, {office},
{minutes}, {time}, {date}, {session}, {level}. An office may replace any template; a
placeholder it does not know is left as written rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

SESSIONS = {"vi": {"morning": "buổi sáng", "afternoon": "buổi chiều"}, "en": {}}

TEMPLATES: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "vi": {
        "late_arrival": (
            "Nhắc nhở: đi muộn {minutes} phút",
            "Kính gửi đồng chí {staff},\n\nHệ thống ghi nhận đồng chí đến cơ quan lúc {time} ngày "
            "{date}, muộn {minutes} phút so với giờ làm việc {session}. Đề nghị đồng chí chấp hành "
            "nghiêm thời giờ làm việc theo quy định.\n\n{office}",
        ),
        "early_departure": (
            "Nhắc nhở: về sớm {minutes} phút",
            "Kính gửi đồng chí {staff},\n\nHệ thống ghi nhận đồng chí rời cơ quan lúc {time} ngày "
            "{date}, sớm {minutes} phút so với giờ kết thúc {session}.\n\n{office}",
        ),
        "absence": (
            "Nhắc nhở: vắng mặt không lý do",
            "Kính gửi đồng chí {staff},\n\nHệ thống chưa ghi nhận đồng chí có mặt {session} ngày "
            "{date} và không có đăng ký nghỉ phép. Nếu có lý do, đề nghị đồng chí báo cáo lãnh đạo "
            "để được xem xét.\n\n{office}",
        ),
        "unattended_desk": (
            "Nhắc nhở: quầy không có người trực",
            "Kính gửi đồng chí {staff},\n\n{desk} không có người trực từ {time} ngày {date}. "
            "Đề nghị đồng chí trở lại vị trí để phục vụ người dân.\n\n{office}",
        ),
        "gathering": (
            "Nhắc nhở: tụ tập trong giờ làm việc",
            "Hệ thống ghi nhận {people} người tụ tập tại {zone} từ {time} ngày {date}, trong giờ "
            "làm việc.\n\n{office}",
        ),
        "intrusion": (
            "Cảnh báo: có người vào ngoài giờ",
            "Hệ thống phát hiện có người tại {zone} lúc {time} ngày {date}, ngoài giờ làm việc.\n\n"
            "{office}",
        ),
    },
    "en": {
        "late_arrival": (
            "Reminder: {minutes} min late",
            "Dear {staff},\n\nYou arrived at {time} on {date}, {minutes} min after the {session} "
            "session started.\n\n{office}",
        ),
        "early_departure": (
            "Reminder: left {minutes} min early",
            "Dear {staff},\n\nYou left at {time} on {date}, {minutes} min before the {session} "
            "session ended.\n\n{office}",
        ),
        "absence": (
            "Reminder: absent without reason",
            "Dear {staff},\n\nYou were not recorded in the {session} session on {date}, and no "
            "leave is registered.\n\n{office}",
        ),
        "unattended_desk": (
            "Reminder: desk unattended",
            "Dear {staff},\n\n{desk} has been unattended since {time} on {date}.\n\n{office}",
        ),
        "gathering": (
            "Reminder: gathering in working hours",
            "{people} people gathered at {zone} since {time} on {date}.\n\n{office}",
        ),
        "intrusion": (
            "Alert: someone entered after hours",
            "Someone was at {zone} at {time} on {date}, outside working hours.\n\n{office}",
        ),
    },
}


class _Keep(dict[str, Any]):
    """Leaves unknown placeholders as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(payload: Mapping[str, Any], language: str = "vi") -> dict[str, Any]:
    """Template values from a violation payload (the `quephong_office_violation` event's)."""
    lang = "vi" if language.startswith("vi") else "en"
    moment = datetime.fromisoformat(str(payload["start"]))
    shown = moment  # a late arrival starts at the session start; the arrival is later
    if payload.get("type") == "late_arrival":
        shown = moment + timedelta(seconds=float(payload.get("duration") or 0))
    session = str(payload.get("session") or "")
    return {
        "staff": payload.get("staff") or "",
        "desk": payload.get("desk") or "",
        "zone": payload.get("zone") or "",
        "office": payload.get("office") or "",
        "minutes": round(float(payload.get("duration") or 0) / 60),
        "time": shown.strftime("%H:%M"),
        "date": moment.strftime("%d/%m/%Y"),
        "session": SESSIONS[lang].get(session, session),
        "level": payload.get("escalation") or "",
        "people": (payload.get("details") or {}).get("people", ""),
    }


def render(
    rule: str,
    payload: Mapping[str, Any],
    language: str = "vi",
    custom: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[str, str]:
    """(subject, body) for a violation: the office's own template, else the built-in one."""
    lang = "vi" if language.startswith("vi") else "en"
    subject, body = (custom or {}).get(rule) or TEMPLATES[lang].get(rule) or TEMPLATES["vi"][rule]
    values = _Keep(placeholders(payload, lang))
    return subject.format_map(values), body.format_map(values)
