"""Put an online meeting on the demo office's calendar, starting in 15 minutes (demo only).

    python -m devtools.demo_meeting --token TOKEN [--url http://127.0.0.1:8123] [--minutes 2]

Creates "Họp trực tuyến giao ban" on `calendar.lich_hop` starting 15 min 30 s from now (so the
room prepares half a minute later) and lasting `--minutes`, with Home Assistant's own address
as the conference link. Then prints the room's readiness as it changes until it is restored.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from .demo_office import DEMO_CALENDAR

#: The room's entities start with these (the rest of the id follows HA's language).
READY = "binary_sensor.phong_hop_truc_tuyen_"
PROBLEMS = "sensor.phong_hop_truc_tuyen_"
DEVICES = (
    "input_boolean.man_hinh_phong_hop",
    "input_boolean.den_phong_hop",
    "input_boolean.may_chieu",
)


def _call(url: str, token: str, path: str, data: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        url + path,
        data=json.dumps(data).encode() if data is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if data is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def main() -> None:
    """Create the event, then follow the room until it has restored its devices."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token", required=True, help="a long-lived access token")
    parser.add_argument("--url", default="http://127.0.0.1:8123")
    parser.add_argument("--minutes", type=int, default=2, help="how long the meeting lasts")
    args = parser.parse_args()
    now = datetime.now().astimezone()
    start = now + timedelta(minutes=15, seconds=30)
    _call(
        args.url,
        args.token,
        "/api/services/calendar/create_event",
        {
            "entity_id": DEMO_CALENDAR,
            "summary": "Họp trực tuyến giao ban",
            "start_date_time": start.isoformat(timespec="seconds"),
            "end_date_time": (start + timedelta(minutes=args.minutes)).isoformat(
                timespec="seconds"
            ),
            "location": f"{args.url}/",
        },
    )
    print(f"{now:%H:%M:%S} meeting on the calendar, starting {start:%H:%M:%S}")
    states = _call(args.url, args.token, "/api/states")
    ready_id = next(s["entity_id"] for s in states if s["entity_id"].startswith(READY))
    problems_id = next(s["entity_id"] for s in states if s["entity_id"].startswith(PROBLEMS))
    seen = None
    prepared = False
    while True:
        ready = _call(args.url, args.token, f"/api/states/{ready_id}")
        problems = _call(args.url, args.token, f"/api/states/{problems_id}")
        devices = {d: _call(args.url, args.token, f"/api/states/{d}")["state"] for d in DEVICES}
        shown = (ready["state"], tuple(problems["attributes"].get("problems", [])), devices)
        if shown != seen:
            seen = shown
            print(f"{datetime.now():%H:%M:%S} ready={ready['state']} devices={devices}")
            for line in shown[1]:
                print(f"    - {line}")
        prepared = prepared or ready["attributes"].get("prepared", False)
        if prepared and not ready["attributes"].get("prepared", False):
            print("restored")
            return
        time.sleep(5)


if __name__ == "__main__":
    main()
