"""Import the integration's pure core without running the Home Assistant glue.

`custom_components/quephong_office/__init__.py` is Home Assistant code; Python runs a parent
package's __init__ before any submodule. Tools that only need the core (the replay tool, the
benchmarks, the vision worker) register the integration package as a bare namespace first, so
importing `custom_components.quephong_office.core...` costs milliseconds and needs no
Home Assistant installed.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

PACKAGE = "custom_components.quephong_office"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / "custom_components" / "quephong_office"


def register_bare_package() -> None:
    """Make `custom_components.quephong_office` importable without executing its __init__."""
    if PACKAGE in sys.modules:
        return
    parent = sys.modules.get("custom_components")
    if parent is None:
        parent = types.ModuleType("custom_components")
        parent.__path__ = [str(PACKAGE_DIR.parent)]
        sys.modules["custom_components"] = parent
    package = types.ModuleType(PACKAGE)
    package.__path__ = [str(PACKAGE_DIR)]
    sys.modules[PACKAGE] = package
