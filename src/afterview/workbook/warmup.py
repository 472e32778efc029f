"""A process warmed up for the reports it will draw: one fictional client, rendered once.

The batch forks every client's kernel from a template process (:mod:`afterview.batch.kernels`).
Imports alone leave matplotlib's first drawing (font cache, text layout, the Agg renderer),
Jinja's template compilation and the content's parsing to each kernel, about 0.3-0.5 s apiece.
:func:`run` pays those costs once in the template, on a made-up record that belongs to nobody,
so every forked kernel inherits them. No client record is ever read here.
"""

from __future__ import annotations

import datetime as dt

from afterview.record.schema import Record
from afterview.workbook import views

__all__ = ["fictional_record", "run"]


def fictional_record() -> Record:
    """A complete, made-up record: every step filled in, so every chart and view is drawn."""
    return Record.model_validate(
        {
            "candidate": {"name": "Sample Person"},
            "interview": {
                "company": "Example Works",
                "role": "Analyst",
                "date": dt.date(2026, 1, 14),
                "time": dt.time(10, 0),
                "timezone": "Europe/London",
            },
            "interviewers": [
                {"name": "Alex Example", "title": "Team lead"},
                {"name": "Sam Sample", "title": "Analyst", "concern": "little team experience"},
            ],
            "requirements": ["Clear reporting", "Working with data", "Leading a small team"],
            "questions": [
                {
                    "text": "Tell us about a hard project.",
                    "asked_by": "Alex Example",
                    "went": "badly",
                },
                {
                    "text": "How do you check your numbers?",
                    "asked_by": "Sam Sample",
                    "went": "well",
                },
            ],
            "perspective": {
                "emotions": [{"name": "worry", "before": 80, "after": 40}],
                "automatic_thought": "It went badly.",
                "evidence_against": ["They asked when I could start."],
                "balanced_thought": "One answer was weak; the rest went fine.",
                "belief": 60,
                "rating_later": 6,
            },
            "letters": {
                "plans": [
                    {
                        "interviewer": "Alex Example",
                        "question": "Tell us about a hard project.",
                        "reanswer": "I moved a late report back on track in two weeks.",
                        "personal_note": "the walk through the new office",
                    }
                ]
            },
            "strengths": {
                "map": [
                    {
                        "requirement": "Working with data",
                        "evidence": "Cut errors by 30%",
                        "shown": True,
                    },
                    {
                        "requirement": "Leading a small team",
                        "evidence": "Led three people",
                        "mention": True,
                    },
                ]
            },
            "lessons": {
                "root_causes": [{"category": "no specific examples ready"}],
                "if_then": [{"if": "I blank on a question", "then": "I ask for a moment"}],
                "checklist": ["Prepare two stories with numbers"],
            },
            "move_on": {
                "opportunities": [
                    {"company": "Sample Co", "stage": "applied"},
                    {"company": "Demo Ltd", "stage": "interviewing"},
                ]
            },
        }
    )


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
