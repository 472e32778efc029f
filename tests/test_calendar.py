"""Reminders and the .ics file: the dates a client needs after the interview, in their calendar."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import icalendar
import pytest

from afterview.coaching import checks, clock
from afterview.coaching.calendar import reminders, to_ics
from afterview.record import store
from afterview.record.schema import Interview, Record
from afterview.workbook import views

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


# --- the dates a job seeker acts on, across time zones --------------------------------------
# Each case: a record, the moment it is looked at, where the job is (country, region), and the
# exact start of every event of the .ics, as the report shows it too.

MX, SYD = ZoneInfo("America/Mexico_City"), ZoneInfo("Australia/Sydney")
LIMA, BERLIN = ZoneInfo("America/Lima"), ZoneInfo("Europe/Berlin")
LONDON, SINGAPORE = ZoneInfo("Europe/London"), ZoneInfo("Asia/Singapore")
DUBLIN, NAIROBI = ZoneInfo("Europe/Dublin"), ZoneInfo("Africa/Nairobi")
EXAMPLE_NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"

CASES: dict[str, tuple[Path, dt.datetime, str, str | None, dict[str, dt.date | dt.datetime]]] = {
    "lima": (
        FIXTURES / "lima-phone-before-two-holidays.yaml",
        dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.UTC),
        "PE",
        None,
        {
            "Worry time": dt.datetime(2026, 12, 4, 19, 0, tzinfo=LIMA),
            # the 24 hours end on Saturday 10:30: Monday morning is fine
            "Send thank-you letters: Andes Textiles": dt.datetime(2026, 12, 7, 9, 0, tzinfo=LIMA),
            # unsent: from today (Fri 4 Dec), stepping over 8 and 9 Dec (Peru's holidays)
            "Follow up: Andes Textiles": dt.date(2026, 12, 15),
            "Last follow-up: Andes Textiles": dt.date(2026, 12, 30),  # over Christmas Day
        },
    ),
    "tokyo": (
        FIXTURES / "tokyo-year-end.yaml",
        dt.datetime(2026, 12, 18, 3, 0, tzinfo=dt.UTC),
        "JP",
        None,
        {
            "Follow up: Kumo Robotics": dt.date(2026, 12, 24),  # reply by Tue 22 Dec + 2
            # over the year-end closure (31 Dec-3 Jan) and Coming of Age Day (11 Jan)
            "Last follow-up: Kumo Robotics": dt.date(2027, 1, 12),
        },
    ),
    "sydney": (
        FIXTURES / "sydney-christmas.yaml",
        dt.datetime(2026, 12, 11, 9, 0, tzinfo=dt.UTC),
        "AU",
        "NSW",
        {
            "Practice: mock interview": dt.datetime(2026, 12, 15, 18, 30, tzinfo=SYD),
            "Practice: stories aloud": dt.datetime(2026, 12, 17, 7, 30, tzinfo=SYD),
            "Follow up: Harbour Analytics": dt.date(2026, 12, 18),  # sent Fri 11 Dec + 5
            # over 25 Dec, Boxing Day observed on Mon 28 Dec, and 1 Jan
            "Last follow-up: Harbour Analytics": dt.date(2027, 1, 6),
        },
    ),
    "nairobi": (
        FIXTURES / "nairobi-candidate-in-london.yaml",
        dt.datetime(2026, 12, 8, 18, 0, tzinfo=dt.UTC),
        "KE",
        None,
        {
            "Worry time": dt.datetime(2026, 12, 8, 12, 30, tzinfo=LONDON),  # her own clock
            "Follow up: Savanna Pay": dt.date(2026, 12, 14),  # over Jamhuri Day weekend
            "Last follow-up: Savanna Pay": dt.date(2026, 12, 29),  # over 25 and 26 Dec
        },
    ),
    "berlin, across the clock change": (
        FIXTURES / "berlin-across-the-clock-change.yaml",
        dt.datetime(2026, 10, 24, 14, 0, tzinfo=dt.UTC),
        "DE",
        "BE",
        {
            "Worry time": dt.datetime(2026, 10, 24, 18, 0, tzinfo=BERLIN),
            "Send thank-you letters: Spree Markets": dt.datetime(2026, 10, 26, 9, 0, tzinfo=BERLIN),
            "Follow up: Spree Markets": dt.date(2026, 10, 30),
            "Last follow-up: Spree Markets": dt.date(2026, 11, 13),
        },
    ),
    "ada": (
        EXAMPLES_DIR / "ada-okafor-panel.yaml",
        EXAMPLE_NOW,
        "GB",
        None,
        {
            "Worry time": dt.datetime(2026, 11, 23, 17, 30, tzinfo=LONDON),
            "Oakmere Insurance: Ask Daniel to pass on my CV": dt.date(2026, 11, 27),
            "Brightline Pharmacy: Recruiter call": dt.date(2026, 11, 30),
            "Lumen Care: Draft the case-study slides": dt.date(2026, 12, 1),
            "Tallis Software: Ask Sam for an introduction": dt.date(2026, 12, 2),
            "Kestrel Health: Wait for their decision": dt.date(2026, 12, 4),
            "Follow up: Kestrel Health": dt.date(2026, 12, 8),
            "Last follow-up: Kestrel Health": dt.date(2026, 12, 22),
        },
    ),
    "jose": (
        EXAMPLES_DIR / "jose-alvarez-phone-screen.yaml",
        EXAMPLE_NOW,
        "MX",
        None,
        {
            "Send thank-you letters: Cobalto Foods": dt.datetime(2026, 11, 26, 11, 30, tzinfo=MX),
            "Follow up: Cobalto Foods": dt.date(2026, 12, 2),
            "Last follow-up: Cobalto Foods": dt.date(2026, 12, 16),
        },
    ),
    "lukasz": (
        EXAMPLES_DIR / "lukasz-wisniewski-video-halfway.yaml",
        EXAMPLE_NOW,
        "AU",
        "NSW",
        {
            "Send thank-you letters: Wattle Energy": dt.datetime(2026, 11, 26, 16, 45, tzinfo=SYD),
            "Follow up: Wattle Energy": dt.date(2026, 12, 2),
            "Last follow-up: Wattle Energy": dt.date(2026, 12, 16),
        },
    ),
    "mei": (
        EXAMPLES_DIR / "mei-lin-technical-froze.yaml",
        EXAMPLE_NOW,
        "SG",
        None,
        {
            "Worry time": dt.datetime(2026, 11, 25, 12, 30, tzinfo=SINGAPORE),
            "Banyan Data: Recruiter call": dt.date(2026, 11, 27),
            "Harbourline Shipping: Message the hiring manager on LinkedIn": dt.date(2026, 11, 28),
            "Orchid Games: Read the job advert and decide": dt.date(2026, 11, 29),
            "Merlion Pay: System design round": dt.date(2026, 11, 30),
            "Tessellate Logistics: Wait for their decision": dt.date(2026, 12, 1),
            "Follow up: Tessellate Logistics": dt.date(2026, 12, 3),
            "Kampong Health: Follow up on application": dt.date(2026, 12, 3),
            "Last follow-up: Tessellate Logistics": dt.date(2026, 12, 17),
        },
    ),
    "siobhan": (
        EXAMPLES_DIR / "siobhan-o-briain-career-change.yaml",
        EXAMPLE_NOW,
        "IE",
        None,
        {
            "Worry time": dt.datetime(2026, 11, 20, 16, 30, tzinfo=DUBLIN),
            "Liffey Transit: Follow up with the recruiter": dt.date(2026, 11, 27),
            "Claddagh Learning: Phone screen": dt.date(2026, 11, 30),
            "Halden Bank: Wait for their decision": dt.date(2026, 12, 2),
            "Follow up: Halden Bank": dt.date(2026, 12, 4),
            "Dublin Digital Services: Ask a former colleague for an introduction": dt.date(
                2026, 12, 4
            ),
            "Last follow-up: Halden Bank": dt.date(2026, 12, 18),
        },
    ),
    "zoe": (
        EXAMPLES_DIR / "zoe-bronte-ngugi-final-onsite.yaml",
        EXAMPLE_NOW,
        "KE",
        None,
        {
            # a Saturday on-site: the 24 hours end on Sunday 11:00, Monday morning is fine
            "Send thank-you letters: Mto Energy": dt.datetime(2026, 11, 23, 9, 0, tzinfo=NAIROBI),
            "Follow up: Mto Energy": dt.date(2026, 12, 2),
            "Last follow-up: Mto Energy": dt.date(2026, 12, 16),
        },
    ),
}
TO_EMPLOYER = ("Send thank-you", "Follow up", "Last follow-up", "Reply to")


def _report_rows(record: Record, now: dt.datetime) -> dict[str, str]:
    """The report's "Dates to keep" table: what -> when, as the client reads it."""
    page = views.action_plan_html(record, now)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", page)
    return {html.unescape(what): html.unescape(when) for when, what in rows}


