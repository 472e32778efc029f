"""The coach's caseload: who needs the coach today, one row per job seeker, most urgent first.

:func:`caseload` is the one library function behind ``afterview caseload``, the caseload
notebook and the batch index. It groups a folder's records by person (``candidate.id``, else
e-mail, else name) and, for each person, finds what is due: letters overdue or due within a day
(counted per letter), follow-ups due this week, interviews coming up, and the flags a coach
wants to see first (high distress, a remark the client felt was inappropriate, no activity).
The most urgent of those is the row's next action, and the rows are sorted by it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from afterview.coaching.calendar import follow_ups
from afterview.coaching.checks import send_by
from afterview.coaching.content import STEPS, content
from afterview.coaching.history import History, group_key, history
from afterview.record import coachfile, quickread
from afterview.record.errors import AfterviewError, RecordError
from afterview.record.schema import Record

__all__ = [
    "Case",
    "Entry",
    "LetterState",
    "LetterStatus",
    "Soon",
    "caseload",
    "entry",
    "group_key",
    "letter_states",
    "read_folder",
    "steps_done",
]

LetterStatus = Literal["sent", "due", "overdue", "moot"]
WEEK = dt.timedelta(days=7)
INTERVIEW_STAGES = ("screen", "interviewing")
"""Opportunities at these stages have interviews ahead; their next dates are interviews."""

# Most urgent first; a row sorts by its most urgent item, then by how pressing that item is.
URGENCY: tuple[str, ...] = (
    "distress",
    "letters_overdue",
    "letters_due",
    "remark",
    "interview_soon",
    "follow_up",
    "quiet",
    "unfinished",
    "outcome",
    "none",
)


@dataclasses.dataclass(frozen=True)
class Entry:
    """One record file as the caseload sees it: where it is, what it says, when it changed."""

    path: Path
    record: Record
    changed: dt.datetime
    coach_flags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class LetterState:
    """One thank-you letter (one per interviewer) and where it stands at ``now``."""

    interviewer: str
    send_by: dt.datetime
    status: LetterStatus
    """``sent``; ``due`` or ``overdue`` against the send-by time; ``moot`` once the outcome is
    known and the letter was never sent."""
    days_late: int = 0


@dataclasses.dataclass(frozen=True)
class Soon:
    """A dated thing coming up for this person: a follow-up or an interview."""

    day: dt.date
    company: str
    what: str


@dataclasses.dataclass(frozen=True)
class Case:
    """One job seeker's row in the caseload."""

    person: str
    key: str
    entries: tuple[Entry, ...]
    """Their records, oldest interview first; the last is the current interview."""
    letters: tuple[LetterState, ...]
    """Letters still open (due or overdue) across their pending interviews."""
    follow_ups: tuple[Soon, ...]
    interviews: tuple[Soon, ...]
    steps: int
    """Steps done (0-5) in the current interview."""
    last_change: dt.datetime
    flags: tuple[str, ...]
    """Flag keys (``distress``, ``remark``, ``quiet``) then the coach's own flags."""
    action: str
    """The most urgent item's key in :data:`URGENCY`."""
    next_action: str
    rank: tuple[int, float, str]
    history: History

    @property
    def current(self) -> Entry:
        return self.entries[-1]

    @property
    def overdue(self) -> tuple[LetterState, ...]:
        return tuple(letter for letter in self.letters if letter.status == "overdue")

    @property
    def due_soon(self) -> tuple[LetterState, ...]:
        return tuple(letter for letter in self.letters if letter.status == "due")

    @property
    def most_days_late(self) -> int:
        return max((letter.days_late for letter in self.overdue), default=0)

    def flag_labels(self, quiet_days: int) -> list[str]:
        words = content().caseload.flags
        return [words[key].format(days=quiet_days) if key in words else key for key in self.flags]


