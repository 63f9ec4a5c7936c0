"""Rendered scenes shared by the vision tests (rendered once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.scene import SceneTruth, render_scene


@pytest.fixture(scope="session")
def one_stop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SceneTruth]:
    """A 30 s one-stop scene at 320×180, 10 fps, with its ground truth."""
    path = tmp_path_factory.mktemp("scenes") / "one_stop.mp4"
    truth = render_scene(path, kind="one_stop", seconds=30, fps=10, size=(320, 180))
    return path, truth
