"""End to end: the leaders' dashboard in a real Home Assistant, seen in headless Chromium.

Starts Home Assistant on a copy of the develop config (the demo office, its cameras streamed
from local clips), completes onboarding through the HTTP API, asks the integration for the
office's dashboard (`quephong_office.dashboard`), saves it as a new dashboard, opens each
view in Chromium at phone and desktop widths, writes screenshots to a folder, and fails when
a card shows an error or an entity is missing.

    python -m devtools.e2e_dashboard [--out artifacts/e2e]

Home Assistant listens on its default port 8123 (a different port set in YAML makes the
frontend ask to confirm the HTTP settings): stop scripts/develop first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp

from .demo_office import install
from .scene import render_scene
from .streams import StreamServer

ROOT = Path(__file__).resolve().parents[1]
PORT = 8123
SIZES = {"phone": (390, 844), "desktop": (1600, 1800)}
VIEWS = ("hom-nay", "hop-truc-tuyen")
#: Finds, through every shadow root, the cards that failed and the "entity not available"
#: warnings; returns their texts.
FIND_PROBLEMS = """
const found = [];
const walk = (root) => {
  root.querySelectorAll('*').forEach((el) => {
    const tag = el.tagName.toLowerCase();
    if (tag === 'hui-error-card' || tag === 'hui-warning' || tag === 'hui-warning-element') {
      found.push(tag + ': ' + (el.innerText || el.shadowRoot?.textContent || '').trim());
    }
    if (el.shadowRoot) walk(el.shadowRoot);
  });
};
walk(document);
return found;
"""
#: Counts the cards that rendered (so that an empty page does not pass).
COUNT_CARDS = """
let n = 0;
const walk = (root) => {
  root.querySelectorAll('*').forEach((el) => {
    if (el.tagName.toLowerCase() === 'ha-card') n += 1;
    if (el.shadowRoot) walk(el.shadowRoot);
  });
};
walk(document);
return n;
"""


def _request(url: str, data: dict[str, Any] | None = None, *, form: bool = False) -> Any:
    body = None
    headers = {}
    if data is not None and form:
        body = urllib.parse.urlencode(data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def onboard(base: str) -> dict[str, Any]:
    """Create the owner through the onboarding API; return the token answer."""
    for _ in range(300):
        try:
            _request(f"{base}/api/onboarding")
            break
        except OSError:
            time.sleep(1)
    else:
        raise RuntimeError("Home Assistant did not start")
    client = f"{base}/"
    user = _request(
        f"{base}/api/onboarding/users",
        {
            "client_id": client,
            "name": "Quản trị",
            "username": "admin",
            "password": "quephong-e2e",
            "language": "vi",
        },
    )
    tokens: dict[str, Any] = _request(
        f"{base}/auth/token",
        {"grant_type": "authorization_code", "code": user["auth_code"], "client_id": client},
        form=True,
    )
    for step, data in (
        ("core_config", {}),
        ("analytics", {}),
        ("integration", {"client_id": client, "redirect_uri": client}),
    ):
        request = urllib.request.Request(
            f"{base}/api/onboarding/{step}",
            data=json.dumps(data).encode(),
            headers={
                "Authorization": f"Bearer {tokens['access_token']}",
                "Content-Type": "application/json",
            },
        )
        urllib.request.urlopen(request, timeout=30).close()
    return tokens


async def save_dashboard(base: str, token: str) -> dict[str, Any]:
    """Ask the integration for the office's dashboard and save it as a new dashboard."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{base}/api/websocket") as ws,
    ):
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": token})
        assert (await ws.receive_json())["type"] == "auth_ok"
        counter = iter(range(1, 1000))

        async def call(message: dict[str, Any]) -> Any:
            await ws.send_json({"id": next(counter), **message})
            answer = await ws.receive_json()
            if not answer.get("success", False):
                raise RuntimeError(f"{message['type']}: {answer}")
            return answer["result"]

        for _ in range(60):  # the office may still be loading
            entries = await call({"type": "config_entries/get", "domain": "quephong_office"})
            if entries and entries[0]["state"] == "loaded":
                break
            await asyncio.sleep(1)
        office = entries[0]["entry_id"]
        result = await call(
            {
                "type": "call_service",
                "domain": "quephong_office",
                "service": "dashboard",
                "service_data": {"config_entry_id": office},
                "return_response": True,
            }
        )
        config: dict[str, Any] = result["response"]["config"]
        await call(
            {
                "type": "lovelace/dashboards/create",
                "url_path": "quephong-office",
                "title": "Quế Phong Office",
                "icon": "mdi:office-building",
                "show_in_sidebar": True,
                "require_admin": False,
                "mode": "storage",
            }
        )
        await call(
            {"type": "lovelace/config/save", "url_path": "quephong-office", "config": config}
        )
        return config


