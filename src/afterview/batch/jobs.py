"""One client's batch job and its outcome, as plain data.

A :class:`ClientJob` holds only strings, numbers and tuples, so it pickles: the same job runs in
a thread of this process, in a process pool or on a Dask worker. A :class:`JobResult` comes
back the same way. The fingerprint says whether a client's report is out of date: it changes
when the record, a notebook, a report option or the Afterview version changes.
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
    "fingerprint",
    "is_current",
    "mark_current",
]

Status = Literal["ok", "failed", "skipped"]

RUN_FILE = ".afterview-run.json"
"""Written last into a client's report folder: the fingerprint of the run that made it."""


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
    """Papermill parameters besides ``record``: ``interactive``, ``coach_view``, ``now``."""
    timeout: int
    """Seconds any one cell may run before the client's run is stopped."""
    fingerprint: str


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
    record_file: str
    status: Status
    error: str = ""
    notebook: str = ""
    cell: int | None = None
    seconds: float = 0.0
    record: Record | None = None


def fingerprint(record: Path, notebooks: Sequence[Path], options: dict[str, object]) -> str:
    """A hash of everything that decides what a client's report looks like."""
    digest = hashlib.sha256()
    digest.update(f"afterview {__version__}\n".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in (record, *notebooks):
        digest.update(f"\n{path.name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_current(folder: Path, fingerprint: str) -> bool:
    """Did a successful run with this fingerprint produce ``folder``?"""
    try:
        stored = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stored, dict) and stored.get("fingerprint") == fingerprint


def mark_current(folder: Path, fingerprint: str) -> None:
    """Record that ``folder`` holds a complete run with this fingerprint."""
    with atomic_write(folder / RUN_FILE) as handle:
        json.dump({"fingerprint": fingerprint, "afterview": __version__}, handle)
