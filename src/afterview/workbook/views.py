"""Each step's results as HTML, from the record alone.

These are what a headless run (papermill, the batch report) displays and what the interactive
forms show as live previews: one function per step, record in, HTML string out. Everything
from the record is escaped. Coach-only notes appear only when ``coach=True`` is passed.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence

from afterview.coaching import calendar, causes, checks, clock, letters, plans
from afterview.coaching.content import content
from afterview.coaching.history import History
from afterview.coaching.templating import stylesheet
from afterview.record.errors import AfterviewError
from afterview.record.schema import Record
from afterview.workbook import charts

__all__ = [
    "CSS",
    "action_plan_html",
    "calibration_html",
    "checklist",
    "checklist_html",
    "coach_notes_html",
    "error_html",
    "history_html",
    "intake_html",
    "lessons_html",
    "letters_html",
    "move_on_html",
    "strengths_html",
    "thought_record_html",
]

CSS = f"<style>\n{stylesheet('views.css')}</style>"
"""The views' own styles, for a notebook output (a report carries them in its <head>)."""

LEVEL_WORDS = {"error": "Fix before sending", "warning": "Worth a look", "info": "Note"}
WENT_WORDS = {"well": "went well", "mixed": "mixed", "badly": "went badly"}


def e(value: object) -> str:
    """Escape anything for HTML text or attributes."""
    return html.escape(str(value), quote=True)


def _page(*parts: str) -> str:
    return f'{CSS}<div class="av">{"".join(parts)}</div>'


def _h(text: str) -> str:
    return f"<h3>{e(text)}</h3>"


def _p(text: str, empty: str = "Nothing written yet.") -> str:
    if not text:
        return f'<p class="av-empty">{e(empty)}</p>'
    return f'<p style="white-space: pre-wrap">{e(text)}</p>'


def _list(items: Iterable[str], empty: str = "Nothing yet.") -> str:
    rows = "".join(f"<li>{e(item)}</li>" for item in items)
    return f"<ul>{rows}</ul>" if rows else f'<p class="av-empty">{e(empty)}</p>'