#: The evidence card: whether it rendered, its pictures (loaded or not) and its note.
EVIDENCE_CARD = """
const cards = [];
const walk = (root) => {
  root.querySelectorAll('*').forEach((el) => {
    if (el.tagName.toLowerCase() === 'quephong-evidence-card') cards.push(el);
    if (el.shadowRoot) walk(el.shadowRoot);
  });
};
walk(document);
return cards.map((card) => {
  const root = card.shadowRoot;
  const images = root ? [...root.querySelectorAll('img')] : [];
  return {
    rendered: !!(root && root.querySelector('ha-card')),
    images: images.length,
    loaded: images.filter((img) => img.complete && img.naturalWidth > 0).length,
    note: root?.querySelector('.note')?.textContent || '',
  };
});
"""


def _evidence_problems(cards: list[dict[str, Any]]) -> list[str]:
    """What is wrong with the evidence cards of a view (none is expected on some views)."""
    problems = []
    for card in cards:
        if not card["rendered"]:
            problems.append("evidence card: not rendered")
        elif card["loaded"] < card["images"]:
            problems.append(f"evidence card: {card['images'] - card['loaded']} pictures not loaded")
        elif card["note"].startswith(("Không tải", "Could not")):
            problems.append(f"evidence card: {card['note']}")
    return problems


def screenshots(base: str, tokens: dict[str, Any], out: Path) -> list[str]:
    """Open every view at every size; return the problems found."""
    from selenium import webdriver  # noqa: PLC0415 - installed by scripts/e2e
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=vi"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(
        service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options
    )
    problems: list[str] = []
    try:
        driver.get(f"{base}/")
        stored = {
            "hassUrl": base,
            "clientId": f"{base}/",
            "expires": int(time.time() * 1000) + tokens["expires_in"] * 1000,
            "refresh_token": tokens["refresh_token"],
            "access_token": tokens["access_token"],
            "token_type": "Bearer",
            "expires_in": tokens["expires_in"],
        }
        driver.execute_script(
            "localStorage.setItem('hassTokens', arguments[0]);"
            "localStorage.setItem('selectedLanguage', '\"vi\"');",
            json.dumps(stored),
        )
        for size, (width, height) in SIZES.items():
            driver.set_window_size(width, height)
            for view in VIEWS:
                driver.get(f"{base}/quephong-office/{view}")
                cards = 0
                for _ in range(40):  # wait for the cards (and the cameras' first pictures)
                    time.sleep(0.5)
                    cards = int(driver.execute_script(COUNT_CARDS))
                    if cards:
                        break
                time.sleep(6)
                path = out / f"{view}-{size}.png"
                driver.save_screenshot(str(path))
                found = list(driver.execute_script(FIND_PROBLEMS))
                evidence = list(driver.execute_script(EVIDENCE_CARD))
                found += _evidence_problems(evidence)
                if view == VIEWS[0] and not evidence:
                    found.append("evidence card: missing")
                problems += [f"{view} ({size}): {p}" for p in found]
                if not cards:
                    problems.append(f"{view} ({size}): no card rendered")
                pictures = sum(card["images"] for card in evidence)
                print(f"{path}: {cards} cards, {pictures} evidence pictures, {len(found)} problems")
    finally:
        driver.quit()
    return problems


def main() -> int:
    """Command line entry point; exit status 1 when the dashboard shows a problem."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "e2e")
    args = parser.parse_args()
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            print(f"port {PORT} is in use (is scripts/develop running?): stop it first")
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="quephong-e2e-"))
    config = work / "config"
    clips = work / "clips"
    config.mkdir()
    clips.mkdir()
    shutil.copy(ROOT / "config" / "configuration.yaml", config / "configuration.yaml")
    (config / "custom_components").symlink_to(ROOT / "custom_components")
    for clip in ("one_stop", "gate", "hall"):
        cached = ROOT / "config" / "demo" / f"{clip}.mp4"
        if cached.exists():
            shutil.copy(cached, clips / f"{clip}.mp4")
        else:
            render_scene(clips / f"{clip}.mp4", kind=clip, seconds=20, fps=10, size=(640, 360))
    streams = StreamServer({p.stem: p for p in clips.glob("*.mp4")})
    streams.start()
    install(config, f"http://127.0.0.1:{streams.port}")
    base = f"http://127.0.0.1:{PORT}"
    log = (work / "home-assistant.log").open("w")
    hass = subprocess.Popen(
        [sys.executable, "-m", "homeassistant", "--config", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        tokens = onboard(base)
        config_saved = asyncio.run(save_dashboard(base, tokens["access_token"]))
        (args.out / "dashboard.json").write_text(
            json.dumps(config_saved, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        problems = screenshots(base, tokens, args.out)
    finally:
        hass.terminate()
        try:
            hass.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hass.kill()
        streams.stop()
        log.close()
    if problems:
        print("the dashboard shows problems:")
        print("\n".join(f"  {p}" for p in problems))
        print(f"Home Assistant's log: {work / 'home-assistant.log'}")
        return 1
    print(f"dashboard OK; screenshots in {args.out}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
