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
    records = sorted(EXAMPLES.glob("*.yaml"))[:4]
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
        busy = _busy_worker_once_a_client_is_done(client, tmp_path / "reports")
        (pid,) = client.run(os.getpid, workers=[busy]).values()
        os.kill(pid, signal.SIGKILL)  # the worker dies mid-client
        batch.join(timeout=600)
    entries = outcome["result"].clients
    assert [e.status for e in entries] == ["ok"] * len(records), [e.error for e in entries]


def _busy_worker_once_a_client_is_done(client: Any, reports: Path) -> str:
    """A worker in the middle of a client, once the cluster has finished one client."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        done = reports.is_dir() and any((p / "report.html").is_file() for p in reports.iterdir())
        busy = [w for w, tasks in client.processing().items() if tasks]
        if done and busy:
            return str(busy[0])
        time.sleep(0.05)
    raise AssertionError("no client finished within 300 s")
