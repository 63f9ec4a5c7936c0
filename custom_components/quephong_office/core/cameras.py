"""Camera descriptions: roles, stream URL presets for common recorders, credentials in URLs.

Pure Python. Credentials are stored apart from the URL and only put into it when a stream is
opened, so that what is logged or shown never carries a password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from .errors import CodedError


class CameraRole(StrEnum):
    """Where a camera looks; decides which rules may use it."""

    GATE = "gate"
    PARKING = "parking"
    ONE_STOP = "one_stop"
    HALL = "hall"
    RECEPTION = "reception"
    YARD = "yard"
    OTHER = "other"


class SourceKind(StrEnum):
    """How the officer describes the camera's stream."""

    URL = "url"
    HIKVISION = "hikvision"
    DAHUA = "dahua"
    ENTITY = "entity"


STREAM_SCHEMES = frozenset({"rtsp", "rtsps", "http", "https"})
STILL_SCHEMES = frozenset({"http", "https"})


class CameraUrlError(CodedError):
    """A URL the camera cannot use; `code` is the translation key of the error."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PresetUrls:
    """Main stream, substream and still-image URLs of a recorder channel (without credentials)."""

    stream: str
    substream: str
    still_image: str


def _host_port(host: str, port: int, default: int) -> str:
    host = host.strip()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # a bare IPv6 address
    return host if port == default else f"{host}:{port}"


def preset_urls(kind: SourceKind, host: str, channel: int, rtsp_port: int = 554) -> PresetUrls:
    """URLs for a Hikvision or Dahua camera or recorder channel (channel numbers start at 1)."""
    if channel < 1:
        raise CameraUrlError("invalid_channel")
    if not host.strip() or "/" in host or "@" in host:
        raise CameraUrlError("invalid_host")
    rtsp = _host_port(host, rtsp_port, 554)
    http = _host_port(host, 80, 80)
    if kind is SourceKind.HIKVISION:
        return PresetUrls(
            stream=f"rtsp://{rtsp}/Streaming/Channels/{channel}01",
            substream=f"rtsp://{rtsp}/Streaming/Channels/{channel}02",
            still_image=f"http://{http}/ISAPI/Streaming/channels/{channel}01/picture",
        )
    if kind is SourceKind.DAHUA:
        return PresetUrls(
            stream=f"rtsp://{rtsp}/cam/realmonitor?channel={channel}&subtype=0",
            substream=f"rtsp://{rtsp}/cam/realmonitor?channel={channel}&subtype=1",
            still_image=f"http://{http}/cgi-bin/snapshot.cgi?channel={channel}",
        )
    raise CameraUrlError("not_a_preset")


def check_url(url: str, schemes: frozenset[str]) -> str:
    """Return the URL stripped of blanks, or raise CameraUrlError when it cannot be used."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise CameraUrlError("invalid_url")
    if parts.username or parts.password:
        raise CameraUrlError("credentials_in_url")
    return url


def with_credentials(url: str, username: str | None, password: str | None) -> str:
    """Put (escaped) credentials into an RTSP/HTTP URL for opening it."""
    if not username:
        return url
    parts = urlsplit(url)
    userinfo = quote(username, safe="")
    if password:
        userinfo += ":" + quote(password, safe="")
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{netloc}"))


def redact_url(url: str) -> str:
    """The URL with any user name and password replaced, for logs and diagnostics."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"**REDACTED**@{netloc}"))


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraConfig:
    """A configured camera, as stored in its config subentry."""

    name: str
    role: CameraRole
    source: SourceKind
    stream_url: str | None = None
    substream_url: str | None = None
    still_image_url: str | None = None
    camera_entity: str | None = None
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_mapping(cls, name: str, data: Mapping[str, Any]) -> CameraConfig:
        """Read a subentry's data; missing optional values become None."""

        def text(key: str) -> str | None:
            value = data.get(key)
            return str(value) if value else None

        return cls(
            name=name,
            role=CameraRole(data.get("role", CameraRole.OTHER)),
            source=SourceKind(data.get("source", SourceKind.URL)),
            stream_url=text("stream_url"),
            substream_url=text("substream_url"),
            still_image_url=text("still_image_url"),
            camera_entity=text("camera_entity"),
            username=text("username"),
            password=text("password"),
        )

    def authed(self, url: str | None) -> str | None:
        """A URL of this camera with its credentials put in, for opening it."""
        return with_credentials(url, self.username, self.password) if url else None

    @property
    def probe_url(self) -> str | None:
        """The URL to test and take pictures from: the substream when there is one (cheaper)."""
        return self.authed(self.substream_url or self.stream_url)
