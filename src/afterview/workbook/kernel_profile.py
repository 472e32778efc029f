"""A private IPython profile for the kernels of the servers Afterview starts: no cell history.

IPython logs every cell a kernel runs to a database in the user's home folder
(``~/.ipython/profile_default/history.sqlite``) that outlives the session. A workbook's cells
name the client's record, and a coach's own cells may quote it. JupyterLab (``afterview lab``)
and the app (``afterview app``) therefore point their kernels at a profile in their own private
folder (``IPYTHONDIR``), removed when they stop, with that history switched off. The batch's
kernels get the same setting on their command line (:mod:`afterview.batch.kernels`).
"""

from __future__ import annotations

from pathlib import Path

from afterview.record.store import atomic_write

__all__ = ["KERNEL_CONFIG", "profile_home", "write_profile"]

KERNEL_CONFIG = """\
# Written by Afterview for one server's kernels; removed when the server stops.
c = get_config()  # noqa: F821
c.HistoryManager.enabled = False  # a client's cells are never logged to a history database
"""


def profile_home(folder: Path) -> Path:
    """Where the profile of a server with the private folder ``folder`` is (``IPYTHONDIR``)."""
    return folder / "ipython"


def write_profile(folder: Path) -> None:
    """Write the profile under ``folder``, a private folder removed when the server stops."""
    config = profile_home(folder) / "profile_default" / "ipython_kernel_config.py"
    config.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with atomic_write(config) as handle:
        handle.write(KERNEL_CONFIG)
