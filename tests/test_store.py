"""Reading, validating and saving client records: what a coach sees when a file is wrong,
and that nothing a coach wrote is lost when the workbook saves."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
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


# --- hostile and impossible records (issue 9) -----------------------------------------------

MINIMAL = (FIXTURES / "record-minimal.yaml").read_text(encoding="utf-8")


def _record_text(**replace: str) -> str:
    text = MINIMAL
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("date: 2026-11-23", "date: 2026-02-30", "interview.date (line 8): expected a date"),
        ("date: 2026-11-23", "date: 2026-13-01", "interview.date (line 8): expected a date"),
        (
            "date: 2026-11-23",
            "date: 2026-11-23\n  self_rating: " + "9" * 5000,
            "interview.self_rating (line 9): expected a whole number",
        ),
        (
            "date: 2026-11-23",
            "date: 9999-12-31",
            "interview.date (line 8): expected a date between 1990 and 2100, got 9999-12-31",
        ),
        (
            "name: Grace Liu",
            "name: Grace Liu\n    email: ann at acme",
            "interviewers.0.email (line 11): 'ann at acme' is not an e-mail address",
        ),
        (
            "name: Grace Liu",
            "name: Grace Liu\n    email: haruka@",
            "interviewers.0.email (line 11): 'haruka@' is not an e-mail address",
        ),
    ],
    ids=["february-30", "month-13", "5000-digit-rating", "year-9999", "email-words", "email-cut"],
)
def test_an_impossible_value_is_one_line_naming_field_line_and_expectation(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = tmp_path / "client.yaml"
    path.write_text(_record_text(**{old: new}), encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: {expected}")
    assert "\n" not in str(caught.value)


def test_yaml_aliases_are_saved_as_separate_fields(tmp_path: Path) -> None:
    path = tmp_path / "client.yaml"
    path.write_text(MINIMAL + "lessons:\n  keep: &k [one, two]\n  change: *k\n", encoding="utf-8")
    record = load(path)
    record.lessons.change.append("ask for the next step")
    save(record, path)
    again = load(path)
    assert again.lessons.keep == ["one", "two"]
    assert again.lessons.change == ["one", "two", "ask for the next step"]
    record = again
    record.lessons.keep[0] = "kept my calm"
    save(record, path)
    assert load(path).lessons.change[0] == "one"
    assert "*k" not in path.read_text(encoding="utf-8")


def test_times_are_quoted_on_save_so_other_yaml_tools_read_text(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    record = load(path)
    record.interview.time = dt.time(16, 0)
    record.move_on.worry_time = dt.time(18, 30)
    save(record, path)
    text = path.read_text(encoding="utf-8")
    assert "time: '16:00'" in text and "worry_time: '18:30'" in text
    assert load(path) == record


def test_a_read_only_record_is_refused_not_overwritten(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    record = load(path)
    record.perspective.automatic_thought = "I blew it"
    path.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        save(record, path)
    assert path.read_text(encoding="utf-8") == MINIMAL
    assert path.stat().st_mode & 0o777 == 0o444


def test_a_temp_file_left_by_a_killed_save_is_removed_by_the_next_save(copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys\n"
            "from pathlib import Path\n"
            "from afterview.record.store import atomic_write\n"
            "with atomic_write(Path(sys.argv[1])) as handle:\n"
            "    handle.write('half a rec'); handle.flush()\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n",
            str(path),
        ],
        check=False,
    )
    assert killed.returncode == -9
    assert len(list(path.parent.glob(".record-minimal.yaml.*.tmp"))) == 1
    save(load(path), path)
    assert not list(path.parent.glob(".record-minimal.yaml.*.tmp"))
    assert load(path).candidate.name == "Noor Haddad"


def test_more_than_thirty_interviewers_is_refused_with_the_limit(tmp_path: Path) -> None:
    people = "".join(f"  - name: Person {n}\n" for n in range(200))
    path = tmp_path / "crowd.yaml"
    path.write_text(MINIMAL.replace("  - name: Grace Liu\n", people), encoding="utf-8")
    with pytest.raises(
        RecordError, match=r"interviewers \(line 9\): has 200 entries; at most 30 are"
    ):
        load(path)


def test_an_answer_longer_than_the_limit_is_refused_with_its_length(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(MINIMAL + f"coach_notes: {'word ' * 5000}\n", encoding="utf-8")
    with pytest.raises(
        RecordError, match=r"coach_notes \(line \d+\): is 24999 characters long; at most 20,000"
    ):
        load(path)


def test_a_file_too_big_to_be_a_record_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(MINIMAL + "# " + "x" * 2_000_000 + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"huge.yaml: is 2,000 kB; a record is at most 250 kB"):
        load(path)


def test_an_alias_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match="holds more than 50,000 values"):
        load(path)


def test_yaml_nested_too_deeply_is_a_record_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("candidate: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"opens more than 100 brackets \(\[ or \{\) inside"):
        load(path)


@pytest.mark.parametrize(
    "answer",
    [
        "first line\n\x1f",
        "windows\r\nline ends",
        "a\u2028b\nc",
        "tab\tand\nnext",
        "0\x85one line with a next-line mark",  # found by Hypothesis: NEL was read back as a space
        "one line\u2029with a paragraph mark",
    ],
)
def test_an_answer_with_control_characters_saves_and_loads_back(copy_record, answer: str) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    record = load(path)
    record.perspective.situation = answer
    save(record, path)
    assert load(path) == record  # the answer as the schema keeps it, read back the same
