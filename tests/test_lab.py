"""Opening JupyterLab on one client's workbook (`make lab RECORD=...`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from afterview.record.errors import RecordError
from afterview.workbook import lab
from afterview.workbook.files import NOTEBOOKS

from .conftest import FIXTURES


def injected(notebook: Any) -> str:
    cells = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    return str(cells[0].source)


def test_the_workbook_is_written_for_the_chosen_record(copy_record, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record = copy_record("ada-okafor-panel.yaml")
    folder = lab.prepare_lab(record, tmp_path / "lab")

    assert sorted(p.name for p in folder.glob("*.ipynb")) == sorted(NOTEBOOKS)
    for name in NOTEBOOKS:
        notebook = nbformat.read(folder / name, as_version=4)
        parameters = injected(notebook)
        assert f"record = {str(record.resolve())!r}" in parameters.replace('"', "'")
        assert "interactive = True" in parameters
        assert "coach_view = True" in parameters
        assert notebook.metadata.kernelspec.name == "python3"
        assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


def test_a_client_working_alone_gets_no_coach_fields(copy_record, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = lab.prepare_lab(copy_record("ada-okafor-panel.yaml"), tmp_path / "lab", coach=False)
    assert "coach_view = False" in injected(nbformat.read(folder / "report.ipynb", as_version=4))


def test_a_broken_record_is_reported_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="malformed"):
        lab.prepare_lab(FIXTURES / "bad-malformed-yaml.yaml", tmp_path / "lab")
    assert not (tmp_path / "lab").exists()


def test_jupyterlab_runs_on_this_environments_kernels(
    copy_record,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        calls.append({"command": command, **options})
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    record = copy_record("ada-okafor-panel.yaml")

    assert lab.lab(record, open_browser=False) == 0

    (call,) = calls
    folder = record.with_name("ada-okafor-panel.workbook")
    assert call["command"][:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert "--no-browser" in call["command"]
    assert call["cwd"] == folder
    assert call["env"]["JUPYTER_PATH"] == str(Path(sys.prefix) / "share" / "jupyter")
    assert (folder / "0-intake.ipynb").is_file()


def test_preparing_again_keeps_the_coachs_own_cells(copy_record, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record = copy_record("ada-okafor-panel.yaml")
    folder = lab.prepare_lab(record, tmp_path / "lab")
    notebook = nbformat.read(folder / "1-perspective.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("Session notes: talk about sleep."))
    nbformat.write(notebook, folder / "1-perspective.ipynb")

    lab.prepare_lab(record, folder, coach=False)

    again = nbformat.read(folder / "1-perspective.ipynb", as_version=4)
    assert again.cells[-1].source == "Session notes: talk about sleep."
    assert "coach_view = False" in injected(again)
