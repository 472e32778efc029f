"""Forms that follow the record file: what one notebook (or the app) saves reaches another's.

In JupyterLab each step's notebook has its own kernel and its own :class:`Session` on the one
record file. Here two sessions in one process stand for two notebooks; the second one's check
(what its timer runs every 1.5 s) is called directly, so nothing sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
import nbformat
import pytest

from afterview.app import page
from afterview.coaching.content import content
from afterview.record import coachfile, store
from afterview.workbook import forms
from afterview.workbook import inputs as typed_inputs
from afterview.workbook import session as sessions
from afterview.workbook.session import UPDATED, Session

from .conftest import ROOT
from .test_forms import (
    INTAKE,
    LETTERS,
    NEWCOMER,
    assert_tom_renamed,
    button,
    inputs,
    one,
    options_of,
    previews,
    status,
    walk,
)


@pytest.fixture
def ada(copy_record) -> Path:  # type: ignore[no-untyped-def]
    path: Path = copy_record("ada-okafor-panel.yaml")
    return path


def add_interviewer(intake: Any, name: str) -> None:
    """In the intake notebook's form: "Add interviewer", then the name (saved on leaving it)."""
    button(intake, "Add interviewer").click()
    inputs(intake, INTAKE["interviewers.name"].label)[-1].value = name


def test_an_interviewer_added_in_the_intake_notebook_reaches_the_letters_notebook(
    ada: Path,
) -> None:
    intake = forms.intake_form(Session(ada))  # the intake notebook
    other = Session(ada)  # the letters notebook, opened before the interviewer is added
    letters, its_intake = forms.letters_form(other), forms.intake_form(other)
    reanswer = inputs(letters, LETTERS["reanswer"].label)[0]
    reanswer.value = "Half-way through my better"  # being typed in Priya's plan

    add_interviewer(intake, NEWCOMER)
    assert f"To {NEWCOMER}" not in previews(letters)  # not yet looked

    assert other.check()

    assert f"To {NEWCOMER}" in previews(letters)
    assert len(inputs(letters, LETTERS["reanswer"].label)) == 4
    asked_by = inputs(its_intake, INTAKE["questions.asked_by"].label)
    assert [NEWCOMER in options_of(choice) for choice in asked_by] == [True] * 5
    assert UPDATED in status(letters)
    # What was being typed stays in its box, and the rest of it is saved with the newcomer.
    assert inputs(letters, LETTERS["reanswer"].label)[0] is reanswer
    assert reanswer.value == "Half-way through my better"
    reanswer.value = "Half-way through my better answer: the Medlane numbers."
    inputs(letters, LETTERS["personal_note"].label)[-1].value = "We both trained in Bergen."
    record = store.load(ada)
    assert [person.name for person in record.interviewers][-1] == NEWCOMER
    assert record.plan_for("Priya Raman").reanswer == reanswer.value
    assert record.plan_for(NEWCOMER).personal_note == "We both trained in Bergen."


def test_an_interviewer_renamed_in_one_notebook_is_renamed_in_the_others_choices(
    ada: Path,
) -> None:
    intake = forms.intake_form(Session(ada))
    other = Session(ada)
    letters, its_intake = forms.letters_form(other), forms.intake_form(other)

    inputs(intake, INTAKE["interviewers.name"].label)[1].value = "Tom Eriksen-Berg"
    assert other.check()

    assert_tom_renamed(its_intake, letters, ada)


def test_requirements_added_elsewhere_reach_the_strengths_suggestions(ada: Path) -> None:
    intake = forms.intake_form(Session(ada))
    other = Session(ada)
    strengths = forms.strengths_form(other)

    button(intake, "Add requirement").click()
    inputs(intake, "Requirement")[-1].value = "Speaking to boards"
    assert other.check()

    suggested = inputs(strengths, content().steps["strengths"].prompts["requirement"].label)
    assert suggested and all("Speaking to boards" in w.options for w in suggested)


