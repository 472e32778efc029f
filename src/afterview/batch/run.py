"""``afterview batch``: every client's report, letters and calendar, an index and a summary.

For each record in a folder, the client's notebooks run in one fresh, pre-warmed kernel (see
:mod:`.kernels` and :mod:`.runner`); this process then prints the PDFs, checks
that no coach note reached a client-facing file, and moves the client's finished folder into
place in one rename. A client whose record is invalid or whose run fails is named in the index
and in :attr:`BatchResult.failed`, with the notebook, cell and error; the others still get their
reports. Clients whose record and notebooks did not change since their last successful run are
skipped unless ``force`` is set.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import os
import shutil
import signal
import sys
import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from tqdm import tqdm

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; run one batch per folder at a time
    fcntl = None  # type: ignore[assignment]

from afterview.batch.executors import execute
from afterview.batch.export import PdfPrinter
from afterview.batch.index import write_index
from afterview.batch.jobs import (
    ClientEntry,
    ClientJob,
    JobResult,
    fingerprint,
    is_current,
    mark_current,
)
from afterview.batch.kernels import ForkServer
from afterview.batch.privacy import leaked_files
from afterview.batch.summary import write_summary
from afterview.record import coachfile, store
from afterview.record.errors import AfterviewError, RecordError
from afterview.record.schema import Record
from afterview.workbook.files import REPORT_NOTEBOOK, STEP_NOTEBOOKS, notebooks_dir

__all__ = ["DEFAULT_TIMEOUT", "BatchResult", "ClientEntry", "default_notebooks", "run_batch"]

DEFAULT_TIMEOUT = 120
"""Seconds one notebook cell may run before that client's run is stopped."""
LOCK_FILE = ".afterview-batch.lock"
_PARTIAL = ".partial-"
_OLD = ".old-"


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
) -> BatchResult:
    """Build every client's report from ``clients_dir`` into ``reports_dir``.

    ``executor`` runs the jobs (a ``concurrent.futures.Executor``; its workers start their own
    kernels); without one, ``workers`` threads (default: the number of CPU cores) share a pool
    of pre-warmed kernels. ``dask_address`` runs them on a Dask cluster instead.
    ``kernel_server``: a kernel template started early (the batch closes it), so it boots
    while the caller is still importing; one is started when needed otherwise.
    """
    try:
        return _run_batch(
            Path(clients_dir),
            Path(reports_dir),
            workers=workers,
            pdf=pdf,
            force=force,
            executor=executor,
            dask_address=dask_address,
            progress=progress,
            steps=steps,
            notebooks=notebooks,
            timeout=timeout,
            now=now,
            kernel_server=kernel_server,
        )
    finally:
        if kernel_server is not None:
            kernel_server.close()  # a no-op if the kernel pool closed it already


