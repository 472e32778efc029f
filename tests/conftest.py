"""Shared fixtures. Notebooks always run on this environment's own kernel.

The browser tests (the app's and JupyterLab's) share one way to start Chromium: without it they
skip and say why; under CI (``CI=true``) a missing browser fails them instead. A failing
browser test leaves a screenshot and the server's log in ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from afterview.record import coachfile
from afterview.record.schema import Record

try:
    from playwright import sync_api as playwright_api
except ImportError:  # checked by chromium_or_skip, so CI fails instead of skipping
    playwright_api = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"

# Fixture notebooks are inputs (some fail on purpose), not notebooks for nbval to validate.
collect_ignore_glob = ["fixtures/*"]

# A user-level `python3` kernelspec would otherwise win over this venv's own.
os.environ["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
os.environ.setdefault("MPLBACKEND", "Agg")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def example_records() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture
def copy_record(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a record (an example or a fixture) into a temporary folder and return its path."""

    def _copy(source: Path | str) -> Path:
        source = Path(source)
        if not source.is_absolute():
            source = (EXAMPLES / source) if (EXAMPLES / source).exists() else FIXTURES / source
        target = tmp_path / source.name
        shutil.copy(source, target)
        return target

    return _copy


# --- a real browser -------------------------------------------------------------------------


def chromium_or_skip() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    reason = ""
    if playwright_api is None:
        reason = "Playwright for Python is not installed (pip install playwright)"
    elif found is None:
        reason = "no Chromium on this machine (Debian: apt-get install chromium)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the browser tests, not skip them")
        pytest.skip(reason)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_or_skip()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def save_evidence(name: str, context: Any, logs: dict[str, str]) -> None:
    """Keep a screenshot of the browser ``context``'s newest open page, and each server log
    (``logs`` maps a file suffix such as ``voila.log`` to its text), in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", name)
    with contextlib.suppress(Exception):
        page = context.pages[-1]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    for suffix, text in logs.items():
        (ARTIFACTS / f"{name}.{suffix}").write_text(text, encoding="utf-8")


@contextlib.contextmanager
def evidence_on_failure(
    request: pytest.FixtureRequest, context: Any, logs: Callable[[], dict[str, str]]
) -> Iterator[None]:
    """If the test fails, :func:`save_evidence` (the logs are read only then)."""
    failed_before = request.session.testsfailed
    try:
        yield
    finally:
        if request.session.testsfailed > failed_before:
            save_evidence(request.node.name, context, logs())


def wait_for_record(path: Path, check: Callable[[Record], bool], timeout: float = 15.0) -> Record:
    """Wait until the record at ``path`` satisfies ``check`` (the forms save as they go).

    Read as the coach sees it: the record file with its coach file beside it (notes, rating).
    """
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            loaded = coachfile.load(path, coach=True)
            if check(loaded):
                return loaded
        if time.monotonic() > deadline:
            raise AssertionError("the change never reached the record file on disk")
        time.sleep(0.2)
