"""Each step's results as the client reads them (headless runs and the forms' previews)."""

from __future__ import annotations

import datetime as dt

from afterview.coaching.content import content
from afterview.record import store
from afterview.record.schema import Record
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
    assert "Send by Wed 25 Nov 2026, 11:00" in views.letters_html(record)
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
