"""Reminders and the .ics file: the dates a client needs after the interview, in their calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from afterview.coaching.calendar import add_business_days, reminders, to_ics
from afterview.record import store
from afterview.record.schema import Record

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LA = ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2026, 11, 24, 23, 0, tzinfo=dt.UTC)


def load(name: str) -> Record:
    return store.load(FIXTURES / f"{name}.yaml")


@pytest.fixture
def marcus() -> Record:
    return load("los-angeles-afternoon")


def events(record: Record) -> dict[str, Any]:
    """The parsed VEVENTs, keyed by summary."""
    calendar = icalendar.Calendar.from_ical(to_ics(record, now=NOW))
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_ics_parses_and_names_its_maker(marcus: Record) -> None:
    calendar = icalendar.Calendar.from_ical(to_ics(marcus))

    assert str(calendar["PRODID"]) == "-//Afterview//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert len(calendar.walk("VEVENT")) == 6


def test_send_by_event_is_at_16_00_los_angeles_the_next_day(marcus: Record) -> None:
    event = events(marcus)["Send thank-you letters: Pacific Freight"]

    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 11, 25, 16, 0, tzinfo=LA)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.UTC)
    assert "Jordan Blake" in str(event["DESCRIPTION"])
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=3)


def test_no_send_by_reminder_once_the_letters_are_sent(marcus: Record) -> None:
    record = marcus.model_copy(deep=True)
    record.letters.sent_on = dt.date(2026, 11, 25)

    assert not any(item.key == "send-by" for item in reminders(record))


def test_follow_ups_come_after_the_reply_date_and_skip_weekends(marcus: Record) -> None:
    found = events(marcus)

    # They promised an answer by Friday 4 December: two working days later is Tuesday.
    dates = [
        found[title].decoded("DTSTART")
        for title in (
            "Follow up: Pacific Freight",
            "Second follow-up: Pacific Freight",
            "Last follow-up: Pacific Freight",
        )
    ]
    assert dates == [dt.date(2026, 12, 8), dt.date(2026, 12, 22), dt.date(2027, 1, 5)]
    assert all(isinstance(day, dt.date) and day.weekday() < 5 for day in dates)
    for title in ("Follow up: Pacific Freight", "Last follow-up: Pacific Freight"):
        assert found[title].walk("VALARM"), title
    assert "let this one go" in str(found["Last follow-up: Pacific Freight"]["DESCRIPTION"])


def test_without_a_reply_date_follow_up_after_five_working_days(marcus: Record) -> None:
    record = marcus.model_copy(deep=True)
    record.move_on.response_by = None

    first = next(item for item in reminders(record) if item.key == "follow-up-1")

    assert first.start == dt.date(2026, 12, 1)  # Tuesday 24 Nov + 5 working days


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 27), 1, dt.date(2026, 11, 30)),  # Friday -> Monday
        (dt.date(2026, 11, 28), 1, dt.date(2026, 11, 30)),  # Saturday -> Monday
        (dt.date(2026, 11, 26), 5, dt.date(2026, 12, 3)),  # Thursday -> next Thursday
        (dt.date(2026, 11, 23), 10, dt.date(2026, 12, 7)),  # two weeks
    ],
)
def test_business_days_skip_weekends(start: dt.date, days: int, expected: dt.date) -> None:
    assert add_business_days(start, days) == expected


def test_worry_slot_is_25_minutes_every_day_for_a_week(marcus: Record) -> None:
    event = events(marcus)["Worry time"]

    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 11, 24, 17, 30, tzinfo=LA)  # the interview's evening
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=25)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["DAILY"] and rule["COUNT"] == [7]


def test_other_opportunities_next_steps_are_in_the_calendar(marcus: Record) -> None:
    found = events(marcus)

    event = found["Contoso Retail: Phone screen"]
    assert event.decoded("DTSTART") == dt.date(2026, 12, 2)
    assert "Logistics Analyst" in str(event["DESCRIPTION"])
    assert not any(title.startswith("Fabrikam") for title in found)  # closed


def test_reimporting_updates_events_instead_of_duplicating(marcus: Record) -> None:
    first = icalendar.Calendar.from_ical(to_ics(marcus, now=NOW))
    later = icalendar.Calendar.from_ical(to_ics(marcus, now=NOW + dt.timedelta(days=3)))

    uids = [str(event["UID"]) for event in first.walk("VEVENT")]
    assert uids == [str(event["UID"]) for event in later.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert all("DTSTAMP" in event for event in first.walk("VEVENT"))


def test_two_openings_at_one_company_get_their_own_events(marcus: Record) -> None:
    record = marcus.model_copy(deep=True)
    record.move_on.opportunities = [record.move_on.opportunities[0]] * 2

    calendar = icalendar.Calendar.from_ical(to_ics(record))

    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 7


def test_uids_differ_between_clients(marcus: Record) -> None:
    other = load("panel-three-interviewers")

    ours = {str(e["UID"]) for e in icalendar.Calendar.from_ical(to_ics(marcus)).walk("VEVENT")}
    theirs = {str(e["UID"]) for e in icalendar.Calendar.from_ical(to_ics(other)).walk("VEVENT")}

    assert not ours & theirs


def test_calendar_never_carries_coach_notes(marcus: Record) -> None:
    data = to_ics(marcus).decode("utf-8").replace("\r\n ", "")  # unfold long lines

    assert "COACH-ONLY-SECRET" not in data
    assert "practise pauses" not in data
