"""How soon can a job seeker type into the app after ``afterview app`` prints its address?

Starts ``afterview app RECORD --no-browser`` as a user would (on a copy of an example record),
waits for the address it prints, then drives headless Chromium (Playwright):

- **first page**: from the moment the address is printed until a form field accepts typing
  (the "Company" box shows what was typed);
- **saved**: until that typing has reached the record file (the page's kernel is live);
- **reload**: a reload of the same tab until the field accepts typing again.

It does this twice in the same run: with the warm kernel Afterview keeps ready (the default),
and cold (``--no-preheat``: a kernel is started only once the page is asked for). It prints
every figure in seconds against the 2 s target.

    python benchmarks/bench_app.py [--reloads 3] [--pause 3]
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from afterview.record import store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ada-okafor-panel.yaml"
TARGET = 2.0
"""Seconds: the first page and a reload should be interactive within this."""
TIMEOUT_MS = 180_000
"""Give up on one page after this long (the figure is then shown as timed out)."""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/\S*")


@dataclass
class Figures:
    """What one way of running the app measured, in seconds."""

    name: str
    startup: float = math.nan
    first: float = math.nan
    saved: float = math.nan
    reloads: list[float] = field(default_factory=list)
    problem: str = ""


@contextlib.contextmanager
def running_app(record: Path, *options: str) -> Iterator[tuple[str, float]]:
    """``afterview app RECORD --no-browser``: yields its address and the seconds it took."""
    command = [sys.executable, "-m", "afterview", "app", str(record), "--no-browser", *options]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            found = ADDRESS.search(line)
            if found:
                yield found.group(0), time.perf_counter() - started
                break
        else:
            raise SystemExit(f"`afterview app` stopped before printing an address: {command}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # SIGINT may be ignored in a background job
        process.wait(60)


def until_typing_works(page: Any, text: str) -> None:
    """Wait until the Company box is on the page and takes what is typed."""
    box = page.get_by_label("Company", exact=True).filter(visible=True).first
    box.wait_for(timeout=TIMEOUT_MS)
    box.fill(text)
    box.press("Tab")
    page.wait_for_function(
        "([box, text]) => box.value === text", arg=[box.element_handle(), text], timeout=TIMEOUT_MS
    )


def until_saved(record: Path, text: str) -> None:
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while time.perf_counter() < deadline:
        with contextlib.suppress(Exception):
            if store.load(record).interview.company == text:
                return
        time.sleep(0.02)
    raise TimeoutError("the typed company never reached the record file")


def measure(
    browser: Any, folder: Path, name: str, reloads: int, pause: float, *options: str
) -> Figures:
    record = folder / f"{name}.yaml"
    shutil.copy(EXAMPLE, record)
    figures = Figures(name)
    with running_app(record, *options) as (url, startup):
        printed = time.perf_counter()
        figures.startup = startup
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            visit(context.new_page(), url, record, printed, figures, reloads, pause)
        except (PlaywrightError, TimeoutError) as error:
            figures.problem = f"gave up: {str(error).splitlines()[0]}"
        context.close()
    return figures


def visit(
    page: Any, url: str, record: Path, printed: float, figures: Figures, reloads: int, pause: float
) -> None:
    """Open the page, type, then reload it ``reloads`` times, filling in ``figures``."""
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    until_typing_works(page, "Kestrel Health 0")
    figures.first = time.perf_counter() - printed
    until_saved(record, "Kestrel Health 0")
    figures.saved = time.perf_counter() - printed
    for number in range(1, reloads + 1):
        time.sleep(pause)  # a person reads, then reloads
        started = time.perf_counter()
        page.reload(wait_until="commit", timeout=TIMEOUT_MS)
        until_typing_works(page, f"Kestrel Health {number}")
        figures.reloads.append(time.perf_counter() - started)
        until_saved(record, f"Kestrel Health {number}")


def verdict(seconds: float) -> str:
    if math.isnan(seconds):
        return "  -- timed out"
    return f"{seconds:5.2f} s {'ok' if seconds < TARGET else 'OVER'}"


def report(rows: list[Figures]) -> None:
    print(f"\nTarget: first page and reload interactive in under {TARGET:.0f} s.")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)\n")
    print(
        f"{'':<10} {'address':>9} {'first page':>12} {'saved':>8} {'reload (median)':>17}  reloads"
    )
    for row in rows:
        median = statistics.median(row.reloads) if row.reloads else math.nan
        each = ", ".join(f"{value:.2f}" for value in row.reloads)
        print(
            f"{row.name:<10} {row.startup:7.2f} s {verdict(row.first):>12} {row.saved:6.2f} s "
            f"{verdict(median):>17}  {each} {row.problem}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reloads", type=int, default=3, help="reloads per way [3]")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds before each reload [3]")
    args = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("no Chromium on this machine (Debian: apt-get install chromium)")
    print(f"load average at the start: {os.getloadavg()[0]:.2f}")
    with (
        tempfile.TemporaryDirectory(prefix="afterview-bench-app-") as folder,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        rows = []
        for name, options in (("warm", ()), ("cold", ("--no-preheat",))):
            rows.append(measure(browser, Path(folder), name, args.reloads, args.pause, *options))
            report(rows[-1:])  # as it comes, in case the next one is stopped
        browser.close()
    report(rows)


if __name__ == "__main__":
    main()
