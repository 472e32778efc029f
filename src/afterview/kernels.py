"""Fresh Jupyter kernels, started ahead of time so no client waits for one.

A papermill run spends most of its time starting a kernel and importing matplotlib, ipywidgets
and Afterview. The :class:`KernelPool` hides that cost: it launches kernels before any client is
assigned, each importing those modules while it boots, and hands one to each client. A kernel
serves exactly one client and is then shut down; a replacement is launched at once, only while
more clients are waiting. Nothing of one client can reach another's kernel.

Kernels always run this environment's own Python (``sys.prefix``'s kernelspec), talk over
private IPC sockets rather than local TCP, and their stdout/stderr are discarded so no client
data ends up in a log.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from .errors import RunError

__all__ = ["WARM_MODULES", "KernelPool", "start_kernel", "stop_kernel"]

WARM_MODULES: tuple[str, ...] = (
    "matplotlib",
    "matplotlib.pyplot",
    "ipywidgets",
    "afterview",
    "afterview.store",
    "afterview.content",
    "afterview.letters",
    "afterview.checks",
    "afterview.calendar",
    "afterview.charts",
    "afterview.views",
    "afterview.session",
    "afterview.forms",
)
"""Imported by every kernel while it boots (missing ones are ignored)."""


def _warm_code(modules: tuple[str, ...]) -> str:
    # One statement list, no expression left to display, no names left behind.
    return (
        "import importlib as _afterview_il\n"
        f"for _afterview_m in {modules!r}:\n"
        "    try:\n"
        "        _afterview_il.import_module(_afterview_m)\n"
        "    except Exception:\n"
        "        pass\n"
        "del _afterview_il, _afterview_m\n"
    )


def _spec_manager() -> KernelSpecManager:
    kernels = Path(sys.prefix) / "share" / "jupyter" / "kernels"
    return KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=True)


def start_kernel(modules: tuple[str, ...] = WARM_MODULES) -> AsyncKernelManager:
    """Launch one fresh kernel in an empty private folder; it imports ``modules`` as it boots.

    Returns as soon as the process is launched: the kernel finishes booting on its own while the
    caller does other work (papermill waits for it to be ready).
    """
    home = Path(tempfile.mkdtemp(prefix="afterview-kernel-"))
    km = AsyncKernelManager(
        kernel_name="python3",
        kernel_spec_manager=_spec_manager(),
        transport="ipc",
        ip=str(home / "ipc"),
        connection_file=str(home / "connection.json"),
    )
    extra = [f"--IPKernelApp.exec_lines={[_warm_code(modules)]!r}"]
    try:
        run_sync(km.start_kernel)(
            extra_arguments=extra,
            cwd=str(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except Exception as error:
        shutil.rmtree(home, ignore_errors=True)
        raise RunError(
            f"could not start a Python kernel ({error}); check that ipykernel is installed "
            "in this environment"
        ) from None
    km.afterview_home = home  # type: ignore[attr-defined]  # removed by stop_kernel
    return km


def stop_kernel(km: AsyncKernelManager) -> None:
    """Kill the kernel now and remove its private folder. Never raises."""
    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)
    home = getattr(km, "afterview_home", None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


class KernelPool:
    """Kernels launched ahead of demand, one per client, never reused.

    ``expected`` is how many kernels the whole batch will take: the pool never launches more,
    so no CPU is spent booting kernels nobody will use.
    """

    def __init__(self, size: int, expected: int, modules: tuple[str, ...] = WARM_MODULES) -> None:
        self._modules = modules
        self._ready: queue.SimpleQueue[AsyncKernelManager] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._to_launch = expected
        self._closed = False
        self._taken: list[AsyncKernelManager] = []
        for _ in range(min(size, expected)):
            self._launch()

    def _launch(self) -> None:
        with self._lock:
            if self._closed or self._to_launch <= 0:
                return
            self._to_launch -= 1
        self._ready.put(start_kernel(self._modules))

    def take(self) -> AsyncKernelManager:
        """A fresh kernel for one client; a replacement starts booting straight away."""
        try:
            km = self._ready.get_nowait()
        except queue.Empty:
            km = start_kernel(self._modules)  # more takers than expected: start one now
        else:
            self._launch()
        with self._lock:
            self._taken.append(km)
        return km

    def release(self, km: AsyncKernelManager) -> None:
        """Shut down a kernel once its client is done with it (it is never handed out again)."""
        with self._lock:
            if km in self._taken:
                self._taken.remove(km)
        stop_kernel(km)

    def kill_all(self) -> None:
        """Stop every kernel, taken or not: running clients fail at once (on Ctrl-C)."""
        self.close()
        with self._lock:
            taken, self._taken = self._taken, []
        for km in taken:
            stop_kernel(km)

    def close(self) -> None:
        """Shut down every kernel still waiting; taken kernels are their takers' to stop."""
        with self._lock:
            self._closed = True
        while True:
            try:
                stop_kernel(self._ready.get_nowait())
            except queue.Empty:
                return

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
