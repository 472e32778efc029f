"""The letters and strengths forms, driven in-process as a client would: the suggested sentence
for a CV-style proof, the greeting each letter will open with, and the strengths per letter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from afterview.coaching.content import content
from afterview.coaching.letters import render_letter
from afterview.coaching.plans import strengths_for, suggest_sentence
from afterview.record import store
from afterview.workbook import forms
from afterview.workbook.forms_letters import AUTOMATIC_AGAIN, OPENS, USE_IT
from afterview.workbook.session import Session

from .test_forms import button, inputs, walk

INTAKE = content().steps["intake"].prompts
LETTERS = content().steps["letters"].prompts
STRENGTHS = content().steps["strengths"].prompts
CALL_THEM = INTAKE["interviewers.call_them"].label
THEIR_FORMALITY = INTAKE["interviewers.formality"].label


def suggestions(form: Any) -> list[str]:
    """Each strength row's suggested sentence as shown ("" where none is shown)."""
    boxes = [w for w in walk(form) if "av-suggestion" in getattr(w, "_dom_classes", ())]
    return [box.children[0].value if box.layout.display != "none" else "" for box in boxes]


def openings(form: Any) -> list[str]:
    """Each plan box's "The letter will open: Dear …," line, as plain text."""
    lines = [w.value for w in walk(form) if isinstance(w, W.HTML) and OPENS in w.value]
    return [line.split("<strong>")[1].split("</strong>")[0] for line in lines]


def ticked(form: Any, requirements: list[str], nth: int) -> list[str]:
    """The strengths ticked in the ``nth`` interviewer's plan box."""
    return [r for r in requirements if letter_tick(form, r, nth).value]


def said(proof: str) -> str:
    """A proof sentence as it reads inside a letter (its first word may lose its capital)."""
    return proof.split(" ", 1)[1].rstrip(".")


def _example(name: str) -> Any:
    """A fixture: a copy of the example record ``name``, for a test to change."""

    @pytest.fixture
    def copied(copy_record) -> Path:  # type: ignore[no-untyped-def]
        path: Path = copy_record(f"{name}.yaml")
        return path

    return copied


lukasz = _example("lukasz-wisniewski-video-halfway")  # proofs with and without sentences
rafael = _example("rafael-quispe-video-first-round")  # "Dr Juan de la Cruz", "Ms Aoife Ní Bhriain"
ada = _example("ada-okafor-panel")  # a panel of three, each letter with its own strengths


def letter_tick(form: Any, requirement: str, nth: int) -> W.Checkbox:
    boxes = [w for w in walk(form) if isinstance(w, W.Checkbox) and w.description == requirement]
    return boxes[nth]


# --- 1. a suggested sentence for a CV-style proof (step 3) ----------------------------------


def test_a_cv_style_proof_shows_a_suggested_sentence_only_where_the_client_has_none(
    lukasz: Path,
) -> None:
    record = store.load(lukasz)
    form = forms.strengths_form(Session(lukasz))

    shown = suggestions(form)

    assert len(shown) == len(record.strengths.map)
    for strength, suggestion in zip(record.strengths.map, shown, strict=True):
        if strength.sentence:
            assert suggestion == ""
        else:
            assert suggest_sentence(strength.evidence) in suggestion
    assert "I have seven years of daily SQL and Python, and I maintain" in shown[1]
    assert "I worked in two retail energy markets, Poland and the UK." in shown[3]


def test_use_this_sentence_saves_it_the_client_can_edit_it_and_the_letter_says_it(
    lukasz: Path,
) -> None:
    tabs = forms.workbook(Session(lukasz))
    strengths, letters = tabs.children[3], tabs.children[2]
    energy = "Knowledge of retail energy markets"

    button(strengths, USE_IT, 3).click()

    assert store.load(lukasz).strengths.map[3].sentence == (
        "I worked in two retail energy markets, Poland and the UK."
    )
    assert suggestions(strengths)[3] == ""  # the client has a sentence now
    own = inputs(strengths, STRENGTHS["sentence"].label)[3]
    own.value = "I have worked in two retail energy markets, in Poland and in the UK."
    assert store.load(lukasz).strengths.map[3].sentence == own.value

    letter_tick(letters, energy, 1).value = True  # into Ben Carter's letter

    record = store.load(lukasz)
    assert energy in record.plan_for("Ben Carter").strengths
    assert own.value in render_letter(record, "Ben Carter").body


