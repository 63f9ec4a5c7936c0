"""Camera descriptions: presets, URL checks, credentials."""

from __future__ import annotations

import pytest

from custom_components.quephong_office.core.cameras import (
    STILL_SCHEMES,
    STREAM_SCHEMES,
    CameraConfig,
    CameraRole,
    CameraUrlError,
    SourceKind,
    check_url,
    preset_urls,
    redact_url,
    with_credentials,
)


def test_hikvision_preset() -> None:
    urls = preset_urls(SourceKind.HIKVISION, " 192.168.1.64 ", 3)
    assert urls.stream == "rtsp://192.168.1.64/Streaming/Channels/301"
    assert urls.substream == "rtsp://192.168.1.64/Streaming/Channels/302"
    assert urls.still_image == "http://192.168.1.64/ISAPI/Streaming/channels/301/picture"


def test_dahua_preset_with_port() -> None:
    urls = preset_urls(SourceKind.DAHUA, "nvr.local", 2, rtsp_port=8554)
    assert urls.stream == "rtsp://nvr.local:8554/cam/realmonitor?channel=2&subtype=0"
    assert urls.substream.endswith("channel=2&subtype=1")
    assert urls.still_image == "http://nvr.local/cgi-bin/snapshot.cgi?channel=2"


def test_preset_ipv6_host() -> None:
    assert preset_urls(SourceKind.HIKVISION, "fe80::1", 1).stream.startswith("rtsp://[fe80::1]/")


@pytest.mark.parametrize(
    ("kind", "host", "channel", "code"),
    [
        (SourceKind.HIKVISION, "10.0.0.1", 0, "invalid_channel"),
        (SourceKind.DAHUA, "", 1, "invalid_host"),
        (SourceKind.DAHUA, "http://10.0.0.1/", 1, "invalid_host"),
        (SourceKind.HIKVISION, "admin@10.0.0.1", 1, "invalid_host"),
        (SourceKind.URL, "10.0.0.1", 1, "not_a_preset"),
    ],
)
def test_preset_errors(kind: SourceKind, host: str, channel: int, code: str) -> None:
    with pytest.raises(CameraUrlError) as err:
        preset_urls(kind, host, channel)
    assert err.value.code == code


def test_check_url() -> None:
    assert check_url(" rtsp://10.0.0.1/live ", STREAM_SCHEMES) == "rtsp://10.0.0.1/live"
    for bad in ("ftp://10.0.0.1/x", "rtsp:///path", "not a url"):
        with pytest.raises(CameraUrlError, match="invalid_url"):
            check_url(bad, STREAM_SCHEMES)
    with pytest.raises(CameraUrlError, match="invalid_url"):
        check_url("rtsp://10.0.0.1/live", STILL_SCHEMES)
    with pytest.raises(CameraUrlError, match="credentials_in_url"):
        check_url("rtsp://admin:pw@10.0.0.1/live", STREAM_SCHEMES)


def test_credentials_are_escaped_and_redacted() -> None:
    url = with_credentials("rtsp://10.0.0.1:554/live", "ad min", "p@ss:wörd/")
    assert url == "rtsp://ad%20min:p%40ss%3Aw%C3%B6rd%2F@10.0.0.1:554/live"
    assert redact_url(url) == "rtsp://**REDACTED**@10.0.0.1:554/live"
    assert redact_url("rtsp://10.0.0.1/live") == "rtsp://10.0.0.1/live"
    assert with_credentials("rtsp://10.0.0.1/live", None, "x") == "rtsp://10.0.0.1/live"
    assert with_credentials("rtsp://10.0.0.1/live", "admin", None) == "rtsp://admin@10.0.0.1/live"


def test_camera_config_from_mapping() -> None:
    config = CameraConfig.from_mapping(
        "Cổng",
        {
            "role": "gate",
            "source": "url",
            "stream_url": "rtsp://10.0.0.1/main",
            "substream_url": "rtsp://10.0.0.1/sub",
            "username": "admin",
            "password": "",
        },
    )
    assert config.role is CameraRole.GATE
    assert config.password is None
    assert config.probe_url == "rtsp://admin@10.0.0.1/sub"
    assert config.authed(None) is None
    entity = CameraConfig.from_mapping("Sân", {"source": "entity", "camera_entity": "camera.x"})
    assert entity.role is CameraRole.OTHER
    assert entity.probe_url is None
