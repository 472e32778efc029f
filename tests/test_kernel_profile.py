"""Kernels of the servers Afterview starts keep no history of a client's cells."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.manager import KernelManager

from afterview.app import config as app
from afterview.workbook import lab

pytestmark = pytest.mark.slow


def _history_in_a_kernel(env: dict[str, str], tmp_path: Path) -> str:
    """Start this environment's kernel with ``env``; what its IPython history is set to."""
    answer = tmp_path / "answer.txt"
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=env, cwd=str(tmp_path))
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        code = (
            "from IPython import get_ipython\n"
            "_h = get_ipython().history_manager\n"
            f"open({str(answer)!r}, 'w').write(f'{{_h.enabled}} {{_h.hist_file}}')\n"
        )
        reply = kc.execute_interactive(code, timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
    return answer.read_text(encoding="utf-8")


def test_jupyterlabs_kernels_keep_no_history_of_a_clients_cells(tmp_path: Path) -> None:
    # Every kernel used to log each cell, the record's path among them, to
    # ~/.ipython/profile_default/history.sqlite, which outlived the session.
    with lab.configured(tmp_path, open_browser=False) as settings:
        env = lab.lab_environment(settings)
        assert env["IPYTHONDIR"].startswith(str(settings.private))
        seen = _history_in_a_kernel(env, tmp_path)
    assert seen.startswith("False"), seen
    assert not settings.private.exists(), "the private profile goes with the server"


def test_the_apps_kernels_keep_no_history_of_a_clients_cells(
    copy_record: Any, tmp_path: Path
) -> None:
    settings = app.prepare(copy_record("ada-okafor-panel.yaml"), workdir=tmp_path / "app")
    env = app.voila_environment(settings)
    assert env["IPYTHONDIR"].startswith(str(settings.workdir))
    assert _history_in_a_kernel(env, tmp_path).startswith("False")


def test_the_kernel_outside_afterview_keeps_its_history(tmp_path: Path) -> None:
    """The check above can fail: a kernel with IPython's defaults does keep a history."""
    env = {"PATH": str(Path(sys.executable).parent), "IPYTHONDIR": str(tmp_path / "plain")}
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    assert _history_in_a_kernel(env, tmp_path).startswith("True")
