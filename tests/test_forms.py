"""The workbook's forms, driven in-process the way a coach would: type, tick, click, reload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from afterview.coaching.content import content
from afterview.record import store
from afterview.workbook import forms
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
    assert set(waiting) == {INTAKE["interviewers.name"].label, INTAKE["interview.timezone"].label}


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
