"""Tests of the Home Assistant layer, in a real Home Assistant."""
