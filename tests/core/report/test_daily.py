"""The end-of-day summary for the leaders."""

from __future__ import annotations

from datetime import date

from custom_components.quephong_office.core.report.daily import daily_summary
from custom_components.quephong_office.core.report.figures import (
    ReportSource,
    build_report,
    daily_counts,
)
from custom_components.quephong_office.core.report.period import period_for
from custom_components.quephong_office.core.rules.violations import ViolationType

from .conftest import FRIDAY, MONDAY, at, day_summary, evidence_link, make_source, violation

HOLIDAY = date(2026, 11, 24)
SUNDAY = date(2026, 11, 22)


def test_a_working_day_in_facts(source: ReportSource) -> None:
    summary = daily_summary(source, MONDAY, generated=at(MONDAY, "17:30"), link_for=evidence_link)
    assert summary["day"] == "2026-11-23"
    assert summary["title"] == "Tổng hợp kỷ luật ngày 23/11/2026 – UBND xã Quế Phong"
    assert summary["figures"] == daily_counts(source, MONDAY)
    assert summary["late"] == [{"name": "Nguyễn Văn An", "time": "07:42", "minutes": 12}]
    assert summary["early"] == [{"name": "Lê Văn Cường", "time": "16:30", "minutes": 30}]
    assert summary["absent"] == [{"name": "Trần Thị Bình", "sessions": "buổi sáng"}]
    assert summary["on_leave"] == [{"name": "Trần Thị Bình", "days": 0.5}]
    assert summary["business_trip"] == [{"name": "Phạm Thị Dung", "days": 1.0}]
    assert summary["desks"] == [
        {"name": "Quầy 1", "minutes": 25},
        {"name": "Quầy 2", "minutes": 13},
    ]
    # the day's violations by the time of day: a late arrival at its arrival
    report = build_report(source, period_for("day", MONDAY), generated=at(MONDAY, "17:30"))
    assert [v["id"] for v in summary["violations"]] == [
        "v-absent-binh",
        "v-late-an",
        "v-desk-1",
        "v-gathering",
        "v-desk-2",
        "v-early-cuong",
        "v-gate",
    ]
    assert {v["id"] for v in summary["violations"]} == {v.id for v in report.violations}
    assert [v["time"] for v in summary["violations"]][:2] == ["07:30", "07:42"]
    gathering = next(v for v in summary["violations"] if v["type"] == "gathering")
    assert gathering == {
        "id": "v-gathering",
        "type": "gathering",
        "label": "Tụ tập",
        "who": "Hành lang",
        "time": "10:00",
        "minutes": 7,
        "dismissed": True,
        "link": "https://ha.example/media/v-gathering",
    }
    # the month so far: Friday's late arrival, Monday's five counted violations and the two
    # that belong to nobody listed
    assert summary["month_violations"] == 1 + 4 + 2


def test_a_working_day_in_words(source: ReportSource) -> None:
    summary = daily_summary(source, MONDAY, generated=at(MONDAY, "17:30"), link_for=evidence_link)
    assert summary["text"].splitlines() == [
        "Tổng hợp kỷ luật ngày 23/11/2026 – UBND xã Quế Phong",
        "Có mặt: 2/4 người.",
        "Đi muộn (1): Nguyễn Văn An (đến 07:42, muộn 12 phút).",
        "Về sớm (1): Lê Văn Cường (về 16:30, sớm 30 phút).",
        "Vắng không lý do (1): Trần Thị Bình (buổi sáng).",
        "Nghỉ phép (1): Trần Thị Bình (nửa ngày).",
        "Đi công tác (1): Phạm Thị Dung.",
        "Bỏ trống quầy: Quầy 1 – 25 phút; Quầy 2 – 13 phút.",
        "Vi phạm trong ngày (7):",
        "- 07:30 Vắng mặt không lý do – Trần Thị Bình (buổi sáng)",
        "- 07:42 Đi muộn – Nguyễn Văn An – Quầy 1 (12 phút). "
        "Bằng chứng: https://ha.example/media/v-late-an",
        "- 09:10 Bỏ trống quầy – Nguyễn Văn An – Quầy 1 (25 phút). "
        "Bằng chứng: https://ha.example/media/v-desk-1",
        "- 10:00 Tụ tập – Hành lang (7 phút) [đã bỏ qua: Họp giao ban đột xuất]. "
        "Bằng chứng: https://ha.example/media/v-gathering",
        "- 14:00 Bỏ trống quầy – Quầy 2 (13 phút)",
        "- 16:30 Về sớm – Lê Văn Cường (30 phút). "
        "Bằng chứng: https://ha.example/media/v-early-cuong",
        "- 22:15 Xâm nhập ngoài giờ – Cổng chính (5 phút). "
        "Bằng chứng: https://ha.example/media/v-gate",
        "Từ đầu tháng 11 đến nay: 7 lượt vi phạm được tính.",
    ]


