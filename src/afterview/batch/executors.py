"""Where a batch's jobs run: threads sharing a warm kernel pool, any executor, or Dask.

Every path runs the same :func:`afterview.runner.run_job` on the same plain-data jobs and yields
their results as they finish. On Ctrl-C every kernel is killed at once, so running clients fail
fast and clean up after themselves.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
from collections.abc import Callable, Iterator

from afterview.batch.jobs import ClientJob, JobResult
from afterview.batch.kernels import CAN_FORK, ForkServer
from afterview.batch.pool import KernelPool
from afterview.batch.runner import run_job, warm_up
from afterview.record.errors import AfterviewError

__all__ = ["dask_executor", "execute"]

WRITERS = 1
"""Threads beyond the workers: a report is written (HTML, letters) after its kernel is let go,
and this many clients can be written while ``workers`` others have their notebooks run."""


def execute(
    jobs: list[ClientJob],
    workers: int | None,
    executor: cf.Executor | None,
    dask_address: str | None,
    server: ForkServer | None,
) -> Iterator[JobResult]:
    """Run ``jobs`` and yield each result as it finishes.

    On Dask at ``dask_address``; else on ``executor`` (each job starts its own kernel); else
    ``workers`` clients (default: the cores) run their notebooks at once, on kernels forked from
    ``server``, and one more thread writes a finished client's report meanwhile.
    """
    if not jobs:
        return
    if dask_address is not None:
        with dask_executor(dask_address) as (remote, run):
            yield from _collect(jobs, remote, None, run)
        return
    if executor is not None:
        yield from _collect(jobs, executor, None)
        return
    size = max(1, workers or _cores())
    if server is None and CAN_FORK:
        server = ForkServer()  # boots while this process warms up
    try:
        with contextlib.suppress(Exception):  # only a head start: each client still does it all
            warm_up()
        pool = KernelPool(size, expected=len(jobs), server=server, at_once=size)
    except BaseException:
        if server is not None:  # the pool closes it, once there is a pool
            server.close()
        raise
    with pool, cf.ThreadPoolExecutor(size + WRITERS) as threads:
        try:
            yield from _collect(jobs, threads, pool)
        except BaseException:
            pool.kill_all()  # running clients fail at once; their staging is removed
            raise


def _cores() -> int:
    """CPU cores this process may use (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _collect(
    jobs: list[ClientJob],
    executor: cf.Executor,
    pool: KernelPool | None,
    run: Callable[..., JobResult] = run_job,
) -> Iterator[JobResult]:
    args = () if run is not run_job else (pool,)
    futures = {executor.submit(run, job, *args): job for job in jobs}
    try:
        for future in cf.as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as error:  # the executor itself failed (a lost Dask worker...)
                yield JobResult(job.name, job.record, "failed", f"the run was lost ({error})")
    finally:
        for future in futures:
            future.cancel()


@contextlib.contextmanager
def dask_executor(address: str) -> Iterator[tuple[cf.Executor, Callable[..., JobResult]]]:
    """An executor on the Dask cluster at ``address`` and the function its jobs run.

    For the length of the batch every worker keeps a warm kernel template and spare kernels
    (:class:`~afterview.batch.cluster.WarmKernels`), removed again when the batch ends.
    """
    try:
        import distributed  # an optional extra: afterview[dask]

        from afterview.batch import cluster
    except ImportError:
        raise AfterviewError(
            "running on Dask needs the dask extra: pip install 'afterview[dask]'"
        ) from None
    try:
        client = distributed.Client(address, timeout="15s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as error:
        raise AfterviewError(f"cannot reach the Dask scheduler at {address} ({error})") from None
    try:
        client.register_plugin(cluster.WarmKernels())
        try:
            yield client.get_executor(pure=False), cluster.run_on_worker  # type: ignore[no-untyped-call]
        finally:
            with contextlib.suppress(Exception):  # a worker already gone has nothing to close
                client.unregister_worker_plugin(cluster.PLUGIN_NAME)  # type: ignore[no-untyped-call]
    finally:
        client.close()  # type: ignore[no-untyped-call]
