"""Open JupyterLab on one client's workbook, on this environment's own kernel, offline.

:func:`prepare_lab` writes the workbook notebooks, with the client's record filled in, into a
folder of their own, with the workbook's code folded away: a coach shares the screen with the
client, who should see forms and results, never code. :func:`lab` then runs JupyterLab there
until the user stops it.

The server listens on 127.0.0.1 only, with a random token of Jupyter's own (printed with the
address, never put on the command line), and reads its settings from a private folder (mode
0700, removed when it stops) instead of the user's own Jupyter folders: no user-level
configuration, kernelspec or extension can take over, and nothing reaches the network (no
extension manager, no news, no update check).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
import papermill

from afterview.coaching.calibration import folder_sentence
from afterview.coaching.history import siblings
from afterview.record import store
from afterview.record.errors import RunError
from afterview.workbook.files import NOTEBOOKS, notebooks_dir
from afterview.workbook.kernel_profile import profile_home, write_profile

__all__ = [
    "LabServer",
    "LabSettings",
    "configured",
    "lab",
    "lab_command",
    "lab_environment",
    "lab_folder",
    "prepare_lab",
    "server_config",
    "start",
]

HOST = "127.0.0.1"
START_TIMEOUT = 60.0
"""Seconds to wait for JupyterLab to answer before giving up."""

FOLDED = {"source_hidden": True, "outputs_hidden": False}
"""A workbook code cell as the coach opens it: the code folded, its form or result shown."""

PARAMETER_TAGS = frozenset({"parameters", "injected-parameters"})

OFFLINE_PLUGINS = {
    "@jupyterlab/extensionmanager-extension": True,  # searches PyPI for extensions
    "@jupyterlab/apputils-extension:announcements": True,  # news feed and update checks
}
"""JupyterLab parts that would reach the internet; switched off in the page config."""

CUSTOM_CSS = """\
/* Written by `afterview lab`. A folded code cell shows only its expand button, not the
   first line of its code: the client looks at this screen too. */
