"""``afterview batch``: every client's report, letters and calendar, an index and a summary.

For each record in a folder, the client's notebooks run in one fresh, pre-warmed kernel (see
:mod:`.kernels` and :mod:`.runner`); this process then prints the PDFs, checks
that no coach note reached a client-facing file, and swaps the client's finished folder into
place in one rename (see :mod:`.folders`: the batch only ever replaces a folder it made). Any
error of one client, whatever its kind, fails only that client: it is named in the index and in
:attr:`BatchResult.failed` with one line (the notebook, cell and error), its previous report is
kept, and the others still get theirs; the index and summary are always written. Clients whose
report is still current (same record, notebooks, options and deadline state, PDFs made if asked
for) are skipped unless ``force`` is set.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from tqdm import tqdm

from afterview.batch.executors import execute
from afterview.batch.export import PdfPrinter
from afterview.batch.folders import (
    LOCK_FILE,
    client_folder,
    exclusive,
    folder_names,
    machine_fault,
    refuse_foreign,
    remove_leftovers,
    remove_owned,
    staging_folder,
    swap_in,
)
from afterview.batch.index import write_index
from afterview.batch.jobs import (
    ClientEntry,
    ClientJob,
    JobResult,
    fingerprint,
    is_current,
    is_owned,
    mark_current,
)
from afterview.batch.kernels import ForkServer
from afterview.batch.privacy import leaked_files
from afterview.batch.summary import ClientRow, client_row, from_rows, write_cohort
from afterview.coaching.calibration import calibration_sentence
from afterview.coaching.checks import check_letters
from afterview.coaching.history import group_key, same_person
from afterview.record import coachfile, store
from afterview.record.errors import AfterviewError, RecordError
from afterview.record.schema import Record
from afterview.workbook.files import REPORT_NOTEBOOK, STEP_NOTEBOOKS, notebooks_dir

__all__ = [
    "DEFAULT_TIMEOUT",
    "LOCK_FILE",
    "BatchResult",
    "ClientEntry",
    "default_notebooks",
    "run_batch",
]

DEFAULT_TIMEOUT = 120
"""Seconds one notebook cell may run before that client's run is stopped."""


@dataclasses.dataclass
class BatchResult:
    reports_dir: Path
    clients: list[ClientEntry]
    index: Path
    summary_html: Path
    summary_csv: Path
    pdf_problem: str = ""
    """Why PDFs were skipped although asked for (no Chromium), or empty."""

    @property
    def failed(self) -> list[ClientEntry]:
        return [entry for entry in self.clients if entry.status == "failed"]


def default_notebooks(steps: bool = False) -> list[Path]:
    """The report notebook (and, with ``steps``, every step notebook before it)."""
    folder = notebooks_dir()
    report = folder / REPORT_NOTEBOOK
    if not report.is_file():
        raise AfterviewError(
            "the report notebook is missing; reinstall Afterview", path=str(report)
        )
    chosen = []
    if steps:
        chosen = [folder / name for name in STEP_NOTEBOOKS]
    return [*chosen, report]


def run_batch(
    clients_dir: Path | str,
    reports_dir: Path | str,
    *,
    workers: int | None = None,
    pdf: bool = True,
    force: bool = False,
    executor: cf.Executor | None = None,
    dask_address: str | None = None,
    progress: bool = True,
    steps: bool = False,
    notebooks: Sequence[Path] | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    now: dt.datetime | None = None,
    kernel_server: ForkServer | None = None,
    calibration: bool = False,
) -> BatchResult:
    """Build every client's report from ``clients_dir`` into ``reports_dir``.

    ``executor`` runs the jobs (a ``concurrent.futures.Executor``; its workers start their own
    kernels); without one, ``workers`` threads (default: the number of CPU cores) share a pool
    of pre-warmed kernels. ``dask_address`` runs them on a Dask cluster instead.
    ``kernel_server``: a kernel template started early (the batch closes it), so it boots
    while the caller is still importing; one is started when needed otherwise.
    ``calibration`` (the coach's switch, off by default) shows every client, in step 1 of their
    report, how interviews rated 3 or lower right after turned out across all the records in
    ``clients_dir`` (no sentence below ``caseload.calibration_minimum`` such interviews).
    A fault of the machine (disk full, permission denied) raises one plain
    :class:`~afterview.record.errors.AfterviewError` naming the file.
    """
    reports_dir = Path(reports_dir)
    now = now or dt.datetime.now(dt.UTC)
    with contextlib.ExitStack() as stack:
        if kernel_server is not None:
            stack.callback(kernel_server.close)  # a no-op if the kernel pool closed it already
        try:
            paths = _find_records(Path(clients_dir))
            chosen = [Path(p).resolve() for p in (notebooks or default_notebooks(steps))]
            reports_dir.mkdir(parents=True, exist_ok=True)
            stack.enter_context(exclusive(reports_dir))
            remove_leftovers(reports_dir)
            plan = _Plan(
                reports_dir,
                chosen,
                now,
                pdf=pdf,
                force=force,
                timeout=timeout,
                calibration=calibration,
            )
            entries, jobs = plan.make(paths)
            stack.enter_context(_sigterm_as_interrupt())
            stack.callback(_remove_staging, jobs)
            bar = _Progress(total=len(entries), done=len(entries) - len(jobs), enabled=progress)
            printer = stack.enter_context(PdfPrinter()) if pdf and jobs else None
            pdf_problem = ""
            if printer is not None and not printer.available:
                pdf_problem = f"PDFs skipped: {printer.problem}"
                print(f"afterview: {pdf_problem}", file=sys.stderr)
                printer = None
            results = execute(jobs, workers, executor, dask_address, kernel_server)
            _collect(results, [entries[job.name] for job in jobs], reports_dir, printer, bar)
            bar.close()
            return _overview(reports_dir, entries, now, pdf_problem, Path(clients_dir))
        except OSError as error:
            raise machine_fault(error) from None


