"""Steps 2 and 3 as HTML: the thank-you letters with their checks, and the strengths.

Part of the step views; notebooks and forms call them through :mod:`.views`.
"""

from __future__ import annotations

import datetime as dt

from afterview.coaching import checks, letters, plans
from afterview.record.errors import AfterviewError
from afterview.record.schema import Record
from afterview.workbook import charts
from afterview.workbook.markup import bullets, day, e, error_html, heading, page, table

__all__ = ["letters_html", "strengths_html"]

LEVEL_WORDS = {"error": "Fix before sending", "warning": "Worth a look", "info": "Note"}


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
        when = f"<p>Sent on {e(day(sent))}.</p>"
    else:
        note = checks.send_by_note(record)
        when = (
            f"<p><strong>Send by {e(day(checks.send_by(record)))}</strong>"
            + (f": that {e(note)}" if note else "")
            + ".</p>"
        )
    general = [f for f in findings if f.interviewer is None]
    parts = [when, "".join(_finding_html(f) for f in general)]
    for person in record.interviewers:
        own = [f for f in findings if f.interviewer == person.name]
        draft = drafts.get(person.name)
        title = f", {person.title}" if person.title else ""
        header = f"<h3>Letter to {e(person.name)}{e(title)}</h3>"
        if draft is None:
            parts.append(
                f'<section class="av-box" aria-label="Letter to {e(person.name)}">{header}'
                '<p class="av-meta"><strong>Not started.</strong></p></section>'
                + "".join(_finding_html(f) for f in own)
            )
            continue
        parts.append(_letter_box(record, draft, header, own))
    return page(*parts)


def _letter_box(
    record: Record, draft: letters.Letter, header: str, own: list[checks.Finding]
) -> str:
    person = draft.interviewer
    sent = plans.sent_on(record, person.name)
    status = f"Sent on {e(day(sent))}" if sent else "Draft, not sent yet"
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
        f'<section class="av-box" aria-label="Letter to {e(person.name)}">{header}'
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
        heading("Requirements and your evidence"),
        table(
            ["Requirement", "Evidence", "Got it across?", "In the letter"],
            rows,
            "No strengths mapped yet.",
        ),
        heading("To mention in your letters"),
        bullets(mention, "None picked yet."),
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
    return page(*parts)
