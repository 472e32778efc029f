"""The example clients shipped with Afterview: they load, they cover the situations a coach
meets, the worked ones are worked all the way through, and saving one keeps it intact."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from afterview import load, save
from afterview.coaching.checks import check_letters
from afterview.coaching.content import content
from afterview.coaching.letters import render_letters
from afterview.coaching.plans import all_sent_on
from afterview.record.schema import Perspective, Record

from .conftest import EXAMPLES, example_records

CopyRecord = Callable[[Path | str], Path]

PATHS = example_records()
RECORDS = {path.name: load(path) for path in PATHS}


def _steps_done(record: Record) -> int:
    return sum(
        (
            bool(record.perspective.balanced_thought),
            bool(record.letters.plans),
            bool(record.strengths.map),
            bool(record.lessons.star_stories),
            bool(record.move_on.opportunities),
        )
    )


WORKED = [name for name, record in RECORDS.items() if _steps_done(record) == 5]


def test_there_are_at_least_five_example_clients_including_ada() -> None:
    assert len(PATHS) >= 5
    assert (EXAMPLES / "ada-okafor-panel.yaml") in PATHS


@pytest.mark.parametrize("path", PATHS, ids=[path.name for path in PATHS])
def test_every_example_loads_and_says_it_is_fictional(path: Path) -> None:
    assert load(path).candidate.name
    assert path.read_text(encoding="utf-8").startswith("# Fictional example client")


def test_examples_cover_the_situations_coaches_meet() -> None:
    records = list(RECORDS.values())
    formats = {record.interview.format for record in records}
    assert any(r.interview.format == "panel" and len(r.interviewers) == 3 for r in records)
    assert {"phone", "technical"} <= formats
    assert any(person.concern for r in records for person in r.interviewers)
    assert any(not r.candidate.name.isascii() for r in records)


def test_ada_is_the_panel_client_who_rated_herself_three() -> None:
    ada = RECORDS["ada-okafor-panel.yaml"]
    assert ada.interview.format == "panel" and ada.interview.self_rating == 3
    assert all(person.email for person in ada.interviewers)
    assert sum(1 for person in ada.interviewers if person.concern) == 1


def test_interviews_are_in_late_november_on_several_continents() -> None:
    for record in RECORDS.values():
        assert dt.date(2026, 11, 20) <= record.interview.date <= dt.date(2026, 11, 25)
    continents = {record.interview.timezone.split("/")[0] for record in RECORDS.values()}
    assert len(continents) >= 4


def test_examples_use_only_reserved_example_addresses() -> None:
    for name, path in zip(RECORDS, PATHS, strict=True):
        addresses = re.findall(r"[\w.+-]+@([\w.-]+)", path.read_text(encoding="utf-8"))
        assert addresses, name
        assert set(addresses) <= {"example.com", "example.org"}, name


def test_every_example_has_a_coach_note() -> None:
    assert all(len(record.coach_notes) > 40 for record in RECORDS.values())


def test_some_examples_are_just_after_intake() -> None:
    fresh = [
        name
        for name, record in RECORDS.items()
        if record.perspective == Perspective() and not record.letters.plans
    ]
    assert len(fresh) >= 2
    for name in fresh:
        record = RECORDS[name]
        assert record.requirements and record.questions and record.interview.self_rating, name


def test_at_least_three_examples_are_worked_through_all_five_steps() -> None:
    assert len(WORKED) >= 3


def test_one_example_stopped_half_way_with_letters_not_yet_sent() -> None:
    halfway = [r for r in RECORDS.values() if 0 < _steps_done(r) < 5]
    assert halfway
    assert any(r.letters.plans and all_sent_on(r) is None for r in halfway)


@pytest.mark.parametrize("name", WORKED)
def test_a_worked_example_fills_every_step(name: str) -> None:
    record = RECORDS[name]
    view = record.perspective
    assert view.emotions and all(emotion.after is not None for emotion in view.emotions)
    assert view.evidence_for and view.evidence_against and view.thinking_traps
    assert None not in (view.belief, view.rating_later, view.coach_rating)

    planned = [plan.interviewer for plan in record.letters.plans]
    assert planned == [person.name for person in record.interviewers]
    for plan in record.letters.plans:
        assert plan.reanswer or plan.concern_answer or plan.strengths, plan.interviewer
        assert plan.sent_on is not None, plan.interviewer  # each letter has its own date

    strengths = record.strengths.map
    assert 4 <= len(strengths) <= 6
    assert any(s.shown for s in strengths)
    assert 2 <= sum(s.mention for s in strengths) <= 3
    assert all(s.evidence for s in strengths if s.mention)

    lessons = record.lessons
    assert lessons.expected and lessons.happened and lessons.why and lessons.root_causes
    assert len(lessons.star_stories) == 2
    assert all(re.search(r"\d", story.result) for story in lessons.star_stories)
    assert 2 <= len(lessons.if_then) <= 3 and lessons.checklist

    move_on = record.move_on
    assert 3 <= len(move_on.opportunities) <= 7
    assert len({o.stage for o in move_on.opportunities}) >= 3
    assert all(o.next_date for o in record.live_opportunities())
    assert move_on.response_by and move_on.worry_time


@pytest.mark.parametrize("name", list(RECORDS))
def test_examples_use_the_workbook_pick_lists(name: str) -> None:
    record = RECORDS[name]
    found = content()
    assert set(record.perspective.thinking_traps) <= {c.key for c in found.thinking_traps}
    assert {c.category for c in record.lessons.root_causes} <= {c.key for c in found.root_causes}
    assert {e.name for e in record.perspective.emotions} <= set(found.emotions)
    assert set(record.lessons.checklist) <= set(found.checklist)
    assert {s.requirement for s in record.strengths.map} <= set(record.requirements)


@pytest.mark.parametrize("name", list(RECORDS))
def test_letter_plans_revisit_a_question_that_interviewer_asked_and_that_went_less_than_well(
    name: str,
) -> None:
    record = RECORDS[name]
    for plan in record.letters.plans:
        if plan.question:
            asked = [q for q in record.questions if q.text == plan.question]
            assert asked, f"{plan.interviewer}: {plan.question!r} is not one of the questions"
            assert asked[0].asked_by == plan.interviewer


@pytest.mark.parametrize("name", WORKED)
def test_worked_examples_produce_letters_that_pass_the_checks(name: str) -> None:
    record = RECORDS[name]
    letters = render_letters(record)
    assert all(100 <= letter.word_count <= 200 for letter in letters)
    problems = [f for f in check_letters(record, letters) if f.level in ("error", "warning")]
    assert problems == []


@pytest.mark.parametrize("path", PATHS, ids=[path.name for path in PATHS])
def test_saving_an_example_keeps_the_record_and_its_opening_comment(
    path: Path, copy_record: CopyRecord
) -> None:
    copy = copy_record(path)
    record = load(copy)
    save(record, copy)
    assert load(copy) == record
    opening = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] == "#"]
    assert copy.read_text(encoding="utf-8").splitlines()[: len(opening)] == opening
