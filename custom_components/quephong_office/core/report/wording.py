"""The Vietnamese words reports are written with: labels, dates, numbers and comparisons."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from custom_components.quephong_office.core.calendar import DayInfo
from custom_components.quephong_office.core.rules.violations import ViolationType

from .period import Period, PeriodKind, dmy

#: What each rule is called in reports.
TYPE_LABELS: Mapping[ViolationType, str] = {
    ViolationType.LATE_ARRIVAL: "Đi muộn",
    ViolationType.EARLY_DEPARTURE: "Về sớm",
    ViolationType.ABSENCE: "Vắng mặt không lý do",
    ViolationType.UNATTENDED_DESK: "Bỏ trống quầy",
    ViolationType.GATHERING: "Tụ tập",
    ViolationType.INTRUSION: "Xâm nhập ngoài giờ",
}
#: Monday first, as `date.weekday()` counts.
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
#: Sessions of a working day.
SESSIONS: Mapping[str, str] = {"morning": "buổi sáng", "afternoon": "buổi chiều"}
#: How the department of staff without one is shown.
NO_DEPARTMENT = "Chưa phân phòng ban"
#: The national title and motto of every administrative document (Decree 30/2020/NĐ-CP).
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
#: The report's title.
TITLE = "BÁO CÁO TÌNH HÌNH CHẤP HÀNH KỶ LUẬT, KỶ CƯƠNG HÀNH CHÍNH"
#: "Nơi nhận" of a report sent to the leaders and filed.
RECIPIENTS = ("Nơi nhận:", "- Như trên;", "- Lưu: VT.")
#: Who signs the report, and the lines printed above the signature (Decree 30/2020/NĐ-CP,
#: Appendix I): the Chairman on behalf of the committee, a Vice-Chairman signing for the
#: Chairman, or the Chief of Office by the Chairman's order.
SIGNINGS: Mapping[str, tuple[str, ...]] = {
    "chairman": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "vice_chairman": ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "chief_of_office": ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
}
DEFAULT_SIGNING = "chairman"
#: Printed where the signer's name goes when no name is set.
SIGN_HERE = "(Ký, ghi rõ họ tên)"


def signature(signing: str, signer: str) -> tuple[tuple[str, bool], ...]:
    """The signature block: the signing authority in bold, room to sign, then the name.

    Each line is its text and whether it is a heading; an empty text is the room to sign.
    Without a name, the last line asks for one.
    """
    heads = SIGNINGS.get(signing, SIGNINGS[DEFAULT_SIGNING])
    name = " ".join(signer.split())
    return (*((text, True) for text in heads), ("", False), (name or SIGN_HERE, bool(name)))


#: How the figures are counted, printed under the table.
NOTES = (
    "Ghi chú: ngày công tính theo buổi (mỗi buổi 0,5 ngày), ngày đi công tác được tính là ngày "
    "công; đi muộn, về sớm, vắng mặt tính theo lượt (mỗi buổi một lượt); vi phạm đã được lãnh "
    "đạo xem xét và bỏ qua không được tính.",
)
#: The reasons the rules themselves give when leave excuses a violation.
_RULE_REASONS: Mapping[str, str] = {
    "excused: leave": "nghỉ phép đã đăng ký",
    "excused: business_trip": "đi công tác",
}
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def session_name(key: str | None) -> str:
    """A session in words: "buổi sáng", "buổi chiều" ("một buổi" when unknown)."""
    return SESSIONS.get(key or "", "một buổi")


def department_name(department: str) -> str:
    """A department as shown; staff without one are grouped as "Chưa phân phòng ban"."""
    return department or NO_DEPARTMENT


def dismissal_reason(reason: str) -> str:
    """Why a violation was set aside, in words (the rules' own reasons are translated)."""
    return _RULE_REASONS.get(reason, reason)


def date_line(place: str, day: date) -> str:
    """The place-and-date line of Decree 30/2020: "Quế Phong, ngày 05 tháng 01 năm 2026".

    Days below 10 and the months January and February take a leading zero.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def day_kind(info: DayInfo) -> str:
    """A day for the office: "Làm việc", "Làm việc 1 buổi", the holiday or "Nghỉ cuối tuần"."""
    if info.working:
        return "Làm việc" if len(info.sessions) > 1 else "Làm việc 1 buổi"
    if info.holiday_name:
        return info.holiday_name
    return "Nghỉ cuối tuần" if info.day.weekday() >= 5 else "Ngày nghỉ"


def roman(number: int) -> str:
    """A section number in Roman figures (department headings): 4 -> "IV"."""
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def number_text(value: float) -> str:
    """A figure as Vietnamese writes it: "1.250", "20,5"."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole = f"{value:,.2f}".rstrip("0").rstrip(".")
    return whole.replace(",", " ").replace(".", ",").replace(" ", ".")


def signed_text(value: float) -> str:
    """A change with its sign: "+2", "−0,5", "0"."""
    if value > 0:
        return f"+{number_text(value)}"
    if value < 0:
        return f"−{number_text(-value)}"
    return "0"


def capitalised(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def compared_with(period: Period) -> str:
    """The words after "so với" that name the period compared against."""
    if period.kind is PeriodKind.RANGE:
        count = (period.end - period.start).days + 1
        if count == 1:
            return f"ngày liền trước (ngày {dmy(period.start)})"
        return f"{count} ngày liền trước (từ ngày {dmy(period.start)} đến ngày {dmy(period.end)})"
    return period.label


def during(period: Period) -> str:
    """How a sentence about the period opens: "Trong tháng 11 năm 2026", "Trong thời gian từ …"."""
    if period.kind is PeriodKind.RANGE:
        return f"Trong thời gian {period.label}"
    return f"Trong {period.label}"


def change_text(change: float, unit: str) -> str:
    """A change in words: "tăng 2 lượt", "giảm 0,5 ngày", "không thay đổi"."""
    if change > 0:
        return f"tăng {number_text(change)} {unit}"
    if change < 0:
        return f"giảm {number_text(-change)} {unit}"
    return "không thay đổi"
