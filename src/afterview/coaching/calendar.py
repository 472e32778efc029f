"""The dates that matter after the interview, as reminders and as an ``.ics`` calendar file.

The send-by time for the letters, the follow-up notes (step 5, "Move on"; their dates come from
:mod:`afterview.coaching.followups`), the practice sessions of step 4, the next step of every
other opportunity, and a daily worry slot in the job seeker's own time zone. Nothing here reads
``coach_notes``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import icalendar

from afterview.coaching import clock
from afterview.coaching.checks import send_by, send_by_note, when
from afterview.coaching.content import content
from afterview.coaching.followups import KINDS, draft_file, follow_up_days
from afterview.coaching.letters import slug
from afterview.record.schema import Record

__all__ = ["Reminder", "follow_ups", "left_to_do", "reminders", "to_ics"]

PRODID = "-//Afterview//EN"
WORRY_MINUTES = 25
WORRY_DAYS = 7
MORNING = dt.timedelta(hours=9)
"""All-day reminders ring at 09:00 on the day."""
SEND_BY_WARNING = dt.timedelta(hours=3)
PRACTICE_MINUTES = {"mock_interview": 60, "star_aloud": 20, "other": 30}


@dataclass(frozen=True)
class Reminder:
    """One calendar entry: a date (all day) or an aware datetime (timed)."""

    start: dt.date | dt.datetime
    title: str
    description: str
    all_day: bool
    key: str = ""
    """Stable name of this reminder within its record ("send-by", "follow-up-1"...); the
    calendar UID is built from it, so a re-imported calendar updates the event."""
    minutes: int = 30
    """Length of a timed reminder."""
    repeat_days: int = 1
    """How many days in a row it happens (the worry slot repeats daily)."""
    alarm: bool = False


def reminders(record: Record, now: dt.datetime | None = None) -> list[Reminder]:
    """Every reminder for this record, in date order; ``now`` (default: the current time)
    decides "today" for letters not sent yet."""
    items = (
        _send_by(record)
        + _follow_ups(record, now)
        + _practice(record)
        + _opportunities(record)
        + _worry(record)
    )
    return sorted(items, key=_sort_key)


def follow_ups(record: Record, now: dt.datetime | None = None) -> list[Reminder]:
    """Only the follow-ups on silence, in date order: what the caseload looks at."""
    return _follow_ups(record, now)


def _sort_key(item: Reminder) -> tuple[dt.datetime, str]:
    if isinstance(item.start, dt.datetime):
        return item.start.astimezone(dt.UTC).replace(tzinfo=None), item.key
    return dt.datetime.combine(item.start, dt.time(0)), item.key


def _unsent(record: Record) -> list[str]:
    return [
        person.name
        for person in record.interviewers
        if (record.plan_for(person.name).sent_on or record.letters.sent_on) is None
    ]


def _send_by(record: Record) -> list[Reminder]:
    names = _unsent(record)
    if not names:
        return []
    interview = record.interview
    deadline = send_by(record)
    note = send_by_note(record)
    start = deadline
    if note:
        morning = clock.next_business_day(deadline.date(), interview)
        start = dt.datetime.combine(morning, dt.time(9, 0), tzinfo=deadline.tzinfo)
    timing = f"The 24 hours end on {when(deadline)}" + (f"; that {note}." if note else ".")
    return [
        Reminder(
            key="send-by",
            start=start,
            title=f"Send thank-you letters: {interview.company}",
            description=(
                f"Send a separate, personal note to each interviewer ({', '.join(names)}) about "
                f"the {interview.role} role. {timing} Within 48 hours still works. Once they "
                "are sent, the follow-up notes are drafted for you and dated in this calendar."
            ),
            all_day=False,
            minutes=15,
            alarm=True,
        )
    ]


def _follow_ups(record: Record, now: dt.datetime | None) -> list[Reminder]:
    interview = record.interview
    days = follow_up_days(record, clock.today(record, now))
    where = f"the {interview.role} role at {interview.company}"
    response_by = record.move_on.response_by
    if response_by is not None:
        why = f"They said they would reply by {response_by:%A} {response_by.day} {response_by:%B}."
    else:
        why = "It has been a week since your thank-you letters."
    words = {
        "check-in": (
            f"Follow up: {interview.company}",
            f"{why} If you have not heard back about {where}, send a short, friendly note "
            "asking where things stand. If you have heard, record the outcome and delete this "
            "reminder.",
        ),
        "last-note": (
            f"Last follow-up: {interview.company}",
            f"Still no news about {where}? Send one last short, gracious note, then let this "
            "one go and put your energy into your other opportunities.",
        ),
        "after-rejection": (
            f"Reply to {interview.company}",
            f"They said no to {where}. Send a short thank-you that asks for one piece of "
            "feedback and keeps the door open.",
        ),
    }
    items = []
    for number, kind in enumerate(KINDS, start=1):
        if kind not in days:
            continue
        title, text = words[kind]
        items.append(
            Reminder(
                key=f"follow-up-{number}",
                start=days[kind],
                title=title,
                description=f"{text} The note is drafted for you: {draft_file(kind)}.txt.",
                all_day=True,
                alarm=True,
            )
        )
    return items


def _practice(record: Record) -> list[Reminder]:
    zone = clock.candidate_zone(record)
    items = []
    for number, session in enumerate(record.lessons.practice, start=1):
        label = content().label("practice_kinds", session.kind)
        hint = content().choice("practice_kinds", session.kind)
        what = session.note or (hint.hint if hint else "")
        items.append(
            Reminder(
                key=f"practice-{number}",
                start=dt.datetime.combine(session.on, session.at, tzinfo=zone),
                title=f"Practice: {label.lower()}",
                description=f"{what} Getting ready for the next interview.".strip(),
                all_day=False,
                minutes=PRACTICE_MINUTES[session.kind],
            )
        )
    return items


def left_to_do(record: Record, now: dt.datetime | None = None) -> list[str]:
    """What this interview still asks of the job seeker, in order; never "nothing" while a
    letter or a follow-up is still to send."""
    status = record.result.status
    if status == "offer":
        return ["Nothing more for this interview: they made you an offer. Congratulations."]
    if status == "no answer":
        return ["Nothing more: you followed up and have let this one go."]
    steps = []
    if _unsent(record):
        note = send_by_note(record)
        steps.append(
            f"Send your thank-you letters by {when(send_by(record))}"
            + (f" (that {note})." if note else ".")
        )
    if status == "advanced":
        steps.append("Get ready for the next round: your checklist and if-then plans help.")
    days = follow_up_days(record, clock.today(record, now))
    words = {
        "check-in": "If you have not heard by {day}, send the check-in note ({file}).",
        "last-note": "Still nothing by {day}? Send the last note ({file}), then let it go.",
        "after-rejection": "By {day}, send the short reply that asks for feedback ({file}).",
    }
    for kind, day in days.items():
        steps.append(words[kind].format(day=clock.long_day(day), file=f"{draft_file(kind)}.txt"))
    return steps


def _opportunities(record: Record) -> list[Reminder]:
    items: list[Reminder] = []
    keys: set[str] = set()
    for opportunity in record.move_on.opportunities:
        if opportunity.next_date is None or opportunity.stage == "closed":
            continue
        step = opportunity.next_step or "next step"
        role = f" ({opportunity.role})" if opportunity.role else ""
        key = f"opportunity-{slug(opportunity.company)}-{slug(opportunity.role, 'any')}"
        key = _unique(key, keys)
        keys.add(key)
        items.append(
            Reminder(
                key=key,
                start=opportunity.next_date,
                title=f"{opportunity.company}: {step}",
                description=(
                    f"{opportunity.company}{role}, stage: {opportunity.stage}. Next: {step}. "
                    "Keeping several opportunities going means no single answer decides "
                    "everything."
                ),
                all_day=True,
            )
        )
    return items


def _unique(key: str, taken: set[str]) -> str:
    number, candidate = 1, key
    while candidate in taken:
        number += 1
        candidate = f"{key}-{number}"
    return candidate


def _worry(record: Record) -> list[Reminder]:
    slot = record.move_on.worry_time
    if slot is None:
        return []
    interview = record.interview
    zone = clock.candidate_zone(record)
    ended = interview.ends_at.astimezone(zone)
    first_day = ended.date() if slot > ended.time() else ended.date() + dt.timedelta(days=1)
    return [
        Reminder(
            key="worry-time",
            start=dt.datetime.combine(first_day, slot, tzinfo=zone),
            title="Worry time",
            description=(
                f"When a worry about the {interview.company} interview comes up during the "
                f"day, write it down and save it for this slot. For these {WORRY_MINUTES} "
                "minutes, go through the list; when the time is up, stop and do something else."
            ),
            all_day=False,
            minutes=WORRY_MINUTES,
            repeat_days=WORRY_DAYS,
        )
    ]


# --- the .ics file --------------------------------------------------------------------------


def _record_id(record: Record) -> str:
    """A stable, non-personal id for the record: a hash of who, where and when."""
    parts = (
        record.candidate.name,
        record.interview.company,
        record.interview.role,
        record.interview.date.isoformat(),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def to_ics(record: Record, now: dt.datetime | None = None) -> bytes:
    """The reminders as an iCalendar file; importing it again updates events, not duplicates.

    ``now`` is the DTSTAMP (defaults to the current time); pass it for reproducible output.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Afterview: {record.interview.company}")
    record_id = _record_id(record)
    for item in reminders(record, now):
        calendar.add_component(_event(item, record_id, stamp))
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def _event(item: Reminder, record_id: str, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{record_id}-{item.key or slug(item.title)}@afterview")
    event.add("dtstamp", stamp)
    event.add("summary", item.title)
    event.add("description", item.description)
    if item.all_day:
        day = item.start.date() if isinstance(item.start, dt.datetime) else item.start
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", item.start)
        event.add("dtend", item.start + dt.timedelta(minutes=item.minutes))
    if item.repeat_days > 1:
        event.add("rrule", {"freq": "daily", "count": item.repeat_days})
    if item.alarm:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.title)
        alarm.add("trigger", MORNING if item.all_day else -SEND_BY_WARNING)
        event.add_component(alarm)
    return event
