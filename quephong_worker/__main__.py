"""`quephong-vision-worker --config worker.yaml`: run the vision worker until stopped."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from .config import ConfigError, load_config
from .detector import DetectorUnavailable, load_detector
from .service import Worker

PROG = "quephong-vision-worker"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit code (2: the configuration is unusable)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Analyse office cameras and publish presence over MQTT (Quế Phong Office).",
    )
    parser.add_argument("--config", type=Path, required=True, help="the worker's YAML file")
    parser.add_argument(
        "--check", action="store_true", help="only validate the configuration, then exit"
    )
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        detector = load_detector(config.detector)
    except ConfigError as err:
        print(f"{PROG}: {args.config} has problems / cấu hình có lỗi:", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except DetectorUnavailable as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    if args.check:
        print(
            f"{PROG}: {args.config} is valid: site {config.site}, worker {config.worker_id}, "
            f"broker {config.broker.host}:{config.broker.port}, "
            f"{len(config.cameras)} static camera(s)"
        )
        return 0
    logging.basicConfig(
        level=config.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    worker = Worker(config, detector=detector)

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        worker.stop()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    logging.getLogger(__name__).info(
        "Worker %s for site %s, broker %s:%s",
        config.worker_id,
        config.site,
        config.broker.host,
        config.broker.port,
    )
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
