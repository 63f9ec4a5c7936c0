"""Endpoints: parsing, and checks against real servers on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from custom_components.quephong_office.core.meeting import endpoints as module
from custom_components.quephong_office.core.meeting.endpoints import (
    Endpoint,
    EndpointResult,
    check_all,
    check_endpoint,
    parse_endpoint,
)
from custom_components.quephong_office.core.meeting.errors import MeetingError

LOOPBACK = "127.0.0.1"


@pytest.fixture(autouse=True)
def sockets(request: pytest.FixtureRequest) -> None:
    """The servers listen on loopback (the HA test plugin blocks sockets by default)."""
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            " https://hop.nghean.gov.vn/phong/1 ",
            Endpoint(
                kind="http",
                host="hop.nghean.gov.vn",
                port=443,
                url="https://hop.nghean.gov.vn/phong/1",
                text="https://hop.nghean.gov.vn/phong/1",
            ),
        ),
        (
            "http://10.0.0.5:8080",
            Endpoint(
                kind="http",
                host="10.0.0.5",
                port=8080,
                url="http://10.0.0.5:8080",
                text="http://10.0.0.5:8080",
            ),
        ),
        (
            "HTTP://codec.local",
            Endpoint(
                kind="http",
                host="codec.local",
                port=80,
                url="HTTP://codec.local",
                text="HTTP://codec.local",
            ),
        ),
        (
            "http://[fe80::1]:81/",
            Endpoint(
                kind="http",
                host="fe80::1",
                port=81,
                url="http://[fe80::1]:81/",
                text="http://[fe80::1]:81/",
            ),
        ),
        ("10.0.0.7:5060", Endpoint(kind="tcp", host="10.0.0.7", port=5060, text="10.0.0.7:5060")),
        (
            "mcu.chaukim.vn:1720",
            Endpoint(kind="tcp", host="mcu.chaukim.vn", port=1720, text="mcu.chaukim.vn:1720"),
        ),
        ("tcp://codec:443/", Endpoint(kind="tcp", host="codec", port=443, text="codec:443")),
        (
            "[2001:db8::5]:5061",
            Endpoint(kind="tcp", host="2001:db8::5", port=5061, text="[2001:db8::5]:5061"),
        ),
    ],
)
def test_parse_endpoint(text: str, expected: Endpoint) -> None:
    assert parse_endpoint(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "endpoint_required"),
        ("   ", "endpoint_required"),
        ("rtsp://cam.local/1", "unsupported_scheme"),
        ("sip://x.vn", "unsupported_scheme"),
        ("http://", "invalid_host"),
        ("https://bad_host!/x", "invalid_host"),
        ("https://-bad.vn", "invalid_host"),
        ("http://x.vn:99999", "invalid_port"),
        ("http://x.vn:abc", "invalid_port"),
        ("http://x.vn:0", "invalid_port"),
        ("codec.local", "invalid_port"),
        ("codec.local:", "invalid_port"),
        ("codec.local:0", "invalid_port"),
        ("codec.local:65536", "invalid_port"),
        ("codec.local:５０６０", "invalid_port"),  # full-width digits
        ("codec.local:-1", "invalid_port"),
        (":5060", "invalid_host"),
        ("a:b:5060", "invalid_host"),
        ("máy chủ:5060", "invalid_host"),
        ("máychủ:5060", "invalid_host"),
        ("[2001:db8::5]", "invalid_port"),
        ("[2001:db8::5]5061", "invalid_port"),
        ("[]:5061", "invalid_host"),
        ("[host]:5061", "invalid_host"),
        ("[2001:zz::5]:5061", "invalid_host"),
        ("tcp://codec", "invalid_port"),
    ],
)
def test_parse_endpoint_refuses(text: str, code: str) -> None:
    with pytest.raises(MeetingError) as err:
        parse_endpoint(text, field_name="xa_chau_kim")
    assert (err.value.code, err.value.field) == (code, "xa_chau_kim")


def test_parse_endpoint_default_field() -> None:
    with pytest.raises(MeetingError) as err:
        parse_endpoint("")
    assert err.value.field == "endpoint"


# --- local servers ---------------------------------------------------------------------------


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _serve(
    routes: dict[str, Handler], ssl_context: ssl.SSLContext | None = None
) -> tuple[web.AppRunner, int]:
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, LOOPBACK, 0, ssl_context=ssl_context)
    await site.start()
    port = runner.addresses[0][1]
    return runner, port


def _status(code: int) -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(status=code, text="xin chào")

    return handler


async def _redirect(_request: web.Request) -> web.Response:
    raise web.HTTPFound("https://sso.nghean.gov.vn/login")


@pytest.fixture
async def http() -> AsyncGenerator[str]:
    """A web server: /ok 200, /login 401, /forbidden 403, /moved 302, /down 503, /boom 500."""
    runner, port = await _serve(
        {
            "/ok": _status(200),
            "/login": _status(401),
            "/forbidden": _status(403),
            "/moved": _redirect,
            "/down": _status(503),
            "/boom": _status(500),
        }
    )
    yield f"http://{LOOPBACK}:{port}"
    await runner.cleanup()


@pytest.fixture
async def tcp() -> AsyncGenerator[tuple[int, list[int]]]:
    """A TCP listener that accepts and hangs up; the list counts connections."""
    accepted: list[int] = []

    async def handle(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        writer.close()

    server = await asyncio.start_server(handle, LOOPBACK, 0)
    yield server.sockets[0].getsockname()[1], accepted
    server.close()
    await server.wait_closed()


@pytest.fixture
async def silent() -> AsyncGenerator[int]:
    """A server that accepts connections and never answers."""
    writers: list[asyncio.StreamWriter] = []

    async def handle(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)

    server = await asyncio.start_server(handle, LOOPBACK, 0)
    yield server.sockets[0].getsockname()[1]
    server.close()
    for writer in writers:
        writer.close()
    await server.wait_closed()


@pytest.fixture
def closed_port() -> int:
    """A loopback port that nothing listens on."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def _self_signed(folder: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


