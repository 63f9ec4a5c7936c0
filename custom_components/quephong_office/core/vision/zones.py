"""Zones of a camera picture: named polygons in normalized coordinates, and privacy masks.

Coordinates are fractions of the picture's width and height (0–1), so a layout drawn on the
main stream also fits the substream. Masks are areas that are never analysed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from custom_components.quephong_office.core.errors import CodedError

Point = tuple[float, float]
Polygon = tuple[Point, ...]

#: Smallest area a zone may have, as a fraction of the picture (0.05 % ≈ a 14×7 px box at 640×360).
MIN_AREA = 0.0005


class ZoneKind(StrEnum):
    """What a zone covers; desks get occupancy, every zone gets a people count."""

    DESK = "desk"
    HALL = "hall"
    GATE = "gate"
    PARKING = "parking"
    OTHER = "other"


class ZoneError(CodedError):
    """A zone layout that cannot be used; `code` is the translation key, `field` the zone."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Zone:
    """A named area of the picture."""

    id: str
    name: str
    kind: ZoneKind
    polygon: Polygon


@dataclass(frozen=True, slots=True, kw_only=True)
class ZoneLayout:
    """The zones and privacy masks of one camera."""

    zones: tuple[Zone, ...]
    masks: tuple[Polygon, ...] = field(default=())

    def zone(self, zone_id: str) -> Zone:
        """The zone with this id."""
        for zone in self.zones:
            if zone.id == zone_id:
                return zone
        raise KeyError(zone_id)

    def to_dict(self) -> dict[str, Any]:
        """The stored form (also the replay tool's --zones file format)."""
        return {
            "zones": [
                {
                    "id": zone.id,
                    "name": zone.name,
                    "kind": zone.kind.value,
                    "polygon": [list(point) for point in zone.polygon],
                }
                for zone in self.zones
            ],
            "masks": [[list(point) for point in mask] for mask in self.masks],
        }

    def to_json(self) -> str:
        """The stored form as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


def polygon_area(polygon: Sequence[Point]) -> float:
    """Area of a simple polygon (shoelace formula), in normalized units."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(polygon, (*polygon[1:], polygon[0]), strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def _polygon(raw: Any, zone: str) -> Polygon:
    try:
        points = tuple((float(x), float(y)) for x, y in raw)
    except (TypeError, ValueError) as err:
        raise ZoneError("invalid_polygon", zone) from err
    if len(points) < 3:
        raise ZoneError("too_few_points", zone)
    if any(not (0.0 <= v <= 1.0) for point in points for v in point):
        raise ZoneError("outside_picture", zone)
    if polygon_area(points) < MIN_AREA:
        raise ZoneError("zero_area", zone)
    return points


def rect_polygon(x1: float, y1: float, x2: float, y2: float) -> Polygon:
    """The polygon of a rectangle given by two opposite corners."""
    left, right = sorted((x1, x2))
    top, bottom = sorted((y1, y2))
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def rect_zone(
    zone_id: str,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    *,
    kind: ZoneKind = ZoneKind.DESK,
    name: str | None = None,
) -> Zone:
    """A rectangular zone, validated like any other."""
    polygon = _polygon(rect_polygon(x1, y1, x2, y2), zone_id)
    return Zone(id=zone_id, name=name or zone_id, kind=kind, polygon=polygon)


def layout_from_dict(data: Mapping[str, Any]) -> ZoneLayout:
    """Read and validate a stored layout; raise ZoneError with the first problem found."""
    zones: list[Zone] = []
    seen: set[str] = set()
    for raw in data.get("zones", ()):
        zone_id = str(raw.get("id") or raw.get("name") or "").strip()
        if not zone_id:
            raise ZoneError("missing_id")
        if zone_id in seen:
            raise ZoneError("duplicate_zone", zone_id)
        seen.add(zone_id)
        try:
            kind = ZoneKind(raw.get("kind", ZoneKind.DESK))
        except ValueError as err:
            raise ZoneError("invalid_kind", zone_id) from err
        zones.append(
            Zone(
                id=zone_id,
                name=str(raw.get("name") or zone_id),
                kind=kind,
                polygon=_polygon(raw.get("polygon"), zone_id),
            )
        )
    masks = tuple(_polygon(raw, "mask") for raw in data.get("masks", ()))
    return ZoneLayout(zones=tuple(zones), masks=masks)


def layout_from_json(text: str) -> ZoneLayout:
    """Read a layout from JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ZoneError("invalid_json") from err
    if not isinstance(data, dict):
        raise ZoneError("invalid_json")
    return layout_from_dict(data)


def rasterize(polygon: Iterable[Point], width: int, height: int) -> NDArray[np.bool_]:
    """A boolean mask of the pixels whose centres lie inside the polygon (even-odd rule)."""
    points = np.asarray(list(polygon), dtype=np.float64) * (width, height)
    ys, xs = np.mgrid[0:height, 0:width]
    px = xs + 0.5
    py = ys + 0.5
    inside = np.zeros((height, width), dtype=bool)
    x_prev, y_prev = points[-1]
    for x_cur, y_cur in points:
        crosses = (y_cur > py) != (y_prev > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = (x_prev - x_cur) * (py - y_cur) / (y_prev - y_cur) + x_cur
        inside ^= crosses & (px < x_at)
        x_prev, y_prev = x_cur, y_cur
    return inside


def parse_coordinates(text: str) -> Polygon:
    """Read what the officer typed: a rectangle "x1,y1,x2,y2" or points "x,y x,y x,y …".

    Points may be separated by spaces, semicolons or new lines; decimals use a dot (a comma
    decimal such as "0,5" reads as a point outside the picture and is refused).
    """
    cleaned = text.replace(";", " ").replace("\n", " ").strip()
    if not cleaned:
        raise ZoneError("invalid_polygon")
    groups = cleaned.split()
    try:
        if len(groups) == 1:
            numbers = [float(part) for part in groups[0].split(",")]
            if len(numbers) != 4:
                raise ZoneError("invalid_polygon")
            return _polygon(rect_polygon(*numbers), "")
        points = []
        for group in groups:
            x, y = (float(part) for part in group.split(","))
            points.append((x, y))
    except ZoneError:
        raise
    except ValueError as err:
        raise ZoneError("invalid_polygon") from err
    return _polygon(points, "")


def format_coordinates(polygon: Polygon) -> str:
    """The polygon as the officer would type it ("x,y x,y …", 3 decimals)."""
    return " ".join(f"{x:.3f},{y:.3f}" for x, y in polygon)
