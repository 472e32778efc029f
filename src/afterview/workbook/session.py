"""A working session on one client record: every edit is validated and saved at once.

The interactive workbook (forms) and the web app edit a record through a :class:`Session`.
Each :meth:`Session.change` applies an edit to a copy of the record, validates it, writes it
atomically with :func:`~afterview.record.store.save`, then tells its listeners, so previews refresh
and a status line shows ``saved 14:03:12`` or ``not saved: <reason>``. A rejected edit leaves
the record (and the file) as they were; the widget that made it keeps what the user typed.

The same record may be open in two windows (the coach in JupyterLab, the client in the app).
Each session remembers the version it last read or wrote; a save merges this window's changes
with the file's, field by field and down to list items (:mod:`afterview.record.merge`), under
the record's lock, so neither window's answers are lost. When both changed the same text, both
are kept, the other window's under a marked line.

Listener events (all are calls of ``listener(session)``, as before): after each change, saved
or not; and when the session picks up another window's answers, on a change or on
:meth:`Session.refresh`. Then ``session.updated_elsewhere`` is True: a form should re-read
its inputs from ``session.record``. ``session.conflicts`` names the fields both windows changed
at the last save.

Another window's save also reaches a session that is not changing anything: :meth:`Session.check`
looks at the files' stamps (one ``stat`` each) and refreshes only when they changed, and
:meth:`Session.follow` runs that check every :data:`FOLLOW_EVERY` seconds on the event loop
that is already running (a notebook's kernel, the app's), until :meth:`Session.close`. So an
interviewer added in the intake notebook reaches the letters notebook's plans without its cell
being run again. No thread is started: the listeners update widgets from the kernel's own loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from afterview.record import coachfile, store
from afterview.record.disk import stamp
from afterview.record.errors import RecordError
from afterview.record.explain import show_value
from afterview.record.merge import Merged, merge
from afterview.record.schema import Record

__all__ = ["CONFLICT_MARKER", "FOLLOW_EVERY", "UPDATED", "Listener", "Session"]

Listener = Callable[["Session"], None]

UPDATED = "changed in another window — updated"
CONFLICT_MARKER = "--- also written in another window at the same time (keep what you need) ---"
READ_ONLY = (
    "read-only: your answers are kept here, not saved; make the file writable (chmod u+w), "
    "then press Save"
)
FOLLOW_EVERY = 1.5
"""Seconds between two looks at the record's files while a session follows them."""

_log = logging.getLogger(__name__)


