"""Opening JupyterLab on one client's workbook (`make lab RECORD=...`)."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import nbformat
import pytest

from afterview.record.errors import RecordError
from afterview.workbook import lab
from afterview.workbook.files import NOTEBOOKS, notebooks_dir

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


# --- no code on the coach's screen ----------------------------------------------------------


def folded(cell: Any) -> bool:
    return bool(cell.metadata.get("jupyter", {}).get("source_hidden"))


def test_the_prepared_workbook_folds_every_code_cell_and_shows_its_output(  # type: ignore[no-untyped-def]
    copy_record, tmp_path: Path
) -> None:
    folder = lab.prepare_lab(copy_record("ada-okafor-panel.yaml"), tmp_path / "lab")
    for name in NOTEBOOKS:
        code = [
            c for c in nbformat.read(folder / name, as_version=4).cells if c.cell_type == "code"
        ]
        assert len(code) >= 4, name  # parameters, injected parameters, setup, form or result
        for cell in code:
            assert folded(cell), f"{name}: {cell.source.splitlines()[0]}"
            assert cell.metadata.jupyter.get("outputs_hidden") is False


def test_the_committed_notebooks_keep_their_code_readable() -> None:
    for name in NOTEBOOKS:
        cells = nbformat.read(notebooks_dir() / name, as_version=4).cells
        assert not any(folded(cell) for cell in cells), name


def test_preparing_again_folds_the_workbook_code_but_leaves_the_coachs_own_code_open(  # type: ignore[no-untyped-def]
    copy_record, tmp_path: Path
) -> None:
    record = copy_record("ada-okafor-panel.yaml")
    folder = lab.prepare_lab(record, tmp_path / "lab")
    path = folder / "4-lessons.ipynb"
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("jupyter", None)  # the coach unfolded everything, then saved
    notebook.cells.append(nbformat.v4.new_code_cell("len(session.record.lessons.plans)"))
    nbformat.write(notebook, path)

    lab.prepare_lab(record, folder)

    again = nbformat.read(path, as_version=4)
    code = [cell for cell in again.cells if cell.cell_type == "code"]
    assert [folded(cell) for cell in code] == [True] * (len(code) - 1) + [False]
    assert code[-1].source == "len(session.record.lessons.plans)"


# --- the server: this machine, this environment, no network ----------------------------------


def test_the_server_listens_on_this_machine_only_and_never_reaches_the_network(
    tmp_path: Path,
) -> None:
    with lab.configured(tmp_path) as settings:
        config = lab.server_config(settings)
        written = json.loads((settings.config_dir / "jupyter_server_config.json").read_text())
        page = json.loads((settings.config_dir / "labconfig" / "page_config.json").read_text())
        css = (settings.config_dir / "custom" / "custom.css").read_text()
        mode = settings.private.stat().st_mode & 0o777

    assert written == config
    assert config["ServerApp"]["ip"] == "127.0.0.1"
    assert config["ServerApp"]["root_dir"] == str(tmp_path.resolve())
    assert config["LabApp"]["news_url"] is None
    assert config["LabApp"]["check_for_updates_class"] == "jupyterlab.NeverCheckForUpdate"
    assert config["LabApp"]["extension_manager"] == "readonly"
    assert page["disabledExtensions"] == {
        "@jupyterlab/extensionmanager-extension": True,
        "@jupyterlab/apputils-extension:announcements": True,
    }
    assert ".jp-PlaceholderText" in css and "display: none" in css
    assert mode == 0o700
    assert not settings.private.exists(), "the private settings outlive the server"


def test_the_users_jupyter_settings_and_kernels_are_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_PATH", "/home/someone/.local/share/jupyter")
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/home/someone/.jupyter-extra")
    monkeypatch.setenv("JUPYTER_TOKEN", "")  # would switch the token off
    with lab.configured(tmp_path) as settings:
        env = lab.lab_environment(settings)

    assert env["JUPYTER_PATH"] == str(Path(sys.prefix) / "share" / "jupyter")
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        assert Path(env[variable]).is_relative_to(settings.private), variable
    assert "JUPYTER_CONFIG_PATH" not in env
    assert "JUPYTER_TOKEN" not in env
    assert env["PYTHONNOUSERSITE"] == "1"


def test_ctrl_c_stops_jupyterlab_quietly_and_removes_its_private_settings(  # type: ignore[no-untyped-def]
    copy_record, monkeypatch: pytest.MonkeyPatch
) -> None:
    private: list[Path] = []

    def interrupted(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        private.append(Path(options["env"]["JUPYTER_CONFIG_DIR"]).parent)
        assert private[0].is_dir()
        raise KeyboardInterrupt

    monkeypatch.setattr(subprocess, "run", interrupted)

    assert lab.lab(copy_record("ada-okafor-panel.yaml"), open_browser=False) == 0
    assert private and not private[0].exists()


def lines_until(stream: Any, pattern: str, timeout: float) -> tuple[re.Match[str], list[str]]:
    """Read ``stream`` line by line until one matches ``pattern``; fail after ``timeout``."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 1.0)
        line = stream.readline() if ready else ""
        seen.append(line)
        if found := re.search(pattern, line):
            return found, seen
    raise AssertionError(f"never printed {pattern!r}: {''.join(seen)[-2000:]}")


def until_listening(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_afterview_lab_prints_an_address_with_its_token_and_ctrl_c_stops_it(  # type: ignore[no-untyped-def]
    copy_record,
) -> None:
    record = copy_record("ada-okafor-panel.yaml")
    process = subprocess.Popen(
        [sys.executable, "-m", "afterview", "lab", str(record), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        private, _ = lines_until(process.stdout, r"(/\S+/afterview-lab-[^/\s]+)/", 90)
        found, _ = lines_until(process.stdout, r"http://127\.0\.0\.1:\d+/lab\?token=\w{32,}", 90)
        url = found.group(0)
        port = int(url.split(":")[2].split("/")[0])
        until_listening(port)  # the address is printed just before the server listens
        with urllib.request.urlopen(url.replace("/lab?", "/api/contents?"), timeout=30) as answer:
            listed = {item["name"] for item in json.load(answer)["content"]}
        assert set(NOTEBOOKS) <= listed
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.split("?")[0].replace("/lab", "/api/contents"), timeout=30)
        assert refused.value.code == 403
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert not Path(private.group(1)).exists(), "the private settings outlive the server"
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=5)
