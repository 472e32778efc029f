"""Forms for the interview's facts and step 1, keeping perspective (see :mod:`.forms`)."""

from __future__ import annotations

import zoneinfo
from typing import Any

import ipywidgets as W

from afterview.coaching.content import content
from afterview.record.schema import Emotion, Interviewer, LetterPlan, Question, Record
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
    ideas,
    labelled,
    none_if_blank,
    optional_slider,
    preview,
    read_optional,
    setter,
    step_form,
    step_prompts,
    string_list,
    text_input,
    titled,
)

__all__ = ["intake_form", "perspective_form"]


# --- intake ---------------------------------------------------------------------------------


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


def intake_form(session: Session, *, coach: bool = False) -> W.VBox:
    """The facts of the interview: who, what, when, who asked what and how it went."""
    step, record = step_prompts("intake"), session.record
    p, interview = step.prompts, record.interview
    c = content()
    zones = sorted(zoneinfo.available_timezones())

    def person_row(person: Interviewer | None) -> Row[Interviewer]:
        name = labelled(
            W.Text(person.name if person else "", continuous_update=False),
            p["interviewers.name"].label,
            p["interviewers.name"].hint,
        )
        title = labelled(
            text_input(person.title if person else ""),
            p["interviewers.title"].label,
            p["interviewers.title"].hint,
        )
        email = labelled(
            text_input((person.email or "") if person else ""),
            p["interviewers.email"].label,
            p["interviewers.email"].hint,
        )
        concern = labelled(
            text_input(person.concern if person else ""),
            p["interviewers.concern"].label,
            p["interviewers.concern"].hint,
        )
        concern.layout.width = "100%"

        def read() -> Interviewer | None:
            # A half-filled row is an error, not a skipped row: skipping it would drop this
            # interviewer's letter plan along with them.
            if not any(w.value.strip() for w in (name, title, email, concern)):
                return None
            return Interviewer(
                name=name.value,
                title=title.value,
                email=none_if_blank(email.value),
                concern=concern.value,
            )

        return Row(
            [name, title, email, concern], read, W.VBox([W.HBox([name, title, email]), concern])
        )

    names = [person.name for person in record.interviewers]

    def question_row(question: Question | None) -> Row[Question]:
        text = labelled(
            text_input(question.text if question else ""),
            p["questions.text"].label,
            p["questions.text"].hint,
        )
        asked = labelled(
            choice_input(
                [(n, n) for n in names],
                (question.asked_by or "") if question else "",
                blank="(not sure)",
            ),
            p["questions.asked_by"].label,
            p["questions.asked_by"].hint,
        )
        went = labelled(
            choice_input(
                [(o.label, o.key) for o in c.outcomes], question.went if question else "mixed"
            ),
            p["questions.went"].label,
            p["questions.went"].hint,
        )
        note = labelled(
            text_input(question.note if question else ""),
            p["questions.note"].label,
            p["questions.note"].hint,
        )
        text.layout.width = "100%"
        note.layout.width = "100%"

        def read() -> Question | None:
            if not text.value.strip():
                return None
            return Question(
                text=text.value, asked_by=asked.value or None, went=went.value, note=note.value
            )

        return Row(
            [text, asked, went, note],
            read,
            W.VBox([text, W.HBox([asked, went]), note], layout=W.Layout(width="100%")),
        )

    body = [
        bound_field(
            session,
            step,
            "candidate.name",
            text_input(record.candidate.name),
            setter("candidate", "name"),
        ),
        bound_field(
            session,
            step,
            "candidate.email",
            text_input(record.candidate.email or ""),
            setter("candidate", "email", none_if_blank),
        ),
        bound_field(
            session,
            step,
            "candidate.phone",
            text_input(record.candidate.phone or ""),
            setter("candidate", "phone", none_if_blank),
        ),
        bound_field(
            session,
            step,
            "interview.company",
            text_input(interview.company),
            setter("interview", "company"),
        ),
        bound_field(
            session, step, "interview.role", text_input(interview.role), setter("interview", "role")
        ),
        bound_field(
            session, step, "interview.date", date_input(interview.date), setter("interview", "date")
        ),
        bound_field(
            session,
            step,
            "interview.time",
            W.TimePicker(value=interview.time),
            setter("interview", "time"),
        ),
        bound_field(
            session,
            step,
            "interview.timezone",
            W.Combobox(
                value=interview.timezone,
                options=zones,
                ensure_option=False,
                continuous_update=False,
            ),
            setter("interview", "timezone"),
        ),
        bound_field(
            session,
            step,
            "interview.format",
            choice_input([(f.label, f.key) for f in c.formats], interview.format),
            setter("interview", "format"),
        ),
        bound_field(
            session,
            step,
            "interview.stage",
            choice_input([(s.label, s.key) for s in c.stages], interview.stage),
            setter("interview", "stage"),
        ),
        bound_field(
            session,
            step,
            "interview.self_rating",
            optional_slider(interview.self_rating, 1, 10),
            setter("interview", "self_rating", read_optional),
        ),
        RowList(
            session,
            record.interviewers,
            person_row,
            _set_interviewers,
            label="Interviewers",
            hint=p["interviewers.name"].hint,
            noun="interviewer",
        ).widget,
        string_list(
            session,
            record.requirements,
            setter("", "requirements"),
            **titled(p["requirements"]),
            noun="requirement",
        ).widget,
        RowList(
            session,
            record.questions,
            question_row,
            setter("", "questions"),
            label="Questions they asked",
            hint=p["questions.text"].hint,
            noun="question",
        ).widget,
    ]
    if coach:
        body.append(
            bound_field(
                session,
                step,
                "coach_notes",
                text_input(record.coach_notes, long=True),
                setter("", "coach_notes"),
            )
        )
    result = preview(session, lambda r: views.intake_html(r, coach=coach))
    return step_form(step, session, body, result)


