"""The core never imports Home Assistant: every core module imports where HA cannot."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

from custom_components.quephong_office import core

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, importlib.abc, sys

class Forbid(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "homeassistant" or name.startswith("homeassistant."):
            raise ImportError(f"core imported {name}")
        return None

sys.meta_path.insert(0, Forbid())
# Load the core package without running the integration's __init__ (which is HA glue).
from devtools.core_import import register_bare_package
register_bare_package()
for name in sys.argv[1:]:
    importlib.import_module(name)
assert not any(m == "homeassistant" or m.startswith("homeassistant.") for m in sys.modules)
print("ok", len(sys.argv) - 1)
"""


def _core_modules() -> list[str]:
    names = [core.__name__]
    for info in pkgutil.walk_packages(core.__path__, prefix=f"{core.__name__}."):
        names.append(info.name)
    return names


def test_core_imports_without_homeassistant() -> None:
    modules = _core_modules()
    assert len(modules) >= 6
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {len(modules)}"


def test_the_probe_catches_a_homeassistant_import() -> None:
    """The guard itself works: importing a HA module through it fails."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "homeassistant.const"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "core imported homeassistant" in result.stderr
