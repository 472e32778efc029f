"""The batch's ``index.html``: the caseload's triage first, then every client's status and files.

The triage is the same table as ``afterview caseload`` (most urgent first, with links to each
report and workbook); below it each record's run status, its error and its files, the letters
listed by the interviewer's name.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote

from afterview import __version__
from afterview.batch.jobs import ClientEntry
from afterview.coaching.caseload import caseload, entry
from afterview.coaching.content import content
from afterview.coaching.letters import file_stem
from afterview.coaching.tables import Links, cells
from afterview.coaching.templating import environment, render, stylesheet
from afterview.record.schema import Record
from afterview.record.store import atomic_write

__all__ = ["client_links", "write_index"]

_EDITED = re.compile(r"\.edited-.*$")


def _letter_label(stem: str, names: dict[str, str]) -> str:
    """``01-priya-raman`` -> ``Priya Raman``; a hand-edited copy says so."""
    base = _EDITED.sub("", stem)
    name = names.get(base, stem)
    return f"{name}, edited copy" if base != stem else name


def client_links(
    reports_dir: Path, name: str, record: Record | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The files in a client's report folder as (group, [(label, relative href)]), report first.

    With the record, letters are labelled by the interviewer's name.
    """
    folder = reports_dir / name
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    interviewers = record.interviewers if record is not None else []
    names = {file_stem(n, p.name): p.name for n, p in enumerate(interviewers, start=1)}

    def link(path: Path, label: str) -> tuple[str, str]:
        return label, quote(path.relative_to(reports_dir).as_posix())

    kinds = {".html": "web page", ".pdf": "PDF", ".ipynb": "notebook"}
    report = [
        link(p, kinds[p.suffix] if p.stem == "report" else f"{p.stem} ({kinds[p.suffix]})")
        for suffix in (".html", ".pdf", ".ipynb")
        for p in files
        if p.parent == folder and p.suffix == suffix
    ]
    drafts = {".txt": "text", ".eml": "e-mail draft"}
    letters = [
        link(p, f"{_letter_label(p.stem, names)} ({drafts[p.suffix]})")
        for p in sorted(files, key=lambda p: (p.stem, p.suffix != ".txt"))
        if p.parent != folder and p.suffix in drafts
    ]
    calendar = [link(p, "follow-up dates (.ics)") for p in files if p.suffix == ".ics"]
    groups = [("Report", report), ("Letters", letters), ("Calendar", calendar)]
    return [(label, links) for label, links in groups if links]


def write_index(
    reports_dir: Path,
    clients: list[ClientEntry],
    *,
    now: dt.datetime,
    clients_dir: Path | None = None,
) -> Path:
    """Write ``index.html``; with ``clients_dir`` (where the records are) it leads with the
    caseload's triage."""
    rows = [
        {
            "name": e.name,
            "record_file": e.record_file,
            "candidate": e.record.candidate.name if e.record else "",
            "company": e.record.interview.company if e.record else "",
            "role": e.record.interview.role if e.record else "",
            "status": e.status,
            "error": e.error,
            "note": e.note,
            "links": client_links(reports_dir, e.name, e.record) if e.status != "failed" else [],
        }
        for e in clients
    ]
    counts = {
        status: sum(e.status == status for e in clients) for status in ("ok", "skipped", "failed")
    }
    triage = []
    if clients_dir is not None:
        days = content().caseload.quiet_days
        entries = [entry(clients_dir / e.record_file, e.record) for e in clients if e.record]
        links = Links(reports_dir, reports_dir)
        triage = [cells(case, days, links) for case in caseload(entries, now, quiet_days=days)]
    html = render(
        environment(),
        "batch-index.html.j2",
        {
            "clients": rows,
            "triage": triage,
            "counts": counts,
            "now": now,
            "version": __version__,
            "css": stylesheet(),
        },
    )
    path = reports_dir / "index.html"
    with atomic_write(path) as handle:
        handle.write(html)
    return path
