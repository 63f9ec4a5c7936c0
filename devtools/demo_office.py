"""Write the demo office into a Home Assistant config folder (for scripts/develop).

The office "UBND xã Quế Phong (demo)" with Nghệ An hours, three cameras that play the
synthetic scenes served by devtools.streams, two one-stop desks, a gate and a hall zone,
three staff members (two at the desks, with input_boolean stand-ins for their phones), and
email, Zalo OA (with ZNS) and Zalo Bot channels talking to devtools.demo_channels.
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
    SUBENTRY_CHANNEL,
    SUBENTRY_MEETING_ROOM,
    SUBENTRY_STAFF,
    SUBENTRY_ZONE,
)
from custom_components.quephong_office.core.calendar import NGHE_AN, schedule_to_dict
from custom_components.quephong_office.core.vision.zones import (
    format_coordinates,
    parse_coordinates,
)

from .demo_channels import (
    BOT_PORT,
    DEMO_BOT_CHAT,
    DEMO_BOT_TOKEN,
    DEMO_ZNS_TEMPLATE,
    OA_PORT,
    SMTP_PORT,
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
#: How to reach them: (Zalo user id of the demo OA, phone, email).
DEMO_CONTACTS = {
    "Nguyễn Văn An": ("8472615530912", "0912345671", "an@quephong.demo"),
    "Trần Thị Bình": ("8472615530999", "0912345672", "binh@quephong.demo"),
    "Lê Văn Cường": (None, None, "cuong@quephong.demo"),
}
#: The demo meeting room's calendar (a local calendar) and its communes: Châu Kim's endpoint
#: is a closed port (it does not answer), Tiền Phong's is the demo's stream server.
DEMO_CALENDAR = "calendar.lich_hop"
DEMO_COMMUNES = "Xã Châu Kim; 127.0.0.1:9; 17012\nXã Tiền Phong; http://127.0.0.1:8554/; 17008"
#: The demo's channels talk to devtools.demo_channels on loopback.
DEMO_OA_TOKEN_KEY = "demo-zalo-oa"
DEMO_ZNS_MAPPING = "ten_can_bo = {staff}\nnoi_dung = {subject}\nthoi_gian = {time} {date}"
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
                    **{
                        key: value
                        for key, value in zip(
                            ("zalo_user_id", "phone", "email"), DEMO_CONTACTS[name], strict=True
                        )
                        if value
                    },
                }
            ),
            subentry_type=SUBENTRY_STAFF,
            title=name,
            unique_id=None,
        )
        entry.subentries = {**entry.subentries, staff.subentry_id: staff}
    staff_ids = [k for k, sub in entry.subentries.items() if sub.subentry_type == SUBENTRY_STAFF]
    room = ConfigSubentry(
        data=MappingProxyType(
            {
                "calendar": DEMO_CALENDAR,
                "keyword": "trực tuyến",
                "lead_minutes": 15,
                "grace_minutes": 1,
                "devices": [
                    "input_boolean.man_hinh_phong_hop",
                    "input_boolean.den_phong_hop",
                    "input_boolean.may_chieu",
                ],
                "participants": staff_ids[:2],
                "communes": DEMO_COMMUNES,
            }
        ),
        subentry_type=SUBENTRY_MEETING_ROOM,
        title="Phòng họp trực tuyến",
        unique_id=None,
    )
    entry.subentries = {**entry.subentries, room.subentry_id: room}
    for title, data in demo_channels():
        channel = ConfigSubentry(
            data=MappingProxyType(data), subentry_type=SUBENTRY_CHANNEL, title=title, unique_id=None
        )
        entry.subentries = {**entry.subentries, channel.subentry_id: channel}
    return entry


def demo_channels() -> list[tuple[str, dict[str, Any]]]:
    """Email, Zalo OA (with ZNS) and Zalo Bot channels pointing at devtools.demo_channels."""
    zalo = f"http://127.0.0.1:{OA_PORT}"
    return [
        (
            "Email văn phòng",
            {
                "kind": "email",
                "host": "127.0.0.1",
                "port": SMTP_PORT,
                "tls": "none",
                "username": "",
                "password": "",
                "sender": "vanphong@quephong.demo",
                "sender_name": "Văn phòng UBND xã Quế Phong",
                "leader_emails": "chutich@quephong.demo, cuong@quephong.demo",
            },
        ),
        (
            "Zalo OA UBND xã",
            {
                "kind": "zalo_oa",
                "app_id": "1234567890",
                "secret_key": "bi-mat",
                "oauth_base": zalo,
                "openapi_base": zalo,
                "business_base": zalo,
                "token_key": DEMO_OA_TOKEN_KEY,
                "zns_template_id": DEMO_ZNS_TEMPLATE,
                "zns_mapping": DEMO_ZNS_MAPPING,
            },
        ),
        (
            "Zalo Bot lãnh đạo",
            {
                "kind": "zalo_bot",
                "bot_token": DEMO_BOT_TOKEN,
                "bot_base": f"http://127.0.0.1:{BOT_PORT}",
                "chat_ids": DEMO_BOT_CHAT,
            },
        ),
    ]


def install_tokens(config_dir: Path) -> None:
    """The demo OA's first token pair, in the integration's token store (if not there)."""
    path = config_dir / ".storage" / f"{DOMAIN}.zalo_tokens"
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if stored and DEMO_OA_TOKEN_KEY in stored["data"]:
        return
    stored = stored or {"version": 1, "minor_version": 1, "key": path.name, "data": {}}
    stored["data"][DEMO_OA_TOKEN_KEY] = {
        "access_token": "at-0",
        "refresh_token": "rt-0",
        "expires_at": "2000-01-01T00:00:00+00:00",  # refreshed on first use
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=2), encoding="utf-8")


def install(config_dir: Path, base_url: str, mqtt_port: int | None = None) -> bool:
    """Add the demo office to config_dir/.storage; return False if it was already there.

    With `mqtt_port`, Home Assistant's MQTT integration is added too, on the local broker
    scripts/develop starts (for vision workers and the communes' figures).
    """
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
    stored["data"]["entries"].append(
        MockConfigEntry(domain="local_calendar", data={"calendar_name": "Lịch họp"}).as_dict()
    )
    if mqtt_port is not None:
        stored["data"]["entries"].append(
            MockConfigEntry(
                domain="mqtt",
                title="Mosquitto (demo)",
                data={"broker": "127.0.0.1", "port": mqtt_port},
                version=1,
            ).as_dict()
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, cls=JSONEncoder, indent=2, ensure_ascii=False), "utf-8")
    install_tokens(config_dir)
    return True


def main() -> None:
    """Command line: python -m devtools.demo_office CONFIG_DIR BASE_URL."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config_dir", type=Path)
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8554")
    parser.add_argument("--mqtt-port", type=int, help="add MQTT on the local broker's port")
    args = parser.parse_args()
    added = install(args.config_dir, args.base_url.rstrip("/"), args.mqtt_port)
    print("demo office added" if added else "demo office already configured")


if __name__ == "__main__":
    main()