class Session:
    """One client record, opened for editing. Loading errors (RecordError) propagate.

    ``coach=True`` (the coach's own view) also opens the coach file beside the record, for the
    notes and the coach's rating; the client's side (the default) never reads that file.
    """

    def __init__(self, path: str | os.PathLike[str], *, coach: bool = False) -> None:
        self.path = Path(path)
        self.coach = coach
        # The files this session reads: the record, and the coach's file for the coach.
        self._files = [self.path, coachfile.coach_path(self.path)] if coach else [self.path]
        self._stamp = stamp(self._files)  # taken first: a save while reading is seen next time
        self._record = coachfile.load(self.path, coach=coach)
        self._base = _plain(self._record)  # the version on disk this window last saw
        self._seen: tuple[bytes | None, ...] | None = _bytes(self._files)  # ... their bytes
        self._timer: asyncio.TimerHandle | None = None
        self._listeners: list[Listener] = []
        self._unsaved: Record | None = None  # valid edits the disk refused, kept for a retry
        self.saved = True
        self.updated_elsewhere = False
        self.conflicts: list[str] = []
        self.status = "opened, nothing changed yet"

    @property
    def record(self) -> Record:
        """The record as the user has it: the last one saved, or valid edits the disk refused
        (kept so that the next change or the "Save" button writes them too)."""
        return self._unsaved or self._record

    def on_change(self, listener: Listener) -> None:
        """Call ``listener(session)`` after every change, saved or not, and after picking up
        another window's answers (``updated_elsewhere`` is then True)."""
        self._listeners.append(listener)

    def change(self, edit: Callable[[Record], None]) -> bool:
        """Apply ``edit`` to a copy of the record, validate it and save it; True if saved.

        The save is merged with the file as it is now, so answers another window saved since
        this one last read the file are kept, and appear in :attr:`record`.
        """
        draft = self.record.model_copy(deep=True)
        try:
            edit(draft)
            # Assignments were validated already; list edits (append, remove) are checked here.
            checked = store.validate(store.dump(draft), path=str(self.path))
        except ValidationError as error:
            return self._failed(_reason(error))
        except RecordError as error:
            return self._failed(_said(error))
        except (ValueError, KeyError) as error:
            return self._failed(str(error))
        return self._write(checked)

    def save(self) -> bool:
        """Write the current record again (the explicit "Save" button)."""
        return self.change(lambda record: None)

    def refresh(self) -> bool:
        """Pick up what another window saved, without writing; True if anything changed.

        Edits of this window not yet saved are kept on top. Listeners are told.
        """
        self._stamp = stamp(self._files)
        theirs = self._on_disk()
        if isinstance(theirs, RecordError) or theirs == self._base:
            return False
        try:
            merged, record = self._merged(_plain(self.record), theirs)
        except RecordError:
            return False  # the merge would not be valid: the next save says why
        if self._unsaved is not None:
            self._unsaved = record
        else:
            self._record = record
        self._base, self._seen = theirs, None  # None: parse the file again next time
        self.conflicts = [conflict.where for conflict in merged.conflicts]
        self.updated_elsewhere = True
        self.status = UPDATED
        self._notify()
        return True

    def check(self) -> bool:
        """Pick up another window's save if the files changed since this session last read or
        wrote them; True if the record changed. Unchanged files cost one ``stat`` each."""
        if stamp(self._files) == self._stamp:
            return False
        return self.refresh()

    @property
    def following(self) -> bool:
        """True while :meth:`follow` checks the files."""
        return self._timer is not None

    def follow(self, every: float | None = None) -> bool:
        """:meth:`check` the files every ``every`` seconds (:data:`FOLLOW_EVERY` by default)
        on the running event loop, so that answers saved in another notebook or in the app
        reach this session's forms; until :meth:`close` or the loop's end (the kernel's).

        Returns False, starting nothing, where no event loop is running (a script, a test).
        Calling it again restarts the one timer; there is never more than one.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self.close()
        pause = FOLLOW_EVERY if every is None else every

        def tick() -> None:
            self._timer = loop.call_later(pause, tick)
            try:
                self.check()
            except Exception:  # a listener's bug: say so once, and stop looking
                self.close()
                _log.exception("stopped following the record file after an error")

        self._timer = loop.call_later(pause, tick)
        return True

    def close(self) -> None:
        """Stop following the files (see :meth:`follow`); the record stays open for changes."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _write(self, checked: Record) -> bool:
        try:
            with store.locked(self.path):
                theirs, note = self._on_disk(), ""
                if isinstance(theirs, RecordError):
                    note = _set_aside(self.path, theirs)
                    theirs = self._base
                elsewhere = theirs != self._base
                merged, record = Merged(_plain(checked)), checked
                if elsewhere:
                    merged, record = self._merged(merged.data, theirs)
                record = coachfile.save(record, self.path, coach=self.coach)
                self._seen, self._stamp = _bytes(self._files), stamp(self._files)
        except RecordError as error:  # the other window's answers and ours do not fit together
            self._unsaved = checked
            return self._failed(_said(error))
        except OSError as error:
            self._unsaved = checked
            return self._failed(READ_ONLY if _is_read_only(error) else _disk_problem(error))
        self._unsaved = None
        self._record = record
        self._base = _plain(record)
        self.saved = True
        self.updated_elsewhere = elsewhere
        self.conflicts = [conflict.where for conflict in merged.conflicts]
        self.status = f"saved {dt.datetime.now():%H:%M:%S}" + _news(elsewhere, merged) + note
        self._notify()
        return True

    def _merged(self, mine: dict[str, Any], theirs: dict[str, Any]) -> tuple[Merged, Record]:
        """This window's version merged with the file's, against the version it started from.

        Texts both changed are joined; if the joined record would not be valid (a name that
        others refer to), this window's texts are kept and the conflicts still reported.
        """
        merged = merge(self._base, mine, theirs, marker=CONFLICT_MARKER)
        try:
            return merged, store.validate(merged.data, path=str(self.path))
        except RecordError:
            merged = merge(self._base, mine, theirs, marker=None)
            return merged, store.validate(merged.data, path=str(self.path))

    def unreadable(self) -> RecordError | None:
        """Why the record file cannot be read as it is now, or None if it can."""
        found = self._on_disk()
        return found if isinstance(found, RecordError) else None

    def _on_disk(self) -> dict[str, Any] | RecordError:
        """The record as the file holds it now, or why it cannot be read."""
        if self._seen is not None and _bytes(self._files) == self._seen:
            return self._base
        try:
            return _plain(coachfile.load(self.path, coach=self.coach))
        except RecordError as error:
            return error

    def _failed(self, reason: str) -> bool:
        self.saved = False
        self.updated_elsewhere = False
        self.status = f"not saved: {reason}"
        self._notify()
        return False

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)


def _bytes(paths: list[Path]) -> tuple[bytes | None, ...]:
    found: list[bytes | None] = []
    for path in paths:
        try:
            found.append(path.read_bytes())
        except OSError:
            found.append(None)
    return tuple(found)


def _plain(record: Record) -> dict[str, Any]:
    return store.dump(record, defaults=True)


def _news(elsewhere: bool, merged: Merged) -> str:
    """What the status adds when another window's answers came in with this save."""
    if not elsewhere:
        return ""
    news = f" · {UPDATED}"
    for conflict in merged.conflicts:
        if conflict.joined:
            news += (
                f"; both windows changed {conflict.where}: both texts are kept, the other "
                "window's under a marked line"
            )
        else:
            news += (
                f"; both windows changed {conflict.where}: kept {show_value(conflict.mine)} from "
                f"here, the other window had {show_value(conflict.theirs)}"
            )
    return news


def _set_aside(path: Path, error: RecordError) -> str:
    """Copy a record made unreadable by hand aside before this window's answers replace it."""
    if not path.is_file():
        return ""  # deleted: this window's answers bring it back
    kept = store.set_aside(path)
    return (
        f" · the file had a mistake ({_said(error)}); it is kept as {kept.name} and this "
        "window's answers were written"
    )


def _said(error: RecordError) -> str:
    return f"{error.field}: {error.message}" if error.field else error.message


def _is_read_only(error: OSError) -> bool:
    return isinstance(error, PermissionError) and error.strerror == "read-only"


def _disk_problem(error: OSError) -> str:
    return (
        f"the file cannot be written ({error.strerror or error}); your answers are kept "
        "here, free some disk space or check the folder, then press Save"
    )


def _reason(error: ValidationError) -> str:
    """The first problem of a validation error, as one line a person can act on."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = store.explain(first)
    return f"{where}: {message}" if where else message
