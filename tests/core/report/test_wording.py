"""The Vietnamese words of reports: dates, numbers, changes, day kinds and labels."""

from __future__ import annotations

from datetime import date

import pytest

from custom_components.quephong_office.core.calendar import DayInfo
from custom_components.quephong_office.core.report.period import Period, PeriodKind
from custom_components.quephong_office.core.report.wording import (
    TYPE_LABELS,
    capitalised,
    change_text,
    compared_with,
    date_line,
    day_kind,
    department_name,
    dismissal_reason,
    during,
    number_text,
    roman,
    session_name,
    signed_text,
)
from custom_components.quephong_office.core.rules.violations import ViolationType

from .conftest import office_calendar


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (date(2026, 6, 30), "Quế Phong, ngày 30 tháng 6 năm 2026"),
        (date(2026, 1, 5), "Quế Phong, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 14), "Quế Phong, ngày 14 tháng 02 năm 2026"),
        (date(2026, 11, 3), "Quế Phong, ngày 03 tháng 11 năm 2026"),
    ],
)
def test_the_date_line_follows_decree_30(day: date, line: str) -> None:
    assert date_line("Quế Phong", day) == line


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (7, "7"), (1250, "1.250"), (20.5, "20,5"), (1234.25, "1.234,25"), (3.0, "3")],
)
def test_numbers_are_written_the_vietnamese_way(value: float, text: str) -> None:
    assert number_text(value) == text


def test_changes_in_words_and_signs() -> None:
    assert change_text(2, "lượt") == "tăng 2 lượt"
    assert change_text(-0.5, "ngày") == "giảm 0,5 ngày"
    assert change_text(0, "lượt") == "không thay đổi"
    assert (signed_text(3), signed_text(-1.5), signed_text(0)) == ("+3", "−1,5", "0")


def test_what_the_period_before_is_called() -> None:
    month = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
    assert compared_with(month) == "tháng 10 năm 2026"
    span = Period(PeriodKind.RANGE, date(2026, 10, 17), date(2026, 10, 31))
    assert compared_with(span) == "15 ngày liền trước (từ ngày 17/10/2026 đến ngày 31/10/2026)"
    one = Period(PeriodKind.RANGE, date(2026, 10, 31), date(2026, 10, 31))
    assert compared_with(one) == "ngày liền trước (ngày 31/10/2026)"


def test_how_a_sentence_about_the_period_opens() -> None:
    assert during(Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))) == (
        "Trong tháng 10 năm 2026"
    )
    assert during(Period(PeriodKind.RANGE, date(2026, 1, 1), date(2026, 12, 31))) == (
        "Trong thời gian từ ngày 01/01/2026 đến ngày 31/12/2026"
    )


def test_kinds_of_day() -> None:
    calendar = office_calendar().with_overrides(extra_days_off={date(2026, 11, 25): "Nghỉ bù"})
    assert day_kind(calendar.day_info(date(2026, 11, 23))) == "Làm việc"
    assert day_kind(calendar.day_info(date(2026, 11, 24))) == "Ngày Văn hóa Việt Nam"
    assert day_kind(calendar.day_info(date(2026, 11, 25))) == "Nghỉ bù"
    assert day_kind(calendar.day_info(date(2026, 11, 22))) == "Nghỉ cuối tuần"
    friday = calendar.day_info(date(2026, 11, 27))
    closed = DayInfo(day=friday.day, working=False, holiday_name=None, sessions=())
    assert day_kind(closed) == "Ngày nghỉ"
    half = DayInfo(day=friday.day, working=True, holiday_name=None, sessions=friday.sessions[:1])
    assert day_kind(half) == "Làm việc 1 buổi"


def test_labels_and_small_words() -> None:
    assert set(TYPE_LABELS) == set(ViolationType)
    assert TYPE_LABELS[ViolationType.ABSENCE] == "Vắng mặt không lý do"
    assert department_name("") == "Chưa phân phòng ban"
    assert department_name("Văn phòng") == "Văn phòng"
    assert dismissal_reason("excused: leave") == "nghỉ phép đã đăng ký"
    assert dismissal_reason("excused: business_trip") == "đi công tác"
    assert dismissal_reason("Ốm") == "Ốm"
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "I", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIV",
    ]  # fmt: skip
    assert (session_name("morning"), session_name("afternoon"), session_name(None)) == (
        "buổi sáng",
        "buổi chiều",
        "một buổi",
    )
    assert capitalised("tháng 11 năm 2026") == "Tháng 11 năm 2026"
    assert capitalised("") == ""
