"""A pool of fresh kernels, launched ahead of demand so no client waits for one.

A kernel serves exactly one client and is then shut down; a replacement is launched at once,
only while more clients are waiting. Nothing of one client can reach another's kernel.
"""

from __future__ import annotations

import queue
import sys
import threading

from jupyter_client.manager import AsyncKernelManager

from afterview.batch.kernels import CAN_FORK, WARM_MODULES, ForkServer, start_kernel, stop_kernel
from afterview.record.errors import RunError

__all__ = ["KernelPool"]


class KernelPool:
    """Kernels launched ahead of demand, one per client, never reused.

    With ``at_once``, at most that many kernels are out at a time: :meth:`take` waits for a
    :meth:`release` beyond that, so more threads than kernels can share the pool (one writes a
    finished client's report while the others' notebooks run). ``expected`` is how many kernels the
    whole batch will take: the pool never launches more, so no CPU is spent booting kernels
    nobody will use.
    """

    def __init__(
        self,
        size: int,
        expected: int,
        modules: tuple[str, ...] = WARM_MODULES,
        *,
        server: ForkServer | None = None,
        at_once: int | None = None,
    ) -> None:
        """``server``: the template to fork kernels from (the pool closes it); without one, a
        new template is started where the system can fork, else kernels start cold."""
        self._modules = modules
        if server is None and CAN_FORK and expected > 0:
            server = ForkServer(modules)
        self._server = server
        self._ready: queue.SimpleQueue[AsyncKernelManager] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._to_launch = expected
        self._closed = False
        self._started = 0
        self._taken: list[AsyncKernelManager] = []
        self._slots = threading.BoundedSemaphore(at_once or sys.maxsize)
        for _ in range(min(size, expected)):
            self._launch()

    def _launch(self) -> None:
        with self._lock:
            if self._closed or self._to_launch <= 0:
                return
            self._to_launch -= 1
        self._ready.put(self._start())

    def _start(self) -> AsyncKernelManager:
        km = start_kernel(self._modules, self._server)
        with self._lock:
            self._started += 1
        return km

    def stats(self) -> dict[str, int]:
        """How the kernels started so far began: forked from the warm template, or cold."""
        forked = self._server.forked if self._server is not None else 0
        with self._lock:
            return {"forked": forked, "cold": self._started - forked}

    def take(self) -> AsyncKernelManager:
        """A fresh kernel for one client, once fewer than ``at_once`` are out; a replacement
        starts booting straight away."""
        self._slots.acquire()
        with self._lock:
            closed = self._closed
        if closed:
            self._slots.release()
            raise RunError("the batch was stopped before this client's turn")
        try:
            km = self._ready.get_nowait()
        except queue.Empty:
            km = self._start()  # more takers than expected
        else:
            self._launch()
        with self._lock:
            self._taken.append(km)
        return km

    def release(self, km: AsyncKernelManager) -> None:
        """Shut down a kernel once its client is done with it (it is never handed out again)."""
        with self._lock:
            taken = km in self._taken
            if taken:
                self._taken.remove(km)
        if taken:
            self._slots.release()
        stop_kernel(km)

    def kill_all(self) -> None:
        """Stop every kernel, taken or not: running clients fail at once (on Ctrl-C)."""
        with self._lock:
            taken, self._taken = self._taken, []
        for km in taken:
            stop_kernel(km)
        self.close()
        for _ in taken:  # threads waiting in take() wake up, see the pool closed, and fail
            self._slots.release()

    def close(self) -> None:
        """Shut down every kernel still waiting, then the template (and any kernel left)."""
        with self._lock:
            self._closed = True
        while True:
            try:
                stop_kernel(self._ready.get_nowait())
            except queue.Empty:
                break
        if self._server is not None:
            self._server.close()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