def test_nothing_is_read_or_told_while_the_file_is_unchanged(ada: Path) -> None:
    session = Session(ada)
    heard: list[str] = []
    session.on_change(lambda current: heard.append(current.status))

    assert not session.check()
    assert session.change(lambda record: setattr(record.interview, "company", "Kestrel Health plc"))
    assert not session.check()  # its own save is not news from elsewhere

    assert heard == [session.status] and UPDATED not in session.status


def test_a_coach_note_saved_in_another_coach_notebook_reaches_this_one(ada: Path) -> None:
    writer = Session(ada, coach=True)
    assert writer.save()  # the example's inline coach fields move to the coach file
    reader, record_before = Session(ada, coach=True), ada.read_bytes()

    assert writer.change(lambda record: setattr(record, "coach_notes", "Call before Friday."))
    assert ada.read_bytes() == record_before  # only the coach file changed

    assert reader.check()
    assert reader.record.coach_notes == "Call before Friday."
    assert coachfile.load(ada, coach=True).coach_notes == "Call before Friday."


@pytest.fixture
def loop(monkeypatch: pytest.MonkeyPatch) -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop, as a kernel has (its timers run between cells); a follower looks at
    every turn rather than every 1.5 s, so that nothing waits."""
    monkeypatch.setattr(sessions, "FOLLOW_EVERY", 0)
    made = asyncio.new_event_loop()
    try:
        yield made
    finally:
        made.close()


def settle(loop: asyncio.AbstractEventLoop, until: Callable[[], bool]) -> bool:
    """Let the loop turn (its due timers run) until ``until()``, at most 200 turns."""

    async def turns() -> bool:
        for _turn in range(200):
            if until():
                return True
            await asyncio.sleep(0)
        return until()

    return loop.run_until_complete(turns())


def test_following_checks_the_file_on_the_running_loop_until_closed(
    ada: Path, loop: asyncio.AbstractEventLoop
) -> None:
    other = Session(ada)
    assert not other.follow(), "no loop is running: nothing may be started"
    assert not other.following

    async def start() -> bool:
        return other.follow()

    assert loop.run_until_complete(start())
    assert other.following
    Session(ada).change(lambda record: setattr(record.interview, "company", "Kestrel Health plc"))
    assert settle(loop, lambda: other.record.interview.company == "Kestrel Health plc")

    other.close()
    assert not other.following
    Session(ada).change(lambda record: setattr(record.interview, "company", "Kestrel Group"))
    assert not settle(loop, lambda: other.record.interview.company == "Kestrel Group")


def run_step_notebook(
    loop: asyncio.AbstractEventLoop, name: str, record: Path, *, interactive: bool
) -> dict[str, Any]:
    """The step notebook's code, run in ``loop`` as papermill runs it with these parameters."""
    cells = nbformat.read(ROOT / "notebooks" / name, as_version=4).cells
    code = [cell.source for cell in cells if cell.cell_type == "code"]
    names: dict[str, Any] = {"display": lambda *shown: None}
    injected = f"record = {str(record)!r}\ninteractive = {interactive!r}"

    async def run() -> None:
        for source in [code[0], injected, *code[1:]]:
            exec(source, names)

    loop.run_until_complete(run())
    return names


def test_a_step_notebook_follows_its_record_only_when_it_shows_a_form(
    ada: Path, loop: asyncio.AbstractEventLoop
) -> None:
    batch = run_step_notebook(loop, "2-letter.ipynb", ada, interactive=False)
    assert not batch["session"].following  # a batch run leaves no timer behind

    first = run_step_notebook(loop, "2-letter.ipynb", ada, interactive=True)
    assert first["session"].following
    again = run_step_notebook(loop, "2-letter.ipynb", ada, interactive=True)  # run again
    assert again["session"].following and not first["session"].following
    again["session"].close()


def test_the_apps_open_page_follows_what_the_coach_saves_in_jupyterlab(
    ada: Path, loop: asyncio.AbstractEventLoop
) -> None:
    async def build() -> Any:
        shown = page.page(ada)
        (tabs,) = [w for w in walk(shown) if isinstance(w, W.Tab)]
        tabs.selected_index = 2  # the letters step is open (the app builds a step when opened)
        return shown

    shown = loop.run_until_complete(build())
    assert f"To {NEWCOMER}" not in previews(shown)

    add_interviewer(forms.intake_form(Session(ada, coach=True)), NEWCOMER)

    assert settle(loop, lambda: f"To {NEWCOMER}" in previews(shown))


