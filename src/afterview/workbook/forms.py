"""The guided forms of the workbook: one per step, each bound to a :class:`Session`.

Every form is prefilled from the record, shows the step's prompt beside each field (from
:mod:`~afterview.coaching.content`), saves each change at once, shows whether it was saved,
and keeps a live preview of the step's results (the same :mod:`.views` a headless run shows).
:func:`workbook` puts all the steps in tabs; the self-guided web app reuses it.
"""

from __future__ import annotations

import ipywidgets as W

from afterview.workbook.forms_letters import letters_form, strengths_form
from afterview.workbook.forms_review import lessons_form, move_on_form
from afterview.workbook.forms_start import intake_form, perspective_form
from afterview.workbook.session import Session
from afterview.workbook.widgets import step_prompts

__all__ = [
    "intake_form",
    "lessons_form",
    "letters_form",
    "move_on_form",
    "perspective_form",
    "strengths_form",
    "workbook",
]


# --- all steps ------------------------------------------------------------------------------


def workbook(session: Session, *, coach: bool = False, calibration: str = "") -> W.Tab:
    """Every step in one set of tabs: the facts first, then the five steps in order
    (``calibration``: the practice's sentence for step 1, when the coach switched it on)."""
    steps = [
        ("intake", intake_form(session, coach=coach)),
        ("perspective", perspective_form(session, coach=coach, calibration=calibration)),
        ("letters", letters_form(session)),
        ("strengths", strengths_form(session)),
        ("lessons", lessons_form(session)),
        ("move_on", move_on_form(session)),
    ]
    titles = [
        f"{number}. {step_prompts(key).title}" if number else step_prompts(key).title
        for number, (key, _) in enumerate(steps)
    ]
    return W.Tab(children=[form for _, form in steps], titles=titles)
