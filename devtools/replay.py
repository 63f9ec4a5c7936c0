"""Entry point of scripts/replay: the core's replay tool, loaded without Home Assistant."""

from __future__ import annotations

import sys

from devtools.core_import import register_bare_package

register_bare_package()

from custom_components.quephong_office.core.vision.replay import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
