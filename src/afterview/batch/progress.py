"""What a batch shows and how it stops: the progress bar on stderr, and a kill that unwinds.

Used by :mod:`afterview.batch.run`.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from tqdm import tqdm

__all__ = ["Progress", "sigterm_as_interrupt"]


class Progress:
    """done / failed / remaining and the time left, on stderr."""

    def __init__(self, total: int, done: int, enabled: bool) -> None:
        self.total, self.done, self.failed = total, done, 0
        self._bar = tqdm(
            total=total,
            initial=done,
            unit="client",
            desc="afterview batch",
            file=sys.stderr,
            disable=not enabled,
            dynamic_ncols=True,
        )
        self._show()

    def _show(self) -> None:
        remaining = self.total - self.done - self.failed
        self._bar.set_postfix_str(
            f"done {self.done}, failed {self.failed}, remaining {remaining}", refresh=True
        )

    def advance(self, *, failed: bool) -> None:
        if failed:
            self.failed += 1
        else:
            self.done += 1
        self._bar.update(1)
        self._show()

    def close(self) -> None:
        self._bar.close()


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """A kill (SIGTERM) unwinds like Ctrl-C, so staging folders and kernels are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
