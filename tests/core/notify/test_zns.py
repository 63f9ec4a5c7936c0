"""ZNS template messages by phone, through the OA client, against the local fake."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from custom_components.quephong_office.core.notify.zalo import (
    ZaloError,
    ZaloOAClient,
    ZaloTokens,
    zns_phone,
)
from devtools.fake_zalo import FakeZalo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 6, 4, 8, 0, tzinfo=VN)
DEAD = "http://127.0.0.1:9"
TEMPLATE = "301254"
DATA = {"ten": "Nguyễn Văn An", "noi_dung": "Đi muộn 12 phút", "ngay": "04/06/2026"}


@pytest.fixture(autouse=True)
def sockets(request: pytest.FixtureRequest) -> None:
    """The fake server listens on loopback (the HA test plugin blocks sockets by default)."""
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")


@pytest.fixture
async def zalo() -> AsyncGenerator[tuple[FakeZalo, str]]:
    fake = FakeZalo(templates={TEMPLATE: {"ten", "noi_dung", "ngay"}}, zns_quota=3)
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    yield fake, str(server.make_url("")).rstrip("/")
    await server.close()


def _client(
    session: aiohttp.ClientSession,
    base: str,
    save: list[ZaloTokens] | None = None,
    expires_in: float = 20,
    on_save: list[str] | None = None,
) -> ZaloOAClient:
    """A client whose OA host is dead: ZNS must go to the business host."""
    saved = [] if save is None else save

    async def save_tokens(tokens: ZaloTokens) -> None:
        saved.append(tokens)

    return ZaloOAClient(
        session,
        app_id="1234567890",
        secret_key="bi-mat",
        tokens=ZaloTokens(
            access_token="at-0",
            refresh_token="rt-0",
            expires_at=NOW + timedelta(hours=expires_in),
        ),
        save_tokens=save_tokens,
        now=lambda: NOW,
        oauth_base=base,
        openapi_base=DEAD,
        business_base=base,
    )


async def test_template_message_is_sent(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    async with aiohttp.ClientSession() as session:
        client = _client(session, base)
        msg_id = await client.send_template("0912 345 678", TEMPLATE, DATA, "nhac-42")
    assert msg_id.startswith("zns-")
    assert fake.zns_sent == [
        {
            "phone": "84912345678",
            "template_id": TEMPLATE,
            "template_data": DATA,
            "tracking_id": "nhac-42",
        }
    ]
    assert fake.zns_quota == 2
    assert fake.refreshes == 0
    assert fake.sent == []  # nothing went to the OA message route


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0912345678", "84912345678"),
        ("0912 345 678", "84912345678"),
        ("0912.345.678", "84912345678"),
        ("+84 912 345 678", "84912345678"),
        ("+84912345678", "84912345678"),
        ("(+84) 912-345-678", "84912345678"),
        ("84912345678", "84912345678"),
        ("84 0912 345 678", "84912345678"),
        ("912345678", "84912345678"),  # a spreadsheet dropped the leading zero
        (" 0387.654.321 ", "84387654321"),
        ("849123456", "84849123456"),  # 9 digits: 084 9123456 without its zero
    ],
)
def test_phone_normalisation(typed: str, expected: str) -> None:
    assert zns_phone(typed) == expected


async def test_normalised_phone_reaches_the_server(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    async with aiohttp.ClientSession() as session:
        client = _client(session, base)
        await client.send_template("+84 387.654.321", TEMPLATE, DATA, "a")
        await client.send_template("84387654321", TEMPLATE, DATA, "b")
    assert [m["phone"] for m in fake.zns_sent] == ["84387654321", "84387654321"]


@pytest.mark.parametrize(
    "phone",
    ["", "091234567", "09123456789", "0012345678", "+1 415 555 0100", "0912-abc-678", "840"],
)
async def test_bad_phone_fails_before_any_call(phone: str) -> None:
    async with aiohttp.ClientSession() as session:
        client = _client(session, DEAD)  # a call would be `cannot_connect`
        with pytest.raises(ZaloError) as err:
            await client.send_template(phone, TEMPLATE, DATA, "x")
    assert (err.value.code, err.value.permanent) == ("invalid_phone", True)


async def test_fake_refusals_are_mapped(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    async with aiohttp.ClientSession() as session:
        client = _client(session, base)
        with pytest.raises(ZaloError) as err:
            await client.send_template("0912345678", "khong-co", DATA, "x")  # -109
        assert (err.value.code, err.value.permanent) == ("template_invalid", True)
        with pytest.raises(ZaloError) as err:
            await client.send_template("0912345678", TEMPLATE, {"ten": "An"}, "x")  # -1122
        assert (err.value.code, err.value.permanent) == ("template_invalid", True)
        assert "ngay" in str(err.value)
        with pytest.raises(ZaloError) as err:
            await client.send_template("0912345678", TEMPLATE, {}, "x")  # -111
        assert (err.value.code, err.value.permanent) == ("template_invalid", True)
        fake.zns_quota = 0
        with pytest.raises(ZaloError) as err:
            await client.send_template("0912345678", TEMPLATE, DATA, "x")  # -115
        assert (err.value.code, err.value.permanent) == ("quota_exceeded", False)
    assert fake.zns_sent == []


@pytest.mark.parametrize(
    ("error", "code", "permanent"),
    [
        (-108, "invalid_phone", True),
        (-109, "template_invalid", True),
        (-131, "template_invalid", True),
        (-115, "quota_exceeded", False),
        (-144, "zns_not_allowed", True),
        (-135, "zns_not_allowed", True),
        (-136, "zns_not_allowed", True),
        (-137, "zns_not_allowed", True),
        (-118, "user_unreachable", True),
        (-32, "rate_limited", False),
        (-100, "zalo_error", False),
        (-230, "zalo_error", False),  # an OA code means nothing on the business host
    ],
)
async def test_error_codes(
    zalo: tuple[FakeZalo, str], error: int, code: str, permanent: bool
) -> None:
    fake, base = zalo
    fake.zns_fail_next = [error]
    async with aiohttp.ClientSession() as session:
        client = _client(session, base)
        with pytest.raises(ZaloError) as err:
            await client.send_template("0912345678", TEMPLATE, DATA, "x")
        assert (err.value.code, err.value.permanent) == (code, permanent)
        assert fake.refreshes == 0
        # the next call goes through
        assert (await client.send_template("0912345678", TEMPLATE, DATA, "y")).startswith("zns-")
    assert [m["tracking_id"] for m in fake.zns_sent] == ["y"]


@pytest.mark.parametrize("token_error", [-216, -124])
async def test_refresh_on_rejected_token_persists_before_use(
    zalo: tuple[FakeZalo, str], token_error: int
) -> None:
    fake, base = zalo
    fake.zns_token_error = token_error
    fake.expire_access_tokens()
    sent_when_saved: list[int] = []
    saved: list[ZaloTokens] = []

    async with aiohttp.ClientSession() as session:
        client = _client(session, base, saved)
        original = client._save

        async def save(tokens: ZaloTokens) -> None:
            sent_when_saved.append(len(fake.zns_sent))
            assert client.tokens.access_token == "at-0"  # not in use yet
            await original(tokens)

        client._save = save
        ids = await asyncio.gather(
            *(client.send_template("0912345678", TEMPLATE, DATA, f"t{i}") for i in range(3))
        )
    assert len(set(ids)) == 3
    assert fake.refreshes == 1  # single flight
    assert sent_when_saved == [0]  # saved before any message used it
    assert [t.refresh_token for t in saved] == ["rt-1"]
    assert fake.refresh_tokens == {"rt-1"}  # rotated: rt-0 is dead
    assert client.tokens.access_token == "at-1"
    assert sorted(m["tracking_id"] for m in fake.zns_sent) == ["t0", "t1", "t2"]


async def test_token_refused_after_refresh(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    fake.zns_fail_next = [-216, -216]
    async with aiohttp.ClientSession() as session:
        client = _client(session, base)
        with pytest.raises(ZaloError) as err:
            await client.send_template("0912345678", TEMPLATE, DATA, "x")
    assert (err.value.code, err.value.permanent) == ("token_rejected", True)
    assert fake.refreshes == 1  # refreshed once, not in a loop


async def test_proactive_refresh_and_long_tracking_id(zalo: tuple[FakeZalo, str]) -> None:
    fake, base = zalo
    saved: list[ZaloTokens] = []
    async with aiohttp.ClientSession() as session:
        client = _client(session, base, saved, expires_in=4)  # within the 5 h margin
        await client.send_template("0912345678", TEMPLATE, DATA, "x" * 60)
    assert fake.refreshes == 1
    assert saved[0].expires_at == NOW + timedelta(seconds=90000)
    assert fake.zns_sent[0]["tracking_id"] == "x" * 48  # the fake refuses over 48 (-1121)


async def test_unreachable_business_host() -> None:
    async with aiohttp.ClientSession() as session:
        client = _client(session, DEAD)
        with pytest.raises(ZaloError) as err:
            await client.send_template("0912345678", TEMPLATE, DATA, "x")
    assert (err.value.code, err.value.permanent) == ("cannot_connect", False)
