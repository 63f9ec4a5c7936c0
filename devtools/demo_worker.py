"""Switch a demo camera between embedded analysis and the vision worker.

It goes the way the IT officer does (the camera's Reconfigure flow, through Home Assistant's
HTTP API), and prints the zone entities before and after, to see that nothing visible changes.

    python -m devtools.demo_worker --token TOKEN --camera "Bộ phận một cửa" --analysis worker

Needs scripts/develop running (with mosquitto installed: its broker and worker). Never shipped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import urllib.request
from typing import Any

import aiohttp

BASE = "http://127.0.0.1:8123"


def _http(token: str, path: str, data: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"{BASE}{path}",
        data=json.dumps(data).encode() if data is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if data is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


async def _subentries(token: str) -> tuple[str, list[dict[str, Any]]]:
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{BASE}/api/websocket") as ws,
    ):
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": token})
        await ws.receive_json()
        await ws.send_json({"id": 1, "type": "config_entries/get", "domain": "quephong_office"})
        entry_id = (await ws.receive_json())["result"][0]["entry_id"]
        await ws.send_json(
            {"id": 2, "type": "config_entries/subentries/list", "entry_id": entry_id}
        )
        return entry_id, (await ws.receive_json())["result"]


def _suggested(form: dict[str, Any]) -> dict[str, Any]:
    """What the form shows prefilled (a reconfigure form suggests the current values)."""
    values: dict[str, Any] = {}
    for field in form.get("data_schema", []):
        suggested = (field.get("description") or {}).get("suggested_value")
        if suggested not in (None, ""):
            values[field["name"]] = suggested
        elif "default" in field:
            values[field["name"]] = field["default"]
    return values


def _zone_states(token: str, names: list[str]) -> dict[str, str]:
    states = _http(token, "/api/states")
    return {
        s["entity_id"]: s["state"]
        for s in states
        if any(name in s.get("attributes", {}).get("friendly_name", "") for name in names)
    }


def main() -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token", required=True, help="a long-lived access token")
    parser.add_argument("--camera", required=True, help="the camera's name")
    parser.add_argument("--analysis", choices=("worker", "embedded"), default="worker")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--watch", type=float, default=60.0, help="seconds to watch after")
    args = parser.parse_args()

    entry_id, subentries = asyncio.run(_subentries(args.token))
    camera = next(s for s in subentries if s["title"] == args.camera)
    zones = [s["title"] for s in subentries if s["subentry_type"] == "zone"]
    print("before:", json.dumps(_zone_states(args.token, zones), ensure_ascii=False))

    form = _http(
        args.token,
        "/api/config/config_entries/subentries/flow",
        {"handler": [entry_id, "camera"], "subentry_id": camera["subentry_id"]},
    )
    first = {**_suggested(form), "analysis": args.analysis}
    form = _http(args.token, f"/api/config/config_entries/subentries/flow/{form['flow_id']}", first)
    done = _http(
        args.token,
        f"/api/config/config_entries/subentries/flow/{form['flow_id']}",
        _suggested(form),
    )
    switched = time.monotonic()
    print(f"{args.camera}: analysis {args.analysis} ({done.get('reason', done.get('type'))})")
    # every sample that differs from the one before, and how long anything was unavailable
    last: dict[str, str] = {}
    unavailable = 0.0
    while (now := time.monotonic()) - switched < args.watch:
        states = _zone_states(args.token, zones)
        if "unavailable" in states.values():
            unavailable += args.every
        if states != last:
            print(f"+{now - switched:5.1f} s", json.dumps(states, ensure_ascii=False))
            last = states
        time.sleep(args.every)
    print(
        f"samples every {args.every} s for {args.watch:.0f} s: unavailable in {unavailable:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
