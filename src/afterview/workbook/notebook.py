"""What the workbook notebooks call besides the forms and views.

A notebook opens its record with :func:`open_record`: if the record is missing or broken the
user sees one friendly box and one line, and the notebook stops there, with no traceback.
A step notebook that shows a form opens it with ``follow=True``: each step's notebook has a
kernel and a session of its own, and what another one (or the app) saves reaches this one's
form within a couple of seconds, without running a cell again (:meth:`Session.follow`).
(Opening JupyterLab on a client's workbook is :mod:`afterview.workbook.lab`.)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from IPython.display import HTML, display

from afterview.coaching import checks
from afterview.coaching.history import History, history_of
from afterview.record.errors import AfterviewError, RecordError
from afterview.record.schema import Record
from afterview.workbook import views
from afterview.workbook.session import Session

__all__ = ["NotebookStop", "open_record", "parse_now", "past_interviews", "show"]


class NotebookStop(AfterviewError):
    """Stops a notebook after a friendly message; IPython shows only this one line."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def show(html: str) -> None:
    """Display an HTML string (a view) in the notebook."""
    display(HTML(html))  # type: ignore[no-untyped-call]


_following: dict[Path, Session] = {}
"""The session each record's form in this kernel follows (one per record file)."""


def open_record(
    record: str | os.PathLike[str], *, coach: bool = False, follow: bool = False
) -> Session:
    """Open the client's record for the notebook, or explain in one sentence why not.

    ``coach=True`` also reads the coach's file beside the record (notes, the coach's rating).
    ``follow=True`` (a form is shown, in a running kernel) keeps the session following the
    record file, so other windows' saves reach the form; the session this kernel opened on
    the same file before (the cell run again) stops following. Never in a batch run.
    """
    try:
        session = Session(record, coach=coach)
    except RecordError as error:
        show(views.error_html(error))
        raise NotebookStop(f"We couldn't open this record: {error}") from None
    if follow:
        key = session.path.resolve()
        if (older := _following.pop(key, None)) is not None:
            older.close()
        if session.follow():
            _following[key] = session
    return session


def parse_now(now: str, zone: str | None = None) -> dt.datetime | None:
    """The notebook's ``now`` parameter: empty for the current time, else an ISO timestamp
    (without an offset, read in ``zone``: the interview's time zone)."""
    try:
        return checks.parse_now(now, zone=zone)
    except AfterviewError as error:
        show(views.error_html(error, what="read the time this report is for"))
        raise NotebookStop(f"We couldn't read the time this report is for: {error}") from None


def past_interviews(record: Record, history: str) -> History:
    """The notebook's ``history`` parameter (the same person's other records, one path a line,
    as the batch or ``afterview lab`` found them) read into ``record``'s history. Only those
    files are opened; any that cannot be read or is someone else's is left out."""
    return history_of(record, [line.strip() for line in history.splitlines() if line.strip()])
