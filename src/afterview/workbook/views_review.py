"""Steps 4 and 5 as HTML: the review, the person's history, moving on and the action plan.

Part of the step views; notebooks and forms call them through :mod:`.views`. The checklist for
the next interview is led by the causes that keep coming back across the person's interviews.
"""

from __future__ import annotations

import datetime as dt

from afterview.coaching import calendar, causes, clock
from afterview.coaching.content import content
from afterview.coaching.history import History
from afterview.record.schema import Record
from afterview.workbook import charts
from afterview.workbook.markup import (
    blank,
    bullets,
    day,
    e,
    heading,
    page,
    paragraph,
    plural,
    table,
)

__all__ = [
    "action_plan_html",
    "checklist",
    "checklist_html",
    "history_html",
    "lessons_html",
    "move_on_html",
]


# --- step 4: lessons ------------------------------------------------------------------------


def _if_then(record: Record) -> str:
    plans = [f"If {plan.when}, then {plan.then}" for plan in record.lessons.if_then]
    return bullets(plans, "No if-then plans yet.")


def lessons_html(
    record: Record,
    *,
    with_charts: bool = True,
    remedies: bool = True,
    past: History | None = None,
) -> str:
    """The after-action review, the root causes and the remedies (stories, plans, checklist).

    ``remedies=False`` leaves out the if-then plans and the checklist (the report shows them
    in its action plan instead). ``past``: the person's history, whose recurring causes lead
    the checklist (see :func:`checklist`).
    """
    lessons = record.lessons
    picked = [
        (content().label("root_causes", cause.category), cause.note, _remedy(cause.category))
        for cause in lessons.root_causes
    ]
    parts = [
        heading("What was supposed to happen"),
        paragraph(lessons.expected),
        heading("What actually happened"),
        paragraph(lessons.happened),
        heading("Why the difference"),
        paragraph(lessons.why),
        heading("Keep doing"),
        bullets(lessons.keep),
        heading("Change next time"),
        bullets(lessons.change),
        heading("Root causes"),
        table(["Cause", "Note", "What to do next time"], picked, "No root causes picked yet."),
        _suggestions(record),
    ]
    if with_charts and picked:
        parts.append(
            charts.chart_html(
                charts.root_causes_chart, record, "Bar chart of the root causes named"
            )
        )
    parts += [heading("Story bank (STAR)"), _stories(record)]
    parts += [heading("Practice sessions"), _practice(record)]
    if remedies:
        parts += _plans_and_checklist(record, past)
    return page(*parts)


def _stories(record: Record) -> str:
    """Each STAR story as a box headed by its question."""
    stories = []
    for story in record.lessons.star_stories:
        steps = "".join(
            f"<dt>{e(name)}</dt><dd>{e(blank(text))}</dd>"
            for name, text in (
                ("Situation", story.situation),
                ("Task", story.task),
                ("Action", story.action),
                ("Result", story.result),
            )
        )
        title = e(story.question or "A story")
        stories.append(f'<div class="av-box"><strong>{title}</strong><dl>{steps}</dl></div>')
    return "".join(stories) or '<p class="av-empty">No stories yet.</p>'


def _plans_and_checklist(record: Record, past: History | None) -> list[str]:
    """The if-then plans and the next interview's checklist (see :func:`checklist`)."""
    return [
        heading("If-then plans"),
        _if_then(record),
        heading("Checklist for the next interview"),
        bullets(checklist(record, past), "No checklist yet."),
    ]


def _remedy(category: str) -> str:
    found = content().choice("root_causes", category)
    return found.remedy if found is not None and found.remedy else "—"


def _suggestions(record: Record) -> str:
    found = causes.suggested_causes(record)
    if not found:
        return ""
    items = "".join(
        f"<li><strong>{e(item.label)}</strong>, from your note on “{e(item.question)}”: "
        f"{e(item.note)}</li>"
        for item in found
    )
    return (
        '<div class="av-finding av-finding-info"><strong>Your notes suggest:</strong>'
        f"<ul>{items}</ul>Add the ones that fit to your root causes.</div>"
    )


def _practice(record: Record) -> str:
    zone = clock.candidate_zone(record)
    rows = [
        (
            day(dt.datetime.combine(item.on, item.at, tzinfo=zone)),
            content().label("practice_kinds", item.kind),
            item.note,
        )
        for item in sorted(record.lessons.practice, key=lambda item: (item.on, item.at))
    ]
    return table(["When", "Practice", "What"], rows, "No practice sessions planned yet.")


# --- history across interviews -------------------------------------------------------------


