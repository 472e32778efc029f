"""Open JupyterLab on one client's workbook, on this environment's own kernel.

:func:`prepare_lab` writes the workbook notebooks, with the client's record filled in, into a
folder of their own; :func:`lab` then runs JupyterLab there until the user stops it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill

from afterview.record import store
from afterview.workbook.files import NOTEBOOKS, notebooks_dir

__all__ = ["lab", "lab_folder", "prepare_lab"]


def prepare_lab(
    record: str | os.PathLike[str], dest: str | os.PathLike[str], *, coach: bool = True
) -> Path:
    """Write the workbook notebooks for this record into ``dest``, ready for JupyterLab.

    Each notebook gets the record's absolute path, ``interactive = True`` and ``coach_view``
    (the coach's fields and notes; pass ``coach=False`` for a client working alone). Nothing
    is executed. A notebook already in ``dest`` is kept, with cells the coach added, and only
    gets its parameters filled in again. Raises RecordError when the record cannot be opened.
    """
    record = Path(record).resolve()
    store.load(record)  # a broken record is reported now, not inside seven notebooks
    dest = Path(dest)
    source = notebooks_dir()
    parameters = {"record": str(record), "interactive": True, "coach_view": coach, "now": ""}
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
        with store.atomic_write(dest / name) as handle:
            nbformat.write(notebook, handle)  # type: ignore[no-untyped-call]
    return dest


def lab_folder(record: str | os.PathLike[str]) -> Path:
    """The default folder for a record's lab notebooks: ``<record>.workbook`` beside it."""
    record = Path(record)
    return record.with_name(f"{record.stem}.workbook")


def lab(
    record: str | os.PathLike[str],
    dest: str | os.PathLike[str] | None = None,
    *,
    coach: bool = True,
    open_browser: bool = True,
) -> int:
    """Prepare the record's workbook and run JupyterLab on it until the user stops it.

    Returns JupyterLab's exit code. The kernel and widgets are this environment's own
    (``JUPYTER_PATH`` points at ``sys.prefix/share/jupyter``).
    """
    folder = prepare_lab(record, dest if dest is not None else lab_folder(record), coach=coach)
    env = dict(os.environ)
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={folder}",
        NOTEBOOKS[0],
    ]
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers often run as root; Jupyter refuses otherwise
    return subprocess.run(command, cwd=folder, env=env, check=False).returncode
