"""A small XLSX writer with the standard library: styled cells, merges, widths and hyperlinks.

Home Assistant OS installs no spreadsheet package for an integration, so reports write the
Office Open XML parts themselves (zipfile and text): shared strings, a style sheet built from
the styles the cells use, merged ranges, column widths, frozen header rows, external
hyperlinks, A4 landscape page setup and print titles. Numbers stay numbers and dates are real
dates with a display format, so totals can be recomputed and sorted in Excel or LibreOffice.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_EPOCH = date(1899, 12, 30)
#: Characters XML 1.0 does not allow (cell text is user data: names, reasons).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Built-in number formats, by format code.
_BUILT_IN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4}
#: Characters of text that fit in one unit of column width (12 pt Times New Roman, with room).
_CHARS_PER_WIDTH = 1.0
#: Bold text is wider by about this much.
_BOLD_WIDTH = 0.85
#: The height of one line of 12 pt text, in points.
_LINE_POINTS = 16.5
#: Blue underlined text, as spreadsheets show links.
LINK_COLOR = "FF0563C1"

type CellValue = str | int | float | date | datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CellStyle:
    """How a cell looks: font, border, alignment, fill and number format."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float | None = None  # the workbook's size when None
    color: str | None = None  # ARGB, e.g. "FF0563C1"
    border: bool = False  # thin on all four sides
    horizontal: str | None = None  # "left", "center", "right"
    vertical: str = "center"
    wrap: bool = False
    fill: str | None = None  # ARGB background
    number_format: str | None = None  # e.g. "#,##0", "dd/mm/yyyy"


PLAIN = CellStyle()


@lru_cache(maxsize=512)
def restyle(style: CellStyle, **changes: Any) -> CellStyle:
    """A style with some attributes changed (cached: reports restyle the same cells often)."""
    return replace(style, **changes)


def column_letters(column: int) -> str:
    """Letters of a 1-based column: 1 -> "A", 28 -> "AB"."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """A cell reference from 1-based row and column: (3, 2) -> "B3"."""
    return f"{column_letters(column)}{row}"


def clean_text(text: str) -> str:
    """Text without characters that XML cannot hold."""
    return _NOT_XML.sub("", text)


def _serial(value: date | datetime) -> float:
    """A date or a local date and time as a spreadsheet serial number."""
    if isinstance(value, datetime):
        day = (value.date() - _EPOCH).days
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return day + seconds / 86400
    return float((value - _EPOCH).days)


def _number(value: float) -> str:
    """A number as the XML holds it."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def wrapped_lines(text: str, per_line: int) -> int:
    """How many lines `text` takes when wrapped at word breaks to `per_line` characters."""
    count = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > per_line:
                lines, used = lines + 1, 0
            lines += (size - 1) // per_line  # a word longer than a line breaks inside
            used = (used + 1 + size if used else size) if size <= per_line else size % per_line
        count += lines
    return count


