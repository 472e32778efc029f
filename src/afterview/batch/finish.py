"""How each client's run ends in a batch: finished into place, or failed with one line.

A finished run's PDFs are printed, its files checked for coach notes, and its folder swapped in
(see :mod:`.folders`); anything that goes wrong fails only that client, with one line that says
why (:func:`one_line`), and their previous report stays. Used by :mod:`afterview.batch.run`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from afterview.batch.export import PdfPrinter
from afterview.batch.folders import client_folder, machine_fault, remove_owned, swap_in
from afterview.batch.jobs import ClientEntry, JobResult, mark_current
from afterview.batch.privacy import leaked_files
from afterview.batch.progress import Progress
from afterview.record import store
from afterview.record.errors import AfterviewError, RecordError
from afterview.record.schema import Record

__all__ = ["collect", "one_line"]


def collect(
    results: Iterator[JobResult],
    waiting: list[ClientEntry],
    reports_dir: Path,
    printer: PdfPrinter | None,
    bar: Progress,
) -> None:
    """Finish each client as their run ends. If the runs cannot go on at all (no kernel would
    start, the Dask cluster went away), every client still waiting fails with that one line."""
    by_name = {entry.name: entry for entry in waiting}
    try:
        for result in results:
            bar.advance(failed=_record(result, by_name.pop(result.name), reports_dir, printer))
    except (AfterviewError, OSError) as error:
        for entry in by_name.values():
            entry.status, entry.error = "failed", one_line(error)


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


def one_line(error: Exception) -> str:
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
        return one_line(error)
    finally:
        remove_owned(staging)
    return ""
