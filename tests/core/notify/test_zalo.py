"""The Zalo OA client against a local fake that follows Zalo's documented contract."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from custom_components.quephong_office.core.notify.zalo import ZaloError, ZaloOAClient, ZaloTokens
from devtools.fake_zalo import FakeZalo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 6, 4, 8, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def sockets(request: pytest.FixtureRequest) -> None:
    """The fake server listens on loopback (the HA test plugin blocks sockets by default)."""
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")


@pytest.fixture
async def zalo() -> AsyncGenerator[tuple[FakeZalo, str]]:
    fake = FakeZalo(users={"u-an": 1, "u-binh": 9, "u-cuong": None})
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    yield fake, str(server.make_url("")).rstrip("/")
    await server.close()


async def _client(
    base: str, saved: list[ZaloTokens], expires_in: float = 20
) -> tuple[ZaloOAClient, aiohttp.ClientSession]:
    session = aiohttp.ClientSession()

    async def save(tokens: ZaloTokens) -> None:
        saved.append(tokens)

    tokens = ZaloTokens(
        access_token="at-0", refresh_token="rt-0", expires_at=NOW + timedelta(hours=expires_in)
    )
    client = ZaloOAClient(
        session,
        app_id="1234567890",
        secret_key="bi-mat",
        tokens=tokens,
        save_tokens=save,
        now=lambda: NOW,
        oauth_base=base,
        openapi_base=base,
    )
    return client, session


async def test_text_and_image_messages(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    saved: list[ZaloTokens] = []
    client, session = await _client(base, saved)
    async with session:
        assert (await client.send("u-an", "Nhắc nhở: đi muộn 12 phút")).startswith("msg-")
        image = b"\xff\xd8" + b"x" * 5000
        await client.send("u-an", "Ảnh bằng chứng", image)
    assert fake.sent == [
        {"user_id": "u-an", "text": "Nhắc nhở: đi muộn 12 phút", "image": None},
        {"user_id": "u-an", "text": "Ảnh bằng chứng", "image": image},
    ]
    assert saved == []  # the token was fresh: no refresh


async def test_refresh_rotates_persists_first_and_happens_once(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    saved: list[ZaloTokens] = []
    client, session = await _client(base, saved)
    fake.expire_access_tokens()  # -216 on the next call
    async with session:
        await asyncio.gather(*(client.send("u-an", f"tin {i}") for i in range(5)))
    assert fake.refreshes == 1
    assert [t.refresh_token for t in saved] == ["rt-1"]
    assert fake.refresh_tokens == {"rt-1"}  # rt-0 was single use
    assert len(fake.sent) == 5
    # a client still holding the old refresh token is refused: a new pair is needed
    old, session = await _client(base, [], expires_in=1)
    async with session:
        with pytest.raises(ZaloError) as err:
            await old.send("u-an", "x")
    assert (err.value.code, err.value.permanent) == ("refresh_rejected", True)


async def test_proactive_refresh_before_expiry(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    saved: list[ZaloTokens] = []
    client, session = await _client(base, saved, expires_in=4)  # within the 5 h margin
    async with session:
        await client.send("u-an", "x")
    assert fake.refreshes == 1
    assert saved[0].expires_at == NOW + timedelta(seconds=90000)
    assert client.tokens.access_token == "at-1"


@pytest.mark.parametrize(
    ("user", "code", "permanent"),
    [("u-binh", "outside_window", True), ("u-cuong", "not_follower", True)],
)
async def test_recipient_refusals_are_permanent(
    zalo: tuple[FakeZalo, str], user: str, code: str, permanent: bool
) -> None:
    _fake, base = zalo
    client, session = await _client(base, [])
    async with session:
        with pytest.raises(ZaloError) as err:
            await client.send(user, "x")
    assert (err.value.code, err.value.permanent) == (code, permanent)


async def test_rate_limit_and_unreachable(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    fake.rate_limit_next = 1
    client, session = await _client(base, [])
    async with session:
        with pytest.raises(ZaloError) as err:
            await client.send("u-an", "x")
        assert (err.value.code, err.value.permanent) == ("rate_limited", False)
        await client.send("u-an", "x")  # the next minute it goes through
    dead, session = await _client("http://127.0.0.1:9", [])
    async with session:
        with pytest.raises(ZaloError) as err:
            await dead.send("u-an", "x")
    assert err.value.code == "cannot_connect"


def test_the_fake_keeps_its_token_state_across_a_restart() -> None:
    fake = FakeZalo()
    fake.refresh_tokens = {"rt-7"}
    state = fake.token_state()
    again = FakeZalo()
    again.restore_token_state(state)
    assert again.refresh_tokens == {"rt-7"}
    assert again.token_state()["next"] == state["next"]  # numbering goes on, no reuse
