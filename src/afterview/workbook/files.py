"""Where the workbook notebooks are, and which is which.

The notebooks live in the top-level ``notebooks/`` folder of the source tree (or, in an
installation that ships them, ``afterview/notebooks/``); JupyterLab, the batch and the web
app all find them here.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["APP_NOTEBOOK", "NOTEBOOKS", "REPORT_NOTEBOOK", "STEP_NOTEBOOKS", "notebooks_dir"]

STEP_NOTEBOOKS: tuple[str, ...] = (
    "0-intake.ipynb",
    "1-perspective.ipynb",
    "2-letter.ipynb",
    "3-strengths.ipynb",
    "4-lessons.ipynb",
    "5-move-on.ipynb",
)
"""The interview's facts, then one notebook per recovery step, in order."""

REPORT_NOTEBOOK = "report.ipynb"
"""The client's report: the five steps brought together."""

NOTEBOOKS: tuple[str, ...] = (*STEP_NOTEBOOKS, REPORT_NOTEBOOK)
"""The workbook a coach opens in JupyterLab."""

APP_NOTEBOOK = "app.ipynb"
"""The self-guided web app's page (served by Voilà)."""


def notebooks_dir() -> Path:
    """Where the workbook notebooks are: shipped in the wheel, or the source tree's folder.

    An installed wheel carries them as the package data ``afterview/notebooks/`` (see
    ``[tool.setuptools]`` in pyproject.toml); a source checkout reads the top-level folder.
    """
    shipped = resources.files("afterview") / "notebooks"
    if isinstance(shipped, Path) and (shipped / REPORT_NOTEBOOK).is_file():
        return shipped
    return Path(__file__).resolve().parents[3] / "notebooks"
