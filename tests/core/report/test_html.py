"""The report as a printable page: layout of Decree 30, the figures in words and tables."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from custom_components.quephong_office.core.report.columns import SUMMARY_COLUMNS
from custom_components.quephong_office.core.report.figures import (
    Report,
    StaffLine,
    build_report,
)
from custom_components.quephong_office.core.report.html import narrative, report_html
from custom_components.quephong_office.core.report.period import period_for
from custom_components.quephong_office.core.rules.violations import Violation, ViolationType

from .conftest import MONDAY, at, day_summary, make_source, violation


@dataclass
class Element:
    """An element of the page: tag, attributes and the text inside it."""

    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def all(self, tag: str, cls: str | None = None) -> list[Element]:
        found = []
        for child in self.children:
            if child.tag == tag and (cls is None or cls in child.attrs.get("class", "").split()):
                found.append(child)
            found.extend(child.all(tag, cls))
        return found


class _Page(HTMLParser):
    VOID = frozenset({"meta", "hr", "br", "img", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.root = Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def parse(page: str) -> Element:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.stack == [parser.root], "every element is closed"
    return parser.root


def cells(row: Element) -> list[str]:
    return [cell.text for cell in row.children if cell.tag in ("td", "th")]


@pytest.fixture
def report(month_report: Report) -> Report:
    return month_report


def test_a_printable_a4_landscape_page(report: Report) -> None:
    page = report_html(report)
    assert page.startswith("<!doctype html>")
    root = parse(page)
    (html,) = root.all("html")
    assert html.attrs["lang"] == "vi"
    style = root.all("style")[0].text
    assert "size: A4 landscape" in style
    assert 'font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 13pt' in style
    assert root.all("title")[0].text == (
        "BÁO CÁO TÌNH HÌNH CHẤP HÀNH KỶ LUẬT, KỶ CƯƠNG HÀNH CHÍNH tháng 11 năm 2026 – "
        "UBND xã Quế Phong"
    )


def test_the_heading_of_decree_30(report: Report) -> None:
    root = parse(report_html(report))
    (heading,) = root.all("table", "heading")
    unit, nation = heading.all("td")
    texts = [p.text for p in unit.all("p")]
    assert texts == ["UBND tỉnh Nghệ An", "UBND xã Quế Phong", "Số:    /BC-UBND"]
    assert [p.attrs["class"] for p in unit.all("p")][:2] == ["upper", "upper bold"]
    assert unit.all("hr", "short")
    assert [(p.text, p.attrs["class"]) for p in nation.all("p")] == [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold"),
        ("Độc lập - Tự do - Hạnh phúc", "motto"),
        ("Quế Phong, ngày 23 tháng 11 năm 2026", "date"),
    ]
    assert root.all("h1")[0].text == "BÁO CÁO TÌNH HÌNH CHẤP HÀNH KỶ LUẬT, KỶ CƯƠNG HÀNH CHÍNH"
    assert root.all("p", "period")[0].text == "Tháng 11 năm 2026"


def test_the_figures_in_words(report: Report) -> None:
    assert narrative(report) == [
        "Trong tháng 11 năm 2026 (tính đến ngày 23/11/2026), UBND xã Quế Phong theo dõi việc "
        "chấp hành thời giờ làm việc của 4 cán bộ, công chức, với tổng số 64 ngày công chuẩn; "
        "số ngày công thực tế là 6 ngày (kể cả ngày đi công tác).",
        "Có 2 lượt đi muộn, 1 lượt về sớm và 1 lượt vắng mặt không lý do; 1 lượt vắng mặt có lý "
        "do được lãnh đạo chấp nhận; nghỉ phép 0,5 ngày, đi công tác 1 ngày. Quầy giao dịch bị "
        "bỏ trống tổng cộng 25 phút.",
        "Tổng số vi phạm được tính: 5 lượt, tăng 2 lượt so với tháng 10 năm 2026 (đi muộn không "
        "thay đổi, về sớm tăng 1 lượt và vắng không lý do không thay đổi).",
        "Ngoài ra có 2 vi phạm không thuộc cán bộ nào trong danh sách (quầy chưa phân công người "
        "trực, tụ tập, xâm nhập ngoài giờ), trong đó bỏ trống quầy 13 phút.",
        "Có 113 buổi làm việc không có dữ liệu giám sát; các buổi này không tính là vắng mặt.",
    ]
    lead = parse(report_html(report)).all("div", "lead")[0]
    assert [p.text for p in lead.all("p")] == narrative(report)


def test_a_quiet_day_in_words() -> None:
    days = {"an": {MONDAY.isoformat(): day_summary(MONDAY, ("07:20", "12:00"), ("13:20", "17:00"))}}
    source = make_source(staff=[StaffLine(id="an", name="Nguyễn Văn An")], days=days, violations=[])
    quiet = build_report(source, period_for("day", MONDAY), generated=at(MONDAY, "18:00"))
    assert narrative(quiet)[1:] == [
        "Không có lượt đi muộn, về sớm hay vắng mặt không lý do nào.",
        "Trong kỳ không có vi phạm nào được tính; chưa có số liệu của ngày 22/11/2026 để so sánh.",
    ]


def test_the_same_total_as_before_and_a_fall() -> None:
    def one_late(vid: str, day_offset: int) -> Violation:
        day = MONDAY.replace(day=MONDAY.day - day_offset)
        return violation(vid, ViolationType.LATE_ARRIVAL, at(day, "07:30"), seconds=600, staff="an")

    staff = [StaffLine(id="an", name="Nguyễn Văn An")]
    same = make_source(staff=staff, days={}, violations=[one_late("a", 0), one_late("b", 7)])
    report = build_report(same, period_for("week", MONDAY), generated=at(MONDAY, "18:00"))
    assert narrative(report)[2] == (
        "Tổng số vi phạm được tính: 1 lượt, không thay đổi so với tuần từ ngày 16/11/2026 đến "
        "ngày 22/11/2026 (đi muộn không thay đổi, về sớm không thay đổi và vắng không lý do "
        "không thay đổi)."
    )
    fewer = make_source(staff=staff, days={}, violations=[one_late("b", 7), one_late("c", 6)])
    report = build_report(fewer, period_for("week", MONDAY), generated=at(MONDAY, "18:00"))
    assert narrative(report)[2] == (
        "Trong kỳ không có vi phạm nào được tính, giảm 2 lượt so với tuần từ ngày 16/11/2026 đến "
        "ngày 22/11/2026 (đi muộn giảm 2 lượt, về sớm không thay đổi và vắng không lý do không "
        "thay đổi)."
    )


def test_the_table_by_department(report: Report) -> None:
    root = parse(report_html(report))
    table = root.all("table", "figures")[0]
    assert [cell.text for cell in table.all("th")] == [text for text, _w, _n in SUMMARY_COLUMNS]
    rows = table.all("tbody")[0].all("tr")
    assert [cells(row)[:2] for row in rows if "group" in row.attrs.get("class", "")] == [
        ["I", "Tư pháp - Hộ tịch"],
        ["II", "Văn phòng"],
        ["III", "Chưa phân phòng ban"],
    ]
    binh = next(cells(row) for row in rows if "Trần Thị Bình" in cells(row))
    assert binh == ["1", "Trần Thị Bình", "Chuyên viên", "Văn phòng", "16", "0,5", "0", "0",
                    "1", "1", "0,5", "0", "0", "1"]  # fmt: skip
    total, previous, change = rows[-3:]
    assert cells(total)[0] == "TỔNG CỘNG TOÀN CƠ QUAN"
    assert cells(total)[1:] == ["64", "6", "2", "1", "1", "1", "0,5", "1", "25", "5"]
    assert cells(previous)[0] == "Kỳ trước (tháng 10 năm 2026)"
    assert cells(change) == ["Tăng/giảm", "−24", "+3,5", "0", "+1", "0", "+1", "+0,5", "+1",
                             "+25", "+2"]  # fmt: skip


def test_violations_with_evidence_links(report: Report) -> None:
    root = parse(report_html(report))
    table = root.all("table", "figures")[1]
    rows = table.all("tbody")[0].all("tr")
    assert len(rows) == len(report.violations)
    first = cells(rows[0])
    assert first[:6] == ["1", "20/11/2026 07:30", "Vắng mặt không lý do", "Trần Thị Bình", "270",
                         "Đã bỏ qua: Ốm, có giấy xác nhận"]  # fmt: skip
    links = [a.attrs["href"] for a in table.all("a")]
    assert links == [line.link for line in report.violations if line.link]
    assert links[0] == "https://ha.example/media/v-late-an"


def test_the_recipients_and_the_signature(report: Report) -> None:
    root = parse(report_html(report))
    (signing,) = root.all("table", "signing")
    recipients, sign = signing.all("td")
    assert [p.text for p in recipients.all("p")] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert [p.text for p in sign.all("p") if p.text] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "(Ký, ghi rõ họ tên)",
    ]
    assert sign.all("b")[0].text == "TM. ỦY BAN NHÂN DÂN"
    assert sign.all("i")[0].text == "(Ký, ghi rõ họ tên)"


def test_a_vice_chairman_signs_for_the_chairman(report: Report) -> None:
    signed = dataclasses.replace(report, signing="vice_chairman", signer="  Hoàng  Minh Đức ")
    (sign,) = [td for td in parse(report_html(signed)).all("td") if td.attrs.get("class") == "sign"]
    assert [b.text for b in sign.all("b")] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Hoàng Minh Đức",
    ]
    assert sign.all("i") == []  # a name set: nothing asks for one
    by_order = dataclasses.replace(report, signing="chief_of_office")
    (sign,) = [
        td for td in parse(report_html(by_order)).all("td") if td.attrs.get("class") == "sign"
    ]
    assert [b.text for b in sign.all("b")] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    assert [i.text for i in sign.all("i")] == ["(Ký, ghi rõ họ tên)"]


def test_every_value_is_escaped_and_only_web_links_are_made() -> None:
    staff = [
        StaffLine(id="an", name="<script>alert('x')</script>", department='Phòng "A" & B'),
        StaffLine(id="binh", name="Trần Thị Bình"),
    ]
    source = dataclasses.replace(make_source(staff=staff), office="UBND xã <b>Quế Phong</b> & Co")

    def links(item: Violation) -> str | None:
        return {
            "v-late-an": "javascript:alert(1)",
            "v-desk-1": '/media-browser/x"onmouseover="alert(1)',
            "v-gate": "http://ha.local:8123/media",
        }.get(item.id)

    report = build_report(
        source,
        period_for("day", MONDAY),
        generated=at(MONDAY, "18:00"),
        link_for=links,
        number="<12>/BC-UBND",
    )
    page = report_html(report)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<b>Quế Phong</b>" not in page
    assert "Phòng &quot;A&quot; &amp; B" in page
    assert "Số: &lt;12&gt;/BC-UBND" in page
    assert "javascript:" not in page
    root = parse(page)
    hrefs = [a.attrs["href"] for a in root.all("a")]
    assert hrefs == ['/media-browser/x"onmouseover="alert(1)', "http://ha.local:8123/media"]
    assert all("onmouseover" not in a.attrs for a in root.all("a"))
