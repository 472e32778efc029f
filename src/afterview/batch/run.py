"""``afterview batch``: every client's report, letters and calendar, an index and a summary.

For each record in a folder, the client's notebooks run in one fresh, pre-warmed kernel (see
:mod:`.kernels` and :mod:`.runner`); this process then prints the PDFs, checks
that no coach note reached a client-facing file, and swaps the client's finished folder into
place in one rename (see :mod:`.finish` and :mod:`.folders`: the batch only ever replaces a
folder it made). The progress bar and the handling of a kill are in :mod:`.progress`. Any
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
import sys
from collections.abc import Sequence
from pathlib import Path

from afterview.batch.executors import execute
from afterview.batch.export import PdfPrinter
from afterview.batch.finish import collect, one_line
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
)
from afterview.batch.index import write_index
from afterview.batch.jobs import ClientEntry, ClientJob, fingerprint, is_current, is_owned
from afterview.batch.kernels import ForkServer
from afterview.batch.progress import Progress, sigterm_as_interrupt
from afterview.batch.summary import ClientRow, client_row, from_rows, write_cohort
from afterview.coaching.calibration import calibration_sentence
from afterview.coaching.checks import check_letters
from afterview.coaching.history import group_key, same_person
from afterview.record import coachfile
from afterview.record.errors import AfterviewError
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
            _hold(stack, reports_dir)
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
            stack.enter_context(sigterm_as_interrupt())
            stack.callback(_remove_staging, jobs)
            bar = Progress(total=len(entries), done=len(entries) - len(jobs), enabled=progress)
            printer, pdf_problem = _printer(stack, wanted=pdf and bool(jobs))
            results = execute(jobs, workers, executor, dask_address, kernel_server)
            collect(results, [entries[job.name] for job in jobs], reports_dir, printer, bar)
            bar.close()
            return _overview(reports_dir, entries, now, pdf_problem, Path(clients_dir))
        except OSError as error:
            raise machine_fault(error) from None


def _hold(stack: contextlib.ExitStack[bool | None], reports_dir: Path) -> None:
    """Make the reports folder, hold it for this batch alone (until ``stack`` closes) and clear
    what a killed batch left in it."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    stack.enter_context(exclusive(reports_dir))
    remove_leftovers(reports_dir)


def _printer(
    stack: contextlib.ExitStack[bool | None], *, wanted: bool
) -> tuple[PdfPrinter | None, str]:
    """A PDF printer when PDFs are wanted and can be made; else None, and why not (or '')."""
    printer = stack.enter_context(PdfPrinter()) if wanted else None
    if printer is None or printer.available:
        return printer, ""
    problem = f"PDFs skipped: {printer.problem}"
    print(f"afterview: {problem}", file=sys.stderr)
    return None, problem


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
                # The coach's summary reads it; the client's own run reads it strictly again.
                entry.record = coachfile.load(path, coach=True, quick=True)
            except Exception as error:  # any kind: only this client fails
                entry.status, entry.error = "failed", one_line(error)
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
                entry.status, entry.error = "failed", one_line(error)
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
            entry.status, entry.error = "failed", f"cannot be summarised: {one_line(error)}"
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
