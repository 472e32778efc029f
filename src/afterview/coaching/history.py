"""A job seeker's interviews side by side: how each went, how it ended, what keeps coming back.

A person with several records (grouped as in :func:`afterview.coaching.caseload.group_key`)
gets their interviews in date order, with the rating given right after and later and the
outcome, and the root causes named in two or more of their after-action reviews ("froze or went
blank: 3 of 4 interviews"). Those recurring causes, with their remedies, lead the checklist for
the next interview.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from afterview.coaching.content import content
from afterview.record.schema import Record

__all__ = ["History", "Recurring", "Visit", "history"]


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
    def checklist(self) -> list[str]:
        """What the next interview's checklist should start with: the recurring remedies."""
        return [item.remedy for item in self.recurring if item.remedy]


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