def letter_states(record: Record, now: dt.datetime) -> list[LetterState]:
    """Every interviewer's letter: sent, due, overdue (with whole days late) or moot."""
    deadline = send_by(record)
    known = record.result.status != "pending"
    states = []
    for person in record.interviewers:
        sent = record.plan_for(person.name).sent_on or record.letters.sent_on
        if sent is not None:
            states.append(LetterState(person.name, deadline, "sent"))
        elif known:
            states.append(LetterState(person.name, deadline, "moot"))
        elif now > deadline:
            late = -((deadline - now) // dt.timedelta(days=1))  # days begun since the deadline
            states.append(LetterState(person.name, deadline, "overdue", late))
        else:
            states.append(LetterState(person.name, deadline, "due"))
    return states


def steps_done(record: Record) -> dict[str, bool]:
    """Which of the five steps the record shows as done."""
    perspective, lessons = record.perspective, record.lessons
    return {
        "perspective": bool(perspective.balanced_thought) or perspective.rating_later is not None,
        "letters": all(
            record.plan_for(person.name).sent_on or record.letters.sent_on
            for person in record.interviewers
        ),
        "strengths": any(strength.evidence for strength in record.strengths.map),
        "lessons": bool(lessons.root_causes or lessons.happened),
        "move_on": record.move_on.closed,
    }


def distressed(record: Record) -> bool:
    """An emotion still strong after the thought record, or despairing words in it."""
    words = content().caseload
    perspective = record.perspective
    if any((e.after or 0) >= words.distress_after for e in perspective.emotions):
        return True
    text = " ".join(
        [perspective.situation, perspective.automatic_thought, *perspective.evidence_for]
    )
    return _pattern(tuple(words.distress_words)).search(text) is not None


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    if words not in _PATTERNS:
        alternatives = "|".join(re.escape(word).replace("'", "['’]") for word in words)
        _PATTERNS[words] = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
    return _PATTERNS[words]


def _pending(entries: Iterable[Entry]) -> list[Record]:
    return [e.record for e in entries if e.record.result.status == "pending"]


def _follow_ups(records: Iterable[Record], now: dt.datetime) -> list[Soon]:
    today = now.date()
    found = []
    for record in records:
        for item in follow_ups(record, now):
            day = item.start.date() if isinstance(item.start, dt.datetime) else item.start
            if today <= day < today + WEEK:
                found.append(Soon(day, record.interview.company, item.title))
    return sorted(found, key=lambda soon: soon.day)


def _interviews(entries: Sequence[Entry], today: dt.date) -> list[Soon]:
    found: dict[tuple[str, str, dt.date], Soon] = {}
    for entry in entries:
        for chance in entry.record.move_on.opportunities:
            day = chance.next_date
            if chance.stage in INTERVIEW_STAGES and day is not None and today <= day < today + WEEK:
                key = (chance.company.casefold(), chance.role.casefold(), day)
                found[key] = Soon(day, chance.company, chance.next_step or chance.stage)
    return sorted(found.values(), key=lambda soon: (soon.day, soon.company))


def _flags(entries: Sequence[Entry], steps: int, now: dt.datetime, quiet_days: int) -> list[str]:
    current = entries[-1].record
    flags = []
    if distressed(current):
        flags.append("distress")
    if current.interview.inappropriate_remark:
        flags.append("remark")
    last = max(entry.changed for entry in entries)
    still_open = current.result.status == "pending" and steps < len(STEPS)
    if still_open and now - last >= dt.timedelta(days=quiet_days):
        flags.append("quiet")
    return flags


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def _next(
    flags: list[str],
    letters: list[LetterState],
    soon: tuple[list[Soon], list[Soon]],
    steps: dict[str, bool],
    current: Entry,
    quiet_days: int,
) -> tuple[str, float, str]:
    """The most urgent item: its key, how pressing it is within its kind, and one line."""
    actions = content().caseload.actions
    overdue = [letter for letter in letters if letter.status == "overdue"]
    due = [letter for letter in letters if letter.status == "due"]
    interviews, follow_ups = soon
    if "distress" in flags:
        return "distress", 0.0, actions["distress"]
    if overdue:
        days = max(letter.days_late for letter in overdue)
        text = actions["letters_overdue"].format(
            count=len(overdue), s=_plural(len(overdue)), days=days, ds=_plural(days)
        )
        return "letters_overdue", -len(overdue) * 1000.0 - days, text
    if due:
        first = min(letter.send_by for letter in due)
        text = actions["letters_due"].format(count=len(due), s=_plural(len(due)))
        return "letters_due", first.timestamp(), text
    if "remark" in flags:
        return "remark", 0.0, actions["remark"]
    for key, items in (("interview_soon", interviews), ("follow_up", follow_ups)):
        if items:
            day = items[0].day
            when = f"{day:%a} {day.day} {day:%b}"
            text = actions[key].format(company=items[0].company, day=when)
            return key, float(day.toordinal()), text
    if "quiet" in flags:
        return "quiet", -current.changed.timestamp(), actions["quiet"].format(days=quiet_days)
    return _later(steps, current)


def _later(steps: dict[str, bool], current: Entry) -> tuple[str, float, str]:
    actions = content().caseload.actions
    record = current.record
    for number, (key, done) in enumerate(steps.items(), start=1):
        if not done and not (key == "letters" and record.result.status != "pending"):
            title = content().steps[key].title
            return (
                "unfinished",
                float(number),
                actions["unfinished"].format(step=number, title=title),
            )
    if record.result.status == "pending":
        return "outcome", 0.0, actions["outcome"].format(company=record.interview.company)
    return "none", 0.0, actions["none"]


def case(entries: Sequence[Entry], now: dt.datetime, quiet_days: int) -> Case:
    """One person's row, from their records (any order)."""
    entries = tuple(sorted(entries, key=lambda e: (e.record.interview.starts_at, e.path.name)))
    current = entries[-1]
    today = now.date()
    open_letters = [
        letter
        for record in _pending(entries)
        for letter in letter_states(record, now)
        if letter.status in ("due", "overdue")
    ]
    steps = steps_done(current.record)
    done = sum(steps.values())
    flags = _flags(entries, done, now, quiet_days)
    interviews, follow_ups = _interviews(entries, today), _follow_ups(_pending(entries), now)
    action, within, line = _next(
        flags, open_letters, (interviews, follow_ups), steps, current, quiet_days
    )
    coach_flags = [flag for entry in entries for flag in entry.coach_flags]
    return Case(
        person=current.record.candidate.name,
        key=group_key(current.record),
        entries=entries,
        letters=tuple(open_letters),
        follow_ups=tuple(follow_ups),
        interviews=tuple(interviews),
        steps=done,
        last_change=max(entry.changed for entry in entries),
        flags=tuple(dict.fromkeys([*flags, *coach_flags])),
        action=action,
        next_action=line,
        rank=(URGENCY.index(action), within, current.record.candidate.name.casefold()),
        history=history([entry.record for entry in entries]),
    )


def read_folder(folder: Path) -> tuple[list[Entry], list[RecordError]]:
    """Every record in ``folder`` with its coach flags, and the records that would not load."""
    if not folder.is_dir():
        raise AfterviewError(
            "no such folder; give the folder that holds the client records", path=str(folder)
        )
    entries: list[Entry] = []
    problems: list[RecordError] = []
    for path, found in quickread.load_folder(folder, coachfile.record_paths(folder)):
        if isinstance(found, RecordError):
            problems.append(found)
            continue
        try:
            entries.append(entry(path, found))
        except RecordError as error:  # its coach file is broken
            problems.append(error)
    return entries, problems


def entry(path: Path, record: Record) -> Entry:
    """A loaded record as the caseload sees it, with its file's time and the coach's flags."""
    changed = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return Entry(path, record, changed, tuple(coachfile.read(path).flags))


def caseload(
    entries: Iterable[Entry], now: dt.datetime, *, quiet_days: int | None = None
) -> list[Case]:
    """One row per person, most urgent first."""
    days = content().caseload.quiet_days if quiet_days is None else quiet_days
    people: dict[str, list[Entry]] = {}
    for entry in entries:
        people.setdefault(group_key(entry.record), []).append(entry)
    rows = [case(group, now, days) for group in people.values()]
    return sorted(rows, key=lambda row: row.rank)
