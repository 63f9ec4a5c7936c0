"""Tests of quephong_office."""
