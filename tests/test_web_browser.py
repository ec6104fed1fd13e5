"""End to end in a real browser: Debian's chromium driven by Playwright (the system browser,
never a downloaded one) against `netrawat serve` on the lab, over real SSH.

An engineer logs in and reads the dashboard after a preventive run, starts a health run and
sees its result come in, opens a request, downloads the report book as xlsx; a viewer cannot
start runs. Screenshots go to the test's directory, and to ``$NETRAWAT_SCREENSHOTS`` when set
(``NETRAWAT_SCREENSHOTS=docs/screenshots`` refreshes the README's pictures).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netrawat.accounts.users import add_user
from netrawat.cli.main import run as cli
from netrawat.recap import open_store
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ENGINEER = ("budi", "kopi pagi di tepi Kapuas")
VIEWER = ("ani", "teh sore di tepi Landak")
NUMBER = "051/112/Dinkes/XI/2026"


def _browser_or_skip() -> Any:
    if not CHROMIUM.exists():
        pytest.skip(
            "no /usr/bin/chromium: the browser test needs Debian's chromium "
            "(make test installs it when run as root: apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        pytest.skip("playwright (python) is not installed: make venv installs the dev extra")
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(lab: Lab, tmp_path: Path) -> Iterator[str]:
    """`netrawat serve` (with its worker) on a state that had a preventive run; its URL."""
    state = StateDir.resolve(tmp_path / "state")
    env = {
        **os.environ,
        "NETRAWAT_STATE": str(state.root),
        "NETRAWAT_INVENTORY": str(lab.inventory),
        "NETRAWAT_SECRETS": str(lab.secrets),
    }
    common = ["--inventory", str(lab.inventory), "--state", str(state.root)]
    common += ["--secrets", str(lab.secrets)]
    assert cli(["preventive", "--opd", "dinkes", "--trust-new-hosts", *common]) in (0, 1)
    store = open_store(state)
    try:
        add_user(store, ENGINEER[0], "engineer", ENGINEER[1], by="test")
        add_user(store, VIEWER[0], "viewer", VIEWER[1], by="test")
    finally:
        store.close()
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "netrawat", "serve", "--listen", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, server, tmp_path / "serve.log")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _wait_for(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"netrawat serve exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail("netrawat serve did not answer within 60 s")


class Shots:
    """Screenshots into the test directory (and $NETRAWAT_SCREENSHOTS when set)."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.also = os.environ.get("NETRAWAT_SCREENSHOTS")

    def take(self, page: Any, name: str) -> None:
        path = self.where / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if self.also:
            Path(self.also).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(self.also) / path.name)


def _login(page: Any, url: str, user: tuple[str, str]) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", user[0])
    page.fill("#password", user[1])
    page.click("#login-submit")
    page.wait_for_url(f"{url}/")


def test_console_in_a_real_browser(served: str, tmp_path: Path) -> None:
    sync_playwright = _browser_or_skip()
    shots = Shots(tmp_path)
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.set_default_timeout(30_000)
            _engineer(page, served, shots, tmp_path)
            _viewer(browser.new_page(), served)
        finally:
            browser.close()


def _engineer(page: Any, url: str, shots: Shots, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    _login(page, url, ENGINEER)
    # the dashboard after the preventive run: every dinkes device with a grade and a backup
    row = page.locator('tr[data-device="RTR-DINKES"]')
    assert row.count() == 1 and "dinkes" in page.inner_text("#opd-dinkes h2")
    assert "belum pernah" not in row.inner_text()  # backed up by the preventive run
    shots.take(page, "dashboard")
    # a health run started from the page, followed live until its result shows
    page.goto(f"{url}/runs?host=RTR-DINKES")
    page.select_option("#run-playbook", "health")
    page.click("#run-submit")
    page.wait_for_url(f"{url}/jobs/*")
    expect(page.locator("#job-status")).to_have_text("done", timeout=90_000)
    assert page.locator('#job-hosts tr[data-host="RTR-DINKES"]').count() == 1
    assert page.is_visible("#job-run")
    shots.take(page, "health-run")
    page.click("#job-run")
    assert "budi" in page.inner_text("main")  # the recap names the web user
    # a request opened from the page
    page.goto(f"{url}/requests")
    page.fill("#req-number", NUMBER)
    page.select_option("#req-opd", "dinkes")
    page.fill("#req-summary", "Internet lambat di ruang rapat")
    page.click("#req-submit")
    assert page.inner_text("#request-status") == "terbuka"
    shots.take(page, "request")
    # the device page and the report book, downloaded as xlsx
    page.goto(f"{url}/devices/RTR-DINKES")
    shots.take(page, "device")
    page.goto(f"{url}/report")
    with page.expect_download() as download:
        page.click("#download-xlsx")
    saved = tmp_path / "rekap.xlsx"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    shots.take(page, "report")
    page.click("#lang-switch")
    assert "Report book" in page.inner_text("main")


def _viewer(page: Any, url: str) -> None:
    _login(page, url, VIEWER)
    page.goto(f"{url}/runs")
    assert page.locator("#run-submit").count() == 0 and page.is_visible("#viewer-note")
    status = page.evaluate(
        """async () => {
            const csrf = document.querySelector('input[name=csrf]').value;
            const body = new URLSearchParams({csrf, playbook: 'health', host: 'RTR-DINKES'});
            const reply = await fetch('/runs', {method: 'POST', body});
            return reply.status;
        }"""
    )
    assert status == 403
