"""Checks on the thank-you letters, against what makes a follow-up note work.

Each :class:`Finding` is written for the job seeker: what we noticed, and what to do about it.
The rules come from step 2 of the workbook ("Be open"): one personal note per interviewer,
100-200 words, sent within 24 hours (48 at most), no apology, excuse or talk of nerves, and
nothing that suggests the interviewer got it wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from afterview.coaching import clock
from afterview.coaching.findings import LEVELS, Finding
from afterview.coaching.letter_checks import check_letter, check_panel, check_questions
from afterview.coaching.letters import Letter
from afterview.coaching.plans import all_sent_on, is_started, sent_on
from afterview.coaching.templating import capfirst
from afterview.record.errors import AfterviewError
from afterview.record.schema import Interviewer, Record

__all__ = [
    "LEVELS",
    "Finding",
    "check_letters",
    "countdown",
    "parse_now",
    "send_by",
    "send_by_note",
    "when",
]

SEND_WITHIN = dt.timedelta(hours=24)
LATE_AFTER = dt.timedelta(hours=48)
NEAR = dt.timedelta(hours=6)


def parse_now(
    text: str | None, *, field: str = "now", zone: str | None = None
) -> dt.datetime | None:
    """The moment deadlines are judged at, from an ISO timestamp; ``None`` (or "") for now.

    A time without an offset is read in ``zone`` (the interview's time zone); with no ``zone``
    to read it in, it is refused with a message saying to add the offset.
    """
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise AfterviewError(
            f"expected a time like 2026-11-24T18:00:00+00:00, got {text!r}", field=field
        ) from None
    if moment.tzinfo is not None:
        return moment
    if zone is None:
        raise AfterviewError(
            f"{text!r} has no time zone; add the offset of the interview's zone, like "
            f"{moment:%Y-%m-%dT%H:%M}-05:00 for Lima or {moment:%Y-%m-%dT%H:%M}+00:00 for London",
            field=field,
        )
    return moment.replace(tzinfo=ZoneInfo(zone))


def send_by(record: Record) -> dt.datetime:
    """The send-by time: 24 hours after the interview ended (real hours, so a clock change
    in between is counted), in the interview's time zone."""
    ended = record.interview.ends_at
    return (ended.astimezone(dt.UTC) + SEND_WITHIN).astimezone(ended.tzinfo)


def send_by_note(record: Record) -> str:
    """What to do when the 24 hours end on a day off where the job is, else ""."""
    deadline = send_by(record)
    interview = record.interview
    if clock.business_day(deadline.date(), interview):
        return ""
    day = clock.holiday_name(deadline.date(), interview) or f"{deadline:%A}"
    after = clock.next_business_day(deadline.date(), interview)
    return f"falls on {day}: {after:%A} morning is fine"


def when(moment: dt.datetime) -> str:
    """A moment as the job seeker reads it: "Tuesday 24 November at 18:00 Lima time (UTC−5)"."""
    return f"{clock.long_day(moment)} at {moment:%H:%M} {clock.zone_label(moment)}"


def countdown(left: dt.timedelta) -> str:
    """Time left, rounded down: "3 hours", "1 hour", "40 minutes", "less than a minute"."""
    minutes = int(left.total_seconds() // 60)
    if minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if minutes >= 1:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return "less than a minute"


def check_letters(
    record: Record, letters: Iterable[Letter], now: dt.datetime | None = None
) -> list[Finding]:
    """Everything worth a second look in the letters, the deadline first, then letter by letter.

    ``now`` defaults to the current time; a naive ``now`` is read in the interview's zone.
    """
    letters = list(letters)
    if now is None:
        now = dt.datetime.now(dt.UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(record.interview.timezone))
    findings = _timing(record, now)
    findings += _coverage(record, letters)
    for letter in letters:
        findings += check_letter(record, letter)
    findings += check_panel(record, letters)
    findings += check_questions(record)
    return findings


# --- timing ---------------------------------------------------------------------------------


def _timing(record: Record, now: dt.datetime) -> list[Finding]:
    sent = all_sent_on(record)
    if sent is not None:
        return [
            Finding(
                "info",
                "sent",
                None,
                f"You sent your letters on {clock.long_day(sent)}. Well done: that was the "
                "biggest thing to do for this interview.",
                "Close this interview in your mind and put your energy into your other "
                "opportunities; the follow-up dates are in your calendar.",
            )
        ]
    deadline = send_by(record)
    left = deadline - now
    if left > NEAR:
        return []
    if left > dt.timedelta(0):
        note = send_by_note(record)
        return [
            Finding(
                "warning",
                "deadline-near",
                None,
                f"{capfirst(countdown(left))} left to send your letters within 24 hours of the "
                f"interview (by {when(deadline)}" + (f"; that {note}" if note else "") + ").",
                "Read each letter once more, then send it; a good note sent today beats a "
                "perfect one sent next week.",
            )
        ]
    if now - record.interview.ends_at <= LATE_AFTER:
        return [
            Finding(
                "error",
                "deadline-passed",
                None,
                f"The 24-hour mark passed on {when(deadline)}.",
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
