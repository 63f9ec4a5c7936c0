"""Replay a recorded clip through the integration's own analysis, as fast as it decodes.

    scripts/replay VIDEO --desk NAME=x1,y1,x2,y2 [--desk ...] [--zones FILE] [--fps F]

`--desk` takes a normalized (0–1) rectangle; `--zones` a JSON file in the format the
integration stores (zones with polygons, and privacy masks). Time is taken from the video.
stdout carries only JSON lines: each desk's initial state, then one line per change, e.g.
{"t": 12.4, "desk": "quay-1", "occupied": true}. A summary goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import av.error

from .analyzer import AnalyzerSettings, CameraAnalyzer
from .sources import iter_frames, prefetch
from .zones import Zone, ZoneError, ZoneKind, ZoneLayout, layout_from_json, rect_zone


def _desk(text: str) -> Zone:
    name, sep, coords = text.partition("=")
    try:
        x1, y1, x2, y2 = (float(part) for part in coords.split(","))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"expected NAME=x1,y1,x2,y2, got {text!r}") from err
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=x1,y1,x2,y2, got {text!r}")
    try:
        return rect_zone(name.strip(), x1, y1, x2, y2, kind=ZoneKind.DESK)
    except ZoneError as err:
        raise argparse.ArgumentTypeError(f"{name}: {err.code}") from err


def build_layout(desks: Sequence[Zone], zones_file: Path | None) -> ZoneLayout:
    """The layout from --zones (if given) with the --desk rectangles added."""
    layout = ZoneLayout(zones=())
    if zones_file is not None:
        layout = layout_from_json(zones_file.read_text(encoding="utf-8"))
    ids = {zone.id for zone in layout.zones}
    for desk in desks:
        if desk.id in ids:
            raise ZoneError("duplicate_zone", desk.id)
        ids.add(desk.id)
    return ZoneLayout(zones=(*layout.zones, *desks), masks=layout.masks)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="scripts/replay", description=__doc__.split("\n\n")[0])
    parser.add_argument("video", help="any file or URL FFmpeg can read")
    parser.add_argument(
        "--desk", type=_desk, action="append", default=[], metavar="NAME=x1,y1,x2,y2"
    )
    parser.add_argument("--zones", type=Path, help="zones file (the integration's format)")
    parser.add_argument(
        "--fps", type=float, default=AnalyzerSettings().fps, help="analysed frames per second"
    )
    args = parser.parse_args(argv)
    if args.fps <= 0:
        parser.error("--fps must be positive")
    try:
        layout = build_layout(args.desk, args.zones)
    except (OSError, ZoneError) as err:
        parser.error(f"zones: {err}")
    desks = [zone.id for zone in layout.zones if zone.kind is ZoneKind.DESK]
    if not desks:
        parser.error("no desk: give --desk NAME=x1,y1,x2,y2 or a --zones file with desk zones")

    analyzer = CameraAnalyzer(layout, AnalyzerSettings(fps=args.fps))
    state: dict[str, bool] = {}
    frames = 0
    last_t = 0.0
    started = time.perf_counter()
    try:
        frames_in = iter_frames(args.video, fps=args.fps, size=analyzer.analysis_size)
        for frame in prefetch(frames_in):
            result = analyzer.process(frame.t, frame.gray)
            frames += 1
            last_t = frame.t
            for desk in desks:
                occupied = result.zones[desk].occupied
                if state.get(desk) is not occupied:
                    state[desk] = occupied
                    line = {"t": round(frame.t, 2), "desk": desk, "occupied": occupied}
                    print(json.dumps(line, ensure_ascii=False), flush=True)
    except (av.error.FFmpegError, OSError) as err:
        print(f"replay: cannot read {args.video}: {err}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    speed = (last_t / elapsed) if elapsed > 0 else 0.0
    print(
        f"replay: {frames} frames, {last_t:.1f} s of video in {elapsed:.2f} s "
        f"({speed:.0f}× real time)",
        file=sys.stderr,
    )
    return 0 if frames else 1


if __name__ == "__main__":
    sys.exit(main())
