"""The web server process of ``afterview app``: Voilà, answering this machine's own names only.

:mod:`afterview.app.server` runs ``python -m afterview.app.web NOTEBOOK`` instead of
``python -m voila``; everything else (token, CSP, template, culling, the warm kernel) is Voilà's
own configuration, written there. This module adds what configuration cannot:

- a request whose ``Host`` is not ``127.0.0.1`` or ``localhost`` (with or without this server's
  port) gets 403 before any handler runs, static files included, so a page on another site whose
  name is made to resolve to this machine (DNS rebinding) cannot read or drive the workbook;
- a template path that does not name a template's static file (``/voila/templates/..%2f``) gets
  a plain 404 instead of a server error;
- the server stops, and shuts its kernels down, when the ``afterview app`` that started it is
  gone (killed outright, so it could not stop the server itself);
- a kernel is culled seconds after its page was closed, but not while its page is still
  loading (:class:`Kernels`);
- a warm kernel that connected twice to hear of its visitor still hears of them
  (:class:`VisitorNews`);
- the cell tagged ``waits-for-visitor`` (the app page, which a warm kernel builds and then keeps
  until someone asks for it, see :mod:`afterview.app.warm`) is exempt from the cell timeout,
  which every other cell keeps.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from typing import Any, ClassVar

import tornado.ioloop
import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.httputil import HTTPServerRequest
from tornado.routing import Matcher, Rule
from traitlets import Float, Set
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import TemplateStaticFileHandler

__all__ = [
    "WAITS_FOR_VISITOR",
    "AfterviewVoila",
    "ForeignHost",
    "Kernels",
    "TemplateFiles",
    "VisitorNews",
    "cell_timeout",
    "main",
]

LOCAL_NAMES = ("127.0.0.1", "localhost")
PARENT_CHECK_MS = 1000
"""How often the server checks that ``afterview app`` is still there."""
TEMPLATE_FILE = re.compile(r"(?!(?:.*/)?\.\.(?:/|$))[\w-]+/static/[^\\]+")
"""``<template>/static/<path>``, with no ``..`` anywhere in the path."""
WAITS_FOR_VISITOR = "waits-for-visitor"
"""The tag of the notebook cell that may wait, in a warm kernel, for as long as no one visits."""


def cell_timeout(limit: int | None) -> Callable[[Any], int | None]:
    """The executor's timeout for each cell: ``limit``, but none for the waiting cell."""

    def timeout(cell: Any) -> int | None:
        return None if WAITS_FOR_VISITOR in cell.get("metadata", {}).get("tags", []) else limit

    return timeout


class ForeignHost(Matcher):
    """Matches a request whose ``Host`` header is not one of this server's own addresses."""

    def __init__(self, port: int) -> None:
        self.allowed = {name for host in LOCAL_NAMES for name in (host, f"{host}:{port}")}

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        return None if request.host.lower() in self.allowed else {}


class TemplateFiles(TemplateStaticFileHandler):  # type: ignore[misc]
    """Voilà's template static files, with a malformed or climbing path answered by 404."""

    def parse_url_path(self, url_path: str) -> str:
        if not TEMPLATE_FILE.fullmatch(url_path):
            raise tornado.web.HTTPError(404)
        return str(super().parse_url_path(url_path))


class VisitorNews(RequestInfoSocketHandler):  # type: ignore[misc]
    """Voilà's ``/voila/query/<kernel id>`` socket, which tells a warm kernel that its page was
    asked for, made safe for a kernel that connects more than once.

    Voilà keeps one connection per kernel, and when any connection closes it removes an entry
    that may no longer be its own (a second connection of the same kernel replaced it, or a
    different kernel's): the kernel's live connection is then forgotten, the visitor's request
    is kept for a connection that never comes, and the page hangs at its spinner. A warm kernel
    connects again whenever a connection fails (a busy machine), so this happened. Here every
    open connection of a kernel is kept, the newest is the one Voilà writes to, and what was
    written is kept too: a connection that closes before the kernel read it passes it on to the
    kernel's next open connection (or the next one it makes).
    """

    _open: ClassVar[dict[str, list[VisitorNews]]] = {}
    kernel_id = ""

    def open(self, kernel_id: str) -> None:
        self.kernel_id = kernel_id
        self._open.setdefault(kernel_id, []).append(self)
        super().open(kernel_id)

    def write_message(self, message: Any, binary: bool = False) -> Any:
        RequestInfoSocketHandler._cache[self.kernel_id] = message
        return super().write_message(message, binary)

    def on_close(self) -> None:
        others = [other for other in self._open.pop(self.kernel_id, []) if other is not self]
        waiters = RequestInfoSocketHandler._waiters
        if not others:
            if waiters.get(self.kernel_id) is self:
                del waiters[self.kernel_id]
            return
        self._open[self.kernel_id] = others
        waiters[self.kernel_id] = others[-1]
        told = RequestInfoSocketHandler._cache.get(self.kernel_id)
        if told is not None:
            others[-1].write_message(told)


class Kernels(AsyncMappingKernelManager):
    """Culls the kernel of a page that was closed, never that of a page still loading.

    Jupyter's culler stops a kernel that has no connection once it has been idle for
    ``cull_idle_timeout``. A page served from the warm kernel has no connection either until the
    browser has loaded the page's scripts, which takes seconds on a busy machine; a kernel that
    has never had a connection is given ``first_connection_timeout`` instead.
    """

    first_connection_timeout = Float(
        120.0, config=True, help="Seconds a kernel whose page never connected may stay idle."
    )
    _connected_once = Set()

    def notify_connect(self, kernel_id: str) -> None:
        self._connected_once.add(kernel_id)
        super().notify_connect(kernel_id)  # type: ignore[no-untyped-call]

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and kernel_id not in self._connected_once:
            idle = (dt.datetime.now(dt.UTC) - kernel.last_activity).total_seconds()
            if idle < self.first_connection_timeout:
                return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[no-untyped-call]


class AfterviewVoila(Voila):  # type: ignore[misc]
    """Voilà, locked to this machine's names and to the life of the ``afterview app`` process."""

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        executor = self.config.VoilaExecutor
        executor.timeout_func = cell_timeout(executor.get("timeout"))

    def init_handlers(self) -> list[Any]:
        handlers: list[Any] = super().init_handlers()
        ours = {TemplateStaticFileHandler: TemplateFiles, RequestInfoSocketHandler: VisitorNews}
        return [(rule[0], ours.get(rule[1], rule[1]), *rule[2:]) for rule in handlers]

    def listen(self) -> None:
        # Rules are tried in order: this one comes before Voilà's, which match any host.
        refuse = Rule(ForeignHost(self.port), tornado.web.ErrorHandler, {"status_code": 403})
        self.app.default_router.rules.insert(0, refuse)
        parent = os.getppid()
        tornado.ioloop.PeriodicCallback(lambda: self._stop_without(parent), PARENT_CHECK_MS).start()
        super().listen()

    def _stop_without(self, parent: int) -> None:
        if os.getppid() != parent:
            self.log.warning("afterview app has gone; stopping the server and its kernels")
            tornado.ioloop.IOLoop.current().stop()


def main() -> None:
    AfterviewVoila.launch_instance()


if __name__ == "__main__":
    main()
