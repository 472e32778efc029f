"""The coach's workbook in JupyterLab, in a real headless Chromium, used as a coach would.

JupyterLab is started as ``afterview lab RECORD --no-browser`` starts it (its own server on
127.0.0.1 with a token, the notebooks in a temporary folder, this environment's kernel), once
per module for each view: the coach's, and the client's (``--client``). The server runs with a
home folder whose Jupyter settings would, if read, turn the news feed on and offer another
kernel: it must ignore them. Chromium and failure screenshots: see ``conftest.py``.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from afterview.coaching.content import content
from afterview.record import coachfile
from afterview.workbook import lab

from .conftest import (
    EXAMPLES,
    evidence_on_failure,
    playwright_api,
    save_evidence,
    wait_for_record,
)

pytestmark = pytest.mark.browser

WAIT_MS = 90_000  # JupyterLab's first load and a fresh kernel, on a busy 2-core machine
STEP = "0-intake.ipynb"
LETTERS_STEP = "2-letter.ipynb"
COACH_FIELD = "Coach's notes"
FOLLOW_MS = 10_000
"""How soon another notebook's save must show (its session looks every 1.5 s; a busy machine)."""
NEWCOMER = "Dr. Amara Okafor-Lindqvist"

USER_CONFIG = {"LabApp": {"news_url": "http://192.0.2.1/feed.xml"}}
"""What a user-level ``jupyter_server_config.json`` might hold: news from the internet."""
USER_KERNEL = {
    "argv": ["/bin/false"],
    "display_name": "Someone else's Python",
    "language": "python",
}


def fake_home(home: Path) -> dict[str, bytes]:
    """A home folder with Jupyter settings of its own; returns its Jupyter files' contents."""
    for name in ("python3", "coach-env"):
        kernel = home / ".local" / "share" / "jupyter" / "kernels" / name / "kernel.json"
        kernel.parent.mkdir(parents=True)
        kernel.write_text(json.dumps(USER_KERNEL), encoding="utf-8")
    config = home / ".jupyter" / "jupyter_server_config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps(USER_CONFIG), encoding="utf-8")
    return jupyter_files(home)


def jupyter_files(home: Path) -> dict[str, bytes]:
    found = [*(home / ".jupyter").rglob("*"), *(home / ".local" / "share" / "jupyter").rglob("*")]
    return {str(path.relative_to(home)): path.read_bytes() for path in found if path.is_file()}


class Lab:
    """A running JupyterLab on a copy of an example record, for one view."""

    def __init__(self, server: lab.LabServer, record: Path, home: Path, coach: bool) -> None:
        self.server, self.record, self.home, self.coach = server, record, home, coach
        self.home_before = jupyter_files(home)

    def get(self, path: str) -> Any:
        url = f"http://127.0.0.1:{self.server.port}{path}?token={self.server.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")


@pytest.fixture(scope="module", params=["coach", "client"])
def workbook(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Lab]:
    coach = request.param == "coach"
    folder = tmp_path_factory.mktemp(request.param)
    record = folder / "ada-okafor-panel.yaml"
    shutil.copy(EXAMPLES / record.name, record)
    home = folder / "home"
    fake_home(home)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        workbook = folder / "ada-okafor-panel.workbook"
        with lab.start(record, workbook, coach=coach, timeout=WAIT_MS / 1000) as server:
            yield Lab(server, record, home, coach)