class Sheet:
    """One worksheet: cells by row and column (both from 1), merges, links and layout."""

    def __init__(self, book: Workbook, name: str, widths: Sequence[float]) -> None:
        """An empty sheet with the given column widths (in characters)."""
        self.book = book
        self.name = name
        self.widths = list(widths)
        self.cells: dict[int, dict[int, tuple[CellValue, int]]] = {}
        self.heights: dict[int, float] = {}
        self.merges: list[str] = []
        self._spans: dict[tuple[int, int], int] = {}  # one-row merges: (row, first) -> last
        self.links: list[tuple[str, str]] = []
        self.frozen_rows = 0
        self.repeat_rows: tuple[int, int] | None = None

    @property
    def last_row(self) -> int:
        """The last row holding a cell (0 for an empty sheet)."""
        return max(self.cells, default=0)

    def put(self, row: int, column: int, value: CellValue, style: CellStyle = PLAIN) -> None:
        """Write a value (None: an empty cell that only carries its style)."""
        if isinstance(value, datetime) and style.number_format is None:
            style = restyle(style, number_format="dd/mm/yyyy hh:mm")
        elif isinstance(value, date) and style.number_format is None:
            style = restyle(style, number_format="dd/mm/yyyy")
        self.cells.setdefault(row, {})[column] = (value, self.book.style_id(style))

    def put_row(
        self, row: int, values: Sequence[CellValue], styles: Sequence[CellStyle], first: int = 1
    ) -> None:
        """Write consecutive cells of a row from column `first`, each with its style."""
        for offset, (value, style) in enumerate(zip(values, styles, strict=True)):
            self.put(row, first + offset, value, style)

    def merge(
        self,
        row: int,
        first: int,
        last: int,
        value: CellValue,
        style: CellStyle = PLAIN,
        *,
        last_row: int | None = None,
    ) -> None:
        """Write a value across merged cells (every cell of the range carries the style)."""
        bottom = last_row or row
        for r in range(row, bottom + 1):
            for column in range(first, last + 1):
                self.put(r, column, value if (r, column) == (row, first) else None, style)
        if (bottom, last) != (row, first):
            self.merges.append(f"{cell_ref(row, first)}:{cell_ref(bottom, last)}")
        if bottom == row:
            self._spans[row, first] = last

    def link(self, row: int, column: int, url: str, text: str, style: CellStyle = PLAIN) -> None:
        """A cell that opens `url` when clicked."""
        self.put(row, column, text, restyle(style, color=LINK_COLOR, underline=True))
        self.links.append((cell_ref(row, column), url))

    def height(self, row: int, points: float) -> None:
        """Set a row's height (points)."""
        self.heights[row] = points

    def fitted_height(self, row: int) -> float | None:
        """A height that shows every line of the row's wrapped text (None: one line is enough).

        Spreadsheets do not size rows on opening a file, so wrapped text would be cut. Lines
        are estimated from the text's length and the width of its column (or merged columns).
        """
        lines = 1
        for column, (value, style_id) in self.cells.get(row, {}).items():
            style = self.book.style_of(style_id)
            if not isinstance(value, str) or not style.wrap:
                continue
            last = self._spans.get((row, column), column)
            width = sum(
                self.widths[c - 1] for c in range(column, last + 1) if c <= len(self.widths)
            )
            per_line = max(1, int(width * _CHARS_PER_WIDTH * (_BOLD_WIDTH if style.bold else 1)))
            lines = max(lines, wrapped_lines(value, per_line))
        return round(lines * _LINE_POINTS, 2) if lines > 1 else None

    def xml(self) -> str:
        """The worksheet part."""
        strings = self.book.strings
        rows: list[str] = []
        for r in sorted(self.cells):
            cells: list[str] = []
            for c, (value, style) in sorted(self.cells[r].items()):
                ref = cell_ref(r, c)
                attrs = f' r="{ref}"' + (f' s="{style}"' if style else "")
                if value is None or value == "":
                    cells.append(f"<c{attrs}/>")
                elif isinstance(value, str):
                    cells.append(f'<c{attrs} t="s"><v>{strings.index(value)}</v></c>')
                elif isinstance(value, date):
                    cells.append(f"<c{attrs}><v>{_number(_serial(value))}</v></c>")
                else:
                    cells.append(f"<c{attrs}><v>{_number(value)}</v></c>")
            height = self.heights.get(r) or self.fitted_height(r)
            extra = f' ht="{height}" customHeight="1"' if height else ""
            rows.append(f'<row r="{r}"{extra}>{"".join(cells)}</row>')
        last_column = max((max(cols) for cols in self.cells.values()), default=1)
        dimension = f"A1:{cell_ref(max(self.last_row, 1), max(last_column, len(self.widths)))}"
        pane = ""
        if self.frozen_rows:
            top = cell_ref(self.frozen_rows + 1, 1)
            pane = (
                f'<pane ySplit="{self.frozen_rows}" topLeftCell="{top}" '
                'activePane="bottomLeft" state="frozen"/>'
            )
        selected = ' tabSelected="1"' if self.book.sheets[0] is self else ""
        columns = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(self.widths, start=1)
        )
        merges = "".join(f'<mergeCell ref="{m}"/>' for m in self.merges)
        links = "".join(
            f'<hyperlink ref="{ref}" r:id="rId{i}"/>'
            for i, (ref, _url) in enumerate(self.links, start=1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="{dimension}"/>'
            f'<sheetViews><sheetView workbookViewId="0"{selected}>{pane}</sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="16.5"/>'
            f"<cols>{columns}</cols>"
            f"<sheetData>{''.join(rows)}</sheetData>"
            + (f'<mergeCells count="{len(self.merges)}">{merges}</mergeCells>' if merges else "")
            + (f"<hyperlinks>{links}</hyperlinks>" if links else "")
            + '<printOptions horizontalCentered="1"/>'
            '<pageMargins left="0.6" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            "</worksheet>"
        )

    def rels_xml(self) -> str | None:
        """The sheet's relationships (its hyperlinks), or None without links."""
        if not self.links:
            return None
        items = "".join(
            f'<Relationship Id="rId{i}" Type="{_DOC_RELS}/hyperlink" '
            f'Target={quoteattr(clean_text(url))} TargetMode="External"/>'
            for i, (_ref, url) in enumerate(self.links, start=1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG_RELS}">{items}</Relationships>'
        )


class _Strings:
    """The shared string table."""

    def __init__(self) -> None:
        self.items: dict[str, int] = {}

    def index(self, text: str) -> int:
        return self.items.setdefault(text, len(self.items))

    def xml(self) -> str:
        items = "".join(
            f'<si><t xml:space="preserve">{escape(clean_text(text))}</t></si>'
            for text in self.items
        )
        count = len(self.items)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">{items}</sst>'
        )


