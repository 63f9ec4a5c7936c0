"""Write the demo office into a Home Assistant config folder (for scripts/develop).

The office "UBND xã Quế Phong (demo)" with Nghệ An hours, three cameras that play the
synthetic scenes served by devtools.streams, two one-stop desks, a gate and a hall zone, and
three staff members (two at the desks, with input_boolean stand-ins for their phones).
Uses Home Assistant's own ConfigEntry class so the stored format matches the installed
version. Does nothing if the office is already there.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import (
    STORAGE_KEY,
    STORAGE_VERSION,
    STORAGE_VERSION_MINOR,
    ConfigSubentry,
    ConfigSubentryData,
)
from homeassistant.helpers.json import JSONEncoder
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import (
    DOMAIN,
    SUBENTRY_CAMERA,
    SUBENTRY_STAFF,
    SUBENTRY_ZONE,
)
from custom_components.quephong_office.core.calendar import NGHE_AN, schedule_to_dict
from custom_components.quephong_office.core.vision.zones import (
    format_coordinates,
    parse_coordinates,
)

DEMO_UNIT_CODE = "17999"
DEMO_CAMERAS = (
    ("one_stop", "Bộ phận một cửa", "one_stop"),
    ("gate", "Cổng chính", "gate"),
    ("hall", "Hội trường", "hall"),
)
#: Staff of the demo office: (name, position, desk zone name, presence entity).
DEMO_STAFF = (
    ("Nguyễn Văn An", "Công chức Tư pháp – Hộ tịch", "Quầy 1", "input_boolean.dien_thoai_an"),
    ("Trần Thị Bình", "Công chức Văn hoá – Xã hội", "Quầy 2", "input_boolean.dien_thoai_binh"),
    ("Lê Văn Cường", "Chánh Văn phòng", None, None),
)
#: Zones of the demo cameras: (camera clip, zone name, kind, corners x1,y1,x2,y2).
DEMO_ZONES = (
    ("one_stop", "Quầy 1", "desk", "0.14,0.28,0.42,0.78"),
    ("one_stop", "Quầy 2", "desk", "0.58,0.28,0.86,0.78"),
    ("gate", "Lối vào cổng", "gate", "0.30,0.35,0.70,0.95"),
    ("hall", "Khán phòng", "hall", "0.05,0.35,0.95,0.98"),
)


def demo_entry(base_url: str) -> MockConfigEntry:
    """The demo office with its cameras, streams served from `base_url`."""
    subentries = [
        ConfigSubentryData(
            data={
                "role": role,
                "source": "url",
                "stream_url": f"{base_url}/{clip}.ts",
                "still_image_url": f"{base_url}/{clip}.jpg",
            },
            subentry_type=SUBENTRY_CAMERA,
            title=title,
            unique_id=f"{base_url}/{clip}.ts",
        )
        for clip, title, role in DEMO_CAMERAS
    ]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="UBND xã Quế Phong (demo)",
        data={
            "name": "UBND xã Quế Phong (demo)",
            "level": "commune",
            "parent_unit": "UBND tỉnh Nghệ An",
            "unit_code": DEMO_UNIT_CODE,
        },
        options=schedule_to_dict(NGHE_AN),
        unique_id=DEMO_UNIT_CODE,
        subentries_data=subentries,
    )
    camera_ids = {
        subentry.unique_id: subentry_id for subentry_id, subentry in entry.subentries.items()
    }
    for clip, name, kind, corners in DEMO_ZONES:
        zone = ConfigSubentry(
            data=MappingProxyType(
                {
                    "camera": camera_ids[f"{base_url}/{clip}.ts"],
                    "kind": kind,
                    "coordinates": format_coordinates(parse_coordinates(corners)),
                }
            ),
            subentry_type=SUBENTRY_ZONE,
            title=name,
            unique_id=None,
        )
        entry.subentries = {**entry.subentries, zone.subentry_id: zone}
    desks = {
        s.title: key for key, s in entry.subentries.items() if s.subentry_type == SUBENTRY_ZONE
    }
    for name, position, desk, presence in DEMO_STAFF:
        staff = ConfigSubentry(
            data=MappingProxyType(
                {
                    "position": position,
                    "department": "Văn phòng HĐND và UBND",
                    "desk": desks[desk] if desk else "none",
                    **({"presence_entities": [presence]} if presence else {}),
                }
            ),
            subentry_type=SUBENTRY_STAFF,
            title=name,
            unique_id=None,
        )
        entry.subentries = {**entry.subentries, staff.subentry_id: staff}
    return entry


def install(config_dir: Path, base_url: str) -> bool:
    """Add the demo office to config_dir/.storage; return False if it was already there."""
    path = config_dir / ".storage" / STORAGE_KEY
    stored: dict[str, Any]
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if any(e.get("unique_id") == DEMO_UNIT_CODE for e in stored["data"]["entries"]):
            return False
    else:
        stored = {
            "version": STORAGE_VERSION,
            "minor_version": STORAGE_VERSION_MINOR,
            "key": STORAGE_KEY,
            "data": {"entries": []},
        }
    stored["data"]["entries"].append(demo_entry(base_url).as_dict())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, cls=JSONEncoder, indent=2, ensure_ascii=False), "utf-8")
    return True


def main() -> None:
    """Command line: python -m devtools.demo_office CONFIG_DIR BASE_URL."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config_dir", type=Path)
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8554")
    args = parser.parse_args()
    added = install(args.config_dir, args.base_url.rstrip("/"))
    print("demo office added" if added else "demo office already configured")


if __name__ == "__main__":
    main()
