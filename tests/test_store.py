"""Reading, validating and saving client records: what a coach sees when a file is wrong,
and that nothing a coach wrote is lost when the workbook saves."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import pytest

from afterview import RecordError, load, save
from afterview.record.schema import Emotion, LetterPlan
from afterview.record.store import atomic_write

from .conftest import FIXTURES

BAD_RECORDS = {
    "bad-date-in-words.yaml": (
        "interview.date (line 8): expected a date like 2026-11-24, got 'yesterday'"
    ),
    "bad-unknown-field.yaml": "interviewers.0.linkedin (line 11): is not a field Afterview knows",
    "bad-rating-not-a-number.yaml": "interview.self_rating (line 9): expected a whole number",
    "bad-rating-out-of-range.yaml": (
        "interview.self_rating (line 9): expected a number of at most 10"
    ),
    "bad-schema-from-the-future.yaml": "schema_version: this record is version 9",
    "bad-unknown-timezone.yaml": "interview.timezone (line 9): expected a time zone name",
    "bad-malformed-yaml.yaml": "line 11: the YAML is malformed",
    "bad-no-interviewers.yaml": "interviewers: is required but missing",
    "bad-empty.yaml": "the file is empty",
    "bad-a-list-not-a-record.yaml": "expected a record with fields like candidate:",
}


@pytest.mark.parametrize("name", sorted(BAD_RECORDS))
def test_a_bad_record_names_file_field_and_expectation_in_one_line(name: str) -> None:
    path = FIXTURES / name
    with pytest.raises(RecordError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert BAD_RECORDS[name] in message
    assert "\n" not in message
    assert "Traceback" not in message and "pydantic" not in message


def test_a_missing_file_says_so_and_how_to_start_one(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match=r"nope\.yaml: no such file.*afterview new"):
        load(tmp_path / "nope.yaml")


def test_a_folder_given_as_a_record_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="is a folder, not a record"):
        load(tmp_path)


def test_a_file_that_is_not_utf8_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("candidate:\n  name: Zoë\n".encode("latin-1"))
    with pytest.raises(RecordError, match="is not UTF-8 text"):
        load(path)


def test_errors_survive_pickling_for_process_pools() -> None:
    error = RecordError("expected a date", path="a.yaml", field="interview.date")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == "a.yaml: interview.date: expected a date"


def test_load_save_load_keeps_every_answer(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    record = load(path)
    record.perspective.emotions.append(Emotion(name="ashamed", before=80, after=40))
    record.perspective.automatic_thought = "I blew it"
    record.letters.plans.append(
        LetterPlan(interviewer="Grace Liu", reanswer="First line.\nSecond line.")
    )
    record.move_on.worry_time = dt.time(18, 30)
    save(record, path)
    assert load(path) == record


def test_saving_keeps_the_coachs_comments_and_key_order(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-with-coach-comments.yaml")
    before = path.read_text(encoding="utf-8")
    record = load(path)
    record.perspective.automatic_thought = "I froze, so they must think I can't code"
    save(record, path)
    after = path.read_text(encoding="utf-8")
    for comment in (
        "# facts first, the way this coach likes it",
        '# said "a total disaster"',
        "# lead engineer",
        "# Coach's working copy",
    ):
        assert comment in after
    assert after.index("interview:") < after.index("candidate:")  # the coach's order
    assert after.startswith(before.splitlines()[0])
    assert "automatic_thought: I froze" in after
    assert load(path) == record


def test_a_record_without_schema_version_is_upgraded_on_load_and_save(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-v0-without-version.yaml")
    record = load(path)
    assert record.interviewers[0].name == "Alice Moreau"
    assert record.interview.self_rating == 4
    save(record, path)
    text = path.read_text(encoding="utf-8")
    assert "schema_version: 1" in text and "panel:" not in text
    assert load(path) == record


def test_saving_over_a_file_broken_by_hand_keeps_a_copy_of_it(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    record = load(path)
    path.write_text("candidate: [unclosed\n", encoding="utf-8")
    save(record, path)
    copies = list(path.parent.glob("record-minimal.yaml.broken-*"))
    assert len(copies) == 1
    assert copies[0].read_text(encoding="utf-8") == "candidate: [unclosed\n"
    assert load(path) == record


def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "record.yaml"
    path.write_text("original\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_write(path) as handle:
        handle.write("half a new fi")
        raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "original\n"
    assert os.listdir(tmp_path) == ["record.yaml"]


def test_a_new_record_file_is_private_to_its_owner(tmp_path: Path) -> None:
    record = load(FIXTURES / "record-minimal.yaml")
    path = save(record, tmp_path / "new.yaml")
    assert path.stat().st_mode & 0o077 == 0


def test_interview_start_is_in_its_own_time_zone() -> None:
    record = load(FIXTURES / "record-with-coach-comments.yaml")
    start = record.interview.starts_at
    assert start.utcoffset() == dt.timedelta(hours=1)  # Oslo in November
    assert start.astimezone(dt.UTC).hour == 9


def test_a_letter_plan_for_someone_not_on_the_panel_is_an_error(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    path.write_text(
        path.read_text(encoding="utf-8") + "letters:\n  plans:\n    - interviewer: Nobody Here\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordError, match="'Nobody Here' is not one of the interviewers"):
        load(path)


def test_a_value_written_out_by_hand_survives_even_when_it_is_the_default(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    path.write_text(
        path.read_text(encoding="utf-8")
        + "questions:\n  - text: Why us?\n    went: mixed   # not sure yet\n",
        encoding="utf-8",
    )
    record = load(path)
    record.perspective.automatic_thought = "They hated me"
    save(record, path)
    assert "    went: mixed   # not sure yet" in path.read_text(encoding="utf-8")


def test_saving_long_answers_leaves_no_trailing_spaces(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    record = load(path)
    record.perspective.situation = " ".join(["A long answer that keeps going"] * 20)
    save(record, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if line != line.rstrip()]
    assert load(path) == record
