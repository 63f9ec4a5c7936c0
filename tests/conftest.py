"""Shared by every test: the integration package is imported for real before anything else.

Tools (benchmarks, replay) load the pure core through devtools.core_import, which registers
the package without its Home Assistant __init__ when it is not imported yet. In the test
process the Home Assistant tests need the real package, so it is imported first.
"""

import custom_components.quephong_office  # noqa: F401
