"""The self-guided app in a real headless Chromium, used the way a job seeker would use it.

One app server (Voilà) per module on a copy of an example record; each test opens a fresh
page. On a machine without Chromium these tests skip and say why; under CI (``CI=true``) a
missing browser fails them instead. A failing test leaves a screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from websockets.sync import client as websockets_client

from afterview.app import config
from afterview.app import server as app
from afterview.app.config import state_file
from afterview.record import store
from afterview.record.schema import Record

from .conftest import evidence_on_failure, playwright_api, save_evidence, wait_for_record

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ada-okafor-panel.yaml"
WAIT_MS = 60_000  # the first page of a fresh kernel on a busy 2-core machine


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
        page.set_default_navigation_timeout(WAIT_MS)
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
        # The step navigator is the last widget drawn: once it shows, the page is live.
        self.page.get_by_text(re.compile(r"^Page \d of \d")).wait_for(timeout=WAIT_MS)

    def record(self) -> Record:
        return store.load(self.server.record)

    def until_saved(self, check: Callable[[Record], bool], timeout: float = 15.0) -> Record:
        """Wait until the record on disk satisfies ``check`` (the page saves as it goes)."""
        return wait_for_record(self.server.record, check, timeout)


@pytest.fixture
def visit(browser: Any, server: app.AppProcess, request: pytest.FixtureRequest) -> Iterator[Visit]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    state_file(server.record).unlink(missing_ok=True)  # start at the start
    try:
        with evidence_on_failure(request, context, lambda: {"voila.log": server.log_text()}):
            yield Visit(page, server)
    finally:
        context.close()


@pytest.fixture
def restore_record(server: app.AppProcess) -> Iterator[None]:
    """Put the record file back as it was after a test that spoils or edits it.

    Ask for it before ``visit``, so it is put back after the page is closed: a closing page
    saves what it still holds, and that save must not land on the restored file.
    """
    original = server.record.read_bytes()
    try:
        yield
    finally:
        _until_quiet(server.record)
        server.record.write_bytes(original)


def _until_quiet(path: Path, quiet: float = 1.5, limit: float = 15.0) -> None:
    """Wait until nothing has written ``path`` for ``quiet`` seconds (at most ``limit``)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if time.time() - path.stat().st_mtime >= quiet:
            return
        time.sleep(0.2)


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


