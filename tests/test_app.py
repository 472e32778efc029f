"""The self-guided app in a real headless Chromium, used the way a job seeker would use it.

One app server (Voilà) per module on a copy of an example record; each test opens a fresh
page. On a machine without Chromium these tests skip and say why; under CI (``CI=true``) a
missing browser fails them instead. A failing test leaves a screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from afterview import app, store
from afterview.record import Record

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
EXAMPLE = ROOT / "examples" / "ada-okafor-panel.yaml"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 60_000  # the first page of a fresh kernel on a busy 2-core machine


def chromium_or_skip() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "no Chromium on this machine (Debian: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the browser tests, not skip them")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_or_skip()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[app.AppProcess]:
    folder = tmp_path_factory.mktemp("client")
    record = folder / EXAMPLE.name
    shutil.copy(EXAMPLE, record)
    with app.start(record) as running:
        yield running


class Visit:
    """One browser tab on the app, with every request it made."""

    def __init__(self, page: Any, server: app.AppProcess) -> None:
        self.page = page
        self.server = server
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def open(self, url: str | None = None) -> Any:
        self.page.goto(url or self.server.url)
        self.wait_for_page()
        return self.page

    def reload(self) -> Any:
        self.page.reload()
        self.wait_for_page()
        return self.page

    def wait_for_page(self) -> None:
        self.page.get_by_role("heading", name="Your interview debrief").wait_for(timeout=WAIT_MS)

    def record(self) -> Record:
        return store.load(self.server.record)

    def until_saved(self, check: Callable[[Record], bool], timeout: float = 15.0) -> Record:
        """Wait until the record on disk satisfies ``check`` (the page saves as it goes)."""
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(Exception):
                loaded = self.record()
                if check(loaded):
                    return loaded
            if time.monotonic() > deadline:
                raise AssertionError("the change never reached the record file on disk")
            time.sleep(0.2)


@pytest.fixture
def visit(browser: Any, server: app.AppProcess, request: pytest.FixtureRequest) -> Iterator[Visit]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    failed_before = request.session.testsfailed
    try:
        yield Visit(page, server)
    finally:
        if request.session.testsfailed > failed_before:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "-", request.node.name)
            with contextlib.suppress(Exception):
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.voila.log").write_text(server.log_text(), encoding="utf-8")
        context.close()


@pytest.fixture
def restore_record(server: app.AppProcess) -> Iterator[None]:
    """Put the record file back as it was after a test that spoils or edits it."""
    original = server.record.read_bytes()
    try:
        yield
    finally:
        server.record.write_bytes(original)


# --- what the page is -----------------------------------------------------------------------


def test_the_page_shows_the_workbook_in_plain_language_and_no_code(visit: Visit) -> None:
    page = visit.open()
    text = page.locator("body").inner_text()
    assert "Kestrel Health" in text
    for code in ("import ", "In [", "Traceback", "appview", "record = ", "def "):
        assert code not in text, f"the page shows code: {code!r}"
    assert page.title().startswith("Afterview")


def test_every_request_stays_on_this_machine(visit: Visit) -> None:
    visit.open()
    visit.page.wait_for_timeout(500)
    hosts = {url.split("/")[2] for url in visit.requests if url.startswith(("http", "ws"))}
    assert hosts == {f"127.0.0.1:{visit.server.port}"}
    html = visit.page.content()
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?://""", html)


def test_without_the_token_there_is_only_a_login_page(server: app.AppProcess) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=30) as response:
        landed, body = response.geturl(), response.read().decode("utf-8")
    assert "/login" in landed
    assert "Kestrel Health" not in body and "Your interview debrief" not in body


def test_no_other_file_is_served(server: app.AppProcess) -> None:
    base = f"http://127.0.0.1:{server.port}"
    for path in ("/voila/files/app.ipynb", "/voila/files/config/voila.py"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}{path}?token={server.settings.token}", timeout=30)
        assert refused.value.code in (403, 404), path


def test_the_template_cannot_be_switched_from_the_address(visit: Visit) -> None:
    page = visit.open(visit.server.url + "&template=classic&theme=dark")
    html = page.content()
    assert "cdn.jsdelivr.net" not in html
    assert 'data-jp-theme-light="true"' in html


# --- an unreadable record ------------------------------------------------------------------


def test_an_unreadable_record_gives_a_sentence_with_what_to_do(
    visit: Visit, restore_record: None
) -> None:
    visit.server.record.write_text("candidate: [unclosed\n  name: Ada\n", encoding="utf-8")
    page = visit.page
    page.goto(visit.server.url)
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=WAIT_MS)
    message = alert.inner_text()
    assert "could not be opened" in message
    assert visit.server.record.name in message
    assert "reload this page" in message
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error" not in text.replace("error", "")
