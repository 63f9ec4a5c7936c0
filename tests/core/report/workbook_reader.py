"""Read an .xlsx file back with zipfile and ElementTree, styles and links included (tests only)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
P = "{http://schemas.openxmlformats.org/package/2006/relationships}"
BUILT_IN = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00"}


@dataclass(frozen=True)
class Look:
    """What a cell looks like."""

    bold: bool
    italic: bool
    underline: bool
    size: float
    color: str | None
    border: bool
    fill: str | None
    horizontal: str | None
    wrap: bool
    number_format: str


@dataclass
class SheetView:
    """One sheet as read back."""

    name: str
    values: dict[str, str | float] = field(default_factory=dict)
    looks: dict[str, Look] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    frozen_rows: int = 0
    landscape: bool = False

    def row(self, number: int) -> list[str | float | None]:
        """The values of a row, column A on, up to its last value."""
        cells = {
            _column(ref): value
            for ref, value in self.values.items()
            if int(re.sub(r"[A-Z]", "", ref)) == number
        }
        if not cells:
            return []
        return [cells.get(i) for i in range(1, max(cells) + 1)]

    def rows(self) -> list[list[str | float | None]]:
        """Every row with a value, in order."""
        numbers = sorted({int(re.sub(r"[A-Z]", "", ref)) for ref in self.values})
        return [self.row(n) for n in numbers]

    def find(self, value: str | float) -> str:
        """The reference of the first cell (by row) holding `value`."""
        refs = [ref for ref, v in self.values.items() if v == value]
        assert refs, f"{value!r} is not on sheet {self.name}"
        return min(refs, key=lambda r: (int(re.sub(r"[A-Z]", "", r)), _column(r)))


def _column(ref: str) -> int:
    index = 0
    for ch in re.sub(r"\d", "", ref):
        index = index * 26 + ord(ch) - 64
    return index


@dataclass
class BookView:
    """A workbook as read back."""

    sheets: dict[str, SheetView]
    defined_names: dict[tuple[str, str | None], str]
    parts: dict[str, bytes]
    title: str


def read_workbook(content: bytes) -> BookView:
    """Parse every part (they must all be well-formed XML) and the sheets."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    trees = {name: ET.fromstring(data) for name, data in parts.items()}
    strings = [
        "".join(t.text or "" for t in si.iter(f"{M}t"))
        for si in trees["xl/sharedStrings.xml"].iter(f"{M}si")
    ]
    looks = _looks(trees["xl/styles.xml"])
    rels = {
        rel.get("Id"): rel.get("Target")
        for rel in trees["xl/_rels/workbook.xml.rels"].iter(f"{P}Relationship")
    }
    workbook = trees["xl/workbook.xml"]
    sheets: dict[str, SheetView] = {}
    for sheet in workbook.iter(f"{M}sheet"):
        path = f"xl/{rels[sheet.get(f'{R}id')]}"
        view = SheetView(name=sheet.get("name", ""))
        _read_sheet(view, trees[path], strings, looks)
        rels_path = path.replace("worksheets/", "worksheets/_rels/") + ".rels"
        if rels_path in trees:
            targets = {
                rel.get("Id"): rel.get("Target", "")
                for rel in trees[rels_path].iter(f"{P}Relationship")
            }
            for link in trees[path].iter(f"{M}hyperlink"):
                view.links[link.get("ref", "")] = targets[link.get(f"{R}id")]
        sheets[view.name] = view
    names = {
        (d.get("name", ""), d.get("localSheetId")): d.text or ""
        for d in workbook.iter(f"{M}definedName")
    }
    title_node = trees["docProps/core.xml"].find("{http://purl.org/dc/elements/1.1/}title")
    title = title_node.text or "" if title_node is not None else ""
    return BookView(sheets=sheets, defined_names=names, parts=parts, title=title)


def _looks(styles: ET.Element) -> list[Look]:
    formats = dict(BUILT_IN)
    for fmt in styles.iter(f"{M}numFmt"):
        formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
    fonts = list(styles.iter(f"{M}font"))
    fills = list(styles.iter(f"{M}fill"))
    borders = list(styles.iter(f"{M}border"))
    cell_xfs = styles.find(f"{M}cellXfs")
    assert cell_xfs is not None
    out: list[Look] = []
    for xf in cell_xfs.iter(f"{M}xf"):
        font = fonts[int(xf.get("fontId", "0"))]
        fill = fills[int(xf.get("fillId", "0"))].find(f"{M}patternFill/{M}fgColor")
        border = borders[int(xf.get("borderId", "0"))].find(f"{M}left")
        align = xf.find(f"{M}alignment")
        color = font.find(f"{M}color")
        size = font.find(f"{M}sz")
        out.append(
            Look(
                bold=font.find(f"{M}b") is not None,
                italic=font.find(f"{M}i") is not None,
                underline=font.find(f"{M}u") is not None,
                size=float(size.get("val", "0")) if size is not None else 0.0,
                color=color.get("rgb") if color is not None else None,
                border=border is not None and border.get("style") == "thin",
                fill=fill.get("rgb") if fill is not None else None,
                horizontal=align.get("horizontal") if align is not None else None,
                wrap=align is not None and align.get("wrapText") == "1",
                number_format=formats[int(xf.get("numFmtId", "0"))],
            )
        )
    return out


def _read_sheet(view: SheetView, root: ET.Element, strings: list[str], looks: list[Look]) -> None:
    for row in root.iter(f"{M}row"):
        if row.get("ht"):
            view.heights[int(row.get("r", "0"))] = float(row.get("ht", "0"))
        for cell in row.iter(f"{M}c"):
            ref = cell.get("r", "")
            view.looks[ref] = looks[int(cell.get("s", "0"))]
            value = cell.find(f"{M}v")
            if value is None or value.text is None:
                continue
            view.values[ref] = (
                strings[int(value.text)] if cell.get("t") == "s" else float(value.text)
            )
    for merge in root.iter(f"{M}mergeCell"):
        view.merges.append(merge.get("ref", ""))
    for col in root.iter(f"{M}col"):
        view.widths[int(col.get("min", "0"))] = float(col.get("width", "0"))
    pane = root.find(f"{M}sheetViews/{M}sheetView/{M}pane")
    if pane is not None and pane.get("state") == "frozen":
        view.frozen_rows = int(float(pane.get("ySplit", "0")))
    setup = root.find(f"{M}pageSetup")
    view.landscape = setup is not None and setup.get("orientation") == "landscape"