class Workbook:
    """Sheets, their shared strings and the styles they use."""

    def __init__(self, *, font: str = "Times New Roman", size: float = 12, title: str = "") -> None:
        """An empty workbook whose text is in `font` at `size` points unless a style says."""
        self.font = font
        self.size = size
        self.title = title
        self.sheets: list[Sheet] = []
        self.strings = _Strings()
        self._styles: dict[CellStyle, int] = {PLAIN: 0}
        self._style_list: list[CellStyle] = [PLAIN]

    def sheet(self, name: str, widths: Sequence[float]) -> Sheet:
        """Add a sheet (a name has at most 31 characters and none of []:*?/ or a backslash)."""
        sheet = Sheet(self, name, widths)
        self.sheets.append(sheet)
        return sheet

    def style_id(self, style: CellStyle) -> int:
        """The index of a style in the style sheet (added on first use)."""
        index = self._styles.get(style)
        if index is None:
            index = self._styles[style] = len(self._style_list)
            self._style_list.append(style)
        return index

    def style_of(self, index: int) -> CellStyle:
        """The style with an index."""
        return self._style_list[index]

    def styles_xml(self) -> str:
        """The style sheet: number formats, fonts, fills, borders and one xf per style."""
        formats: dict[str, int] = {}
        fonts: dict[str, int] = {}
        fills: dict[str, int] = {"<patternFill patternType='none'/>": 0}
        fills["<patternFill patternType='gray125'/>"] = 1
        xfs: list[str] = []
        for style in self._styles:
            code = style.number_format or "General"
            format_id = _BUILT_IN_FORMATS.get(code)
            if format_id is None:
                format_id = formats.setdefault(code, 164 + len(formats))
            font = (
                ("<b/>" if style.bold else "")
                + ("<i/>" if style.italic else "")
                + ("<u/>" if style.underline else "")
                + f'<sz val="{style.size or self.size}"/>'
                + (f'<color rgb="{style.color}"/>' if style.color else "")
                + f"<name val={quoteattr(self.font)}/><family val='1'/>"
            )
            font_id = fonts.setdefault(font, len(fonts))
            fill_id = 0
            if style.fill:
                pattern = (
                    f"<patternFill patternType='solid'><fgColor rgb='{style.fill}'/>"
                    "<bgColor indexed='64'/></patternFill>"
                )
                fill_id = fills.setdefault(pattern, len(fills))
            alignment = f'<alignment vertical="{style.vertical}"'
            if style.horizontal:
                alignment += f' horizontal="{style.horizontal}"'
            alignment += ' wrapText="1"/>' if style.wrap else "/>"
            xfs.append(
                f'<xf numFmtId="{format_id}" fontId="{font_id}" fillId="{fill_id}" '
                f'borderId="{int(style.border)}" xfId="0" applyNumberFormat="1" '
                f'applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
                f"{alignment}</xf>"
            )
        number_formats = "".join(
            f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in formats.items()
        )
        thin = '<{0} style="thin"><color auto="1"/></{0}>'
        border = "".join(thin.format(side) for side in ("left", "right", "top", "bottom"))
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(formats)}">{number_formats}</numFmts>' if formats else "")
            + f'<fonts count="{len(fonts)}">'
            + "".join(f"<font>{font}</font>" for font in fonts)
            + f'</fonts><fills count="{len(fills)}">'
            + "".join(f"<fill>{fill}</fill>" for fill in fills)
            + '</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/>'
            f"</border><border>{border}<diagonal/></border></borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )

    def to_bytes(self) -> bytes:
        """The workbook as an .xlsx file."""
        parts: dict[str, str] = {}
        sheet_entries: list[str] = []
        workbook_rels: list[str] = []
        overrides: list[str] = []
        print_titles: list[str] = []
        for number, sheet in enumerate(self.sheets, start=1):
            path = f"worksheets/sheet{number}.xml"
            parts[f"xl/{path}"] = sheet.xml()
            rels = sheet.rels_xml()
            if rels is not None:
                parts[f"xl/worksheets/_rels/sheet{number}.xml.rels"] = rels
            sheet_entries.append(
                f"<sheet name={quoteattr(sheet.name)} sheetId='{number}' r:id='rId{number}'/>"
            )
            workbook_rels.append(
                f'<Relationship Id="rId{number}" Type="{_DOC_RELS}/worksheet" Target="{path}"/>'
            )
            overrides.append(
                f'<Override PartName="/xl/{path}" ContentType="{_TYPE}.worksheet+xml"/>'
            )
            if sheet.repeat_rows is not None:
                first, last = sheet.repeat_rows
                target = "'" + sheet.name.replace("'", "''") + f"'!${first}:${last}"
                print_titles.append(
                    f'<definedName name="_xlnm.Print_Titles" localSheetId="{number - 1}">'
                    f"{escape(target)}</definedName>"
                )
        count = len(self.sheets)
        workbook_rels.append(
            f'<Relationship Id="rId{count + 1}" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
        )
        workbook_rels.append(
            f'<Relationship Id="rId{count + 2}" Type="{_DOC_RELS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
        defined = f"<definedNames>{''.join(print_titles)}</definedNames>" if print_titles else ""
        parts["xl/workbook.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{''.join(sheet_entries)}</sheets>{defined}</workbook>"
        )
        parts["xl/_rels/workbook.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG_RELS}">{"".join(workbook_rels)}</Relationships>'
        )
        parts["xl/styles.xml"] = self.styles_xml()
        parts["xl/sharedStrings.xml"] = self.strings.xml()
        parts["docProps/core.xml"] = self._core_xml()
        parts["_rels/.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>"
        )
        parts["[Content_Types].xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            + "".join(overrides)
            + f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/></Types>'
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
            for name in ("[Content_Types].xml", "_rels/.rels", *sorted(set(parts) - _FIRST)):
                book.writestr(name, parts[name])
        return buffer.getvalue()

    def _core_xml(self) -> str:
        """Document properties: the title."""
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(clean_text(self.title))}</dc:title></cp:coreProperties>"
        )


_FIRST = frozenset({"[Content_Types].xml", "_rels/.rels"})
