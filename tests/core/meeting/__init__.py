"""Tests of the meeting-room core."""
