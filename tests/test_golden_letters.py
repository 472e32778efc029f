"""The example clients' letters, exactly as reviewed: every wording change is a visible diff.

The reviewed letters live in ``tests/golden/letters/<example>/NN-name.txt`` (what
``afterview letters`` writes as ``.txt``). After a deliberate change to the template or the
examples, regenerate them and read the diff before committing:

    AFTERVIEW_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_letters.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from afterview import load
from afterview.coaching.checks import check_letters
from afterview.coaching.letters import Letter, message_text, render_letters, write_letters

from .conftest import example_records

GOLDEN = Path(__file__).resolve().parent / "golden" / "letters"
UPDATE = os.environ.get("AFTERVIEW_UPDATE_GOLDEN") == "1"
PATHS = example_records()


def _written(path: Path, out: Path) -> dict[str, str]:
    written = write_letters(load(path), out)
    return {p.name: p.read_text(encoding="utf-8") for p in written if p.suffix == ".txt"}


@pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
def test_the_letters_are_the_reviewed_ones(path: Path, tmp_path: Path) -> None:
    letters = _written(path, tmp_path)
    folder = GOLDEN / path.stem
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.txt"):
            old.unlink()
        for name, text in letters.items():
            (folder / name).write_text(text, encoding="utf-8")
    reviewed = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
    assert sorted(letters) == sorted(reviewed), "letters added or gone: regenerate and review"
    for name, text in letters.items():
        assert text == reviewed[name], f"{path.stem}/{name} changed: regenerate and review the diff"


def _paragraphs(letter: Letter) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", message_text(letter.body))]


@pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
def test_every_example_letter_could_go_out_as_it_stands(path: Path) -> None:
    record = load(path)
    letters = render_letters(record)
    moment = dt.datetime.combine(record.interview.date, dt.time(0), dt.UTC)

    problems = [
        (f.code, f.interviewer)
        for f in check_letters(record, letters, now=moment)
        if f.level != "info" and f.interviewer in {letter.interviewer.name for letter in letters}
    ]

    assert problems == []
    assert all(100 <= letter.word_count <= 200 for letter in letters)
    seen: dict[str, str] = {}
    for letter in letters:
        for paragraph in _paragraphs(letter):
            assert seen.setdefault(paragraph, letter.interviewer.name) == letter.interviewer.name


def test_the_golden_letters_cover_every_planned_example_letter() -> None:
    golden = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.glob("*/*.txt"))
    assert len(golden) >= 9
    assert {p.split("/")[0] for p in golden} <= {path.stem for path in PATHS}
