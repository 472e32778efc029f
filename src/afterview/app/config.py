"""What one ``afterview app`` server is: its settings, the notebook it serves, its configuration.

How the page knows the record: :func:`prepare` writes a copy of ``notebooks/app.ipynb`` with
the record's absolute path in a cell tagged ``injected-parameters`` after its ``parameters``
cell (as papermill does), into a private working folder (mode 0700), and Voilà serves that one
notebook. Nothing in the URL can change which record is open: there is no query-string
parameter, no file browser, and Voilà serves no other file from that folder.

Safe by default: bound to 127.0.0.1 with a random token (kept in a 0600 config file, not on
the command line where other users could read it), requests for any other host name refused
(:mod:`afterview.app.web`), sources and tracebacks stripped, one fixed template whose CDN links
are removed, a Content-Security-Policy that lets the browser load nothing from anywhere but
this server, and a timeout on each cell.

Fast and lean: one kernel is kept warm with the page already built (Voilà's ``preheat_kernel``
pool; :mod:`afterview.app.warm` keeps that page as new as the record), and the kernel of a page
that was closed is stopped seconds after it has finished saving.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from afterview.coaching.templating import TEMPLATES
from afterview.record.errors import AfterviewError, RecordError
from afterview.record.store import atomic_write
from afterview.workbook.files import APP_NOTEBOOK, notebooks_dir
from afterview.workbook.kernel_profile import profile_home, write_profile

__all__ = [
    "NOTEBOOK",
    "Settings",
    "free_port",
    "prepare",
    "state_file",
    "voila_command",
    "voila_config",
    "voila_environment",
    "write_private",
]

NOTEBOOK = notebooks_dir() / APP_NOTEBOOK
"""The app notebook: layout only, it calls :func:`afterview.app.page.page`."""

HOST = "127.0.0.1"
TEMPLATE = "afterview"
START_TIMEOUT = 60.0
"""Seconds to wait for the server to answer before giving up."""
CELL_TIMEOUT = 120
"""Seconds one notebook cell may run while the page is built."""
IOPUB_TIMEOUT = 60
"""Seconds to wait for a cell's output once it has finished (nbclient's default is 4)."""
IDLE_KERNEL_TIMEOUT = 10
"""A page's kernel is shut down once it has been idle, with its page closed, for 10 seconds.

Closing the tab does not stop the kernel at once (see the template's script): it first
finishes saving what the user typed last, then culling stops it. A page still open keeps its
kernel however long it is idle."""
CULL_INTERVAL = 2
"""Seconds between two looks for kernels to cull."""
POOL_REFILL_DELAY = 2.0
"""Seconds after a visitor took the warm kernel before the next one is started, so the new
kernel does not compete with the visitor's page while it opens."""

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
    preheat: bool = True
    """Keep a kernel warm with the page built, so a visitor does not wait for one to start."""

    @property
    def notebook(self) -> Path:
        return self.workdir / "app.ipynb"

    @property
    def config_dir(self) -> Path:
        return self.workdir / "config"

    @property
    def ready_marker(self) -> Path:
        """Touched by the warm kernel once its page is built and waiting for a visitor."""
        return self.workdir / "ready"

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
        # As the server binds: a port whose last connections are still closing is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            raise AfterviewError(
                f"port {port} is already in use on {HOST}; choose another with --port, or leave "
                "--port out to use a free one",
                field="--port",
            ) from None
    return port


def state_file(record: Path) -> Path:
    """Where the app keeps which step of ``record`` is open: ``.NAME.app-state.json`` beside it,
    so it outlasts the app (not in the record, which holds the client's answers only)."""
    return record.with_name(f".{record.stem}.app-state.json")


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
            # The page shows no code, so the code-highlighting extension is three scripts
            # fetched and run for nothing on every page load.
            "extension_denylist": ["jupyterlab_pygments"],
            "multi_kernel_manager_class": "afterview.app.web.Kernels",
            "preheat_kernel": settings.preheat,
            "default_pool_size": 1 if settings.preheat else 0,
        },
        "VoilaExecutor": {
            "timeout": CELL_TIMEOUT,
            # After a cell, its output may queue behind many widget messages (a warm page
            # built again closes the old page's widgets): wait for it rather than drop it.
            "iopub_timeout": IOPUB_TIMEOUT,
            "show_tracebacks": False,
        },
        "MappingKernelManager": {
            "cull_idle_timeout": settings.idle_timeout,
            "cull_interval": min(CULL_INTERVAL, settings.idle_timeout),
            "cull_connected": False,
        },
        "VoilaKernelManager": {"fill_delay": POOL_REFILL_DELAY},
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


def write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically, readable by its owner only, in a private folder."""
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
    """The command that runs Voilà (as :mod:`afterview.app.web`) on the prepared notebook,
    reading only our config file."""
    return [
        sys.executable,
        "-m",
        "afterview.app.web",
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
    env["IPYTHONDIR"] = str(profile_home(settings.workdir))  # no history of a client's cells
    return env


def prepare(
    record: str | os.PathLike[str],
    *,
    port: int | None = None,
    notebook: Path = NOTEBOOK,
    workdir: Path | None = None,
    idle_timeout: int = IDLE_KERNEL_TIMEOUT,
    preheat: bool = True,
    calibration: str = "",
) -> Settings:
    """Write the served notebook, the template and the config into a private working folder
    (``calibration``: the practice's sentence for step 1, handed to the page as it is)."""
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
        preheat=preheat,
    )
    served = json.loads(notebook.read_text(encoding="utf-8"))
    parameters = {
        "record": str(path),
        "interactive": True,
        "remember": str(state_file(path)),
        "ready": str(settings.ready_marker),
        "calibration": calibration,
    }
    _inject(served, parameters)
    write_private(settings.notebook, json.dumps(served, indent=1, ensure_ascii=False))
    template = folder / "jupyter" / "voila" / "templates" / TEMPLATE
    write_private(template / "conf.json", json.dumps({"base_template": "lab"}))
    write_private(template / "index.html.j2", VOILA_TEMPLATE.read_text(encoding="utf-8"))
    # Not in the folder itself: `python -m voila` run there would import it as `voila`.
    # New files are created readable by their owner only: this one holds the token.
    write_private(settings.config_dir / "voila.py", _config_file(voila_config(settings)))
    write_profile(folder)
    return settings
