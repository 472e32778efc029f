"""A session saves every accepted edit at once and says plainly when it could not."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path

import pytest

from afterview.record import store
from afterview.record.errors import RecordError
from afterview.record.schema import Emotion, Record
from afterview.workbook.session import CONFLICT_MARKER, UPDATED, Session


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


# --- two windows on one record (issue 9 item 4) ---------------------------------------------


def _set(section: str, name: str, value: object) -> Callable[[Record], None]:
    return lambda record: setattr(getattr(record, section), name, value)


def test_two_windows_editing_different_fields_keep_every_edit(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    coach, client = Session(path), Session(path)

    for n in range(10):
        assert coach.change(_set("perspective", "situation", f"coach draft {n}"))
        assert client.change(_set("lessons", "happened", f"client draft {n}"))

    on_disk = store.load(path)
    assert on_disk.perspective.situation == "coach draft 9"
    assert on_disk.lessons.happened == "client draft 9"
    assert client.record.perspective.situation == "coach draft 9"


def test_a_list_item_edited_in_one_window_survives_an_item_added_in_the_other(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    tab_a, tab_b = Session(path), Session(path)
    first = tab_a.record.requirements[0]

    def edit_first(record: Record) -> None:
        record.requirements[0] = "SQL, including window functions"

    assert tab_a.change(edit_first)
    assert tab_b.change(lambda record: record.requirements.append("Explaining numbers to nurses"))

    requirements = store.load(path).requirements
    assert requirements[0] == "SQL, including window functions"
    assert requirements[-1] == "Explaining numbers to nurses"
    assert first not in requirements
    assert len(requirements) == len(Session(path).record.requirements)


def test_an_item_removed_in_one_window_stays_removed_while_the_other_edits_another(
    copy_record,
) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    tab_a, tab_b = Session(path), Session(path)
    emotions = [emotion.name for emotion in tab_a.record.perspective.emotions]

    assert tab_a.change(lambda record: record.perspective.emotions.pop(0))
    assert tab_b.change(_set_emotion_after(-1, 15))

    saved = store.load(path).perspective.emotions
    assert [emotion.name for emotion in saved] == emotions[1:]
    assert saved[-1].after == 15


def _set_emotion_after(index: int, value: int) -> Callable[[Record], None]:
    return lambda record: setattr(record.perspective.emotions[index], "after", value)


def test_both_windows_changing_one_text_keep_both_texts_and_say_so(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    coach, client = Session(path), Session(path)

    assert coach.change(
        _set("perspective", "balanced_thought", "One answer was weak; two were good.")
    )
    assert client.change(_set("perspective", "balanced_thought", "I can still get this job."))

    text = store.load(path).perspective.balanced_thought
    assert text.startswith("I can still get this job.\n")
    assert text.endswith("\nOne answer was weak; two were good.")
    assert CONFLICT_MARKER in text
    assert client.conflicts == ["perspective.balanced_thought"]
    assert "both windows changed perspective.balanced_thought: both texts are kept" in client.status


def test_both_windows_changing_one_number_keep_this_windows_and_name_the_other(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    coach, client = Session(path), Session(path)

    assert coach.change(_set("perspective", "belief", 40))
    assert client.change(_set("perspective", "belief", 80))

    assert store.load(path).perspective.belief == 80
    assert "kept 80 from here, the other window had 40" in client.status


def test_picking_up_another_windows_answers_says_updated_and_tells_listeners(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    coach, client = Session(path), Session(path)
    heard: list[tuple[str, bool]] = []
    client.on_change(lambda session: heard.append((session.status, session.updated_elsewhere)))

    assert coach.change(_set("interview", "company", "Kestrel Care"))
    assert client.refresh()

    assert client.record.interview.company == "Kestrel Care"
    assert heard == [(UPDATED, True)]
    assert not client.refresh()  # nothing new: no second notice

    coach.change(_set("perspective", "belief", 12))
    client.change(_set("perspective", "rating_later", 6))
    assert heard[-1][0].startswith("saved ") and heard[-1][0].endswith(f" · {UPDATED}")
    assert heard[-1][1]
    assert client.record.perspective.belief == 12


def _edit_many(path: str, section: str, name: str, count: int) -> None:
    session = Session(path)
    for n in range(count):
        if not session.change(_set(section, name, f"{name} {n}")):
            raise AssertionError(session.status)


def test_two_processes_saving_at_once_lose_no_edit(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_edit_many, args=(str(path), section, name, 30))
        for section, name in (("perspective", "situation"), ("lessons", "why"))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    saved = store.load(path)
    assert (saved.perspective.situation, saved.lessons.why) == ("situation 29", "why 29")


# --- what the session refuses (issue 9 items 6, 8, 12) --------------------------------------


def test_an_email_the_letters_would_refuse_is_not_saved(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    session = Session(path)

    def bad_email(record: Record) -> None:
        record.interviewers[0].email = "ann at acme"

    assert not session.change(bad_email)
    assert "'ann at acme' is not an e-mail address" in session.status
    assert store.load(path).interviewers[0].email != "ann at acme"


def test_a_read_only_record_keeps_the_edits_and_says_read_only(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    session = Session(path)
    before = path.read_text(encoding="utf-8")
    path.chmod(0o444)

    assert not session.change(_set("perspective", "belief", 33))
    assert session.status.startswith("not saved: read-only: your answers are kept here, not saved")
    assert session.record.perspective.belief == 33
    assert path.read_text(encoding="utf-8") == before

    path.chmod(0o644)
    assert session.save()
    assert store.load(path).perspective.belief == 33


def test_a_date_made_impossible_by_hand_is_set_aside_and_edits_still_saved(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    session = Session(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("2026-11-23", "2026-02-30"), encoding="utf-8"
    )

    assert session.change(_set("perspective", "belief", 60))
    assert (
        "2026-02-30" in session.status and "kept as record-minimal.yaml.broken-" in session.status
    )
    assert store.load(path).perspective.belief == 60
    (copy,) = path.parent.glob("record-minimal.yaml.broken-*")
    assert "date: 2026-02-30" in copy.read_text(encoding="utf-8")


def test_a_record_grown_too_big_to_load_again_is_not_saved(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("ada-okafor-panel.yaml")
    session = Session(path)

    def pile_up(record: Record) -> None:
        record.lessons.keep = ["a long lesson " * 1400] * 20

    assert not session.change(pile_up)
    assert "would grow past 250 kB" in session.status
    assert Session(path).record.lessons.keep != session.record.lessons.keep