def _zones(starts: dict[str, Any]) -> dict[str, str]:
    return {
        title: str(start.tzinfo)
        for title, start in starts.items()
        if isinstance(start, dt.datetime)
    }


def _as_report(start: dt.date | dt.datetime) -> str:
    if isinstance(start, dt.datetime):
        return f"{start:%a %d %b %Y, %H:%M} {clock.zone_label(start)}"
    return f"{start:%a %d %b %Y}"


@pytest.mark.parametrize("case", list(CASES))
def test_ics_and_report_give_the_exact_dates_and_times(case: str) -> None:
    path, now, _, _, expected = CASES[case]
    record = store.load(path)

    found = {title: event.decoded("DTSTART") for title, event in events(record, now).items()}
    shown = _report_rows(record, now)

    assert found == expected
    assert _zones(found) == _zones(expected)  # timed events carry their zone, not an offset
    assert shown == {title: _as_report(start) for title, start in expected.items()}


@pytest.mark.parametrize("case", list(CASES))
def test_nothing_for_the_employer_falls_on_a_weekend_or_a_public_holiday(case: str) -> None:
    path, now, country, region, _ = CASES[case]
    record = store.load(path)
    days_off = holidays.country_holidays(country, subdiv=region, years=[2026, 2027])

    assert (clock.country_of(record.interview), clock.subdivision_of(record.interview)) == (
        country,
        region,
    )
    for title, start in events(record, now).items():
        if title.startswith(TO_EMPLOYER):
            day = start.decoded("DTSTART")
            day = day.date() if isinstance(day, dt.datetime) else day
            assert day.weekday() < 5 and day not in days_off, (title, day, days_off.get(day))


