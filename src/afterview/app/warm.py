"""A page built before its visitor arrives, and kept as new as the record until they do.

``afterview app`` has Voilà keep a warm kernel (its ``preheat_kernel`` pool): the app notebook
runs, and the page is built, before anyone asks for it, so the visitor gets a finished page at
once. A page built early may be older than the record by the time it is shown (the client typed
in another tab, the coach saved in JupyterLab), so :func:`when_visited` waits for the visitor
while watching the record and the app's state file: when either has changed and then stayed
unchanged for a moment, the page is built again, and as the visitor arrives it is checked once
more. Outside a warm kernel (a page asked for when none was ready, a notebook run) it simply
builds the page.

How the visitor's arrival is known: Voilà tells a warm kernel through a local websocket,
``/voila/query/<kernel id>``, when its page is requested (see ``voila.utils.wait_for_request``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as W
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from afterview.record.disk import Stamp, stamp

__all__ = ["QUIET", "Stamp", "stamp", "warm", "when_visited"]

QUIET = 1.0
"""Seconds the watched files must stay unchanged before the waiting page is built again (a
client typing saves on every key; the page is rebuilt once they pause, not at every key)."""

CONNECT_ATTEMPTS = 10
CONNECT_TIMEOUT = 60.0
"""Seconds to wait for Voilà to accept the connection that says when the page is visited."""


def warm() -> bool:
    """True in a kernel that Voilà started before its page was asked for."""
    return os.environ.get("VOILA_PREHEAT") == "True" and "VOILA_KERNEL_ID" in os.environ


def _query_address() -> str:
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_SERVER_URL", "/")
    return f"ws://127.0.0.1:{port}{base}voila/query/{os.environ['VOILA_KERNEL_ID']}"


def _arrived(connection: ClientConnection, timeout: float) -> bool:
    """True once Voilà says the page was asked for; False if not within ``timeout``."""
    try:
        connection.recv(timeout=timeout)
    except TimeoutError:
        return False
    return True


def when_visited(
    build: Callable[[], W.Widget],
    watched: Sequence[Path],
    ready: Path | None = None,
    *,
    refresh: Callable[[], bool] | None = None,
) -> W.Widget:
    """Build the page; in a warm kernel, keep it as new as ``watched`` until it is visited.

    ``refresh`` brings the page built last up to date in place (re-reading the record into its
    forms) and says whether it could; only if it cannot is the page built again. Building the
    whole page again took long enough, on a busy machine, for a reload straight after typing to
    time out, while a refresh costs a re-read. ``ready`` (a file) is touched each time the
    waiting page is brought up to date, so whoever started the server knows the first page will
    be served without delay.
    """
    built = seen = stamp(watched)  # before reading them: a change while building is seen
    page = build()
    if not warm():
        return page
    for _attempt in range(CONNECT_ATTEMPTS):  # a busy machine may refuse the first tries
        try:
            # Straight to this machine (never through a proxy set in the environment), and no
            # keep-alive pings: a server busy for a moment must not cost the connection.
            with connect(
                _query_address(), open_timeout=CONNECT_TIMEOUT, proxy=None, ping_interval=None
            ) as link:
                if ready is not None:
                    ready.touch()
                while not _arrived(link, QUIET):
                    now = stamp(watched)
                    if now != built and now == seen:  # changed, then quiet for QUIET seconds
                        page, built = _update(page, build, refresh), now
                        if ready is not None:
                            ready.touch()
                    seen = now
            break
        except (OSError, WebSocketException):
            time.sleep(QUIET)
    if stamp(watched) != built:
        page = _update(page, build, refresh)
    return page


def _update(
    page: W.Widget, build: Callable[[], W.Widget], refresh: Callable[[], bool] | None
) -> W.Widget:
    """The page, refreshed in place where it can be, else built again."""
    if refresh is not None and refresh():
        return page
    return _rebuild(build)


def _rebuild(build: Callable[[], W.Widget]) -> W.Widget:
    """Close every widget of the page not yet shown (this kernel has shown nothing else), then
    build it again from the files as they are now."""
    W.Widget.close_all()
    return build()
