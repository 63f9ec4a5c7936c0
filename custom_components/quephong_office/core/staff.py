"""Staff members' contact fields, and the bulk import of a staff list (CSV or XLSX).

Offices keep their staff lists in Excel with Vietnamese headers ("Họ và tên", "Chức vụ",
"Phòng ban", "Số điện thoại", …). Headers are matched without diacritics or case, so
"HỌ VÀ TÊN", "Ho va ten" and "Họ tên" all work. XLSX is read with the standard library
(zipfile and XML): no spreadsheet package has to be installed on Home Assistant OS.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from .errors import CodedError
from .office import OfficeError, normalize_name

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Vietnamese phone numbers: 0 or +84, then 9 digits.
_PHONE = re.compile(r"^(?:\+84|0)\d{9}$")
_ZALO_ID = re.compile(r"^\d{6,25}$")
#: Largest staff file accepted (bytes).
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class StaffError(CodedError):
    """A bad staff field or file; `code` is the translation key, `field` the field."""


def normalize_phone(value: str) -> str:
    """A phone number as typed ("0912 345 678", "(+84) 912.345.678") in compact form."""
    compact = re.sub(r"[\s.\-()]", "", value)
    if not _PHONE.match(compact):
        raise StaffError("invalid_phone", "phone")
    return compact


def normalize_email(value: str) -> str:
    """An email address, trimmed."""
    text = value.strip()
    if not _EMAIL.match(text):
        raise StaffError("invalid_email", "email")
    return text


def normalize_zalo_user_id(value: str) -> str:
    """A Zalo user id: 6 to 25 digits."""
    text = value.strip()
    if not _ZALO_ID.match(text):
        raise StaffError("invalid_zalo_user_id", "zalo_user_id")
    return text


def _fold(text: str) -> str:
    """Lower case without diacritics or punctuation: "Phòng, ban" -> "phong ban"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9@ ]", " ", plain.lower()).split())


#: Accepted headers (folded) for each field.
HEADERS: Mapping[str, tuple[str, ...]] = {
    "name": ("ho va ten", "ho ten", "ten", "can bo", "full name", "name"),
    "position": ("chuc vu", "chuc danh", "position"),
    "department": ("phong ban", "bo phan", "don vi", "department"),
    "desk": ("quay", "quay lam viec", "desk"),
    "zalo_user_id": ("zalo", "ma zalo", "zalo id", "zalo user id"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone"),
    "email": ("email", "thu dien tu", "e mail"),
}


@dataclass(slots=True)
class ImportResult:
    """Staff rows read from a file, and the problems found, by row number (1 = the header)."""

    staff: list[dict[str, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The rows of a CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX file."""
    if len(content) > MAX_IMPORT_BYTES:
        raise StaffError("file_too_large", "file")
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise StaffError("not_utf8", "file") from err
        delimiter = ","
        with contextlib.suppress(csv.Error):
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        rows = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [row for row in rows if any(c.strip() for c in row)]
    raise StaffError("unsupported_file", "file")


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _read_xlsx(content: bytes) -> list[list[str]]:
    """The first worksheet of an XLSX file as text rows."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            names = set(book.namelist())
            shared: list[str] = []
            if "xl/sharedStrings.xml" in names:
                root = ET.fromstring(book.read("xl/sharedStrings.xml"))
                shared = ["".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t")) for si in root]
            sheet = _first_sheet(book, names)
            root = ET.fromstring(book.read(sheet))
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as err:
        raise StaffError("unreadable_file", "file") from err
    rows: list[list[str]] = []
    for row in root.iter(f"{{{_NS['m']}}}row"):
        cells: dict[int, str] = {}
        for cell in row.iter(f"{{{_NS['m']}}}c"):
            column = _column(cell.get("r", ""))
            kind = cell.get("t")
            value = cell.find("m:v", _NS)
            if kind == "s" and value is not None and value.text is not None:
                text = shared[int(value.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{{{_NS['m']}}}t"))
            else:
                text = value.text if value is not None and value.text else ""
                if text.endswith(".0"):
                    text = text[:-2]
            cells[column if column >= 0 else len(cells)] = text
        if cells and any(v.strip() for v in cells.values()):
            rows.append([cells.get(i, "") for i in range(max(cells) + 1)])
    return rows


def _first_sheet(book: zipfile.ZipFile, names: set[str]) -> str:
    """The path of the workbook's first sheet (through the workbook's relationships)."""
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    first = workbook.find("m:sheets/m:sheet", _NS)
    if first is not None and "xl/_rels/workbook.xml.rels" in names:
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        for rel in rels:
            if rel.get("Id") == first.get(_REL):
                target = rel.get("Target", "").lstrip("/")
                return target if target.startswith("xl/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _column(reference: str) -> int:
    """Zero-based column of a cell reference such as "C7" (-1 when absent)."""
    letters = "".join(ch for ch in reference if ch.isalpha())
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def parse_staff(
    rows: list[list[str]], desks: Mapping[str, str], existing: Iterable[str] = ()
) -> ImportResult:
    """Staff records from table rows whose first row holds the headers.

    `desks` maps desk names to desk ids (a desk is named in the file); `existing` are the
    names already registered (skipped as duplicates). Every problem is reported with its row.
    """
    result = ImportResult()
    if not rows:
        raise StaffError("empty_file", "file")
    columns: dict[str, int] = {}
    for index, header in enumerate(rows[0]):
        folded = _fold(header)
        for key, names in HEADERS.items():
            if folded in names and key not in columns:
                columns[key] = index
    if "name" not in columns:
        raise StaffError("no_name_column", "file")
    seen = {_fold(name) for name in existing}
    desk_ids = {_fold(name): desk_id for name, desk_id in desks.items()}
    for number, row in enumerate(rows[1:], start=2):

        def cell(key: str, row: list[str] = row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        try:
            name = normalize_name(cell("name"))
        except OfficeError:
            result.errors.append((number, "empty_name"))
            continue
        if _fold(name) in seen:
            result.errors.append((number, "duplicate_staff"))
            continue
        record = {"name": name}
        for key in ("position", "department"):
            if cell(key):
                record[key] = " ".join(cell(key).split())
        problems: list[str] = []
        if cell("desk"):
            desk_id = desk_ids.get(_fold(cell("desk")))
            if desk_id is None:
                problems.append("desk_not_found")
            else:
                record["desk"] = desk_id
        phone = cell("phone")
        if phone.isdigit() and len(phone) == 9:
            phone = "0" + phone  # Excel drops the leading zero of a number
        for key, value, check in (
            ("phone", phone, normalize_phone),
            ("email", cell("email"), normalize_email),
            ("zalo_user_id", cell("zalo_user_id"), normalize_zalo_user_id),
        ):
            if value:
                try:
                    record[key] = check(value)
                except StaffError as err:
                    problems.append(err.code)
        if problems:
            result.errors.extend((number, code) for code in problems)
            continue
        seen.add(_fold(name))
        result.staff.append(record)
    return result
