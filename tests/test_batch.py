"""`afterview batch`: every client's report, letters and calendar, and nothing that leaks.

One batch over the example clients (plus a broken record and a copy carrying a coach-notes
marker) is shared by most tests here: it is the expensive part.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import fcntl
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from afterview.batch import export
from afterview.batch.export import find_chromium, network_references
from afterview.batch.jobs import RUN_FILE
from afterview.batch.run import LOCK_FILE, BatchResult, run_batch
from afterview.cli import cli
from afterview.coaching import followups
from afterview.coaching.plans import all_sent_on, planned
from afterview.record import store
from afterview.record.errors import AfterviewError

from .conftest import EXAMPLES, FIXTURES, example_records

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
MARKER = "MARKER-7f3a"
BATCH_FIXTURES = FIXTURES / "batch"


def _clients(folder: Path, *records: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        shutil.copy(record, folder / record.name)
    return folder


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> BatchResult:
    root = tmp_path_factory.mktemp("batch")
    clients = _clients(root / "clients", *example_records())
    marked = store.load(EXAMPLES / "ada-okafor-panel.yaml")
    marked.coach_notes = f"{MARKER}: she apologised twice; work on owning the gap next session."
    store.save(marked, clients / "ada-with-coach-notes.yaml")
    (clients / "broken.yaml").write_text("candidate: [unclosed\n", encoding="utf-8")
    return run_batch(clients, root / "reports", workers=2, progress=False, now=NOW)


def _good(batch: BatchResult) -> list[Path]:
    return [batch.reports_dir / e.name for e in batch.clients if e.status == "ok"]


def _text(path: Path) -> str:
    return " ".join(html.unescape(path.read_text(encoding="utf-8")).split())


def test_every_valid_client_gets_every_artefact(batch: BatchResult) -> None:
    assert len(_good(batch)) == len(example_records()) + 1
    for entry in (e for e in batch.clients if e.status == "ok"):
        folder = batch.reports_dir / entry.name
        assert entry.record is not None
        people = len(planned(entry.record))  # an unplanned letter gets no filler draft
        assert (folder / "report.ipynb").is_file()
        assert (folder / "report.html").is_file()
        assert (folder / "report.pdf").read_bytes().startswith(b"%PDF")
        assert (folder / "follow-ups.ics").is_file()
        assert len(list((folder / "letters").glob("*.txt"))) == people
        assert len(list((folder / "letters").glob("*.eml"))) == people
    for page in ("index.html", "summary.html", "summary.csv"):
        assert (batch.reports_dir / page).is_file()


def test_the_report_holds_the_letters_and_no_code(batch: BatchResult) -> None:
    for folder in _good(batch):
        report = _text(folder / "report.html")
        for letter in (folder / "letters").glob("*.txt"):
            body = letter.read_text(encoding="utf-8").split("\n\n", 1)[1]
            first_paragraph = " ".join(body.split("\n\n")[0].split())
            assert first_paragraph in report, f"{letter.name} is not in {folder.name}'s report"
        raw = (folder / "report.html").read_text(encoding="utf-8")
        for code in ("import afterview", "In [", "Traceback", "application/vnd.jupyter.widget"):
            assert code not in raw, f"{code!r} in {folder.name}'s report"
        assert "<script" not in raw
        assert network_references(raw) == []


def test_reports_fetch_nothing_from_the_network(batch: BatchResult) -> None:
    pages = [*batch.reports_dir.glob("*.html"), *batch.reports_dir.glob("*/*.html")]
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", raw), page.name


def test_letters_are_valid_emails_and_calendars_parse(batch: BatchResult) -> None:
    for entry in (e for e in batch.clients if e.status == "ok"):
        assert entry.record is not None
        folder = batch.reports_dir / entry.name
        for draft in (folder / "letters").glob("*.eml"):
            message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
            assert message["Subject"]
            assert message["To"]
            assert message.get_body(preferencelist=("plain",)) is not None
        calendar = icalendar.Calendar.from_ical((folder / "follow-ups.ics").read_bytes())
        titles = [str(event.get("SUMMARY", "")) for event in calendar.walk("VEVENT")]
        if entry.record.result.status == "pending":  # once they have answered, no chasing
            assert any(title.startswith("Follow up") for title in titles), entry.name
        if all_sent_on(entry.record) is None:
            assert any(title.startswith("Send thank-you letters") for title in titles)


def test_every_client_gets_the_follow_up_drafts_each_dated_in_its_calendar(
    batch: BatchResult,
) -> None:
    for entry in (e for e in batch.clients if e.status == "ok"):
        assert entry.record is not None
        folder = batch.reports_dir / entry.name
        drafts = sorted(path.name for path in (folder / "follow-ups").glob("followup-*"))
        names = [followups.draft_file(kind) for kind in followups.KINDS]
        assert drafts == sorted(f"{name}.{ext}" for name in names for ext in ("eml", "txt"))
        calendar = icalendar.Calendar.from_ical((folder / "follow-ups.ics").read_bytes())
        dated = [
            (event.decoded("DTSTART"), str(event["DESCRIPTION"]).replace("\r\n ", ""))
            for event in calendar.walk("VEVENT")
        ]
        for note in followups.render_follow_ups(entry.record, now=NOW):
            if note.day is not None:
                name = f"{followups.draft_file(note.kind)}.txt"
                assert any(day == note.day and name in text for day, text in dated), entry.name


def test_a_broken_record_is_reported_and_the_others_are_still_built(batch: BatchResult) -> None:
    (failed,) = batch.failed
    assert failed.record_file == "broken.yaml"
    assert re.match(r"line \d+: the YAML is malformed", failed.error)
    assert not (batch.reports_dir / "broken").exists()
    index = _text(batch.index)
    assert "broken.yaml" in index and failed.error in index
    assert len(_good(batch)) == len(example_records()) + 1


def test_coach_notes_never_reach_a_client_facing_file(batch: BatchResult) -> None:
    folder = batch.reports_dir / "ada-with-coach-notes"
    assert (folder / "report.html").is_file()
    for path in batch.reports_dir.rglob("*"):
        if path.is_file() and path.suffix != ".pdf":
            assert MARKER not in path.read_text(encoding="utf-8", errors="replace"), path


def test_the_index_links_every_file_of_every_client(batch: BatchResult) -> None:
    index = batch.index.read_text(encoding="utf-8")
    for folder in _good(batch):
        for path in folder.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                assert f'href="{path.relative_to(batch.reports_dir).as_posix()}"' in index


def test_no_temporary_files_are_left(batch: BatchResult) -> None:
    names = [p.name for p in batch.reports_dir.rglob("*")]
    leftovers = [name for name in names if ".tmp" in name or ".partial-" in name]
    assert leftovers == []


def test_output_notebooks_carry_provenance_but_no_paths(batch: BatchResult) -> None:
    folder = batch.reports_dir / "mei-lin-technical-froze"
    text = (folder / "report.ipynb").read_text(encoding="utf-8")
    metadata = json.loads(text)["metadata"]
    assert metadata["afterview"]["record"] == "mei-lin-technical-froze.yaml"
    assert "papermill" not in metadata and "widgets" not in metadata


# --- smaller batches ------------------------------------------------------------------------


def test_a_rerun_skips_unchanged_clients_and_force_reruns_them(tmp_path: Path) -> None:
    clients = _clients(tmp_path / "clients", EXAMPLES / "mei-lin-technical-froze.yaml")
    shutil.copy(EXAMPLES / "jose-alvarez-phone-screen.yaml", clients / "jose.yaml")
    out = tmp_path / "reports"
    options = {"workers": 2, "pdf": False, "progress": False, "now": NOW}

    first = run_batch(clients, out, **options)
    assert [e.status for e in first.clients] == ["ok", "ok"]
    built = (out / "jose" / "report.html").stat().st_mtime_ns

    record = store.load(clients / "jose.yaml")
    record.interview.self_rating = 2
    store.save(record, clients / "jose.yaml")
    second = run_batch(clients, out, **options)
    assert {e.name: e.status for e in second.clients} == {
        "jose": "ok",
        "mei-lin-technical-froze": "skipped",
    }
    assert (out / "jose" / "report.html").stat().st_mtime_ns != built

    third = run_batch(clients, out, force=True, **options)
    assert [e.status for e in third.clients] == ["ok", "ok"]
    assert "skipped" in _text(second.index)


def test_a_notebook_that_fails_names_the_cell_and_leaves_nothing(tmp_path: Path) -> None:
    clients = _clients(tmp_path / "clients", EXAMPLES / "mei-lin-technical-froze.yaml")
    out = tmp_path / "reports"
    result = run_batch(
        clients,
        out,
        notebooks=[BATCH_FIXTURES / "raises.ipynb"],
        pdf=False,
        progress=False,
        now=NOW,
    )
    (failed,) = result.failed
    assert failed.notebook == "raises.ipynb"
    assert failed.cell == 3
    assert "ValueError: the chart data is missing" in failed.error
    assert "cell 3" in failed.error
    assert not (out / "mei-lin-technical-froze").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [LOCK_FILE, "index.html", "summary.html", "summary.csv"]
    )


def test_no_client_runs_in_a_kernel_another_client_used(tmp_path: Path) -> None:
    clients = _clients(tmp_path / "clients", *example_records()[:3])
    out = tmp_path / "reports"
    options = {"pdf": False, "progress": False, "workers": 1}
    result = run_batch(clients, out, notebooks=[BATCH_FIXTURES / "remembers.ipynb"], **options)
    assert [e.status for e in result.clients] == ["ok", "ok", "ok"]
    pages = [_text(out / e.name / "remembers.html") for e in result.clients]
    assert all("previous client: none" in page for page in pages)
    pids = {re.search(r"kernel process: (\d+)", page).group(1) for page in pages}  # type: ignore[union-attr]
    assert len(pids) == 3


def test_a_cell_that_hangs_is_stopped_by_the_timeout(tmp_path: Path) -> None:
    clients = _clients(tmp_path / "clients", EXAMPLES / "mei-lin-technical-froze.yaml")
    result = run_batch(
        clients,
        tmp_path / "reports",
        notebooks=[BATCH_FIXTURES / "hangs.ipynb"],
        pdf=False,
        progress=False,
        timeout=2,
    )
    (failed,) = result.failed
    assert failed.cell == 2
    assert "longer than 2 s" in failed.error


def test_the_same_jobs_run_on_a_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    clients = _clients(tmp_path / "clients", EXAMPLES / "mei-lin-technical-froze.yaml")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        result = run_batch(
            clients,
            tmp_path / "reports",
            dask_address=cluster.scheduler_address,
            pdf=False,
            progress=False,
            now=NOW,
        )
    assert [e.status for e in result.clients] == ["ok"]
    assert (tmp_path / "reports" / "mei-lin-technical-froze" / "report.html").is_file()


def test_the_command_names_each_failed_client_and_exits_1(tmp_path: Path) -> None:
    clients = _clients(tmp_path / "clients", EXAMPLES / "mei-lin-technical-froze.yaml")
    (clients / "typo.yaml").write_text("candidate:\n  name: Sam\ninterview: {}\n", "utf-8")
    out = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["batch", str(clients), "-o", str(out), "--no-pdf"])
    assert result.exit_code == 1
    assert "typo.yaml" in result.stderr and "interview.company" in result.stderr
    assert f"Index: {out / 'index.html'}" in result.stdout
    assert "Traceback" not in result.output
    assert (out / "mei-lin-technical-froze" / "report.html").is_file()


def test_without_chromium_pdfs_are_skipped_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    clients = _clients(tmp_path / "clients", EXAMPLES / "mei-lin-technical-froze.yaml")
    result = run_batch(clients, tmp_path / "reports", progress=False, now=NOW)
    assert [e.status for e in result.clients] == ["ok"]
    folder = tmp_path / "reports" / "mei-lin-technical-froze"
    assert (folder / "report.html").is_file() and not (folder / "report.pdf").exists()
    warnings = [line for line in capsys.readouterr().err.splitlines() if "PDF" in line]
    assert warnings == ["afterview: PDFs skipped: no Chromium found (install chromium)"]


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    clients = _clients(tmp_path / "clients", EXAMPLES / "mei-lin-technical-froze.yaml")
    out = tmp_path / "reports"
    out.mkdir()
    with open(out / LOCK_FILE, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(AfterviewError, match="another batch is writing to this folder"):
            run_batch(clients, out, pdf=False, progress=False)
    assert sorted(p.name for p in out.iterdir()) == [LOCK_FILE]


def test_a_killed_batch_leaves_no_half_written_file(tmp_path: Path) -> None:
    clients = _clients(tmp_path / "clients", *example_records())
    out = tmp_path / "reports"
    command = [str(Path(sys.executable).parent / "afterview"), "batch", str(clients)]
    process = subprocess.Popen(
        [*command, "-o", str(out), "--no-pdf", "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(out.glob(".*.partial-*")):
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) != 0
    for path in out.rglob("*"):
        assert path.name in (RUN_FILE, LOCK_FILE) or not path.name.startswith("."), path
    for folder in (p for p in out.iterdir() if p.is_dir()):
        assert (folder / RUN_FILE).is_file(), f"{folder.name} is incomplete"


@pytest.mark.browser
def test_a_reader_sees_the_headings_and_letters_in_the_report(batch: BatchResult) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    folder = batch.reports_dir / "ada-okafor-panel"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto((folder / "report.html").as_uri())
        seen = " ".join(page.inner_text("body").split())
        browser.close()
    assert "Your interview debrief" in seen
    assert "Keep perspective" in seen
    letter = (folder / "letters" / "01-priya-raman.txt").read_text(encoding="utf-8")
    assert " ".join(letter.split("\n\n", 1)[1].split("\n\n")[1].split()) in seen
    assert "import" not in seen


def test_the_index_leads_with_the_caseload_triage(batch: BatchResult) -> None:
    index = _text(batch.index)
    triage = index[: index.index("<h2>Reports</h2>")]
    assert "Who needs you first" in triage
    # At 24 Nov 18:00 UTC Zoë's three letters are overdue (send-by 22 Nov 06:30 UTC).
    assert triage.index("Zoë Brontë-Ngũgĩ") < triage.index("Ada Okafor")
    assert "Nudge to send 3 overdue letters today" in triage


def test_the_index_lists_each_letter_by_the_interviewers_name(batch: BatchResult) -> None:
    index = _text(batch.index)
    assert "Priya Raman (text)" in index and "Priya Raman (e-mail draft)" in index
    assert "01-priya-raman (text)" not in index


def test_a_batch_leaves_no_trace_of_its_clients_in_ipythons_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every kernel used to log its cells, the record's path among them, to IPython's history
    # database in the user's home, where it outlived the batch.
    home = tmp_path / "ipython"
    monkeypatch.setenv("IPYTHONDIR", str(home))
    clients = _clients(tmp_path / "clients", EXAMPLES / "mei-lin-technical-froze.yaml")
    result = run_batch(clients, tmp_path / "reports", pdf=False, progress=False, now=NOW)
    assert [e.status for e in result.clients] == ["ok"]
    for path in home.rglob("*"):
        if path.is_file():
            assert b"mei-lin" not in path.read_bytes(), f"{path} names the client"