class Tab:
    """One browser tab on JupyterLab, with every address it asked for."""

    def __init__(self, page: Any, workbook: Lab) -> None:
        self.workbook = workbook
        self.requests: list[str] = []
        self.page = self._watch(page)

    def _watch(self, page: Any) -> Any:
        page.set_default_timeout(30_000)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("websocket", lambda socket: self.requests.append(socket.url))
        return page

    def reopen(self, notebook: str = STEP) -> Any:
        """Close this tab (unsaved, as it is) and open the notebook in a new one."""
        context = self.page.context
        self.page.close()
        self.page = self._watch(context.new_page())
        return self.open(notebook)

    def open(self, notebook: str = STEP) -> Any:
        """Open ``notebook`` and wait until its kernel is ready."""
        self.page.goto(self.workbook.server.url(notebook))
        self.page.locator(".jp-NotebookPanel .jp-Notebook").wait_for(timeout=WAIT_MS)
        self.page.get_by_text(re.compile(r"\| Idle$")).wait_for(timeout=WAIT_MS)
        return self.page

    def menu(self, menu: str, item: str) -> None:
        self.page.get_by_role("menuitem", name=menu, exact=True).click()
        self.page.get_by_role("menuitem", name=item, exact=True).click()

    def run_all(self) -> Any:
        """Run every cell, as the coach does first, and wait for the step's form."""
        self.menu("Run", "Run All Cells")
        return self.form()

    def shut_down_kernel(self) -> None:
        """Kernel > Shut Down Kernel, as a coach ends a session; wait until it is gone."""
        self.menu("Kernel", "Shut Down Kernel")
        deadline = time.monotonic() + WAIT_MS / 1000
        while json.loads(self.workbook.get("/api/kernels")):
            assert time.monotonic() < deadline, "the kernel was never shut down"
            time.sleep(0.2)

    def form(self) -> Any:
        company = self.page.get_by_label("Company", exact=True)
        company.wait_for(timeout=WAIT_MS)
        return company

    def hosts(self) -> set[str]:
        return {url.split("/")[2] for url in self.requests if url.startswith(("http", "ws"))}


