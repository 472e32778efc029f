"""The notes after the thank-you letter: a check-in, a last note and a reply to a "no", drafted
from the record, written like the letters and dated in the calendar."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from pathlib import Path

import icalendar
import pytest

from afterview.coaching import followups, plans
from afterview.coaching.calendar import to_ics
from afterview.coaching.content import content
from afterview.coaching.letters import greeting_name
from afterview.record import store
from afterview.record.schema import Record

from .conftest import example_records

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
SENT = [
    path
    for path in example_records()
    if any(
        plans.sent_on(record, person.name)
        for record in [store.load(path)]
        for person in record.interviewers
    )
]
FILES = [
    "followup-1-check-in.txt",
    "followup-1-check-in.eml",
    "followup-2-last-note.txt",
    "followup-2-last-note.eml",
    "followup-3-after-rejection.txt",
    "followup-3-after-rejection.eml",
]


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text))


def _apologies(text: str) -> list[str]:
    return [
        phrase
        for phrase in content().letter_checks.apology
        if re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text, flags=re.IGNORECASE)
    ]


def test_some_examples_have_their_letters_sent() -> None:
    assert len(SENT) >= 3


@pytest.mark.parametrize("path", SENT, ids=[path.stem for path in SENT])
def test_every_example_with_a_letter_sent_gets_the_three_drafts(path: Path, tmp_path: Path) -> None:
    record = store.load(path)

    written = followups.write_follow_ups(record, tmp_path, now=NOW)

    assert [p.name for p in written] == FILES
    for kind in followups.KINDS:
        text = (tmp_path / f"{followups.draft_file(kind)}.txt").read_text(encoding="utf-8")
        assert text.startswith("Subject: ")
        assert record.interview.company in text and record.interview.role in text


@pytest.mark.parametrize("path", example_records(), ids=[p.stem for p in example_records()])
def test_the_notes_are_personal_short_and_never_apologise(path: Path) -> None:
    record = store.load(path)
    first = record.interviewers[0]

    for note in followups.render_follow_ups(record, now=NOW):
        body = note.letter.body
        assert body.splitlines()[0] == f"Dear {greeting_name(first)},", note.kind
        assert body.rstrip().endswith(record.candidate.name)
        assert 40 <= _words(body) <= 120, (note.kind, _words(body))
        assert _apologies(body) == [], note.kind
        assert "{{" not in body and "  " not in body


def test_the_check_in_names_the_interview_day_and_the_reply_date_they_gave() -> None:
    record = store.load(FIXTURES / "nairobi-candidate-in-london.yaml")

    check_in = followups.render_follow_ups(record, now=NOW)[0].letter

    assert check_in.body.startswith("Dear Mr Kamau,")
    assert "on Monday 7 December" in check_in.body
    assert "decision by Thursday 10 December" in check_in.body
    assert check_in.subject == "Following up on the Risk Analyst interview"


def test_without_a_reply_date_the_check_in_asks_how_it_is_going() -> None:
    record = store.load(FIXTURES / "sydney-christmas.yaml")

    check_in = followups.render_follow_ups(record, now=NOW)[0].letter

    assert check_in.body.startswith("Dear Dr Raman,")
    assert "how the process is going" in check_in.body


def test_the_reply_after_a_rejection_asks_for_one_piece_of_feedback() -> None:
    record = store.load(FIXTURES / "nairobi-candidate-in-london.yaml")

    reply = followups.render_follow_ups(record, now=NOW)[2].letter

    assert "one piece of feedback" in reply.body
    assert "similar role" in reply.body  # the door stays open
    assert reply.subject.startswith("Thank you")


def test_the_drafts_are_unsent_emails_to_the_first_interviewer(tmp_path: Path) -> None:
    record = store.load(FIXTURES / "nairobi-candidate-in-london.yaml")

    followups.write_follow_ups(record, tmp_path, now=NOW)
    message = email.message_from_bytes(
        (tmp_path / "followup-1-check-in.eml").read_bytes(), policy=policy.default
    )

    assert message["X-Unsent"] == "1"
    assert message["To"] == "Mr Otieno Kamau <otieno.kamau@example.com>"
    assert message["From"] == "Amina Wanjiru <amina.wanjiru@example.org>"


def test_a_coach_can_override_a_note_with_their_own_template(tmp_path: Path) -> None:
    record = store.load(FIXTURES / "sydney-christmas.yaml")
    (tmp_path / "followup-last-note.txt.j2").write_text(
        "Dear {{ greeting_name }},\n\nOur own last note about {{ interview.role }}.\n",
        encoding="utf-8",
    )

    notes = followups.render_follow_ups(record, templates=tmp_path, now=NOW)

    assert notes[1].letter.body == "Dear Dr Raman,\n\nOur own last note about Data Engineer.\n"
    assert "Thank you again" in notes[0].letter.body  # the others fall back to the package


def test_a_note_edited_by_hand_is_kept_when_written_again(tmp_path: Path) -> None:
    record = store.load(FIXTURES / "sydney-christmas.yaml")
    followups.write_follow_ups(record, tmp_path, now=NOW)
    edited = tmp_path / "followup-1-check-in.txt"
    edited.write_text("Subject: my own words\n\nDear Priya, ...\n", encoding="utf-8")

    followups.write_follow_ups(record, tmp_path, now=NOW)

    kept = list(tmp_path.glob("followup-1-check-in.edited-*.txt"))
    assert len(kept) == 1 and "my own words" in kept[0].read_text(encoding="utf-8")
    assert "Thank you again" in edited.read_text(encoding="utf-8")


def _ics_titles(record: Record, now: dt.datetime) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(to_ics(record, now=now))
    return {
        str(event["SUMMARY"]): str(event["DESCRIPTION"]).replace("\r\n ", "")
        for event in calendar.walk("VEVENT")
    }


def test_each_note_due_is_dated_in_the_calendar_with_its_file() -> None:
    record = store.load(FIXTURES / "sydney-christmas.yaml")

    notes = followups.render_follow_ups(record, now=NOW)
    titles = _ics_titles(record, NOW)

    assert [(n.kind, n.day) for n in notes] == [
        ("check-in", dt.date(2026, 12, 18)),
        ("last-note", dt.date(2027, 1, 6)),
        ("after-rejection", None),  # drafted, ready, but not due: no "no" has come
    ]
    assert "followup-1-check-in.txt" in titles["Follow up: Harbour Analytics"]
    assert "followup-2-last-note.txt" in titles["Last follow-up: Harbour Analytics"]
    assert not any(title.startswith("Reply to") for title in titles)


def test_after_a_rejection_only_the_reply_is_dated() -> None:
    record = store.load(FIXTURES / "sydney-christmas.yaml")
    record.result.status = "rejected"
    record.result.on = dt.date(2026, 12, 31)

    notes = followups.render_follow_ups(record, now=NOW)

    assert [(n.kind, n.day) for n in notes] == [
        ("check-in", None),
        ("last-note", None),
        ("after-rejection", dt.date(2027, 1, 4)),  # New Year's Day, then the weekend
    ]


def test_unsent_letters_date_the_follow_ups_from_today_never_earlier() -> None:
    record = store.load(FIXTURES / "lima-phone-before-two-holidays.yaml")
    later = dt.datetime(2026, 12, 14, 15, 0, tzinfo=dt.UTC)  # still unsent ten days on

    days = followups.follow_up_days(record, dt.date(2026, 12, 14))
    titles = _ics_titles(record, later)

    assert days == {"check-in": dt.date(2026, 12, 21), "last-note": dt.date(2027, 1, 6)}
    assert "Follow up: Andes Textiles" in titles
