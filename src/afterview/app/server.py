"""The self-guided web app: the workbook served by Voilà as a plain web page, on this machine only.

How the page knows the record: :func:`prepare` writes a copy of ``notebooks/app.ipynb`` with
the record's absolute path in a cell tagged ``injected-parameters`` after its ``parameters``
cell (as papermill does), into a private working folder (mode 0700), and Voilà serves that one
notebook. Nothing in the URL can change which record is open: there is no query-string
parameter, no file browser, and Voilà serves no other file from that folder.

Safe by default: bound to 127.0.0.1 with a random token (kept in a 0600 config file, not on
the command line where other users could read it), sources and tracebacks stripped, one fixed
template whose CDN links are removed, a Content-Security-Policy that lets the browser load
nothing from anywhere but this server, a timeout on each cell and culling of kernels whose
page was closed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from afterview.coaching.templating import TEMPLATES
from afterview.record import store
from afterview.record.errors import AfterviewError, RecordError, RunError
from afterview.record.store import atomic_write
from afterview.workbook.files import APP_NOTEBOOK, notebooks_dir

__all__ = [
    "NOTEBOOK",
    "AppProcess",
    "Settings",
    "free_port",
    "prepare",
    "serve",
    "start",
    "voila_command",
    "voila_config",
]

NOTEBOOK = notebooks_dir() / APP_NOTEBOOK
"""The app notebook: layout only, it calls :func:`afterview.app.page.page`."""

HOST = "127.0.0.1"
TEMPLATE = "afterview"
START_TIMEOUT = 60.0
"""Seconds to wait for the server to answer before giving up."""
CELL_TIMEOUT = 120
"""Seconds one notebook cell may run while the page is built."""
IDLE_KERNEL_TIMEOUT = 300
"""A page's kernel is shut down once it has been idle, with its page closed, for 5 minutes.

Closing the tab does not stop the kernel at once (see the template's script): it first
finishes saving what the user typed last, then culling stops it."""
CULL_INTERVAL = 60

VOILA_TEMPLATE = TEMPLATES / "voila-index.html.j2"
"""Voilà's lab template without its CDN links, plus the page's accessibility script."""


@dataclass(frozen=True)
class Settings:
    """Everything one app server needs: which record, where, and the secret to reach it."""

    record: Path
    port: int
    token: str
    workdir: Path
    idle_timeout: int = IDLE_KERNEL_TIMEOUT
    """Seconds a kernel whose page is closed may stay idle before it is shut down."""

    @property
    def notebook(self) -> Path:
        return self.workdir / "app.ipynb"

    @property
    def config_dir(self) -> Path:
        return self.workdir / "config"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/?token={self.token}"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _check_port(port: int) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            raise AfterviewError(
                f"port {port} is already in use on {HOST}; choose another with --port, or leave "
                "--port out to use a free one",
                field="--port",
            ) from None
    return port


def _check_record(record: str | os.PathLike[str]) -> Path:
    path = Path(record).expanduser().resolve()
    if not path.exists():
        raise RecordError(
            "no such file; check the path or create one with `afterview new`", path=str(record)
        )
    if not path.is_file():
        raise RecordError(
            "is a folder, not a record; give the path of a .yaml file", path=str(record)
        )
    return path


def voila_config(settings: Settings) -> dict[str, Any]:
    """The Voilà configuration (traitlet sections and values) for one app server."""
    csp = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' ws://{HOST}:{settings.port}",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'self'",
        ]
    )
    return {
        "Voila": {
            "ip": HOST,
            "port": settings.port,
            "port_retries": 0,
            "open_browser": False,
            "token": settings.token,
            "log_level": "WARN",
            "tornado_settings": {
                "headers": {"Content-Security-Policy": csp, "Referrer-Policy": "no-referrer"}
            },
        },
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "theme": "light",
            "allow_template_override": "NO",
            "allow_theme_override": "NO",
            "strip_sources": True,
            "show_tracebacks": False,
            "file_allowlist": [],
            "preheat_kernel": False,
        },
        "VoilaExecutor": {"timeout": CELL_TIMEOUT, "show_tracebacks": False},
        "MappingKernelManager": {
            "cull_idle_timeout": settings.idle_timeout,
            "cull_interval": min(CULL_INTERVAL, settings.idle_timeout),
            "cull_connected": False,
        },
        # The login cookie set after the token is checked is never sent by other sites.
        "IdentityProvider": {"cookie_options": {"samesite": "Strict"}},
    }


def _inject(notebook: dict[str, Any], parameters: dict[str, object]) -> None:
    """Add a code cell tagged ``injected-parameters`` after the ``parameters`` cell (as
    papermill does), so the served copy opens this record. Plain JSON: nbformat is slow to
    import and the CLI should start fast."""
    source = "# The record this app serves\n" + "\n".join(
        f"{name} = {value!r}" for name, value in parameters.items()
    )
    injected: dict[str, Any] = {
        "cell_type": "code",
        "execution_count": None,
        "id": uuid.uuid4().hex[:8],
        "metadata": {"tags": ["injected-parameters"]},
        "outputs": [],
        "source": source,
    }
    cells: list[dict[str, Any]] = notebook["cells"]
    tags = [cell.get("metadata", {}).get("tags", []) for cell in cells]
    after = next((index + 1 for index, found in enumerate(tags) if "parameters" in found), 0)
    cells.insert(after, injected)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(text)


def _config_file(config: dict[str, Any]) -> str:
    lines = [
        "# Written by `afterview app` for one server; deleted when it stops.",
        "",
        "c = get_config()  # noqa: F821",
    ]
    for section, values in config.items():
        lines += [f"c.{section}.{name} = {value!r}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


def voila_command(settings: Settings) -> list[str]:
    """The command that runs Voilà on the prepared notebook, reading only our config file."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(settings.notebook),
        "--no-browser",
        f"--Voila.config_file_paths={settings.config_dir}",
    ]


