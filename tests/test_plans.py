"""What goes into each interviewer's letter: the greeting, what may be answered again in
writing, which strengths go to whom across a panel, and the sentences the workbook suggests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from afterview.coaching.letters import render_letter, render_letters
from afterview.coaching.plans import (
    all_sent_on,
    greeting_name,
    next_call_questions,
    question_class,
    reanswer_options,
    status,
    strengths_for,
    suggest_call_them,
    suggest_sentence,
)
from afterview.record import store
from afterview.record.schema import Interviewer, LetterPlan, Question, Record

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example(name: str) -> Record:
    return store.load(EXAMPLES / f"{name}.yaml")


# --- greetings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "formality", "expected"),
    [
        ("Priya Raman", "first name", "Priya"),
        ("Priya Raman", "title and surname", "Priya Raman"),  # a title is never guessed
        ("Ms Aoife Ní Bhriain", "title and surname", "Ms Ní Bhriain"),
        ("Dr Juan de la Cruz", "title and surname", "Dr de la Cruz"),
        ("Dr Juan de la Cruz", "first name", "Juan"),
        ("Dr Raman", "first name", "Dr Raman"),
        ("Dr. Okafor-Lindqvist", "first name", "Dr. Okafor-Lindqvist"),
    ],
)
def test_call_them_is_pre_filled_from_the_name_keeping_compound_surnames_whole(
    name: str, formality: str, expected: str
) -> None:
    assert suggest_call_them(name, formality) == expected  # type: ignore[arg-type]


def test_a_name_with_a_title_is_greeted_formally_unless_told_otherwise() -> None:
    person = Interviewer(name="Ms Aoife Ní Bhriain")
    assert greeting_name(person) == "Ms Ní Bhriain"
    assert greeting_name(person.model_copy(update={"formality": "first name"})) == "Aoife"


def test_call_them_is_used_as_written_for_a_two_word_given_name() -> None:
    record = example("mei-lin-technical-froze")
    assert render_letter(record, "Nurul Huda Ismail").body.startswith("Dear Nurul Huda,")


def test_the_practice_setting_decides_when_the_interviewer_has_no_formality() -> None:
    record = example("lukasz-wisniewski-video-halfway")
    record.letters.formality = "title and surname"
    assert render_letter(record, "Ben Carter").body.startswith("Dear Ben Carter,")
    record.interviewers[1].call_them = "Mr Carter"
    assert render_letter(record, "Ben Carter").body.startswith("Dear Mr Carter,")


def test_a_senior_board_member_is_greeted_as_they_introduced_themselves() -> None:
    bodies = [
        letter.body.splitlines()[0]
        for letter in render_letters(example("zoe-bronte-ngugi-final-onsite"))
    ]
    assert bodies == ["Dear Ms Kamau,", "Dear Mr Otieno,", "Dear Dr Schultz,"]


# --- what may be answered again in writing --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("What salary are you expecting?", "salary"),
        ("What is your notice period?", "notice"),
        ("When could you start?", "availability"),
        ("Would you relocate to Leeds?", "logistics"),
        ("Do you have children?", "personal"),
        ("Tell us about a time you had to say no to a senior stakeholder.", None),
        ("How would you rate your SQL?", None),
    ],
)
def test_questions_that_belong_in_the_next_call_are_classed(text: str, kind: str | None) -> None:
    found = question_class(text)
    assert (found.key if found else None) == kind


def test_the_salary_question_is_offered_for_the_next_call_and_never_for_the_letter() -> None:
    record = example("jose-alvarez-phone-screen")

    options = [q.text for q in reanswer_options(record, "Daniela Ruiz")]
    next_call = [q.text for q in next_call_questions(record, "Daniela Ruiz")]

    assert "What salary are you expecting?" not in options
    assert options == ["Why are you leaving your current job?"]
    assert next_call == ["What salary are you expecting?"]


def test_re_answers_are_offered_badly_first_and_never_for_what_went_well() -> None:
    record = example("zoe-bronte-ngugi-final-onsite")
    options = [q.went for q in reanswer_options(record, "Peter Otieno")]
    assert options == ["badly", "mixed"]
    assert reanswer_options(record, "Wanjiru Kamau") == []  # travel is for the next call


# --- strengths, per interviewer --------------------------------------------------------------


def _panel_choices(record: Record) -> list[set[str]]:
    return [
        {s.requirement for s in strengths_for(record, person.name)}
        for person in record.interviewers
    ]


def test_a_panel_gets_different_strengths_by_default() -> None:
    record = example("ada-okafor-panel")

    chosen = _panel_choices(record)

    assert all(chosen)
    assert len({frozenset(c) for c in chosen}) == len(chosen)
    assert chosen[1] == {"Prioritising with data"}  # what Tom probed
    assert chosen[2] == {"Experience in a regulated environment"}  # what Grace probed


def test_a_strength_already_discussed_well_with_them_is_not_offered() -> None:
    record = example("ada-okafor-panel")
    for strength in record.strengths.map:
        strength.mention = True
        strength.shown = False

    heard_by_tom = "Working across clinical and engineering teams"  # his estimates question
    assert heard_by_tom not in {s.requirement for s in strengths_for(record, "Tom Eriksen")}


def test_the_plans_own_choice_is_kept() -> None:
    record = example("siobhan-o-briain-career-change")
    assert [s.requirement for s in strengths_for(record, "Aoife Kennedy")] == [
        "Surveys and basic quantitative analysis",
        "Presenting findings to product teams",
    ]


def test_a_plan_naming_a_strength_not_in_the_map_says_where_to_look(tmp_path: Path) -> None:
    text = (EXAMPLES / "siobhan-o-briain-career-change.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "typo.yaml"
    broken.write_text(text.replace("- Surveys and basic quantitative analysis", "- Surveys"))
    with pytest.raises(Exception, match=r"letters\.plans\.1\.strengths: 'Surveys'.*strengths\.map"):
        store.load(broken)


# --- suggested sentences ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "sentence"),
    [
        (
            "Built the Kafka pipeline that handles 600,000 events a day.",
            "I built the Kafka pipeline that handles 600,000 events a day.",
        ),
        (
            "Seven years of daily SQL and Python; maintain a pricing library used by 12 analysts.",
            "I have seven years of daily SQL and Python, and I maintain a pricing library used by "
            "12 analysts.",
        ),
        (
            "A scoring sheet that cut roadmap changes from 11 to 3 a quarter.",
            "My work includes a scoring sheet that cut roadmap changes from 11 to 3 a quarter.",
        ),
        (
            "Signed off six years of IFRS accounts, all with clean audit opinions.",
            "I signed off six years of IFRS accounts, all with clean audit opinions.",
        ),
        (
            "ICPAK tax update course (March 2026); set up eTIMS for a school as a volunteer.",
            "I completed the ICPAK tax update course (March 2026), and I set up eTIMS for a "
            "school as a volunteer.",
        ),
        (
            "Three years building Python services at Kopi Commerce, including the order API.",
            "I have spent three years building Python services at Kopi Commerce, including the "
            "order API.",
        ),
        (
            "Led the accessibility audit of the school's learning platform (WCAG 2.2 AA).",
            "I led the accessibility audit of the school's learning platform (WCAG 2.2 AA).",
        ),
        (
            "Owned the booking product; annual revenue grew from £1.2m to £2.9m.",
            "I owned the booking product, and annual revenue grew from £1.2m to £2.9m.",
        ),
        ("Lead engineer on the payments team", "I was lead engineer on the payments team."),
        ("Fluent in Spanish and Portuguese", "I am fluent in Spanish and Portuguese."),
        ("CIPD Level 5 certificate (2024)", "I hold the CIPD Level 5 certificate (2024)."),
        (
            "Product lead for two ISO 13485 audits, both with no major findings.",
            "I was product lead for two ISO 13485 audits, both with no major findings.",
        ),
        ("I run a monthly data clinic", "I run a monthly data clinic."),
        ("", ""),
    ],
)
def test_a_cv_style_fragment_gets_a_suggested_sentence_in_the_clients_voice(
    fragment: str, sentence: str
) -> None:
    assert suggest_sentence(fragment) == sentence


def test_the_letter_never_glues_a_requirement_to_its_proof_with_a_colon() -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        record = store.load(path)
        requirements = [re.escape(s.requirement) for s in record.strengths.map]
        for letter in render_letters(record):
            for requirement in requirements:
                assert not re.search(rf"{requirement}\s*:", letter.body, re.IGNORECASE)


# --- status ----------------------------------------------------------------------------------


def test_each_letter_has_its_own_status() -> None:
    record = example("ada-okafor-panel")
    record.letters.plans[2].sent_on = None
    record.letters.plans[1] = LetterPlan(interviewer="Tom Eriksen")

    assert [status(record, p.name) for p in record.interviewers] == ["sent", "not started", "draft"]
    assert all_sent_on(record) is None


def test_the_old_whole_interview_date_still_counts_for_every_letter() -> None:
    record = example("ada-okafor-panel")
    for plan in record.letters.plans:
        plan.sent_on = None
    record.letters.sent_on = record.interview.date
    assert all_sent_on(record) == record.interview.date


def test_a_question_outside_the_classes_is_not_held_back() -> None:
    question = Question(text="Explain a regression model to a manager.", went="badly")
    assert question_class(question.text) is None
