"""The caseload as the coach reads it: a terminal table, a CSV file or an HTML page.

All three show the same cells (:func:`cells`) of :func:`afterview.coaching.caseload.caseload`.
The HTML table is a template part (``caseload-table.html.j2``) that the batch index includes
too, so the index leads with the same triage. CSV cells that a spreadsheet would run as a
formula are neutralised (:func:`csv_cell`, shared with the cohort summary's CSV).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import quote

from afterview import __version__
from afterview.coaching.caseload import Case
from afterview.coaching.templating import environment, render, stylesheet

__all__ = ["Cells", "Links", "cells", "csv_cell", "csv_text", "to_csv", "to_html", "to_text"]

_FIRST_NOTEBOOK = "0-intake.ipynb"


@dataclasses.dataclass(frozen=True)
class Links:
    """Where the links of an HTML caseload point, relative to the page's own folder."""

    page_dir: Path
    reports: Path | None = None
    """The batch's reports folder (``NAME/report.html`` inside), if there is one."""

    def report(self, record: Path) -> str:
        if self.reports is None:
            return ""
        target = self.reports / record.stem / "report.html"
        return self._href(target) if target.is_file() else ""

    def workbook(self, record: Path) -> str:
        """The prepared workbook (``afterview lab``) if there is one, else the record file."""
        prepared = record.with_name(f"{record.stem}.workbook") / _FIRST_NOTEBOOK
        return self._href(prepared if prepared.is_file() else record)

    def _href(self, target: Path) -> str:
        relative = os.path.relpath(target.resolve(), self.page_dir.resolve())
        return quote(Path(relative).as_posix())


@dataclasses.dataclass(frozen=True)
class Cells:
    """One caseload row as text, the same in every format."""

    person: str
    interview: str
    letters: str
    follow_ups: str
    interviews: str
    steps: str
    last_change: str
    flags: str
    next_action: str
    record: str
    history: str
    urgent: bool
    report: str = ""
    workbook: str = ""


CSV_FIELDS = tuple(
    f.name for f in dataclasses.fields(Cells) if f.name not in ("urgent", "report", "workbook")
)


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _letters(case: Case) -> str:
    parts = [
        f"{letter.interviewer}: {letter.days_late} d late"
        if letter.status == "overdue"
        else f"{letter.interviewer}: due by {letter.send_by:%a %H:%M %Z}"
        for letter in case.letters
    ]
    return "; ".join(parts)


def cells(case: Case, quiet_days: int, links: Links | None = None) -> Cells:
    current = case.current
    interview = current.record.interview
    visits = case.history.visits
    history = ""
    if len(visits) > 1:
        history = "; ".join(f"{v.company} {v.day:%d %b}: {v.outcome}" for v in visits)
        history += "".join(f". {item}" for item in case.history.recurring)
    return Cells(
        person=case.person,
        interview=f"{interview.company}, {_day(interview.date)}",
        letters=_letters(case),
        follow_ups="; ".join(f"{soon.company} {_day(soon.day)}" for soon in case.follow_ups),
        interviews="; ".join(
            f"{soon.company} {_day(soon.day)} ({soon.what})" for soon in case.interviews
        ),
        steps=f"{case.steps}/5",
        last_change=f"{case.last_change:%Y-%m-%d %H:%M}",
        flags=", ".join(case.flag_labels(quiet_days)),
        next_action=case.next_action,
        record=str(current.path),
        history=history,
        urgent=case.action in ("distress", "letters_overdue", "letters_due"),
        report=links.report(current.path) if links else "",
        workbook=links.workbook(current.path) if links else "",
    )


def to_text(cases: Sequence[Case], quiet_days: int, width: int = 100) -> str:
    """A plain table for the terminal: most urgent first, one line per person."""
    if not cases:
        return "No client records in this folder."
    name_width = min(24, max(len(case.person) for case in cases))
    lines = [f"  {'Client':<{name_width}}  Steps  Next action · flags"]
    room = max(20, width - name_width - 12)
    for case in cases:
        row = cells(case, quiet_days)
        action = row.next_action + (f" · {row.flags}" if row.flags else "")
        mark = "!" if row.urgent else " "
        name = textwrap.shorten(row.person, name_width, placeholder="…")
        action = textwrap.shorten(action, room, placeholder="…")
        lines.append(f"{mark} {name:<{name_width}}  {row.steps:<5}  {action}")
    return "\n".join(lines) + "\n"


def csv_cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with a leading '."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        value = ";".join(str(item) for item in value)
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def to_csv(cases: Sequence[Case], quiet_days: int) -> str:
    rows = [cells(case, quiet_days) for case in cases]
    return csv_text(CSV_FIELDS, ([getattr(row, name) for name in CSV_FIELDS] for row in rows))


def to_html(
    cases: Sequence[Case], now: dt.datetime, quiet_days: int, links: Links | None = None
) -> str:
    """A page of its own (``afterview caseload --html``): no scripts, nothing fetched."""
    return render(
        environment(),
        "caseload.html.j2",
        {
            "rows": [cells(case, quiet_days, links) for case in cases],
            "now": now,
            "quiet_days": quiet_days,
            "css": stylesheet(),
            "version": __version__,
        },
    )
