"""Tests of the vision worker.

They also run in the worker's own environment (`scripts/worker-env`, with OpenCV and without
Home Assistant): importing the worker first makes the integration's pure core importable there.
"""

import quephong_worker  # noqa: F401