def test_a_proof_typed_into_a_new_row_gets_its_suggestion_as_it_is_typed(lukasz: Path) -> None:
    form = forms.strengths_form(Session(lukasz))
    button(form, "Add requirement").click()
    inputs(form, STRENGTHS["requirement"].label)[-1].value = "Year-end close"
    assert suggestions(form)[-1] == ""  # no proof yet, nothing to suggest

    inputs(form, STRENGTHS["evidence"].label)[-1].value = "Signed off six years of IFRS accounts"

    assert "I signed off six years of IFRS accounts." in suggestions(form)[-1]
    button(form, USE_IT, len(suggestions(form)) - 1).click()
    assert (
        store.load(lukasz).strengths.map[-1].sentence == "I signed off six years of IFRS accounts."
    )


# --- 2. "call them", pre-filled from the name and the formality -----------------------------


def test_call_them_shows_the_greeting_the_letter_will_use_without_saving_it(rafael: Path) -> None:
    form = forms.letters_form(Session(rafael))
    boxes = inputs(form, CALL_THEM)

    assert [box.value for box in boxes] == ["", ""]
    assert [box.placeholder for box in boxes] == ["Dr de la Cruz", "Ms Ní Bhriain"]
    assert openings(form) == ["Dear Dr de la Cruz,", "Dear Ms Ní Bhriain,"]

    inputs(form, LETTERS["thank_for"].label)[1].value = "the tour of the depot"
    record = store.load(rafael)
    assert [person.call_them for person in record.interviewers] == ["", ""]
    assert render_letter(record, "Ms Aoife Ní Bhriain").body.startswith("Dear Ms Ní Bhriain,")


def test_the_greeting_follows_the_formality_choice_live(rafael: Path) -> None:
    form = forms.letters_form(Session(rafael))
    inputs(form, LETTERS["thank_for"].label)[0].value = "the ridership maps"

    inputs(form, THEIR_FORMALITY)[0].value = "first name"

    assert inputs(form, CALL_THEM)[0].placeholder == "Juan"
    assert openings(form)[0] == "Dear Juan,"
    record = store.load(rafael)
    assert record.interviewers[0].formality == "first name"
    assert record.interviewers[0].call_them == ""
    assert render_letter(record, "Dr Juan de la Cruz").body.startswith("Dear Juan,")

    inputs(form, THEIR_FORMALITY)[0].value = ""  # back to the usual: titled names are formal
    assert openings(form)[0] == "Dear Dr de la Cruz,"


def test_what_the_client_types_in_call_them_wins_and_is_saved(rafael: Path) -> None:
    form = forms.letters_form(Session(rafael))
    inputs(form, LETTERS["thank_for"].label)[1].value = "the tour of the depot"

    inputs(form, CALL_THEM)[1].value = "Aoife"
    inputs(form, THEIR_FORMALITY)[1].value = "title and surname"  # a later change does not undo it

    record = store.load(rafael)
    assert record.interviewers[1].call_them == "Aoife"
    assert openings(form)[1] == "Dear Aoife,"
    assert render_letter(record, "Ms Aoife Ní Bhriain").body.startswith("Dear Aoife,")
    reopened = forms.letters_form(Session(rafael))
    assert inputs(reopened, CALL_THEM)[1].value == "Aoife"


