"""Local stand-ins for Zalo and the office's mail server, for the demo (scripts/develop).

Serves the fake Zalo OA/OAuth/ZNS API (port 8600), the fake Zalo Bot API (8601) and an SMTP
server (8025) on loopback, with the demo office's Zalo users, ZNS template and bot chat.
Everything that arrives is written to an inbox folder (`NNN-email.eml`, `NNN-zalo.json` and
its `.jpg`), and listed at http://127.0.0.1:8600/inbox so you can see what staff and leaders
would have received. The fake's token state is kept in a file beside Home Assistant's
storage, so the rotating refresh token survives a restart of either side.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import itertools
import json
from pathlib import Path
from typing import Any

from aiohttp import web

from .fake_zalo import FakeZalo, FakeZaloBot
from .smtp import LocalSmtpServer

OA_PORT, BOT_PORT, SMTP_PORT = 8600, 8601, 8025
#: Zalo users of the demo OA: An wrote to the OA yesterday, Bình nine days ago (outside the
#: 7-day window: her reminders go by ZNS or email).
DEMO_ZALO_USERS = {"8472615530912": 1, "8472615530999": 9}
DEMO_BOT_TOKEN = "1234567890:demo-bot"
DEMO_BOT_CHAT = "nhom-lanh-dao-ubnd"
DEMO_ZNS_TEMPLATE = "318901"
DEMO_ZNS_PARAMS = {"ten_can_bo", "noi_dung", "thoi_gian"}


class DemoInbox:
    """Numbered files for everything the demo's channels receive."""

    def __init__(self, folder: Path) -> None:
        """Write into `folder` (created if needed), numbering after what is already there."""
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name.split("-")[0]) for p in folder.glob("[0-9]*-*")]
        self._next = itertools.count(max(numbers, default=0) + 1)

    def add(self, kind: str, record: dict[str, Any], image: bytes | None = None) -> Path:
        """Keep one message; return the path of its record."""
        n = next(self._next)
        if image:
            (self.folder / f"{n:03d}-{kind}.jpg").write_bytes(image)
            record = {**record, "image": f"{n:03d}-{kind}.jpg"}
        path = self.folder / f"{n:03d}-{kind}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    def page(self) -> str:
        """An HTML list of the messages, newest first."""
        rows = []
        for path in sorted(self.folder.glob("*.json"), reverse=True):
            record = json.loads(path.read_text(encoding="utf-8"))
            image = record.pop("image", None)
            picture = f'<img src="/inbox/{image}" width="480">' if image else ""
            text = html.escape(json.dumps(record, ensure_ascii=False, indent=1))
            rows.append(f"<h3>{path.stem}</h3><pre>{text}</pre>{picture}")
        return (
            '<!doctype html><meta charset="utf-8"><title>Hộp thư demo</title>'
            "<h1>Tin đã nhận (Zalo giả lập, máy chủ thư cục bộ)</h1>" + "".join(rows)
        )


def _restore(fake: FakeZalo, state: Path) -> None:
    if state.exists():
        fake.restore_token_state(json.loads(state.read_text(encoding="utf-8")))


def _save(fake: FakeZalo, state: Path) -> None:
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps(fake.token_state()), encoding="utf-8")


def oa_app(fake: FakeZalo, inbox: DemoInbox, state: Path) -> web.Application:
    """The fake OA with the inbox page; every accepted message lands in the inbox."""
    app = fake.app()
    seen = {"oa": 0, "zns": 0}

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        for message in fake.sent[seen["oa"] :]:
            inbox.add(
                "zalo-oa", {k: v for k, v in message.items() if k != "image"}, message["image"]
            )
        for message in fake.zns_sent[seen["zns"] :]:
            inbox.add("zalo-zns", dict(message))
        seen.update(oa=len(fake.sent), zns=len(fake.zns_sent))
        _save(fake, state)
        return response

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=inbox.page(), content_type="text/html")

    app.middlewares.append(record)
    app.router.add_get("/inbox", page)
    app.router.add_static("/inbox/", inbox.folder)
    return app


def bot_app(bot: FakeZaloBot, inbox: DemoInbox) -> web.Application:
    """The fake Bot; every accepted message lands in the inbox."""
    app = bot.app()
    seen = [0]

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        for message in bot.sent[seen[0] :]:
            photo = message.get("photo")
            fields = {k: v for k, v in message.items() if not isinstance(v, bytes)}
            inbox.add("zalo-bot", fields, photo if isinstance(photo, bytes) else None)
        seen[0] = len(bot.sent)
        return response

    app.middlewares.append(record)
    return app


class _MailToInbox:
    """Copies each email to the inbox as a record plus its JPEG attachment."""

    def __init__(self, server: LocalSmtpServer, inbox: DemoInbox) -> None:
        self.server, self.inbox, self.seen = server, inbox, 0

    def poll(self) -> None:
        for message in self.server.messages[self.seen :]:
            body = message.get_body(("plain",))
            image = next(
                (
                    part.get_content()
                    for part in message.iter_attachments()
                    if part.get_content_type() == "image/jpeg"
                ),
                None,
            )
            self.inbox.add(
                "email",
                {
                    "from": message["From"],
                    "to": message["To"],
                    "subject": message["Subject"],
                    "text": body.get_content() if body is not None else "",
                },
                image,
            )
        self.seen = len(self.server.messages)


async def serve(inbox_dir: Path, state: Path) -> None:
    """Run the three servers until cancelled."""
    inbox = DemoInbox(inbox_dir)
    fake = FakeZalo(users=dict(DEMO_ZALO_USERS), templates={DEMO_ZNS_TEMPLATE: DEMO_ZNS_PARAMS})
    _restore(fake, state)
    bot = FakeZaloBot(token=DEMO_BOT_TOKEN, chats={DEMO_BOT_CHAT})
    runners = []
    for app, port in ((oa_app(fake, inbox, state), OA_PORT), (bot_app(bot, inbox), BOT_PORT)):
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
    with LocalSmtpServer(port=SMTP_PORT) as smtp:
        mail = _MailToInbox(smtp, inbox)
        print(f"demo channels: Zalo http://127.0.0.1:{OA_PORT}, bot :{BOT_PORT}, SMTP :{SMTP_PORT}")
        print(f"what arrives: http://127.0.0.1:{OA_PORT}/inbox and {inbox_dir}")
        try:
            while True:
                await asyncio.sleep(1)
                mail.poll()
        finally:
            for runner in runners:
                await runner.cleanup()


def main() -> None:
    """Command line: python -m devtools.demo_channels INBOX_DIR STATE_FILE."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inbox", type=Path)
    parser.add_argument("state", type=Path)
    args = parser.parse_args()
    asyncio.run(serve(args.inbox, args.state))


if __name__ == "__main__":
    main()
