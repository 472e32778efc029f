"""The caseload in JupyterLab: the same rows as ``afterview caseload``, sortable and filterable.

``notebooks/caseload.ipynb`` calls :func:`caseload_view`. The table is the HTML caseload
(:mod:`afterview.coaching.tables`); above it, a sort order, a name search and a flag filter;
below it, "Open the workbook" prepares the chosen client's workbook notebooks (as
``afterview lab`` does, with the coach's fields) and links to them.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as W

from afterview.coaching.caseload import Case, caseload, read_folder
from afterview.coaching.content import content
from afterview.coaching.tables import Links, cells
from afterview.coaching.templating import environment, render
from afterview.record.errors import AfterviewError
from afterview.workbook.lab import lab_folder, prepare_lab

__all__ = ["FILTERS", "SORTS", "caseload_view", "choose", "open_workbook"]

SORTS: dict[str, Callable[[Case], object]] = {
    "most urgent first": lambda case: case.rank,
    "name": lambda case: case.person.casefold(),
    "longest without a change": lambda case: case.last_change,
    "fewest steps done": lambda case: (case.steps, case.rank),
}
FILTERS: dict[str, Callable[[Case], bool]] = {
    "everyone": lambda case: True,
    "letters overdue": lambda case: bool(case.overdue),
    "high distress": lambda case: "distress" in case.flags,
    "remark to discuss": lambda case: "remark" in case.flags,
    "no activity": lambda case: "quiet" in case.flags,
    "interview in the next 7 days": lambda case: bool(case.interviews),
}


def choose(
    cases: Sequence[Case], sort: str, search: str = "", show: str = "everyone"
) -> list[Case]:
    """The rows to show: those matching ``search`` (in the name) and ``show``, in ``sort`` order."""
    needle = search.strip().casefold()
    kept = [
        case
        for case in cases
        if FILTERS[show](case) and (not needle or needle in case.person.casefold())
    ]
    return sorted(kept, key=SORTS[sort])  # type: ignore[arg-type]


def open_workbook(case: Case, here: Path) -> str:
    """Prepare the client's workbook (coach view) and return a link to it, relative to ``here``."""
    record = case.current.path
    folder = prepare_lab(record, lab_folder(record), coach=True)
    first = folder / "0-intake.ipynb"
    href = Path(os.path.relpath(first.resolve(), here.resolve())).as_posix()
    return (
        f'<p>Workbook for {html.escape(case.person)}: <a href="{html.escape(href)}" '
        f'target="_blank">{html.escape(href)}</a></p>'
    )


def _table(cases: Sequence[Case], days: int, links: Links) -> str:
    if not cases:
        return "<p>No client matches.</p>"
    rows = [cells(case, days, links) for case in cases]
    return render(environment(), "caseload-table.html.j2", {"rows": rows})


def caseload_view(
    folder: str | os.PathLike[str],
    *,
    now: dt.datetime | None = None,
    quiet_days: int | None = None,
    interactive: bool = True,
) -> W.Widget | str:
    """The caseload of ``folder``: widgets in JupyterLab, or the table as HTML when headless."""
    moment = now or dt.datetime.now(dt.UTC)
    days = quiet_days or content().caseload.quiet_days
    entries, problems = read_folder(Path(folder))
    cases = caseload(entries, moment, quiet_days=days)
    links = Links(Path.cwd())
    skipped = "".join(f"<p>Skipped {html.escape(str(problem))}</p>" for problem in problems)
    if not interactive:
        return _table(cases, days, links) + skipped
    sort = W.Dropdown(options=list(SORTS), description="Sort")
    search = W.Text(placeholder="part of a name", description="Find")
    show = W.Dropdown(options=list(FILTERS), description="Show")
    table = W.HTML()
    person = W.Dropdown(
        options=[(case.person, n) for n, case in enumerate(cases)], description="Client"
    )
    button = W.Button(description="Open the workbook", icon="book")
    opened = W.HTML()

    def refresh(_: object = None) -> None:
        table.value = _table(choose(cases, sort.value, search.value, show.value), days, links)

    def open_clicked(_: object) -> None:
        if person.value is None:
            return
        try:
            opened.value = open_workbook(cases[person.value], Path.cwd())
        except AfterviewError as error:
            opened.value = f"<p>The workbook could not be prepared: {html.escape(str(error))}</p>"

    for control in (sort, search, show):
        control.observe(refresh, names="value")
    button.on_click(open_clicked)
    refresh()
    return W.VBox(
        [W.HBox([sort, show, search]), table, W.HBox([person, button]), opened, W.HTML(skipped)]
    )