@pytest.fixture
async def https(tmp_path: Path) -> AsyncGenerator[str]:
    """An HTTPS server with a self-signed certificate."""
    runner, port = await _serve({"/": _status(200)}, _self_signed(tmp_path))
    yield f"https://{LOOPBACK}:{port}/"
    await runner.cleanup()


# --- checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ok", "detail"),
    [
        ("/ok", True, "http 200"),
        ("/login", True, "http 401"),
        ("/forbidden", True, "http 403"),
        ("/moved", True, "http 302"),  # not followed: the server answered
        ("/nowhere", True, "http 404"),
        ("/down", False, "http 503"),
        ("/boom", False, "http 500"),
    ],
)
async def test_http_status(http: str, path: str, ok: bool, detail: str) -> None:
    result = await check_endpoint(parse_endpoint(http + path), timeout=2)
    assert result == EndpointResult(ok=ok, detail=detail)


async def test_http_with_a_given_session_leaves_it_open(http: str) -> None:
    async with aiohttp.ClientSession() as session:
        up = await check_endpoint(parse_endpoint(f"{http}/ok"), session=session)
        down = await check_endpoint(parse_endpoint(f"{http}/down"), session=session)
        assert not session.closed
    assert (up.ok, down.ok) == (True, False)


async def test_http_refused(closed_port: int) -> None:
    result = await check_endpoint(parse_endpoint(f"http://{LOOPBACK}:{closed_port}/"), timeout=2)
    assert result == EndpointResult(ok=False, detail="refused")


async def test_http_timeout(silent: int) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await check_endpoint(parse_endpoint(f"http://{LOOPBACK}:{silent}/"), timeout=0.2)
    assert result == EndpointResult(ok=False, detail="timeout")
    assert loop.time() - started < 2


async def test_https_certificate(https: str) -> None:
    endpoint = parse_endpoint(https)
    assert await check_endpoint(endpoint, timeout=2) == EndpointResult(ok=False, detail="ssl")
    assert await check_endpoint(endpoint, timeout=2, verify_ssl=False) == EndpointResult(
        ok=True, detail="http 200"
    )


async def test_tcp_connects(tcp: tuple[int, list[int]]) -> None:
    port, accepted = tcp
    result = await check_endpoint(parse_endpoint(f"{LOOPBACK}:{port}"), timeout=2)
    assert result == EndpointResult(ok=True, detail="connected")
    for _ in range(50):  # the server side sees the connection
        if accepted:
            break
        await asyncio.sleep(0.01)
    assert accepted == [1]


async def test_tcp_refused(closed_port: int) -> None:
    result = await check_endpoint(parse_endpoint(f"tcp://{LOOPBACK}:{closed_port}"), timeout=2)
    assert result == EndpointResult(ok=False, detail="refused")


