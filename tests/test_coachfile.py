"""Coach-only fields live in a coach file beside the record that the client's side never opens."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from afterview.record import coachfile, store
from afterview.record.errors import RecordError
from afterview.workbook import views
from afterview.workbook.session import Session

from .conftest import EXAMPLES, ROOT

NOTES = "COACH-ONLY: she apologised twice; work on owning the gap next session."

_opened: list[list[str]] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _opened and isinstance(args[0], (str, Path)):
        _opened[-1].append(str(args[0]))


sys.addaudithook(_audit)


@contextlib.contextmanager
def opened_files() -> Iterator[list[str]]:
    """Every file this process opens inside the block (an audit hook)."""
    _opened.append([])
    try:
        yield _opened[-1]
    finally:
        _opened.pop()


@pytest.fixture
def legacy(copy_record) -> Path:  # type: ignore[no-untyped-def]
    """Ada's record as written before the split: notes and the coach's rating inline."""
    path: Path = copy_record("ada-okafor-panel.yaml")
    text = path.read_text(encoding="utf-8")
    assert "coach_rating: 7" in text and "coach_notes:" in text
    record = store.load(path)
    record.coach_notes = NOTES
    store.save(record, path)
    return path


def _coach_paths(paths: list[str]) -> list[str]:
    return [p for p in paths if p.endswith(coachfile.SUFFIX)]


def test_the_coach_file_sits_beside_the_record() -> None:
    assert coachfile.coach_path(Path("clients/ada.yaml")) == Path("clients/ada.coach.yaml")


def test_a_coach_save_moves_inline_notes_and_rating_into_the_coach_file(legacy: Path) -> None:
    session = Session(legacy, coach=True)
    assert session.record.coach_notes == NOTES
    assert session.save()

    text = legacy.read_text(encoding="utf-8")
    assert "coach_notes" not in text and "coach_rating" not in text and "COACH-ONLY" not in text
    kept = coachfile.read(legacy)
    assert (kept.notes, kept.rating) == (NOTES, 7)
    again = coachfile.load(legacy, coach=True)
    assert (again.coach_notes, again.perspective.coach_rating) == (NOTES, 7)
    client = coachfile.load(legacy, coach=False)
    assert (client.coach_notes, client.perspective.coach_rating) == ("", None)


def test_the_coach_edits_notes_in_the_workbook_and_they_go_to_the_coach_file(
    legacy: Path,
) -> None:
    session = Session(legacy, coach=True)
    assert session.change(lambda record: setattr(record, "coach_notes", "Call on Friday."))
    assert coachfile.read(legacy).notes == "Call on Friday."
    assert "Call on Friday" not in legacy.read_text(encoding="utf-8")
    assert "Call on Friday." in views.coach_notes_html(Session(legacy, coach=True).record)


@pytest.mark.parametrize("notes", ["0\x85\U000c6f6a", "one\u2028two\nthree", "bell\x07"])
def test_notes_with_unusual_line_marks_come_back_from_the_coach_file_unchanged(
    legacy: Path, notes: str
) -> None:
    session = Session(legacy, coach=True)
    assert session.change(lambda record: setattr(record, "coach_notes", notes))
    assert coachfile.read(legacy).notes == notes
    assert coachfile.load(legacy, coach=True).coach_notes == notes


def test_the_clients_side_never_opens_the_coach_file(legacy: Path) -> None:
    Session(legacy, coach=True).save()  # migrated: the notes are in the coach file now
    with opened_files() as paths:
        session = Session(legacy)
        assert session.change(lambda record: setattr(record.perspective, "belief", 55))
    assert _coach_paths(paths) == []
    assert session.record.coach_notes == ""
    assert coachfile.read(legacy).notes == NOTES  # and the client's save kept them


def test_a_client_save_moves_inline_notes_out_when_there_is_no_coach_file_yet(
    legacy: Path,
) -> None:
    session = Session(legacy)
    with opened_files() as paths:
        assert session.change(lambda record: setattr(record.perspective, "belief", 55))
    assert _coach_paths(paths) == []  # created beside it (a renamed temporary file), not read
    assert "COACH-ONLY" not in legacy.read_text(encoding="utf-8")
    assert session.record.coach_notes == ""
    assert coachfile.read(legacy).notes == NOTES


def test_with_a_coach_file_already_there_a_client_save_leaves_inline_notes_for_the_coach(
    legacy: Path,
) -> None:
    coachfile.coach_path(legacy).write_text("notes: Earlier note.\n", encoding="utf-8")
    with opened_files() as paths:
        Session(legacy).save()
    assert _coach_paths(paths) == []
    assert "COACH-ONLY" in legacy.read_text(encoding="utf-8")  # nothing lost
    Session(legacy, coach=True).save()  # the coach's next save merges both notes
    assert coachfile.read(legacy).notes == f"Earlier note.\n\n{NOTES}"
    assert "COACH-ONLY" not in legacy.read_text(encoding="utf-8")


def test_a_broken_coach_file_is_one_line_naming_the_file_and_field(legacy: Path) -> None:
    coachfile.coach_path(legacy).write_text("rating: eleven\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        coachfile.load(legacy, coach=True)
    message = str(caught.value)
    assert "ada-okafor-panel.coach.yaml" in message and "rating" in message
    assert "\n" not in message


def test_coach_files_are_not_taken_for_client_records(legacy: Path) -> None:
    Session(legacy, coach=True).save()
    assert coachfile.record_paths(legacy.parent) == [legacy]


def test_the_apps_kernel_never_reads_the_coach_file(legacy: Path, tmp_path: Path) -> None:
    """Run the app's own notebook in a kernel that logs every file it opens."""
    Session(legacy, coach=True).save()
    log = tmp_path / "opened.json"
    notebook = nbformat.read(ROOT / "notebooks" / "app.ipynb", as_version=4)
    watch = (
        "import json, sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0])) "
        "if event == 'open' and isinstance(args[0], str) else None)"
    )
    notebook.cells.insert(0, new_code_cell(watch))
    notebook.cells.insert(2, new_code_cell(f"record = {str(legacy)!r}"))
    notebook.cells.append(
        new_code_cell(
            "from afterview.workbook.session import Session\n"
            "Session(record).change(lambda r: setattr(r.perspective, 'belief', 42))\n"
            f"json.dump(opened, open({str(log)!r}, 'w'))"
        )
    )
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    opened = json.loads(log.read_text(encoding="utf-8"))
    assert any(path.endswith("ada-okafor-panel.yaml") for path in opened)  # the hook works
    assert _coach_paths(opened) == []
    outputs = json.dumps([cell.get("outputs", []) for cell in notebook.cells])
    assert "COACH-ONLY" not in outputs
    assert store.load(legacy).perspective.belief == 42


def test_the_example_records_still_carry_inline_notes_that_a_save_would_move() -> None:
    record = store.load(EXAMPLES / "jose-alvarez-phone-screen.yaml")
    assert record.coach_notes  # read as before the split
