"""Writing files so that nothing is ever half-written, overwritten by accident or left behind.

:func:`atomic_write` writes beside the target and renames over it; :func:`locked` keeps two
windows from writing one record at once; a record made read-only is never replaced; temporary
files a killed save left are removed by the next one; :func:`set_aside` keeps a copy of a file
about to be replaced; :func:`stamp` tells cheaply whether a file was written since.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

__all__ = [
    "Stamp",
    "atomic_write",
    "locked",
    "read_only",
    "remove_stale_temp_files",
    "set_aside",
    "stamp",
]

Stamp = tuple[tuple[int, int, int] | None, ...]


def stamp(paths: Sequence[Path]) -> Stamp:
    """What tells the files' versions apart without reading them: one ``stat`` each (the
    inode too, since an atomic write is a new file; None: absent)."""
    found: list[tuple[int, int, int] | None] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            found.append(None)
        else:
            found.append((info.st_ino, info.st_mtime_ns, info.st_size))
    return tuple(found)


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], timeout: float = 10) -> Iterator[None]:
    """Hold the record's lock file (``.NAME.yaml.lock`` beside it); re-entrant in one process.

    Saves take it; a session holds it around read, merge and save, so no other window writes
    in between. Waiting longer than ``timeout`` seconds raises an OSError.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path.with_name(f".{path.name}.lock"), timeout=timeout, is_singleton=True)
    try:
        lock.acquire()
    except Timeout:
        raise TimeoutError(
            errno.ETIMEDOUT, "another window has been saving it for too long; try again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def read_only(path: Path) -> bool:
    """The file exists and nobody may write it (root ignores permissions, so look at the bits)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def remove_stale_temp_files(path: Path) -> None:
    """Remove temporary files a killed save left beside the record (we hold the lock, so no
    save of ours is writing one now)."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]{{8}}\.tmp")
    with contextlib.suppress(OSError):
        for entry in path.parent.iterdir():
            if pattern.fullmatch(entry.name) and entry.is_file():
                entry.unlink(missing_ok=True)


def set_aside(path: Path) -> Path:
    """Copy a file that is about to be replaced to ``NAME.yaml.broken-YYYYmmdd-HHMMSS``."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    copy_path = path.with_name(f"{path.name}.broken-{stamp}")
    shutil.copy2(path, copy_path)
    return copy_path


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[Any]:
    """Open a temporary file beside ``path``; rename it over ``path`` only if all went well."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o600)  # personal data: readable by its owner only
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
