"""What a coaching practice learns from a whole cohort: the next workshop, who needs a nudge.

Across every valid record: how often each root cause came up (a share of the clients who did
the after-action review), how many thank-you letters are sent, due or overdue (one per
interviewer, against :func:`afterview.coaching.checks.send_by`), how far clients' rating of their
interview moved between right after and later, whether each keeps enough opportunities going
(the interview itself counts as live while its outcome is open; a client who has not listed
any is "not recorded", not "at risk"), and how ratings given right after compare with what
happened. Written as ``summary.html`` (charts as inline SVG, nothing fetched) and
``summary.csv`` (one row per client). The coach's rating is shown; coach notes never are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from afterview import __version__
from afterview.coaching.calibration import Calibration, calibration
from afterview.coaching.caseload import LetterStatus, letter_states, steps_done
from afterview.coaching.checks import send_by
from afterview.coaching.content import STEPS, content
from afterview.coaching.tables import csv_text
from afterview.coaching.templating import environment, render, stylesheet
from afterview.record.schema import Record
from afterview.record.store import atomic_write

__all__ = [
    "Calibration",
    "ClientRow",
    "Cohort",
    "calibration",
    "client_row",
    "cohort",
    "from_rows",
    "write_cohort",
    "write_summary",
]

CSV_FIELDS = (
    "client",
    "candidate",
    "company",
    "role",
    "interview_date",
    "outcome",
    "steps_done",
    "root_causes",
    "send_by",
    "letters",
    "letters_sent",
    "letters_due",
    "letters_overdue",
    "self_rating",
    "rating_later",
    "rating_gap",
    "coach_rating",
    "live_opportunities",
    "target_live",
    "pipeline",
)
LETTER_STATES: tuple[LetterStatus, ...] = ("overdue", "due", "sent", "moot")


@dataclasses.dataclass(frozen=True)
class ClientRow:
    client: str
    candidate: str
    company: str
    role: str
    interview_date: dt.date
    outcome: str
    steps: tuple[str, ...]
    """The steps this client has done, by key."""
    root_causes: tuple[str, ...]
    send_by: dt.datetime
    letter_counts: dict[str, int]
    """Letters by state: ``sent``, ``due``, ``overdue``, ``moot`` (outcome known, never sent)."""
    self_rating: int | None
    rating_later: int | None
    coach_rating: int | None
    live_opportunities: int
    """Live opportunities, the interview itself included while its outcome is open."""
    target_live: int
    pipeline_recorded: bool

    @property
    def steps_done(self) -> int:
        return len(self.steps)

    @property
    def letters(self) -> str:
        """The most pressing state of the client's letters: overdue, due, sent or moot."""
        return next((state for state in LETTER_STATES if self.letter_counts[state]), "sent")

    @property
    def letters_sent(self) -> int:
        return self.letter_counts["sent"]

    @property
    def letters_due(self) -> int:
        return self.letter_counts["due"]

    @property
    def letters_overdue(self) -> int:
        return self.letter_counts["overdue"]

    @property
    def rating_gap(self) -> int | None:
        """Later minus right after: positive when the client came to see it more kindly."""
        if self.self_rating is None or self.rating_later is None:
            return None
        return self.rating_later - self.self_rating

    @property
    def pipeline(self) -> str:
        """``healthy`` at or above target, ``thin`` at half or more, else ``at risk``;
        ``not recorded`` when the client has listed no opportunities yet."""
        if not self.pipeline_recorded:
            return "not recorded"
        if self.live_opportunities >= self.target_live:
            return "healthy"
        return "thin" if self.live_opportunities * 2 >= self.target_live else "at risk"


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float
    """0-100, of the group named beside the chart."""


@dataclasses.dataclass(frozen=True)
class Cohort:
    rows: tuple[ClientRow, ...]
    reached: dict[str, int]
    """How many clients have done each step."""
    root_causes: tuple[Bar, ...]
    """Shares of the clients who did the after-action review (step 4)."""
    letters: tuple[Bar, ...]
    """Letters (one per interviewer) by state, shares of all letters."""
    letter_total: int
    pipeline: tuple[Bar, ...]
    """Clients by pipeline health, shares of those who listed their opportunities."""
    pipeline_recorded: int
    mean_gap: float | None
    gap_clients: int
    calibration: Calibration | None
    """Only with at least ``calibration_minimum`` interviews behind it."""
    now: dt.datetime

    @property
    def size(self) -> int:
        return len(self.rows)

    def count(self, bars: str, label: str) -> int:
        return sum(bar.count for bar in getattr(self, bars) if bar.label == label)


