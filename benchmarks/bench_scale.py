"""A thousand clients: does ``afterview batch`` finish, within 2 GB, without growing?

Generates ``--clients`` records (copies of the examples with other names and dates), then runs
``afterview batch CLIENTS -o OUT --force`` as a user would, first with PDFs off, then on. While
it runs, the whole process tree's memory (RSS, and PSS which counts pages shared by forked
kernels once) is sampled every 0.5 s; the memory is also noted when the 100th client's report
is done and when the last one is, with the batch process's own memory. Prints the total time,
the time per client, the peak memory against the 2 GB target and the growth between client 100
and the last (target: no more than +10 %; the tree shrinks at the end as the last kernels stop,
so the batch process's own memory, where a leak would pile up, is compared too).

    python benchmarks/bench_scale.py [--clients 1000] [--workers 2] [--skip-pdf | --only-pdf]

Not part of ``make test``: ``make bench-scale`` runs it (about 30 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from bench_batch import BIN, make_clients

MB = 1024**2
SAMPLE_EVERY = 0.5
"""Seconds between samples: reading every process's PSS and counting 1,000 folders costs
CPU the batch then lacks (a fifth of a core at 0.2 s); a client's kernel lives over a second."""


class Watch:
    """Samples the batch's process tree and notes its memory as clients finish."""

    def __init__(self, process: psutil.Process, out: Path, marks: tuple[int, ...]) -> None:
        self.process, self.out, self.marks = process, out, marks
        self.peak_rss = self.peak_pss = 0
        self.at: dict[int, tuple[int, int, int]] = {}
        """Per mark: the tree's RSS and PSS, and the batch process's own RSS (where a leak
        would pile up: the tree shrinks as the last kernels end)."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> tuple[int, int]:
        rss = pss = 0
        with contextlib.suppress(psutil.Error):
            for proc in [self.process, *self.process.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
        return rss, pss

    def _done(self) -> int:
        with contextlib.suppress(OSError):
            return sum(1 for p in self.out.iterdir() if (p / "report.html").is_file())
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss = self._tree()
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            done = self._done()
            for mark in self.marks:
                if done >= mark and mark not in self.at:
                    with contextlib.suppress(psutil.Error):
                        self.at[mark] = (rss, pss, self.process.memory_info().rss)
            self._stop.wait(SAMPLE_EVERY)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(clients: Path, out: Path, count: int, workers: int, pdf: bool) -> None:
    command = [str(BIN / "afterview"), "batch", str(clients), "-o", str(out), "--force"]
    command += ["--workers", str(workers)] + ([] if pdf else ["--no-pdf"])
    started = time.perf_counter()
    batch = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    early = min(100, count)
    with Watch(psutil.Process(batch.pid), out, (early, count)) as watch:
        status = batch.wait()
    spent = time.perf_counter() - started
    label = "with PDFs" if pdf else "PDFs off"
    print(f"\n{count} clients, {label}: exit {status}, {spent:.0f} s, {spent / count:.2f} s/client")
    peak = "met" if watch.peak_rss < 2048 * MB else "MISSED"
    print(
        f"  peak memory: RSS {watch.peak_rss / MB:.0f} MB (PSS {watch.peak_pss / MB:.0f} MB)"
        f"   target < 2048 MB  {peak}"
    )
    if early in watch.at and count in watch.at:
        (r1, p1, own1), (r2, p2, own2) = watch.at[early], watch.at[count]
        growth = max((p2 - p1) / p1 if p1 else 0.0, (own2 - own1) / own1 if own1 else 0.0)
        verdict = "met" if growth <= 0.10 else "MISSED"  # no growth: less memory is fine
        print(
            f"  after client {early}: RSS {r1 / MB:.0f} MB, PSS {p1 / MB:.0f} MB, the batch's own "
            f"process {own1 / MB:.0f} MB; after client {count}: RSS {r2 / MB:.0f} MB, "
            f"PSS {p2 / MB:.0f} MB, the batch's own process {own2 / MB:.0f} MB"
        )
        print(f"  growth (the larger of the two): {growth:+.1%}   target <= +10 %  {verdict}")
    else:
        print("  (the batch ended before both marks could be sampled)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--skip-pdf", action="store_true", help="Only the run with PDFs off.")
    which.add_argument("--only-pdf", action="store_true", help="Only the run with PDFs on.")
    args = parser.parse_args()
    os.environ.setdefault("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    with tempfile.TemporaryDirectory(prefix="afterview-scale-") as tmp:
        root = Path(tmp)
        clients = root / "clients"
        clients.mkdir()
        make_clients(clients, args.clients)
        print(f"{args.clients} clients, {args.workers} workers")
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start")
        if not args.only_pdf:
            run(clients, root / "off", args.clients, args.workers, pdf=False)
        if not args.skip_pdf:
            run(clients, root / "on", args.clients, args.workers, pdf=True)


if __name__ == "__main__":
    main()
