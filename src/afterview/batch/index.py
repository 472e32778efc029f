"""The batch's ``index.html``: every client with their status, their error and their files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

from afterview import __version__
from afterview.batch.jobs import ClientEntry
from afterview.coaching.templating import environment, render, stylesheet
from afterview.record.store import atomic_write

__all__ = ["client_links", "write_index"]


def client_links(reports_dir: Path, name: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The files in a client's report folder as (group, [(label, relative href)]), report first."""
    folder = reports_dir / name
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))

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
        link(p, f"{p.stem} ({drafts[p.suffix]})")
        for p in sorted(files, key=lambda p: (p.stem, p.suffix != ".txt"))
        if p.parent != folder and p.suffix in drafts
    ]
    calendar = [link(p, "follow-up dates (.ics)") for p in files if p.suffix == ".ics"]
    groups = [("Report", report), ("Letters", letters), ("Calendar", calendar)]
    return [(label, links) for label, links in groups if links]


def write_index(reports_dir: Path, clients: list[ClientEntry], *, now: dt.datetime) -> Path:
    rows = [
        {
            "name": entry.name,
            "record_file": entry.record_file,
            "candidate": entry.record.candidate.name if entry.record else "",
            "company": entry.record.interview.company if entry.record else "",
            "role": entry.record.interview.role if entry.record else "",
            "status": entry.status,
            "error": entry.error,
            "note": entry.note,
            "links": client_links(reports_dir, entry.name) if entry.status != "failed" else [],
        }
        for entry in clients
    ]
    counts = {
        status: sum(e.status == status for e in clients) for status in ("ok", "skipped", "failed")
    }
    html = render(
        environment(),
        "batch-index.html.j2",
        {
            "clients": rows,
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
