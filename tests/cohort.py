"""Generated client folders for the caseload and summary tests, with every fact known by rule.

:func:`write_cohort` writes ``clients`` records into a folder, one per person plus an earlier
interview for every tenth person, over about three months up to :data:`NOW`. Each person's
facts follow from their number ``i`` by the rules in :class:`Person`, so a test can compute
what the caseload and the summary should say by hand, without calling the code under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

from afterview.record import store
from afterview.record.schema import (
    Candidate,
    Emotion,
    Interview,
    Interviewer,
    Lessons,
    LetterPlan,
    Letters,
    MoveOn,
    Opportunity,
    Perspective,
    Record,
    Result,
    RootCause,
)

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
SPAN_DAYS = 91
"""The first interview is this many days before the last one (about three months)."""


@dataclasses.dataclass(frozen=True)
class Person:
    """Person ``i`` of ``n``: every fact below is a simple rule of ``i``."""

    i: int
    n: int

    @property
    def date(self) -> dt.date:
        """Spread evenly over the three months up to NOW's day (the last person's is today)."""
        return NOW.date() - dt.timedelta(days=(self.n - 1 - self.i) * SPAN_DAYS // (self.n - 1))

    @property
    def letters(self) -> int:
        return 1 + self.i % 3

    @property
    def sent(self) -> bool:
        return self.i % 4 == 0

    @property
    def status(self) -> str:
        return {5: "rejected", 4: "advanced"}.get(self.i % 6, "pending")

    @property
    def distress(self) -> bool:
        return self.i % 7 == 3

    @property
    def remark(self) -> bool:
        return self.i % 11 == 2

    @property
    def idle_days(self) -> int:
        """Days since the record file last changed."""
        return self.i % 10

    @property
    def reviewed(self) -> bool:
        """Did step 4: root causes named."""
        return self.i % 2 == 0

    @property
    def causes(self) -> list[str]:
        return ["froze"] if self.i % 3 == 0 else ["froze", "no_examples"]

    @property
    def self_rating(self) -> int:
        return 1 + self.i % 5

    @property
    def rating_later(self) -> int | None:
        return min(10, self.self_rating + 2) if self.i % 2 == 0 else None

    @property
    def opportunities(self) -> int:
        """Live opportunities listed besides the interview itself (0: none listed at all)."""
        return self.i % 8

    @property
    def earlier(self) -> bool:
        """Every tenth person also has an earlier interview (rejected), under another e-mail."""
        return self.i % 10 == 0


def record_for(person: Person) -> Record:
    i = person.i
    names = [f"Interviewer {i:02d}{letter}" for letter in "ABC"[: person.letters]]
    sent_on = person.date + dt.timedelta(days=1) if person.sent else None
    return Record(
        candidate=Candidate(
            name=f"Client {i:02d}", email=f"client{i:02d}@example.org", id=f"C{i:02d}"
        ),
        interview=Interview(
            company=f"Company {i:02d}",
            role="Analyst",
            date=person.date,
            time=dt.time(9, 0),
            timezone="UTC",
            self_rating=person.self_rating,
            inappropriate_remark="Asked whether I plan to have children." if person.remark else "",
        ),
        interviewers=[Interviewer(name=name) for name in names],
        perspective=Perspective(
            emotions=[Emotion(name="worried", before=90, after=85 if person.distress else 30)],
            rating_later=person.rating_later,
        ),
        letters=Letters(plans=[LetterPlan(interviewer=name) for name in names], sent_on=sent_on),
        lessons=Lessons(
            root_causes=[RootCause(category=c) for c in person.causes] if person.reviewed else []
        ),
        move_on=MoveOn(
            opportunities=[
                Opportunity(company=f"Other {i:02d}-{k}", stage="applied")
                for k in range(person.opportunities)
            ]
        ),
        result=Result(status=person.status),  # type: ignore[arg-type]
    )


def earlier_record_for(person: Person) -> Record:
    """An interview two weeks before, rejected, letters sent, where the client also froze."""
    record = record_for(person)
    day = person.date - dt.timedelta(days=14)
    record.candidate.email = f"client{person.i:02d}.old@example.org"
    record.interview.company = f"Earlier {person.i:02d}"
    record.interview.date = day
    record.interview.inappropriate_remark = ""
    record.perspective.emotions = []
    record.letters.sent_on = day + dt.timedelta(days=1)
    record.lessons.root_causes = [RootCause(category="froze")]
    record.result = Result(status="rejected", on=day + dt.timedelta(days=7))
    return record


def write_cohort(folder: Path, clients: int = 50) -> list[Person]:
    """Write the cohort's records into ``folder`` and set their files' times; return the people."""
    folder.mkdir(parents=True, exist_ok=True)
    people = [Person(i, clients) for i in range(clients)]
    for person in people:
        stamp = (NOW - dt.timedelta(days=person.idle_days, hours=1)).timestamp()
        written = [store.save(record_for(person), folder / f"client-{person.i:02d}.yaml")]
        if person.earlier:
            path = folder / f"client-{person.i:02d}-earlier.yaml"
            written.append(store.save(earlier_record_for(person), path))
        for path in written:
            os.utime(path, (stamp, stamp))
    return people
