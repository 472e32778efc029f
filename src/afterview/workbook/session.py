"""A working session on one client record: every edit is validated and saved at once.

The interactive workbook (forms) and the web app edit a record through a :class:`Session`.
Each :meth:`Session.change` applies an edit to a copy of the record, validates it, writes it
atomically with :func:`~afterview.record.store.save`, then tells its listeners, so previews refresh
and a status line shows ``saved 14:03:12`` or ``not saved: <reason>``. A rejected edit leaves
the record (and the file) as they were; the widget that made it keeps what the user typed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from afterview.record import coachfile, store
from afterview.record.errors import RecordError
from afterview.record.schema import Record

__all__ = ["Listener", "Session"]

Listener = Callable[["Session"], None]


class Session:
    """One client record, opened for editing. Loading errors (RecordError) propagate.

    ``coach=True`` (the coach's own view) also opens the coach file beside the record, for the
    notes and the coach's rating; the client's side (the default) never reads that file.
    """

    def __init__(self, path: str | os.PathLike[str], *, coach: bool = False) -> None:
        self.path = Path(path)
        self.coach = coach
        self._record = coachfile.load(self.path, coach=coach)
        self._stamp = self._disk_stamp()
        self._listeners: list[Listener] = []
        self._unsaved: Record | None = None  # valid edits the disk refused, kept for a retry
        self.saved = True
        self.status = "opened, nothing changed yet"

    @property
    def record(self) -> Record:
        """The record as the user has it: the last one saved, or valid edits the disk refused
        (kept so that the next change or the "Save" button writes them too)."""
        return self._unsaved or self._record

    def on_change(self, listener: Listener) -> None:
        """Call ``listener(session)`` after every change, saved or not."""
        self._listeners.append(listener)

    def change(self, edit: Callable[[Record], None]) -> bool:
        """Apply ``edit`` to a copy of the record, validate it and save it; True if saved.

        If the file changed on disk since this session last read or wrote it (the same record
        open in another notebook or the web app), the edit is applied to the file's version,
        so the other window's answers are kept.
        """
        self._catch_up()
        draft = self.record.model_copy(deep=True)
        try:
            edit(draft)
            # Assignments were validated already; list edits (append, remove) are checked here.
            checked = store.validate(store.dump(draft), path=str(self.path))
            checked = coachfile.save(checked, self.path, coach=self.coach)
        except ValidationError as error:
            return self._failed(_reason(error))
        except RecordError as error:
            return self._failed(f"{error.field}: {error.message}" if error.field else error.message)
        except (ValueError, KeyError) as error:
            return self._failed(str(error))
        except OSError as error:
            self._unsaved = checked
            return self._failed(
                f"the file cannot be written ({error.strerror or error}); your answers are kept "
                "here, free some disk space or check the folder, then press Save"
            )
        self._unsaved = None
        self._record = checked
        self._stamp = self._disk_stamp()
        self.saved = True
        self.status = f"saved {dt.datetime.now():%H:%M:%S}"
        self._notify()
        return True

    def save(self) -> bool:
        """Write the current record again (the explicit "Save" button)."""
        return self.change(lambda record: None)

    def _disk_stamp(self) -> tuple[int, int] | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _catch_up(self) -> None:
        """Re-read the record if someone else saved it; keep ours if theirs does not load."""
        stamp = self._disk_stamp()
        if stamp == self._stamp:
            return
        # A file broken by hand is copied aside by store.save, and our version written instead.
        with contextlib.suppress(RecordError):
            self._record = coachfile.load(self.path, coach=self.coach)
        self._stamp = stamp

    def _failed(self, reason: str) -> bool:
        self.saved = False
        self.status = f"not saved: {reason}"
        self._notify()
        return False

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)


def _reason(error: ValidationError) -> str:
    """The first problem of a validation error, as one line a person can act on."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = store.explain(first)
    return f"{where}: {message}" if where else message