@dataclasses.dataclass(frozen=True)
class _Plan:
    """Which clients run and which are refused or skipped, before any kernel starts."""

    reports_dir: Path
    notebooks: list[Path]
    now: dt.datetime
    pdf: bool
    force: bool
    timeout: int
    calibration: bool = False
    """The coach's switch: the practice's calibration sentence in every client's step 1."""

    def make(self, paths: list[Path]) -> tuple[dict[str, ClientEntry], list[ClientJob]]:
        entries: dict[str, ClientEntry] = {}
        for path, name in zip(paths, folder_names([p.stem for p in paths]), strict=True):
            entry = entries[name] = ClientEntry(name=name, record_file=path.name, status="ok")
            if name != path.stem:
                entry.note = (
                    f"folder renamed to {name}/: {path.stem!r} is not a plain folder name, "
                    "or another record's"
                )
            try:
                entry.record = coachfile.load(path, coach=True)  # the coach's summary reads it
            except Exception as error:  # any kind: only this client fails
                entry.status, entry.error = "failed", _one_line(error)
        valid = [
            (path, entry)
            for path, entry in zip(paths, entries.values(), strict=True)
            if entry.record is not None
        ]
        loaded = [(path, entry.record) for path, entry in valid if entry.record is not None]
        sentence = calibration_sentence(r for _, r in loaded) if self.calibration else ""
        people: dict[str, list[tuple[Path, Record]]] = {}
        for path, record in loaded:
            people.setdefault(group_key(record), []).append((path, record))
        jobs: list[ClientJob] = []
        for (path, entry), (_, record) in zip(valid, loaded, strict=True):
            others = same_person(path, record, people[group_key(record)])
            try:
                job = self._job(path, entry, others, sentence)
            except Exception as error:  # any kind: only this client fails
                entry.status, entry.error = "failed", _one_line(error)
                continue
            if job is None:
                entry.status = "skipped"
            else:
                jobs.append(job)
        return entries, jobs

    def _job(
        self, path: Path, entry: ClientEntry, others: list[Path], sentence: str
    ) -> ClientJob | None:
        """The client's job, or None when their report is current; raises if they must fail.

        ``others``: the same person's other records, the only ones their report may read;
        ``sentence``: the practice's calibration sentence for step 1, or empty.
        """
        final = client_folder(self.reports_dir, entry.name)
        refuse_foreign(final)
        options = {"timeout": self.timeout, "calibration": sentence, **self._as_of(entry)}
        stamp = fingerprint(path, self.notebooks, options, related=others)
        if not self.force and is_current(final, stamp, pdf=self.pdf):
            return None
        return ClientJob(
            name=entry.name,
            record=str(path.resolve()),
            staging=str(staging_folder(self.reports_dir, entry.name)),
            notebooks=tuple(str(p) for p in self.notebooks),
            parameters=(
                ("interactive", False),
                ("coach_view", False),
                ("now", self.now.isoformat(timespec="seconds")),
                ("history", "\n".join(str(p.resolve()) for p in others)),
                ("calibration", sentence),
            ),
            timeout=self.timeout,
            fingerprint=stamp,
            previous=str(final.resolve()) if is_owned(final) else "",
        )

    def _as_of(self, entry: ClientEntry) -> dict[str, object]:
        """What ``now`` changes in the report: the letters' deadline findings."""
        assert entry.record is not None
        findings = check_letters(entry.record, [], now=self.now)
        return {"deadline": [f"{f.code}: {f.message}" for f in findings]}


def _collect(
    results: Iterator[JobResult],
    waiting: list[ClientEntry],
    reports_dir: Path,
    printer: PdfPrinter | None,
    bar: _Progress,
) -> None:
    """Finish each client as their run ends. If the runs cannot go on at all (no kernel would
    start, the Dask cluster went away), every client still waiting fails with that one line."""
    by_name = {entry.name: entry for entry in waiting}
    try:
        for result in results:
            bar.advance(failed=_record(result, by_name.pop(result.name), reports_dir, printer))
    except (AfterviewError, OSError) as error:
        for entry in by_name.values():
            entry.status, entry.error = "failed", _one_line(error)


