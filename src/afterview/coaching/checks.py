"""Checks on the thank-you letters, against what makes a follow-up note work.

Each :class:`Finding` is written for the job seeker: what we noticed, and what to do about it.
The rules come from step 2 of the workbook ("Be open"): one personal note per interviewer,
100-200 words, sent within 24 hours (48 at most), no apology, excuse or talk of nerves, and
nothing that suggests the interviewer got it wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from afterview.coaching import clock
from afterview.coaching.content import LetterChecks, content
from afterview.coaching.letters import TITLES, Letter, greeting_name, message_text
from afterview.coaching.templating import capfirst
from afterview.record.errors import AfterviewError
from afterview.record.schema import Record

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

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")

SHORTEST, LONGEST, TOO_LONG = 100, 200, 250
SEND_WITHIN = dt.timedelta(hours=24)
LATE_AFTER = dt.timedelta(hours=48)
NEAR = dt.timedelta(hours=6)


def _phrases() -> LetterChecks:
    """The wording the checks look for: coaching content, in ``data/content.yaml``."""
    return content().letter_checks


@dataclass(frozen=True)
class Finding:
    """One thing to look at in the letters: how serious, what we noticed and what to do."""

    level: Level
    code: str
    interviewer: str | None
    message: str
    fix: str


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
        findings += _letter(record, letter)
    findings += _sameness(letters)
    if record.letters.sent_on is None:
        findings += _reanswers(record)
    return findings


# --- timing ---------------------------------------------------------------------------------


def _timing(record: Record, now: dt.datetime) -> list[Finding]:
    if record.letters.sent_on is not None:
        return [
            Finding(
                "info",
                "sent",
                None,
                f"You sent your letters on {clock.long_day(record.letters.sent_on)}. Well "
                "done: that was the biggest thing to do for this interview.",
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
        if person.name not in names:
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


# --- one letter -----------------------------------------------------------------------------


def _letter(record: Record, letter: Letter) -> list[Finding]:
    name = letter.interviewer.name
    findings = _length(letter)
    text = _normal(letter.body)
    for phrase in _found(text, _phrases().apology):
        findings.append(
            Finding(
                "warning",
                "apology",
                name,
                f"The letter to {name} says “{phrase}”. Apologies, excuses and talk of nerves "
                "pull attention back to what went wrong.",
                "Leave it out and say what you would add instead, in a confident, positive way.",
            )
        )
    for phrase in _found(text, _phrases().misunderstood):
        findings.append(
            Finding(
                "warning",
                "misunderstood",
                name,
                f"The letter to {name} says “{phrase}”, which can sound as if the interviewer "
                "got it wrong.",
                "Take the point as your own: “I'd like to add to my answer on…” works better.",
            )
        )
    findings += _greeting(record, letter)
    for part, value in (("company", record.interview.company), ("role", record.interview.role)):
        if _normal(value).casefold() not in text.casefold():
            findings.append(
                Finding(
                    "warning",
                    f"missing-{part}",
                    name,
                    f"The letter to {name} does not name the {part} ({value}).",
                    f"Mention the {part} by name, so the note is clearly about this interview.",
                )
            )
    return findings


def _length(letter: Letter) -> list[Finding]:
    name = letter.interviewer.name
    words = letter.word_count
    if words < SHORTEST:
        return [
            Finding(
                "warning",
                "too-short",
                name,
                f"The letter to {name} is {words} words; 100-200 words reads as a real note.",
                "Add something specific you talked about, or one strength with a proof point.",
            )
        ]
    if words <= LONGEST:
        return []
    level: Level = "warning" if words <= TOO_LONG else "error"
    return [
        Finding(
            level,
            "too-long",
            name,
            f"The letter to {name} is {words} words; busy interviewers read 100-200 words.",
            "Keep one re-answer and two strengths, each in a sentence or two, and cut the rest.",
        )
    ]


def _greeting(record: Record, letter: Letter) -> list[Finding]:
    name = letter.interviewer.name
    body = _normal(letter.body)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    salutation = first.casefold().rstrip(",:!. ")
    findings: list[Finding] = []
    group = salutation in _phrases().group_greetings or any(
        line.casefold().startswith(("cc:", "cc ")) for line in lines
    )
    others = [
        person.name
        for person in record.interviewers
        if person.name != name and _names_in(person.name, first, exclude=_name_parts(name))
    ]
    if others and not group and not _names_in(name, first):
        findings.append(
            Finding(
                "warning",
                "wrong-name",
                name,
                f"The letter to {name} greets {', '.join(others)} instead.",
                f"Start with “Dear {greeting_name(letter.interviewer)},”; it is an easy slip when "
                "one letter starts from another.",
            )
        )
        return findings
    if group or others:
        findings.append(
            Finding(
                "warning",
                "several-recipients",
                name,
                f"The letter to {name} seems to be for several people"
                + (f" (it also greets {', '.join(others)})" if others else "")
                + ".",
                "Send each interviewer a separate note that greets only them; no CC, "
                "no “Dear all”.",
            )
        )
        return findings
    if salutation in _phrases().generic_greetings or salutation.startswith(
        tuple(_phrases().generic_greetings)
    ):
        findings.append(
            Finding(
                "warning",
                "generic-greeting",
                name,
                f"The letter to {name} opens with “{first}”, which could be to anyone.",
                f"Greet them by name, for example “Dear {greeting_name(letter.interviewer)},”.",
            )
        )
    elif not _names_in(name, first):
        findings.append(
            Finding(
                "warning",
                "greeting-without-name",
                name,
                f"The first line of the letter to {name} does not greet them by name.",
                f"Start with “Dear {greeting_name(letter.interviewer)},”.",
            )
        )
    return findings


def _name_parts(name: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", _normal(name))} - TITLES


def _names_in(name: str, line: str, exclude: Iterable[str] = ()) -> bool:
    """Does ``line`` contain any part of ``name`` (titles and ``exclude`` left out)?"""
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", line)}
    return bool((_name_parts(name) - set(exclude)) & words)


# --- across letters and plans ---------------------------------------------------------------


def _sameness(letters: list[Letter]) -> list[Finding]:
    findings: list[Finding] = []
    first_with: dict[str, str] = {}
    for letter in letters:
        key = " ".join(_normal(message_text(letter.body)).casefold().split())
        name = letter.interviewer.name
        if key in first_with and first_with[key] != name:
            findings.append(
                Finding(
                    "warning",
                    "same-letter",
                    name,
                    f"The letter to {name} says the same as the one to {first_with[key]}.",
                    "Make each note personal: add one thing you talked about with this person.",
                )
            )
        first_with.setdefault(key, name)
    return findings


def _reanswers(record: Record) -> list[Finding]:
    findings: list[Finding] = []
    names = {person.name for person in record.interviewers}
    any_answer = any(plan.reanswer for plan in record.letters.plans)
    unassigned = False
    for question in record.weak_questions():
        if question.asked_by in names:
            plan = record.plan_for(question.asked_by)
            if not plan.reanswer and not (plan.address_concern and plan.concern_answer):
                findings.append(
                    Finding(
                        "info",
                        "nothing-reanswered",
                        question.asked_by,
                        f"Nothing re-answered yet: “{question.text}” did not go as you wanted, "
                        f"and the letter to {question.asked_by} does not come back to it.",
                        "Write two or three sentences that answer it better, with one concrete "
                        "example; the letter is your chance to add them.",
                    )
                )
        elif not any_answer:
            unassigned = True
    if unassigned:
        findings.append(
            Finding(
                "info",
                "nothing-reanswered",
                None,
                "Nothing re-answered yet: a question did not go as you wanted, and no letter "
                "comes back to it.",
                "Pick the interviewer who asked it and add a short, better answer to their letter.",
            )
        )
    return findings


# --- text helpers ---------------------------------------------------------------------------


def _normal(text: str) -> str:
    """NFC text with curly apostrophes straightened, so "didn’t" matches "didn't"."""
    return unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'")


def _found(text: str, phrases: Iterable[str]) -> list[str]:
    """Each phrase found in ``text`` as whole words (case-insensitive), as written there.

    A phrase that is part of a longer one found ("I blew" in "I blew it") is not repeated.
    """
    hits: list[tuple[int, int, str]] = []
    for phrase in phrases:
        words = [re.escape(word) for word in _normal(phrase).split()]
        pattern = r"(?<![\w'])" + r"\s+".join(words) + r"(?![\w'])"
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            hits.append((match.start(), match.end(), match.group(0)))
    hits.sort(key=lambda hit: (hit[0], -hit[1]))
    kept: list[str] = []
    end = -1
    for start, stop, found in hits:
        if start >= end:
            kept.append(" ".join(found.split()))
            end = stop
    first: dict[str, str] = {}
    for found in kept:
        first.setdefault(found.casefold(), found)
    return list(first.values())
