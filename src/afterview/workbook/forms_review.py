"""The forms for steps 4 and 5: lessons and moving on (see :mod:`afterview.workbook.forms`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from afterview.coaching.content import content
from afterview.record.schema import IfThen, Opportunity, Record, RootCause, StarStory
from afterview.workbook import views
from afterview.workbook.session import Session
from afterview.workbook.widgets import (
    Row,
    RowList,
    bind,
    bound_field,
    choice_input,
    date_input,
    guide,
    labelled,
    preview,
    setter,
    step_form,
    step_prompts,
    string_list,
    text_input,
    titled,
)

__all__ = ["lessons_form", "move_on_form"]


# --- step 4: lessons ------------------------------------------------------------------------


def lessons_form(session: Session) -> W.VBox:
    """The after-action review, its root causes and the remedies for next time."""
    step, record = step_prompts("lessons"), session.record
    p, mine, c = step.prompts, record.lessons, content()
    causes = [(cause.label, cause.key) for cause in c.root_causes]
    questions = [q.text for q in record.questions]

    def cause_row(cause: RootCause | None) -> Row[RootCause]:
        category = labelled(
            choice_input(causes, cause.category if cause else "", blank="(pick a cause)"),
            p["root_causes.category"].label,
            p["root_causes.category"].hint,
        )
        note = labelled(
            text_input(cause.note if cause else ""),
            p["root_causes.note"].label,
            p["root_causes.note"].hint,
        )
        note.layout.flex = "1 1 auto"

        def read() -> RootCause | None:
            return RootCause(category=category.value, note=note.value) if category.value else None

        return Row([category, note], read)

    def story_row(story: StarStory | None) -> Row[StarStory]:
        question = labelled(
            W.Combobox(
                value=story.question if story else "",
                options=questions,
                ensure_option=False,
            ),
            p["star_stories.question"].label,
            p["star_stories.question"].hint,
        )
        parts = {
            name: labelled(
                text_input(getattr(story, name) if story else "", long=True),
                p[f"star_stories.{name}"].label,
                p[f"star_stories.{name}"].hint,
            )
            for name in ("situation", "task", "action", "result")
        }
        for widget in (question, *parts.values()):
            widget.layout.width = "100%"

        def read() -> StarStory | None:
            values = {name: widget.value for name, widget in parts.items()}
            if not question.value.strip() and not any(v.strip() for v in values.values()):
                return None
            return StarStory(question=question.value, **values)

        layout = W.VBox([question, *parts.values()], layout=W.Layout(width="100%"))
        return Row([question, *parts.values()], read, layout)

    def plan_row(plan: IfThen | None) -> Row[IfThen]:
        when = labelled(
            text_input(plan.when if plan else ""), p["if_then.when"].label, p["if_then.when"].hint
        )
        then = labelled(
            text_input(plan.then if plan else ""), p["if_then.then"].label, p["if_then.then"].hint
        )
        when.layout.flex = then.layout.flex = "1 1 auto"

        def read() -> IfThen | None:
            if not (when.value.strip() and then.value.strip()):
                return None
            return IfThen(when=when.value, then=then.value)

        return Row([when, then], read)

    plans = RowList(
        session,
        mine.if_then,
        plan_row,
        setter("lessons", "if_then"),
        **titled(p["if_then"]),
        noun="if-then plan",
    )
    examples = {example.key: example for example in c.if_then_examples}
    example = labelled(
        choice_input(
            [(x.situation, x.key) for x in c.if_then_examples], "", blank="(choose a moment)"
        ),
        "Start from an example",
        "Adds a plan you can then put in your own words.",
    )

    def use_example(change: dict[str, Any]) -> None:
        if change["new"]:
            chosen = examples[change["new"]]
            plans.add(IfThen(when=chosen.when, then=chosen.then))
            example.value = ""

    example.observe(use_example, names="value")

    suggested = {
        item: W.Checkbox(
            value=item in mine.checklist,
            description=item,
            indent=False,
            layout=W.Layout(width="100%"),
        )
        for item in c.checklist
    }
    own_items = [item for item in mine.checklist if item not in suggested]

    def set_checklist(record: Record, _value: Any) -> None:
        ticked = [item for item, box in suggested.items() if box.value]
        record.lessons.checklist = ticked + own.values()

    own = string_list(
        session,
        own_items,
        set_checklist,
        label="Your own checklist items",
        hint="Anything else you want to do before the next interview.",
        noun="item",
    )
    body = [
        bound_field(
            session,
            step,
            "expected",
            text_input(mine.expected, long=True),
            setter("lessons", "expected"),
        ),
        bound_field(
            session,
            step,
            "happened",
            text_input(mine.happened, long=True),
            setter("lessons", "happened"),
        ),
        bound_field(
            session, step, "why", text_input(mine.why, long=True), setter("lessons", "why")
        ),
        string_list(
            session,
            mine.keep,
            setter("lessons", "keep"),
            **titled(p["keep"]),
            noun="thing to keep",
        ).widget,
        string_list(
            session,
            mine.change,
            setter("lessons", "change"),
            **titled(p["change"]),
            noun="thing to change",
        ).widget,
        RowList(
            session,
            mine.root_causes,
            cause_row,
            setter("lessons", "root_causes"),
            **titled(p["root_causes"]),
            noun="root cause",
        ).widget,
        RowList(
            session,
            mine.star_stories,
            story_row,
            setter("lessons", "star_stories"),
            **titled(p["star_stories"]),
            noun="story",
        ).widget,
        plans.widget,
        example,
        W.HTML(
            f"<strong>{views.e(p['checklist'].label)}</strong> "
            f"<span style='color:#444'>{views.e(p['checklist'].hint)}</span>"
        ),
        *[bind(session, box, set_checklist) for box in suggested.values()],
        own.widget,
    ]
    result = preview(session, views.lessons_html, key=lambda r: r.lessons)
    return step_form(step, session, body, result)


# --- step 5: move on ------------------------------------------------------------------------


def move_on_form(session: Session) -> W.VBox:
    """Other opportunities against the target of six, the follow-up dates, closing the loop."""
    step, record = step_prompts("move_on"), session.record
    p, mine, c = step.prompts, record.move_on, content()
    stages = [(stage.label, stage.key) for stage in c.opportunity_stages]

    def opportunity_row(item: Opportunity | None) -> Row[Opportunity]:
        company = labelled(
            text_input(item.company if item else ""),
            p["opportunities.company"].label,
            p["opportunities.company"].hint,
        )
        role = labelled(
            text_input(item.role if item else ""),
            p["opportunities.role"].label,
            p["opportunities.role"].hint,
        )
        stage = labelled(
            choice_input(stages, item.stage if item else "applied"),
            p["opportunities.stage"].label,
            p["opportunities.stage"].hint,
        )
        next_step = labelled(
            text_input(item.next_step if item else ""),
            p["opportunities.next_step"].label,
            p["opportunities.next_step"].hint,
        )
        next_date = labelled(
            date_input(item.next_date if item else None),
            p["opportunities.next_date"].label,
            p["opportunities.next_date"].hint,
        )

        def read() -> Opportunity | None:
            if not company.value.strip():
                return None
            return Opportunity(
                company=company.value,
                role=role.value,
                stage=stage.value,
                next_step=next_step.value,
                next_date=next_date.value,
            )

        layout = W.VBox([W.HBox([company, role, stage]), W.HBox([next_step, next_date])])
        return Row([company, role, stage, next_step, next_date], read, layout)

    body = [
        RowList(
            session,
            mine.opportunities,
            opportunity_row,
            setter("move_on", "opportunities"),
            **titled(p["opportunities"]),
            noun="opportunity",
        ).widget,
        bound_field(
            session,
            step,
            "target_live",
            W.IntSlider(value=mine.target_live, min=1, max=20, continuous_update=False),
            setter("move_on", "target_live"),
        ),
        bound_field(
            session,
            step,
            "response_by",
            date_input(mine.response_by),
            setter("move_on", "response_by"),
        ),
        bound_field(
            session,
            step,
            "worry_time",
            W.TimePicker(value=mine.worry_time),
            setter("move_on", "worry_time"),
        ),
        guide(c.worry_postponement),
        bound_field(
            session,
            step,
            "closed",
            W.Checkbox(value=mine.closed, indent=False),
            setter("move_on", "closed"),
        ),
        guide(c.close_interview),
    ]
    result = preview(
        session,
        views.move_on_html,
        key=lambda r: (r.move_on, r.letters.sent_on, r.interview),
    )
    return step_form(step, session, body, result)
