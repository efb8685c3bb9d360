"""Screenshots of the running demo with headless Chromium, driven over the DevTools protocol.

    python scripts/screenshots.py --base http://localhost:8069 --out docs/screenshots shots.json

shots.json is a list of {"name", "path", "login"?, "password"?, "width"?, "height"?, "mobile"?,
"fill"?: {css selector: value}, "click"?: css selector or a list of them (clicked in turn),
"submit"?: css selector, "full"?: the whole page, up to "max_height"?, "from"?: css selector (one
screen from that part of the page down), "wait"?: css selector (waited for after loading)}.
scripts/screenshots.sh writes it from the demo database.
"""

import argparse
import base64
import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import requests
import websocket


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_loaded(self, settle=1.5, timeout=30):
        deadline = time.time() + timeout
        time.sleep(0.3)
        while time.time() < deadline:
            if self.js("document.readyState") == "complete":
                break
            time.sleep(0.2)
        time.sleep(settle)

    def goto(self, url, settle=1.5):
        self.call("Page.navigate", url=url)
        self.wait_loaded(settle)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("spec")
    args = parser.parse_args()
    with open(args.spec) as f:
        shots = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    browser = shutil.which("chromium") or shutil.which("google-chrome")
    if not browser:
        raise SystemExit("Chromium is needed for screenshots")

    for shot in shots:
        port = free_port()
        profile = tempfile.mkdtemp(prefix="kh-shot-")
        proc = subprocess.Popen(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={port}",
                "--remote-debugging-address=127.0.0.1",
                "--lang=nl-NL",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # the language of Chromium's own controls (file field, date and number fields): headless
            # Chromium takes it from LANGUAGE, not --lang (Debian: its Dutch is in chromium-l10n)
            env={**os.environ, "LANGUAGE": "nl"},
        )
        try:
            for _ in range(100):
                try:
                    targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=1).json()
                    page_target = next(t for t in targets if t["type"] == "page")
                    break
                except (requests.RequestException, StopIteration, ValueError):
                    time.sleep(0.1)
            else:
                raise SystemExit("Chromium did not start")
            page = Page(page_target["webSocketDebuggerUrl"])
            page.call("Page.enable")
            width, height = shot.get("width", 1280), shot.get("height", 800)
            mobile = shot.get("mobile", width < 600)
            page.call(
                "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile
            )
            # a Dutch phone in the Netherlands: its date, time and number fields read as there
            page.call("Emulation.setLocaleOverride", locale="nl-NL")
            page.call("Emulation.setTimezoneOverride", timezoneId="Europe/Amsterdam")
            page.call("Network.enable")
            page.call("Network.setExtraHTTPHeaders", headers={"Accept-Language": "nl-NL,nl;q=0.9"})
            if shot.get("login"):
                page.goto(f"{args.base}/web/login", settle=0.5)
                password = shot.get("password", shot["login"])
                page.js(
                    f"document.querySelector('input[name=login]').value = {json.dumps(shot['login'])};"
                    f"document.querySelector('input[name=password]').value = {json.dumps(password)};"
                    "document.querySelector('form.oe_login_form').submit();"
                )
                page.wait_loaded(settle=1)
            page.goto(args.base + shot["path"], settle=shot.get("settle", 2))
            if shot.get("wait"):  # the web client draws its view after the page loaded: wait for it
                deadline = time.time() + 60
                check = f"!!document.querySelector({json.dumps(shot['wait'])})"
                while not page.js(check) and time.time() < deadline:
                    time.sleep(0.5)
                time.sleep(1)
            for selector, value in shot.get("fill", {}).items():
                page.js(
                    f"var e = document.querySelector({json.dumps(selector)});"
                    f" if (e) {{ e.value = {json.dumps(value)}; }}"
                )
            clicks = shot.get("click") or []
            for selector in [clicks] if isinstance(clicks, str) else clicks:
                page.js(f"var e = document.querySelector({json.dumps(selector)}); if (e) {{ e.click(); }}")
                page.wait_loaded(settle=1.5)
            if shot.get("submit"):
                page.js(f"document.querySelector({json.dumps(shot['submit'])}).click()")
                page.wait_loaded(settle=2)
            # a phone page must fit its width: say so when something sticks out to the right
            overflow = page.js("document.documentElement.scrollWidth")
            if overflow and overflow > width:
                print(f"WARNING: {shot['name']} is {overflow} px wide, more than {width}")
            full = page.call("Page.getLayoutMetrics")["cssContentSize"]
            shot_height = min(int(full["height"]), shot.get("max_height", 2000)) if shot.get("full") else height
            top = 0
            if shot.get("from"):  # one screen from a part further down the page, as a visitor scrolled to it
                top = page.js(
                    f"var e = document.querySelector({json.dumps(shot['from'])});"
                    " e ? Math.max(0, e.getBoundingClientRect().top + window.scrollY - 16) : 0"
                )
                top = min(int(top or 0), max(0, int(full["height"]) - shot_height))
            png = page.call(
                "Page.captureScreenshot",
                format="png",
                captureBeyondViewport=bool(shot.get("full") or top),
                clip={"x": 0, "y": top, "width": width, "height": shot_height, "scale": 1},
            )
            path = os.path.join(args.out, shot["name"] + ".png")
            with open(path, "wb") as f:
                f.write(base64.b64decode(png["data"]))
            print(path)
        finally:
            proc.terminate()
            proc.wait(10)
            shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
