"""A session saves every accepted edit at once and says plainly when it could not."""

from __future__ import annotations

from pathlib import Path

import pytest

from afterview.record import store
from afterview.record.errors import RecordError
from afterview.record.schema import Emotion, Record
from afterview.workbook.session import Session


def test_an_accepted_edit_is_on_disk_immediately(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    session = Session(path)

    assert session.change(lambda record: setattr(record.perspective, "belief", 85))

    assert store.load(path).perspective.belief == 85
    assert session.record.perspective.belief == 85
    assert session.saved
    assert session.status.startswith("saved ")


def test_a_rejected_edit_leaves_record_and_file_unchanged_and_says_why(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    before = path.read_text(encoding="utf-8")
    session = Session(path)

    saved = session.change(lambda record: setattr(record.perspective, "belief", 150))

    assert not saved
    assert not session.saved
    assert session.status.startswith("not saved: ")
    assert "100" in session.status
    assert "\n" not in session.status
    assert session.record.perspective.belief == 70
    assert path.read_text(encoding="utf-8") == before


def test_a_list_edit_is_validated_before_saving(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    session = Session(path)

    def add_impossible_emotion(record: Record) -> None:
        record.perspective.emotions.append(Emotion.model_construct(name="angry", before=500))

    assert not session.change(add_impossible_emotion)
    assert "perspective.emotions.3.before" in session.status
    assert len(store.load(path).perspective.emotions) == 3


def test_listeners_hear_about_saved_and_failed_changes(copy_record) -> None:  # type: ignore[no-untyped-def]
    session = Session(copy_record("ada-okafor-panel.yaml"))
    heard: list[str] = []
    session.on_change(lambda current: heard.append(current.status))

    session.change(lambda record: setattr(record.perspective, "rating_later", 7))
    session.change(lambda record: setattr(record.perspective, "rating_later", 11))

    assert heard[0].startswith("saved ")
    assert heard[1].startswith("not saved: ")


def test_comments_in_the_file_survive_a_save(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    Session(path).save()
    assert "# Fictional example client" in path.read_text(encoding="utf-8")


def test_a_file_that_cannot_be_written_is_reported_not_raised(copy_record, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    session = Session(path)

    def refuse(record: Record, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store, "save", refuse)
    assert not session.change(lambda record: setattr(record.perspective, "belief", 10))
    assert session.status.startswith("not saved: the file cannot be written (Permission denied)")
    assert "press Save" in session.status
    assert store.load(path).perspective.belief == 70


def test_answers_the_disk_refused_are_kept_and_written_by_the_next_save(
    copy_record, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    session = Session(path)
    real_save = store.save

    def refuse(record: Record, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "save", refuse)
    session.change(lambda record: setattr(record.perspective, "belief", 10))
    session.change(lambda record: setattr(record.perspective, "rating_later", 8))
    assert session.record.perspective.belief == 10  # what the user typed is still there

    monkeypatch.setattr(store, "save", real_save)
    assert session.save()
    on_disk = store.load(path)
    assert (on_disk.perspective.belief, on_disk.perspective.rating_later) == (10, 8)


def test_a_missing_record_raises_a_record_error(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="no such file"):
        Session(tmp_path / "nobody.yaml")


def test_two_windows_on_one_record_keep_each_others_answers(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    intake, perspective = Session(path), Session(path)  # e.g. two notebooks open in the lab

    assert intake.change(lambda record: setattr(record.interview, "company", "Kestrel Care"))
    assert perspective.change(lambda record: setattr(record.perspective, "belief", 90))

    saved = store.load(path)
    assert saved.interview.company == "Kestrel Care"
    assert saved.perspective.belief == 90
    assert perspective.record.interview.company == "Kestrel Care"


def test_a_file_broken_by_hand_mid_session_is_set_aside_and_our_record_written(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    session = Session(path)
    path.write_text("candidate: [unclosed\n", encoding="utf-8")

    assert session.change(lambda record: setattr(record.perspective, "belief", 60))

    assert store.load(path).perspective.belief == 60
    assert list(path.parent.glob("ada-okafor-panel.yaml.broken-*"))