def voila_environment(settings: Settings) -> dict[str, str]:
    """The server's environment: our template first, then this environment's kernels."""
    env = dict(os.environ)
    paths = [str(settings.workdir / "jupyter"), str(Path(sys.prefix) / "share" / "jupyter")]
    if env.get("JUPYTER_PATH"):
        paths.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def prepare(
    record: str | os.PathLike[str],
    *,
    port: int | None = None,
    notebook: Path = NOTEBOOK,
    workdir: Path | None = None,
    idle_timeout: int = IDLE_KERNEL_TIMEOUT,
) -> Settings:
    """Write the served notebook, the template and the config into a private working folder."""
    path = _check_record(record)
    if not notebook.is_file():
        raise AfterviewError("the app notebook is missing; reinstall Afterview", path=str(notebook))
    port = _check_port(port) if port else free_port()
    folder = workdir or Path(tempfile.mkdtemp(prefix="afterview-app-"))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings = Settings(
        record=path,
        port=port,
        token=secrets.token_urlsafe(24),
        workdir=folder,
        idle_timeout=idle_timeout,
    )
    served = json.loads(notebook.read_text(encoding="utf-8"))
    _inject(
        served, {"record": str(path), "interactive": True, "remember": str(folder / "step.json")}
    )
    _write(settings.notebook, json.dumps(served, indent=1, ensure_ascii=False))
    template = folder / "jupyter" / "voila" / "templates" / TEMPLATE
    _write(template / "conf.json", json.dumps({"base_template": "lab"}))
    _write(template / "index.html.j2", VOILA_TEMPLATE.read_text(encoding="utf-8"))
    # Not in the folder itself: `python -m voila` run there would import it as `voila`.
    # New files are created readable by their owner only: this one holds the token.
    _write(settings.config_dir / "voila.py", _config_file(voila_config(settings)))
    return settings


@dataclass
class AppProcess:
    """A running app server (see :func:`start`)."""

    settings: Settings
    process: subprocess.Popen[bytes]
    log: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        return self.settings.url

    @property
    def port(self) -> int:
        return self.settings.port

    @property
    def record(self) -> Path:
        return self.settings.record

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def tail(self, lines: int = 3) -> str:
        """The last lines of the server's log, on one line (for an error message)."""
        return " | ".join(self.log_text().strip().splitlines()[-lines:])

    def wait_until_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Block until the server accepts connections; raise RunError if it dies or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RunError(
                    f"the web app stopped while starting (exit {self.process.returncode}): "
                    f"{self.tail()}"
                )
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 0.5):
                return
            time.sleep(0.2)
        raise RunError(f"the web app did not start within {timeout:.0f} s: {self.tail()}")

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server and its kernels (SIGTERM, then SIGKILL), then remove the folder."""
        if self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        shutil.rmtree(self.settings.workdir, ignore_errors=True)


def launch(settings: Settings) -> AppProcess:
    """Start Voilà for prepared settings; its output goes to ``voila.log`` in the folder."""
    log = settings.workdir / "voila.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            voila_command(settings),
            env=voila_environment(settings),
            cwd=settings.workdir,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: Ctrl-C is ours to handle
        )
    return AppProcess(settings=settings, process=process, log=log)


@contextlib.contextmanager
def start(
    record: str | os.PathLike[str],
    port: int | None = None,
    *,
    notebook: Path = NOTEBOOK,
    idle_timeout: int = IDLE_KERNEL_TIMEOUT,
) -> Iterator[AppProcess]:
    """Run the app for one record until the ``with`` block ends (used by tests)."""
    app = launch(prepare(record, port=port, notebook=notebook, idle_timeout=idle_timeout))
    try:
        app.wait_until_ready()
        yield app
    finally:
        app.stop()


def serve(
    record: str | os.PathLike[str], port: int | None = None, open_browser: bool = True
) -> int:
    """Serve the app until Ctrl-C, printing the address to open; 0 when stopped by the user.

    A record that exists but cannot be read still opens: the page says what is wrong, so the
    user can fix the file and reload. A server that dies raises :class:`RunError`.
    """
    settings = prepare(record, port=port)
    problem = _record_problem(settings.record)
    app = launch(settings)
    try:
        app.wait_until_ready()
        print(f"Your workbook for {app.record.name} is ready. Open this address in your browser:")
        print(f"    {app.url}")
        if problem:
            print(f"Note: {problem}. The page explains; fix the file, then reload the page.")
        print("Everything you type is saved as you go. Press Ctrl-C here to stop.", flush=True)
        if open_browser:
            webbrowser.open(app.url)
        status = app.process.wait()
        last = app.tail()
    except KeyboardInterrupt:
        print("\nStopping the workbook. Your answers are saved.", flush=True)
        return 0
    finally:
        app.stop()
    raise RunError(f"the web app stopped unexpectedly (exit {status}): {last}")


def _record_problem(path: Path) -> str:
    try:
        store.load(path)
    except AfterviewError as error:
        return str(error)
    return ""
