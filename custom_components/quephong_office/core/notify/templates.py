"""Reminder texts for each rule, in Vietnamese (English as a fallback), with placeholders.

Placeholders come from the violation's payload: {staff}, {desk}, {zone}, {office},
{minutes}, {time}, {date}, {session}, {level}. An office may replace any template; a
placeholder it does not know is left as written rather than failing.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from custom_components.quephong_office.core.errors import CodedError

#: Placeholders a template may use: the violation's values, and the message itself for ZNS.
PLACEHOLDERS = frozenset(
    {"staff", "desk", "zone", "office", "minutes", "time", "date", "session", "level", "people"}
)
MESSAGE_PLACEHOLDERS = frozenset({"subject", "body"})
RULES = ("late_arrival", "early_departure", "absence", "unattended_desk", "gathering", "intrusion")
#: Longest subject and body an office may write.
MAX_SUBJECT = 200
MAX_BODY = 2000
#: Longest value of a ZNS template parameter (Zalo's limit for most parameter types).
MAX_ZNS_VALUE = 100


class TemplateError(CodedError):
    """A template the office wrote cannot be used: `code` says why, `field` where."""


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


class _Blank(dict[str, Any]):
    """Reads a placeholder without a value as empty."""

    def __missing__(self, key: str) -> str:
        return ""


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


def check_template(text: str, field: str, allowed: frozenset[str] = PLACEHOLDERS) -> str:
    """The template, trimmed; raise TemplateError on broken braces or an unknown placeholder."""
    text = text.strip()
    if not text:
        raise TemplateError("empty_template", field)
    if len(text) > (MAX_SUBJECT if field == "subject" else MAX_BODY):
        raise TemplateError("template_too_long", field)
    try:
        names = [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name]
    except ValueError as err:
        raise TemplateError("invalid_template", field) from err
    if any(name not in allowed for name in names):
        raise TemplateError("unknown_placeholder", field)
    return text


def parse_zns_mapping(text: str) -> dict[str, str]:
    """ZNS parameters from lines `parameter = template`, e.g. `ten_can_bo = {staff}`.

    A template may use the violation's placeholders and {subject}; raise TemplateError
    (field `zns_mapping`) on a line without `=`, a repeated or malformed parameter name, or
    a bad template.
    """
    mapping: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name or not name.replace("_", "").isalnum() or name in mapping:
            raise TemplateError("invalid_mapping", "zns_mapping")
        mapping[name] = check_template(value, "zns_mapping", PLACEHOLDERS | {"subject"})
    if not mapping:
        raise TemplateError("invalid_mapping", "zns_mapping")
    return mapping


def zns_data(mapping: Mapping[str, str], values: Mapping[str, Any]) -> dict[str, str]:
    """The ZNS template's parameter values for one message, each cut to Zalo's limit.

    `values` are the placeholders' values (`placeholders()` of a violation, plus `subject`);
    a placeholder without a value (a manual reminder has no time) reads as empty.
    """
    known = _Blank(values)
    return {name: template.format_map(known)[:MAX_ZNS_VALUE] for name, template in mapping.items()}
