"""The Zalo Bot client against the local fake Bot host, which fetches photos itself."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from custom_components.quephong_office.core.notify.zalo import ZaloError
from custom_components.quephong_office.core.notify.zalo_bot import ZaloBotClient
from devtools.fake_zalo import FakeZaloBot

TOKEN = "1234567890:bot-bi-mat"
CHAT = "chat-lanh-dao"
DEAD = "http://127.0.0.1:9"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(256)) * 20 + b"\xff\xd9"


@pytest.fixture(autouse=True)
def sockets(request: pytest.FixtureRequest) -> None:
    """The fake servers listen on loopback (the HA test plugin blocks sockets by default)."""
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")


@pytest.fixture
async def bot() -> AsyncGenerator[tuple[FakeZaloBot, str]]:
    fake = FakeZaloBot(token=TOKEN, chats={CHAT})
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    yield fake, str(server.make_url("")).rstrip("/")
    await server.close()


@pytest.fixture
async def images() -> AsyncGenerator[tuple[str, list[str]]]:
    """A small web server standing in for Home Assistant's signed evidence links."""
    fetched: list[str] = []

    async def jpeg(request: web.Request) -> web.Response:
        fetched.append(request.path_qs)
        return web.Response(body=JPEG, content_type="image/jpeg")

    async def page(request: web.Request) -> web.Response:
        fetched.append(request.path_qs)
        return web.Response(text="<html>Đăng nhập</html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/evidence/anh.jpg", jpeg)
    app.router.add_get("/evidence/login", page)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), fetched
    await server.close()


async def test_get_me(bot: tuple[FakeZaloBot, str]) -> None:
    _fake, base = bot
    async with aiohttp.ClientSession() as session:
        me = await ZaloBotClient(session, token=TOKEN, base=base).get_me()
    assert me["id"] == "1234567890"
    assert me["account_name"] == "ubnd_quephong_bot"


async def test_send_message(bot: tuple[FakeZaloBot, str]) -> None:
    fake, base = bot
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token=TOKEN, base=base + "/")
        first = await client.send_message(CHAT, "Phòng Một cửa: chưa có người trực")
        second = await client.send_message(CHAT, "x")
    assert first.startswith("bot-msg-")
    assert first != second
    assert fake.sent == [
        {"chat_id": CHAT, "text": "Phòng Một cửa: chưa có người trực"},
        {"chat_id": CHAT, "text": "x"},
    ]


async def test_send_photo_is_fetched_by_the_server(
    bot: tuple[FakeZaloBot, str], images: tuple[str, list[str]]
) -> None:
    fake, base = bot
    host, fetched = images
    url = f"{host}/evidence/anh.jpg?sig=abc&exp=1780000000"
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token=TOKEN, base=base)
        message_id = await client.send_photo(CHAT, url, "Ảnh bằng chứng 08:12")
    assert message_id.startswith("bot-msg-")
    assert fetched == ["/evidence/anh.jpg?sig=abc&exp=1780000000"]
    assert fake.sent == [
        {"chat_id": CHAT, "photo_url": url, "photo": JPEG, "caption": "Ảnh bằng chứng 08:12"}
    ]


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/evidence/khong-co.jpg", "HTTP 404"), ("/evidence/login", "not an image")],
)
async def test_send_photo_fails_when_the_server_cannot_get_an_image(
    bot: tuple[FakeZaloBot, str], images: tuple[str, list[str]], path: str, reason: str
) -> None:
    fake, base = bot
    host, _fetched = images
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token=TOKEN, base=base)
        with pytest.raises(ZaloError) as err:
            await client.send_photo(CHAT, host + path, "x")
    assert (err.value.code, err.value.permanent) == ("zalo_error", False)
    assert reason in str(err.value)
    assert fake.sent == []


@pytest.mark.parametrize(
    "url", ["/evidence/anh.jpg", "evidence/anh.jpg", "ftp://example.com/a.jpg", "http://", ""]
)
async def test_photo_url_must_be_absolute_http(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token=TOKEN, base=DEAD)  # a call: cannot_connect
        with pytest.raises(ValueError, match="absolute") as err:
            await client.send_photo(CHAT, url, "x")
    assert not isinstance(err.value, ZaloError)