def test_the_greeting_follows_a_renamed_interviewer_and_the_usual_greeting(rafael: Path) -> None:
    tabs = forms.workbook(Session(rafael))
    letters = tabs.children[2]

    inputs(tabs.children[0], INTAKE["interviewers.name"].label)[1].value = "Dr Aoife Ní Bhriain"
    assert openings(letters)[1] == "Dear Dr Ní Bhriain,"

    inputs(tabs.children[0], INTAKE["interviewers.name"].label)[1].value = "Aoife Ní Bhriain"
    assert openings(letters)[1] == "Dear Aoife,"  # no title in the name: the usual greeting
    inputs(letters, LETTERS["formality"].label)[0].value = "title and surname"
    assert openings(letters)[1] == "Dear Aoife Ní Bhriain,"  # a title is never guessed
    assert store.load(rafael).interviewers[1].call_them == ""


# --- 3. the strengths for each letter -------------------------------------------------------


def test_each_plan_shows_the_strengths_picked_for_that_person_until_the_client_chooses(
    ada: Path,
) -> None:
    before = ada.read_bytes()
    record = store.load(ada)
    requirements = [s.requirement for s in record.strengths.map]
    form = forms.letters_form(Session(ada))

    for nth, person in enumerate(record.interviewers):
        picked = [s.requirement for s in strengths_for(record, person.name)]
        assert picked, person.name
        assert ticked(form, requirements, nth) == picked
    assert ada.read_bytes() == before  # showing the automatic choice saves nothing


def test_a_ticked_strength_goes_into_that_letter_and_the_others_follow(ada: Path) -> None:
    record = store.load(ada)
    requirements = [s.requirement for s in record.strengths.map]
    form = forms.letters_form(Session(ada))
    regulated = "Experience in a regulated environment"
    assert regulated not in ticked(form, requirements, 0)

    letter_tick(form, regulated, 0).value = True  # Priya's letter

    record = store.load(ada)
    assert record.plan_for("Priya Raman").strengths == [
        "Working across clinical and engineering teams",
        regulated,
    ]
    proof = said(record.strengths.map[requirements.index(regulated)].sentence)
    assert proof in render_letter(record, "Priya Raman").body
    for nth, person in enumerate(record.interviewers[1:], start=1):  # the panel re-varies
        picked = [s.requirement for s in strengths_for(record, person.name)]
        assert ticked(form, requirements, nth) == picked


def test_unticking_the_automatic_pick_and_going_back_to_it(ada: Path) -> None:
    record = store.load(ada)
    requirements = [s.requirement for s in record.strengths.map]
    form = forms.letters_form(Session(ada))
    automatic = ticked(form, requirements, 1)  # Tom's
    gone = automatic[0]
    proof = said(record.strengths.map[requirements.index(gone)].sentence)
    assert proof in render_letter(record, "Tom Eriksen").body

    letter_tick(form, gone, 1).value = False
    assert ticked(form, requirements, 1) == []  # not ticked again behind the client's back
    assert store.load(ada).plan_for("Tom Eriksen").strengths == []  # nothing chosen yet
    letter_tick(form, "Coaching junior product managers", 1).value = True

    record = store.load(ada)
    assert record.plan_for("Tom Eriksen").strengths == ["Coaching junior product managers"]
    assert proof not in render_letter(record, "Tom Eriksen").body

    button(form, AUTOMATIC_AGAIN, 1).click()
    assert store.load(ada).plan_for("Tom Eriksen").strengths == []
    assert ticked(form, requirements, 1) == automatic


def test_a_strength_added_in_step_3_is_offered_in_every_letter_at_once(ada: Path) -> None:
    tabs = forms.workbook(Session(ada))
    letters, strengths = tabs.children[2], tabs.children[3]
    added = "Budgeting for a product team"

    button(strengths, "Add requirement").click()
    inputs(strengths, STRENGTHS["requirement"].label)[-1].value = added

    offered = [w for w in walk(letters) if isinstance(w, W.Checkbox) and added in w.description]
    assert len(offered) == 3  # one per interviewer, marked as having no proof yet
    inputs(strengths, STRENGTHS["evidence"].label)[-1].value = "Ran a £2m product budget in 2025"
    letter_tick(letters, added, 2).value = True  # Grace's letter

    record = store.load(ada)
    assert added in record.plan_for("Grace Mensah").strengths
    assert "I ran a £2m product budget in 2025." in render_letter(record, "Grace Mensah").body
