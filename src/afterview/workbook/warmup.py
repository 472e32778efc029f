"""A process warmed up for the reports it will draw: one fictional client, rendered once.

The batch forks every client's kernel from a template process (:mod:`afterview.batch.kernels`).
Imports alone leave matplotlib's first drawing (font cache, text layout, the Agg renderer),
Jinja's template compilation and the content's parsing to each kernel, about 0.3-0.5 s apiece.
:func:`run` pays those costs once in the template, on a made-up record that belongs to nobody,
so every forked kernel inherits them. No client record is ever read here.
"""

from __future__ import annotations

from afterview.record.fictional import fictional_record
from afterview.workbook import views

__all__ = ["fictional_record", "run"]


def run() -> None:
    """Render every step view (and so every chart) of the fictional record once."""
    record = fictional_record()
    for view in (
        views.intake_html,
        views.thought_record_html,
        views.letters_html,
        views.strengths_html,
        views.lessons_html,
        views.move_on_html,
        views.action_plan_html,
    ):
        view(record)