def test_the_24_hours_are_real_hours_across_the_clock_change() -> None:
    record = store.load(FIXTURES / "berlin-across-the-clock-change.yaml")

    # ends 11:30 CEST (09:30 UTC) on Sat 24 Oct; the clocks go back at 03:00 on Sunday
    assert checks.send_by(record) == dt.datetime(2026, 10, 25, 10, 30, tzinfo=BERLIN)
    assert checks.send_by(record).astimezone(dt.UTC).hour == 9
    event = events(record, CASES["berlin, across the clock change"][1])[
        "Send thank-you letters: Spree Markets"
    ]
    text = unfolded(event["DESCRIPTION"])
    assert "Sunday 25 October at 10:30 Berlin time (UTC+1)" in text
    assert "falls on Sunday: Monday morning is fine" in text
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2026, 10, 26, 8, 0, tzinfo=dt.UTC
    )


def test_timed_events_say_their_zone_in_the_ics() -> None:
    record = store.load(FIXTURES / "sydney-christmas.yaml")
    data = to_ics(record, now=NOW).decode()

    assert "DTSTART;TZID=Australia/Sydney:20261215T183000" in data
    assert "BEGIN:VTIMEZONE" in data and "TZID:Australia/Sydney" in data


def test_a_rejection_replaces_the_follow_ups_with_one_reply() -> None:
    record = store.load(FIXTURES / "nairobi-candidate-in-london.yaml")
    record.result.status = "rejected"
    record.result.on = dt.date(2026, 12, 24)

    found = events(record, dt.datetime(2026, 12, 24, 12, 0, tzinfo=dt.UTC))

    assert not any(title.startswith(("Follow up", "Last follow-up")) for title in found)
    reply = found["Reply to Savanna Pay"]
    assert reply.decoded("DTSTART") == dt.date(2026, 12, 28)  # over Christmas and Boxing Day
    assert "followup-3-after-rejection.txt" in unfolded(reply["DESCRIPTION"])


@pytest.mark.parametrize("status", ["advanced", "offer", "no answer"])
def test_no_follow_ups_once_the_outcome_is_known(status: str) -> None:
    record = store.load(FIXTURES / "nairobi-candidate-in-london.yaml")
    record.result.status = status  # type: ignore[assignment]

    assert not [item for item in reminders(record, NOW) if item.key.startswith("follow-up")]


def test_a_country_set_by_the_coach_wins_over_the_time_zone() -> None:
    record = store.load(FIXTURES / "tokyo-year-end.yaml")
    record.interview.country = "US"  # a US job, interviewed for from Tokyo

    found = events(record, CASES["tokyo"][1])

    # in the US, 31 Dec and 11 Jan are working days; 25 Dec and 1 Jan are not
    assert found["Last follow-up: Kumo Robotics"].decoded("DTSTART") == dt.date(2027, 1, 11)


def test_a_zone_of_no_country_counts_weekends_only() -> None:
    record = store.load(FIXTURES / "tokyo-year-end.yaml")
    record.interview.timezone = "UTC"

    assert clock.country_of(record.interview) is None
    found = events(record, CASES["tokyo"][1])
    assert found["Last follow-up: Kumo Robotics"].decoded("DTSTART") == dt.date(2027, 1, 7)


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("America/Lima", "Lima time (UTC\u22125)"),
        ("Asia/Singapore", "Singapore time (UTC+8)"),
        ("Asia/Kolkata", "Kolkata time (UTC+5:30)"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires time (UTC\u22123)"),
        ("UTC", "UTC"),
    ],
)
def test_zones_are_named_the_way_people_say_them(zone: str, label: str) -> None:
    assert clock.zone_label(dt.datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo(zone))) == label