async def test_text_and_caption_are_cut_to_2000(
    bot: tuple[FakeZaloBot, str], images: tuple[str, list[str]]
) -> None:
    fake, base = bot
    host, _fetched = images
    long = "Nhắc việc. " * 300  # 3,300 characters: the fake refuses over 2,000
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token=TOKEN, base=base)
        await client.send_message(CHAT, long)
        await client.send_photo(CHAT, f"{host}/evidence/anh.jpg", long)
    assert fake.sent[0]["text"] == long[:2000]
    assert fake.sent[1]["caption"] == long[:2000]


async def test_bad_token(bot: tuple[FakeZaloBot, str]) -> None:
    fake, base = bot
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token="1234567890:sai", base=base)
        for call in (client.get_me(), client.send_message(CHAT, "x")):
            with pytest.raises(ZaloError) as err:
                await call
            assert (err.value.code, err.value.permanent) == ("invalid_token", True)
            assert "sai" not in str(err.value)
    assert fake.sent == []


async def test_unknown_chat(bot: tuple[FakeZaloBot, str], images: tuple[str, list[str]]) -> None:
    fake, base = bot
    host, fetched = images
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token=TOKEN, base=base)
        with pytest.raises(ZaloError) as err:
            await client.send_message("chat-la", "x")
        assert (err.value.code, err.value.permanent) == ("chat_unreachable", True)
        with pytest.raises(ZaloError) as err:
            await client.send_photo("chat-la", f"{host}/evidence/anh.jpg", "x")
        assert (err.value.code, err.value.permanent) == ("chat_unreachable", True)
    assert fake.sent == []
    assert fetched == []


async def test_rate_limit_then_through(bot: tuple[FakeZaloBot, str]) -> None:
    fake, base = bot
    fake.rate_limit_next = 1
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token=TOKEN, base=base)
        with pytest.raises(ZaloError) as err:
            await client.send_message(CHAT, "x")
        assert (err.value.code, err.value.permanent) == ("rate_limited", False)
        await client.send_message(CHAT, "y")
    assert fake.sent == [{"chat_id": CHAT, "text": "y"}]


async def test_unreachable_host_hides_the_token() -> None:
    async with aiohttp.ClientSession() as session:
        client = ZaloBotClient(session, token=TOKEN, base=DEAD)
        with pytest.raises(ZaloError) as err:
            await client.get_me()
    assert (err.value.code, err.value.permanent) == ("cannot_connect", False)
    assert "bot-bi-mat" not in str(err.value)


@pytest.mark.parametrize(
    ("status", "body", "code", "permanent"),
    [
        (
            403,
            {"ok": False, "error_code": 403, "description": "Forbidden"},
            "chat_unreachable",
            True,
        ),
        (
            200,
            {"ok": False, "error_code": 400, "description": "User blocked the bot"},
            "chat_unreachable",
            True,
        ),
        (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: text"},
            "zalo_error",
            False,
        ),
        (
            200,
            {"ok": False, "error_code": 401, "description": "Unauthorized"},
            "invalid_token",
            True,
        ),
        (401, "Unauthorized", "invalid_token", True),
        (429, {"ok": False, "description": "Too Many Requests"}, "rate_limited", False),
        (502, "<html>Bad gateway</html>", "zalo_error", False),
        (500, {"ok": True, "result": {"message_id": "m"}}, "zalo_error", False),
        (200, {"ok": True, "result": {}}, "zalo_error", False),  # no message id
    ],
)
async def test_answers_are_mapped(status: int, body: Any, code: str, permanent: bool) -> None:
    async def answer(_request: web.Request) -> web.Response:
        if isinstance(body, str):
            return web.Response(status=status, text=body)
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_post(f"/bot{TOKEN}/sendMessage", answer)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            client = ZaloBotClient(session, token=TOKEN, base=str(server.make_url("")))
            with pytest.raises(ZaloError) as err:
                await client.send_message(CHAT, "x")
    finally:
        await server.close()
    assert (err.value.code, err.value.permanent) == (code, permanent)