PERSPECTIVE = content().steps["perspective"].prompts


def test_a_list_open_in_two_windows_keeps_the_interviewer_the_other_one_added(
    ada: Path,
) -> None:
    here = Session(ada)
    mine = forms.intake_form(here)  # the app's intake
    names = [box.value for box in inputs(mine, INTAKE["interviewers.name"].label)]

    add_interviewer(forms.intake_form(Session(ada)), NEWCOMER)  # the coach's intake notebook
    assert here.check()
    inputs(mine, INTAKE["interviewers.title"].label)[0].value = "Head of Clinical Operations"

    record = store.load(ada)
    assert [person.name for person in record.interviewers] == [*names, NEWCOMER]
    assert record.interviewers[0].title == "Head of Clinical Operations"
    shown = [box.value for box in inputs(mine, INTAKE["interviewers.name"].label)]
    assert shown == [*names, NEWCOMER]


def test_a_text_answer_saved_in_another_window_shows_in_this_ones_box(ada: Path) -> None:
    here = Session(ada)
    mine = forms.perspective_form(here)
    theirs = forms.perspective_form(Session(ada))

    one(theirs, PERSPECTIVE["situation"].label).value = "Grace asked about safety trade-offs."
    assert here.check()

    assert one(mine, PERSPECTIVE["situation"].label).value == (
        "Grace asked about safety trade-offs."
    )
    one(mine, PERSPECTIVE["balanced_thought"].label).value = "One answer is not the interview."
    assert store.load(ada).perspective.situation == "Grace asked about safety trade-offs."


def test_text_typed_here_and_not_yet_saved_stays_when_the_other_window_saves(
    ada: Path,
) -> None:
    here = Session(ada)
    mine = forms.perspective_form(here)
    box = one(mine, PERSPECTIVE["situation"].label)
    ada.chmod(0o444)  # this window's save is refused: what was typed waits in the box
    box.value = "The panel ran long and I"
    ada.chmod(0o644)
    one(
        forms.perspective_form(Session(ada)), PERSPECTIVE["situation"].label
    ).value = "Grace asked about safety trade-offs."

    assert here.check()

    assert box.value == "The panel ran long and I"
    box.value = "The panel ran long and I rushed my last answer."  # the later edit wins
    assert store.load(ada).perspective.situation == box.value


def test_a_trap_ticked_in_another_window_stays_ticked_after_a_tick_here(ada: Path) -> None:
    here = Session(ada)
    mine = forms.perspective_form(here)
    one(forms.perspective_form(Session(ada)), "Catastrophising").value = True
    assert here.check()

    assert one(mine, "Catastrophising").value is True
    one(mine, "Mind reading").value = False

    assert store.load(ada).perspective.thinking_traps == [
        "catastrophising",
        "all_or_nothing",
        "discounting_positive",
    ]


def test_an_intake_edit_keeps_how_the_letters_step_greets_an_interviewer(ada: Path) -> None:
    assert Session(ada).change(lambda record: setattr(record.interviewers[0], "call_them", "Dr R"))
    intake = forms.intake_form(Session(ada))

    inputs(intake, INTAKE["interviewers.title"].label)[0].value = "Head of Clinical Operations"

    assert store.load(ada).interviewers[0].call_them == "Dr R"


SITUATION = PERSPECTIVE["situation"].label
THEIRS = "Grace asked about safety trade-offs."


