"""What a coaching practice learns from a whole cohort: the next workshop, who needs a nudge.

Across every valid record: how often each root cause came up, whose thank-you letters are sent,
due or overdue (against :func:`afterview.coaching.checks.send_by`), how far clients' rating of their
interview moved between right after and later, and whether each keeps enough opportunities
going. Written as ``summary.html`` (charts as inline SVG, nothing fetched) and ``summary.csv``
(one row per client). Coach notes are never read here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from afterview import __version__
from afterview.coaching.checks import send_by
from afterview.coaching.content import content
from afterview.coaching.tables import csv_text
from afterview.coaching.templating import environment, render, stylesheet
from afterview.record.schema import Record
from afterview.record.store import atomic_write

__all__ = ["ClientRow", "Cohort", "client_row", "cohort", "write_summary"]

CSV_FIELDS = (
    "client",
    "candidate",
    "company",
    "role",
    "interview_date",
    "root_causes",
    "send_by",
    "letters",
    "self_rating",
    "rating_later",
    "rating_gap",
    "coach_rating",
    "live_opportunities",
    "target_live",
    "pipeline",
)


@dataclasses.dataclass(frozen=True)
class ClientRow:
    client: str
    candidate: str
    company: str
    role: str
    interview_date: dt.date
    root_causes: tuple[str, ...]
    send_by: dt.datetime
    letters: str
    """``sent``, ``due`` (send-by time still ahead) or ``overdue``."""
    self_rating: int | None
    rating_later: int | None
    coach_rating: int | None
    live_opportunities: int
    target_live: int

    @property
    def rating_gap(self) -> int | None:
        """Later minus right after: positive when the client came to see it more kindly."""
        if self.self_rating is None or self.rating_later is None:
            return None
        return self.rating_later - self.self_rating

    @property
    def pipeline(self) -> str:
        """``healthy`` at or above target, ``thin`` at half or more, else ``at risk``."""
        if self.live_opportunities >= self.target_live:
            return "healthy"
        return "thin" if self.live_opportunities * 2 >= self.target_live else "at risk"


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float
    """0-100, of all clients in the cohort."""


@dataclasses.dataclass(frozen=True)
class Cohort:
    rows: tuple[ClientRow, ...]
    root_causes: tuple[Bar, ...]
    letters: tuple[Bar, ...]
    pipeline: tuple[Bar, ...]
    mean_gap: float | None
    gap_clients: int
    now: dt.datetime

    @property
    def size(self) -> int:
        return len(self.rows)


def client_row(name: str, record: Record, now: dt.datetime) -> ClientRow:
    deadline = send_by(record)
    if record.letters.sent_on is not None:
        letters = "sent"
    else:
        letters = "overdue" if now > deadline else "due"
    return ClientRow(
        client=name,
        candidate=record.candidate.name,
        company=record.interview.company,
        role=record.interview.role,
        interview_date=record.interview.date,
        root_causes=tuple(dict.fromkeys(cause.category for cause in record.lessons.root_causes)),
        send_by=deadline,
        letters=letters,
        self_rating=record.interview.self_rating,
        rating_later=record.perspective.rating_later,
        coach_rating=record.perspective.coach_rating,
        live_opportunities=len(record.live_opportunities()),
        target_live=record.move_on.target_live,
    )


def _bars(labels: dict[str, str], counts: dict[str, int], total: int) -> tuple[Bar, ...]:
    return tuple(
        Bar(labels.get(key, key), count, 100.0 * count / total if total else 0.0)
        for key, count in counts.items()
    )


def cohort(clients: Sequence[tuple[str, Record]], now: dt.datetime) -> Cohort:
    rows = tuple(client_row(name, record, now) for name, record in clients)
    total = len(rows)
    causes: dict[str, int] = {}
    for row in rows:
        for key in row.root_causes:
            causes[key] = causes.get(key, 0) + 1
    ordered = dict(sorted(causes.items(), key=lambda item: (-item[1], item[0])))
    cause_labels = {key: content().label("root_causes", key) for key in ordered}
    letters = {state: sum(row.letters == state for row in rows) for state in ("overdue", "due")}
    letters["sent"] = sum(row.letters == "sent" for row in rows)
    pipeline = {
        state: sum(row.pipeline == state for row in rows)
        for state in ("at risk", "thin", "healthy")
    }
    gaps = [row.rating_gap for row in rows if row.rating_gap is not None]
    return Cohort(
        rows=rows,
        root_causes=_bars(cause_labels, ordered, total),
        letters=_bars({"due": "due (not sent yet)"}, letters, total),
        pipeline=_bars({}, pipeline, total),
        mean_gap=sum(gaps) / len(gaps) if gaps else None,
        gap_clients=len(gaps),
        now=now,
    )


def to_csv(summary: Cohort) -> str:
    return csv_text(
        CSV_FIELDS, ([getattr(row, name) for name in CSV_FIELDS] for row in summary.rows)
    )


def to_html(summary: Cohort) -> str:
    return render(
        environment(),
        "summary.html.j2",
        {"summary": summary, "css": stylesheet(), "version": __version__},
    )


def write_summary(
    clients: Sequence[tuple[str, Record]], reports_dir: Path, *, now: dt.datetime
) -> tuple[Path, Path]:
    """Write ``summary.html`` and ``summary.csv`` into ``reports_dir``; return their paths."""
    summary = cohort(clients, now)
    html_path, csv_path = reports_dir / "summary.html", reports_dir / "summary.csv"
    with atomic_write(html_path) as handle:
        handle.write(to_html(summary))
    with atomic_write(csv_path) as handle:
        handle.write(to_csv(summary))
    return html_path, csv_path
