"""Forms for steps 2 and 3: the thank-you letters and the strengths (see :mod:`.forms`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as W

from afterview.coaching.content import Step, content
from afterview.record.schema import LetterPlan, Record, Strength
from afterview.workbook import views
from afterview.workbook.fields import Ask, Built, Item, ask, build, rows, step_form
from afterview.workbook.inputs import item_input
from afterview.workbook.session import Session
from afterview.workbook.widgets import (
    Apply,
    field_row,
    form_box,
    heading,
    ideas,
    preview,
    prose,
    status_bar,
    step_prompts,
)

__all__ = ["letters_form", "strengths_form"]


# --- step 2: the letters --------------------------------------------------------------------


def _weak_questions(record: Record) -> list[str]:
    return [question.text for question in record.weak_questions()]


PLAN: tuple[Ask, ...] = (
    ask("thank_for", long=True),
    ask("question", pick=_weak_questions, blank="(no question)"),
    ask("about"),
    ask("reanswer", long=True),
    ask("address_concern"),
    ask("concern_answer", long=True),
    ask("personal_note", long=True),
    ask("sent_on"),
)
"""What each interviewer's letter plan asks (prompts keyed by the plan's field names)."""

LETTERS: tuple[Item, ...] = (
    ask("letters.signoff", stacked=True),
    ask("letters.formality", stacked=True),
)


def _plan(record: Record, name: str) -> LetterPlan:
    """The interviewer's plan in this (draft) record, added when there was none yet."""
    for plan in record.letters.plans:
        if plan.interviewer == name:
            return plan
    record.letters.plans.append(LetterPlan(interviewer=name))
    return record.letters.plans[-1]


def _set_plan(name: str, field: str) -> Apply:
    def apply(record: Record, value: Any) -> None:
        setattr(_plan(record, name), field, value)

    return apply


def _to_whom(record: Record, name: str) -> str:
    """A plan's heading: the interviewer, and the doubt they seemed to have."""
    person = next((p for p in record.interviewers if p.name == name), None)
    concern = person.concern if person is not None else ""
    doubt = f"<p>They seemed to doubt: <em>{views.e(concern)}</em></p>" if concern else ""
    return f"<h3>To {views.e(name)}</h3>{doubt}"


class _Plans:
    """One plan per interviewer, following the interview's facts as they are edited.

    An interviewer added, renamed or removed in the intake gets (or loses) their plan here at
    once; the plans of everyone else stay as they are, with whatever is being typed in them.
    """

    def __init__(self, session: Session, step: Step) -> None:
        self.session, self.step = session, step
        self.shown: dict[str, tuple[W.VBox, W.HTML]] = {}
        self.widget = W.VBox()
        session.on_change(self.refresh)
        self.refresh(session)

    def refresh(self, current: Session) -> None:
        names = [person.name for person in current.record.interviewers]
        self.shown = {name: self.shown.get(name) or self._box(name) for name in names}
        for name, (_box, to_whom) in self.shown.items():
            to_whom.value = _to_whom(current.record, name)
        boxes = [box for box, _ in self.shown.values()]
        if list(self.widget.children) != boxes:
            self.widget.children = boxes

    def _box(self, name: str) -> tuple[W.VBox, W.HTML]:
        plan = self.session.record.plan_for(name)
        to_whom = prose("")
        fields: list[W.Widget] = [to_whom]
        for spec in PLAN:
            prompt = self.step.prompts[spec.prompt or spec.path]
            widget = item_input(self.session, spec, LetterPlan, plan, _set_plan(name, spec.path))
            fields.append(field_row(widget, prompt.label, prompt.hint, stacked=True))
        box = W.VBox(
            fields, layout=W.Layout(border="1px solid #ccc", padding="4px", margin="0 0 8px 0")
        )
        return box, to_whom


def letters_form(session: Session, *, now: dt.datetime | None = None) -> W.VBox:
    """One plan per interviewer (what to re-answer, a personal note); the letters beside it."""
    step = step_prompts("letters")
    boxes = [_Plans(session, step).widget, *build(session, step, LETTERS, section="letters")]
    result = preview(session, lambda r: views.letters_html(r, now=now))
    columns = W.HBox(
        [
            W.VBox(boxes, layout=W.Layout(flex="1 1 24em", margin="0 12px 0 0")),
            W.VBox(
                [W.HTML("<h3>The letters and what to check</h3>"), result],
                layout=W.Layout(flex="1 1 28em"),
            ),
        ],
        layout=W.Layout(width="100%", flex_flow="row wrap"),
    )
    return form_box([heading(step.title, step.intro), columns, status_bar(session)], "110em")


# --- step 3: strengths ----------------------------------------------------------------------


def _requirements(record: Record) -> list[str]:
    return list(record.requirements)


def _requirements_button(session: Session, built: Built) -> W.Button:
    """Adds a row for every requirement from the interview's facts not mapped yet."""
    start = W.Button(
        description="Add the job's requirements",
        icon="list",
        tooltip="Add a row for every requirement from the interview's facts",
        layout=W.Layout(width="auto"),
    )
    strengths = built["strengths.map"]

    def add_requirements(_button: W.Button) -> None:
        mapped = {row.requirement for row in strengths.values()}
        for requirement in session.record.requirements:
            if requirement not in mapped:
                strengths.add(Strength(requirement=requirement))

    start.on_click(add_requirements)
    return start


STRENGTHS: tuple[Item, ...] = (
    lambda _s, _b: ideas("Questions that help you find your strengths", content().strength_prompts),
    rows(
        "strengths.map",
        [ask("requirement", suggest=_requirements)],
        ["evidence"],
        [ask("sentence", long=True)],
        ["shown", "mention"],
        noun="requirement",
        title="Requirements and your proof",
        hint="evidence",
    ),
    _requirements_button,
)


def _mapped(record: Record) -> object:
    return record.strengths, record.requirements


def strengths_form(session: Session) -> W.VBox:
    """Each requirement with its proof; tick what came across and what goes in the letters."""
    shows = views.strengths_html
    return step_form(
        session, "strengths", STRENGTHS, shows, section="strengths.map", changes=_mapped
    )
