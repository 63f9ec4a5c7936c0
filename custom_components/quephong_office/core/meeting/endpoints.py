"""Conference endpoints of communes and wards: parsing, and checking that they answer.

An endpoint is an http(s) URL (the endpoint's web interface or the conference server) or a TCP
`host:port` (a video codec, an MCU's signalling port). An HTTP endpoint is up when it answers
with any status below 500: a login page's 401 or 403 still means the server is there. A TCP
endpoint is up when a connection opens. Failures come back with a short detail: "timeout",
"refused", "unresolved", "ssl", "disconnected", "unreachable", "http 503" or "error".
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import re
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import aiohttp

from .errors import MeetingError

DEFAULT_TIMEOUT = 5.0
#: At most this many checks run at once.
DEFAULT_LIMIT = 32

_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """Where a participant answers: `url` for http ("" for tcp), `host` and `port` for both.

    `text` is the endpoint as shown to people: the URL, or "host:port".
    """

    kind: Literal["http", "tcp"]
    host: str
    port: int
    url: str = ""
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EndpointResult:
    """The outcome of one check: `detail` is "http 200" or "connected" when `ok`, else why not."""

    ok: bool
    detail: str


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.removesuffix(".").split(".")
        return len(host) <= 253 and all(_LABEL.fullmatch(label) for label in labels)
    return True


def _port(text: str, field_name: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise MeetingError("invalid_port", field_name)
    port = int(text)
    if not 1 <= port <= 65535:
        raise MeetingError("invalid_port", field_name)
    return port


def _parse_url(text: str, field_name: str) -> Endpoint:
    parts = urlsplit(text)
    host = parts.hostname or ""
    if not host or not _valid_host(host):
        raise MeetingError("invalid_host", field_name)
    try:
        port = parts.port
    except ValueError as err:
        raise MeetingError("invalid_port", field_name) from err
    if port == 0:
        raise MeetingError("invalid_port", field_name)
    default = 443 if parts.scheme.lower() == "https" else 80
    return Endpoint(kind="http", host=host, port=port or default, url=text, text=text)


def _parse_host_port(text: str, field_name: str) -> Endpoint:
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or not rest.startswith(":"):
            raise MeetingError("invalid_port", field_name)
        port_text = rest[1:]
        if not host or ":" not in host or not _valid_host(host):
            raise MeetingError("invalid_host", field_name)
    else:
        host, sep, port_text = text.rpartition(":")
        if not sep:
            raise MeetingError("invalid_port", field_name)
        if not host or ":" in host or not _valid_host(host):
            raise MeetingError("invalid_host", field_name)
    port = _port(port_text, field_name)
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return Endpoint(kind="tcp", host=host, port=port, text=shown)


def parse_endpoint(text: str, *, field_name: str = "endpoint") -> Endpoint:
    """An endpoint from "https://…", "http://…", "host:port", "[v6]:port" or "tcp://host:port".

    Raise MeetingError (endpoint_required, unsupported_scheme, invalid_host, invalid_port) with
    `field_name` as its field.
    """
    text = text.strip()
    if not text:
        raise MeetingError("endpoint_required", field_name)
    if any(ch.isspace() for ch in text):
        raise MeetingError("invalid_host", field_name)
    scheme, sep, rest = text.partition("://")
    if not sep:
        return _parse_host_port(text, field_name)
    scheme = scheme.lower()
    if scheme in ("http", "https"):
        return _parse_url(text, field_name)
    if scheme == "tcp":
        return _parse_host_port(rest.rstrip("/"), field_name)
    raise MeetingError("unsupported_scheme", field_name)


def _failure(err: BaseException) -> str:
    """The short detail of a failed check."""
    if isinstance(err, TimeoutError):
        return "timeout"
    if isinstance(err, aiohttp.ClientSSLError | ssl.SSLError):
        return "ssl"
    if isinstance(err, aiohttp.ServerDisconnectedError | ConnectionResetError):
        return "disconnected"
    cause = err.os_error if isinstance(err, aiohttp.ClientConnectorError) else err
    if isinstance(cause, ConnectionRefusedError):
        return "refused"
    if isinstance(cause, socket.gaierror) or isinstance(err, aiohttp.ClientConnectorDNSError):
        return "unresolved"
    if isinstance(cause, OSError):
        return "unreachable"
    return "error"


async def _check_http(
    endpoint: Endpoint, seconds: float, session: aiohttp.ClientSession, verify_ssl: bool
) -> EndpointResult:
    async with session.get(
        endpoint.url,
        timeout=aiohttp.ClientTimeout(total=seconds),
        allow_redirects=False,
        ssl=verify_ssl,
    ) as response:
        status = response.status
    return EndpointResult(ok=status < 500, detail=f"http {status}")


async def _check_tcp(endpoint: Endpoint, seconds: float) -> EndpointResult:
    async with asyncio.timeout(seconds):
        _reader, writer = await asyncio.open_connection(endpoint.host, endpoint.port)
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(1):
            await writer.wait_closed()
    return EndpointResult(ok=True, detail="connected")


async def check_endpoint(
    endpoint: Endpoint,
    *,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - a bound per check, not for the caller
    session: aiohttp.ClientSession | None = None,
    verify_ssl: bool = True,
) -> EndpointResult:
    """Whether `endpoint` answers within `timeout` seconds; never raises for network failures.

    HTTP checks use `session` when given (one is opened and closed otherwise); a certificate
    that does not verify gives "ssl" unless `verify_ssl` is False.
    """
    if not timeout > 0:
        raise MeetingError("invalid_timeout", "timeout")
    try:
        if endpoint.kind == "tcp":
            return await _check_tcp(endpoint, timeout)
        if session is not None:
            return await _check_http(endpoint, timeout, session, verify_ssl)
        async with aiohttp.ClientSession() as own:
            return await _check_http(endpoint, timeout, own, verify_ssl)
    except (OSError, aiohttp.ClientError, TimeoutError) as err:
        return EndpointResult(ok=False, detail=_failure(err))


async def check_all(
    endpoints: Mapping[str, Endpoint],
    *,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - a bound per check, not for the caller
    session: aiohttp.ClientSession | None = None,
    verify_ssl: bool = True,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, EndpointResult]:
    """Check every named endpoint concurrently (at most `limit` at once); results by name."""
    if not timeout > 0:
        raise MeetingError("invalid_timeout", "timeout")
    gate = asyncio.Semaphore(max(1, limit))

    async def one(endpoint: Endpoint, http: aiohttp.ClientSession | None) -> EndpointResult:
        async with gate:
            return await check_endpoint(
                endpoint, timeout=timeout, session=http, verify_ssl=verify_ssl
            )

    async def run(http: aiohttp.ClientSession | None) -> dict[str, EndpointResult]:
        names = list(endpoints)
        results = await asyncio.gather(*(one(endpoints[name], http) for name in names))
        return dict(zip(names, results, strict=True))

    needs_http = any(endpoint.kind == "http" for endpoint in endpoints.values())
    if session is not None or not needs_http:
        return await run(session)
    async with aiohttp.ClientSession() as own:
        return await run(own)
