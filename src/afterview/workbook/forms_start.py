"""Forms for the interview's facts and step 1, keeping perspective (see :mod:`.forms`)."""

from __future__ import annotations

import functools
import zoneinfo

import ipywidgets as W

from afterview.coaching.content import content
from afterview.record.schema import Interviewer, LetterPlan, Record
from afterview.workbook import views
from afterview.workbook.fields import Item, ask, rows, step_form, strings, ticks
from afterview.workbook.session import Session
from afterview.workbook.widgets import guide, ideas

__all__ = ["intake_form", "perspective_form"]


# --- intake ---------------------------------------------------------------------------------


@functools.cache
def _zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def _names(record: Record) -> list[str]:
    return [person.name for person in record.interviewers]


def _set_interviewers(record: Record, people: list[Interviewer]) -> None:
    """Replace the interviewers; a renamed one keeps their letter plan, a removed one loses it."""
    old = [person.name for person in record.interviewers]
    new = [person.name for person in people]
    renamed = dict(zip(old, new, strict=True)) if len(old) == len(new) else {}
    plans = []
    for plan in record.letters.plans:
        name = renamed.get(plan.interviewer, plan.interviewer)
        if name in new:
            plans.append(LetterPlan.model_validate({**plan.model_dump(), "interviewer": name}))
    for question in record.questions:
        if question.asked_by in renamed:
            question.asked_by = renamed[question.asked_by]
    record.letters.plans = plans
    record.interviewers = people


INTAKE: tuple[Item, ...] = (
    ask("candidate.name"),
    ask("candidate.email"),
    ask("candidate.phone"),
    ask("candidate.timezone", suggest=lambda _record: _zones(), live=False),
    ask("candidate.id", coach=True),
    ask("interview.company"),
    ask("interview.role"),
    ask("interview.date"),
    ask("interview.time"),
    ask("interview.timezone", suggest=lambda _record: _zones(), live=False),
    ask("interview.format"),
    ask("interview.stage"),
    ask("interview.minutes"),
    ask("interview.country"),
    ask("interview.subdivision"),
    ask("interview.self_rating"),
    rows(
        "interviewers",
        [ask("name", live=False), "title", "email"],
        ["concern"],
        noun="interviewer",
        title="Interviewers",
        hint="name",
        apply=_set_interviewers,
        strict=True,  # skipping a half-filled row would drop that interviewer's letter plan
    ),
    strings("requirements", noun="requirement"),
    rows(
        "questions",
        ["text"],
        [ask("asked_by", pick=_names, blank="(not sure)"), "went"],
        [ask("requirement", pick=lambda record: list(record.requirements), blank="(none)")],
        ["note"],
        noun="question",
        title="Questions they asked",
        hint="text",
    ),
    ask("interview.inappropriate_remark", long=True),
    ask("coach_notes", long=True, coach=True),
)


def intake_form(session: Session, *, coach: bool = False) -> W.VBox:
    """The facts of the interview: who, what, when, who asked what and how it went."""
    return step_form(
        session, "intake", INTAKE, lambda r: views.intake_html(r, coach=coach), coach=coach
    )


# --- step 1: perspective --------------------------------------------------------------------


PERSPECTIVE: tuple[Item, ...] = (
    ask("perspective.situation", long=True),
    rows(
        "perspective.emotions", [ask("name", suggest="emotions"), "before", "after"], noun="emotion"
    ),
    ask("perspective.automatic_thought", long=True),
    ask("perspective.thought_belief"),
    strings("perspective.evidence_for", noun="piece of evidence"),
    strings("perspective.evidence_against", noun="piece of evidence"),
    lambda _s, _b: ideas("Ideas for evidence against", content().evidence_against_examples),
    ticks("perspective.thinking_traps", "thinking_traps"),
    ask("perspective.balanced_thought", long=True),
    ask("perspective.belief"),
    ask("perspective.thought_belief_after"),
    ask("perspective.rating_later"),
    ask("perspective.coach_rating", coach=True),
    ask("perspective.self_compassion", long=True),
    lambda _s, _b: guide(content().self_compassion),
    ask("result.status"),
    ask("result.on"),
)


def _rated(record: Record) -> object:
    """What the thought record's results show: the record and both ratings."""
    return record.perspective, record.interview.self_rating, record.result


def perspective_form(session: Session, *, coach: bool = False, calibration: str = "") -> W.VBox:
    """The thought record: emotions, the thought, the evidence, the traps, a balanced view;
    ``calibration`` (the coach's switch) is the practice's sentence, shown with the results."""
    shows = functools.partial(views.thought_record_html, calibration=calibration)
    return step_form(session, "perspective", PERSPECTIVE, shows, coach=coach, changes=_rated)