@pytest.fixture(scope="module")
def opened(browser: Any, workbook: Lab) -> Iterator[Tab]:
    """The step's notebook opened and run, as a coach starts a session; the tests share it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = Tab(context.new_page(), workbook)
        try:
            tab.open()
            tab.run_all()
        except Exception:
            save_evidence(f"opening-{STEP}", context, {"lab.log": workbook.server.log_text()})
            raise
        yield tab
    finally:
        context.close()


@pytest.fixture
def tab(opened: Tab, request: pytest.FixtureRequest) -> Iterator[Tab]:
    server = opened.workbook.server
    with evidence_on_failure(request, opened.page.context, lambda: {"lab.log": server.log_text()}):
        yield opened


def type_into(field: Any, text: str) -> None:
    """Type as a person does: key by key (JupyterLab must not take the keys as shortcuts)."""
    field.click()
    field.press("Control+A")
    field.press_sequentially(text)
    field.press("Tab")


def prepared_code(folder: Path, notebook: str) -> list[str]:
    """Every line of code in the prepared notebook worth looking for on the screen."""
    cells = nbformat.read(folder / notebook, as_version=4).cells
    lines = [line.strip() for c in cells if c.cell_type == "code" for line in c.source.split("\n")]
    return [line for line in lines if len(line) > 8]


def test_the_coachs_screen_shows_forms_and_results_but_no_code(tab: Tab, workbook: Lab) -> None:
    page = tab.page
    cells = page.locator(".jp-NotebookPanel .jp-CodeCell")
    playwright_api.expect(cells).to_have_count(4)  # parameters, injected parameters, setup, form
    code_areas = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputArea")
    assert [area.is_visible() for area in code_areas.all()] == [False] * code_areas.count()
    text = page.locator(".jp-NotebookPanel").inner_text()
    code = prepared_code(workbook.server.settings.folder, STEP)
    assert "display(forms.intake_form(session, coach=coach_view))" in code
    assert [line for line in code if line in text] == []

    # The coach can still unfold a cell's code when they need to; then it shows.
    cells.nth(3).locator(".jp-InputPlaceholder").click()
    playwright_api.expect(cells.nth(3).locator(".jp-InputArea")).to_be_visible()
    playwright_api.expect(cells.nth(3)).to_contain_text("display(forms.intake_form")


def test_an_answer_typed_in_a_step_is_saved_and_shown_when_the_notebook_is_opened_again(
    tab: Tab, workbook: Lab
) -> None:
    page = tab.page
    type_into(tab.form(), "Kestrel Health plc")
    wait_for_record(workbook.record, lambda r: r.interview.company == "Kestrel Health plc")
    coach_notes = page.get_by_label(COACH_FIELD)
    if workbook.coach:
        type_into(coach_notes, "Ask about the clinical risk story first.")
        wait_for_record(workbook.record, lambda r: r.coach_notes.startswith("Ask about the"))
    else:
        playwright_api.expect(coach_notes).to_have_count(0)
        text = page.locator(".jp-NotebookPanel").inner_text()
        notes = coachfile.load(workbook.record, coach=True).coach_notes
        assert notes and notes.split("\n")[0][:40] not in text

    # The coach ends the session and closes the tab; later the notebook is opened afresh.
    tab.shut_down_kernel()
    page = tab.reopen()
    company = tab.run_all()
    playwright_api.expect(company).to_have_value("Kestrel Health plc")
    if workbook.coach:
        playwright_api.expect(page.get_by_label(COACH_FIELD)).to_have_value(
            "Ask about the clinical risk story first."
        )
    else:
        playwright_api.expect(page.get_by_label(COACH_FIELD)).to_have_count(0)
    assert tab.hosts() == {f"127.0.0.1:{workbook.server.port}"}, "a request left this machine"


def test_an_interviewer_added_in_the_intake_notebook_appears_in_the_open_letters_notebook(
    tab: Tab, workbook: Lab
) -> None:
    """Two step notebooks, two kernels, one record: no cell is run again after the change."""
    prompts = content().steps
    letters = Tab(tab.page.context.new_page(), workbook)
    try:
        letters.open(LETTERS_STEP)
        letters.menu("Run", "Run All Cells")
        page = letters.page
        page.get_by_role("heading", name="To Priya Raman", exact=True).wait_for(timeout=WAIT_MS)
        note = page.get_by_label(prompts["letters"].prompts["personal_note"].label).first
        note.click()
        note.press("Control+A")
        note.press_sequentially("We both")  # half-typed, and the box keeps the focus
        priyas_note = lambda r: r.plan_for("Priya Raman").personal_note  # noqa: E731
        wait_for_record(workbook.record, lambda r: priyas_note(r) == "We both")

        name = tab.page.get_by_label(prompts["intake"].prompts["interviewers.name"].label)
        add = tab.page.get_by_role("button", name="Add interviewer")
        add.wait_for()  # drawn after the rows above it, so they can be counted
        rows = name.count()
        add.click()
        playwright_api.expect(name).to_have_count(rows + 1)  # the new row, not the last old one
        type_into(name.last, NEWCOMER)
        wait_for_record(workbook.record, lambda r: r.interviewers[-1].name == NEWCOMER)
        added = time.monotonic()

        newcomer = page.get_by_role("heading", name=f"To {NEWCOMER}", exact=True)
        playwright_api.expect(newcomer).to_be_visible(timeout=FOLLOW_MS)
        print(f"shown in the letters notebook {time.monotonic() - added:.1f} s after the save")
        playwright_api.expect(note).to_have_value("We both")
        playwright_api.expect(note).to_be_focused()
        note.press_sequentially(" trained in Bergen.")
        wait_for_record(workbook.record, lambda r: priyas_note(r) == "We both trained in Bergen.")
        assert [p.name for p in coachfile.load(workbook.record, coach=True).interviewers][-1] == (
            NEWCOMER
        ), "the letters notebook's save undid the interviewer added in the intake"
    finally:
        letters.page.close()


def test_jupyterlab_stays_offline_and_ignores_the_users_jupyter_settings(workbook: Lab) -> None:
    html = workbook.get("/lab")
    raw = re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S)
    assert raw is not None
    page_config = json.loads(raw.group(1))
    assert page_config["news"] == {"disabled": True}
    disabled = page_config["disabledExtensions"]
    assert "@jupyterlab/extensionmanager-extension" in disabled
    assert "@jupyterlab/apputils-extension:announcements" in disabled
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?://""", html)
    assert json.loads(workbook.get("/lab/api/news")) == {"news": []}

    kernels = json.loads(workbook.get("/api/kernelspecs"))["kernelspecs"]
    assert list(kernels) == ["python3"], "a user-level kernelspec was offered"
    assert kernels["python3"]["spec"]["argv"][0] == "python"  # this environment's own
    assert kernels["python3"]["spec"]["display_name"] != USER_KERNEL["display_name"]


def test_nothing_is_installed_or_written_in_the_users_jupyter_folders(workbook: Lab) -> None:
    assert jupyter_files(workbook.home) == workbook.home_before
