"""Step 4's form as the client uses it: practice sessions they can add and date, and the root
causes their notes suggest, confirmed with one click."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from afterview.coaching import calendar, clock
from afterview.coaching.content import content
from afterview.record import store
from afterview.workbook import forms
from afterview.workbook.forms_review import new_practice
from afterview.workbook.session import Session

from .conftest import FIXTURES
from .test_forms import button, inputs, previews, status, walk

LESSONS = content().steps["lessons"].prompts
LIMA = ZoneInfo("America/Lima")


@pytest.fixture
def rosa(copy_record) -> Path:  # type: ignore[no-untyped-def]
    """Rosa's Lima phone screen: a salary note, no root causes, no practice planned yet."""
    path: Path = copy_record("lima-phone-before-two-holidays.yaml")
    return path


def practice_events(path: Path) -> list[icalendar.Event]:
    found = icalendar.Calendar.from_ical(calendar.to_ics(store.load(path)))
    return [e for e in found.walk("VEVENT") if str(e["SUMMARY"]).startswith("Practice")]


# --- practice sessions ----------------------------------------------------------------------


def test_a_practice_session_added_in_the_form_is_saved_dated_and_in_the_calendar(
    rosa: Path,
) -> None:
    form = forms.lessons_form(Session(rosa))
    record = store.load(rosa)
    today = clock.today(record)

    button(form, "Add practice session").click()

    (added,) = store.load(rosa).lessons.practice
    assert (added.kind, added.at) == ("mock_interview", dt.time(18, 0))
    assert added.on > today and clock.business_day(added.on, record.interview)
    assert not any(
        clock.business_day(today + dt.timedelta(days=n), record.interview)
        for n in range(1, (added.on - today).days)
    )
    assert f"<td>{added.on:%a} {added.on.day} {added.on:%b %Y}, 18:00 Lima time" in previews(form)

    # The client then picks the day and says what to practise.
    inputs(form, LESSONS["practice.on"].label)[-1].value = dt.date(2026, 12, 10)
    inputs(form, LESSONS["practice.note"].label)[-1].value = "The salary question, aloud."

    (saved,) = store.load(rosa).lessons.practice
    assert (saved.on, saved.note) == (dt.date(2026, 12, 10), "The salary question, aloud.")
    shown = html.unescape(previews(form))
    assert "<td>Thu 10 Dec 2026, 18:00 Lima time (UTC−5)</td><td>Mock interview</td>" in shown
    (event,) = practice_events(rosa)
    assert event.decoded("DTSTART") == dt.datetime(2026, 12, 10, 18, 0, tzinfo=LIMA)
    assert event.decoded("DTEND") == dt.datetime(2026, 12, 10, 19, 0, tzinfo=LIMA)
    assert "The salary question, aloud." in str(event["DESCRIPTION"])


def test_a_second_practice_session_starts_on_the_next_free_business_day(rosa: Path) -> None:
    form = forms.lessons_form(Session(rosa))

    button(form, "Add practice session").click()
    button(form, "Add practice session").click()

    first, second = store.load(rosa).lessons.practice
    assert second.on > first.on
    assert len(practice_events(rosa)) == 2


@pytest.mark.parametrize(
    ("fixture", "now", "expected"),
    [
        # Friday noon in Lima: the weekend is skipped.
        ("lima-phone-before-two-holidays.yaml", "2026-12-04T17:00+00:00", dt.date(2026, 12, 7)),
        # Monday in Lima: Tuesday 8 and Wednesday 9 December are Peru's holidays.
        ("lima-phone-before-two-holidays.yaml", "2026-12-07T17:00+00:00", dt.date(2026, 12, 10)),
        # Late Thursday in London, already Friday in Nairobi: the job seeker's own Thursday
        # counts, so the next business day is Friday, not Monday.
        ("nairobi-candidate-in-london.yaml", "2026-12-03T22:30+00:00", dt.date(2026, 12, 4)),
    ],
)
def test_a_new_practice_session_is_the_next_business_day_in_the_job_seekers_own_zone(
    fixture: str, now: str, expected: dt.date
) -> None:
    record = store.load(FIXTURES / fixture)

    made = new_practice(record, dt.datetime.fromisoformat(now))

    assert (made.on, made.at, made.kind) == (expected, dt.time(18, 0), "mock_interview")


def test_a_practice_session_is_still_added_when_the_region_has_no_holiday_calendar(
    rosa: Path,
) -> None:
    rosa.write_text(
        rosa.read_text(encoding="utf-8").replace(
            "  format: phone\n", "  format: phone\n  subdivision: ZZ\n"
        ),
        encoding="utf-8",
    )
    form = forms.lessons_form(Session(rosa))

    button(form, "Add practice session").click()

    (added,) = store.load(rosa).lessons.practice
    assert added.on == clock.today(store.load(rosa)) + dt.timedelta(days=1)
    assert "saved " in status(form)


def test_clearing_the_day_of_a_practice_session_with_a_note_is_refused_not_lost(
    rosa: Path,
) -> None:
    form = forms.lessons_form(Session(rosa))
    button(form, "Add practice session").click()
    inputs(form, LESSONS["practice.note"].label)[-1].value = "Mock with Ana."

    inputs(form, LESSONS["practice.on"].label)[-1].value = None

    (kept,) = store.load(rosa).lessons.practice
    assert kept.note == "Mock with Ana."
    assert "role='alert'" in status(form) and "not saved" in status(form)


# --- suggested root causes ------------------------------------------------------------------


def test_a_suggested_root_cause_is_added_with_one_click_and_shows_its_remedy(rosa: Path) -> None:
    form = forms.lessons_form(Session(rosa))
    salary = content().choice("root_causes", "salary_too_early")
    assert salary is not None
    assert "Your notes suggest" in previews(form)

    button(form, "Add: salary raised too early").click()

    (cause,) = store.load(rosa).lessons.root_causes
    assert cause.category == "salary_too_early"
    assert (
        cause.note == "I raised salary in the first five minutes, before he had described the job."
    )
    assert not [w for w in walk(form) if getattr(w, "description", "").startswith("Add: ")]
    shown = previews(form)
    assert "Your notes suggest" not in shown
    assert f"<td>Salary raised too early</td><td>{html.escape(cause.note)}</td>" in shown
    assert f"<td>{html.escape(salary.remedy)}</td>" in shown
    # The cause picker's row shows it too, so the client can reword the note or remove it.
    assert [w.value for w in inputs(form, LESSONS["root_causes.category"].label)] == [
        "salary_too_early"
    ]


def test_a_removed_cause_is_suggested_again(rosa: Path) -> None:
    form = forms.lessons_form(Session(rosa))
    button(form, "Add: salary raised too early").click()

    (remove,) = [w for w in walk(form) if getattr(w, "tooltip", "") == "Remove this root cause"]
    remove.click()

    assert store.load(rosa).lessons.root_causes == []
    assert button(form, "Add: salary raised too early") is not None
    assert "Your notes suggest" in previews(form)