def status_for(server: app.AppProcess, path: str, host: str) -> int:
    """The status the server answers ``GET path`` with, sent with this ``Host`` header."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_request_for_another_host_name_is_refused(server: app.AppProcess) -> None:
    """A page on another site whose name resolves to 127.0.0.1 (DNS rebinding) gets nothing."""
    page = f"/?token={server.settings.token}"
    static = "/voila/templates/lab/static/index.css"
    for path in (page, "/login", static, "/voila/static/voila.js", "/api/kernels"):
        for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.2.nip.io"):
            assert status_for(server, path, host) == 403, (path, host)
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", "localhost"):
        assert status_for(server, "/login", host) == 200, host
        assert status_for(server, static, host) == 200, host


def test_a_template_path_that_climbs_out_is_not_found_rather_than_a_server_error(
    server: app.AppProcess,
) -> None:
    for path in ("..%2f", "..%2f..%2fapp.ipynb", "lab%2fstatic%2f..%2f..%2f..%2fetc%2fpasswd", "x"):
        assert status_for(server, f"/voila/templates/{path}", f"127.0.0.1:{server.port}") == 404


def test_the_template_cannot_be_switched_from_the_address(visit: Visit) -> None:
    page = visit.open(visit.server.url + "&template=classic&theme=dark")
    html = page.content()
    assert "cdn.jsdelivr.net" not in html
    assert 'data-jp-theme-light="true"' in html


def test_afterview_app_prints_the_address_with_its_token_and_ctrl_c_stops_it(
    tmp_path: Path,
) -> None:
    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)
    process = subprocess.Popen(
        [sys.executable, "-m", "afterview", "app", str(record), "--no-browser"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        printed = [process.stdout.readline() for _ in range(2)]
        url = printed[1].strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{24,}", url), printed
        with urllib.request.urlopen(url, timeout=60) as response:
            assert "<title>Afterview" in response.read().decode("utf-8")
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(30) == 0
        assert "Your answers are saved" in process.stdout.read()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=5)


def tree_of(process: subprocess.Popen[str]) -> tuple[list[psutil.Process], Path]:
    """Every process ``afterview app`` started (the server and its kernels), and the server's
    working folder (holding the token)."""
    server = psutil.Process(process.pid).children()[0]
    children = [server, *server.children(recursive=True)]
    notebook = next(arg for arg in server.cmdline() if arg.endswith(".ipynb"))
    return children, Path(notebook).parent


def start_app(record: Path, *options: str, **popen: Any) -> tuple[subprocess.Popen[str], str]:
    """``afterview app RECORD`` in its own session, as from a terminal; and its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "afterview", "app", str(record), *options],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **popen,
    )
    assert process.stdout is not None
    printed = [process.stdout.readline() for _ in range(2)]
    return process, printed[1].strip()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_or_sighup_stops_the_server_and_its_kernels_and_removes_the_token(
    tmp_path: Path, stop: signal.Signals
) -> None:
    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)
    process, url = start_app(record, "--no-browser")
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # a page, with its kernel
            assert "<title>Afterview" in response.read().decode("utf-8")
        started, workdir = tree_of(process)
        assert len(started) >= 2, "the server and at least one kernel"
        assert (workdir / "config" / "voila.py").exists()
        process.send_signal(stop)  # SIGHUP: the terminal was closed
        assert process.wait(60) == 0
        _gone, alive = psutil.wait_procs(started, timeout=30)
        assert alive == [], f"still running after {stop.name}: {alive}"
        assert not workdir.exists(), "the token's config is removed"
        port = int(url.split(":")[2].split("/")[0])
        again = config.prepare(record, port=port)  # the next start can have the port
        shutil.rmtree(again.workdir)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_the_server_stops_with_its_kernels_when_afterview_app_is_killed_outright(
    tmp_path: Path,
) -> None:
    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)
    process, _url = start_app(record, "--no-browser")
    started, _workdir = tree_of(process)
    process.kill()  # no chance to clean up
    process.wait()
    _gone, alive = psutil.wait_procs(started, timeout=30)
    assert alive == [], "the server and its kernels outlived afterview app"


def test_opening_the_browser_keeps_the_token_off_the_process_list(tmp_path: Path) -> None:
    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)
    opened = tmp_path / "browser-was-given.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {opened}\n', encoding="utf-8")
    browser.chmod(0o700)
    env = {**os.environ, "BROWSER": str(browser)}
    process, url = start_app(record, env=env)
    try:
        token = url.split("token=")[1]
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        argument = opened.read_text(encoding="utf-8").strip()
        assert token not in argument, "the browser's command line shows the token"
        assert argument.startswith("file://")
        forward = Path(urllib.request.url2pathname(argument.removeprefix("file://")))
        assert stat_mode(forward) & 0o077 == 0, "only its owner can read the file"
        assert f"url={url}" in forward.read_text(encoding="utf-8").replace("&amp;", "&")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(60)


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# --- an unreadable record ------------------------------------------------------------------


