"""Properties of `afterview batch` over generated record names and records (Hypothesis).

Whatever the records are called and whatever they hold, a batch into an output folder nested in
a sandbox never raises, never touches a file outside the output folder (nor one inside it that
it did not make), gives every client a status (built, or failed with one line) and always
writes the index. The number of examples is bounded so the suite stays quick: run with
``--hypothesis-show-statistics`` to see how many each property ran.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from afterview.batch.folders import RESERVED, client_folder, folder_names
from afterview.batch.jobs import is_owned
from afterview.batch.run import run_batch

from .conftest import EXAMPLES, FIXTURES

NOW = dt.datetime(2026, 11, 25, 18, 0, tzinfo=dt.UTC)
NOTEBOOK = FIXTURES / "batch" / "loads-record.ipynb"
"""A one-cell notebook that loads the record: the batch's own steps run in full around it."""
VALID = yaml.safe_load((EXAMPLES / "jose-alvarez-phone-screen.yaml").read_text("utf-8"))

_TRICKY = [".", "..", "...", "-", "_", " ", "~", "\\", ":", "%2F", "..%2f", "*", "?", "\t", "é"]
_NAMED_LIKE_OURS = [*sorted(RESERVED), ".partial-1a2b3c4d", ".x.old-00000000", "CON", "nul.txt"]


def _fits(name: str) -> bool:
    """A file name this disk accepts: no separator or NUL, at most 255 bytes with ``.yaml``."""
    return "/" not in name and "\0" not in name and len(f"{name}.yaml".encode()) <= 255


stems = st.one_of(
    st.sampled_from(_NAMED_LIKE_OURS),
    st.lists(st.sampled_from(_TRICKY), min_size=1, max_size=4).map("".join),
    st.text(min_size=1, max_size=12),
    st.text(st.sampled_from("aZ.é-_ 9"), min_size=60, max_size=120),
).filter(_fits)


def _record(name: str, interviewer: str, rating: int) -> str:
    data = {**VALID, "candidate": {**VALID["candidate"], "name": name}}
    data["interviewers"] = [{**VALID["interviewers"][0], "name": interviewer}]
    data["interview"] = {**VALID["interview"], "self_rating": rating}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


records = st.one_of(
    st.builds(_record, st.text(max_size=20), st.text(max_size=20), st.integers(-1, 7)),
    st.sampled_from(["", "not: [valid\n", "- a list\n", "candidate: {}\n", "\x00\x01"]),
    st.text(max_size=40),
)


def _snapshot(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }


def _make(folder: Path, name: str, text: str | None) -> None:
    """A file (or, with no text, a folder holding a file) the batch did not make."""
    path = folder / name
    if text is None:
        path.mkdir()
        (path / "keep.txt").write_text("the coach's own", encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    clients=st.dictionaries(stems, records, min_size=1, max_size=3),
    foreign=st.dictionaries(
        stems.filter(lambda s: s not in RESERVED and not s.endswith((".yaml", ".yml"))),
        st.none() | st.text(max_size=10),
        max_size=2,
    ),
    into_clients=st.booleans(),
)
@pytest.mark.slow
def test_a_batch_touches_nothing_it_did_not_make_and_accounts_for_every_client(
    clients: dict[str, str], foreign: dict[str, str | None], into_clients: bool
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        sandbox = Path(temporary)
        (sandbox / "CANARY").write_text("do not touch", encoding="utf-8")
        folder = sandbox / "practice" / "clients"
        folder.mkdir(parents=True)
        for stem, text in clients.items():
            (folder / f"{stem}.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
        out = folder if into_clients else sandbox / "practice" / "reports" / "november"
        out.mkdir(parents=True, exist_ok=True)
        for name, text in foreign.items():
            if not (out / name).exists() and not (out / f"{name}.yaml").exists():
                _make(out, name, text)
        before = _snapshot(sandbox)

        result = run_batch(
            folder, out, workers=1, pdf=False, progress=False, now=NOW, notebooks=[NOTEBOOK]
        )

        after = _snapshot(sandbox)
        assert {path: after.get(path) for path in before} == before  # nothing changed or gone
        inside = out.relative_to(sandbox).as_posix() + "/"
        new = {path for path in after if path not in before}
        assert all(path.startswith(inside) for path in new)
        for top in {path[len(inside) :].split("/")[0] for path in new}:
            assert top in RESERVED or is_owned(out / top), top
        assert len(result.clients) == len(clients)
        for entry in result.clients:
            assert entry.status in ("ok", "failed")
            assert (entry.status == "failed") == bool(entry.error)
            assert "\n" not in entry.error and "Traceback" not in entry.error
        assert result.index.is_file() and result.summary_csv.is_file()
        for entry in result.clients:
            renamed = "renamed" if entry.note.startswith("folder renamed") else "own name"
            event(f"a client {entry.status}, folder {renamed}")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=6))
def test_every_record_gets_a_distinct_plain_folder_inside_the_output(stems: list[str]) -> None:
    names = folder_names(stems)
    out = Path("/reports")
    assert len({name.casefold() for name in names}) == len(stems)
    for name in names:
        assert client_folder(out, name).parent == out  # raises if the name is not plain
        assert not name.startswith(".") and name not in RESERVED and len(name) <= 80
