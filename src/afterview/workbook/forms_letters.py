"""Forms for steps 2 and 3: the thank-you letters and the strengths (see :mod:`.forms`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as W

from afterview.coaching.content import content
from afterview.record.schema import (
    LetterPlan,
    Record,
    Strength,
)
from afterview.workbook import views
from afterview.workbook.session import Session
from afterview.workbook.widgets import (
    Row,
    RowList,
    bound_field,
    choice_input,
    date_input,
    heading,
    ideas,
    labelled,
    preview,
    prose,
    setter,
    status_bar,
    step_form,
    step_prompts,
    text_input,
)

__all__ = ["letters_form", "strengths_form"]


# --- step 2: the letters --------------------------------------------------------------------


def _plan(record: Record, name: str) -> LetterPlan:
    """The interviewer's plan in this (draft) record, added when there was none yet."""
    for plan in record.letters.plans:
        if plan.interviewer == name:
            return plan
    record.letters.plans.append(LetterPlan(interviewer=name))
    return record.letters.plans[-1]


def _set_plan(name: str, field: str) -> Any:
    def apply(record: Record, value: Any) -> None:
        setattr(_plan(record, name), field, value)

    return apply


def letters_form(session: Session, *, now: dt.datetime | None = None) -> W.VBox:
    """One plan per interviewer (what to re-answer, a personal note); the letters beside it."""
    step, record = step_prompts("letters"), session.record
    weak = [q.text for q in record.weak_questions()]
    boxes = []
    for person in record.interviewers:
        plan = record.plan_for(person.name)
        concern = (
            f"<p>They seemed to doubt: <em>{views.e(person.concern)}</em></p>"
            if person.concern
            else ""
        )
        inputs = {
            "question": choice_input([(q, q) for q in weak], plan.question, blank="(no question)"),
            "reanswer": text_input(plan.reanswer, long=True),
            "address_concern": W.Checkbox(value=plan.address_concern, indent=False),
            "concern_answer": text_input(plan.concern_answer, long=True),
            "personal_note": text_input(plan.personal_note, long=True),
        }
        fields = [prose(f"<h3>To {views.e(person.name)}</h3>{concern}")]
        fields += [
            bound_field(session, step, key, widget, _set_plan(person.name, key), stacked=True)
            for key, widget in inputs.items()
        ]
        boxes.append(
            W.VBox(
                fields, layout=W.Layout(border="1px solid #ccc", padding="4px", margin="0 0 8px 0")
            )
        )
    boxes += [
        bound_field(
            session,
            step,
            "signoff",
            text_input(record.letters.signoff),
            setter("letters", "signoff"),
            stacked=True,
        ),
        bound_field(
            session,
            step,
            "sent_on",
            date_input(record.letters.sent_on),
            setter("letters", "sent_on"),
            stacked=True,
        ),
    ]
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
    return W.VBox(
        [heading(step.title, step.intro), columns, status_bar(session)],
        layout=W.Layout(width="100%", max_width="110em"),
    )


# --- step 3: strengths ----------------------------------------------------------------------


def strengths_form(session: Session) -> W.VBox:
    """Each requirement with its proof; tick what came across and what goes in the letters."""
    step, record = step_prompts("strengths"), session.record
    p = step.prompts

    def strength_row(strength: Strength | None) -> Row[Strength]:
        requirement = labelled(
            W.Combobox(
                value=strength.requirement if strength else "",
                options=list(session.record.requirements),
                ensure_option=False,
            ),
            p["requirement"].label,
            p["requirement"].hint,
        )
        evidence = labelled(
            text_input(strength.evidence if strength else ""),
            p["evidence"].label,
            p["evidence"].hint,
        )
        shown = labelled(
            W.Checkbox(value=strength.shown if strength else False, indent=False),
            p["shown"].label,
            p["shown"].hint,
        )
        mention = labelled(
            W.Checkbox(value=strength.mention if strength else False, indent=False),
            p["mention"].label,
            p["mention"].hint,
        )
        evidence.layout.width = "100%"

        def read() -> Strength | None:
            if not requirement.value.strip():
                return None
            return Strength(
                requirement=requirement.value,
                evidence=evidence.value,
                shown=shown.value,
                mention=mention.value,
            )

        layout = W.VBox(
            [requirement, evidence, W.HBox([shown, mention])], layout=W.Layout(width="100%")
        )
        return Row([requirement, evidence, shown, mention], read, layout)

    def set_map(record: Record, items: list[Strength]) -> None:
        record.strengths.map = items

    strengths = RowList(
        session,
        record.strengths.map,
        strength_row,
        set_map,
        label="Requirements and your proof",
        hint=p["evidence"].hint,
        noun="requirement",
    )
    start = W.Button(
        description="Add the job's requirements",
        icon="list",
        tooltip="Add a row for every requirement from the interview's facts",
        layout=W.Layout(width="auto"),
    )

    def add_requirements(_button: W.Button) -> None:
        mapped = {row.requirement for row in strengths.values()}
        for requirement in session.record.requirements:
            if requirement not in mapped:
                strengths.add(Strength(requirement=requirement))

    start.on_click(add_requirements)
    body = [
        ideas("Questions that help you find your strengths", content().strength_prompts),
        strengths.widget,
        start,
    ]
    result = preview(session, views.strengths_html, key=lambda r: (r.strengths, r.requirements))
    return step_form(step, session, body, result)
