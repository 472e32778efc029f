"""A batch on a Dask cluster of worker processes gets warm, forked kernels on every worker."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from afterview.batch.run import run_batch

from .conftest import EXAMPLES

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)


def _starts(dask_worker: Any) -> dict[str, int] | None:
    return getattr(dask_worker, "afterview_kernel_starts", None)


def test_dask_workers_fork_each_clients_kernel_from_a_warm_template(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    clients = tmp_path / "clients"
    clients.mkdir()
    records = sorted(EXAMPLES.glob("*.yaml"))[:4]
    for record in records:
        shutil.copy(record, clients / record.name)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        result = run_batch(
            clients,
            tmp_path / "reports",
            dask_address=cluster.scheduler_address,
            pdf=False,
            progress=False,
            now=NOW,
        )
        starts = [s for s in client.run(_starts).values() if s is not None]
    assert [e.status for e in result.clients] == ["ok"] * len(records)
    for record in records:
        assert (tmp_path / "reports" / record.stem / "report.html").is_file()
    assert len(starts) == 2, "both worker processes set up warm kernels"
    assert sum(s["forked"] for s in starts) >= len(records)
    assert all(s["cold"] == 0 for s in starts), starts


def test_a_client_whose_worker_dies_is_run_again_on_another_worker(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    dask = pytest.importorskip("dask")
    clients = tmp_path / "clients"
    clients.mkdir()
    records = sorted(EXAMPLES.glob("*.yaml"))[:3]
    for record in records:
        shutil.copy(record, clients / record.name)
    outcome: dict[str, Any] = {}
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        batch = threading.Thread(
            target=lambda: outcome.update(
                result=run_batch(
                    clients,
                    tmp_path / "reports",
                    dask_address=cluster.scheduler_address,
                    pdf=False,
                    progress=False,
                    now=NOW,
                )
            )
        )
        batch.start()
        busy = _first_busy_worker(client)
        (pid,) = client.run(os.getpid, workers=[busy]).values()
        os.kill(pid, signal.SIGKILL)  # the worker dies mid-client
        batch.join(timeout=600)
    assert [e.status for e in outcome["result"].clients] == ["ok"] * len(records)


def _first_busy_worker(client: Any) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        busy = [w for w, tasks in client.processing().items() if tasks]
        if busy:
            return str(busy[0])
        time.sleep(0.05)
    raise AssertionError("no worker started a client within 120 s")
