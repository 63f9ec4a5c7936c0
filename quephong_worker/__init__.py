"""The Quế Phong vision worker: the integration's camera engine as a process of its own.

It takes camera jobs from MQTT (or its own configuration), decodes and analyses the streams
with the same engine as the integration (`custom_components/quephong_office/core/vision`) and
publishes presence, people counts, health and snapshots back (contract: `core/vision/wire.py`).

Importing this package makes the integration's pure core importable without Home Assistant:
the integration package is registered bare (its `__init__`, which is Home Assistant glue, is not
run) unless it is imported already.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

__all__ = ["register_core"]

PACKAGE = "custom_components.quephong_office"


def register_core() -> None:
    """Make `custom_components.quephong_office.core` importable without Home Assistant."""
    if PACKAGE in sys.modules:
        return
    parent = importlib.import_module("custom_components")  # a namespace package: no code runs
    folders = [Path(entry) / "quephong_office" for entry in parent.__path__]
    package = types.ModuleType(PACKAGE)
    package.__path__ = [str(folder) for folder in folders if folder.is_dir()]
    sys.modules[PACKAGE] = package


register_core()
