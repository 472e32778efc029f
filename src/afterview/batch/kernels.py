"""Fresh Jupyter kernels, started ahead of time so no client waits for one.

A papermill run spends most of its time starting a kernel and importing matplotlib, ipywidgets
and Afterview. Here a kernel is forked from a :class:`ForkServer` template that has imported
them already, and returned as soon as it is launched (it finishes booting while the caller does
other work); :class:`afterview.batch.pool.KernelPool` launches them ahead of the clients.

Kernels always run this environment's own Python (``sys.prefix``'s kernelspec), talk over
private IPC sockets rather than local TCP, and their stdout/stderr are discarded so no client
data ends up in a log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from jupyter_core.utils import run_sync

from afterview.record.errors import RunError

__all__ = [
    "CAN_FORK",
    "WARM_MODULES",
    "ForkServer",
    "connect",
    "start_kernel",
    "stop_kernel",
]

WARM_MODULES: tuple[str, ...] = (
    "matplotlib",
    "matplotlib.pyplot",
    "ipywidgets",
    "afterview",
    "afterview.record.store",
    "afterview.coaching.content",
    "afterview.coaching.letters",
    "afterview.coaching.checks",
    "afterview.coaching.calendar",
    "afterview.workbook.charts",
    "afterview.workbook.views",
    "afterview.workbook.session",
    "afterview.workbook.forms",
    "afterview.workbook.notebook",
    "afterview.workbook.warmup:run",
)
"""Imported by every kernel while it boots (missing ones are ignored). ``module:function``
also calls the function, once, in the warm template that kernels are forked from."""

PRIVATE_KERNEL = ("--HistoryManager.enabled=False",)
"""A client's kernel keeps no command history: its cells name the record, and IPython would log
them to a database in the user's home that outlives the batch (it also starts faster)."""

CAN_FORK = hasattr(os, "fork")
"""Kernels can be forked from a warm template (POSIX), not only started cold."""


def _warm_code(modules: tuple[str, ...]) -> str:
    # One statement list, no expression left to display, no names left behind. A cold kernel
    # only imports: drawing once would cost it as much as the client's own report.
    modules = tuple(name.partition(":")[0] for name in modules)
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


# --- forked kernels -------------------------------------------------------------------------


class ForkServer:
    """The parent's end of :mod:`afterview.batch.forkserver`: one warm template, many kernels."""

    def __init__(self, modules: tuple[str, ...] = WARM_MODULES) -> None:
        self._lock = threading.Lock()
        self._ready = False
        self.forked = 0
        """How many kernels this template has forked."""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "afterview.batch.forkserver", *modules],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=tempfile.gettempdir(),
            env={**os.environ, "JPY_PARENT_PID": str(os.getpid())},
            text=True,
        )

    def fork(self, argv: list[str], cwd: str) -> int:
        """A new kernel process running ``ipykernel`` with ``argv``; returns its pid."""
        assert self._process.stdin is not None and self._process.stdout is not None
        with self._lock:
            try:
                if not self._ready:
                    self._ready = self._process.stdout.readline().strip() == "ready"
                self._process.stdin.write(json.dumps({"argv": argv, "cwd": cwd}) + "\n")
                self._process.stdin.flush()
                answer = self._process.stdout.readline().strip()
            except (OSError, ValueError):
                answer = ""
        if not answer.isdigit():
            raise RunError("the kernel template process stopped")
        self.forked += 1
        return int(answer)

    def close(self) -> None:
        """End the template; it kills any kernel it forked that is still running."""
        if self._process.returncode is not None:
            return
        with contextlib.suppress(OSError):
            if self._process.stdin is not None:
                self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


class _ForkedProcess:
    """Enough of ``subprocess.Popen`` for jupyter_client to manage a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -signal.SIGKILL
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.01)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class _ForkedProvisioner(LocalProvisioner):
    """Launches the kernel by asking the fork server instead of starting a new Python."""

    server: ForkServer | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        if self.server is None or "ipykernel_launcher" not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        argv = cmd[cmd.index("ipykernel_launcher") + 1 :]
        try:
            pid = self.server.fork(argv, str(kwargs.get("cwd") or tempfile.gettempdir()))
        except RunError:  # the template is gone: this kernel starts cold instead
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = self.pgid = pid
        return self.connection_info


# --- starting and stopping ------------------------------------------------------------------


def start_kernel(
    modules: tuple[str, ...] = WARM_MODULES, server: ForkServer | None = None
) -> AsyncKernelManager:
    """Launch one fresh kernel in an empty private folder; it imports ``modules`` as it boots.

    With a ``server``, the kernel is forked from its warm template instead of started cold.
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
    if server is not None:
        km.kernel_id = str(uuid.uuid4())
        provisioner = _ForkedProvisioner(
            kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km
        )
        provisioner.server = server
        km.provisioner = provisioner
    extra = [f"--IPKernelApp.exec_lines={[_warm_code(modules)]!r}", *PRIVATE_KERNEL]
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


async def _connect(km: AsyncKernelManager, timeout: float) -> AsyncKernelClient:
    kc: AsyncKernelClient = km.client()
    kc.start_channels()
    kc.allow_stdin = False
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    sent: set[str] = set()
    shell_ok = iopub_ok = False
    resend_at = 0.0
    while not (shell_ok and iopub_ok):
        now = loop.time()
        if now > deadline or not await km.is_alive():
            kc.stop_channels()
            raise RunError(f"the Python kernel did not start within {timeout:.0f} s")
        if now >= resend_at:
            sent.add(kc.kernel_info())
            resend_at = now + 0.5
        channel = kc.get_shell_msg if not shell_ok else kc.get_iopub_msg
        with contextlib.suppress(queue.Empty):
            msg = await channel(timeout=0.05)
            if msg["parent_header"].get("msg_id") in sent:
                if channel == kc.get_shell_msg:
                    shell_ok = True
                else:
                    iopub_ok = True
    return kc


def connect(km: AsyncKernelManager, timeout: float = 60) -> AsyncKernelClient:
    """A client for a launched kernel, once the kernel answers on both shell and IOPub.

    ``KernelClient.wait_for_ready`` also waits until IOPub has been quiet for 0.2 s; a kernel
    that answered a request on both channels is ready, so this returns as soon as it does.
    Stray messages left behind are harmless: nbclient matches outputs to their request.
    """
    return run_sync(_connect)(km, timeout)


def stop_kernel(km: AsyncKernelManager) -> None:
    """Kill the kernel now and remove its private folder. Never raises."""
    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)
    home = getattr(km, "afterview_home", None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)
