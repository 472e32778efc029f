"""The interview's facts and step 1 (keep perspective) as HTML.

Part of the step views; notebooks and forms call them through :mod:`.views`.
"""

from __future__ import annotations

from afterview.coaching.content import content
from afterview.record.schema import Record
from afterview.workbook import charts
from afterview.workbook.markup import blank, bullets, day, e, heading, page, paragraph, table

__all__ = ["calibration_html", "coach_notes_html", "intake_html", "thought_record_html"]

WENT_WORDS = {"well": "went well", "mixed": "mixed", "badly": "went badly"}


def intake_html(record: Record, *, coach: bool = False) -> str:
    """The facts of the interview: who, where, when, who asked what and how it went."""
    interview = record.interview
    facts = [
        ("Candidate", record.candidate.name),
        ("Company", interview.company),
        ("Role", interview.role),
        ("When", day(interview.starts_at)),
        ("Format", content().label("formats", interview.format)),
        ("Stage", content().label("stages", interview.stage)),
        ("How it went, right after (1-10)", blank(interview.self_rating)),
    ]
    facts_table = "".join(
        f'<tr><th scope="row">{e(key)}</th><td>{e(value)}</td></tr>' for key, value in facts
    )
    people = [(p.name, p.title, p.concern) for p in record.interviewers]
    questions = [(q.text, blank(q.asked_by), WENT_WORDS[q.went], q.note) for q in record.questions]
    parts = [
        heading("The facts"),
        f"<table><tbody>{facts_table}</tbody></table>",
        heading("Interviewers"),
        table(["Name", "Title", "A doubt they seemed to have"], people, "No interviewers yet."),
        heading("What the job asks for"),
        bullets(record.requirements, "No requirements written down yet."),
        heading("Questions asked"),
        table(["Question", "Asked by", "How it went", "Note"], questions, "No questions yet."),
    ]
    if coach:
        parts.append(coach_notes_html(record, wrap=False))
    return page(*parts)


def coach_notes_html(record: Record, *, wrap: bool = True) -> str:
    """The coach's private notes. Only for the coach's own view, never for the client."""
    body = heading("Coach's notes (not for the client)") + paragraph(
        record.coach_notes, "No coach notes."
    )
    return page(body) if wrap else body


# --- step 1: keep perspective ---------------------------------------------------------------


def thought_record_html(record: Record, *, with_charts: bool = True, calibration: str = "") -> str:
    """The thought record: emotions, the automatic and the balanced thought, the ratings.

    ``calibration``: the practice's sentence on how low ratings turned out, shown beside the
    ratings when the coach switched it on (empty: not shown).
    """
    p = record.perspective
    parts = [
        *_feelings(record, with_charts),
        *_thoughts(record),
        *_ratings(record, with_charts, calibration),
    ]
    if p.self_compassion:
        parts += [heading("A kind word to yourself"), paragraph(p.self_compassion)]
    return page(*parts)


def _feelings(record: Record, with_charts: bool) -> list[str]:
    """The situation and the emotions rated before and after (with their chart)."""
    p = record.perspective
    emotions = [(em.name, em.before, blank(em.after)) for em in p.emotions]
    parts = [
        heading("The situation"),
        paragraph(p.situation),
        heading("Emotions (0-100)"),
        table(["Emotion", "Before", "After re-rating"], emotions, "No emotions rated yet."),
    ]
    if with_charts and p.emotions:
        parts.append(
            charts.chart_html(
                charts.emotions_chart,
                record,
                "Bar chart of each emotion before and after re-rating",
            )
        )
    return parts


def _thoughts(record: Record) -> list[str]:
    """The automatic thought, the evidence, the traps, the balanced thought and the beliefs."""
    p = record.perspective
    traps = [f"{content().label('thinking_traps', key)}" for key in p.thinking_traps]
    belief = f" (believed {p.belief} %)" if p.belief is not None and p.balanced_thought else ""
    beliefs = [
        ("The automatic thought", _percent(p.thought_belief), _percent(p.thought_belief_after)),
        ("The balanced thought", "—", _percent(p.belief)),
    ]
    return [
        heading("The automatic thought"),
        paragraph(p.automatic_thought),
        heading("Evidence for it"),
        bullets(p.evidence_for),
        heading("Evidence against it"),
        bullets(p.evidence_against),
        heading("Thinking traps spotted"),
        bullets(traps, "None ticked yet."),
        heading("A more balanced thought"),
        paragraph(p.balanced_thought + belief if p.balanced_thought else ""),
        heading("How much you believe each thought (0-100)"),
        table(["Thought", "Before the exercise", "After it"], beliefs, ""),
    ]


def _ratings(record: Record, with_charts: bool, calibration: str) -> list[str]:
    """The 1-10 ratings over time, the calibration sentence if any, and the ratings' chart."""
    p = record.perspective
    ratings = [
        ("Right after the interview", blank(record.interview.self_rating)),
        ("Later, after this exercise", blank(p.rating_later)),
        ("The coach's view", blank(p.coach_rating)),
        ("What happened next", _outcome(record)),
    ]
    parts = [
        heading("How did it go? (1-10)"),
        table(["When", "Rating"], ratings, ""),
        _calibration(calibration),
    ]
    if with_charts:
        parts.append(
            charts.chart_html(
                charts.ratings_chart,
                record,
                "Bar chart of the interview ratings",
                empty="No ratings yet.",
            )
        )
    return parts


def _calibration(sentence: str) -> str:
    if not sentence:
        return ""
    words = content().caseload
    return (
        f'<div class="av-box av-calibration">{heading(words.calibration_heading)}'
        f"<p><strong>{e(sentence)}</strong></p><p>{e(words.calibration_note)}</p></div>"
    )


def calibration_html(sentence: str) -> str:
    """The practice's calibration sentence on its own (above step 1's form); empty if none."""
    return page(_calibration(sentence)) if sentence else ""


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def _outcome(record: Record) -> str:
    result = record.result
    label = content().label("result_statuses", result.status)
    return f"{label} ({day(result.on)})" if result.on else label
