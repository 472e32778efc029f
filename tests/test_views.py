"""Each step's results as the client reads them (headless runs and the forms' previews)."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from afterview.coaching import causes
from afterview.coaching.content import Choice, content
from afterview.record import store
from afterview.record.schema import Record, RootCause
from afterview.workbook import views

from .conftest import EXAMPLES, FIXTURES


def ada() -> Record:
    return store.load(EXAMPLES / "ada-okafor-panel.yaml")


def test_text_from_the_record_is_escaped_not_run() -> None:
    record = ada()
    record.perspective.situation = "<script>alert('hi')</script> & more"
    shown = views.thought_record_html(record, with_charts=False)
    assert "<script>alert" not in shown
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; &amp; more" in shown


def test_coach_notes_appear_only_in_the_coach_view() -> None:
    record = ada()
    notes = views.e(record.coach_notes)
    assert notes not in views.intake_html(record)
    assert notes in views.intake_html(record, coach=True)
    assert notes in views.coach_notes_html(record)


def test_each_interviewer_gets_a_letter_box_with_their_address() -> None:
    shown = views.letters_html(ada())
    assert shown.count('<section class="av-box"') == 3
    for person in ada().interviewers:
        assert f"Letter to {views.e(person.name)}" in shown
        assert f"&lt;{person.email}&gt;" in shown


def test_a_too_long_letter_has_its_finding_right_after_it() -> None:
    record = store.load(FIXTURES / "workbook-too-long-letter.yaml")
    shown = views.letters_html(record, now=dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC))
    letter_ends = shown.index("</section>")
    finding = shown.index("The letter to Orla Byrne is")
    assert finding > letter_ends
    assert "Fix before sending" in shown
    assert "What to do:" in shown


def test_unsent_letters_show_the_send_by_time_and_sent_ones_the_date() -> None:
    record = store.load(FIXTURES / "workbook-too-long-letter.yaml")
    # a 45-minute video call at 11:00 in Dublin: 24 hours after it ended
    assert "Send by Wed 25 Nov 2026, 11:45 Dublin time (UTC+0)" in views.letters_html(record)
    assert "Sent on Mon 23 Nov 2026" in views.letters_html(ada())


def test_a_record_with_only_the_facts_says_nothing_yet_instead_of_empty_charts() -> None:
    record = store.load(FIXTURES / "record-minimal.yaml")
    shown = "".join(
        [
            views.thought_record_html(record),
            views.strengths_html(record),
            views.lessons_html(record),
            views.move_on_html(record),
        ]
    )
    assert "<img" not in shown
    for empty in (
        "No emotions rated yet.",
        "No ratings yet.",
        "No strengths mapped yet.",
        "No root causes picked yet.",
        "No other opportunities yet.",
    ):
        assert empty in shown


def test_the_pipeline_is_counted_against_the_target_of_six() -> None:
    shown = views.move_on_html(ada())
    assert "4 live opportunities</strong> of a target of 6: add 2 more" in shown
    assert "Follow-up dates" in shown
    assert "Oakmere Insurance" in shown


def test_a_full_pipeline_is_praised_not_pushed() -> None:
    record = ada()
    record.move_on.target_live = 4
    assert "at or above the target of 4" in views.move_on_html(record, with_charts=False)


def test_thinking_traps_and_root_causes_show_their_labels_not_their_keys() -> None:
    record = ada()
    assert content().label("thinking_traps", "mind_reading") in views.thought_record_html(record)
    shown = views.lessons_html(record, with_charts=False)
    assert content().label("root_causes", "no_examples") in shown
    assert "no_examples" not in shown


def test_the_report_shows_plans_once_in_the_action_plan() -> None:
    record = ada()
    plan = views.e(f"If {record.lessons.if_then[0].when}")
    assert plan not in views.lessons_html(record, remedies=False, with_charts=False)
    assert plan in views.action_plan_html(record)
    assert "Dates to keep" in views.action_plan_html(record)
    assert "Follow-up dates" not in views.move_on_html(record, dates=False, with_charts=False)


def test_strengths_to_mention_are_listed_with_their_proof() -> None:
    shown = views.strengths_html(ada(), with_charts=False)
    assert "Prioritising with data: A scoring sheet that cut roadmap changes" in shown


# --- steps 1, 4 and 5: what closes the loop --------------------------------------------------


def test_step_1_shows_belief_in_the_automatic_thought_before_and_after() -> None:
    record = ada()
    record.perspective.thought_belief = 90
    record.perspective.thought_belief_after = 40
    record.perspective.belief = 65

    shown = views.thought_record_html(record, with_charts=False)

    table = shown[shown.index("How much you believe each thought") :]
    assert "<td>The automatic thought</td><td>90 %</td><td>40 %</td>" in table
    assert "<td>The balanced thought</td><td>—</td><td>65 %</td>" in table


def test_the_outcome_sits_next_to_the_three_ratings() -> None:
    record = ada()
    record.result.status = "advanced"
    record.result.on = dt.date(2026, 12, 3)

    shown = views.thought_record_html(record, with_charts=False)

    ratings = shown[shown.index("How did it go? (1-10)") :]
    assert "<td>The coach&#x27;s view</td>" in ratings
    assert "<td>What happened next</td><td>Next round (Thu 03 Dec 2026)</td>" in ratings
    assert "<td>What happened next</td><td>Still waiting</td>" in views.thought_record_html(
        ada(), with_charts=False
    )


@pytest.mark.parametrize("cause", content().root_causes, ids=lambda cause: cause.key)
def test_every_root_cause_shows_its_remedy_beside_it(cause: Choice) -> None:
    record = ada()
    record.lessons.root_causes = [RootCause(category=cause.key, note="as it happened")]

    shown = views.lessons_html(record, with_charts=False)

    assert cause.remedy
    assert f"<td>{html.escape(cause.label)}</td><td>as it happened</td>" in shown
    assert f"<td>{html.escape(cause.remedy)}</td>" in shown


def test_a_note_about_salary_in_the_first_minutes_suggests_salary_raised_too_early() -> None:
    record = store.load(FIXTURES / "lima-phone-before-two-holidays.yaml")

    found = causes.suggested_causes(record)
    shown = views.lessons_html(record, with_charts=False)

    assert [item.category for item in found] == ["salary_too_early"]
    assert "<strong>Salary raised too early</strong>, from your note on" in shown
    record.lessons.root_causes = [RootCause(category="salary_too_early")]
    assert causes.suggested_causes(record) == []  # confirmed: no longer suggested


def test_practice_sessions_are_dated_in_the_job_seekers_time() -> None:
    record = store.load(FIXTURES / "sydney-christmas.yaml")

    shown = views.lessons_html(record, with_charts=False)

    assert "<td>Tue 15 Dec 2026, 18:30 Sydney time (UTC+11)</td><td>Mock interview</td>" in shown
    assert "<td>Thu 17 Dec 2026, 07:30 Sydney time (UTC+11)</td><td>Stories aloud</td>" in shown


def test_before_step_5_the_pipeline_is_not_recorded_yet_not_at_risk() -> None:
    shown = views.move_on_html(store.load(FIXTURES / "tokyo-year-end.yaml"), with_charts=False)

    assert "not recorded yet" in shown
    assert "0 live" not in shown and "add 6 more" not in shown


def test_the_current_interview_counts_as_live_until_its_outcome_is_known() -> None:
    record = store.load(FIXTURES / "lima-phone-before-two-holidays.yaml")
    record.move_on.closed = True

    assert "<strong>1 live opportunity</strong> of a target of 6: add 5 more" in (
        views.move_on_html(record, with_charts=False)
    )
    record.result.status = "rejected"
    assert "<strong>0 live opportunities</strong>" in views.move_on_html(record, with_charts=False)


def test_what_is_left_follows_the_follow_ups_not_nothing_more() -> None:
    record = store.load(FIXTURES / "sydney-christmas.yaml")
    now = dt.datetime(2026, 12, 11, 9, 0, tzinfo=dt.UTC)

    shown = html.unescape(views.move_on_html(record, with_charts=False, now=now))

    assert "nothing more" not in shown.casefold()
    assert "If you have not heard by Friday 18 December, send the check-in note" in shown
    assert "Still nothing by Wednesday 6 January? Send the last note" in shown
    record.result.status = "offer"
    shown = views.move_on_html(record, with_charts=False, now=now)
    assert "Nothing more for this interview: they made you an offer." in shown
    assert "Follow up:" not in shown


def test_an_unplanned_letter_shows_not_started_and_its_next_step_not_a_draft() -> None:
    record = store.load(EXAMPLES / "jose-alvarez-phone-screen.yaml")

    shown = views.letters_html(record)

    assert "Not started." in shown
    assert "Write down one thing from your conversation with Daniela Ruiz" in shown
    assert 'class="av-letter"' not in shown  # no filler letter
    assert "is for the next call, not the letter" in shown  # the salary question


def test_a_letter_without_an_address_says_its_to_line_is_empty_on_purpose() -> None:
    record = ada()
    record.interviewers[1].email = None

    shown = views.letters_html(record)

    assert "left empty on purpose: no email address for Tom Eriksen" in shown
    assert "No problems found in this letter" in shown  # the other two
    assert shown.count("No problems found in this letter") == 2


def test_each_letter_shows_its_own_status() -> None:
    record = ada()
    record.letters.plans[1].sent_on = None

    shown = views.letters_html(record)

    assert shown.count("Sent on Mon 23 Nov 2026") == 2
    assert "Draft, not sent yet" in shown
    assert "Send by" in shown
