"""A made-up client who belongs to nobody: every step filled in, for warming processes up.

Both the batch's kernel template (:mod:`afterview.workbook.warmup`) and the batch process itself
(:func:`afterview.batch.runner.warm_up`) pay their first-use costs on this record, so no client
pays them and no client record is read before its own run.
"""

from __future__ import annotations

import datetime as dt

from afterview.record.schema import Record

__all__ = ["fictional_record"]


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