def test_text_being_typed_here_stays_when_the_other_window_saves_the_same_answer(
    ada: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(typed_inputs, "_clock", lambda: 100.0)  # no time passes: still typing
    here = Session(ada)
    box = one(forms.perspective_form(here), SITUATION)
    box.value = "The panel ran long and I"  # saved as it is typed

    one(forms.perspective_form(Session(ada)), SITUATION).value = THEIRS
    assert here.check()

    assert box.value == "The panel ran long and I"
    box.value = "The panel ran long and I rushed my last answer."  # the later edit wins
    assert store.load(ada).perspective.situation == box.value


def test_a_box_left_alone_shows_the_other_windows_text_after_the_typing_pause(
    ada: Path, loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [100.0]
    monkeypatch.setattr(typed_inputs, "_clock", lambda: now[0])
    monkeypatch.setattr(typed_inputs, "TYPING_PAUSE", 0.02)
    here = Session(ada)
    box = one(forms.perspective_form(here), SITUATION)
    box.value = "The panel ran long and I"

    async def start() -> bool:
        return here.follow()

    assert loop.run_until_complete(start())
    one(forms.perspective_form(Session(ada)), SITUATION).value = THEIRS
    assert settle(loop, lambda: here.record.perspective.situation == THEIRS)
    assert box.value == "The panel ran long and I"  # still typing: the box is not replaced

    now[0] += 5  # the user stopped typing

    async def shown() -> bool:
        for _turn in range(200):
            if box.value == THEIRS:
                return True
            await asyncio.sleep(0.01)
        return False

    assert loop.run_until_complete(shown())
    here.close()


def test_a_row_being_filled_in_here_stays_when_the_other_window_adds_one(ada: Path) -> None:
    here = Session(ada)
    mine = forms.intake_form(here)
    first = inputs(mine, INTAKE["interviewers.name"].label)[0]
    button(mine, "Add interviewer").click()
    inputs(mine, INTAKE["interviewers.title"].label)[-1].value = "Chief Nursing Officer"

    add_interviewer(forms.intake_form(Session(ada)), NEWCOMER)
    assert here.check()

    names = inputs(mine, INTAKE["interviewers.name"].label)
    assert names[0] is first  # rows that did not change keep their boxes
    assert [box.value for box in names[-2:]] == [NEWCOMER, ""]
    assert inputs(mine, INTAKE["interviewers.title"].label)[-1].value == "Chief Nursing Officer"
    names[-1].value = "Ingrid Solberg"
    record = store.load(ada)
    assert [person.name for person in record.interviewers][-2:] == [NEWCOMER, "Ingrid Solberg"]
    assert record.interviewers[-1].title == "Chief Nursing Officer"


def test_an_answer_from_elsewhere_arriving_with_this_windows_save_shows_here(ada: Path) -> None:
    here = Session(ada)
    mine = forms.perspective_form(here)
    balanced = PERSPECTIVE["balanced_thought"].label
    one(forms.perspective_form(Session(ada)), balanced).value = "One answer is not the interview."

    box = one(mine, SITUATION)
    box.value = "The panel ran long"  # this save brings the other window's answer in

    assert one(mine, balanced).value == "One answer is not the interview."
    assert box.value == "The panel ran long"
    assert store.load(ada).perspective.situation == "The panel ran long"


def test_a_greeting_set_in_the_apps_letters_step_survives_an_edit_in_its_intake_step(
    ada: Path,
) -> None:
    app = Session(ada)  # the app shows every step's form on one session
    intake, letters = forms.intake_form(app), forms.letters_form(app)

    inputs(letters, INTAKE["interviewers.call_them"].label)[1].value = "Tom"
    inputs(intake, INTAKE["interviewers.title"].label)[1].value = "Head of Engineering"

    record = store.load(ada)
    assert record.interviewers[1].call_them == "Tom"
    assert record.interviewers[1].title == "Head of Engineering"


def test_a_letter_note_saved_in_another_window_shows_in_this_ones_letter_box(ada: Path) -> None:
    here = Session(ada)
    mine = forms.letters_form(here)
    theirs = forms.letters_form(Session(ada))

    inputs(theirs, LETTERS["personal_note"].label)[0].value = "We both trained in Bergen."
    assert here.check()

    assert inputs(mine, LETTERS["personal_note"].label)[0].value == "We both trained in Bergen."
    inputs(mine, LETTERS["reanswer"].label)[0].value = "I would start with the incident log."
    kept = store.load(ada).plan_for(store.load(ada).interviewers[0].name)
    assert kept.personal_note == "We both trained in Bergen."  # not written back as it was
    assert kept.reanswer == "I would start with the incident log."
