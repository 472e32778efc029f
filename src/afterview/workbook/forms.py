"""The guided forms of the workbook: one per step, each bound to a :class:`Session`.

Every form is prefilled from the record, shows the step's prompt beside each field (from
:mod:`~afterview.coaching.content`), saves each change at once, shows whether it was saved,
and keeps a live preview of the step's results (the same :mod:`.views` a headless run shows).
:func:`workbook` puts all the steps in tabs; the self-guided web app reuses it.
"""

from __future__ import annotations

from collections.abc import Callable

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


def workbook(
    session: Session, *, coach: bool = False, calibration: str = "", lazy: bool = False
) -> W.Tab:
    """Every step in one set of tabs: the facts first, then the five steps in order
    (``calibration``: the practice's sentence for step 1, when the coach switched it on).

    ``lazy=True`` builds a step's form when its tab is first opened (the app does this: the six
    forms together are about 2,000 widgets for a browser to draw before anything shows, one
    step a few hundred). A form built later starts from the record as it is then. (Building
    the other steps in the background once the page showed raced the browser's first fetch of
    the page's widgets, which then found none: "model not found".)
    """
    steps: list[tuple[str, Callable[[], W.Widget]]] = [
        ("intake", lambda: intake_form(session, coach=coach)),
        ("perspective", lambda: perspective_form(session, coach=coach, calibration=calibration)),
        ("letters", lambda: letters_form(session)),
        ("strengths", lambda: strengths_form(session)),
        ("lessons", lambda: lessons_form(session)),
        ("move_on", lambda: move_on_form(session)),
    ]
    titles = [
        f"{number}. {step_prompts(key).title}" if number else step_prompts(key).title
        for number, (key, _) in enumerate(steps)
    ]
    if not lazy:
        return W.Tab(children=[build() for _, build in steps], titles=titles)
    holders = [W.VBox() for _ in steps]
    tabs = W.Tab(children=holders, titles=titles)

    def fill(index: int) -> None:
        if not holders[index].children:
            holders[index].children = (steps[index][1](),)

    tabs.observe(lambda change: fill(tabs.selected_index or 0), names="selected_index")
    fill(tabs.selected_index or 0)
    return tabs
