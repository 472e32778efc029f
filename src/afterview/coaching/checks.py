"""Checks on the thank-you letters, against what makes a follow-up note work.

Each :class:`Finding` is written for the job seeker: what we noticed, and what to do about it.
The rules come from step 2 of the workbook ("Be open"): one personal note per interviewer,
100-200 words, sent within 24 hours (48 at most), no apology, excuse or talk of nerves, and
nothing that suggests the interviewer got it wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from afterview.coaching.findings import LEVELS, Finding
from afterview.coaching.letter_checks import check_letter, check_panel, check_questions
from afterview.coaching.letters import Letter
from afterview.coaching.plans import all_sent_on, is_started, sent_on
from afterview.record.errors import AfterviewError
from afterview.record.schema import Interviewer, Record

__all__ = [
    "LEVELS",
    "Finding",
    "check_letters",
    "parse_now",
    "send_by",
]

SEND_WITHIN = dt.timedelta(hours=24)
LATE_AFTER = dt.timedelta(hours=48)
NEAR = dt.timedelta(hours=6)


def parse_now(text: str | None, *, field: str = "now") -> dt.datetime | None:
    """The moment deadlines are judged at, from an ISO timestamp; ``None`` (or "") for now.

    A time without a zone is taken in this computer's zone, so it compares with send-by times.
    """
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise AfterviewError(
            f"expected a time like 2026-11-24T18:00:00+00:00, got {text!r}", field=field
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


def send_by(record: Record) -> dt.datetime:
    """The send-by time: the same clock time the day after the interview, in its time zone."""
    return record.interview.starts_at + SEND_WITHIN


def check_letters(
    record: Record, letters: Iterable[Letter], now: dt.datetime | None = None
) -> list[Finding]:
    """Everything worth a second look in the letters, the deadline first, then letter by letter.

    ``now`` defaults to the current time; a naive ``now`` is read as local time.
    """
    letters = list(letters)
    now = dt.datetime.now(dt.UTC) if now is None else now.astimezone()
    findings = _timing(record, now)
    findings += _coverage(record, letters)
    for letter in letters:
        findings += check_letter(record, letter)
    findings += check_panel(record, letters)
    findings += check_questions(record)
    return findings


# --- timing ---------------------------------------------------------------------------------


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _when(moment: dt.datetime) -> str:
    zone = moment.tzname() or ""
    return f"{_day(moment)} at {moment:%H:%M} {zone}".strip()


def _timing(record: Record, now: dt.datetime) -> list[Finding]:
    sent = all_sent_on(record)
    if sent is not None:
        return [
            Finding(
                "info",
                "sent",
                None,
                f"You sent your letters on {_day(sent)}. Well done: that "
                "was the one thing left to do for this interview.",
                "Close this interview in your mind and put your energy into your other "
                "opportunities; the follow-up dates are in your calendar.",
            )
        ]
    deadline = send_by(record)
    left = deadline - now
    if left > NEAR:
        return []
    if left > dt.timedelta(0):
        hours = max(1, round(left.total_seconds() / 3600))
        return [
            Finding(
                "warning",
                "deadline-near",
                None,
                f"About {hours} hour{'s' if hours != 1 else ''} left to send your letters within "
                f"24 hours of the interview (by {_when(deadline)}).",
                "Read each letter once more, then send it; a good note sent today beats a "
                "perfect one sent next week.",
            )
        ]
    if now - record.interview.starts_at <= LATE_AFTER:
        return [
            Finding(
                "error",
                "deadline-passed",
                None,
                f"The 24-hour mark passed on {_when(deadline)}.",
                "Send your letters today: within 48 hours a thank-you note still makes its point.",
            )
        ]
    return [
        Finding(
            "error",
            "late",
            None,
            "It is more than 48 hours since the interview, so the letters will arrive late.",
            "Send them anyway, today: a late thank-you still shows interest and can still "
            "answer a concern. Leave out any apology for the delay.",
        )
    ]


# --- which letters exist --------------------------------------------------------------------


def _coverage(record: Record, letters: list[Letter]) -> list[Finding]:
    findings: list[Finding] = []
    names = {letter.interviewer.name for letter in letters}
    known = {person.name for person in record.interviewers}
    for person in record.interviewers:
        if not is_started(record.plan_for(person.name)):
            if sent_on(record, person.name) is None:
                findings.append(_not_started(person))
        elif person.name not in names:
            findings.append(
                Finding(
                    "error",
                    "no-letter",
                    person.name,
                    f"There is no letter to {person.name}.",
                    "Write a short, separate note to every person who interviewed you, "
                    "even if you spoke only briefly.",
                )
            )
    for name in sorted(names - known):
        findings.append(
            Finding(
                "warning",
                "unknown-recipient",
                name,
                f"There is a letter to {name}, who is not on the list of interviewers.",
                "Check the spelling of the name, or add them to the interviewers.",
            )
        )
    seen: set[str] = set()
    for letter in letters:
        name = letter.interviewer.name
        if name in seen:
            findings.append(
                Finding(
                    "warning",
                    "duplicate-letter",
                    name,
                    f"There is more than one letter to {name}.",
                    "Keep one letter per person and delete the other.",
                )
            )
        seen.add(name)
    return findings


def _not_started(person: Interviewer) -> Finding:
    return Finding(
        "warning",
        "not-started",
        person.name,
        f"The letter to {person.name} is not started.",
        f"Write down one thing from your conversation with {person.name} that you can thank "
        "them for; the letter is built from there.",
    )
