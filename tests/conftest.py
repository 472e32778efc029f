"""Shared fixtures. Notebooks always run on this environment's own kernel."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Fixture notebooks are inputs (some fail on purpose), not notebooks for nbval to validate.
collect_ignore_glob = ["fixtures/*"]

# A user-level `python3` kernelspec would otherwise win over this venv's own.
os.environ["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
os.environ.setdefault("MPLBACKEND", "Agg")


def example_records() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture
def copy_record(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a record (an example or a fixture) into a temporary folder and return its path."""

    def _copy(source: Path | str) -> Path:
        source = Path(source)
        if not source.is_absolute():
            source = (EXAMPLES / source) if (EXAMPLES / source).exists() else FIXTURES / source
        target = tmp_path / source.name
        shutil.copy(source, target)
        return target

    return _copy
