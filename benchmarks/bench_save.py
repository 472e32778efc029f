"""How long an autosave and a `check` take, for a typical record and for the largest one allowed.

    python benchmarks/bench_save.py [--saves 20]

Prints, per record: its size, one Session.change (an autosave) when nobody else wrote the file,
one when another window wrote it in between (the three-way merge), and store.load. The largest
record fills every limit a hand-typed record can reach within the 250 kB file cap; before the
limits, a 20 MB record took about 50 s per autosave.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from afterview.record import store
from afterview.record.schema import MAX_INTERVIEWERS, Interviewer, Record
from afterview.workbook.session import Session

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ada-okafor-panel.yaml"


def largest(path: Path) -> None:
    """Grow the example to just under the file cap: 30 interviewers, long answers."""
    record = store.load(path)
    record.interviewers = record.interviewers + [
        Interviewer(name=f"Interviewer {n}", title="Engineering Manager", concern="depth " * 40)
        for n in range(len(record.interviewers), MAX_INTERVIEWERS)
    ]
    record.lessons.keep = [f"lesson {n}: " + "kept calm under pressure " * 20 for n in range(200)]
    record.coach_notes = "notes " * 3000
    store.save(record, path)


def timed(action: Callable[[], object], times: int) -> float:
    start = time.perf_counter()
    for _ in range(times):
        action()
    return (time.perf_counter() - start) / times


def measure(name: str, path: Path, saves: int) -> None:
    coach, client = Session(path), Session(path)
    counter = iter(range(10**9))

    def own() -> None:
        coach.change(lambda r: setattr(r.perspective, "situation", f"draft {next(counter)}"))

    def merged() -> None:
        client.change(lambda r: setattr(r.lessons, "why", f"why {next(counter)}"))
        own()

    per_own = timed(own, saves)
    per_pair = timed(merged, saves)
    per_load = timed(lambda: store.load(path), saves)
    size = path.stat().st_size / 1000
    print(
        f"{name:<9} {size:7.1f} kB  autosave {per_own * 1000:6.0f} ms  "
        f"autosave after another window's {per_pair / 2 * 1000:6.0f} ms  "
        f"load {per_load * 1000:6.0f} ms"
    )
    assert isinstance(store.load(path), Record)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    saves = parser.parse_args().saves
    with tempfile.TemporaryDirectory() as folder:
        typical = Path(folder) / "typical.yaml"
        shutil.copy(EXAMPLE, typical)
        measure("typical", typical, saves)
        biggest = Path(folder) / "largest.yaml"
        shutil.copy(EXAMPLE, biggest)
        largest(biggest)
        measure("largest", biggest, saves)


if __name__ == "__main__":
    main()