def history_html(past: History | None) -> str:
    """The person's interviews in order and what keeps coming back; empty for one interview."""
    if past is None or not past.shown:
        return ""
    words = content().caseload
    rows = [
        (
            f"{visit.company} ({visit.role})" if visit.role else visit.company,
            day(visit.day),
            blank(visit.rating_then),
            blank(visit.rating_later),
            content().label("result_statuses", visit.outcome),
        )
        for visit in past.visits
    ]
    header = ["Interview", "Date", "Right after (1-10)", "Later (1-10)", "What happened"]
    parts = [heading(words.history_heading), table(header, rows, "")]
    if past.recurring:
        parts += [heading(words.recurring_heading), bullets(str(item) for item in past.recurring)]
    return page(*parts)


def _carried(past: History | None) -> list[tuple[str, str]]:
    """Each recurring cause's remedy, and the checklist line that marks where it comes from."""
    if past is None:
        return []
    words = content().caseload.from_earlier
    return [
        (item.remedy, words.format(reason=str(item), remedy=item.remedy))
        for item in past.recurring
        if item.remedy
    ]


def checklist(record: Record, past: History | None = None) -> list[str]:
    """The next interview's checklist: first the remedies for causes that keep coming back
    across the person's interviews, marked as such, then the record's own items."""
    carried = _carried(past)
    remedies = {remedy for remedy, _ in carried}
    own = [item for item in record.lessons.checklist if item not in remedies]
    return [line for _, line in carried] + own


def checklist_html(past: History | None) -> str:
    """Only the checklist lines carried over from earlier interviews (above step 4's form, whose
    own checklist holds the rest); empty when nothing keeps coming back."""
    carried = _carried(past)
    if not carried:
        return ""
    return page(heading("Checklist for the next interview"), bullets(line for _, line in carried))


# --- step 5: move on ------------------------------------------------------------------------


def _reminders_table(record: Record, now: dt.datetime | None = None) -> str:
    rows = [(day(r.start), r.title, r.description) for r in calendar.reminders(record, now)]
    return table(["Date", "What", "Details"], rows, "No dates yet.")


def _reached(record: Record) -> bool:
    """Has the client started step 5 (anything in it besides the defaults)?"""
    move_on = record.move_on
    return bool(move_on.opportunities or move_on.closed or move_on.worry_time)


def _pipeline_count(record: Record) -> str:
    if not _reached(record):
        return "<p><strong>Your pipeline:</strong> not recorded yet.</p>"
    live = len(record.live_opportunities())
    target = record.move_on.target_live
    count = f"<strong>{plural(live, 'live opportunity', 'live opportunities')}</strong>"
    if live >= target:
        return f"<p>{count}: at or above the target of {target}.</p>"
    return (
        f"<p>{count} of a target of {target}: add {target - live} more so one answer never "
        "decides everything.</p>"
    )


def move_on_html(
    record: Record, *, with_charts: bool = True, dates: bool = True, now: dt.datetime | None = None
) -> str:
    """The pipeline against the target of about six live opportunities, what this interview
    still needs, and the dates ahead.

    ``dates=False`` leaves out the follow-up dates (the report's action plan shows them).
    """
    move_on = record.move_on
    live = len(record.live_opportunities())
    target = move_on.target_live
    rows = [
        (o.company, o.role, o.stage, o.next_step, day(o.next_date) if o.next_date else "—")
        for o in move_on.opportunities
    ]
    parts = [
        heading("Your pipeline"),
        _pipeline_count(record),
        table(
            ["Company", "Role", "Stage", "Next step", "When"], rows, "No other opportunities yet."
        ),
    ]
    if with_charts and move_on.opportunities:
        parts.append(
            charts.chart_html(
                charts.pipeline_chart,
                record,
                f"Chart of opportunities by stage: {live} live, target {target}",
                empty="Nothing to chart yet.",
            )
        )
    parts += [heading("What this interview still needs"), bullets(calendar.left_to_do(record, now))]
    if dates:
        parts += [heading("Follow-up dates"), _reminders_table(record, now)]
    if move_on.worry_time is not None:
        first = dt.datetime.combine(
            record.interview.date, move_on.worry_time, tzinfo=clock.candidate_zone(record)
        )
        zone = clock.zone_label(first)
        parts.append(
            f"<p>Worry slot: {move_on.worry_time:%H:%M} {e(zone)} each day, for 20-30 minutes.</p>"
        )
    if move_on.closed:
        parts.append('<div class="av-ok">This interview is closed. Well done.</div>')
    return page(*parts)


def action_plan_html(
    record: Record, now: dt.datetime | None = None, *, past: History | None = None
) -> str:
    """What to do next: the if-then plans, the checklist (led by what keeps coming back across
    the person's interviews, with ``past``) and the follow-up dates."""
    return page(
        *_plans_and_checklist(record, past),
        heading("Dates to keep"),
        _reminders_table(record, now),
    )
