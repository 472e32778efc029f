"""The batch on a Dask cluster, with warm kernels on every worker.

A local batch is fast because each client's kernel is forked from a warm template
(:class:`~afterview.batch.kernels.ForkServer`). :class:`WarmKernels` brings the same to every
Dask worker: registered for the length of a batch, it starts a template and spare kernels when
the worker starts (or when it is registered), and closes them when the worker stops or the batch
ends. Jobs stay plain data (:class:`~afterview.batch.jobs.ClientJob`); :func:`run_on_worker`
runs one with the worker's own pool.

If a worker dies mid-client, Dask's scheduler runs that client again on another worker; after
``distributed.scheduler.allowed-failures`` lost attempts it gives up and the client is reported
as failed with the reason. This module needs the optional extra ``afterview[dask]``.
"""

from __future__ import annotations

import sys
from typing import Any

import distributed

from afterview.batch.jobs import ClientJob, JobResult
from afterview.batch.kernels import CAN_FORK, ForkServer
from afterview.batch.pool import KernelPool
from afterview.batch.runner import run_job

__all__ = ["PLUGIN_NAME", "WarmKernels", "run_on_worker"]

PLUGIN_NAME = "afterview-warm-kernels"


class WarmKernels(distributed.WorkerPlugin):
    """A warm kernel template and ``spares`` kernels (default: the worker's threads) per worker."""

    name = PLUGIN_NAME

    def __init__(self, spares: int | None = None) -> None:
        self.spares = spares
        self.pool: KernelPool | None = None

    def setup(self, worker: Any) -> None:
        size = self.spares or worker.state.nthreads
        server = ForkServer() if CAN_FORK else None
        # A worker serves clients until the batch ends: keep ``size`` kernels ready throughout.
        self.pool = KernelPool(size, expected=sys.maxsize, server=server)

    def teardown(self, worker: Any) -> None:
        if self.pool is not None:
            # Left on the worker for a coach (or a test) asking how the batch's kernels started.
            worker.afterview_kernel_starts = self.pool.stats()
            self.pool.close()
            self.pool = None

    def stats(self) -> dict[str, int]:
        """How this worker's kernels started: forked from the template, or cold."""
        return self.pool.stats() if self.pool is not None else {"forked": 0, "cold": 0}


def run_on_worker(job: ClientJob) -> JobResult:
    """Run one client on this Dask worker, with a kernel from its warm pool if it has one."""
    worker = distributed.get_worker()
    plugin = worker.plugins.get(PLUGIN_NAME)
    pool = plugin.pool if isinstance(plugin, WarmKernels) else None
    return run_job(job, pool)
