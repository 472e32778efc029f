"""Each step's results as HTML, from the record alone.

These are what a headless run (papermill, the batch report) displays and what the interactive
forms show as live previews: one function per step, record in, HTML string out. Everything
from the record is escaped. Coach-only notes appear only when ``coach=True`` is passed.

These modules build them: :mod:`.views_start` (the facts, step 1), :mod:`.views_letters`
(steps 2-3) and :mod:`.views_review` (steps 4-5, history, the action plan), from the blocks in
:mod:`.markup`. Notebooks and forms call them all through this module: ``views.X``.
"""

from __future__ import annotations

from afterview.workbook.markup import CSS, e, error_html
from afterview.workbook.views_letters import letters_html, strengths_html
from afterview.workbook.views_review import (
    action_plan_html,
    checklist,
    checklist_html,
    history_html,
    lessons_html,
    move_on_html,
)
from afterview.workbook.views_start import (
    calibration_html,
    coach_notes_html,
    intake_html,
    thought_record_html,
)

__all__ = [
    "CSS",
    "action_plan_html",
    "calibration_html",
    "checklist",
    "checklist_html",
    "coach_notes_html",
    "e",
    "error_html",
    "history_html",
    "intake_html",
    "lessons_html",
    "letters_html",
    "move_on_html",
    "strengths_html",
    "thought_record_html",
]
