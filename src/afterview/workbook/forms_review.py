"""The forms for steps 4 and 5: lessons and moving on (see :mod:`afterview.workbook.forms`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as W

from afterview.coaching import causes, clock
from afterview.coaching.content import content
from afterview.record.errors import RecordError
from afterview.record.schema import IfThen, Practice, Record, RootCause
from afterview.workbook import views
from afterview.workbook.fields import Built, Item, ask, rows, step_form, strings, ticks
from afterview.workbook.session import Session
from afterview.workbook.widgets import choice_input, guide, labelled

__all__ = ["lessons_form", "move_on_form", "new_practice"]


# --- step 4: lessons ------------------------------------------------------------------------


def _question_texts(record: Record) -> list[str]:
    return [question.text for question in record.questions]


def _example_picker(_session: Session, built: Built) -> W.Widget:
    """A pick-list of if-then examples: the one picked becomes a plan to reword."""
    examples = {example.key: example for example in content().if_then_examples}
    picker = labelled(
        choice_input(
            [(x.situation, x.key) for x in examples.values()], "", blank="(choose a moment)"
        ),
        "Start from an example",
        "Adds a plan you can then put in your own words.",
    )

    def use(change: dict[str, Any]) -> None:
        if change["new"]:
            chosen = examples[change["new"]]
            built["lessons.if_then"].add(IfThen(when=chosen.when, then=chosen.then))
            picker.value = ""

    picker.observe(use, names="value")
    return picker


def _suggested_causes(session: Session, built: Built) -> W.Widget:
    """A button per root cause the question notes suggest: a click adds it to the causes, with
    the note as what it looked like, and the button goes (back when the cause is removed)."""
    picked = built["lessons.root_causes"]
    box = W.HBox(layout=W.Layout(flex_flow="row wrap", margin="0 0 .8em 0"))
    shown: list[list[causes.Suggestion]] = [[]]

    def button(found: causes.Suggestion) -> W.Button:
        add = W.Button(
            description=f"Add: {found.label[:1].lower()}{found.label[1:]}",
            icon="plus",
            tooltip=f"Your note on “{found.question}” suggests this cause",
            layout=W.Layout(width="auto"),
        )
        add.on_click(lambda _b: picked.add(RootCause(category=found.category, note=found.note)))
        return add

    def show(current: Session) -> None:
        found = causes.suggested_causes(current.record)
        if found == shown[0]:
            return
        shown[0] = found
        heading = W.HTML("<strong>Your notes suggest</strong>", layout=W.Layout(margin="0 8px"))
        box.children = [heading, *map(button, found)] if found else []

    session.on_change(show)
    show(session)
    return box


def new_practice(record: Record, now: dt.datetime | None = None) -> Practice:
    """The practice session "Add" starts from: a mock interview at the usual time, on the job
    seeker's next business day (from their own today) with no session planned yet."""
    interview = record.interview
    planned = {item.on for item in record.lessons.practice}
    day = clock.today(record, now)
    try:
        day = clock.add_business_days(day, 1, interview)
        while day in planned:
            day = clock.add_business_days(day, 1, interview)
    except RecordError:  # no holiday calendar for the region set: the step's results say why
        day += dt.timedelta(days=1)
    return Practice(on=day)


LESSONS: tuple[Item, ...] = (
    ask("lessons.expected", long=True),
    ask("lessons.happened", long=True),
    ask("lessons.why", long=True),
    strings("lessons.keep", noun="thing to keep"),
    strings("lessons.change", noun="thing to change"),
    rows(
        "lessons.root_causes",
        [ask("category", pick="root_causes", blank="(pick a cause)"), "note"],
        noun="root cause",
    ),
    _suggested_causes,
    rows(
        "lessons.star_stories",
        [ask("question", suggest=_question_texts)],
        *[[ask(part, long=True)] for part in ("situation", "task", "action", "result")],
        noun="story",
    ),
    rows(
        "lessons.practice",
        ["kind", "on", "at"],
        ["note"],
        noun="practice session",
        new=new_practice,
    ),
    rows("lessons.if_then", ["when", "then"], noun="if-then plan"),
    _example_picker,
    ticks(
        "lessons.checklist",
        "checklist",
        own=(
            "Your own checklist items",
            "Anything else you want to do before the next interview.",
            "item",
        ),
    ),
)


def lessons_form(session: Session) -> W.VBox:
    """The after-action review, its root causes and the remedies for next time."""
    return step_form(session, "lessons", LESSONS, views.lessons_html, changes=lambda r: r.lessons)


# --- step 5: move on ------------------------------------------------------------------------


MOVE_ON: tuple[Item, ...] = (
    rows(
        "move_on.opportunities",
        ["company", "role", "stage"],
        ["next_step", "next_date"],
        noun="opportunity",
    ),
    ask("move_on.target_live"),
    ask("move_on.response_by"),
    ask("move_on.worry_time"),
    lambda _s, _b: guide(content().worry_postponement),
    ask("move_on.closed"),
    lambda _s, _b: guide(content().close_interview),
)


def _dated(record: Record) -> object:
    """What the follow-up dates are counted from."""
    return record.move_on, record.letters.sent_on, record.interview


def move_on_form(session: Session) -> W.VBox:
    """Other opportunities against the target of six, the follow-up dates, closing the loop."""
    return step_form(session, "move_on", MOVE_ON, views.move_on_html, changes=_dated)
