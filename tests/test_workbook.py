"""What a notebook sees when it opens a record: a session, or one friendly sentence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from afterview.workbook import notebook
from afterview.workbook.session import Session

from .conftest import EXAMPLES, FIXTURES


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    boxes: list[str] = []
    monkeypatch.setattr(notebook, "show", boxes.append)
    return boxes


def test_a_good_record_opens_a_session(shown: list[str]) -> None:
    session = notebook.open_record(EXAMPLES / "ada-okafor-panel.yaml")
    assert isinstance(session, Session)
    assert session.record.candidate.name == "Ada Okafor"
    assert shown == []


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("does-not-exist.yaml", "no such file"),
        ("bad-malformed-yaml.yaml", "line 11: the YAML is malformed"),
        ("bad-unknown-field.yaml", "is not a field Afterview knows"),
    ],
)
def test_a_broken_record_shows_a_box_and_stops_with_one_line(
    name: str, says: str, shown: list[str]
) -> None:
    with pytest.raises(notebook.NotebookStop) as stop:
        notebook.open_record(FIXTURES / name)
    (line,) = stop.value._render_traceback_()
    assert line.startswith("We couldn't open this record: ")
    assert says in line
    assert "\n" not in line
    (box,) = shown
    assert 'role="alert"' in box and "We couldn't open this record." in box
    assert says.replace("'", "&#x27;") in box


def test_now_is_the_current_time_when_empty_and_parsed_when_given(shown: list[str]) -> None:
    assert notebook.parse_now("") is None
    assert notebook.parse_now("2026-11-24T18:00:00+00:00") == dt.datetime(
        2026, 11, 24, 18, tzinfo=dt.UTC
    )
    with pytest.raises(notebook.NotebookStop, match="2026-11-24T18:00:00"):
        notebook.parse_now("tomorrow evening")
    assert len(shown) == 1


def test_a_time_without_a_zone_is_read_in_the_interviews_zone(shown: list[str]) -> None:
    moment = notebook.parse_now("2026-11-24T18:00", zone="America/Lima")
    assert moment is not None and moment.utcoffset() == dt.timedelta(hours=-5)
    assert moment.replace(tzinfo=None) == dt.datetime(2026, 11, 24, 18)
    assert moment < dt.datetime(2026, 11, 26, tzinfo=dt.UTC)  # comparable with send-by times


def test_a_time_without_a_zone_and_no_zone_to_read_it_in_is_refused(shown: list[str]) -> None:
    with pytest.raises(notebook.NotebookStop, match="has no time zone"):
        notebook.parse_now("2026-11-24T18:00")


def test_the_session_path_is_the_one_given(tmp_path: Path, copy_record) -> None:  # type: ignore[no-untyped-def]
    path = copy_record("record-minimal.yaml")
    assert notebook.open_record(str(path)).path == path
