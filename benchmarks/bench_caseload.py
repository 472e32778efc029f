"""How long does ``afterview caseload`` take on a practice's folder of 1,000 records?

Generates the records (the examples, cycled, each with another person and interview date; one
person in four has two interviews), then times, each ``--repeat`` times:

(a) ``afterview caseload CLIENTS --now …`` as a user runs it (a new process: Python's start,
    the imports, reading every record, the table printed);
(b) the library call alone, in this process (:func:`read_folder` then :func:`caseload`).

The first run reads every file (a cold cache); later runs parse only files that changed. Prints
the cold run, then the median and slowest of the warm runs against the target ((a) under 2 s),
each as wall-clock time and as CPU time (user + system): on a machine shared with other jobs
the wall clock waits for the CPU, so the load average at the start is printed too.

    python benchmarks/bench_caseload.py [--records 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from afterview.coaching.caseload import caseload, read_folder
from afterview.record import store

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-26T09:00+00:00"
TARGET_SECONDS = 2.0


def generate(folder: Path, count: int) -> None:
    """``count`` records: copies of the examples, four records to every three people."""
    examples = [store.load(path) for path in sorted((ROOT / "examples").glob("*.yaml"))]
    for n in range(count):
        record = examples[n % len(examples)].model_copy(deep=True)
        person = n - n // 4  # every fourth record is a second interview of the one before
        record.candidate.name = f"Client {person:04d}"
        record.candidate.email = f"client{person:04d}@example.org"
        record.interview.date = dt.date(2026, 11, 25) - dt.timedelta(days=n % 90)
        record.letters.sent_on = None if n % 3 else record.interview.date
        store.save(record, folder / f"client-{n:04d}.yaml")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cli(folder: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one ``afterview caseload`` run."""
    command = [sys.executable, "-m", "afterview", "caseload", str(folder), "--now", NOW]
    cpu, started = _child_cpu(), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, _child_cpu() - cpu


def time_library(folder: Path) -> tuple[float, float]:
    moment = dt.datetime.fromisoformat(NOW)
    cpu, started = time.process_time(), time.perf_counter()
    entries, _ = read_folder(folder)
    caseload(entries, moment)
    return time.perf_counter() - started, time.process_time() - cpu


def _show(label: str, runs: list[tuple[float, float]]) -> None:
    wall, cpu = [run[0] for run in runs], [run[1] for run in runs]
    print(
        f"{label:34} wall median {statistics.median(wall):5.2f} s (slowest {max(wall):5.2f}), "
        f"CPU median {statistics.median(cpu):5.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="afterview-caseload-") as tmp:
        folder = Path(tmp)
        generate(folder, options.records)
        cold = time_cli(folder)
        cli = [time_cli(folder) for _ in range(options.repeat)]
        library = [time_library(folder) for _ in range(options.repeat)]
        rows = len(caseload(read_folder(folder)[0], dt.datetime.fromisoformat(NOW)))
    print(f"{options.records} records, {rows} people, load average {load:.2f} at the start")
    _show("(a) afterview caseload, cold cache", [cold])
    _show("(a) afterview caseload (CLI)", cli)
    _show("(b) library call", library)
    wall = statistics.median(run[0] for run in cli)
    cpu = statistics.median(run[1] for run in cli)
    verdicts = {
        name: "met" if value < TARGET_SECONDS else "NOT met"
        for name, value in (("wall", wall), ("CPU", cpu))
    }
    print(
        f"target (a) under {TARGET_SECONDS:.0f} s: wall {verdicts['wall']}, CPU {verdicts['CPU']}"
    )


if __name__ == "__main__":
    main()
