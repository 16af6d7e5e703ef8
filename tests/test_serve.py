"""`dealmon serve` in a real browser: headless Chromium from the system packages, driven by
Selenium. What the page shows is read from the bytes the monitor sends it (the terminal draws
on a canvas): a script installed before the page loads records every websocket message.

The page loads with the three panes and the seed deal; keys typed in the page move the as-of
date and open the details; a file edit shows; closing the tab ends that monitor's process; the
sessions are bounded; a non-loopback address needs --public."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

from tui.app import DealmonApp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
INSTALL = ("needs Chromium and its driver: apt-get install chromium chromium-driver "
           "(and pip install selenium, in the test extras); .ci/run installs them")

RECORD = """
window.__dealmon = [];
const Native = window.WebSocket, decoder = new TextDecoder();
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (event) => {
      const data = event.data;
      if (typeof data === 'string') window.__dealmon.push(data);
      else if (data instanceof ArrayBuffer) window.__dealmon.push(decoder.decode(data, {stream: true}));
      else if (data instanceof Blob) data.arrayBuffer().then((b) => window.__dealmon.push(decoder.decode(b, {stream: true})));
    });
  }
};
"""
ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def monitors(marker: str) -> list[int]:
    """The pids of served monitors whose command line holds `marker` (their config path)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"--served" in cmdline and any(marker.encode() in part for part in cmdline):
                out.append(int(entry.name))
    return out


def wait_for(predicate, timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Served:
    def __init__(self, config: str, port: int, process: subprocess.Popen[str]) -> None:
        self.config, self.port, self.process = config, port, process
        self.url = f"http://127.0.0.1:{port}/"


def start_server(tmp_path, *extra: str) -> Served:
    config = tmp_path / "config"
    if not config.exists():
        shutil.copytree(REPO / "config", config)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tui", "serve", str(config), "--port", str(port),
                                "--as-of", "2026-12-03", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    served = Served(str(config), port, process)

    def up() -> bool:
        try:
            with urllib.request.urlopen(served.url, timeout=1):
                return True
        except (urllib.error.URLError, OSError):
            return False
    wait_for(up, what="the server to answer")
    return served


def stop_server(served: Served) -> None:
    served.process.send_signal(signal.SIGINT)
    try:
        served.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        served.process.kill()
    wait_for(lambda: not monitors(served.config), what="every monitor process to end with the server")


@pytest.fixture
def server(tmp_path):
    served = start_server(tmp_path, "--max-sessions", "1")
    yield served
    stop_server(served)


@pytest.fixture
def browser():
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(INSTALL)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip(INSTALL)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD})
    yield driver
    driver.quit()


class Page:
    """One tab showing the monitor: what it received, and keys typed into it."""

    def __init__(self, driver, url: str) -> None:
        self.driver = driver
        driver.get(url)
        self.handle = driver.current_window_handle

    def text(self) -> str:
        return ESCAPES.sub("", "".join(self.driver.execute_script("return window.__dealmon || []")))

    def seen(self, *words: str, timeout: float = 20.0) -> None:
        wait_for(lambda: all(w in self.text() for w in words), timeout, f"{words} in the page")

    def type(self, keys: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, "textarea.xterm-helper-textarea").send_keys(keys)


def test_the_monitor_in_a_browser(server, browser):
    page = Page(browser, server.url)
    page.seen("Deal terms", "Countdowns", "Capacity", "anthropic-spacex", "as of 2026-12-03")
    assert len(monitors(server.config)) == 1
    page.type("]")  # as-of + 1 day
    page.seen("as of 2026-12-04")
    page.type("\n")  # the selected deal's details
    page.seen("Computed dates (how each was derived)")
    page.type("\x1b")  # back
    # a file edit shows in the browser (live reload in the served monitor)
    deals = Path(server.config) / "deals.yaml"
    deals.write_text(deals.read_text(encoding="utf-8").replace("end: 2029-05-31", "end: 2029-04-30"),
                     encoding="utf-8")
    page.seen("2029-04-30")
    # closing the tab ends its monitor
    browser.switch_to.new_window("tab")
    browser.switch_to.window(page.handle)
    browser.close()
    wait_for(lambda: not monitors(server.config), what="the tab's monitor process to end")


def test_sessions_are_bounded_with_a_clear_page(server, browser):
    page = Page(browser, server.url)
    page.seen("anthropic-spacex")
    with pytest.raises(urllib.error.HTTPError) as busy:
        urllib.request.urlopen(server.url, timeout=5)
    assert busy.value.code == 503
    body = busy.value.read().decode()
    assert "All 1 dealmon sessions on this server are in use" in body
    browser.switch_to.new_window("tab")
    browser.switch_to.window(page.handle)
    browser.close()
    wait_for(lambda: not monitors(server.config), what="the session to end")
    with urllib.request.urlopen(server.url, timeout=5) as ok:
        assert ok.status == 200


def test_another_address_needs_public(tmp_path):
    refused = subprocess.run([sys.executable, "-m", "tui", "serve", "--host", "0.0.0.0", "--port", str(free_port())],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("dealmon serve: refusing to listen on 0.0.0.0")
    assert "ssh -L 8000:localhost:8000" in refused.stderr
    port = free_port()
    public = subprocess.Popen([sys.executable, "-m", "tui", "serve", "--host", "0.0.0.0", "--port", str(port),
                               "--public"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert public.stderr is not None
        warning = public.stderr.readline()
        assert "there is NO authentication" in warning and f"ssh -L {port}:localhost:{port}" in warning
    finally:
        public.send_signal(signal.SIGINT)
        public.wait(timeout=15)


async def test_the_served_app_saves_nothing(tmp_path):
    app = DealmonApp([str(REPO / "config")], served=True, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Theme" in titles
        app.action_screenshot()
        with pytest.raises(PermissionError):
            app.save_screenshot(path=str(tmp_path))
        assert app.deliver_screenshot(path=str(tmp_path)) is None
        await pilot.pause()
        assert list(tmp_path.iterdir()) == []
    terminal = DealmonApp([str(REPO / "config")], watch=False)
    async with terminal.run_test(size=(100, 30)):
        assert "Screenshot" in [c.title for c in terminal.get_system_commands(terminal.screen)]
