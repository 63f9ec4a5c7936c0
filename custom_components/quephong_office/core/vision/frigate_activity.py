"""What Frigate tracks right now, read from its `camera_activity` message (pure: stdlib only).

Frigate's person counts per zone (`frigate/<zone>/person`) are sent on change and not
retained, so a listener that starts late, or that missed messages while its broker restarted,
does not know them. Asked on `frigate/onConnect`, Frigate answers on `frigate/camera_activity`
with every camera's tracked objects as JSON:

    {"<camera>": {"motion": true, "objects": [{"label": "person", "stationary": true,
                  "current_zones": ["quay_1"], …}, …], "config": {…}}, …}

Frigate's own counts are made from the same objects: per zone, the objects of the label whose
`current_zones` hold the zone, stationary ones included, summed over cameras (zone names are
global), with a `-verified` suffix dropped from the label.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

#: The object label counted in a zone.
PERSON = "person"


@dataclass(frozen=True, slots=True)
class FrigateActivity:
    """People per Frigate zone and motion per Frigate camera, as of one message."""

    people: dict[str, int]
    motion: dict[str, bool]


def _label(obj: dict[str, Any]) -> str:
    return str(obj.get("label", "")).removesuffix("-verified")


def read_activity(payload: str | bytes | bytearray) -> FrigateActivity | None:
    """The people per zone and motion per camera in a `camera_activity` payload.

    None when the payload is not that message's shape (nothing is taken from it then).
    A camera without status (Frigate sends `{}` plus its config for an idle camera) has no
    people; `motion` is only given for cameras that say it.
    """
    try:
        activity = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(activity, dict):
        return None
    people: Counter[str] = Counter()
    motion: dict[str, bool] = {}
    for camera, status in activity.items():
        if not isinstance(status, dict):
            return None
        objects = status.get("objects", [])
        if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
            return None
        for obj in objects:
            zones = obj.get("current_zones", [])
            if not isinstance(zones, list):
                return None
            if _label(obj) == PERSON:
                people.update({str(zone) for zone in zones})
        if isinstance(status.get("motion"), bool):
            motion[str(camera)] = status["motion"]
    return FrigateActivity(people=dict(people), motion=motion)
