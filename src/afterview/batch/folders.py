"""The batch's own folders: safe names, the marker that says "made by Afterview", and the swap.

The batch only ever removes or replaces what it made itself. Every folder it makes carries
:data:`~afterview.batch.jobs.RUN_FILE` from the moment it exists; a folder without it (the
coach's own ``archive/``, say) is never renamed, replaced or removed. A client's folder name
comes from their record's file name only when that is a plain name (letters, digits, ``-``,
``_`` and inner dots, not one of the batch's own files); any other name becomes a slug, and the
index says so. A client's new report is built in a hidden staging folder beside the others and
swapped in by rename once complete, so the previous report stays until the new one is whole.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from afterview.batch.jobs import RUN_FILE, is_owned
from afterview.coaching.letters import slug
from afterview.record.errors import AfterviewError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; run one batch per folder at a time
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "LOCK_FILE",
    "RESERVED",
    "client_folder",
    "exclusive",
    "folder_names",
    "machine_fault",
    "refuse_foreign",
    "remove_leftovers",
    "remove_owned",
    "staging_folder",
    "swap_in",
]

LOCK_FILE = ".afterview-batch.lock"
RESERVED = frozenset({"index.html", "summary.html", "summary.csv", LOCK_FILE, RUN_FILE})
"""Names in the output folder that belong to the batch itself, never to a client."""
_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10))}
)
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
_MAX_NAME = 80
_PARTIAL = ".partial-"
_OLD = ".old-"


def _is_plain(name: str) -> bool:
    """A name that is one folder, visible, portable and not one of the batch's own files."""
    return (
        len(name) <= _MAX_NAME
        and _PLAIN.fullmatch(name) is not None
        and name.casefold() not in {reserved.casefold() for reserved in RESERVED}
        and name.split(".")[0].casefold() not in _DEVICES
    )


def folder_names(stems: Sequence[str]) -> list[str]:
    """A distinct, plain folder name for each record stem, in the same order.

    A plain stem is kept; any other becomes a slug (``Zoë Ngugi`` -> ``zoe-ngugi``). Names that
    would clash (also on a case-insensitive disk) get ``-2``, ``-3``... in the order given.
    """
    names: list[str] = []
    taken: set[str] = set()
    for stem in stems:
        base = stem if _is_plain(stem) else slug(stem, fallback="client")
        if not _is_plain(base):
            base = f"client-{base}"
        name, number = base, 1
        while name.casefold() in taken:
            number += 1
            suffix = f"-{number}"
            name = base[: _MAX_NAME - len(suffix)].rstrip(".") + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def client_folder(reports_dir: Path, name: str) -> Path:
    """The folder ``name`` directly inside ``reports_dir``; refuses any name that is not plain."""
    if not _is_plain(name):
        raise ValueError(f"not a plain folder name: {name!r}")
    return reports_dir / name


def machine_fault(error: OSError) -> AfterviewError:
    """A fault of the machine, not of a record (disk full, permission denied): one plain line."""
    return AfterviewError(
        f"{error.strerror or error}; free some disk space or make the folder writable for you, "
        "then run the batch again",
        path=str(error.filename) if error.filename else None,
    )


@contextlib.contextmanager
def exclusive(reports_dir: Path) -> Iterator[None]:
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


def staging_folder(reports_dir: Path, name: str) -> Path:
    """A fresh hidden folder name for building ``name``'s report (made by the worker)."""
    return client_folder(reports_dir, name).with_name(f".{name}{_PARTIAL}{uuid.uuid4().hex[:8]}")


def remove_owned(folder: Path) -> None:
    """Remove ``folder`` only if the batch made it (it carries the marker)."""
    if is_owned(folder):
        shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(reports_dir: Path) -> None:
    """Staging and replaced folders a killed run left behind, never anything else."""
    for path in reports_dir.iterdir():
        if path.name.startswith(".") and (_PARTIAL in path.name or _OLD in path.name):
            remove_owned(path)


def refuse_foreign(final: Path) -> None:
    """Raise if something the batch did not make is at ``final``."""
    if (final.exists() or final.is_symlink()) and not is_owned(final):
        raise AfterviewError(
            "this is in the output folder but was not made by Afterview, so the batch leaves "
            "it alone; move it, or choose another output folder with -o",
            path=str(final),
        )


def swap_in(staging: Path, final: Path) -> None:
    """Put a complete folder in place of ``final``, which must be absent or the batch's own.

    The old folder is renamed away first and removed only once the new one is in place.
    """
    refuse_foreign(final)
    old = None
    if final.exists() or final.is_symlink():
        old = final.with_name(f".{final.name}{_OLD}{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(staging, final)
    if old is not None:
        remove_owned(old)
