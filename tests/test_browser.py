"""Open the `finnews show` pages and the eval report in headless Chromium and check what it renders.

Chromium is driven through the DevTools protocol over `--remote-debugging-pipe` (file descriptors
3 and 4, NUL-separated JSON), so nothing beyond the standard library and the browser is needed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    """The Chromium executable on PATH, or None."""
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


class Browser:
    """A headless Chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self, executable: str, profile: Path, width: int = 1280, height: int = 900) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_pipes() -> None:  # in the child: our pipe ends become its fds 3 (read) and 4 (write)
            read_end = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire_pipes,  # noqa: PLW1509 - the test starts no threads before this
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self.events: list[dict] = []
        self._inbox: queue.Queue[dict | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=self.session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=self.session,
        )

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_child, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._inbox.put(json.loads(message))
        self._inbox.put(None)

    def _pump(self, deadline: float) -> None:
        message = self._inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
        if message is None:
            raise RuntimeError("Chromium closed the DevTools pipe")
        if "id" in message:
            self._replies[message["id"]] = message
        else:
            self.events.append(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30):
        """Send one DevTools command and return its result."""
        self._next_id += 1
        command = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self._to_child, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while self._next_id not in self._replies:
            self._pump(deadline)
        reply = self._replies.pop(self._next_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def open(self, path: Path, timeout: float = 30) -> None:
        """Load a file and wait for its load event."""
        seen = len(self.events)
        self.call("Page.navigate", {"url": path.resolve().as_uri()}, session=self.session)
        deadline = time.monotonic() + timeout
        while not any(e["method"] == "Page.loadEventFired" for e in self.events[seen:]):
            self._pump(deadline)

    def evaluate(self, expression: str):
        """Evaluate JavaScript in the page and return its JSON value."""
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=self.session
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        """Uncaught exceptions, console.error calls and browser log errors seen so far."""
        errors = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                errors.append(json.dumps(params.get("exceptionDetails", {}))[:500])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
                errors.append(json.dumps(params.get("args", []))[:500])
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                errors.append(params["entry"].get("text", ""))
        return errors

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        """Save a PNG of the viewport (or the whole page)."""
        params: dict = {"format": "png"}
        if full_page:
            size = self.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": size[0], "height": min(size[1], 6000), "scale": 1},
            )
        data = self.call("Page.captureScreenshot", params, session=self.session)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Close the browser and reap it."""
        try:
            self.call("Browser.close", timeout=5)
        except (RuntimeError, queue.Empty, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = find_chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium chromium-driver)")
    instance = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield instance
    instance.close()


TEXT = 'Tencent <Holdings> fell 3% & "AT&T" rose 2%.\nSouthbound investors bought HK$900 million.\n'


def shot(browser: Browser, tmp_path: Path, name: str) -> Path:
    """Screenshot the page into the test's tmp dir (and into $FINNEWS_SCREENSHOT_DIR when set)."""
    path = browser.screenshot(tmp_path / name)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("FINNEWS_SCREENSHOT_DIR"):
        target = Path(os.environ["FINNEWS_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / name)
    return path


def record(article_id: str, n: int, needle: str, rtype: str, **fields) -> dict:
    start = TEXT.index(needle)
    common = {"article_id": article_id, "record_id": f"{article_id}:{n}", "type": rtype, "text": needle}
    return {
        **common,
        "start": start,
        "end": start + len(needle),
        "sentence": "",
        "narratives": [],
        "extractor": f"test:{rtype}",
        "confidence": 0.9,
        **fields,
    }


def show_items() -> list:
    moves = [
        record(
            "a1",
            0,
            "Tencent <Holdings> fell 3%",
            "price_move",
            subject="Tencent",
            ticker="0700.HK",
            direction="down",
            pct=3.0,
        ),
        record(
            "a1",
            1,
            "Tencent <Holdings>",
            "mention",
            name="Tencent <Holdings>",
            canonical="Tencent",
            ticker="0700.HK",
            entity_kind="company",
        ),
        record("a1", 2, '"AT&T" rose 2%', "price_move", subject="AT&T", ticker="T", direction="up", pct=2.0),
        record(
            "a1",
            3,
            "bought HK$900 million",
            "money_flow",
            channel="southbound",
            direction="net_buy",
            amount=9e8,
            currency="HKD",
        ),
    ]
    articles = [
        {
            "article_id": "a1",
            "text": TEXT,
            "title": "Moves <&> flows",
            "narratives": [
                {"label": "policy_fear", "score": 0.81},
                {"label": "capital_flows", "score": 0.64},
            ],
        },
        {"article_id": "a/2", "text": TEXT, "title": None, "narratives": []},
    ]
    return [(articles[0], moves), (articles[1], [])]


def test_browser_show_pages_render_highlights(browser, tmp_path):
    from pipeline.show import write_show

    written = write_show(show_items(), tmp_path / "out.html")
    browser.open(written[0])
    assert browser.evaluate("document.querySelectorAll('a[href^=\"out_files/\"]').length") == 2
    shot(browser, tmp_path, "show_index.png")

    browser.open(written[1])
    assert browser.evaluate("document.querySelector('.doc').textContent") == TEXT
    counts = browser.evaluate(
        "['.hl', '.hl.t-price_move', '.hl.t-mention', '.hl.t-money_flow', '.labrow .lab', 'tr.rec', '.badge']"
        ".map(s => document.querySelectorAll(s).length)"
    )
    # pieces: [Tencent <Holdings>] [ fell 3%] ["AT&T" rose 2%] [bought HK$900 million]
    assert counts == [4, 3, 1, 1, 3, 4, 2]
    # the bars are drawn and the highlights have a size on screen
    assert "linear-gradient" in browser.evaluate(
        "getComputedStyle(document.querySelector('.hl.t-price_move')).backgroundImage"
    )
    assert browser.evaluate("document.querySelector('.hl.t-money_flow').getBoundingClientRect().width") > 20
    # hovering a record's row lights up its highlight
    browser.evaluate("document.getElementById('rec-r3').dispatchEvent(new MouseEvent('mouseenter'))")
    assert browser.evaluate("document.querySelectorAll('.hl.active').length") >= 1
    shot(browser, tmp_path, "show_article.png")
    assert browser.console_errors() == []


def test_browser_eval_report_renders_charts(browser, tmp_path):
    from test_report import build, sentences

    from pipeline.html_page import write_page
    from pipeline.html_report import render_eval_report

    path = tmp_path / "report.html"
    write_page(path, render_eval_report(build(), sentences()))
    browser.open(path)
    images = browser.evaluate(
        "[...document.querySelectorAll('img')].map(i => [i.src.slice(0, 22), i.naturalWidth])"
    )
    assert len(images) == 2
    assert all(src == "data:image/png;base64," and width > 100 for src, width in images)
    assert browser.evaluate("document.querySelectorAll('mark.ev').length") == 2
    assert browser.evaluate("document.querySelectorAll('table.confusion tbody tr').length") == 6
    shot(browser, tmp_path, "eval_report.png")
    assert browser.console_errors() == []
