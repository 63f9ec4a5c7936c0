"""The worker's YAML configuration and its command line."""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from quephong_worker.__main__ import main
from quephong_worker.config import ConfigError, load_config, parse_config

MINIMAL: dict[str, Any] = {"broker": {"host": "mqtt.local"}, "site": "17011"}
ZONES = {"zones": [{"id": "quay-1", "polygon": [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]}]}
HAS_CV2 = importlib.util.find_spec("cv2") is not None


def problems(data: Any) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    return info.value.problems


def test_defaults() -> None:
    config = parse_config(MINIMAL)
    assert config.broker.host == "mqtt.local"
    assert (config.broker.port, config.broker.protocol, config.broker.keepalive) == (1883, 311, 15)
    assert config.broker.tls is False
    assert config.worker_id == socket.gethostname()
    assert config.client_id == f"quephong-vision-{socket.gethostname()}"
    assert config.max_cameras == 16
    assert config.snapshot_interval == 10.0
    assert config.accept_assigned is True
    assert config.detector == "none"
    assert config.state_dir is None
    assert config.cameras == ()


def test_full_configuration() -> None:
    config = parse_config(
        {
            "broker": {
                "host": "emqx",
                "tls": True,
                "username": "worker",
                "password": "bí mật",
                "client_id": "vision-1",
                "protocol": 5,
                "keepalive": 20,
            },
            "site": 17011,
            "worker_id": "nvr-1",
            "max_cameras": 4,
            "snapshot_interval": 5,
            "accept_assigned": False,
            "detector": "HOG",
            "state_dir": "~/state",
            "log_level": "DEBUG",
            "cameras": [
                {"camera": "cong", "url": "rtsp://cam/sub", "layout": ZONES},
                {
                    "camera": "hoi-truong",
                    "name": "Hội trường",
                    "url": "rtsp://hall/sub",
                    "layout": ZONES,
                    "settings": {"fps": 1},
                },
            ],
        }
    )
    assert config.broker.port == 8883  # the TLS default
    assert (config.broker.protocol, config.broker.keepalive) == (5, 20)
    assert config.client_id == "vision-1"
    assert config.site == "17011"
    assert config.detector == "hog"
    assert config.log_level == "debug"
    assert config.state_dir == Path("~/state").expanduser()
    gate, hall = config.cameras
    assert (gate.name, gate.fps, gate.analysis_width) == ("cong", 2.0, 320)
    assert (hall.name, hall.fps) == ("Hội trường", 1.0)
    assert hall.layout.zones[0].id == "quay-1"


def test_every_problem_is_listed() -> None:
    found = problems(
        {
            "broker": {"port": 0, "tls": "yes", "protocol": 4, "colour": 1, "username": [1]},
            "site": "que-phong",
            "worker_id": "a/b",
            "max_cameras": True,
            "snapshot_interval": 0.5,
            "detector": "yolo",
            "cameras": [
                {"camera": "c", "url": "rtsp://x", "layout": {"zones": [{"id": "z"}]}},
                "not a camera",
                {"camera": "d", "url": "rtsp://x", "layout": ZONES},
                {"camera": "d", "url": "rtsp://x", "layout": ZONES},
            ],
            "extra": 1,
        }
    )
    text = "\n".join(found)
    for expected in (
        "extra: unknown setting / thiết lập không có",
        "broker.colour: unknown setting",
        "broker.host: is required / bắt buộc phải có",
        "broker.port: must be a whole number from 1 to 65535",
        "broker.tls: must be true or false",
        "broker.protocol: must be one of 311, 5",
        "broker.username: must be text",
        "site: must be the unit code (digits) / phải là mã đơn vị (chữ số)",
        "worker_id: must not contain / + #",
        "max_cameras: must be a whole number from 1 to 256",
        "snapshot_interval: must be a number ≥ 1",
        "detector: must be one of none, hog",
        "cameras[0].invalid_polygon: refused (invalid_layout)",
        "cameras[1]: must be a mapping",
        "cameras[3].camera: appears twice",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "(top): must be a mapping"),
        ({"site": "1"}, "broker: is required"),
        ({**MINIMAL, "cameras": {}}, "cameras: must be a list"),
        ({**MINIMAL, "cameras": [{"camera": "x", "url": "u", "layout": ZONES, "settings": 2}]},
         "cameras[0].settings: refused (invalid_field)"),
        ({"broker": {"host": "h"}}, "site: is required"),
    ],
)  # fmt: skip
def test_single_problems(data: Any, expected: str) -> None:
    assert any(problem.startswith(expected) for problem in problems(data)), problems(data)


def test_nulls_take_the_defaults() -> None:
    config = parse_config(
        {**MINIMAL, "max_cameras": None, "snapshot_interval": None, "accept_assigned": None,
         "detector": None, "cameras": None}
    )  # fmt: skip
    assert (config.max_cameras, config.snapshot_interval, config.detector) == (16, 10.0, "none")


def test_load_config_reads_yaml(tmp_path: Path) -> None:
    path = tmp_path / "worker.yaml"
    path.write_text(yaml.safe_dump(MINIMAL), encoding="utf-8")
    assert load_config(path).site == "17011"
    path.write_text("", encoding="utf-8")
    assert any("broker" in p for p in pytest.raises(ConfigError, load_config, path).value.problems)
    path.write_text("broker: [", encoding="utf-8")
    assert "not valid YAML" in str(pytest.raises(ConfigError, load_config, path).value)
    missing = tmp_path / "missing.yaml"
    assert "cannot be read" in str(pytest.raises(ConfigError, load_config, missing).value)


def test_cli_check_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "worker.yaml"
    path.write_text(yaml.safe_dump({**MINIMAL, "worker_id": "w1"}), encoding="utf-8")
    assert main(["--config", str(path), "--check"]) == 0
    assert "is valid: site 17011, worker w1, broker mqtt.local:1883" in capsys.readouterr().out
    path.write_text(yaml.safe_dump({"site": "x"}), encoding="utf-8")
    assert main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "has problems / cấu hình có lỗi" in err
    assert "  - broker: is required" in err
    assert "  - site: must be the unit code" in err


@pytest.mark.skipif(HAS_CV2, reason="OpenCV is installed: detector hog is allowed here")
def test_cli_refuses_hog_without_opencv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "worker.yaml"
    path.write_text(yaml.safe_dump({**MINIMAL, "detector": "hog"}), encoding="utf-8")
    assert main(["--config", str(path), "--check"]) == 2
    assert "detector: hog needs OpenCV: pip install opencv-python-headless" in (
        capsys.readouterr().err
    )


@pytest.mark.skipif(not HAS_CV2, reason="OpenCV is not installed (only in scripts/worker-env)")
def test_cli_accepts_hog_with_opencv(tmp_path: Path) -> None:
    path = tmp_path / "worker.yaml"
    path.write_text(yaml.safe_dump({**MINIMAL, "detector": "hog"}), encoding="utf-8")
    assert main(["--config", str(path), "--check"]) == 0
