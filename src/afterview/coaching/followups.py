"""The notes after the thank-you letter: a check-in, a last note, and a reply to a "no".

Each is drafted from the record like the thank-you letters (a Jinja2 template per note,
``templates/followup-*.txt.j2``, that a coach can override) and written as ``.txt`` and ``.eml``
beside them. The notes go to the first interviewer, the person who usually speaks for the panel.

When to send them: while the client is still waiting, the check-in goes out 5 business days
after the last letter was sent (or 2 business days after the reply date the employer gave), and
the last note 10 business days (two weeks) after that; a letter not sent yet counts from today,
so no follow-up is ever dated before the thank-you. After a rejection, the reply goes out the
next business day. Business days are those of the job's country (:mod:`afterview.coaching.clock`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from afterview.coaching import clock
from afterview.coaching.letters import Letter, greeting_name, write_drafts
from afterview.coaching.templating import environment, render
from afterview.record.schema import Record

__all__ = [
    "KINDS",
    "FollowUp",
    "draft_file",
    "follow_up_days",
    "last_letter_day",
    "render_follow_ups",
    "write_follow_ups",
]

KINDS: tuple[str, ...] = ("check-in", "last-note", "after-rejection")
"""The three notes, in the order they are written (and numbered in their file names)."""
FIRST_FOLLOW_UP_DAYS = 5
"""Business days of silence after the letters before the check-in."""
AFTER_RESPONSE_BY_DAYS = 2
"""Business days past the reply date the employer gave before the check-in."""
LAST_NOTE_DAYS = 10
"""Business days (two weeks) between the check-in and the last note."""
SUBJECT_TEMPLATE = "followup_subject.txt.j2"


@dataclass(frozen=True)
class FollowUp:
    """One follow-up note and the day to send it (``None``: not due, kept ready)."""

    kind: str
    day: dt.date | None
    letter: Letter


def draft_file(kind: str) -> str:
    """The note's file name without extension: ``followup-1-check-in``."""
    return f"followup-{KINDS.index(kind) + 1}-{kind}"


def last_letter_day(record: Record, today: dt.date) -> dt.date:
    """The day the last thank-you letter went out; a letter still unsent counts as today."""
    days = []
    for person in record.interviewers:
        sent = record.plan_for(person.name).sent_on or record.letters.sent_on
        days.append(sent if sent is not None else today)
    return max(days)


def follow_up_days(record: Record, today: dt.date) -> dict[str, dt.date]:
    """The notes that are due, by kind, and when: none once the outcome is known, except the
    reply after a rejection."""
    interview = record.interview
    result = record.result
    if result.status == "rejected":
        heard = result.on or today
        return {"after-rejection": clock.add_business_days(heard, 1, interview)}
    if result.status != "pending":
        return {}
    sent = last_letter_day(record, today)
    earliest = clock.add_business_days(sent, 1, interview)
    response_by = record.move_on.response_by
    if response_by is not None:
        first = clock.add_business_days(response_by, AFTER_RESPONSE_BY_DAYS, interview)
    else:
        first = clock.add_business_days(sent, FIRST_FOLLOW_UP_DAYS, interview)
    first = max(first, earliest)
    return {
        "check-in": first,
        "last-note": clock.add_business_days(first, LAST_NOTE_DAYS, interview),
    }


def _render(record: Record, kind: str, env: jinja2.Environment) -> Letter:
    person = record.interviewers[0]
    response_by = record.move_on.response_by
    context = {
        "kind": kind,
        "candidate": record.candidate,
        "interview": record.interview,
        "interviewer": person,
        "greeting_name": greeting_name(person),
        "interview_day": clock.long_day(record.interview.date),
        "response_by": clock.long_day(response_by) if response_by else "",
        "signoff": record.letters.signoff,
    }
    subject = " ".join(render(env, SUBJECT_TEMPLATE, context).split())
    body = render(env, f"followup-{kind}.txt.j2", context).strip() + "\n"
    return Letter(interviewer=person, subject=subject, body=body)


def render_follow_ups(
    record: Record, templates: Path | None = None, now: dt.datetime | None = None
) -> list[FollowUp]:
    """All three notes, each with its day when it is due (see :func:`follow_up_days`)."""
    env = environment(templates)
    days = follow_up_days(record, clock.today(record, now))
    return [FollowUp(kind, days.get(kind), _render(record, kind, env)) for kind in KINDS]


def write_follow_ups(
    record: Record, out_dir: Path, templates: Path | None = None, now: dt.datetime | None = None
) -> list[Path]:
    """Write ``followup-N-KIND.txt`` and ``.eml`` for each note; hand edits are kept."""
    drafts = [
        (draft_file(note.kind), note.letter) for note in render_follow_ups(record, templates, now)
    ]
    return write_drafts(record, Path(out_dir), drafts)
