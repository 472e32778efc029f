"""Turning an executed notebook into what a client receives: clean HTML and a PDF.

The HTML has no code, no prompts, no widget state, no tracebacks and no script or stylesheet
fetched from anywhere: it opens offline, and prints. The PDF is that HTML printed by a headless
Chromium with the network cut off. Notebook metadata keeps provenance (Afterview version,
record file name, run time) and loses what papermill recorded about paths and parameters.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
import shutil
import threading
from types import TracebackType
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from afterview import __version__
from afterview.coaching.templating import TEMPLATES, stylesheet
from afterview.record.errors import RunError

__all__ = [
    "PdfPrinter",
    "find_chromium",
    "network_references",
    "prepare_metadata",
    "to_html",
]

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Fewer helper processes: a batch prints one page at a time (about 170 MB less).
    "--no-zygote",
    "--renderer-process-limit=1",
    "--in-process-gpu",
    "--disable-extensions",
]

_HIDDEN_MIME = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
    "application/javascript",
)
_STYLE = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)
"""A <style> element inside an output: valid HTML keeps styles in the page's <head>."""

_NETWORK_REF = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video|embed)\b[^>]*?\b(?:src|href)\s*=\s*["']?"""
    r"""\s*(?:https?:)?//""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""(?:url\(|@import)\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


# --- notebook metadata ----------------------------------------------------------------------


def prepare_metadata(
    nb: nbformat.NotebookNode,
    *,
    record_name: str,
    notebook_name: str,
    run_at: dt.datetime,
    history_names: str = "",
) -> None:
    """Drop paths, parameters and widget state from the metadata; add provenance (in place).

    ``history_names``: the file names of the person's other records, one a line, which replace
    their paths in the injected ``history`` parameter.
    """
    metadata = nb.metadata
    for key in ("papermill", "widgets", "title", "authors"):
        metadata.pop(key, None)
    metadata["afterview"] = {
        "version": __version__,
        "record": record_name,
        "notebook": notebook_name,
        "run_at": run_at.isoformat(timespec="seconds"),
    }
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            # The record's absolute path names the coach's folders (often the client): keep
            # only the file name, which is all a reader of the notebook needs.
            for name, value in (("record", record_name), ("history", history_names)):
                cell.source = re.sub(
                    rf"^{name} = .*$", f"{name} = {value!r}", cell.source, flags=re.MULTILINE
                )


# --- HTML -----------------------------------------------------------------------------------

_EXPORTING = threading.Lock()
"""nbconvert exporters keep per-run state, so one export runs at a time; this costs no speed
(an export holds Python's GIL throughout) and each batch compiles the template once, not
once per thread (0.4 s each)."""
_shared: list[HTMLExporter] = []


def _exporter() -> HTMLExporter:
    """The batch's one HTML exporter (call with ``_EXPORTING`` held)."""
    if not _shared:
        exporter = HTMLExporter(  # type: ignore[no-untyped-call]
            template_name="lab",
            template_file="report.html.j2",
            extra_template_paths=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
        exporter.register_preprocessor(_drop_pygments_css, enabled=True)  # type: ignore[no-untyped-call]
        _shared.append(exporter)
    return _shared[0]


def _drop_pygments_css(
    nb: nbformat.NotebookNode, resources: dict[str, Any]
) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    resources.setdefault("inlining", {})["css"] = []  # no code is shown, so no highlighting
    return nb, resources


def _client_view(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy holding only what a client should see: no errors, warnings or widget views."""
    view = copy.deepcopy(nb)
    view.metadata.pop("widgets", None)
    for cell in view.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                continue
            if output.output_type == "stream" and output.get("name") == "stderr":
                continue
            data = output.get("data")
            if data is not None:
                if any(mime in data for mime in _HIDDEN_MIME[:2]):
                    continue
                for mime in _HIDDEN_MIME:
                    data.pop(mime, None)
                if "text/html" in data:  # the page's <head> carries the styles, once
                    data["text/html"] = _STYLE.sub("", "".join(data["text/html"]))
                if not data:
                    continue
            kept.append(output)
        cell.outputs = kept
    return view


def network_references(html: str) -> list[str]:
    """Every place where ``html`` would fetch something over the network (should be none)."""
    found = [match.group(0) for match in _NETWORK_REF.finditer(html)]
    found += [match.group(0) for match in _CSS_URL.finditer(html)]
    return found


def to_html(nb: nbformat.NotebookNode, *, title: str, footer: str) -> str:
    """The client-facing HTML for an executed notebook."""
    resources = {
        "metadata": {"name": title},
        "afterview": {
            "title": title,
            "footer": footer,
            "css": stylesheet() + stylesheet("views.css"),
        },
    }
    view = _client_view(nb)
    with _EXPORTING:
        html, _ = _exporter().from_notebook_node(view, resources=resources)
    problems = network_references(html)
    if problems:
        raise RunError(
            f"the report would load {problems[0]!r} from the network; a notebook output embeds "
            "a remote asset: display it as an inline image or text instead"
        )
    return str(html)


# --- PDF ------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome to print with, if this machine has one."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _offline(route: Route) -> None:
    route.abort()


class PdfPrinter:
    """One headless Chromium for a whole batch; prints HTML to PDF with no network access.

    Use it from the one thread that created it (Playwright's sync API is single-threaded).
    ``available`` is False when no Chromium was found or it would not start; ``problem`` then
    says why, in one line.
    """

    def __init__(self, executable: str | None = None, *, fresh_page_every: int = 100) -> None:
        self.executable = executable or find_chromium()
        self.fresh_page_every = fresh_page_every
        self._printed = 0
        self.problem = "" if self.executable else "no Chromium found (install chromium)"
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._page: Page | None = None

    @property
    def available(self) -> bool:
        return not self.problem

    def __enter__(self) -> PdfPrinter:
        if self.executable is None:
            return self
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, args=CHROMIUM_ARGS
            )
        except PlaywrightError as error:
            self.problem = f"Chromium at {self.executable} did not start ({_first_line(error)})"
            self.close()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._drop_page()
        if self._browser is not None:
            with contextlib.suppress(PlaywrightError):
                self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    def print_pdf(self, html: str) -> bytes:
        """The PDF of ``html`` on A4, backgrounds printed, nothing fetched.

        One page is reused for ``fresh_page_every`` reports, then replaced: a fresh renderer
        per report doubled the batch's memory, and one page for a thousand reports kept
        growing. It runs no JavaScript and keeps no storage, so nothing carries over.
        """
        if self._browser is None:
            raise RunError(f"cannot print PDFs: {self.problem or 'the printer is closed'}")
        try:
            if self._page is None:
                context = self._browser.new_context(offline=True, java_script_enabled=False)
                context.route("**/*", _offline)
                self._page = context.new_page()
            self._page.set_content(html, wait_until="load")
            data = self._page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        except PlaywrightError as error:
            self._drop_page()
            raise RunError(f"printing the PDF failed ({_first_line(error)})") from None
        self._printed += 1
        if self._printed % self.fresh_page_every == 0:
            self._drop_page()
        return data

    def _drop_page(self) -> None:
        if self._page is not None:
            with contextlib.suppress(PlaywrightError):
                self._page.context.close()
            self._page = None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
