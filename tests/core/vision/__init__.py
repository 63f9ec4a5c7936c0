"""Tests of the camera analysis engine (no Home Assistant)."""
