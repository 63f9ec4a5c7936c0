"""The columns of the report's tables, shared by the workbook and the printable page.

Each summary column names the figure it shows (None for the text columns); widths are in
characters, for the workbook.
"""

from __future__ import annotations

#: The table by department and staff member: header, width, figure.
SUMMARY_COLUMNS: tuple[tuple[str, float, str | None], ...] = (
    ("STT", 5, None),
    ("Họ và tên", 26, None),
    ("Chức vụ", 18, None),
    ("Phòng ban", 22, None),
    ("Ngày công chuẩn", 9, "working_days"),
    ("Ngày công", 9, "days_worked"),
    ("Đi muộn", 8, "late"),
    ("Về sớm", 8, "early"),
    ("Vắng không lý do", 9, "absent"),
    ("Vắng có lý do", 9, "absent_excused"),
    ("Nghỉ phép", 8, "leave_days"),
    ("Công tác", 8, "business_trip_days"),
    ("Bỏ trống quầy (phút)", 10, "unattended_minutes"),
    ("Số vi phạm", 9, "violations"),
)
#: The figures of the summary table, in column order.
SUMMARY_FIGURES = tuple(name for _header, _width, name in SUMMARY_COLUMNS if name is not None)
#: The list of violations: header, width.
VIOLATION_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Thời gian", 17),
    ("Loại", 20),
    ("Người/Vị trí", 34),
    ("Số phút", 9),
    ("Trạng thái", 36),
    ("Bằng chứng", 14),
)
#: The office day by day: header, width, figure of DayFigures (None for the text columns).
DAY_COLUMNS: tuple[tuple[str, float, str | None], ...] = (
    ("Ngày", 12, None),
    ("Thứ", 10, None),
    ("Loại ngày", 30, None),
    ("Có mặt (người)", 9, "present"),
    ("Đi muộn", 9, "late"),
    ("Về sớm", 9, "early"),
    ("Vắng không lý do", 10, "absent"),
    ("Nghỉ phép (người)", 10, "on_leave"),
    ("Bỏ trống quầy (phút)", 11, "unattended_minutes"),
    ("Số vi phạm", 9, "violations"),
)