def test_absent_all_day_and_nobody_late() -> None:
    days = {"binh": {MONDAY.isoformat(): day_summary(MONDAY, "absent", "absent")}}
    items = [
        violation(f"v{i}", ViolationType.ABSENCE, at(MONDAY, start), staff="binh", session=key)
        for i, (start, key) in enumerate((("07:30", "morning"), ("13:30", "afternoon")))
    ]
    source = make_source(days=days, violations=items)
    summary = daily_summary(source, MONDAY, generated=at(MONDAY, "17:30"))
    assert summary["absent"] == [{"name": "Trần Thị Bình", "sessions": "cả ngày"}]
    assert summary["late"] == []
    assert "Vắng không lý do (1): Trần Thị Bình (cả ngày)." in summary["text"]
    assert "Có mặt: 0/4 người." in summary["text"]


def test_a_quiet_day() -> None:
    days = {"an": {FRIDAY.isoformat(): day_summary(FRIDAY, ("07:25", "12:00"), ("13:25", "17:00"))}}
    source = make_source(days=days, violations=[])
    lines = daily_summary(source, FRIDAY, generated=at(MONDAY, "08:00"))["text"].splitlines()
    assert lines == [
        "Tổng hợp kỷ luật ngày 20/11/2026 – UBND xã Quế Phong",
        "Có mặt: 1/4 người.",
        "Không có ai đi muộn, về sớm hay vắng mặt không lý do.",
        "Không có vi phạm nào trong ngày.",
        "Từ đầu tháng 11 đến hết ngày 20/11/2026: 0 lượt vi phạm được tính.",
    ]


def test_a_holiday_without_records_is_one_line(source: ReportSource) -> None:
    summary = daily_summary(source, HOLIDAY, generated=at(HOLIDAY, "17:30"))
    assert summary["text"].splitlines() == [
        "Tổng hợp kỷ luật ngày 24/11/2026 – UBND xã Quế Phong",
        "Hôm nay là ngày nghỉ (Ngày Văn hóa Việt Nam), không có số liệu chấm công.",
    ]
    assert summary["violations"] == []
    assert summary["figures"]["violations"] == 0


def test_a_sunday_with_an_intrusion_names_the_day_and_lists_it() -> None:
    intrusion = violation("v1", ViolationType.INTRUSION, at(SUNDAY, "02:10"), seconds=240,
                          zone="gate", evidence=True)  # fmt: skip
    glimpse = violation("v2", ViolationType.INTRUSION, at(SUNDAY, "03:00"), seconds=20, zone="gate")
    source = make_source(days={}, violations=[glimpse, intrusion])
    summary = daily_summary(source, SUNDAY, generated=at(MONDAY, "07:00"), link_for=evidence_link)
    assert summary["text"].splitlines() == [
        "Tổng hợp kỷ luật ngày 22/11/2026 – UBND xã Quế Phong",
        "Ngày 22/11/2026 là ngày nghỉ (Chủ nhật).",
        "Vi phạm trong ngày (2):",
        "- 02:10 Xâm nhập ngoài giờ – Cổng chính (4 phút). Bằng chứng: https://ha.example/media/v1",
        "- 03:00 Xâm nhập ngoài giờ – Cổng chính",
        "Từ đầu tháng 11 đến hết ngày 22/11/2026: 2 lượt vi phạm được tính.",
    ]
    assert summary["figures"]["violations"] == 2


def test_a_dismissed_violation_without_a_reason() -> None:
    late = violation("v1", ViolationType.LATE_ARRIVAL, at(MONDAY, "07:30"), seconds=600,
                     staff="an", session="morning", dismissed="")  # fmt: skip
    days = {"an": {MONDAY.isoformat(): day_summary(MONDAY, ("07:40", "12:00"))}}
    summary = daily_summary(make_source(days=days, violations=[late]), MONDAY,
                            generated=at(MONDAY, "17:30"))  # fmt: skip
    assert summary["late"] == []
    assert "- 07:40 Đi muộn – Nguyễn Văn An (10 phút) [đã bỏ qua]" in summary["text"].splitlines()
    assert summary["month_violations"] == 0
