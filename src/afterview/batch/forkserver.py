"""A template process that forks fresh, already-warm Jupyter kernels.

Starting a kernel means starting Python, importing IPython and ipykernel, then the report's own
imports (matplotlib, ipywidgets, Afterview, papermill): about a second of CPU per client. This
module pays that once. Run as ``python -m afterview.batch.forkserver MODULE...``, it imports the
modules and then, for each request line on stdin (JSON: the kernel's argv and working folder),
forks a child that becomes a brand-new kernel and answers with the child's pid.

The template never runs notebook code and never sees a record, so every kernel starts from the
same clean state: a child is as fresh as a newly launched kernel, only faster. Children are their
own process group (so signalling one kernel never reaches another) and are killed when the
template's stdin closes, i.e. when the batch that started it ends or dies.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sys
from typing import Any, NoReturn

from ipykernel.kernelapp import IPKernelApp

__all__ = ["KERNEL_MODULES", "main"]

KERNEL_MODULES = (
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.extensions.storemagic",
)
"""What ``IPKernelApp.initialize`` would import in every kernel (the debugger alone is about
150 modules): imported once here, a forked kernel is ready in a third of the time."""


def _warm(modules: list[str]) -> None:
    """Import each module; for ``module:function``, also call that function (a warm-up)."""
    for name in modules:
        module, _, function = name.partition(":")
        with contextlib.suppress(Exception):
            imported = importlib.import_module(module)
            if function:
                getattr(imported, function)()


def _integrate_with_shell() -> None:
    """Do what imports done before the kernel existed would have done inside a kernel."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        widgets._handle_ipython()  # registers the widget comm target with this kernel
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None:
        inline._enable_matplotlib_integration()


def _become_kernel(request: dict[str, Any]) -> NoReturn:
    status = 1
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel waits for its own children
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.chdir(request["cwd"])
        app = IPKernelApp.instance()
        app.initialize(request["argv"])  # type: ignore[no-untyped-call]
        _integrate_with_shell()
        app.start()  # type: ignore[no-untyped-call]
        status = 0
    finally:
        os._exit(status)


def main() -> NoReturn:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished kernels are reaped at once
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle
    # What ipykernel sets in every kernel before user code imports matplotlib.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # Each kernel watches its parent (this template) and exits if it ever goes away.
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    _warm([*KERNEL_MODULES, *sys.argv[1:]])
    children: list[int] = []
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become_kernel(request)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # also done by the child: whichever runs first wins the race
        children.append(pid)
        print(pid, flush=True)
    for pid in children:
        if _is_my_child(pid):
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
    # Nothing to save or flush: skip the interpreter's tear-down of matplotlib, IPython and the
    # rest, which kept every batch waiting 0.87 s at its end.
    os._exit(0)


def _is_my_child(pid: int) -> bool:
    """Is ``pid`` still one of this template's kernels (and not a reused pid)?"""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return int(fields[1]) == os.getpid()


if __name__ == "__main__":
    main()
