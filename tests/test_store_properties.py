"""Generated records, YAML texts and two windows' save sequences (Hypothesis, bounded).

Whatever a file holds, loading it gives a record or one RecordError line, never another
exception; and two sessions editing one record, in any interleaving, lose no edit.
Run with ``--hypothesis-show-statistics`` to see how many cases each property ran.
"""

from __future__ import annotations

import datetime as dt
import io
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from afterview.record import rules, schema, store
from afterview.record.errors import RecordError
from afterview.record.schema import Record
from afterview.workbook.session import Session

from .conftest import EXAMPLES

EXAMPLE = (EXAMPLES / "ada-okafor-panel.yaml").read_text(encoding="utf-8")
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _load_text(tmp_path: Path, text: str) -> Record | RecordError:
    """Load ``text`` as a record file: the property is that nothing but RecordError escapes."""
    path = tmp_path / "generated.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        return store.load(path)
    except RecordError as error:
        message = str(error)
        assert message.startswith(f"{path}: ") and "\n" not in message
        assert "Traceback" not in message
        return error


# --- generated YAML texts -------------------------------------------------------------------

NASTY_SCALARS = [
    "2026-02-30",
    "2026-13-01",
    "9999-12-31",
    "0001-01-01",
    "9" * 5000,
    "1e999",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "16:00",
    "24:61",
    "~",
    "null",
    "yes",
    "[unclosed",
    "{a: 1}",
    "&anchor x",
    "*nowhere",
    "!!binary aGk=",
    "!!python/object:os.system ls",
    "'quoted: colon'",
    "|\n  block",
    "ann at acme",
    "@",
    "- list",
    "<<: *x",
    "\t",
    "\\x00",
]
scalars = st.sampled_from(NASTY_SCALARS) | st.text(max_size=40)


@BOUNDED
@given(text=st.text(alphabet=string.printable + "äé€…\u2028", max_size=300))
def test_any_text_loads_or_is_one_record_error(tmp_path: Path, text: str) -> None:
    _load_text(tmp_path, text)


@BOUNDED
@given(line=st.integers(min_value=0, max_value=EXAMPLE.count("\n")), value=scalars)
def test_any_value_in_a_real_record_loads_or_is_one_record_error(
    tmp_path: Path, line: int, value: str
) -> None:
    lines = EXAMPLE.splitlines()
    key, colon, _ = lines[line % len(lines)].partition(": ")
    lines[line % len(lines)] = f"{key}{colon or ': '}{value}"
    _load_text(tmp_path, "\n".join(lines) + "\n")


@BOUNDED
@given(
    line=st.integers(min_value=0, max_value=EXAMPLE.count("\n")),
    inserted=st.text(alphabet=string.printable, max_size=60),
)
def test_any_line_inserted_in_a_real_record_loads_or_is_one_record_error(
    tmp_path: Path, line: int, inserted: str
) -> None:
    lines = EXAMPLE.splitlines()
    lines.insert(line, inserted)
    _load_text(tmp_path, "\n".join(lines) + "\n")


# --- generated records ----------------------------------------------------------------------

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True)
    | st.dates()
    | st.times().map(lambda t: t.isoformat())
    | st.text(max_size=30)
)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
person = st.fixed_dictionaries(
    {"name": st.text(max_size=20)},
    optional={"title": st.text(max_size=20), "email": st.text(max_size=20) | st.emails()},
)
records = st.fixed_dictionaries(
    {
        "schema_version": st.sampled_from([1, 0, 2, "1", None]),
        "candidate": st.fixed_dictionaries({"name": st.text(max_size=20)}) | values,
        "interview": st.fixed_dictionaries(
            {
                "company": st.text(max_size=20),
                "role": st.text(max_size=20),
                "date": st.dates() | scalars,
            },
            optional={
                "time": st.times().map(lambda t: t.strftime("%H:%M")) | scalars,
                "timezone": st.sampled_from(["Asia/Tokyo", "UTC", "Mars/Olympus"]) | scalars,
                "self_rating": st.integers() | scalars,
            },
        ),
        "interviewers": st.lists(person, max_size=35) | values,
    },
    optional={
        "requirements": st.lists(st.text(max_size=30), max_size=5) | values,
        "perspective": st.dictionaries(
            st.sampled_from(["situation", "belief", "evidence_for", "emotions", "extra"]), values
        ),
        "letters": st.fixed_dictionaries(
            {"plans": st.lists(st.fixed_dictionaries({"interviewer": st.text(max_size=20)}))}
        ),
        "coach_notes": values,
    },
)


def _yaml_text(data: Any) -> str:
    stream = io.StringIO()
    YAML().dump(data, stream)
    return stream.getvalue()


