"""Reminder templates: the office's own texts are checked, rendered and mapped onto ZNS."""

from __future__ import annotations

import pytest

from custom_components.quephong_office.core.notify.templates import (
    MAX_ZNS_VALUE,
    RULES,
    TEMPLATES,
    TemplateError,
    check_template,
    parse_zns_mapping,
    placeholders,
    render,
    zns_data,
)

LATE = {
    "type": "late_arrival",
    "start": "2026-06-04T07:00:00+07:00",
    "duration": 720,
    "session": "morning",
    "staff": "Nguyễn Văn An",
    "office": "UBND xã Quế Phong",
    "escalation": 1,
}


def test_every_rule_has_a_template_in_both_languages() -> None:
    for language in ("vi", "en"):
        assert set(TEMPLATES[language]) == set(RULES)
        for subject, body in TEMPLATES[language].values():
            check_template(subject, "subject")
            check_template(body, "body")


def test_an_office_template_replaces_the_built_in_one() -> None:
    custom = {
        "late_arrival": ("Đi muộn {minutes}′", "{staff} đến lúc {time}, {missing} giữ nguyên")
    }
    assert render("late_arrival", LATE, "vi", custom) == (
        "Đi muộn 12′",
        "Nguyễn Văn An đến lúc 07:12, {missing} giữ nguyên",
    )
    assert render("late_arrival", LATE, "vi")[0] == "Nhắc nhở: đi muộn 12 phút"
    assert render("late_arrival", LATE, "en-GB")[0] == "Reminder: 12 min late"


@pytest.mark.parametrize(
    ("text", "field", "code"),
    [
        ("   ", "subject", "empty_template"),
        ("x" * 201, "subject", "template_too_long"),
        ("x" * 2001, "body", "template_too_long"),
        ("Đi muộn {minutes", "body", "invalid_template"),
        ("Đi muộn {phut} phút", "body", "unknown_placeholder"),
    ],
)
def test_a_broken_template_is_refused_with_its_field(text: str, field: str, code: str) -> None:
    with pytest.raises(TemplateError) as err:
        check_template(text, field)
    assert (err.value.code, err.value.field) == (code, field)


def test_a_good_template_is_trimmed() -> None:
    assert check_template("  {staff} đi muộn {minutes} phút ", "body") == (
        "{staff} đi muộn {minutes} phút"
    )


def test_zns_mapping_is_parsed_and_filled() -> None:
    mapping = parse_zns_mapping(
        "ten_can_bo = {staff}\n\n noi_dung={subject}\nthoi_gian = {time} {date}\n"
    )
    assert mapping == {
        "ten_can_bo": "{staff}",
        "noi_dung": "{subject}",
        "thoi_gian": "{time} {date}",
    }
    values = {**placeholders(LATE), "subject": "Nhắc nhở: đi muộn 12 phút"}
    assert zns_data(mapping, values) == {
        "ten_can_bo": "Nguyễn Văn An",
        "noi_dung": "Nhắc nhở: đi muộn 12 phút",
        "thoi_gian": "07:12 04/06/2026",
    }
    # a manual reminder has no time: the parameter reads as empty, and long values are cut
    manual = zns_data(mapping, {"staff": "An", "subject": "x" * 300})
    assert manual == {"ten_can_bo": "An", "noi_dung": "x" * MAX_ZNS_VALUE, "thoi_gian": " "}


@pytest.mark.parametrize(
    "text",
    ["", "ten_can_bo {staff}", "= {staff}", "ten can bo = {staff}", "a = {staff}\na = {time}"],
)
def test_a_bad_zns_mapping_is_refused(text: str) -> None:
    with pytest.raises(TemplateError) as err:
        parse_zns_mapping(text)
    assert (err.value.code, err.value.field) == ("invalid_mapping", "zns_mapping")


def test_a_zns_mapping_with_an_unknown_placeholder_is_refused() -> None:
    with pytest.raises(TemplateError) as err:
        parse_zns_mapping("ten = {body}")
    assert err.value.code == "unknown_placeholder"