def _record(
    result: JobResult, entry: ClientEntry, reports_dir: Path, printer: PdfPrinter | None
) -> bool:
    """Finish one client's run into ``entry``; True if the client failed."""
    entry.seconds = result.seconds
    if result.status == "ok":
        problem = _finish(result, entry.record, reports_dir, printer)
        if problem:
            result = dataclasses.replace(result, status="failed", error=problem)
    if result.status != "failed":
        return False
    entry.status, entry.error = "failed", _line(result.error)
    entry.notebook, entry.cell = result.notebook, result.cell
    return True


def _overview(
    reports_dir: Path,
    entries: dict[str, ClientEntry],
    now: dt.datetime,
    pdf_problem: str,
    clients_dir: Path,
) -> BatchResult:
    """The index and the summary, always: a client the summary cannot count fails alone."""
    clients = [entries[name] for name in sorted(entries)]
    rows: list[ClientRow] = []
    records: list[Record] = []
    for entry in clients:
        if entry.record is None or entry.status == "failed":
            continue
        try:
            rows.append(client_row(entry.name, entry.record, now))
            records.append(entry.record)
        except Exception as error:  # any kind: only this client fails
            entry.status, entry.error = "failed", f"cannot be summarised: {_one_line(error)}"
    for entry in clients:
        if entry.status == "failed" and is_owned(client_folder(reports_dir, entry.name)):
            kept = f"the previous report is kept in {entry.name}/"
            entry.note = "; ".join(note for note in (entry.note, kept) if note)
    index = write_index(reports_dir, clients, now=now, clients_dir=clients_dir)
    summary_html, summary_csv = write_cohort(from_rows(tuple(rows), now, records), reports_dir)
    return BatchResult(reports_dir, clients, index, summary_html, summary_csv, pdf_problem)


# --- finding clients ------------------------------------------------------------------------


def _find_records(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise AfterviewError(
            "no such folder; give the folder that holds the client records", path=str(folder)
        )
    paths = coachfile.record_paths(folder)
    if not paths:
        raise AfterviewError("holds no client records (*.yaml)", path=str(folder))
    return paths


def _remove_staging(jobs: list[ClientJob]) -> None:
    for job in jobs:
        remove_owned(Path(job.staging))


def _one_line(error: Exception) -> str:
    """Any error of one client as one line: a record's own message, or the kind and text."""
    if isinstance(error, RecordError):  # the file is named beside the error already
        text = str(RecordError(error.message, field=error.field))
    elif isinstance(error, AfterviewError):
        text = str(error)
    elif isinstance(error, OSError):
        text = str(machine_fault(error))
    else:
        text = f"{type(error).__name__}: {str(error)[:200]}"
    return _line(text)


def _line(text: str) -> str:
    return " ".join(text.split())


# --- finishing one client -------------------------------------------------------------------


def _finish(
    result: JobResult, record: Record | None, reports_dir: Path, printer: PdfPrinter | None
) -> str:
    """PDFs, the privacy check and the swap into place; returns an error line or ''."""
    staging = Path(result.staging)
    try:
        if printer is not None:
            for page in sorted(staging.glob("*.html")):
                data = printer.print_pdf(page.read_text(encoding="utf-8"))
                with store.atomic_write(page.with_suffix(".pdf"), "wb") as handle:
                    handle.write(data)
        notes = record.coach_notes if record is not None else ""
        leaks = leaked_files(staging, notes)
        if leaks:
            return (
                f"{leaks[0].name}: coach notes appear in a client-facing file; the report was "
                "withheld (check the notebook shows coach_notes only when coach_view is True)"
            )
        mark_current(staging, result.fingerprint, pdf=printer is not None)
        swap_in(staging, client_folder(reports_dir, result.name))
    except Exception as error:  # any kind: only this client fails, its old report stays
        return _one_line(error)
    finally:
        remove_owned(staging)
    return ""


# --- progress and signals -------------------------------------------------------------------


class _Progress:
    """done / failed / remaining and the time left, on stderr."""

    def __init__(self, total: int, done: int, enabled: bool) -> None:
        self.total, self.done, self.failed = total, done, 0
        self._bar = tqdm(
            total=total,
            initial=done,
            unit="client",
            desc="afterview batch",
            file=sys.stderr,
            disable=not enabled,
            dynamic_ncols=True,
        )
        self._show()

    def _show(self) -> None:
        remaining = self.total - self.done - self.failed
        self._bar.set_postfix_str(
            f"done {self.done}, failed {self.failed}, remaining {remaining}", refresh=True
        )

    def advance(self, *, failed: bool) -> None:
        if failed:
            self.failed += 1
        else:
            self.done += 1
        self._bar.update(1)
        self._show()

    def close(self) -> None:
        self._bar.close()


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """A kill (SIGTERM) unwinds like Ctrl-C, so staging folders and kernels are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