@BOUNDED
@given(data=records)
def test_any_generated_record_loads_or_is_one_record_error_and_saves_as_it_loads(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    loaded = _load_text(tmp_path, _yaml_text(data))
    if isinstance(loaded, Record):
        path = tmp_path / "generated.yaml"
        store.save(loaded, path)
        assert store.load(path) == loaded


names = st.text(alphabet=string.ascii_letters + " .'-éñ", min_size=1, max_size=20).filter(str.strip)
answers = st.text(max_size=80)
valid_records = st.fixed_dictionaries(
    {
        "schema_version": st.just(1),
        "candidate": st.fixed_dictionaries({"name": names}),
        "interview": st.fixed_dictionaries(
            {
                "company": names,
                "role": names,
                "date": st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
                "time": st.times().map(lambda t: t.replace(second=0, microsecond=0)),
                "timezone": st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]),
                "self_rating": st.integers(1, 10),
            }
        ),
        "interviewers": st.lists(
            st.fixed_dictionaries(
                {"name": names},
                optional={
                    "title": answers,
                    "email": st.from_regex(
                        r"[a-z]{1,8}(\.[a-z]{1,8})?@[a-z]{1,8}\.org", fullmatch=True
                    ),
                },
            ),
            min_size=1,
            max_size=5,
            unique_by=lambda person: person["name"].strip(),
        ),
        "requirements": st.lists(answers.filter(str.strip), max_size=5),
        "perspective": st.fixed_dictionaries(
            {
                "situation": answers,
                "belief": st.integers(0, 100),
                "evidence_for": st.lists(answers, max_size=3),
            }
        ),
        "lessons": st.fixed_dictionaries({"keep": st.lists(answers, max_size=3)}),
        "coach_notes": answers,
    }
)


@BOUNDED
@given(data=valid_records)
def test_any_valid_record_saves_and_loads_back_unchanged(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    record = store.validate(data)
    path = store.save(record, tmp_path / "valid.yaml")
    assert store.load(path) == record
    store.save(record, path)  # saving again over its own file changes nothing
    assert store.load(path) == record


# --- two windows, any interleaving ----------------------------------------------------------

TEXT_FIELDS = [("perspective", "situation"), ("lessons", "why"), ("perspective", "self_compassion")]
ORIGINAL_REQUIREMENTS = 3  # the example's requirements: edited in place, never removed here

words = st.text(alphabet=string.ascii_letters + " ,.:#'-é", min_size=1, max_size=16)
operations = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1),  # which window
        st.sampled_from(["text", "requirement", "append", "belief", "refresh"]),
        st.integers(min_value=0, max_value=len(TEXT_FIELDS) - 1),
        words,
    ),
    min_size=1,
    max_size=8,
)


def _edit(kind: str, which: int, value: str | int) -> Callable[[Record], None]:
    def edit(record: Record) -> None:
        if kind == "text":
            section, name = TEXT_FIELDS[which]
            setattr(getattr(record, section), name, value)
        elif kind == "requirement":
            record.requirements[which % ORIGINAL_REQUIREMENTS] = str(value)
        elif kind == "append":
            record.requirements.append(str(value))
        else:
            record.perspective.belief = int(value)

    return edit


def _slot(kind: str, which: int) -> int:
    """Which field an operation writes (belief is one field; the others are chosen)."""
    return {"text": which, "requirement": which % ORIGINAL_REQUIREMENTS}.get(kind, 0)


def _current(record: Record, kind: str, which: int) -> object:
    if kind == "text":
        section, name = TEXT_FIELDS[which]
        return getattr(getattr(record, section), name)
    if kind == "requirement":
        return record.requirements[which % ORIGINAL_REQUIREMENTS]
    return record.perspective.belief


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_two_windows_in_any_interleaving_lose_no_edit(tmp_path: Path, steps: list[Any]) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    windows = [Session(path), Session(path)]
    last: dict[tuple[str, int], object] = {}  # the last value written to each field
    appended: list[str] = []
    for count, (window, kind, which, text) in enumerate(steps):
        session = windows[window]
        if kind == "refresh":
            session.refresh()
            continue
        value: str | int = count * 7 % 101 if kind == "belief" else f"{count}-{text.strip()}"
        assert session.change(_edit(kind, which, value)), session.status
        if kind == "append":
            appended.append(str(value))
        else:
            last[kind, _slot(kind, which)] = value
    saved = store.load(path)
    for (kind, which), value in last.items():
        now = _current(saved, kind, which)
        # A text both windows changed holds both; a number keeps the last window's value.
        assert now == value or (isinstance(now, str) and str(value) in now.split("\n")), (
            kind,
            which,
            value,
            now,
        )
    for value in appended:
        assert value in saved.requirements
    for session in windows:
        session.refresh()
        assert session.record == saved


@BOUNDED
@given(address=st.from_regex(schema.PLAIN_ADDRESS, fullmatch=True))
def test_an_address_let_through_by_the_quick_check_passes_the_letters_own_rule(
    address: str,
) -> None:
    assert rules._addressable(address) == address  # the .eml could be addressed to it