def _table(header: Sequence[str], rows: Sequence[Sequence[object]], empty: str) -> str:
    if not rows:
        return f'<p class="av-empty">{e(empty)}</p>'
    head = "".join(f'<th scope="col">{e(cell)}</th>' for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _day(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%a %d %b %Y, %H:%M} {clock.zone_label(value)}"
    return f"{value:%a %d %b %Y}"


def _plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def _blank(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def error_html(error: AfterviewError, *, what: str = "open this record") -> str:
    """A friendly box for an error: what went wrong, and what to do."""
    return _page(
        f'<div class="av-problem" role="alert"><strong>We couldn\'t {e(what)}.</strong> '
        f"{e(error)}</div>"
    )


# --- intake ---------------------------------------------------------------------------------


def intake_html(record: Record, *, coach: bool = False) -> str:
    """The facts of the interview: who, where, when, who asked what and how it went."""
    interview = record.interview
    facts = [
        ("Candidate", record.candidate.name),
        ("Company", interview.company),
        ("Role", interview.role),
        ("When", _day(interview.starts_at)),
        ("Format", content().label("formats", interview.format)),
        ("Stage", content().label("stages", interview.stage)),
        ("How it went, right after (1-10)", _blank(interview.self_rating)),
    ]
    facts_table = "".join(
        f'<tr><th scope="row">{e(key)}</th><td>{e(value)}</td></tr>' for key, value in facts
    )
    people = [(p.name, p.title, p.concern) for p in record.interviewers]
    questions = [(q.text, _blank(q.asked_by), WENT_WORDS[q.went], q.note) for q in record.questions]
    parts = [
        _h("The facts"),
        f"<table><tbody>{facts_table}</tbody></table>",
        _h("Interviewers"),
        _table(["Name", "Title", "A doubt they seemed to have"], people, "No interviewers yet."),
        _h("What the job asks for"),
        _list(record.requirements, "No requirements written down yet."),
        _h("Questions asked"),
        _table(["Question", "Asked by", "How it went", "Note"], questions, "No questions yet."),
    ]
    if coach:
        parts.append(coach_notes_html(record, wrap=False))
    return _page(*parts)


def coach_notes_html(record: Record, *, wrap: bool = True) -> str:
    """The coach's private notes. Only for the coach's own view, never for the client."""
    body = _h("Coach's notes (not for the client)") + _p(record.coach_notes, "No coach notes.")
    return _page(body) if wrap else body


# --- step 1: keep perspective ---------------------------------------------------------------


def thought_record_html(record: Record, *, with_charts: bool = True, calibration: str = "") -> str:
    """The thought record: emotions, the automatic and the balanced thought, the ratings.

    ``calibration``: the practice's sentence on how low ratings turned out, shown beside the
    ratings when the coach switched it on (empty: not shown).
    """
    p = record.perspective
    emotions = [(em.name, em.before, _blank(em.after)) for em in p.emotions]
    traps = [f"{content().label('thinking_traps', key)}" for key in p.thinking_traps]
    belief = f" (believed {p.belief} %)" if p.belief is not None and p.balanced_thought else ""
    ratings = [
        ("Right after the interview", _blank(record.interview.self_rating)),
        ("Later, after this exercise", _blank(p.rating_later)),
        ("The coach's view", _blank(p.coach_rating)),
        ("What happened next", _outcome(record)),
    ]
    beliefs = [
        ("The automatic thought", _percent(p.thought_belief), _percent(p.thought_belief_after)),
        ("The balanced thought", "—", _percent(p.belief)),
    ]
    parts = [
        _h("The situation"),
        _p(p.situation),
        _h("Emotions (0-100)"),
        _table(["Emotion", "Before", "After re-rating"], emotions, "No emotions rated yet."),
    ]
    if with_charts and p.emotions:
        parts.append(
            charts.chart_html(
                charts.emotions_chart,
                record,
                "Bar chart of each emotion before and after re-rating",
            )
        )
    parts += [
        _h("The automatic thought"),
        _p(p.automatic_thought),
        _h("Evidence for it"),
        _list(p.evidence_for),
        _h("Evidence against it"),
        _list(p.evidence_against),
        _h("Thinking traps spotted"),
        _list(traps, "None ticked yet."),
        _h("A more balanced thought"),
        _p(p.balanced_thought + belief if p.balanced_thought else ""),
        _h("How much you believe each thought (0-100)"),
        _table(["Thought", "Before the exercise", "After it"], beliefs, ""),
        _h("How did it go? (1-10)"),
        _table(["When", "Rating"], ratings, ""),
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
    if p.self_compassion:
        parts += [_h("A kind word to yourself"), _p(p.self_compassion)]
    return _page(*parts)


def _calibration(sentence: str) -> str:
    if not sentence:
        return ""
    words = content().caseload
    return (
        f'<div class="av-box av-calibration">{_h(words.calibration_heading)}'
        f"<p><strong>{e(sentence)}</strong></p><p>{e(words.calibration_note)}</p></div>"
    )


def calibration_html(sentence: str) -> str:
    """The practice's calibration sentence on its own (above step 1's form); empty if none."""
    return _page(_calibration(sentence)) if sentence else ""


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def _outcome(record: Record) -> str:
    result = record.result
    label = content().label("result_statuses", result.status)
    return f"{label} ({_day(result.on)})" if result.on else label


# --- step 2: the thank-you letters ----------------------------------------------------------


def _finding_html(finding: checks.Finding) -> str:
    fix = f'<br><span class="av-meta">What to do: {e(finding.fix)}</span>' if finding.fix else ""
    return (
        f'<div class="av-finding av-finding-{e(finding.level)}">'
        f"<strong>{e(LEVEL_WORDS.get(finding.level, finding.level))}:</strong> "
        f"{e(finding.message)}{fix}</div>"
    )


def letters_html(record: Record, now: dt.datetime | None = None) -> str:
    """One box per interviewer: their letter with its status and what the checks found beside
    it, or "not started" and the one next step when there is no plan for it yet."""
    try:
        drafts = {draft.interviewer.name: draft for draft in letters.render_letters(record)}
    except AfterviewError as error:
        return error_html(error, what="write the letters")
    findings = checks.check_letters(record, list(drafts.values()), now=now)
    sent = plans.all_sent_on(record)
    if sent is not None:
        when = f"<p>Sent on {e(_day(sent))}.</p>"
    else:
        note = checks.send_by_note(record)
        when = (
            f"<p><strong>Send by {e(_day(checks.send_by(record)))}</strong>"
            + (f": that {e(note)}" if note else "")
            + ".</p>"
        )
    general = [f for f in findings if f.interviewer is None]
    parts = [when, "".join(_finding_html(f) for f in general)]
    for person in record.interviewers:
        own = [f for f in findings if f.interviewer == person.name]
        draft = drafts.get(person.name)
        title = f", {person.title}" if person.title else ""
        heading = f"<h3>Letter to {e(person.name)}{e(title)}</h3>"
        if draft is None:
            parts.append(
                f'<section class="av-box" aria-label="Letter to {e(person.name)}">{heading}'
                '<p class="av-meta"><strong>Not started.</strong></p></section>'
                + "".join(_finding_html(f) for f in own)
            )
            continue
        parts.append(_letter_box(record, draft, heading, own))
    return _page(*parts)


def _letter_box(
    record: Record, draft: letters.Letter, heading: str, own: list[checks.Finding]
) -> str:
    person = draft.interviewer
    day = plans.sent_on(record, person.name)
    status = f"Sent on {e(_day(day))}" if day else "Draft, not sent yet"
    if person.email:
        to = f"To: {e(person.name)} &lt;{e(person.email)}&gt;"
    else:
        to = (
            "To: <em>left empty on purpose: no email address for "
            f"{e(person.name)} yet; type it into the draft before sending</em>"
        )
    checked = "".join(_finding_html(f) for f in own) or (
        '<div class="av-ok">No problems found in this letter.</div>'
    )
    return (
        f'<section class="av-box" aria-label="Letter to {e(person.name)}">{heading}'
        f'<p class="av-meta">{status}<br>{to}<br>'
        f"Subject: {e(draft.subject)}<br>{draft.word_count} words (aim for 100-200)</p>"
        f'<div class="av-letter">{e(draft.body)}</div></section>'
        f"{checked}"
    )


# --- step 3: strengths ----------------------------------------------------------------------


def strengths_html(record: Record, *, with_charts: bool = True) -> str:
    """The requirements mapped to evidence, and which strengths go into the letters."""
    rows = [
        (
            s.requirement,
            s.evidence or "—",
            "yes" if s.shown else "not yet",
            "yes" if s.mention else "no",
        )
        for s in record.strengths.map
    ]
    mention = [
        f"{s.requirement}: {s.evidence}" if s.evidence else s.requirement
        for s in letters.strengths_to_mention(record)
    ]
    parts = [
        _h("Requirements and your evidence"),
        _table(
            ["Requirement", "Evidence", "Got it across?", "In the letter"],
            rows,
            "No strengths mapped yet.",
        ),
        _h("To mention in your letters"),
        _list(mention, "None picked yet."),
    ]
    if with_charts:
        parts.append(
            charts.chart_html(
                charts.requirements_chart,
                record,
                "Chart of which job requirements were covered",
                empty="No requirements written down yet.",
            )
        )
    return _page(*parts)


# --- step 4: lessons ------------------------------------------------------------------------


def _if_then(record: Record) -> str:
    plans = [f"If {plan.when}, then {plan.then}" for plan in record.lessons.if_then]
    return _list(plans, "No if-then plans yet.")


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
    stories = []
    for story in lessons.star_stories:
        steps = "".join(
            f"<dt>{e(name)}</dt><dd>{e(_blank(text))}</dd>"
            for name, text in (
                ("Situation", story.situation),
                ("Task", story.task),
                ("Action", story.action),
                ("Result", story.result),
            )
        )
        title = e(story.question or "A story")
        stories.append(f'<div class="av-box"><strong>{title}</strong><dl>{steps}</dl></div>')
    parts = [
        _h("What was supposed to happen"),
        _p(lessons.expected),
        _h("What actually happened"),
        _p(lessons.happened),
        _h("Why the difference"),
        _p(lessons.why),
        _h("Keep doing"),
        _list(lessons.keep),
        _h("Change next time"),
        _list(lessons.change),
        _h("Root causes"),
        _table(["Cause", "Note", "What to do next time"], picked, "No root causes picked yet."),
        _suggestions(record),
    ]
    if with_charts and picked:
        parts.append(
            charts.chart_html(
                charts.root_causes_chart, record, "Bar chart of the root causes named"
            )
        )
    parts += [
        _h("Story bank (STAR)"),
        "".join(stories) or '<p class="av-empty">No stories yet.</p>',
    ]
    parts += [_h("Practice sessions"), _practice(record)]
    if remedies:
        parts += [
            _h("If-then plans"),
            _if_then(record),
            _h("Checklist for the next interview"),
            _list(checklist(record, past), "No checklist yet."),
        ]
    return _page(*parts)


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
            _day(dt.datetime.combine(item.on, item.at, tzinfo=zone)),
            content().label("practice_kinds", item.kind),
            item.note,
        )
        for item in sorted(record.lessons.practice, key=lambda item: (item.on, item.at))
    ]
    return _table(["When", "Practice", "What"], rows, "No practice sessions planned yet.")


# --- history across interviews -------------------------------------------------------------


def history_html(past: History | None) -> str:
    """The person's interviews in order and what keeps coming back; empty for one interview."""
    if past is None or not past.shown:
        return ""
    words = content().caseload
    rows = [
        (
            f"{visit.company} ({visit.role})" if visit.role else visit.company,
            _day(visit.day),
            _blank(visit.rating_then),
            _blank(visit.rating_later),
            content().label("result_statuses", visit.outcome),
        )
        for visit in past.visits
    ]
    header = ["Interview", "Date", "Right after (1-10)", "Later (1-10)", "What happened"]
    parts = [_h(words.history_heading), _table(header, rows, "")]
    if past.recurring:
        parts += [_h(words.recurring_heading), _list(str(item) for item in past.recurring)]
    return _page(*parts)


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
    return _page(_h("Checklist for the next interview"), _list(line for _, line in carried))


# --- step 5: move on ------------------------------------------------------------------------


def _reminders_table(record: Record, now: dt.datetime | None = None) -> str:
    rows = [(_day(r.start), r.title, r.description) for r in calendar.reminders(record, now)]
    return _table(["Date", "What", "Details"], rows, "No dates yet.")


def _reached(record: Record) -> bool:
    """Has the client started step 5 (anything in it besides the defaults)?"""
    move_on = record.move_on
    return bool(move_on.opportunities or move_on.closed or move_on.worry_time)


def _pipeline_count(record: Record) -> str:
    if not _reached(record):
        return "<p><strong>Your pipeline:</strong> not recorded yet.</p>"
    live = len(record.live_opportunities())
    target = record.move_on.target_live
    count = f"<strong>{_plural(live, 'live opportunity', 'live opportunities')}</strong>"
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
        (o.company, o.role, o.stage, o.next_step, _day(o.next_date) if o.next_date else "—")
        for o in move_on.opportunities
    ]
    parts = [
        _h("Your pipeline"),
        _pipeline_count(record),
        _table(
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
    parts += [_h("What this interview still needs"), _list(calendar.left_to_do(record, now))]
    if dates:
        parts += [_h("Follow-up dates"), _reminders_table(record, now)]
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
    return _page(*parts)


def action_plan_html(
    record: Record, now: dt.datetime | None = None, *, past: History | None = None
) -> str:
    """What to do next: the if-then plans, the checklist (led by what keeps coming back across
    the person's interviews, with ``past``) and the follow-up dates."""
    return _page(
        _h("If-then plans"),
        _if_then(record),
        _h("Checklist for the next interview"),
        _list(checklist(record, past), "No checklist yet."),
        _h("Dates to keep"),
        _reminders_table(record, now),
    )
