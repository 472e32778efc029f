"""The workbook notebooks, run headless by papermill the way the batch runs them.

Each (notebook, record) pair runs once per test session and every assertion reads its output.
Validation of the notebooks as committed (nbval) is separate:

    .venv/bin/pytest --nbval-lax --nbval-current-env notebooks/
"""

from __future__ import annotations

import ast
import html
import importlib.util
import json
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest

from afterview.coaching.letters import greeting_name
from afterview.record import store
from afterview.record.schema import Record
from afterview.workbook.files import NOTEBOOKS

from .conftest import FIXTURES, ROOT, example_records

NOTEBOOK_DIR = ROOT / "notebooks"
NOW = "2026-11-24T09:00:00+00:00"
EXAMPLES = example_records()
_RUNS: dict[tuple[str, str, bool], tuple[nbformat.NotebookNode, str | None]] = {}


def run(
    notebook: str, record: Path, tmp: Path, *, coach_view: bool = False
) -> tuple[Any, str | None]:
    """Run a notebook headless (once per session) and return it with papermill's error, if any."""
    key = (notebook, str(record), coach_view)
    if key not in _RUNS:
        output = tmp / f"{len(_RUNS)}-{notebook}"
        error = None
        try:
            papermill.execute_notebook(
                str(NOTEBOOK_DIR / notebook),
                str(output),
                parameters={
                    "record": str(record),
                    "interactive": False,
                    "coach_view": coach_view,
                    "now": NOW,
                },
                kernel_name="python3",
                progress_bar=False,
                cwd=str(NOTEBOOK_DIR),
            )
        except papermill.PapermillExecutionError as failure:
            error = str(failure)
        _RUNS[key] = (nbformat.read(output, as_version=4), error)
    return _RUNS[key]


def text_of(notebook: Any) -> str:
    """Everything a reader of the output notebook sees (HTML, text, errors)."""
    parts: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts += [data.get("text/html", ""), data.get("text/plain", ""), output.get("text", "")]
            parts += output.get("traceback", [])
    return "\n".join(str(part) for part in parts)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("notebooks")


# --- the notebooks as committed -------------------------------------------------------------


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean_for_the_python3_kernel(name: str) -> None:
    notebook = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for statement in ast.parse(tagged[0].source).body:
        assert isinstance(statement, ast.AnnAssign)
        assert isinstance(statement.value, ast.Constant), "parameters must be literals"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_parameter_is_explained_for_papermill_help(name: str) -> None:
    parameters = papermill.inspect_notebook(str(NOTEBOOK_DIR / name))
    assert {"record", "interactive", "coach_view", "now"} <= set(parameters)
    assert all(parameter["help"] for parameter in parameters.values())
    default = parameters["record"]["default"].strip("\"'")
    assert (NOTEBOOK_DIR / default).is_file(), "the default record must exist for nbval"


def test_the_committed_notebooks_are_what_build_py_writes() -> None:
    spec = importlib.util.spec_from_file_location("notebook_build", NOTEBOOK_DIR / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name in NOTEBOOKS:
        built = build.report_notebook() if name == "report.ipynb" else build.step_notebook(name)
        committed = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
        assert json.loads(nbformat.writes(built)) == committed, f"run notebooks/build.py ({name})"


# --- every notebook, every example client ---------------------------------------------------


def _pipeline_words(client: Record) -> str:
    """What step 5 says about the pipeline: a count once the client reached it."""
    move_on = client.move_on
    if not (move_on.opportunities or move_on.closed or move_on.worry_time):
        return "not recorded yet"
    live = len(client.live_opportunities())
    return f"{live} live opportunit{'y' if live == 1 else 'ies'}"


@pytest.mark.slow
@pytest.mark.parametrize("record", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_runs_headless_for_every_example(
    name: str, record: Path, outputs: Path
) -> None:
    notebook, error = run(name, record, outputs)
    assert error is None, error
    shown = text_of(notebook)
    client = store.load(record)
    assert "Traceback" not in shown
    assert "ipywidgets" not in shown and "VBox(" not in shown, "headless runs build no forms"
    expected = {
        "0-intake.ipynb": [client.interview.company, *[p.name for p in client.interviewers]],
        "1-perspective.ipynb": [client.perspective.automatic_thought, "How did it go?"],
        "2-letter.ipynb": [f"Letter to {p.name}" for p in client.interviewers],
        "3-strengths.ipynb": [s.requirement for s in client.strengths.map],
        "4-lessons.ipynb": [client.lessons.why, *[s.question for s in client.lessons.star_stories]],
        "5-move-on.ipynb": [_pipeline_words(client)],
        "report.ipynb": [
            client.candidate.name,
            *[f"Letter to {p.name}" for p in client.interviewers],
            "Your action plan",
            *[f"If {plan.when}" for plan in client.lessons.if_then],
        ],
    }[name]
    for text in expected:
        assert html.escape(text) in shown


@pytest.mark.slow
@pytest.mark.parametrize("record", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_report_never_shows_coach_notes_to_the_client(record: Path, outputs: Path) -> None:
    client = store.load(record)
    assert client.coach_notes, "each example has coach notes, so this check can fail"
    notebook, _ = run("report.ipynb", record, outputs)
    coach_copy, _ = run("report.ipynb", record, outputs, coach_view=True)
    assert html.escape(client.coach_notes) not in text_of(notebook)
    assert html.escape(client.coach_notes) in text_of(coach_copy)


@pytest.mark.slow
def test_a_panel_of_three_gets_three_letters_each_greeting_its_interviewer(outputs: Path) -> None:
    record = FIXTURES / "panel-three-interviewers.yaml"
    notebook, error = run("2-letter.ipynb", record, outputs)
    shown = text_of(notebook)
    assert error is None
    assert shown.count('<section class="av-box"') == 3
    for person in store.load(record).interviewers:
        assert html.escape(f"Dear {greeting_name(person)},") in shown


@pytest.mark.slow
def test_a_too_long_letter_shows_a_finding_beside_it(outputs: Path) -> None:
    notebook, error = run("2-letter.ipynb", FIXTURES / "workbook-too-long-letter.yaml", outputs)
    shown = text_of(notebook)
    assert error is None
    assert "Fix before sending" in shown
    assert "The letter to Orla Byrne is 3" in shown  # "... is 326 words"


@pytest.mark.slow
def test_a_record_with_only_the_facts_says_nothing_yet(outputs: Path) -> None:
    notebook, error = run("report.ipynb", FIXTURES / "record-minimal.yaml", outputs)
    shown = text_of(notebook)
    assert error is None
    assert "No emotions rated yet." in shown
    assert "No other opportunities yet." in shown
    assert "<img" not in shown  # no empty charts


@pytest.mark.slow
@pytest.mark.parametrize(
    ("record", "says"),
    [
        (FIXTURES / "does-not-exist.yaml", "no such file"),
        (FIXTURES / "bad-malformed-yaml.yaml", "the YAML is malformed"),
        (FIXTURES / "bad-rating-out-of-range.yaml", "self_rating"),
    ],
    ids=["missing", "corrupt", "invalid"],
)
def test_a_broken_record_gives_one_clear_sentence_not_a_traceback(
    record: Path, says: str, outputs: Path
) -> None:
    notebook, error = run("1-perspective.ipynb", record, outputs)
    assert error is not None, "the run is reported as failed, so a batch can list it"
    shown = text_of(notebook)
    assert "We couldn't open this record" in shown
    assert says in shown
    assert "Traceback" not in shown
    assert "\x1b[" not in shown  # no coloured traceback wall
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(errors) == 1 and len(errors[0].traceback) == 1
