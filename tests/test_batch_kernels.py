"""A kernel the system kills (out of memory) fails only its client, and is noticed at once."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest

from afterview.batch.run import run_batch

from .conftest import EXAMPLES, FIXTURES

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
CELL_TIMEOUT = 300


def test_a_killed_kernel_fails_its_client_without_waiting_for_the_cell_timeout(
    tmp_path: Path,
) -> None:
    clients = tmp_path / "clients"
    clients.mkdir()
    shutil.copy(EXAMPLES / "mei-lin-technical-froze.yaml", clients)
    started = time.monotonic()
    result = run_batch(
        clients,
        tmp_path / "reports",
        notebooks=[FIXTURES / "batch" / "killed.ipynb"],
        pdf=False,
        progress=False,
        now=NOW,
        timeout=CELL_TIMEOUT,
    )
    waited = time.monotonic() - started
    (failed,) = result.failed
    assert "kernel died" in failed.error
    assert waited < CELL_TIMEOUT / 2, f"waited {waited:.0f} s for a dead kernel"
    assert (tmp_path / "reports" / "index.html").is_file()
