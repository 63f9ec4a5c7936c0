"""Benchmarks of quephong_office: desk-presence accuracy against plain OpenCV baselines.

Run ``benchmarks/accuracy`` from the repository root; see ``benchmarks/README.md``.
"""
