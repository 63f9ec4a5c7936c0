"""The printable notice that cameras are in use (Law 91/2025/QH15 on personal data).

People recorded in an office must be told, by a notice or another form, that they are being
recorded; staff must clearly know about a monitoring measure (Art. 25). This module writes an
A4 page in Vietnamese from the office's own settings: who records, where, why, what is kept
and for how long, who may see it, and whom to ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticeFacts:
    """What the notice says, all taken from the office's settings."""

    office: str
    parent_unit: str | None
    cameras: Sequence[str]  # "Cổng chính", "Bộ phận một cửa", …
    retention_days: int
    contact: str
    issued: date


PURPOSES = (
    "bảo đảm an ninh, trật tự, an toàn tài sản của cơ quan;",
    "quản lý thời giờ làm việc và việc phục vụ người dân tại bộ phận một cửa;",
    "chuẩn bị các cuộc họp trực tuyến.",
)


def camera_notice_html(facts: NoticeFacts) -> str:
    """The notice as a self-contained HTML page, laid out for printing on A4."""
    places = "".join(f"<li>{escape(name)}</li>" for name in facts.cameras) or (
        "<li>khu vực làm việc của cơ quan</li>"
    )
    purposes = "".join(f"<li>{escape(p)}</li>" for p in PURPOSES)
    parent = f"<p class='unit'>{escape(facts.parent_unit)}</p>" if facts.parent_unit else ""
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Thông báo sử dụng camera – {escape(facts.office)}</title>
<style>
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: "DejaVu Sans", Arial, sans-serif; font-size: 13pt; line-height: 1.45; }}
.unit {{ text-align: center; margin: 0; font-weight: bold; text-transform: uppercase; }}
h1 {{ text-align: center; font-size: 26pt; margin: 12mm 0 2mm; }}
h2 {{ text-align: center; font-size: 14pt; font-weight: normal; margin: 0 0 8mm; }}
.icon {{ text-align: center; font-size: 48pt; margin: 0; }}
footer {{ margin-top: 10mm; font-size: 11pt; }}
</style></head>
<body>
{parent}<p class="unit">{escape(facts.office)}</p>
<p class="icon">&#128247;</p>
<h1>KHU VỰC CÓ CAMERA GIÁM SÁT</h1>
<h2>Thông báo theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15</h2>
<p>{escape(facts.office)} sử dụng camera ghi hình tại:</p>
<ul>{places}</ul>
<p><b>Mục đích:</b></p>
<ul>{purposes}</ul>
<p><b>Dữ liệu được lưu:</b> hình ảnh khi có vi phạm nội quy hoặc có người vào ngoài giờ làm
việc, kèm thời gian và vị trí. Hình ảnh được lưu tối đa <b>{facts.retention_days} ngày</b>, sau
đó tự động xoá, trừ khi đang phục vụ việc xem xét một vụ việc cụ thể.</p>
<p><b>Người được xem:</b> chỉ lãnh đạo cơ quan và cán bộ quản trị hệ thống được giao; mọi lần
xem, trích xuất đều được ghi nhật ký.</p>
<p><b>Quyền của người được ghi hình:</b> được biết, được yêu cầu xem, đính chính hoặc xoá dữ
liệu của mình theo quy định của pháp luật. Liên hệ: {escape(facts.contact)}.</p>
<footer>Ngày {facts.issued:%d/%m/%Y}</footer>
</body></html>
"""
