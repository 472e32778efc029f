"""The dates that matter after the interview, as reminders and as an ``.ics`` calendar file.

The send-by time for the letters, the follow-ups on silence (step 5, "Move on"), the next step
of every other opportunity, and a daily worry slot. Nothing here reads ``coach_notes``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import icalendar

from afterview.coaching.checks import send_by
from afterview.coaching.letters import slug
from afterview.record.schema import Record

__all__ = ["Reminder", "add_business_days", "follow_ups", "reminders", "to_ics"]

PRODID = "-//Afterview//EN"
FIRST_FOLLOW_UP_DAYS = 5
"""Business days of silence after the interview before the first follow-up."""
AFTER_RESPONSE_BY_DAYS = 2
"""Business days past the reply date the employer gave before following up."""
LATER_FOLLOW_UP_DAYS = 10
"""Business days (two weeks) between follow-ups."""
WORRY_MINUTES = 25
WORRY_DAYS = 7
MORNING = dt.timedelta(hours=9)
"""All-day reminders ring at 09:00 on the day."""
SEND_BY_WARNING = dt.timedelta(hours=3)


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


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (Monday-Friday) after ``start``; holidays are not known."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def reminders(record: Record) -> list[Reminder]:
    """Every reminder for this record, in date order."""
    items = _send_by(record) + _follow_ups(record) + _opportunities(record) + _worry(record)
    return sorted(items, key=_sort_key)


def follow_ups(record: Record) -> list[Reminder]:
    """Only the follow-ups on silence (three, in date order): what the caseload looks at."""
    return _follow_ups(record)


def _sort_key(item: Reminder) -> tuple[dt.date, dt.time]:
    if isinstance(item.start, dt.datetime):
        return item.start.date(), item.start.time()
    return item.start, dt.time(0)


def _send_by(record: Record) -> list[Reminder]:
    if record.letters.sent_on is not None:
        return []
    interview = record.interview
    names = ", ".join(person.name for person in record.interviewers)
    return [
        Reminder(
            key="send-by",
            start=send_by(record),
            title=f"Send thank-you letters: {interview.company}",
            description=(
                f"Send a separate, personal note to each interviewer ({names}) about the "
                f"{interview.role} role. Within 24 hours of the interview is best; within 48 "
                "hours still works. Once they are sent, this interview needs nothing more "
                "from you."
            ),
            all_day=False,
            minutes=15,
            alarm=True,
        )
    ]


def _follow_ups(record: Record) -> list[Reminder]:
    interview = record.interview
    response_by = record.move_on.response_by
    if response_by is not None:
        first = add_business_days(response_by, AFTER_RESPONSE_BY_DAYS)
        why = f"They said they would reply by {response_by:%A} {response_by.day} {response_by:%B}."
    else:
        first = add_business_days(interview.date, FIRST_FOLLOW_UP_DAYS)
        why = "It has been a week since the interview."
    second = add_business_days(first, LATER_FOLLOW_UP_DAYS)
    last = add_business_days(second, LATER_FOLLOW_UP_DAYS)
    where = f"the {interview.role} role at {interview.company}"
    return [
        Reminder(
            key="follow-up-1",
            start=first,
            title=f"Follow up: {interview.company}",
            description=(
                f"{why} If you have not heard back about {where}, send a short, friendly "
                "note asking where things stand and saying you are still interested. If you "
                "have heard, delete this reminder."
            ),
            all_day=True,
            alarm=True,
        ),
        Reminder(
            key="follow-up-2",
            start=second,
            title=f"Second follow-up: {interview.company}",
            description=(
                f"Still no news about {where}? Send one more brief, upbeat note. Keep your "
                "other applications moving meanwhile."
            ),
            all_day=True,
            alarm=True,
        ),
        Reminder(
            key="follow-up-3",
            start=last,
            title=f"Last follow-up: {interview.company}",
            description=(
                f"Send a final short note about {where}, thank them for their time, then let "
                "this one go and put your energy into your other opportunities."
            ),
            all_day=True,
            alarm=True,
        ),
    ]


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
    zone = interview.starts_at.tzinfo
    first_day = interview.date if slot > interview.time else interview.date + dt.timedelta(days=1)
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
    for item in reminders(record):
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