.jp-CodeCell .jp-InputPlaceholder .jp-PlaceholderText {
  display: none;
}
"""


# --- the notebooks ----------------------------------------------------------------------------


def prepare_lab(
    record: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    coach: bool = True,
    calibration: bool = False,
) -> Path:
    """Write the workbook notebooks for this record into ``dest``, ready for JupyterLab.

    Each notebook gets the record's absolute path, ``interactive = True`` and ``coach_view``
    (the coach's fields and notes; pass ``coach=False`` for a client working alone). Nothing
    is executed. The workbook's own code cells are folded (``jupyter.source_hidden``), their
    outputs shown. A notebook already in ``dest`` is kept, with cells the coach added (left as
    the coach made them), and only gets its parameters filled in and its workbook code folded
    again. ``history`` lists the same person's other records in the record's folder (step 4
    starts its checklist with what keeps coming back); with ``calibration`` (the coach's
    switch), step 1 shows the practice's calibration sentence, computed now from the record's
    folder (none when it cannot be read or has too few interviews). Raises RecordError when
    the record cannot be opened.
    """
    record = Path(record).resolve()
    store.load(record)  # a broken record is reported now, not inside seven notebooks
    dest = Path(dest)
    source = notebooks_dir()
    parameters = {
        "record": str(record),
        "interactive": True,
        "coach_view": coach,
        "now": "",
        "history": "\n".join(str(path) for path in siblings(record)),
        "calibration": folder_sentence(record.parent) if calibration else "",
    }
    for name in NOTEBOOKS:
        existing = dest / name
        notebook = papermill.execute_notebook(
            str(existing if existing.is_file() else source / name),
            None,
            parameters=parameters,
            prepare_only=True,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
        )
        _fold_code(notebook, _cell_ids(source / name))
        with store.atomic_write(dest / name) as handle:
            nbformat.write(notebook, handle)  # type: ignore[no-untyped-call]
    return dest


def _cell_ids(path: Path) -> set[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {str(cell["id"]) for cell in cells if "id" in cell}


def _fold_code(notebook: Any, workbook_ids: set[str]) -> None:
    """Fold the code of the workbook's own cells and the parameters papermill injected."""
    for cell in notebook.cells:
        injected = PARAMETER_TAGS.intersection(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and (cell.get("id") in workbook_ids or injected):
            cell.metadata["jupyter"] = {**cell.metadata.get("jupyter", {}), **FOLDED}


def lab_folder(record: str | os.PathLike[str]) -> Path:
    """The default folder for a record's lab notebooks: ``<record>.workbook`` beside it."""
    record = Path(record)
    return record.with_name(f"{record.stem}.workbook")


# --- the server -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabSettings:
    """One JupyterLab server: the workbook folder it serves and its private settings folder."""

    folder: Path
    private: Path
    open_browser: bool = True

    @property
    def config_dir(self) -> Path:
        return self.private / "config"

    @property
    def runtime_dir(self) -> Path:
        return self.private / "runtime"


def server_config(settings: LabSettings) -> dict[str, dict[str, Any]]:
    """The Jupyter server and JupyterLab settings (traitlet sections and values)."""
    return {
        "ServerApp": {
            "ip": HOST,
            "port": 0,  # a free port, read back from the server's runtime file
            "port_retries": 0,
            "root_dir": str(settings.folder),
        },
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
            "extension_manager": "readonly",
            "custom_css": True,
        },
    }


def lab_command(settings: LabSettings) -> list[str]:
    """The command that runs JupyterLab on the workbook, opening the first step."""
    command = [sys.executable, "-m", "jupyter", "lab", NOTEBOOKS[0]]
    if not settings.open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers often run as root; Jupyter refuses otherwise
    return command


def lab_environment(settings: LabSettings) -> dict[str, str]:
    """The server's environment: this environment's kernels and extensions, private settings.

    ``JUPYTER_PATH`` is ``sys.prefix/share/jupyter`` alone, and the user's Jupyter folders are
    replaced by private ones, so a user-level ``python3`` kernelspec is never found.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")}
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    env["JUPYTER_CONFIG_DIR"] = str(settings.config_dir)
    env["JUPYTER_DATA_DIR"] = str(settings.private / "data")
    env["JUPYTER_RUNTIME_DIR"] = str(settings.runtime_dir)
    env["PYTHONNOUSERSITE"] = "1"  # nor packages from the user's site folder, in any kernel
    env["IPYTHONDIR"] = str(profile_home(settings.private))  # no history of a client's cells
    return env


@contextlib.contextmanager
def configured(folder: Path, *, open_browser: bool = True) -> Iterator[LabSettings]:
    """A private settings folder for one server, removed (with its runtime files) afterwards."""
    private = Path(tempfile.mkdtemp(prefix="afterview-lab-"))  # mode 0700
    settings = LabSettings(folder.resolve(), private, open_browser)
    files = {
        "jupyter_server_config.json": json.dumps(server_config(settings), indent=1),
        "labconfig/page_config.json": json.dumps({"disabledExtensions": OFFLINE_PLUGINS}),
        "custom/custom.css": CUSTOM_CSS,
    }
    try:
        for name, text in files.items():
            path = settings.config_dir / name
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        write_profile(private)
        yield settings
    finally:
        shutil.rmtree(private, ignore_errors=True)


def lab(
    record: str | os.PathLike[str],
    dest: str | os.PathLike[str] | None = None,
    *,
    coach: bool = True,
    open_browser: bool = True,
    calibration: bool = False,
) -> int:
    """Prepare the record's workbook and run JupyterLab on it until the user stops it.

    Returns JupyterLab's exit code, or 0 when stopped with Ctrl-C. The kernel and widgets are
    this environment's own (see :func:`lab_environment`).
    """
    folder = prepare_lab(
        record,
        dest if dest is not None else lab_folder(record),
        coach=coach,
        calibration=calibration,
    )
    with configured(folder, open_browser=open_browser) as settings:
        try:
            return subprocess.run(
                lab_command(settings), cwd=folder, env=lab_environment(settings), check=False
            ).returncode
        except KeyboardInterrupt:  # answers are saved as they are typed: nothing to lose
            return 0


# --- a server in the background (used by tests) ---------------------------------------------


@dataclass
class LabServer:
    """A running JupyterLab server (see :func:`start`)."""

    settings: LabSettings
    process: subprocess.Popen[bytes]
    log: Path
    port: int = 0
    token: str = field(default="", repr=False)
    _log_text: str = field(default="", repr=False)

    def url(self, notebook: str = NOTEBOOKS[0]) -> str:
        """The address that opens ``notebook`` in a fresh JupyterLab layout."""
        return f"http://{HOST}:{self.port}/lab/tree/{quote(notebook)}?reset&token={self.token}"

    def log_text(self) -> str:
        if self.log.exists():
            self._log_text = self.log.read_text(encoding="utf-8", errors="replace")
        return self._log_text

    def wait_until_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Block until the server accepts connections, reading its port and token from its
        runtime file (written just before it listens); raise RunError if it stops or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = " | ".join(self.log_text().strip().splitlines()[-3:])
                raise RunError(f"JupyterLab stopped while starting: {tail}")
            for info in self.settings.runtime_dir.glob("jpserver-*.json"):
                with contextlib.suppress(OSError, ValueError, KeyError):
                    written = json.loads(info.read_text(encoding="utf-8"))
                    self.port, self.token = int(written["port"]), str(written["token"])
                    with socket.create_connection((HOST, self.port), 0.5):
                        return
            time.sleep(0.2)
        raise RunError(f"JupyterLab did not start within {timeout:.0f} s")

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server and its kernels: SIGTERM, then SIGKILL."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log_text()


@contextlib.contextmanager
def start(
    record: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    coach: bool = True,
    timeout: float = START_TIMEOUT,
) -> Iterator[LabServer]:
    """Run JupyterLab as :func:`lab` does, without a browser, until the ``with`` block ends."""
    folder = prepare_lab(record, dest, coach=coach)
    with configured(folder, open_browser=False) as settings:
        log = settings.private / "lab.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                lab_command(settings),
                cwd=folder,
                env=lab_environment(settings),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = LabServer(settings, process, log)
        try:
            server.wait_until_ready(timeout)
            yield server
        finally:
            server.stop()
