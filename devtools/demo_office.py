"""Write the demo office into a Home Assistant config folder (for scripts/develop).

The office "UBND xã Quế Phong (demo)" with Nghệ An hours and three cameras that play the
synthetic scenes served by devtools.streams. Uses Home Assistant's own ConfigEntry class so the
stored format matches the installed version. Does nothing if the office is already there.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import (
    STORAGE_KEY,
    STORAGE_VERSION,
    STORAGE_VERSION_MINOR,
    ConfigSubentryData,
)
from homeassistant.helpers.json import JSONEncoder
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_CAMERA
from custom_components.quephong_office.core.calendar import NGHE_AN, schedule_to_dict

DEMO_UNIT_CODE = "17999"
DEMO_CAMERAS = (
    ("one_stop", "Bộ phận một cửa", "one_stop"),
    ("gate", "Cổng chính", "gate"),
    ("hall", "Hội trường", "hall"),
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
    return MockConfigEntry(
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
