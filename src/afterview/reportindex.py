"""The batch's ``index.html``: every client with their status, their error and their files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import jinja2

from . import __version__
from .jobs import ClientEntry
from .store import atomic_write

__all__ = ["client_links", "write_index"]

TEMPLATES = Path(__file__).parent / "templates"


def client_links(reports_dir: Path, name: str) -> list[tuple[str, str]]:
    """(label, relative href) for each file in a client's report folder, report first."""
    folder = reports_dir / name
    if not folder.is_dir():
        return []
    order = {".html": 0, ".pdf": 1, ".txt": 2, ".eml": 3, ".ics": 4, ".ipynb": 5}
    files = [
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith(".") and path.suffix in order
    ]
    files.sort(key=lambda path: (order[path.suffix], path.parent != folder, str(path)))
    links = []
    for path in files:
        relative = path.relative_to(reports_dir)
        label = {
            ".html": f"{path.stem} (web page)",
            ".pdf": f"{path.stem} (PDF)",
            ".ipynb": f"{path.stem} (notebook)",
            ".ics": "follow-up dates (.ics)",
        }.get(path.suffix, path.name)
        links.append((label, quote(relative.as_posix())))
    return links


def write_index(reports_dir: Path, clients: list[ClientEntry], *, now: dt.datetime) -> Path:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    rows = [
        {
            "name": entry.name,
            "record_file": entry.record_file,
            "candidate": entry.record.candidate.name if entry.record else "",
            "company": entry.record.interview.company if entry.record else "",
            "role": entry.record.interview.role if entry.record else "",
            "status": entry.status,
            "error": entry.error,
            "links": client_links(reports_dir, entry.name) if entry.status != "failed" else [],
        }
        for entry in clients
    ]
    counts = {
        status: sum(e.status == status for e in clients) for status in ("ok", "skipped", "failed")
    }
    html = env.get_template("batch-index.html.j2").render(
        clients=rows,
        counts=counts,
        now=now,
        version=__version__,
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
    )
    path = reports_dir / "index.html"
    with atomic_write(path) as handle:
        handle.write(html)
    return path