def test_an_unreadable_record_gives_a_sentence_with_what_to_do(
    restore_record: None, visit: Visit
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


def test_a_change_that_cannot_be_written_is_said_on_the_page(
    restore_record: None, visit: Visit
) -> None:
    page = visit.open()
    record = visit.server.record
    original = record.read_bytes()
    record.unlink()
    record.mkdir()  # the file cannot be written any more
    try:
        company = shown(page.get_by_label("Company"))
        company.fill("Kestrel Health Ltd")
        company.press("Tab")
        alert = page.get_by_role("alert").filter(has_text="not saved").first
        alert.wait_for()
        assert "cannot be written" in alert.inner_text()
        assert "Traceback" not in page.locator("body").inner_text()
    finally:
        record.rmdir()
        record.write_bytes(original)
    company.fill("Kestrel Health plc")  # once the file can be written, the next change saves
    company.press("Tab")
    visit.until_saved(lambda r: r.interview.company == "Kestrel Health plc")
    playwright_api.expect(page.get_by_role("alert").filter(has_text="not saved")).to_have_count(0)


# --- filling in the workbook ----------------------------------------------------------------


def shown(locator: Any) -> Any:
    """Only the copies on the open step (every step's inputs are in the page)."""
    return locator.filter(visible=True)


def add_row(page: Any, button: str, label: str) -> Any:
    """Click ``button``, then the new row's ``label`` field, once the kernel has drawn it (the
    field that was last before the click is not the new one, however fast one types)."""
    fields = shown(page.get_by_label(label))
    add = shown(page.get_by_role("button", name=button))
    add.wait_for()  # the button is drawn after the rows above it, so they can be counted
    count = fields.count()
    add.click()
    playwright_api.expect(fields).to_have_count(count + 1)
    return fields.last


def go_to_step(page: Any, number: int) -> None:
    page.get_by_role("tab", name=re.compile(rf"^{number}\. ")).click()
    expect_step(page, number)


def expect_step(page: Any, number: int) -> None:
    """The open step is ``number`` (0 is the interview's facts), once the page catches up."""
    title = re.compile(rf"^{number}\. ") if number else re.compile(r"^The interview")
    playwright_api.expect(page.get_by_role("tab", selected=True)).to_have_text(title)


def test_answers_are_saved_as_you_go_and_are_still_there_after_a_reload(
    browser: Any, tmp_path: Path
) -> None:
    # On an app of its own: on the module's shared server, a save from the test before
    # (its page closing) could land after that test's record was put back.
    with own_app(browser, tmp_path) as visit:
        page = visit.open()
        before = visit.record()
        assert before.interview.self_rating == 3

        # The facts: move the gut-score slider with the keyboard.
        slider = shown(page.get_by_role("slider", name="How did it go, out of 10?"))
        slider.focus()
        slider.press("ArrowRight")
        slider.press("ArrowRight")
        visit.until_saved(lambda r: r.interview.self_rating == 5)

        # Step 1: type the thought, add a feeling, tick a thinking trap.
        go_to_step(page, 1)
        thought = shown(page.get_by_label("The thought that keeps coming back"))
        thought.fill("I am sure the panel thinks I cannot handle clinical risk.")
        thought.press("Tab")
        feeling = add_row(page, "Add emotion", "Feeling")
        feeling.fill("hopeful")
        feeling.press("Tab")
        shown(page.get_by_label("Fortune telling")).check()
        visit.until_saved(
            lambda r: (
                r.perspective.automatic_thought.startswith("I am sure the panel")
                and "hopeful" in [e.name for e in r.perspective.emotions]
                and "fortune_telling" in r.perspective.thinking_traps
            )
        )

        # Step 2: rewrite the re-answer in Priya's letter.
        go_to_step(page, 2)
        reanswer = shown(page.get_by_label("What you would add")).first
        reanswer.fill("I said no to our sales director with usage data from all 40 clinics.")
        reanswer.press("Tab")
        visit.until_saved(
            lambda r: r.plan_for("Priya Raman").reanswer.startswith("I said no to our")
        )

        # Step 3: put a strength in the letters.
        go_to_step(page, 3)
        shown(page.get_by_label("Put it in the letters")).nth(3).check()
        visit.until_saved(lambda r: r.strengths.map[3].mention)

        # Step 4: pick a root cause from the list, say why.
        go_to_step(page, 4)
        shown(page.get_by_label("Cause")).first.select_option(label="Froze or went blank")
        why = shown(page.get_by_label("Why the two differ"))
        why.fill("I had no short story ready for the clinical question.")
        why.press("Tab")
        visit.until_saved(
            lambda r: (
                r.lessons.root_causes[0].category == "froze"
                and r.lessons.why.startswith("I had no short story")
            )
        )

        # Step 5: add another opportunity.
        go_to_step(page, 5)
        company = add_row(page, "Add opportunity", "Company")
        company.fill("Fernleaf Clinics")
        company.press("Tab")
        saved = visit.until_saved(
            lambda r: "Fernleaf Clinics" in [o.company for o in r.move_on.opportunities]
        )

        # The file on disk holds all of it, and so does the page after a reload.
        assert saved.interview.self_rating == 5
        assert saved.interview.company == before.interview.company, "nothing else changed"
        page = visit.reload()
        go_to_step(page, 1)
        assert shown(page.get_by_label("The thought that keeps coming back")).input_value() == (
            "I am sure the panel thinks I cannot handle clinical risk."
        )
        assert shown(page.get_by_label("Feeling")).last.input_value() == "hopeful"
        assert shown(page.get_by_label("Fortune telling")).is_checked()
        go_to_step(page, 2)
        assert (
            shown(page.get_by_label("What you would add"))
            .first.input_value()
            .startswith("I said no to our sales director")
        )
        go_to_step(page, 4)
        cause = shown(page.get_by_label("Cause")).first
        assert "Froze" in cause.locator("option:checked").inner_text()
        go_to_step(page, 5)
        assert shown(page.get_by_label("Company")).last.input_value() == "Fernleaf Clinics"


def test_text_typed_just_before_the_tab_is_closed_is_saved(
    restore_record: None, visit: Visit
) -> None:
    page = visit.open()
    go_to_step(page, 4)
    shown(page.get_by_label("What actually happened")).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Still typing this sentence", delay=100)  # saved as it is typed
    page.get_by_role("tab").first.click()
    name = shown(page.get_by_label("Interviewer's name")).first
    name.click()
    page.keyboard.press("End")
    page.keyboard.type(" Iyer", delay=100)  # saved when it loses the focus, or the page closes
    page.close(run_before_unload=True)
    visit.until_saved(
        lambda r: (
            r.lessons.happened == "Still typing this sentence"
            and r.interviewers[0].name == "Priya Raman Iyer"
        )
    )


def test_a_reload_comes_back_to_the_step_you_were_on(visit: Visit) -> None:
    page = visit.open()
    go_to_step(page, 3)
    shown(page.get_by_role("button", name=re.compile(r"^Next"))).click()  # at the step's end
    expect_step(page, 4)
    playwright_api.expect(page.get_by_role("tab", selected=True)).to_be_in_viewport()
    page = visit.reload()
    expect_step(page, 4)


@contextlib.contextmanager
def own_app(browser: Any, folder: Path, **options: Any) -> Iterator[Visit]:
    """A server of its own on a copy of the example in ``folder`` (made once), and a tab."""
    record = folder / EXAMPLE.name
    if not record.exists():
        shutil.copy(EXAMPLE, record)
    with app.start(record, **options) as server:
        context = browser.new_context(accept_downloads=True)
        try:
            yield Visit(context.new_page(), server)
        finally:
            context.close()


def test_the_app_reopens_at_the_step_you_were_on_after_it_was_restarted(
    browser: Any, tmp_path: Path
) -> None:
    with own_app(browser, tmp_path) as visit:
        page = visit.open()
        go_to_step(page, 3)
        # The step is written down once its form is built (the app builds a step when opened).
        memory = state_file(visit.server.record)
        deadline = time.monotonic() + WAIT_MS / 1000
        while not (memory.exists() and '"step": 3' in memory.read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, "the open step was never written down"
            page.wait_for_timeout(100)
    assert state_file(visit.server.record).exists(), "kept beside the record, the app stopped"
    with own_app(browser, tmp_path) as visit:
        expect_step(visit.open(), 3)


def test_the_page_shows_when_the_record_was_last_saved(restore_record: None, visit: Visit) -> None:
    page = visit.open()
    company = shown(page.get_by_label("Company"))
    company.fill("Kestrel Health Ltd")
    company.press("Tab")
    visit.until_saved(lambda r: r.interview.company == "Kestrel Health Ltd")
    saved = time.strftime("%H:%M", time.localtime(visit.server.record.stat().st_mtime))
    playwright_api.expect(page.get_by_text(f"Last saved {saved}")).to_be_visible()


def test_the_warm_page_shows_a_change_saved_after_it_was_built(
    browser: Any, tmp_path: Path
) -> None:
    """The warm kernel built its page before anyone asked; the coach then saved the record."""
    with own_app(browser, tmp_path, preheat=True) as visit:
        changed = visit.record()
        changed.interview.company = "Kestrel Health (edited in JupyterLab)"
        store.save(changed, visit.server.record)
        page = visit.open()
        assert shown(page.get_by_label("Company")).input_value() == changed.interview.company


def type_company(visit: Visit, company: str) -> None:
    """Type a company name into the open page and wait until it is in the record file."""
    box = shown(visit.page.get_by_label("Company"))
    box.fill(company)
    box.press("Tab")
    visit.until_saved(lambda r: r.interview.company == company)


@pytest.mark.parametrize(
    "pause",
    [0.0, 4.0],
    ids=["at-once", "after-a-pause"],
)
def test_the_warm_page_comes_back_after_every_reload_with_what_was_saved(
    browser: Any, tmp_path: Path, pause: float
) -> None:
    """Reload after reload, typing between some of them: each reload shows the whole page,
    live and holding the last saved answer (it once hung at "Opening your workbook…")."""
    with own_app(browser, tmp_path, preheat=True) as visit:
        try:
            visit.open()
            company = visit.record().interview.company
            for number in range(6):
                if number % 2:
                    company = f"Kestrel Health {number}"
                    type_company(visit, company)
                visit.page.wait_for_timeout(pause * 1000)
                page = visit.reload()
                assert shown(page.get_by_label("Company")).input_value() == company, number
            type_company(visit, "Kestrel Health, after the reloads")  # the last page is live
        except BaseException:
            save_evidence(
                f"reloads-{pause}", visit.page.context, {"voila.log": visit.server.log_text()}
            )
            raise


def kernels_of(server: app.AppProcess) -> list[int]:
    """The kernel processes the app server has running now."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == server.process.pid:
                found.append(int(stat.parent.name))
    return found


def kernel_ids_of(server: app.AppProcess) -> list[str]:
    """The ids of the kernels the app server has running now (from their connection files)."""
    found = []
    for pid in kernels_of(server):
        with contextlib.suppress(psutil.Error):
            for argument in psutil.Process(pid).cmdline():
                named = re.search(r"kernel-([\w-]+)\.json$", argument)
                if named:
                    found.append(named.group(1))
    return found


def test_the_warm_page_opens_after_its_kernel_connected_twice_to_hear_of_its_visitor(
    browser: Any, tmp_path: Path
) -> None:
    """A warm kernel hears of its visitor on a local websocket; on a busy machine its first
    connection can fail and a second one be made. The first one closing must not leave the
    kernel deaf: the page once hung at "Opening your workbook…" that way."""
    with own_app(browser, tmp_path, preheat=True) as visit:
        server = visit.server
        (warm,) = kernel_ids_of(server)
        address = f"ws://127.0.0.1:{server.port}/voila/query/{warm}"
        with websockets_client.connect(address, proxy=None):
            pass  # a connection for the same kernel, opened and closed while it waits
        try:
            page = visit.open()
        except BaseException:
            save_evidence("warm-deaf", visit.page.context, {"voila.log": server.log_text()})
            raise
        assert shown(page.get_by_label("Company")).input_value() == "Kestrel Health"


def test_an_open_page_keeps_its_kernel_and_a_closed_one_is_stopped_once_idle(
    browser: Any, tmp_path: Path
) -> None:
    with own_app(browser, tmp_path, idle_timeout=2, preheat=False) as visit:
        server = visit.server
        page = visit.open()
        assert len(kernels_of(server)) == 1
        page.wait_for_timeout(6_000)  # idle three times longer than the timeout, still open
        assert len(kernels_of(server)) == 1
        company = shown(page.get_by_label("Company"))
        company.fill("Kestrel Health Ltd")
        company.press("Tab")
        visit.until_saved(lambda r: r.interview.company == "Kestrel Health Ltd")
        page.context.close()
        deadline = time.monotonic() + 30
        while kernels_of(server) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kernels_of(server) == [], "the closed page's kernel was never stopped"


def test_reloading_the_page_leaves_at_most_two_kernels_running(
    browser: Any, tmp_path: Path
) -> None:
    """One for the open page, one kept warm for the next; each reload's old one is stopped,
    and once the tab is closed only the warm one is left (a day of reloads piles up none)."""
    with own_app(browser, tmp_path, preheat=True) as visit:
        server = visit.server
        visit.open()
        for _ in range(4):
            visit.reload()
        deadline = time.monotonic() + 60
        while len(kernels_of(server)) > 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(kernels_of(server)) <= 2
        company = shown(visit.page.get_by_label("Company"))  # the open page still works
        company.fill("Kestrel Health Ltd")
        company.press("Tab")
        visit.until_saved(lambda r: r.interview.company == "Kestrel Health Ltd")
        visit.page.close(run_before_unload=True)
        deadline = time.monotonic() + 60
        while len(kernels_of(server)) > 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(kernels_of(server)) == 1, "only the kernel kept warm for the next visit"


# --- taking it away -------------------------------------------------------------------------


def test_the_letter_step_previews_each_letter_with_what_the_checks_found(visit: Visit) -> None:
    page = visit.open()
    go_to_step(page, 2)
    letter = shown(page.get_by_role("region", name="Letter to Grace Mensah"))
    playwright_api.expect(letter).to_contain_text("Dear Grace")
    playwright_api.expect(letter).to_contain_text("words (aim for 100-200)")
    playwright_api.expect(shown(page.get_by_text("What to do:")).first).to_be_visible()


def test_a_letter_downloads_with_the_interviewers_name_and_the_reanswer(
    browser: Any, tmp_path: Path
) -> None:
    # On a server of its own: on the module's shared one, after the tests before it had
    # renamed and restored an interviewer, the link was not found within 20 s in 2 of 3 runs
    # of this module (not reproduced in a 12-test subset; the cause is not found yet).
    with own_app(browser, tmp_path) as visit:
        page = visit.open()
        record = visit.record()
        reanswer = record.plan_for("Priya Raman").reanswer
        with page.expect_download() as waiting:
            page.get_by_role("link", name="Letter to Priya Raman (.txt)").click()
        download = waiting.value
        assert download.suggested_filename == "01-priya-raman.txt"
        text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("Subject: ")
    assert "Priya" in text
    assert " ".join(reanswer.split()[:8]) in " ".join(text.split())
    assert record.coach_notes.split("\n")[0][:30] not in text or not record.coach_notes


def test_the_calendar_reminders_download_as_an_ics_file(visit: Visit) -> None:
    page = visit.open()
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Calendar reminders (.ics)").click()
    text = Path(waiting.value.path()).read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in text


# --- accessible -----------------------------------------------------------------------------

UNLABELLED = """() => [...document.querySelectorAll(
    'input, textarea, select, button, [role=slider], [contenteditable=true]')]
  .filter(el => el.getClientRects().length > 0)
  .filter(el => {
    const named = (el.labels && [...el.labels].some(l => l.innerText.trim()))
      || (el.getAttribute('aria-label') || '').trim()
      || el.getAttribute('aria-labelledby')
      || (el.tagName === 'BUTTON' && el.innerText.trim());
    return !named;
  })
  .map(el => el.outerHTML.slice(0, 160))"""


def test_every_input_on_every_step_has_a_label(visit: Visit) -> None:
    page = visit.open()
    missing: list[str] = []
    for number in range(0, 6):
        page.get_by_role("tab").nth(number).click()
        page.wait_for_timeout(200)
        missing += page.evaluate(UNLABELLED)
    assert missing == []


def test_the_workbook_can_be_used_with_the_keyboard_alone(
    restore_record: None, visit: Visit
) -> None:
    page = visit.open()
    # Start from the first step: the app reopens at the step the last visit was on.
    page.get_by_role("tab", name=re.compile(r"^The interview")).click()
    expect_step(page, 0)
    page.get_by_role("tab", selected=True).focus()
    page.keyboard.press("ArrowRight")  # tabs: arrow keys move between steps
    page.keyboard.press("Enter")
    expect_step(page, 1)
    # A step not opened before is built when asked for: like a person, wait until it shows.
    shown(page.get_by_label("The thought that keeps coming back")).wait_for(timeout=WAIT_MS)
    label = ""
    for _ in range(40):  # Tab through the step until the thought's box has the focus
        page.keyboard.press("Tab")
        label = page.evaluate("() => (document.activeElement.labels || [])[0]?.innerText || ''")
        if label == "The thought that keeps coming back":
            break
    assert label == "The thought that keeps coming back"
    page.keyboard.press("Control+A")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    visit.until_saved(lambda r: r.perspective.automatic_thought == "Typed without a mouse.")
    shown(page.get_by_role("button", name=re.compile(r"^Next"))).focus()
    page.keyboard.press("Enter")
    expect_step(page, 2)
    # The focus moves to the new step's tab, so the next Tab key goes into that step.
    playwright_api.expect(page.get_by_role("tab", selected=True)).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect_step(page, 3)
    shown(page.get_by_role("button", name=re.compile(r"^Back"))).focus()
    page.keyboard.press("Space")
    expect_step(page, 2)


CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const channel = v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const blend = (fg, bg) =>
    fg.length === 4 ? fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3])) : fg;
  const selector = ['label', 'p', 'li', 'h1', 'h2', 'h3', 'a', 'button', '.lm-TabBar-tabLabel',
    'input', 'textarea', 'select'].map(name => '.av-app ' + name).join(', ');
  const poor = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length || !el.innerText && !el.value) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.disabled) continue;
    const bg = background(el);
    const fg = blend(rgb(style.color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const text = (el.innerText || el.value).slice(0, 40);
    if (ratio < 4.5) poor.push(`${ratio.toFixed(2)} ${el.tagName} ${text}`);
  }
  return poor;
}"""


def test_text_is_readable_against_its_background(visit: Visit) -> None:
    page = visit.open()
    poor: list[str] = []
    for number in range(0, 6):
        page.get_by_role("tab").nth(number).click()
        page.wait_for_timeout(200)
        poor += page.evaluate(CONTRAST)
    assert sorted(set(poor)) == []


# --- forms that follow the record and fit what is typed ---------------------------------------

NEWCOMER = "Dr. Amara Okafor-Lindqvist"


def test_an_interviewer_added_in_the_facts_is_in_asked_by_and_the_letters_at_once(
    restore_record: None, visit: Visit
) -> None:
    page = visit.open()
    name = add_row(page, "Add interviewer", "Interviewer's name")
    name.fill(NEWCOMER)
    name.press("Tab")
    visit.until_saved(lambda r: r.interviewers[-1].name == NEWCOMER)

    asked_by = shown(page.get_by_label("Asked by")).first
    playwright_api.expect(asked_by.locator("option", has_text=NEWCOMER)).to_have_count(1)
    go_to_step(page, 2)
    plan = shown(page.get_by_role("heading", name=f"To {NEWCOMER}", exact=True))
    playwright_api.expect(plan).to_be_visible()
    note = shown(page.get_by_label("Something only they said")).last
    note.fill("We both trained in Bergen.")
    note.press("Tab")
    visit.until_saved(lambda r: r.plan_for(NEWCOMER).personal_note == "We both trained in Bergen.")


FONT = "el => getComputedStyle(el).fontFamily"
FITS = "el => el.scrollWidth <= el.clientWidth"
INPUTS_START = """() => [...document.querySelectorAll('.av-field > .widget-inline-hbox > label')]
  .filter(label => label.getClientRects().length > 0)
  .map(label => Math.round(label.nextElementSibling.getBoundingClientRect().left))"""


def test_text_boxes_use_the_page_font_fit_a_long_name_and_grow_with_the_answer(
    browser: Any, tmp_path: Path
) -> None:
    # On an app of its own: on the module's shared server the page sometimes opened at the
    # step the test before had left it on, after that test's page was closed.
    with own_app(browser, tmp_path) as visit:
        page = visit.open()
        body_font = page.locator("body").evaluate(FONT)
        for label in ("Your name", "Interviewer's name"):
            box = shown(page.get_by_label(label)).first
            box.fill(NEWCOMER)
            assert box.evaluate(FONT) == body_font and "monospace" not in body_font
            assert box.evaluate(FITS), f"{NEWCOMER!r} does not fit in {label!r}"
        starts = page.evaluate(INPUTS_START)
        # One column: a slider's track starts a few pixels in, so its handle fits at the minimum.
        assert len(starts) >= 8 and max(starts) - min(starts) <= 6, f"inputs start at {starts}"

        go_to_step(page, 1)
        thought = shown(page.get_by_label("The thought that keeps coming back"))
        assert thought.evaluate(FONT) == body_font
        height = thought.bounding_box()["height"]
        thought.fill("\n".join(f"Line {n} of what keeps coming back." for n in range(1, 9)))
        page.wait_for_timeout(300)
        assert thought.bounding_box()["height"] > 1.8 * height, "the box did not grow"
        assert thought.evaluate("el => el.scrollHeight <= el.clientHeight + 2")