# --- step 1: perspective --------------------------------------------------------------------


def perspective_form(session: Session, *, coach: bool = False) -> W.VBox:
    """The thought record: emotions, the thought, the evidence, the traps, a balanced view."""
    step, record = step_prompts("perspective"), session.record
    p, mine, c = step.prompts, record.perspective, content()

    def emotion_row(emotion: Emotion | None) -> Row[Emotion]:
        name = labelled(
            W.Combobox(
                value=emotion.name if emotion else "",
                options=c.emotions,
                ensure_option=False,
            ),
            p["emotions.name"].label,
            p["emotions.name"].hint,
        )
        before = labelled(
            W.IntSlider(
                value=emotion.before if emotion else 50, min=0, max=100, continuous_update=False
            ),
            p["emotions.before"].label,
            p["emotions.before"].hint,
        )
        after = labelled(
            optional_slider(emotion.after if emotion else None, 0, 100),
            p["emotions.after"].label,
            p["emotions.after"].hint,
        )

        def read() -> Emotion | None:
            if not name.value.strip():
                return None
            return Emotion(name=name.value, before=before.value, after=read_optional(after.value))

        return Row([name, before, after], read)

    traps = {
        trap.key: W.Checkbox(
            value=trap.key in mine.thinking_traps,
            description=trap.label,
            tooltip=trap.hint,
            indent=False,
        )
        for trap in c.thinking_traps
    }
    unknown = [key for key in mine.thinking_traps if key not in traps]

    def set_traps(record: Record, _value: Any) -> None:
        record.perspective.thinking_traps = [k for k, box in traps.items() if box.value] + unknown

    trap_rows = [
        W.HBox(
            [
                bind(session, box, set_traps),
                W.HTML(f"<span style='color:#444'>{views.e(trap.hint)}</span>"),
            ]
        )
        for trap, box in zip(c.thinking_traps, traps.values(), strict=True)
    ]
    ideas_against = ideas("Ideas for evidence against", c.evidence_against_examples)
    body = [
        bound_field(
            session,
            step,
            "situation",
            text_input(mine.situation, long=True),
            setter("perspective", "situation"),
        ),
        RowList(
            session,
            mine.emotions,
            emotion_row,
            setter("perspective", "emotions"),
            **titled(p["emotions"]),
            noun="emotion",
        ).widget,
        bound_field(
            session,
            step,
            "automatic_thought",
            text_input(mine.automatic_thought, long=True),
            setter("perspective", "automatic_thought"),
        ),
        string_list(
            session,
            mine.evidence_for,
            setter("perspective", "evidence_for"),
            **titled(p["evidence_for"]),
            noun="piece of evidence",
        ).widget,
        string_list(
            session,
            mine.evidence_against,
            setter("perspective", "evidence_against"),
            **titled(p["evidence_against"]),
            noun="piece of evidence",
        ).widget,
        ideas_against,
        W.HTML(
            f"<strong>{views.e(p['thinking_traps'].label)}</strong> "
            f"<span style='color:#444'>{views.e(p['thinking_traps'].hint)}</span>"
        ),
        *trap_rows,
        bound_field(
            session,
            step,
            "balanced_thought",
            text_input(mine.balanced_thought, long=True),
            setter("perspective", "balanced_thought"),
        ),
        bound_field(
            session,
            step,
            "belief",
            optional_slider(mine.belief, 0, 100),
            setter("perspective", "belief", read_optional),
        ),
        bound_field(
            session,
            step,
            "rating_later",
            optional_slider(mine.rating_later, 1, 10),
            setter("perspective", "rating_later", read_optional),
        ),
    ]
    if coach:
        body.append(
            bound_field(
                session,
                step,
                "coach_rating",
                optional_slider(mine.coach_rating, 1, 10),
                setter("perspective", "coach_rating", read_optional),
            )
        )
    body += [
        bound_field(
            session,
            step,
            "self_compassion",
            text_input(mine.self_compassion, long=True),
            setter("perspective", "self_compassion"),
        ),
        guide(c.self_compassion),
    ]
    result = preview(
        session, views.thought_record_html, key=lambda r: (r.perspective, r.interview.self_rating)
    )
    return step_form(step, session, body, result)
