"""A job seeker's interviews side by side: how each went, how it ended, what keeps coming back.

A person with several records (grouped by :func:`group_key`: ``candidate.id``, else e-mail,
else name) gets their interviews in date order, with the rating given right after and later and the
outcome, and the root causes named in two or more of their after-action reviews ("froze or went
blank: 3 of 4 interviews"). Those recurring causes, with their remedies, lead the checklist for
the next interview.

A client's report shows only that person's interviews. The batch, which reads the whole clients
folder for the coach anyway, picks each client's own records with :func:`same_person` and hands
the report just those paths; ``afterview lab`` finds them with :func:`siblings`. The report then
reads them with :func:`history_of`, which opens only the files it is given, never a coach file,
and drops any that is not the same person's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from afterview.coaching.content import content
from afterview.record import coachfile, quickread, store
from afterview.record.errors import RecordError
from afterview.record.schema import Record

__all__ = [
    "History",
    "Recurring",
    "Visit",
    "group_key",
    "history",
    "history_of",
    "same_person",
    "siblings",
]


@dataclasses.dataclass(frozen=True)
class Visit:
    """One interview in a person's history."""

    company: str
    role: str
    day: dt.date
    rating_then: int | None
    rating_later: int | None
    outcome: str
    """The result's status: ``pending``, ``advanced``, ``offer``, ``rejected``, ``no answer``."""


@dataclasses.dataclass(frozen=True)
class Recurring:
    """A root cause named in more than one of a person's after-action reviews."""

    cause: str
    label: str
    count: int
    reviewed: int
    """How many of their interviews have an after-action review (step 4) at all."""
    remedy: str

    def __str__(self) -> str:
        return content().caseload.recurring.format(
            label=self.label, count=self.count, total=self.reviewed
        )


@dataclasses.dataclass(frozen=True)
class History:
    visits: tuple[Visit, ...]
    recurring: tuple[Recurring, ...]

    @property
    def shown(self) -> bool:
        """Is there a history to show: more than one interview?"""
        return len(self.visits) > 1

    @property
    def checklist(self) -> list[str]:
        """What the next interview's checklist should start with: the recurring remedies."""
        return [item.remedy for item in self.recurring if item.remedy]


def group_key(record: Record) -> str:
    """Who a record belongs to: the practice's reference, else the e-mail, else the name."""
    candidate = record.candidate
    if candidate.id:
        return f"id:{candidate.id.strip().casefold()}"
    if candidate.email:
        return f"email:{candidate.email.strip().casefold()}"
    return "name:" + " ".join(candidate.name.casefold().split())


def same_person(path: Path, record: Record, others: Iterable[tuple[Path, Record]]) -> list[Path]:
    """The files among ``others`` that hold another interview of ``record``'s person."""
    key, own = group_key(record), path.resolve()
    return sorted(p for p, other in others if p.resolve() != own and group_key(other) == key)


def siblings(path: str | os.PathLike[str]) -> list[Path]:
    """The same person's other records in ``path``'s folder (for the coach's side only: it reads
    the folder); empty when the folder cannot be read."""
    path = Path(path).resolve()
    try:
        record = store.load(path)
        loaded = quickread.load_folder(path.parent, coachfile.record_paths(path.parent))
    except (OSError, RecordError):
        return []
    found = [(p, r) for p, r in loaded if isinstance(r, Record)]
    return same_person(path, record, found)


def history_of(record: Record, paths: Sequence[str | os.PathLike[str]]) -> History:
    """``record``'s history with the interviews in ``paths`` up to it (the report's own).

    Only ``paths`` are opened, without their coach files; one that cannot be read, or that is
    another person's, is left out, so a wrong path can never bring someone else into a report.
    """
    key, records = group_key(record), [record]
    for path in paths:
        try:
            other = quickread.load(Path(path))  # read only: libyaml, a tenth of the time
        except (OSError, RecordError):
            continue
        if group_key(other) == key and other.interview.starts_at <= record.interview.starts_at:
            records.append(other)
    return history(records)


def history(records: Iterable[Record]) -> History:
    """The interviews of one person (any order), oldest first, and their recurring causes."""
    ordered = sorted(records, key=lambda record: record.interview.starts_at)
    visits = tuple(
        Visit(
            company=record.interview.company,
            role=record.interview.role,
            day=record.interview.date,
            rating_then=record.interview.self_rating,
            rating_later=record.perspective.rating_later,
            outcome=record.result.status,
        )
        for record in ordered
    )
    reviewed = [r for r in ordered if r.lessons.root_causes or r.lessons.happened]
    counts: dict[str, int] = {}
    for record in reviewed:
        for cause in dict.fromkeys(c.category for c in record.lessons.root_causes):
            counts[cause] = counts.get(cause, 0) + 1
    recurring = []
    for cause, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if count >= 2:
            choice = content().choice("root_causes", cause)
            label = choice.label if choice else content().label("root_causes", cause)
            remedy = choice.remedy if choice else ""
            recurring.append(Recurring(cause, label, count, len(reviewed), remedy))
    return History(visits, tuple(recurring))