def _live(record: Record) -> int:
    """The live opportunities, this interview included while its outcome is open (pending, on
    to the next round, or an offer): :meth:`Record.pipeline` decides, as in the workbook."""
    return len(record.live_opportunities())


def client_row(name: str, record: Record, now: dt.datetime) -> ClientRow:
    states = [letter.status for letter in letter_states(record, now)]
    done = steps_done(record)
    return ClientRow(
        client=name,
        candidate=record.candidate.name,
        company=record.interview.company,
        role=record.interview.role,
        interview_date=record.interview.date,
        outcome=record.result.status,
        steps=tuple(key for key, value in done.items() if value),
        root_causes=tuple(dict.fromkeys(cause.category for cause in record.lessons.root_causes)),
        send_by=send_by(record),
        letter_counts={state: states.count(state) for state in LETTER_STATES},
        self_rating=record.interview.self_rating,
        rating_later=record.perspective.rating_later,
        coach_rating=record.perspective.coach_rating,
        live_opportunities=_live(record),
        target_live=record.move_on.target_live,
        pipeline_recorded=bool(record.move_on.opportunities) or record.move_on.closed,
    )


def _bars(labels: dict[str, str], counts: dict[str, int], total: int) -> tuple[Bar, ...]:
    return tuple(
        Bar(labels.get(key, key), count, 100.0 * count / total if total else 0.0)
        for key, count in counts.items()
    )


def cohort(clients: Sequence[tuple[str, Record]], now: dt.datetime) -> Cohort:
    rows = tuple(client_row(name, record, now) for name, record in clients)
    return from_rows(rows, now, [record for _, record in clients])


def from_rows(rows: tuple[ClientRow, ...], now: dt.datetime, records: Sequence[Record]) -> Cohort:
    """The cohort of clients already turned into rows (the batch makes each row on its own)."""
    reached = {step: sum(step in row.steps for row in rows) for step in STEPS}
    causes: dict[str, int] = {}
    for row in rows:
        for key in row.root_causes:
            causes[key] = causes.get(key, 0) + 1
    ordered = dict(sorted(causes.items(), key=lambda item: (-item[1], item[0])))
    cause_labels = {key: content().label("root_causes", key) for key in ordered}
    letters: dict[str, int] = {
        state: sum(row.letter_counts[state] for row in rows) for state in LETTER_STATES
    }
    recorded = [row for row in rows if row.pipeline_recorded]
    pipeline = {
        state: sum(row.pipeline == state for row in recorded)
        for state in ("at risk", "thin", "healthy")
    }
    gaps = [row.rating_gap for row in rows if row.rating_gap is not None]
    letter_labels = {"due": "due (not sent yet)", "moot": "not sent, outcome known"}
    return Cohort(
        rows=rows,
        reached=reached,
        root_causes=_bars(cause_labels, ordered, reached["lessons"]),
        letters=_bars(letter_labels, letters, sum(letters.values())),
        letter_total=sum(letters.values()),
        pipeline=_bars({}, pipeline, len(recorded)),
        pipeline_recorded=len(recorded),
        mean_gap=sum(gaps) / len(gaps) if gaps else None,
        gap_clients=len(gaps),
        calibration=calibration(records),
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
        {
            "summary": summary,
            "step_titles": {key: content().steps[key].title for key in STEPS},
            "css": stylesheet(),
            "version": __version__,
        },
    )


def write_summary(
    clients: Sequence[tuple[str, Record]], reports_dir: Path, *, now: dt.datetime
) -> tuple[Path, Path]:
    """Write ``summary.html`` and ``summary.csv`` into ``reports_dir``; return their paths."""
    return write_cohort(cohort(clients, now), reports_dir)


def write_cohort(summary: Cohort, reports_dir: Path) -> tuple[Path, Path]:
    """Write ``summary``'s ``summary.html`` and ``summary.csv``; return their paths."""
    html_path, csv_path = reports_dir / "summary.html", reports_dir / "summary.csv"
    with atomic_write(html_path) as handle:
        handle.write(to_html(summary))
    with atomic_write(csv_path) as handle:
        handle.write(to_csv(summary))
    return html_path, csv_path
