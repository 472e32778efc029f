"""``afterview app``'s server process: started, waited for, and always stopped with its kernels.

:func:`serve` runs Voilà (prepared by :mod:`afterview.app.config`) for one record and prints
the address once the first page is ready. Stopping it with Ctrl-C, SIGTERM or SIGHUP (its
terminal closed) stops the server and every kernel and deletes the working folder with the
token; if ``afterview app`` itself is killed outright, the server notices and stops
(:mod:`afterview.app.web`). The browser is opened on a private local file that forwards to the
address, so the token is never on a command line where other users could read it.
"""

from __future__ import annotations

import contextlib
import html
import os
import shutil
import signal
import socket
import subprocess
import time
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from afterview.app.config import (
    HOST,
    IDLE_KERNEL_TIMEOUT,
    NOTEBOOK,
    START_TIMEOUT,
    Settings,
    prepare,
    voila_command,
    voila_environment,
    write_private,
)
from afterview.record import store
from afterview.record.errors import AfterviewError, RunError

__all__ = ["AppProcess", "Stopped", "launch", "open_browser_at", "serve", "start"]


@dataclass
class AppProcess:
    """A running app server (see :func:`start`)."""

    settings: Settings
    process: subprocess.Popen[bytes]
    log: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        return self.settings.url

    @property
    def port(self) -> int:
        return self.settings.port

    @property
    def record(self) -> Path:
        return self.settings.record

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def tail(self, lines: int = 3) -> str:
        """The last lines of the server's log, on one line (for an error message)."""
        return " | ".join(self.log_text().strip().splitlines()[-lines:])

    def wait_until_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Block until the server accepts connections; raise RunError if it dies or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RunError(
                    f"the web app stopped while starting (exit {self.process.returncode}): "
                    f"{self.tail()}"
                )
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 0.5):
                return
            time.sleep(0.2)
        raise RunError(f"the web app did not start within {timeout:.0f} s: {self.tail()}")

    def wait_until_warm(self, timeout: float = START_TIMEOUT) -> bool:
        """Block until the warm kernel's page is built (at most ``timeout`` seconds); False if
        it is not (no warm kernel, or a slow machine: the first page then takes longer)."""
        deadline = time.monotonic() + timeout
        while self.settings.preheat and self.process.poll() is None:
            if self.settings.ready_marker.exists():
                return True
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        return False

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server and its kernels (SIGTERM, then SIGKILL), then remove the folder."""
        if self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        shutil.rmtree(self.settings.workdir, ignore_errors=True)


def launch(settings: Settings) -> AppProcess:
    """Start Voilà for prepared settings; its output goes to ``voila.log`` in the folder."""
    log = settings.workdir / "voila.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            voila_command(settings),
            env=voila_environment(settings),
            cwd=settings.workdir,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: Ctrl-C is ours to handle
        )
    return AppProcess(settings=settings, process=process, log=log)


@contextlib.contextmanager
def start(
    record: str | os.PathLike[str],
    port: int | None = None,
    *,
    notebook: Path = NOTEBOOK,
    idle_timeout: int = IDLE_KERNEL_TIMEOUT,
    preheat: bool = True,
) -> Iterator[AppProcess]:
    """Run the app for one record until the ``with`` block ends (used by tests), from the
    moment its first page is ready."""
    settings = prepare(
        record, port=port, notebook=notebook, idle_timeout=idle_timeout, preheat=preheat
    )
    app = launch(settings)
    try:
        app.wait_until_ready()
        app.wait_until_warm()
        yield app
    finally:
        app.stop()


class Stopped(Exception):
    """SIGTERM or SIGHUP (the terminal was closed) reached ``afterview app``."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def _signals(handler: Any) -> Iterator[None]:
    """Handle SIGTERM and SIGHUP with ``handler`` (SIGINT too, if it is SIG_IGN) inside the
    block; put the previous handlers back after it."""
    chosen = STOP_SIGNALS if handler is signal.SIG_IGN else STOP_SIGNALS[1:]
    previous = {number: signal.signal(number, handler) for number in chosen}
    try:
        yield
    finally:
        for number, before in previous.items():
            signal.signal(number, before)


def _say(*lines: str) -> None:
    """Print to the terminal, if there still is one (closing it is a way to stop the app)."""
    with contextlib.suppress(OSError, ValueError):
        print(*lines, sep="\n", flush=True)


def open_browser_at(app: AppProcess) -> None:
    """Open the page through a private local file that forwards to the address, so the token
    is never on a command line (the browser's, which other users can read)."""
    address = html.escape(app.url)
    opener = app.settings.workdir / "open.html"
    write_private(
        opener,
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" '
        f'content="0;url={address}"><title>Afterview</title></head><body><p>Opening your '
        f'workbook… If nothing happens, <a href="{address}">open it here</a>.</p></body></html>\n',
    )
    webbrowser.open(opener.as_uri())


def serve(
    record: str | os.PathLike[str],
    port: int | None = None,
    open_browser: bool = True,
    preheat: bool = True,
    calibration: str = "",
) -> int:
    """Serve the app until Ctrl-C, SIGTERM or SIGHUP, printing the address to open once the
    first page is ready; 0 when stopped that way (the server and its kernels are gone).

    A record that exists but cannot be read still opens: the page says what is wrong, so the
    user can fix the file and reload. A server that dies raises :class:`RunError`.
    """
    settings = prepare(record, port=port, preheat=preheat, calibration=calibration)
    problem = _record_problem(settings.record)
    app = launch(settings)
    try:
        with _signals(_stop):
            app.wait_until_ready()
            app.wait_until_warm()
            _say(
                f"Your workbook for {app.record.name} is ready. Open this address in your browser:",
                f"    {app.url}",
            )
            if problem:
                _say(f"Note: {problem}. The page explains; fix the file, then reload the page.")
            _say("Everything you type is saved as you go. Press Ctrl-C here to stop.")
            if open_browser:
                open_browser_at(app)
            status = app.process.wait()
            last = app.tail()
    except (KeyboardInterrupt, Stopped):
        _say("", "Stopping the workbook. Your answers are saved.")
        return 0
    finally:
        with _signals(signal.SIG_IGN):  # a second Ctrl-C must not cut the clean-up short
            app.stop()
    raise RunError(f"the web app stopped unexpectedly (exit {status}): {last}")


def _record_problem(path: Path) -> str:
    try:
        store.load(path)
    except AfterviewError as error:
        return str(error)
    return ""
