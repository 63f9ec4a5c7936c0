"""Zone layouts: validation, coordinates typed by the officer, rasterisation."""

from __future__ import annotations

import numpy as np
import pytest

from custom_components.quephong_office.core.vision.zones import (
    ZoneError,
    ZoneKind,
    ZoneLayout,
    format_coordinates,
    layout_from_dict,
    layout_from_json,
    parse_coordinates,
    polygon_area,
    rasterize,
    rect_zone,
)


def test_rect_zone_and_area() -> None:
    zone = rect_zone("q", 0.5, 0.9, 0.1, 0.1)
    assert zone.polygon == ((0.1, 0.1), (0.5, 0.1), (0.5, 0.9), (0.1, 0.9))
    assert polygon_area(zone.polygon) == pytest.approx(0.32)
    assert zone.kind is ZoneKind.DESK
    assert zone.name == "q"


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("0.1,0.2,0.3,0.4", 4),
        ("0.1,0.1 0.9,0.1 0.5,0.8", 3),
        ("0.1,0.1; 0.9,0.1;\n0.9,0.9; 0.1,0.9", 4),
    ],
)
def test_parse_coordinates(text: str, points: int) -> None:
    polygon = parse_coordinates(text)
    assert len(polygon) == points
    again = parse_coordinates(format_coordinates(polygon))
    assert np.allclose(np.array(again), np.array(polygon), atol=1e-3)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "invalid_polygon"),
        ("a,b,c,d", "invalid_polygon"),
        ("0.1,0.2,0.3", "invalid_polygon"),
        ("0.1,0.2 0.3", "invalid_polygon"),
        ("0.1,0.2 0.3,0.4", "too_few_points"),
        ("-0.1,0.2,0.3,0.4", "outside_picture"),
        ("0.1,0.2,0.1,0.9", "zero_area"),
    ],
)
def test_bad_coordinates(text: str, code: str) -> None:
    with pytest.raises(ZoneError) as err:
        parse_coordinates(text)
    assert err.value.code == code


def test_layout_roundtrip_and_errors() -> None:
    layout = ZoneLayout(
        zones=(
            rect_zone("q1", 0.1, 0.1, 0.4, 0.9),
            rect_zone("hall", 0.5, 0, 1, 1, kind=ZoneKind.HALL),
        ),
        masks=(((0.0, 0.0), (0.2, 0.0), (0.2, 0.2)),),
    )
    assert layout_from_json(layout.to_json()) == layout
    assert layout.zone("hall").kind is ZoneKind.HALL
    with pytest.raises(KeyError):
        layout.zone("x")
    bad = [
        ({"zones": [{"polygon": [[0, 0], [1, 0], [1, 1]]}]}, "missing_id"),
        ({"zones": [{"id": "a", "polygon": [[0, 0], [1, 0], [1, 1]]}] * 2}, "duplicate_zone"),
        (
            {"zones": [{"id": "a", "kind": "roof", "polygon": [[0, 0], [1, 0], [1, 1]]}]},
            "invalid_kind",
        ),
        ({"zones": [{"id": "a", "polygon": "x"}]}, "invalid_polygon"),
    ]
    for data, code in bad:
        with pytest.raises(ZoneError) as err:
            layout_from_dict(data)
        assert err.value.code == code
    for text in ("not json", "[1, 2]"):
        with pytest.raises(ZoneError, match="invalid_json"):
            layout_from_json(text)


def test_rasterize_rectangle_and_triangle() -> None:
    mask = rasterize(((0.25, 0.25), (0.75, 0.25), (0.75, 0.75), (0.25, 0.75)), 8, 8)
    assert mask.sum() == 16
    assert mask[2:6, 2:6].all()
    triangle = rasterize(((0.0, 0.0), (1.0, 0.0), (0.0, 1.0)), 100, 100)
    assert triangle.sum() == pytest.approx(5000, rel=0.03)
    assert triangle[0, 0] and not triangle[99, 99]
    assert rasterize(((0, 0), (1, 0), (1, 1), (0, 1)), 5, 3).all()
    assert rasterize(((0, 0), (1, 0), (1, 1), (0, 1)), 5, 3).dtype == np.bool_
