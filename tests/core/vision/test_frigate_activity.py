"""Frigate's current activity read into people per zone and motion per camera."""

from __future__ import annotations

import json

import pytest

from custom_components.quephong_office.core.vision.frigate_activity import (
    FrigateActivity,
    read_activity,
)


def _person(*zones: str, label: str = "person", stationary: bool = False) -> dict[str, object]:
    return {"label": label, "stationary": stationary, "current_zones": list(zones)}


def test_people_per_zone_summed_over_cameras() -> None:
    activity = {
        "mot_cua": {
            "motion": True,
            "objects": [
                _person("quay_1", stationary=True),  # sitting still counts too
                _person("quay_1", "sanh"),
                _person("quay_1", "quay_1"),  # a zone listed twice is one person
                _person(label="person"),  # in no zone
                {"label": "car", "current_zones": ["quay_2"]},
            ],
            "config": {"detect": True},
        },
        "cong": {"motion": False, "objects": [_person("sanh", label="person-verified")]},
        "kho": {"config": {"detect": False}},  # an idle camera: no objects, no motion said
    }
    assert read_activity(json.dumps(activity)) == FrigateActivity(
        people={"quay_1": 3, "sanh": 2}, motion={"mot_cua": True, "cong": False}
    )
    assert read_activity(json.dumps(activity).encode()) == read_activity(json.dumps(activity))


def test_nothing_tracked() -> None:
    assert read_activity("{}") == FrigateActivity(people={}, motion={})


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "{",
        "[]",
        '"online"',
        '{"mot_cua": []}',
        '{"mot_cua": {"objects": {}}}',
        '{"mot_cua": {"objects": ["person"]}}',
        '{"mot_cua": {"objects": [{"label": "person", "current_zones": "quay_1"}]}}',
        b"\xff\xfe",
    ],
)
def test_anything_else_is_refused(payload: str | bytes) -> None:
    assert read_activity(payload) is None