async def test_tcp_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that drops packets: the connection never opens (simulated, loopback cannot)."""

    async def never(*_args: Any, **_kwargs: Any) -> Any:
        await asyncio.Event().wait()

    monkeypatch.setattr(asyncio, "open_connection", never)
    result = await check_endpoint(parse_endpoint("10.255.255.1:5060"), timeout=0.05)
    assert result == EndpointResult(ok=False, detail="timeout")


async def test_tcp_unresolved(monkeypatch: pytest.MonkeyPatch) -> None:
    async def unknown(*_args: Any, **_kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(asyncio, "open_connection", unknown)
    result = await check_endpoint(parse_endpoint("khong-co.invalid:5060"))
    assert result == EndpointResult(ok=False, detail="unresolved")


@pytest.mark.parametrize("timeout", [0, -1.0, float("nan")])
async def test_timeout_must_be_positive(timeout: float) -> None:
    endpoint = parse_endpoint("codec:5060")
    with pytest.raises(MeetingError) as err:
        await check_endpoint(endpoint, timeout=timeout)
    assert (err.value.code, err.value.field) == ("invalid_timeout", "timeout")
    with pytest.raises(MeetingError):
        await check_all({"x": endpoint}, timeout=timeout)


class _ConnectionKey:
    host, port, ssl = "x.vn", 443, True


KEY: Any = _ConnectionKey()


@pytest.mark.parametrize(
    ("error", "detail"),
    [
        (TimeoutError(), "timeout"),
        (aiohttp.ServerTimeoutError(), "timeout"),
        (ssl.SSLError(), "ssl"),
        (aiohttp.ClientConnectorCertificateError(KEY, ssl.SSLCertVerificationError()), "ssl"),
        (aiohttp.ServerDisconnectedError(), "disconnected"),
        (ConnectionResetError(), "disconnected"),
        (ConnectionRefusedError(), "refused"),
        (aiohttp.ClientConnectorError(KEY, ConnectionRefusedError()), "refused"),
        (socket.gaierror(), "unresolved"),
        (aiohttp.ClientConnectorDNSError(KEY, socket.gaierror()), "unresolved"),
        (aiohttp.ClientConnectorError(KEY, OSError(113, "No route to host")), "unreachable"),
        (OSError("Multiple exceptions"), "unreachable"),
        (aiohttp.ClientPayloadError(), "error"),
    ],
)
def test_failure_details(error: BaseException, detail: str) -> None:
    assert module._failure(error) == detail


# --- many at once ----------------------------------------------------------------------------


async def test_check_all_mixed(
    http: str, tcp: tuple[int, list[int]], closed_port: int, silent: int
) -> None:
    port, _accepted = tcp
    endpoints = {
        "Xã Châu Kim": parse_endpoint(f"{http}/ok"),
        "Xã Tiền Phong": parse_endpoint(f"{http}/down"),
        "Xã Hạnh Dịch": parse_endpoint(f"{LOOPBACK}:{port}"),
        "Xã Quế Phong": parse_endpoint(f"{LOOPBACK}:{closed_port}"),
        "Xã Tri Lễ": parse_endpoint(f"http://{LOOPBACK}:{silent}/"),
    }
    results = await check_all(endpoints, timeout=0.5)
    assert list(results) == list(endpoints)  # in the given order
    assert results == {
        "Xã Châu Kim": EndpointResult(ok=True, detail="http 200"),
        "Xã Tiền Phong": EndpointResult(ok=False, detail="http 503"),
        "Xã Hạnh Dịch": EndpointResult(ok=True, detail="connected"),
        "Xã Quế Phong": EndpointResult(ok=False, detail="refused"),
        "Xã Tri Lễ": EndpointResult(ok=False, detail="timeout"),
    }


async def test_check_all_tcp_only_and_empty(tcp: tuple[int, list[int]]) -> None:
    port, _accepted = tcp
    assert await check_all({}) == {}
    results = await check_all({"a": parse_endpoint(f"{LOOPBACK}:{port}")}, timeout=2)
    assert results == {"a": EndpointResult(ok=True, detail="connected")}


@pytest.fixture
async def gate() -> AsyncGenerator[str]:
    """A server whose requests answer only once three are waiting at the same time."""
    arrived: list[int] = []
    all_in = asyncio.Event()

    async def handler(_request: web.Request) -> web.Response:
        arrived.append(1)
        if len(arrived) == 3:
            all_in.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_in.wait(), 1.0)
        return web.Response(status=200 if all_in.is_set() else 504)

    runner, port = await _serve({"/gate": handler})
    yield f"http://{LOOPBACK}:{port}/gate"
    await runner.cleanup()


async def test_check_all_runs_concurrently(gate: str) -> None:
    endpoints = {name: parse_endpoint(f"{gate}?{name}") for name in "abc"}
    async with aiohttp.ClientSession() as session:
        results = await check_all(endpoints, timeout=0.5, session=session)
        assert not session.closed
    assert all(result.ok for result in results.values()), results


async def test_check_all_limit_serialises(gate: str) -> None:
    endpoints = {name: parse_endpoint(f"{gate}?{name}") for name in "abc"}
    results = await check_all(endpoints, timeout=0.3, limit=1)
    # one at a time: the first two wait alone and time out, the third finds the others arrived
    assert [r.detail for r in results.values()] == ["timeout", "timeout", "http 200"]
