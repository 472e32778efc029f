"""The workbook's forms, driven in-process the way a coach would: type, tick, click, reload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from afterview.coaching.content import content
from afterview.record import store
from afterview.workbook import fields, forms
from afterview.workbook.session import Session

PERSPECTIVE = content().steps["perspective"].prompts
LETTERS = content().steps["letters"].prompts
INTAKE = content().steps["intake"].prompts
MOVE_ON = content().steps["move_on"].prompts


def walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def inputs(root: Any, description: str) -> list[Any]:
    return [
        w
        for w in walk(root)
        if getattr(w, "description", None) == description and not isinstance(w, W.Button)
    ]


def one(root: Any, description: str) -> Any:
    found = inputs(root, description)
    assert len(found) == 1, f"{len(found)} inputs labelled {description!r}"
    return found[0]


def button(root: Any, description: str, nth: int = 0) -> W.Button:
    found = [w for w in walk(root) if isinstance(w, W.Button) and w.description == description]
    return found[nth]


def status(root: Any) -> str:
    labels = [w.value for w in walk(root) if isinstance(w, W.HTML) and "role='" in w.value]
    return labels[-1]


def previews(root: Any) -> str:
    return "".join(w.value for w in walk(root) if isinstance(w, W.HTML))


@pytest.fixture
def ada(copy_record) -> Path:  # type: ignore[no-untyped-def]
    path: Path = copy_record("ada-okafor-panel.yaml")
    return path


def test_opening_the_workbook_changes_nothing_on_disk(ada: Path) -> None:
    before = ada.read_bytes()
    tabs = forms.workbook(Session(ada), coach=True)
    assert len(tabs.children) == 6
    assert ada.read_bytes() == before


def test_every_input_has_a_label(ada: Path) -> None:
    tabs = forms.workbook(Session(ada), coach=True)
    unlabelled = [
        type(w).__name__
        for w in walk(tabs)
        if isinstance(
            w,
            (
                W.Text,
                W.Textarea,
                W.Checkbox,
                W.Dropdown,
                W.DatePicker,
                W.IntSlider,
                W.SelectionSlider,
                W.Combobox,
                W.TimePicker,
            ),
        )
        and not w.description
    ]
    assert unlabelled == []


def test_a_typed_answer_is_in_the_file_and_the_status_says_saved(ada: Path) -> None:
    form = forms.perspective_form(Session(ada))

    one(form, PERSPECTIVE["situation"].label).value = "Grace asked about safety trade-offs."

    assert store.load(ada).perspective.situation == "Grace asked about safety trade-offs."
    assert "saved " in status(form)
    assert "Grace asked about safety trade-offs." in previews(form)


def test_an_added_emotion_is_saved_once_it_has_a_name(ada: Path) -> None:
    form = forms.perspective_form(Session(ada))
    button(form, "Add emotion").click()
    assert len(store.load(ada).perspective.emotions) == 3

    name = inputs(form, PERSPECTIVE["emotions.name"].label)[-1]
    before = inputs(form, PERSPECTIVE["emotions.before"].label)[-1]
    name.value = "frustrated"
    before.value = 60

    emotions = store.load(ada).perspective.emotions
    assert [(e.name, e.before, e.after) for e in emotions][-1] == ("frustrated", 60, None)


def test_a_removed_row_is_gone_from_the_file(ada: Path) -> None:
    form = forms.perspective_form(Session(ada))
    remove = [
        w
        for w in walk(form)
        if isinstance(w, W.Button) and w.tooltip == "Remove this piece of evidence"
    ]
    remove[0].click()  # the first piece of evidence for the automatic thought

    assert store.load(ada).perspective.evidence_for == [
        "I lost the thread in the stakeholder story."
    ]


def test_ticking_a_thinking_trap_saves_its_key(ada: Path) -> None:
    form = forms.perspective_form(Session(ada))
    label = content().label("thinking_traps", "catastrophising")

    one(form, label).value = True

    assert "catastrophising" in store.load(ada).perspective.thinking_traps


def test_the_letter_preview_follows_the_reanswer(ada: Path) -> None:
    form = forms.letters_form(Session(ada))
    reanswers = inputs(form, LETTERS["reanswer"].label)
    assert len(reanswers) == 3  # one per interviewer

    reanswers[0].value = "I said no to our CEO about a rebrand and kept the launch date."

    assert "I said no to our CEO about a rebrand" in previews(form)
    plan = store.load(ada).plan_for("Priya Raman")
    assert plan.reanswer == "I said no to our CEO about a rebrand and kept the launch date."


def test_a_too_long_reanswer_shows_a_finding_beside_the_letter(ada: Path) -> None:
    form = forms.letters_form(Session(ada))
    inputs(form, LETTERS["reanswer"].label)[1].value = " ".join(["word"] * 260) + "."

    shown = previews(form)
    assert "av-finding-error" in shown or "av-finding-warning" in shown
    assert "words" in shown


def test_the_save_button_saves_and_says_so(ada: Path) -> None:
    form = forms.strengths_form(Session(ada))
    button(form, "Save").click()
    assert "saved " in status(form)


def test_an_invalid_answer_is_not_saved_and_the_reason_shows(ada: Path) -> None:
    form = forms.intake_form(Session(ada))
    company = one(form, INTAKE["interview.company"].label)

    company.value = "   "

    assert "not saved" in status(form)
    assert "company" in status(form)
    assert company.value == "   "  # what was typed stays in the box
    assert store.load(ada).interview.company == "Kestrel Health"


def test_renaming_an_interviewer_keeps_their_letter_plan(ada: Path) -> None:
    form = forms.intake_form(Session(ada))
    names = inputs(form, INTAKE["interviewers.name"].label)

    names[2].value = "Grace Mensah-Boateng"

    record = store.load(ada)
    assert record.interviewers[2].name == "Grace Mensah-Boateng"
    assert record.plan_for("Grace Mensah-Boateng").address_concern
    assert [q.asked_by for q in record.questions][2] == "Grace Mensah-Boateng"


def test_an_added_opportunity_raises_the_live_count(ada: Path) -> None:
    form = forms.move_on_form(Session(ada))
    assert "4 live opportunities" in previews(form)
    button(form, "Add opportunity").click()

    inputs(form, MOVE_ON["opportunities.company"].label)[-1].value = "Fenwick Labs"

    assert store.load(ada).move_on.opportunities[-1].company == "Fenwick Labs"
    assert "5 live opportunities" in previews(form)


def test_a_picked_if_then_example_becomes_a_plan(ada: Path) -> None:
    form = forms.lessons_form(Session(ada))
    example = content().if_then_examples[0]

    one(form, "Start from an example").value = example.key

    plans = store.load(ada).lessons.if_then
    assert (plans[-1].when, plans[-1].then) == (example.when, example.then)


def test_ticking_a_checklist_item_adds_it_and_keeps_the_others(ada: Path) -> None:
    form = forms.lessons_form(Session(ada))
    item = content().checklist[0]
    before = store.load(ada).lessons.checklist

    one(form, item).value = True

    assert store.load(ada).lessons.checklist == [item, *before]


def test_work_survives_a_restart(ada: Path) -> None:
    forms.perspective_form(Session(ada))
    one(
        forms.perspective_form(Session(ada)), PERSPECTIVE["balanced_thought"].label
    ).value = "One answer was thin; the rest went fine."

    reopened = forms.perspective_form(Session(ada))  # a new kernel reads the file again
    assert one(reopened, PERSPECTIVE["balanced_thought"].label).value == (
        "One answer was thin; the rest went fine."
    )


def test_coach_fields_appear_only_for_the_coach(ada: Path) -> None:
    coach_rating = PERSPECTIVE["coach_rating"].label
    coach_notes = INTAKE["coach_notes"].label
    assert inputs(forms.perspective_form(Session(ada)), coach_rating) == []
    assert inputs(forms.intake_form(Session(ada)), coach_notes) == []
    assert len(inputs(forms.perspective_form(Session(ada), coach=True), coach_rating)) == 1
    assert len(inputs(forms.intake_form(Session(ada), coach=True), coach_notes)) == 1


def test_every_text_box_saves_as_you_type_so_a_closed_tab_loses_nothing(ada: Path) -> None:
    tabs = forms.workbook(Session(ada), coach=True)
    boxes = [w for w in walk(tabs) if isinstance(w, (W.Text, W.Textarea))]
    waiting = [w.description for w in boxes if not w.continuous_update]
    # Half a name must not rename an interviewer's letter, nor half a time zone be rejected.
    assert set(waiting) == {
        INTAKE["interviewers.name"].label,
        INTAKE["interview.timezone"].label,
        INTAKE["candidate.timezone"].label,
    }


def test_clearing_an_interviewers_name_keeps_their_letter_plan(ada: Path) -> None:
    form = forms.intake_form(Session(ada))
    inputs(form, INTAKE["interviewers.name"].label)[2].value = ""

    assert "not saved" in status(form)
    assert store.load(ada).plan_for("Grace Mensah").address_concern


def test_fixing_a_rejected_answer_saves_it(ada: Path) -> None:
    form = forms.intake_form(Session(ada))
    company = one(form, INTAKE["interview.company"].label)
    company.value = ""
    company.value = "Kestrel Health Ltd"

    assert "saved " in status(form) and "not saved" not in status(form)
    assert store.load(ada).interview.company == "Kestrel Health Ltd"


# --- every kind of input, to the file and back ----------------------------------------------

STRENGTHS = content().steps["strengths"].prompts
LESSONS = content().steps["lessons"].prompts
FORMS = {
    "intake": forms.intake_form,
    "perspective": forms.perspective_form,
    "letters": forms.letters_form,
    "strengths": forms.strengths_form,
    "lessons": forms.lessons_form,
    "move_on": forms.move_on_form,
}
# (step, prompt key, which input of that label, the value set, where the record keeps it)
ROUND_TRIPS = [
    ("intake", "candidate.name", 0, "Dr. Amara Okafor-Lindqvist", lambda r: r.candidate.name),
    ("intake", "candidate.phone", 0, "+44 7700 900999", lambda r: r.candidate.phone),
    ("intake", "interview.date", 0, dt.date(2026, 11, 20), lambda r: r.interview.date),
    ("intake", "interview.time", 0, dt.time(14, 30), lambda r: r.interview.time),
    ("intake", "interview.timezone", 0, "Asia/Tokyo", lambda r: r.interview.timezone),
    ("intake", "interview.format", 0, "phone", lambda r: r.interview.format),
    ("intake", "interview.stage", 0, "final", lambda r: r.interview.stage),
    ("intake", "interview.self_rating", 0, 7, lambda r: r.interview.self_rating),
    ("intake", "interviewers.title", 1, "CTO", lambda r: r.interviewers[1].title),
    ("intake", "questions.went", 0, "badly", lambda r: r.questions[0].went),
    ("intake", "questions.note", 3, "Gave the sprint example.", lambda r: r.questions[3].note),
    ("perspective", "situation", 0, "Line one.\nLine two.", lambda r: r.perspective.situation),
    ("perspective", "belief", 0, 80, lambda r: r.perspective.belief),
    ("perspective", "emotions.after", 1, 10, lambda r: r.perspective.emotions[1].after),
    ("letters", "question", 0, "", lambda r: r.plan_for("Priya Raman").question),
    ("letters", "address_concern", 0, True, lambda r: r.plan_for("Priya Raman").address_concern),
    ("letters", "signoff", 0, "Many thanks", lambda r: r.letters.signoff),
    ("letters", "sent_on", 0, dt.date(2026, 11, 24), lambda r: r.plan_for("Priya Raman").sent_on),
    ("letters", "formality", 0, "title and surname", lambda r: r.letters.formality),
    ("letters", "thank_for", 0, "the tour", lambda r: r.plan_for("Priya Raman").thank_for),
    ("perspective", "thought_belief", 0, 90, lambda r: r.perspective.thought_belief),
    ("perspective", "result.status", 0, "advanced", lambda r: r.result.status),
    ("intake", "interview.country", 0, "GB", lambda r: r.interview.country),
    ("strengths", "evidence", 0, "Cut no-shows by 18 %.", lambda r: r.strengths.map[0].evidence),
    ("strengths", "shown", 2, True, lambda r: r.strengths.map[2].shown),
    (
        "lessons",
        "root_causes.category",
        0,
        "logistics",
        lambda r: r.lessons.root_causes[0].category,
    ),
    (
        "lessons",
        "star_stories.result",
        0,
        "Waits fell 30 %.",
        lambda r: r.lessons.star_stories[0].result,
    ),
    ("lessons", "if_then.then", 0, "I will pause.", lambda r: r.lessons.if_then[0].then),
    ("move_on", "opportunities.stage", 0, "offer", lambda r: r.move_on.opportunities[0].stage),
    (
        "move_on",
        "opportunities.next_date",
        0,
        dt.date(2026, 12, 1),
        lambda r: r.move_on.opportunities[0].next_date,
    ),
    ("move_on", "target_live", 0, 8, lambda r: r.move_on.target_live),
    ("move_on", "worry_time", 0, dt.time(17, 15), lambda r: r.move_on.worry_time),
    ("move_on", "closed", 0, False, lambda r: r.move_on.closed),
]


@pytest.mark.parametrize(
    ("step", "key", "nth", "value", "stored"),
    ROUND_TRIPS,
    ids=[f"{step}.{key}" for step, key, *_ in ROUND_TRIPS],
)
def test_each_kind_of_input_saves_to_the_record_and_shows_it_again(
    ada: Path, step: str, key: str, nth: int, value: Any, stored: Any
) -> None:
    label = content().steps[step].prompts[key].label
    widget = inputs(FORMS[step](Session(ada)), label)[nth]
    assert widget.value != value, "the example already holds this value"

    widget.value = value

    assert stored(store.load(ada)) == value
    assert inputs(FORMS[step](Session(ada)), label)[nth].value == value


def test_an_emptied_optional_answer_is_stored_as_none(ada: Path) -> None:
    form = forms.intake_form(Session(ada))
    one(form, INTAKE["candidate.email"].label).value = "  "
    one(form, INTAKE["interview.self_rating"].label).value = -1  # the slider's "not yet"

    record = store.load(ada)
    assert (record.candidate.email, record.interview.self_rating) == (None, None)
    assert one(forms.intake_form(Session(ada)), INTAKE["candidate.email"].label).value == ""


def test_a_literal_is_picked_by_its_label_from_the_content(ada: Path) -> None:
    form = forms.intake_form(Session(ada))
    fmt = one(form, INTAKE["interview.format"].label)
    assert dict(fmt.options) == {c.label: c.key for c in content().formats}
    went = inputs(form, INTAKE["questions.went"].label)[0]
    assert dict(went.options) == {c.label: c.key for c in content().outcomes}


def test_a_line_added_to_a_list_of_strings_is_saved(ada: Path) -> None:
    form = forms.lessons_form(Session(ada))
    before = store.load(ada).lessons.keep
    button(form, "Add thing to keep").click()
    inputs(form, "Thing to keep")[-1].value = "Ask one question back."

    assert store.load(ada).lessons.keep == [*before, "Ask one question back."]


def test_a_star_story_is_saved_once_any_part_is_written(ada: Path) -> None:
    form = forms.lessons_form(Session(ada))
    before = len(store.load(ada).lessons.star_stories)
    button(form, "Add story").click()
    assert len(store.load(ada).lessons.star_stories) == before
    inputs(form, LESSONS["star_stories.task"].label)[-1].value = "Own the clinic rollout."

    stories = store.load(ada).lessons.star_stories
    assert len(stories) == before + 1 and stories[-1].task == "Own the clinic rollout."


def test_an_if_then_plan_is_saved_only_once_both_halves_are_written(ada: Path) -> None:
    form = forms.lessons_form(Session(ada))
    before = len(store.load(ada).lessons.if_then)
    button(form, "Add if-then plan").click()
    inputs(form, LESSONS["if_then.when"].label)[-1].value = "they ask about salary"
    assert len(store.load(ada).lessons.if_then) == before
    inputs(form, LESSONS["if_then.then"].label)[-1].value = "I'll ask about the range first"

    assert store.load(ada).lessons.if_then[-1].when == "they ask about salary"


def test_the_requirements_button_adds_a_strength_row_per_unmapped_requirement(ada: Path) -> None:
    session = Session(ada)
    session.change(lambda r: r.requirements.append("Speaking to boards"))
    form = forms.strengths_form(session)

    button(form, "Add the job's requirements").click()

    assert store.load(ada).strengths.map[-1].requirement == "Speaking to boards"
    rows = inputs(form, STRENGTHS["requirement"].label)
    assert [w.value for w in rows].count("Speaking to boards") == 1


# --- the forms follow the record --------------------------------------------------------------

NEWCOMER = "Dr. Amara Okafor-Lindqvist"


def options_of(widget: Any) -> list[str]:
    return [o if isinstance(o, str) else o[1] for o in widget.options]


def test_an_added_interviewer_reaches_asked_by_and_the_letters_without_a_rebuild(
    ada: Path,
) -> None:
    tabs = forms.workbook(Session(ada))
    reanswer = inputs(tabs, LETTERS["reanswer"].label)[0]
    reanswer.value = "Half-way through my better answer"  # being typed in Priya's plan

    button(tabs, "Add interviewer").click()
    inputs(tabs, INTAKE["interviewers.name"].label)[-1].value = NEWCOMER

    assert store.load(ada).interviewers[-1].name == NEWCOMER
    asked_by = inputs(tabs, INTAKE["questions.asked_by"].label)
    assert [NEWCOMER in options_of(choice) for choice in asked_by] == [True] * 5
    assert f"To {NEWCOMER}" in previews(tabs.children[2])
    assert len(inputs(tabs.children[2], LETTERS["reanswer"].label)) == 4
    assert inputs(tabs, LETTERS["reanswer"].label)[0] is reanswer
    assert reanswer.value == "Half-way through my better answer"

    inputs(tabs, LETTERS["personal_note"].label)[-1].value = "We both trained in Bergen."
    assert store.load(ada).plan_for(NEWCOMER).personal_note == "We both trained in Bergen."


def test_a_renamed_interviewer_is_renamed_in_asked_by_and_the_letters(ada: Path) -> None:
    tabs = forms.workbook(Session(ada))
    inputs(tabs, INTAKE["interviewers.name"].label)[1].value = "Tom Eriksen-Berg"

    assert_tom_renamed(tabs.children[0], tabs.children[2], ada)


def assert_tom_renamed(intake: Any, letters: Any, path: Path) -> None:
    """Tom Eriksen, renamed Tom Eriksen-Berg, is so in the intake's "Asked by" choices, in the
    letters and in the file, and his letter plan went with him."""
    asked_by = [w.value for w in inputs(intake, INTAKE["questions.asked_by"].label)]
    assert asked_by[3:] == ["Tom Eriksen-Berg", "Tom Eriksen-Berg"]
    assert "Tom Eriksen" not in [
        n for w in inputs(intake, INTAKE["questions.asked_by"].label) for n in options_of(w)
    ]
    shown = previews(letters)
    assert "To Tom Eriksen-Berg" in shown and "To Tom Eriksen<" not in shown
    record = store.load(path)
    assert [q.asked_by for q in record.questions][3:] == ["Tom Eriksen-Berg"] * 2
    assert record.plan_for("Tom Eriksen-Berg").reanswer


def test_a_removed_interviewer_loses_their_plan_in_the_letter_step(ada: Path) -> None:
    tabs = forms.workbook(Session(ada))
    removes = [w for w in walk(tabs) if getattr(w, "tooltip", "") == "Remove this interviewer"]
    removes[0].click()

    assert "To Priya Raman" not in previews(tabs.children[2])
    assert len(inputs(tabs.children[2], LETTERS["reanswer"].label)) == 2


def test_questions_and_requirements_reach_the_steps_that_choose_from_them(ada: Path) -> None:
    tabs = forms.workbook(Session(ada))
    button(tabs, "Add requirement").click()
    inputs(tabs, "Requirement")[-1].value = "Speaking to boards"
    button(tabs, "Add question").click()
    inputs(tabs, INTAKE["questions.text"].label)[-1].value = "Why this company?"
    inputs(tabs, INTAKE["questions.went"].label)[-1].value = "badly"

    strengths = inputs(tabs, STRENGTHS["requirement"].label)
    assert all("Speaking to boards" in w.options for w in strengths)
    stories = inputs(tabs, LESSONS["star_stories.question"].label)
    assert all("Why this company?" in w.options for w in stories)
    plan_questions = inputs(tabs, LETTERS["question"].label)
    assert all("Why this company?" in options_of(w) for w in plan_questions)


def test_a_reworded_question_stays_chosen_in_the_letter_that_revisits_it(ada: Path) -> None:
    tabs = forms.workbook(Session(ada))
    chosen = store.load(ada).plan_for("Priya Raman").question
    texts = inputs(tabs, INTAKE["questions.text"].label)
    (index,) = [i for i, w in enumerate(texts) if w.value == chosen]

    texts[index].value = "Tell us about a time you said no to someone senior."

    assert store.load(ada).plan_for("Priya Raman").question == texts[index].value
    assert inputs(tabs, LETTERS["question"].label)[0].value == texts[index].value


# --- forms that fit what is typed -----------------------------------------------------------


def test_a_long_answer_box_grows_with_its_text(ada: Path) -> None:
    form = forms.perspective_form(Session(ada))
    box = one(form, PERSPECTIVE["balanced_thought"].label)
    assert isinstance(box, W.Textarea)
    short = box.rows

    box.value = "\n".join(f"Line {n}: one answer was thin, the rest went fine." for n in range(12))

    assert box.rows >= 12 > short
    box.value = "Short again."
    assert box.rows == short


def test_a_steps_fields_share_one_label_width_so_their_inputs_line_up(ada: Path) -> None:
    for step, make in FORMS.items():
        form = make(Session(ada))
        classes = [getattr(w, "_dom_classes", ()) for w in walk(form)]
        if step == "letters":  # a narrow column: every label sits above its input
            # three interviewers' plans of ten fields each (the greeting's two, the plan's
            # eight), then the sign-off and formality
            assert sum("av-stacked" in c for c in classes) == 3 * 10 + 2
            assert not any("av-field" in c for c in classes)
            continue
        rows = [w for w in walk(form) if "av-field" in getattr(w, "_dom_classes", ())]
        widths = {row.children[0].style.description_width for row in rows}
        assert len(widths) == (1 if step != "strengths" else 0), (step, widths)  # only rows


def test_a_field_is_declared_by_its_path_alone_and_may_name_another_prompt(ada: Path) -> None:
    session, step = Session(ada), content().steps["letters"]
    declared = [fields.ask("letters.sent_on"), fields.ask("letters.signoff", prompt="sent_on")]
    shown = fields.build(session, step, declared, section="letters")
    date, text = (row.children[0] for row in shown)
    assert isinstance(date, W.DatePicker) and date.description == LETTERS["sent_on"].label
    assert isinstance(text, W.Text) and text.description == LETTERS["sent_on"].label
    text.value = "Warm wishes"
    assert store.load(ada).letters.signoff == "Warm wishes"