def _run_batch(
    clients_dir: Path,
    reports_dir: Path,
    *,
    workers: int | None,
    pdf: bool,
    force: bool,
    executor: cf.Executor | None,
    dask_address: str | None,
    progress: bool,
    steps: bool,
    notebooks: Sequence[Path] | None,
    timeout: int,
    now: dt.datetime | None,
    kernel_server: ForkServer | None,
) -> BatchResult:
    paths = _find_records(clients_dir)
    chosen = [Path(p).resolve() for p in (notebooks or default_notebooks(steps))]
    now = now or dt.datetime.now(dt.UTC)
    reports_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive(reports_dir):
        _remove_leftovers(reports_dir)
        options: dict[str, object] = {"pdf": pdf, "timeout": timeout}

        entries: dict[str, ClientEntry] = {}
        jobs: list[ClientJob] = []
        for path in paths:
            name = path.stem
            entry = entries[name] = ClientEntry(name=name, record_file=path.name, status="ok")
            try:
                entry.record = coachfile.load(path, coach=True)  # the coach's summary
            except RecordError as error:  # the file is named beside the error already
                entry.status, entry.error = (
                    "failed",
                    str(RecordError(error.message, field=error.field)),
                )
                shutil.rmtree(reports_dir / name, ignore_errors=True)
                continue
            stamp = fingerprint(path, chosen, options)
            if not force and is_current(reports_dir / name, stamp):
                entry.status = "skipped"
                continue
            jobs.append(
                ClientJob(
                    name=name,
                    record=str(path.resolve()),
                    staging=str(reports_dir / f".{name}{_PARTIAL}{uuid.uuid4().hex[:8]}"),
                    notebooks=tuple(str(p) for p in chosen),
                    parameters=(
                        ("interactive", False),
                        ("coach_view", False),
                        ("now", now.isoformat(timespec="seconds")),
                    ),
                    timeout=timeout,
                    fingerprint=stamp,
                )
            )

        bar = _Progress(total=len(entries), done=len(entries) - len(jobs), enabled=progress)
        pdf_problem = ""
        with contextlib.ExitStack() as stack:
            stack.enter_context(_sigterm_as_interrupt())
            stack.callback(_remove_staging, jobs)
            printer = stack.enter_context(PdfPrinter()) if pdf and jobs else None
            if printer is not None and not printer.available:
                pdf_problem = f"PDFs skipped: {printer.problem}"
                print(f"afterview: {pdf_problem}", file=sys.stderr)
                printer = None
            for result in execute(jobs, workers, executor, dask_address, kernel_server):
                entry = entries[result.name]
                entry.seconds = result.seconds
                if result.status == "ok":
                    problem = _finish(result, entry.record, reports_dir, printer)
                    if problem:
                        result = dataclasses.replace(result, status="failed", error=problem)
                if result.status == "failed":
                    entry.status, entry.error = "failed", result.error
                    entry.notebook, entry.cell = result.notebook, result.cell
                    shutil.rmtree(reports_dir / result.name, ignore_errors=True)
                bar.advance(failed=result.status == "failed")
            bar.close()

        clients = [entries[name] for name in sorted(entries)]
        index = write_index(reports_dir, clients, now=now, clients_dir=clients_dir)
        summary_html, summary_csv = write_summary(
            [(e.name, e.record) for e in clients if e.record is not None], reports_dir, now=now
        )
        return BatchResult(reports_dir, clients, index, summary_html, summary_csv, pdf_problem)


# --- finding clients and cleaning up --------------------------------------------------------


def _find_records(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise AfterviewError(
            "no such folder; give the folder that holds the client records", path=str(folder)
        )
    paths = coachfile.record_paths(folder)
    if not paths:
        raise AfterviewError("holds no client records (*.yaml)", path=str(folder))
    stems = [p.stem for p in paths]
    twins = sorted({stem for stem in stems if stems.count(stem) > 1})
    if twins:
        raise AfterviewError(
            f"two records would share the report folder {twins[0]!r}; rename one of them",
            path=str(folder),
        )
    return paths


@contextlib.contextmanager
def _exclusive(reports_dir: Path) -> Iterator[None]:
    """One batch at a time per reports folder: another would delete this one's staging."""
    with open(reports_dir / LOCK_FILE, "a+b") as lock:
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise AfterviewError(
                    "another batch is writing to this folder; wait for it or choose another",
                    path=str(reports_dir),
                ) from None
        yield


def _remove_leftovers(reports_dir: Path) -> None:
    """Folders a killed run left half-built, which never carry a final name."""
    for path in reports_dir.iterdir():
        if path.name.startswith(".") and (_PARTIAL in path.name or _OLD in path.name):
            shutil.rmtree(path, ignore_errors=True)


def _remove_staging(jobs: list[ClientJob]) -> None:
    for job in jobs:
        shutil.rmtree(job.staging, ignore_errors=True)


# --- finishing one client -------------------------------------------------------------------


def _finish(
    result: JobResult, record: Record | None, reports_dir: Path, printer: PdfPrinter | None
) -> str:
    """PDFs, the privacy check and the move into place; returns an error line or ''."""
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
        mark_current(staging, result.fingerprint)
        _replace_folder(staging, reports_dir / result.name)
    except AfterviewError as error:
        return str(error)
    except OSError as error:
        return f"could not write the report ({error.strerror or error})"
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ""


def _replace_folder(staging: Path, final: Path) -> None:
    """Swap a finished folder into place: the old one is renamed away, then removed."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}{_OLD}{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
