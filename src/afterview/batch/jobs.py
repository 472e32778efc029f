"""One client's batch job and its outcome, as plain data.

A :class:`ClientJob` holds only strings, numbers and tuples, so it pickles: the same job runs in
a thread of this process, in a process pool or on a Dask worker. A :class:`JobResult` comes
back the same way. The fingerprint says whether a client's report is out of date: it changes
when the record, the same person's other records, a notebook, a report option (such as what
``--now`` says about the letters' deadline) or the Afterview version changes. Whether the PDFs
were made is stored beside it, so a run without Chromium is made again once Chromium is there.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from afterview import __version__
from afterview.record.schema import Record
from afterview.record.store import atomic_write

__all__ = [
    "RUN_FILE",
    "ClientEntry",
    "ClientJob",
    "JobResult",
    "Status",
    "claim",
    "fingerprint",
    "is_current",
    "is_owned",
    "mark_current",
]

Status = Literal["ok", "failed", "skipped"]

RUN_FILE = ".afterview-run.json"
"""In every folder the batch makes, from the start: the batch's mark of ownership. Rewritten
last with the fingerprint of the run that completed the folder."""


@dataclasses.dataclass(frozen=True)
class ClientJob:
    """Everything a worker needs to build one client's report, and nothing else."""

    name: str
    """The client's folder name in the reports folder (the record file's stem)."""
    record: str
    """Absolute path of the record file."""
    staging: str
    """Where the worker writes; the batch moves it into place only if every step succeeded."""
    notebooks: tuple[str, ...]
    """Absolute paths of the notebooks to run, in order, all in one fresh kernel."""
    parameters: tuple[tuple[str, str | bool], ...]
    """Papermill parameters besides ``record``: ``interactive``, ``coach_view``, ``now``,
    ``history`` (the same person's other records, one path a line) and ``calibration``."""
    timeout: int
    """Seconds any one cell may run before the client's run is stopped."""
    fingerprint: str
    previous: str = ""
    """The client's current report folder (absolute), whose hand-edited letters are kept."""


@dataclasses.dataclass(frozen=True)
class JobResult:
    """How one client's run ended. ``staging`` is set only when it succeeded."""

    name: str
    record: str
    status: Status
    error: str = ""
    """One line: the notebook, the cell and the error, or why the record was refused."""
    notebook: str = ""
    cell: int | None = None
    """1-based position of the failing cell in its notebook, as a coach sees it in Jupyter."""
    staging: str = ""
    fingerprint: str = ""
    seconds: float = 0.0


@dataclasses.dataclass
class ClientEntry:
    """One client's line in the batch index: the outcome plus what the index shows."""

    name: str
    """The client's folder in the reports folder."""
    record_file: str
    status: Status
    error: str = ""
    note: str = ""
    """For the coach, beside the status: a renamed folder, a previous report kept."""
    notebook: str = ""
    cell: int | None = None
    seconds: float = 0.0
    record: Record | None = None


def fingerprint(
    record: Path,
    notebooks: Sequence[Path],
    options: dict[str, object],
    *,
    related: Sequence[Path] = (),
) -> str:
    """A hash of everything that decides what a client's report looks like; ``related`` are the
    same person's other records, whose interviews the report's history shows."""
    digest = hashlib.sha256()
    digest.update(f"afterview {__version__}\n".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in (record, *related, *notebooks):
        digest.update(f"\n{path.name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _stored(folder: Path) -> dict[str, object] | None:
    if folder.is_symlink():
        return None
    try:
        stored = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stored if isinstance(stored, dict) and "afterview" in stored else None


def is_owned(folder: Path) -> bool:
    """Did the batch make ``folder`` (it carries :data:`RUN_FILE`)? Never true of a link."""
    return _stored(folder) is not None


def is_current(folder: Path, fingerprint: str, *, pdf: bool) -> bool:
    """Did a complete run with this fingerprint (and PDFs, if ``pdf``) produce ``folder``?"""
    stored = _stored(folder) or {}
    return stored.get("fingerprint") == fingerprint and (bool(stored.get("pdf")) or not pdf)


def claim(folder: Path) -> None:
    """Make ``folder`` (it must not exist) and mark it as the batch's own, before anything else."""
    folder.mkdir(parents=True, exist_ok=False)
    try:
        _mark(folder, {})
    except BaseException:
        folder.rmdir()  # still empty: nothing of anyone's is lost
        raise


def mark_current(folder: Path, fingerprint: str, *, pdf: bool) -> None:
    """Record that ``folder`` holds a complete run with this fingerprint (with PDFs or not)."""
    _mark(folder, {"fingerprint": fingerprint, "pdf": pdf})


def _mark(folder: Path, fields: dict[str, object]) -> None:
    with atomic_write(folder / RUN_FILE) as handle:
        json.dump({"afterview": __version__, **fields}, handle)
