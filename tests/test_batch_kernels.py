"""The batch's kernels: a killed one fails only its client and is noticed at once; no more run
at once than the batch has workers; a template started for a batch never outlives it."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from afterview.batch import executors
from afterview.batch.kernels import ForkServer
from afterview.batch.pool import KernelPool
from afterview.batch.run import run_batch
from afterview.record.errors import RunError

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


def test_no_more_kernels_are_handed_out_at_once_than_the_batch_has_workers() -> None:
    # A batch runs one thread more than it has workers (it writes one finished report while
    # the others run); that thread waits for a kernel rather than start a third one.
    with KernelPool(1, expected=2, at_once=1) as pool:
        first = pool.take()
        second: list[object] = []
        waiting = threading.Thread(target=lambda: second.append(pool.take()))
        waiting.start()
        waiting.join(timeout=1.0)
        assert second == [], "a second kernel was handed out while the first was still out"
        pool.release(first)
        waiting.join(timeout=60)
        assert len(second) == 1 and second[0] is not first
        pool.release(second[0])  # type: ignore[arg-type]


def test_a_template_started_for_a_batch_is_closed_when_its_kernels_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[ForkServer] = []

    class Recorded(ForkServer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    def no_kernels(*args: object, **kwargs: object) -> None:
        raise RunError("no kernels today")

    monkeypatch.setattr(executors, "ForkServer", Recorded)
    monkeypatch.setattr(executors, "KernelPool", no_kernels)
    clients = tmp_path / "clients"
    clients.mkdir()
    shutil.copy(EXAMPLES / "mei-lin-technical-froze.yaml", clients)
    run_batch(clients, tmp_path / "reports", workers=1, pdf=False, progress=False, now=NOW)
    (template,) = started
    assert template._process.poll() is not None, "the template process was left running"
