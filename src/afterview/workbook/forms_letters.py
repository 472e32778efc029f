"""Forms for steps 2 and 3: the thank-you letters and the strengths (see :mod:`.forms`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as W

from afterview.coaching import plans
from afterview.coaching.content import Step, content
from afterview.record.schema import Interviewer, LetterPlan, Record, Strength
from afterview.workbook import views
from afterview.workbook.fields import Ask, Built, Item, ask, build, rows, step_form
from afterview.workbook.inputs import item_input
from afterview.workbook.session import Session
from afterview.workbook.widgets import (
    Apply,
    field_row,
    form_box,
    heading,
    hint_html,
    ideas,
    on_edit,
    preview,
    prose,
    quietly,
    status_bar,
    step_prompts,
)

__all__ = ["letters_form", "strengths_form"]


# --- step 2: the letters --------------------------------------------------------------------

OPENS = "The letter will open:"
SENT_ON = ask("sent_on")


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
)
"""What each interviewer's letter plan asks (prompts keyed by the plan's field names); the
strengths for them and the day it was sent follow."""

GREETING: tuple[Ask, ...] = (
    ask("formality", blank="(your usual greeting)"),
    ask("call_them"),
)
"""How the letter greets the interviewer (their fields; prompts from the intake's)."""

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


def _person(record: Record, name: str) -> Interviewer | None:
    return next((p for p in record.interviewers if p.name == name), None)


def _set_plan(name: str, field: str) -> Apply:
    def apply(record: Record, value: Any) -> None:
        setattr(_plan(record, name), field, value)

    return apply


def _set_person(name: str, field: str) -> Apply:
    def apply(record: Record, value: Any) -> None:
        person = _person(record, name)
        if person is None:
            raise KeyError(f"{name} is no longer among the interviewers; reload the page")
        setattr(person, field, value)

    return apply


def _to_whom(record: Record, name: str) -> str:
    """A plan's heading: the interviewer, and the doubt they seemed to have."""
    person = _person(record, name)
    concern = person.concern if person is not None else ""
    doubt = f"<p>They seemed to doubt: <em>{views.e(concern)}</em></p>" if concern else ""
    return f"<h3>To {views.e(name)}</h3>{doubt}"


def _follow_value(widget: W.Widget, value: Any) -> None:
    """Show ``value`` (changed elsewhere: the intake, another window) without saving it again."""
    if widget.value != value:
        with quietly(widget):
            widget.value = value


class _Greeting:
    """Formality and "call them" for one interviewer, and the letter's opening line.

    An empty "call them" shows, greyed, the name the letter will use (from the name, the
    formality and the practice's usual greeting), so it follows a later change of any of them;
    what the client types wins and is saved.
    """

    def __init__(self, session: Session, name: str) -> None:
        self.name = name
        person = _person(session.record, name) or Interviewer(name=name)
        prompts = step_prompts("intake").prompts
        self.inputs: dict[str, W.Widget] = {}
        rows: list[W.Widget] = []
        for spec in GREETING:
            prompt = prompts[f"interviewers.{spec.path}"]
            apply = _set_person(name, spec.path)
            widget = item_input(session, spec, Interviewer, person, apply, self._person_in)
            self.inputs[spec.path] = widget
            rows.append(field_row(widget, prompt.label, prompt.hint, stacked=True))
        self.opens = prose("")
        self.widget = W.VBox([*rows, self.opens], layout=W.Layout(width="100%"))

    def _person_in(self, record: Record) -> Interviewer:
        return _person(record, self.name) or Interviewer(name=self.name)

    def follow(self, record: Record) -> None:
        person = _person(record, self.name)
        if person is None:
            return
        _follow_value(self.inputs["formality"], person.formality or "")
        _follow_value(self.inputs["call_them"], person.call_them)
        usual = record.letters.formality
        default = person.model_copy(update={"call_them": ""})
        self.inputs["call_them"].placeholder = plans.greeting_name(default, usual)
        dear = plans.greeting_name(person, usual)
        self.opens.value = f"{views.e(OPENS)} <strong>Dear {views.e(dear)},</strong>"


NO_PROOF = "(no proof written yet, so not in the letter)"
AUTOMATIC = "Picked for this person by the workbook; tick or untick to choose yourself."
CHOSEN = "Your own choice for this letter."
AUTOMATIC_AGAIN = "Let the workbook pick"
NONE_TICKED = "Tick at least one; with none ticked, the letter gets the workbook's pick."


class _StrengthChoice:
    """Which strengths go into one interviewer's letter: a tick per strength of the map.

    Until the client changes it, the ticks show what the workbook picks for this person
    (:func:`plans.strengths_for`), following every change to the map, the plans or the other
    panellists' letters; a tick or untick saves the choice in the plan. Unticking the last one
    saves nothing (no strengths means "the workbook picks") until another is ticked.
    """

    def __init__(self, session: Session, name: str, step: Step) -> None:
        self.session, self.name = session, name
        self.boxes: dict[str, W.Checkbox] = {}
        self.holding = False
        """Every tick removed by the client: shown so, not saved, until one is ticked."""
        self.ticks = W.VBox(layout=W.Layout(width="100%"))
        self.mode = prose("")
        self.again = W.Button(
            description=AUTOMATIC_AGAIN,
            icon="undo",
            tooltip="Forget your own choice for this letter",
            layout=W.Layout(width="auto"),
        )
        self.again.on_click(lambda _button: self._choose([]))
        prompt = step.prompts["strengths"]
        self.widget = W.VBox(
            [
                W.HBox(
                    [W.HTML(f"<strong>{views.e(prompt.label)}</strong>"), hint_html(prompt.hint)]
                ),
                self.ticks,
                W.HBox([self.mode, self.again], layout=W.Layout(align_items="center")),
            ],
            layout=W.Layout(width="100%", margin="0 0 6px 0"),
        )

    def _box(self, requirement: str) -> W.Checkbox:
        box = W.Checkbox(value=False, description=requirement, indent=False)
        box.layout.width = "100%"
        on_edit(box, lambda _value: self._ticked())
        return box

    def _ticked(self) -> None:
        chosen = [requirement for requirement, box in self.boxes.items() if box.value]
        if chosen:
            self._choose(chosen)
        else:
            self.holding = True
            self.mode.value = views.e(NONE_TICKED)
            self.again.layout.display = ""

    def _choose(self, chosen: list[str]) -> None:
        self.holding = False
        self.session.change(lambda record: setattr(_plan(record, self.name), "strengths", chosen))
        self.follow(self.session.record)

    def follow(self, record: Record) -> None:
        chosen = {strength.requirement for strength in plans.strengths_for(record, self.name)}
        proven = {s.requirement for s in record.strengths.map if s.sentence or s.evidence}
        self.boxes = {
            s.requirement: self.boxes.get(s.requirement) or self._box(s.requirement)
            for s in record.strengths.map
        }
        for requirement, box in self.boxes.items():
            box.description = requirement if requirement in proven else f"{requirement} {NO_PROOF}"
            if not self.holding:
                _follow_value(box, requirement in chosen)
        if list(self.ticks.children) != list(self.boxes.values()):
            self.ticks.children = list(self.boxes.values())
        if not self.holding:
            own = bool(record.plan_for(self.name).strengths)
            self.mode.value = views.e(CHOSEN if own else AUTOMATIC)
            self.again.layout.display = "" if own else "none"


class _PlanBox:
    """One interviewer's box: the greeting, the plan, the strengths for them, the day sent."""

    def __init__(self, session: Session, step: Step, name: str) -> None:
        self.name = name
        plan = session.record.plan_for(name)
        self.to_whom = prose("")
        self.greeting = _Greeting(session, name)
        self.strengths = _StrengthChoice(session, name, step)
        fields: list[W.Widget] = [self.to_whom, self.greeting.widget]
        for spec in (*PLAN, SENT_ON):
            prompt = step.prompts[spec.prompt or spec.path]
            apply = _set_plan(name, spec.path)
            widget = item_input(session, spec, LetterPlan, plan, apply, self._plan_in)
            if spec is SENT_ON:
                fields.append(self.strengths.widget)
            fields.append(field_row(widget, prompt.label, prompt.hint, stacked=True))
        self.widget = W.VBox(
            fields, layout=W.Layout(border="1px solid #ccc", padding="4px", margin="0 0 8px 0")
        )

    def _plan_in(self, record: Record) -> LetterPlan:
        return record.plan_for(self.name)

    def follow(self, record: Record) -> None:
        self.to_whom.value = _to_whom(record, self.name)
        self.greeting.follow(record)
        self.strengths.follow(record)


class _Plans:
    """One plan per interviewer, following the interview's facts as they are edited.

    An interviewer added, renamed or removed in the intake gets (or loses) their plan here at
    once; the plans of everyone else stay as they are, with whatever is being typed in them.
    """

    def __init__(self, session: Session, step: Step) -> None:
        self.session, self.step = session, step
        self.shown: dict[str, _PlanBox] = {}
        self.widget = W.VBox()
        session.on_change(self.refresh)
        self.refresh(session)

    def refresh(self, current: Session) -> None:
        names = [person.name for person in current.record.interviewers]
        self.shown = {
            name: self.shown.get(name) or _PlanBox(self.session, self.step, name) for name in names
        }
        for box in self.shown.values():
            box.follow(current.record)
        boxes = [box.widget for box in self.shown.values()]
        if list(self.widget.children) != boxes:
            self.widget.children = boxes


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


SUGGESTED = "Suggested sentence (the letter uses it until you write your own):"
USE_IT = "Use this sentence"


def _suggestion(inputs: dict[str, W.Widget]) -> W.Widget:
    """Under a proof written CV-style with no sentence yet: a sentence in the client's voice,
    and a button that puts it in the sentence box to edit (saved like anything typed there)."""
    evidence, own = inputs["evidence"], inputs["sentence"]
    text = prose("")
    text.layout.flex = "1 1 auto"
    use = W.Button(
        description=USE_IT,
        icon="check",
        tooltip="Put the suggested sentence in the box above, where you can change it",
        layout=W.Layout(width="auto", flex="0 0 auto"),
    )
    box = W.HBox([text, use], layout=W.Layout(width="100%", align_items="center"))

    def show(_change: object = None) -> None:
        suggested = plans.suggest_sentence(evidence.value)
        wanted = bool(suggested) and not own.value.strip()
        text.value = f"{views.e(SUGGESTED)} <em>{views.e(suggested)}</em>" if wanted else ""
        box.layout.display = "" if wanted else "none"

    use.on_click(lambda _button: setattr(own, "value", plans.suggest_sentence(evidence.value)))
    evidence.observe(show, names="value")
    own.observe(show, names="value")
    show()
    return box.add_class("av-suggestion")


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
        note=_suggestion,
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
