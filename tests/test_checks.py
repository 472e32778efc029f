"""Letter checks: each one speaks up when a letter breaks a rule and stays quiet otherwise."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from afterview.coaching.checks import Finding, check_letters, parse_now, send_by
from afterview.coaching.letters import render_letters
from afterview.record import store
from afterview.record.errors import AfterviewError
from afterview.record.schema import LetterPlan, Record

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LA = ZoneInfo("America/Los_Angeles")
FILLER = " We could also talk about the next quarter's reporting plans in more detail."  # 13 words


def load(name: str) -> Record:
    return store.load(FIXTURES / f"{name}.yaml")


@pytest.fixture
def panel() -> Record:
    return load("panel-three-interviewers")


def early(record: Record) -> dt.datetime:
    """A moment with plenty of time left before the send-by deadline."""
    return record.interview.starts_at + dt.timedelta(hours=2)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def test_good_letters_raise_nothing(panel: Record) -> None:
    assert check_letters(panel, render_letters(panel), now=early(panel)) == []


Edit = Callable[[str], str]


def first_paragraph_plus(words: str) -> Edit:
    return lambda body: body.replace("this year.", f"this year. {words}", 1)


def greeting(new: str) -> Edit:
    return lambda body: body.replace("Dear Priya,", new, 1)


def pad(times: int) -> Edit:
    return lambda body: body.replace("this year.", "this year." + FILLER * times, 1)


LETTER_CASES: list[tuple[str, Edit, str, str, str]] = [
    # (case, edit to Priya's good letter, code, level, text the message or fix must contain)
    ("101-200 words is fine", pad(2), "", "", ""),
    ("over 200 words", pad(8), "too-long", "warning", "215 words"),
    ("over 250 words", pad(12), "too-long", "error", "267 words"),
    (
        "under 100 words",
        lambda body: (
            "Dear Priya,\n\nThanks for the Data Analyst interview at Northwind Analytics.\n"
        ),
        "too-short",
        "warning",
        "9 words",
    ),
    ("sorry", first_paragraph_plus("Sorry for rambling."), "apology", "warning", "“Sorry”"),
    ("apologise", first_paragraph_plus("I apologise."), "apology", "warning", "“apologise”"),
    ("apologize", first_paragraph_plus("I apologize."), "apology", "warning", "“apologize”"),
    ("nervous", first_paragraph_plus("I was nervous."), "apology", "warning", "“nervous”"),
    ("nerves", first_paragraph_plus("My nerves got me."), "apology", "warning", "“nerves”"),
    ("anxious", first_paragraph_plus("I felt anxious."), "apology", "warning", "“anxious”"),
    ("excuse", first_paragraph_plus("No excuse, but."), "apology", "warning", "“excuse”"),
    ("messed up", first_paragraph_plus("I messed up."), "apology", "warning", "“I messed up”"),
    ("blew it", first_paragraph_plus("I know I blew it."), "apology", "warning", "“I blew it”"),
    ("forgive", first_paragraph_plus("Please forgive me."), "apology", "warning", "“forgive”"),
    ("my mistake", first_paragraph_plus("My mistake."), "apology", "warning", "“My mistake”"),
    ("unfortunately I", first_paragraph_plus("Unfortunately I forgot."), "apology", "warning", ""),
    ("tired", first_paragraph_plus("I was tired."), "apology", "warning", "“I was tired”"),
    ("curly apostrophe", first_paragraph_plus("I’m sorry."), "apology", "warning", "“sorry”"),
    ("apollo is no apology", first_paragraph_plus("Apollo went well."), "", "", ""),
    ("unforgiving is not forgive", first_paragraph_plus("Unforgiving deadlines."), "", "", ""),
    ("as I said", first_paragraph_plus("As I said, it worked."), "misunderstood", "warning", ""),
    (
        "misunderstood",
        first_paragraph_plus("You misunderstood me."),
        "misunderstood",
        "warning",
        "",
    ),
    (
        "clarify what I meant",
        first_paragraph_plus("To clarify what I meant: yes."),
        "misunderstood",
        "warning",
        "“To clarify what I meant”",
    ),
    ("sir or madam", greeting("Dear Sir or Madam,"), "generic-greeting", "warning", "Dear Priya"),
    ("whom it may concern", greeting("To whom it may concern,"), "generic-greeting", "warning", ""),
    ("hiring manager", greeting("Dear Hiring Manager,"), "generic-greeting", "warning", ""),
    ("hi there", greeting("Hi there,"), "generic-greeting", "warning", ""),
    ("no name", greeting("Hello,"), "greeting-without-name", "warning", "Dear Priya"),
    ("surname is fine", greeting("Dear Ms Raman,"), "", "", ""),
    ("dear all", greeting("Dear all,"), "several-recipients", "warning", ""),
    ("two names", greeting("Dear Priya and Grace,"), "several-recipients", "warning", "Grace"),
    (
        "cc line",
        lambda body: "Cc: grace@northwind.example\n" + body,
        "several-recipients",
        "warning",
        "",
    ),
    ("wrong person", greeting("Dear Grace,"), "wrong-name", "warning", "Grace Okafor"),
    (
        "no company",
        lambda body: body.replace("Northwind Analytics", "your company"),
        "missing-company",
        "warning",
        "Northwind Analytics",
    ),
    (
        "no role",
        lambda body: body.replace("Data Analyst", "open"),
        "missing-role",
        "warning",
        "Data Analyst",
    ),
]


@pytest.mark.parametrize(
    ("edit", "code", "level", "says"),
    [case[1:] for case in LETTER_CASES],
    ids=[case[0] for case in LETTER_CASES],
)
def test_each_letter_check_fires_only_when_it_should(
    panel: Record, edit: Edit, code: str, level: str, says: str
) -> None:
    letters = render_letters(panel)
    letters[0] = dataclasses.replace(letters[0], body=edit(letters[0].body))

    findings = check_letters(panel, letters, now=early(panel))

    if not code:
        assert findings == []
        return
    assert codes(findings) == [code]
    (finding,) = findings
    assert finding.level == level
    assert finding.interviewer == "Priya Raman"
    assert says in f"{finding.message} {finding.fix}"


def test_an_interviewer_without_a_letter_is_an_error(panel: Record) -> None:
    letters = render_letters(panel)[:2]

    findings = check_letters(panel, letters, now=early(panel))

    assert [(f.level, f.code, f.interviewer) for f in findings] == [
        ("error", "no-letter", "Grace Okafor")
    ]


def test_the_same_letter_to_everyone_is_not_personal(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.letters.plans = [
        LetterPlan(
            interviewer=person.name,
            personal_note="I enjoyed our conversation",
            strengths=["SQL and data modelling"],
        )
        for person in record.interviewers
    ]

    findings = check_letters(record, render_letters(record), now=early(record))

    same = [f for f in findings if f.code == "same-letter"]
    assert [f.interviewer for f in same] == ["Dr Tomás Ñúñez", "Grace Okafor"]
    assert "Priya Raman" in same[0].message


def test_a_weak_question_not_re_answered_is_noted(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.letters.plans = [
        LetterPlan(interviewer="Priya Raman", personal_note="I liked the dbt story"),
        *record.letters.plans[1:],
    ]

    findings = check_letters(record, render_letters(record), now=early(record))

    noted = [f for f in findings if f.code == "nothing-reanswered"]
    assert [(f.level, f.interviewer) for f in noted] == [("info", "Priya Raman")]
    assert "stakeholder's mind" in noted[0].message


def test_a_letter_too_long_from_its_fixture_is_an_error_with_the_count() -> None:
    record = load("letter-too-long")
    letters = render_letters(record)

    findings = check_letters(record, letters, now=early(record))

    (finding,) = [f for f in findings if f.code == "too-long"]
    assert finding.level == "error"
    assert f"{letters[0].word_count} words" in finding.message
    assert letters[0].word_count > 250


def test_an_apology_in_the_re_answer_names_each_phrase() -> None:
    record = load("apology-in-reanswer")

    findings = check_letters(record, render_letters(record), now=early(record))

    apologies = [f.message for f in findings if f.code == "apology"]
    assert len(apologies) == 2
    assert "“Sorry”" in apologies[0] and "“nervous”" in apologies[1]


# --- the send-by deadline -------------------------------------------------------------------


def test_send_by_is_24_hours_after_the_interview_ended_in_its_time_zone() -> None:
    record = load("los-angeles-afternoon")  # 16:00, a video call: 45 minutes unless told

    deadline = send_by(record)

    assert deadline == dt.datetime(2026, 11, 25, 16, 45, tzinfo=LA)
    assert deadline.astimezone(dt.UTC) == dt.datetime(2026, 11, 26, 0, 45, tzinfo=dt.UTC)


def test_send_by_counts_from_the_length_the_record_gives() -> None:
    record = load("los-angeles-afternoon")
    record.interview.minutes = 120

    assert send_by(record) == dt.datetime(2026, 11, 25, 18, 0, tzinfo=LA)


@pytest.mark.parametrize(
    ("now_utc", "code", "level", "says"),
    [
        (dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC), None, "", ""),
        (dt.datetime(2026, 11, 25, 22, 0, tzinfo=dt.UTC), "deadline-near", "warning", "2 hours"),
        (dt.datetime(2026, 11, 26, 0, 15, tzinfo=dt.UTC), "deadline-near", "warning", "30 minutes"),
        (
            dt.datetime(2026, 11, 26, 0, 44, 30, tzinfo=dt.UTC),
            "deadline-near",
            "warning",
            "Less than a minute left",
        ),
        (dt.datetime(2026, 11, 26, 1, 45, tzinfo=dt.UTC), "deadline-passed", "error", "25 Nov"),
        (dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC), "late", "error", "48 hours"),
    ],
    ids=[
        "plenty of time",
        "2 h 45 left says 2 hours",
        "half an hour left",
        "30 seconds left",
        "just passed",
        "past 48 hours",
    ],
)
def test_deadline_findings_follow_the_clock_in_los_angeles(
    now_utc: dt.datetime, code: str | None, level: str, says: str
) -> None:
    record = load("los-angeles-afternoon")

    findings = check_letters(record, render_letters(record), now=now_utc)

    timing = [f for f in findings if f.code in ("deadline-near", "deadline-passed", "late")]
    if code is None:
        assert timing == []
        return
    (finding,) = timing
    assert (finding.code, finding.level, finding.interviewer) == (code, level, None)
    assert says in finding.message
    assert "16:45 Los Angeles time (UTC\u22128)" in finding.message or finding.code == "late"
    assert "PST" not in finding.message


def test_deadline_on_a_sunday_says_monday_morning_is_fine() -> None:
    record = load("los-angeles-afternoon")
    record.interview.date = dt.date(2026, 11, 21)  # a Saturday: 24 hours later is Sunday
    now = dt.datetime(2026, 11, 22, 14, 0, tzinfo=LA)

    (finding,) = [f for f in check_letters(record, render_letters(record), now=now)]

    assert finding.code == "deadline-near"
    assert "falls on Sunday: Monday morning is fine" in finding.message


def test_a_now_without_offset_is_read_in_the_interviews_zone() -> None:
    record = load("los-angeles-afternoon")

    moment = parse_now("2026-11-25T16:15", zone=record.interview.timezone)

    assert moment == dt.datetime(2026, 11, 25, 16, 15, tzinfo=LA)
    (finding,) = [
        f for f in check_letters(record, render_letters(record), now=moment) if f.level != "info"
    ]
    assert finding.message.startswith("30 minutes left")


def test_a_now_without_offset_and_no_zone_is_refused_in_one_line() -> None:
    with pytest.raises(AfterviewError) as raised:
        parse_now("2026-11-25T16:15", field="--now")

    message = str(raised.value)
    assert "--now" in message and "no time zone" in message and "\n" not in message


def test_late_letters_are_still_worth_sending() -> None:
    record = load("los-angeles-afternoon")
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=LA)

    (finding,) = [f for f in check_letters(record, render_letters(record), now=now)]

    assert finding.code == "late"
    assert "Send them anyway" in finding.fix


def test_once_sent_there_is_no_deadline_only_a_well_done(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.letters.sent_on = dt.date(2026, 11, 25)
    record.letters.plans = record.letters.plans[1:]  # a weak question left: too late to matter
    long_after = record.interview.starts_at + dt.timedelta(days=10)

    findings = check_letters(record, render_letters(record), now=long_after)

    assert [(f.level, f.code) for f in findings] == [("info", "sent")]
    assert "Wednesday 25 November" in findings[0].message


def test_findings_never_quote_coach_notes(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.letters.plans = []
    now = record.interview.starts_at + dt.timedelta(days=5)

    for finding in check_letters(record, render_letters(record)[:1], now=now):
        assert "COACH-ONLY-SECRET" not in finding.message + finding.fix


# --- what a coach caught, one fixture each ----------------------------------------------------

COACH_CAUGHT = [
    (
        "letter-answers-salary-in-writing",
        {("not-in-writing", "Lucía Fernández"), ("next-call", "Lucía Fernández")},
    ),
    (
        "letter-quotes-a-task-and-drops-the-number",
        {
            ("doubled-lead-in", "Sato Yui"),
            ("quoted-task", "Sato Yui"),
            ("missing-number", "Sato Yui"),
        },
    ),
    (
        "panel-same-strengths-no-notes",
        {
            ("same-strengths", None),
            ("no-personal-note", "Omar Khalil"),
            ("no-personal-note", "Dr Layla Mansour"),
            ("no-personal-note", "Sami Aziz"),
            ("reanswer-went-well", "Omar Khalil"),
            ("concern-not-addressed", "Dr Layla Mansour"),
            ("no-email", "Sami Aziz"),
            ("shared-paragraph", "Dr Layla Mansour"),
            ("same-letter", "Sami Aziz"),
            ("too-short", "Dr Layla Mansour"),
            ("too-short", "Sami Aziz"),
        },
    ),
]


@pytest.mark.parametrize(("name", "expected"), COACH_CAUGHT, ids=[c[0] for c in COACH_CAUGHT])
def test_each_thing_a_coach_caught_is_a_finding_that_says_what_to_change(
    name: str, expected: set[tuple[str, str | None]]
) -> None:
    record = load(name)

    findings = check_letters(record, render_letters(record), now=early(record))

    assert {(f.code, f.interviewer) for f in findings} == expected
    for finding in findings:
        assert finding.fix.endswith(".") and ". " not in finding.fix  # one sentence


def test_the_salary_question_is_never_suggested_for_a_written_re_answer() -> None:
    record = load("letter-answers-salary-in-writing")
    record.letters.plans[0].question = ""
    record.letters.plans[0].reanswer = ""

    findings = check_letters(record, render_letters(record), now=early(record))

    assert "nothing-reanswered" not in codes(findings)
    (next_call,) = [f for f in findings if f.code == "next-call"]
    assert "next call" in next_call.message and "range" in next_call.fix


def test_an_unplanned_interviewer_is_not_started_with_the_one_next_step(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.letters.plans = record.letters.plans[:2]

    findings = check_letters(record, render_letters(record), now=early(record))

    (finding,) = findings
    assert (finding.code, finding.interviewer) == ("not-started", "Grace Okafor")
    assert "thank them for" in finding.fix


def test_a_missing_address_is_said_so_in_the_letters_own_findings(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.interviewers[2].email = None

    (finding,) = check_letters(record, render_letters(record), now=early(record))

    assert (finding.code, finding.interviewer) == ("no-email", "Grace Okafor")
    assert "To: line is left empty" in finding.message


def test_a_sent_letter_is_no_longer_nagged_and_the_others_still_are(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.letters.plans[0].reanswer = ""
    record.letters.plans[0].sent_on = dt.date(2026, 11, 24)

    findings = check_letters(record, render_letters(record), now=early(record))

    assert "nothing-reanswered" not in codes(findings)
    assert "sent" not in codes(findings)  # two letters are still drafts


def test_a_greeting_by_the_name_they_go_by_is_a_greeting_by_name(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.interviewers[0].call_them = "Pia"

    letters = render_letters(record)

    assert letters[0].body.startswith("Dear Pia,")
    assert check_letters(record, letters, now=early(record)) == []


def test_a_bad_question_nobody_is_named_for_asks_to_pick_the_interviewer(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.questions[0].asked_by = None
    record.letters.plans[0].question = ""

    findings = check_letters(record, render_letters(record), now=early(record))

    (noted,) = [f for f in findings if f.code == "nothing-reanswered"]
    assert noted.interviewer is None
    assert "Pick the interviewer who asked it" in noted.fix
