"""Reminders and the .ics file: the dates a client needs after the interview, in their calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from afterview.coaching import clock
from afterview.coaching.calendar import reminders, to_ics
from afterview.record import store
from afterview.record.schema import Interview, Record

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LA = ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2026, 11, 24, 23, 0, tzinfo=dt.UTC)


def load(name: str) -> Record:
    return store.load(FIXTURES / f"{name}.yaml")


@pytest.fixture
def marcus() -> Record:
    return load("los-angeles-afternoon")


def events(record: Record, now: dt.datetime = NOW) -> dict[str, Any]:
    """The parsed VEVENTs, keyed by summary."""
    calendar = icalendar.Calendar.from_ical(to_ics(record, now=now))
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_ics_parses_and_names_its_maker(marcus: Record) -> None:
    calendar = icalendar.Calendar.from_ical(to_ics(marcus))

    assert str(calendar["PRODID"]) == "-//Afterview//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert len(calendar.walk("VEVENT")) == 5


def test_send_by_event_is_24_hours_after_the_video_call_ended(marcus: Record) -> None:
    event = events(marcus)["Send thank-you letters: Pacific Freight"]

    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 11, 25, 16, 45, tzinfo=LA)  # 16:00 + 45 minutes + 24 h
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 11, 26, 0, 45, tzinfo=dt.UTC)
    assert "16:45 Los Angeles time (UTC\u22128)" in unfolded(event["DESCRIPTION"])
    assert "Jordan Blake" in str(event["DESCRIPTION"])
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=3)


def test_no_send_by_reminder_once_the_letters_are_sent(marcus: Record) -> None:
    record = marcus.model_copy(deep=True)
    record.letters.sent_on = dt.date(2026, 11, 25)

    assert not any(item.key == "send-by" for item in reminders(record))


def test_follow_ups_come_after_the_reply_date_and_skip_weekends(marcus: Record) -> None:
    found = events(marcus)

    # They promised an answer by Friday 4 December: two working days later is Tuesday; the
    # last, gracious note goes two weeks (ten working days) after that.
    dates = [
        found[title].decoded("DTSTART")
        for title in ("Follow up: Pacific Freight", "Last follow-up: Pacific Freight")
    ]
    assert dates == [dt.date(2026, 12, 8), dt.date(2026, 12, 22)]
    for title in ("Follow up: Pacific Freight", "Last follow-up: Pacific Freight"):
        assert found[title].walk("VALARM"), title
    last = unfolded(found["Last follow-up: Pacific Freight"]["DESCRIPTION"])
    assert "let this one go" in last and "followup-2-last-note.txt" in last


def test_without_a_reply_date_follow_up_five_business_days_after_the_letters(
    marcus: Record,
) -> None:
    record = marcus.model_copy(deep=True)
    record.move_on.response_by = None

    first = next(item for item in reminders(record, NOW) if item.key == "follow-up-1")

    # Not sent yet, so counted from today (Tuesday 24 Nov in Los Angeles), skipping
    # Thanksgiving on Thursday 26 Nov: 25, 27, 30 Nov, 1 and 2 Dec.
    assert first.start == dt.date(2026, 12, 2)


def test_follow_ups_count_from_the_day_the_last_letter_was_sent(marcus: Record) -> None:
    record = marcus.model_copy(deep=True)
    record.move_on.response_by = None
    record.letters.plans[0].sent_on = dt.date(2026, 12, 3)

    first = next(item for item in reminders(record, NOW) if item.key == "follow-up-1")

    assert first.start == dt.date(2026, 12, 10)  # Thursday 3 Dec + 5 working days


def test_a_reply_date_before_the_letters_went_never_dates_a_follow_up_before_them(
    marcus: Record,
) -> None:
    record = marcus.model_copy(deep=True)
    record.letters.plans[0].sent_on = dt.date(2026, 12, 9)  # after "reply by 4 Dec" + 2 days

    first = next(item for item in reminders(record, NOW) if item.key == "follow-up-1")

    assert first.start == dt.date(2026, 12, 10)


UTC_INTERVIEW = Interview(company="Anywhere", role="Any", date=dt.date(2026, 11, 24))


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
    assert clock.add_business_days(start, days, UTC_INTERVIEW) == expected


def unfolded(value: object) -> str:
    return str(value).replace("\r\n ", "")


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
    assert len(set(uids)) == len(uids) == 6


def test_uids_differ_between_clients(marcus: Record) -> None:
    other = load("panel-three-interviewers")

    ours = {str(e["UID"]) for e in icalendar.Calendar.from_ical(to_ics(marcus)).walk("VEVENT")}
    theirs = {str(e["UID"]) for e in icalendar.Calendar.from_ical(to_ics(other)).walk("VEVENT")}

    assert not ours & theirs


def test_calendar_never_carries_coach_notes(marcus: Record) -> None:
    data = to_ics(marcus).decode("utf-8").replace("\r\n ", "")  # unfold long lines

    assert "COACH-ONLY-SECRET" not in data
    assert "practise pauses" not in data
