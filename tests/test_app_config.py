"""The self-guided app's server is local and locked down before any browser touches it."""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import stat
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from afterview.app import config as app
from afterview.app import web
from afterview.record.errors import AfterviewError, RecordError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(copy_record: Any, tmp_path: Path) -> app.Settings:
    return app.prepare(copy_record("ada-okafor-panel.yaml"), port=8123, workdir=tmp_path / "w")


def config_of(settings: app.Settings) -> dict[str, dict[str, Any]]:
    """Read back the generated voila.py: every `c.Section.name = literal` line."""
    found: dict[str, dict[str, Any]] = {}
    text = (settings.config_dir / "voila.py").read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Attribute):
            target = node.targets[0]
            section = target.value
            if isinstance(section, ast.Attribute) and isinstance(
                node.value, ast.Constant | ast.Dict | ast.List
            ):
                found.setdefault(section.attr, {})[target.attr] = ast.literal_eval(node.value)
    return found


def test_the_server_listens_on_loopback_only_and_never_on_another_port(
    settings: app.Settings,
) -> None:
    voila = config_of(settings)["Voila"]
    assert voila["ip"] == "127.0.0.1"
    assert voila["port"] == 8123
    assert voila["port_retries"] == 0
    assert settings.url.startswith("http://127.0.0.1:8123/?token=")


def test_a_random_token_is_required_and_kept_off_the_command_line(
    settings: app.Settings, copy_record: Any
) -> None:
    voila = config_of(settings)["Voila"]
    assert len(str(voila["token"])) >= 24
    assert voila["token"] == settings.token
    assert config_of(settings)["IdentityProvider"]["cookie_options"] == {"samesite": "Strict"}
    assert settings.token not in " ".join(app.voila_command(settings))
    mode = stat.S_IMODE((settings.config_dir / "voila.py").stat().st_mode)
    assert mode & 0o077 == 0, "the config file holding the token is private"
    assert stat.S_IMODE(settings.workdir.stat().st_mode) & 0o077 == 0
    other = app.prepare(copy_record("ada-okafor-panel.yaml"), port=8124)
    try:
        assert other.token != settings.token
    finally:
        shutil.rmtree(other.workdir)


def test_the_template_and_theme_cannot_be_switched_from_the_url(settings: app.Settings) -> None:
    conf = config_of(settings)["VoilaConfiguration"]
    assert conf["allow_template_override"] == "NO"
    assert conf["allow_theme_override"] == "NO"
    assert conf["template"] == "afterview"
    assert conf["strip_sources"] is True
    assert conf["show_tracebacks"] is False
    assert conf["file_allowlist"] == [], "no file of the working folder is served"


def test_idle_kernels_are_culled_and_cells_time_out(settings: app.Settings) -> None:
    config = config_of(settings)
    assert 0 < int(config["MappingKernelManager"]["cull_idle_timeout"]) <= 3600
    assert 0 < int(config["MappingKernelManager"]["cull_interval"]) <= 300
    assert 0 < int(config["VoilaExecutor"]["timeout"]) <= 600
    assert int(config["VoilaExecutor"]["iopub_timeout"]) >= 10, "a page's output is not dropped"


def test_a_warm_kernel_is_kept_ready_and_closed_pages_lose_theirs_within_seconds(
    settings: app.Settings, copy_record: Any, tmp_path: Path
) -> None:
    config = config_of(settings)
    assert config["VoilaConfiguration"]["preheat_kernel"] is True, "on unless --no-preheat"
    warm = app.prepare(copy_record("ada-okafor-panel.yaml"), workdir=tmp_path / "w")
    assert config_of(warm)["VoilaConfiguration"]["preheat_kernel"] is True
    assert config_of(warm)["VoilaConfiguration"]["default_pool_size"] == 1
    assert int(config["MappingKernelManager"]["cull_idle_timeout"]) <= 30
    assert config["MappingKernelManager"]["cull_connected"] is False, "open pages keep theirs"
    cold = app.prepare(copy_record("ada-okafor-panel.yaml"), workdir=tmp_path / "c", preheat=False)
    assert config_of(cold)["VoilaConfiguration"]["preheat_kernel"] is False


def test_the_open_step_is_kept_beside_the_record_not_in_the_working_folder(
    settings: app.Settings,
) -> None:
    served = nbformat.read(settings.notebook, as_version=4)
    injected = next(c for c in served.cells if "injected-parameters" in c.metadata.get("tags", []))
    state = settings.record.parent / f".{settings.record.stem}.app-state.json"
    assert f"remember = {str(state)!r}" in injected.source
    assert app.state_file(settings.record) == state


def test_the_browser_may_load_nothing_from_outside_this_server(settings: app.Settings) -> None:
    headers = config_of(settings)["Voila"]["tornado_settings"]["headers"]
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "https:" not in policy and "*" not in policy
    template = settings.workdir / "jupyter" / "voila" / "templates" / "afterview"
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"
    assert "https://" not in (template / "index.html.j2").read_text()


def test_the_served_notebook_is_a_private_copy_with_the_record_injected(
    settings: app.Settings,
) -> None:
    served = nbformat.read(settings.notebook, as_version=4)
    injected = [c for c in served.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert (
        repr(str(settings.record)) in injected[0].source
        or f'"{settings.record}"' in injected[0].source
    )
    assert settings.record.is_absolute()
    assert settings.notebook.parent == settings.workdir
    expected = ["app.ipynb", "config", "ipython", "jupyter"]  # ipython: a profile without history
    assert sorted(p.name for p in settings.workdir.iterdir()) == expected


def test_the_command_runs_this_environments_voila_on_the_served_notebook(
    settings: app.Settings,
) -> None:
    command = app.voila_command(settings)
    assert command[:3] == [sys.executable, "-m", "afterview.app.web"]  # Voilà, locked to 127.0.0.1
    assert command[3] == str(settings.notebook)
    assert "--no-browser" in command
    env = app.voila_environment(settings)
    paths = env["JUPYTER_PATH"].split(os.pathsep)
    assert paths[:2] == [
        str(settings.workdir / "jupyter"),
        str(Path(sys.prefix) / "share" / "jupyter"),
    ]


def test_the_app_notebook_keeps_its_parameter_contract_and_no_outputs() -> None:
    notebook = nbformat.read(ROOT / "notebooks" / "app.ipynb", as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert 'record: str = "../examples/ada-okafor-panel.yaml"' in tagged[0].source
    assert "interactive: bool = True" in tagged[0].source
    assert all("#" in line for line in tagged[0].source.splitlines()), "each one says what it does"
    assert notebook.metadata.kernelspec.name == "python3"
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def test_a_missing_record_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="no such file"):
        app.prepare(tmp_path / "nobody.yaml")
    with pytest.raises(RecordError, match="folder"):
        app.prepare(tmp_path)


def test_a_port_already_in_use_is_refused_with_what_to_do(copy_record: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        with pytest.raises(AfterviewError, match=f"port {taken} is already in use.*--port"):
            app.prepare(copy_record("ada-okafor-panel.yaml"), port=taken)


def test_only_the_page_cell_may_wait_for_a_visitor_past_the_cell_timeout() -> None:
    notebook = nbformat.read(ROOT / "notebooks" / "app.ipynb", as_version=4)
    waiting = [c for c in notebook.cells if web.WAITS_FOR_VISITOR in c.metadata.get("tags", [])]
    assert len(waiting) == 1 and "page(" in waiting[0].source
    timeout = web.cell_timeout(120)
    assert timeout(waiting[0]) is None
    assert {timeout(c) for c in notebook.cells if c not in waiting} == {120}
