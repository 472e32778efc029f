"""How fast is ``afterview batch`` against the loop a user would otherwise write?

In one run, on the same generated clients (copies of the examples with other names and dates):

(a) ``afterview batch CLIENTS -o OUT --no-pdf --force`` (the CLI, as a user runs it);
(b) the hand-written loop doing the same work: for each client and each notebook the batch runs,
    the papermill CLI, then ``jupyter nbconvert --to html --no-input`` on its output;
(c) the kernel floor: a fresh kernel started and the report's imports done, per client, divided
    by the number of workers;
(d) the work floor: the same reports' content (every view and chart of the report, the
    letters and the calendar) rendered in one already-warm Python process, no kernels, per
    client divided by the number of workers.

Prints per-client times, the ratios against their targets ((b)/(a) >= 15, (a)/(d) <= 1.5;
(a)/(c) for reference), the extra cost of the PDFs per client, and (a)'s peak memory (the whole
process tree's RSS/PSS).

Each measure runs once per round and the rounds run back to back, so a ratio is taken between
figures measured minutes apart under the same load; the medians are printed with each round.
(b) is slow (seconds per client), so each round runs it on the first ``--loop-clients``.

    python benchmarks/bench_batch.py [--clients 20] [--workers 2] [--rounds 3] [--skip-loop]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from afterview.batch.run import default_notebooks
from afterview.record import store

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REPORT_IMPORTS = "; ".join(
    [
        "import matplotlib.pyplot",
        "import ipywidgets",
        "from afterview.workbook import forms, notebook, views",
    ]
)
FIRST_NAMES = ["Amara", "Bram", "Chiara", "Dev", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas"]

try:
    import psutil
except ImportError:  # pragma: no cover - psutil ships with the dev environment
    psutil = None


def make_clients(folder: Path, count: int) -> list[Path]:
    """``count`` records: the examples, cycled, each a person of their own (name, and the id
    that groups a person's interviews: the examples' e-mails would make every copy of one
    example the same person, with the others' reports as their history) and interview date."""
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    paths = []
    for number in range(count):
        record = store.load(examples[number % len(examples)])
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        record.candidate.name = f"{first} Example-{number:02d}"
        record.candidate.id = f"bench-{number:04d}"
        record.interview.date = record.interview.date - dt.timedelta(days=number % 5)
        path = folder / f"client-{number:02d}.yaml"
        store.save(record, path)
        paths.append(path)
    return paths


class PeakMemory:
    """Samples the memory of this process's children (the batch, its kernels, Chromium).

    ``peak`` is the largest summed RSS seen; ``peak_pss`` the largest summed PSS, which shares
    the pages that forked kernels and Chromium's processes have in common among them (RSS
    counts them once per process). Sampling is not free, so timed runs go without it.
    """

    def __init__(self) -> None:
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.method = "psutil: summed RSS / PSS of the process tree, sampled every 100 ms"

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            rss = pss = 0
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    info = child.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(0.1)

    def __enter__(self) -> PeakMemory:
        if psutil is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if psutil is not None:
            self._thread.join()
        else:
            self.method = "resource.getrusage: largest single child's max RSS (no psutil)"
            self.peak = self.peak_pss = (
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            )


def run_batch_cli(clients: Path, out: Path, workers: int, pdf: bool) -> float:
    command = [str(BIN / "afterview"), "batch", str(clients), "-o", str(out), "--force"]
    command += ["--workers", str(workers)] + ([] if pdf else ["--no-pdf"])
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def run_loop(records: list[Path], notebooks: list[Path], out: Path, now: str) -> float:
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for record in records:
        for notebook in notebooks:
            target = out / f"{record.stem}-{notebook.name}"
            subprocess.run(
                [
                    *(str(BIN / "papermill"), str(notebook), str(target)),
                    *("-p", "record", str(record), "-p", "interactive", "False"),
                    *("-p", "coach_view", "False", "-p", "now", now),
                    *("--no-progress-bar", "--log-level", "ERROR"),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            subprocess.run(
                [str(BIN / "jupyter-nbconvert"), "--to", "html", "--no-input", str(target)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    return time.perf_counter() - started


def _ready(kc: BlockingKernelClient, timeout: float = 120) -> None:
    """Until the kernel answers a request on shell and on IOPub (no 0.2 s quiet period)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg_id = kc.kernel_info()
        try:
            kc.get_shell_msg(timeout=0.5)
            while kc.get_iopub_msg(timeout=0.5)["parent_header"].get("msg_id") != msg_id:
                pass
            return
        except queue.Empty:
            continue
    raise SystemExit("a kernel for the floor did not start")


def run_floor(count: int) -> float:
    """Seconds to start one fresh kernel and import what the report needs (mean of ``count``).

    Plain jupyter_client, as any runner would do it; shutting the kernel down is not counted.
    Readiness is a kernel-info round trip, not ``wait_for_ready``'s extra 0.2 s of waiting.
    """
    spent = 0.0
    for _ in range(count):
        started = time.perf_counter()
        km = KernelManager(kernel_name="python3")
        km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        try:
            _ready(kc)
            reply = kc.execute_interactive(REPORT_IMPORTS, timeout=120)
            spent += time.perf_counter() - started
            if reply["content"]["status"] != "ok":
                raise SystemExit(f"the floor's imports failed: {reply['content']}")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return spent / count


WORK_FLOOR = """
import sys, time
from afterview.coaching import calendar, letters
from afterview.record import store
from afterview.workbook import charts, views, warmup
warmup.run()  # already warm: the first drawing is not the floor's work
spent = 0.0
for path in sys.argv[1:]:
    charts._DRAWN.clear()  # each client's charts drawn afresh, as in their own kernel
    started = time.perf_counter()
    record = store.load(path)
    for view in (views.intake_html, views.thought_record_html, views.letters_html,
                 views.strengths_html, views.lessons_html, views.move_on_html,
                 views.action_plan_html):
        view(record)
    letters.render_letters(record)
    calendar.to_ics(record)
    spent += time.perf_counter() - started
print(spent)
"""


def run_work_floor(records: list[Path], workers: int) -> float:
    """Seconds per client to render the reports' content in a warm process, divided by workers."""
    done = subprocess.run(
        [sys.executable, "-c", WORK_FLOOR, *map(str, records)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip().splitlines()[-1]) / len(records) / workers


def _round(
    clients: Path, records: list[Path], notebooks: list[Path], root: Path, args: argparse.Namespace
) -> dict[str, float]:
    """One round of every measure, back to back, so each ratio compares like with like."""
    n, now = len(records), dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    seen = {"load": os.getloadavg()[0]}
    seen["d"] = run_work_floor(records, args.workers)
    seen["a"] = run_batch_cli(clients, root / "a", args.workers, pdf=False) / n
    if not args.skip_loop:
        sample = records[: args.loop_clients]
        seen["b"] = run_loop(sample, notebooks, root / "b", now) / len(sample)
    seen["a_pdf"] = run_batch_cli(clients, root / "a-pdf", args.workers, pdf=True) / n
    seen["c"] = run_floor(args.floor_kernels) / args.workers
    return seen


def _report(rounds: list[dict[str, float]]) -> None:
    def mid(key: str) -> float:
        return statistics.median(seen[key] for seen in rounds)

    print()
    print("round  load   (a)    (b)    (c)    (d)   (b)/(a) (a)/(d)  PDF extra")
    for number, seen in enumerate(rounds, 1):
        b = seen.get("b")
        print(
            f"{number:5}  {seen['load']:4.1f}  {seen['a']:5.2f} "
            + (f"{b:6.2f}" if b else "     -")
            + f" {seen['c']:6.2f} {seen['d']:6.2f} "
            + (f"{b / seen['a']:7.2f}" if b else "      -")
            + f" {seen['a'] / seen['d']:7.2f}  {seen['a_pdf'] - seen['a']:+.2f} s"
        )
    print("\nmedians over the rounds, s per client:")
    print(f"(a) afterview batch            {mid('a'):6.2f}")
    if "b" in rounds[0]:
        print(f"(b) papermill + nbconvert loop {mid('b'):6.2f}")
    print(f"(c) floor: kernel + imports    {mid('c'):6.2f}  (per kernel / workers)")
    print(f"(d) floor: the work, warm      {mid('d'):6.2f}  (one process / workers)")
    if "b" in rounds[0]:
        ratio = statistics.median(seen["b"] / seen["a"] for seen in rounds)
        print(f"(b)/(a) = {ratio:5.2f}   target >= 15   {'met' if ratio >= 15 else 'MISSED'}")
    ratio = statistics.median(seen["a"] / seen["d"] for seen in rounds)
    print(f"(a)/(d) = {ratio:5.2f}   target <= 1.5  {'met' if ratio <= 1.5 else 'MISSED'}")
    ratio = statistics.median(seen["a"] / seen["c"] for seen in rounds)
    print(f"(a)/(c) = {ratio:5.2f}   (for reference: a cold kernel's start-up per client)")
    extra = statistics.median(seen["a_pdf"] - seen["a"] for seen in rounds)
    print(f"PDF extra cost: {extra:+.2f} s per client")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of every measure.")
    parser.add_argument(
        "--loop-clients", type=int, default=5, help="Clients (b) runs per round (it is slow)."
    )
    parser.add_argument("--floor-kernels", type=int, default=4, help="Kernels (c) starts.")
    parser.add_argument("--skip-loop", action="store_true", help="Skip (b), the slowest part.")
    args = parser.parse_args()
    os.environ.setdefault("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    notebooks = default_notebooks()

    with tempfile.TemporaryDirectory(prefix="afterview-bench-") as tmp:
        root = Path(tmp)
        clients = root / "clients"
        clients.mkdir()
        records = make_clients(clients, args.clients)
        names = [p.name for p in notebooks]
        print(f"{args.clients} clients, {args.workers} workers, notebooks: {names}")
        print(f"machine: {os.cpu_count()} cores; each round runs (d), (a), (b), (a) with PDFs, (c)")
        rounds = []
        for number in range(args.rounds):
            rounds.append(_round(clients, records, notebooks, root, args))
            print(f"round {number + 1} of {args.rounds} done", flush=True)
        with PeakMemory() as memory:
            run_batch_cli(clients, root / "a", args.workers, pdf=False)
        with PeakMemory() as memory_pdf:
            run_batch_cli(clients, root / "a-pdf", args.workers, pdf=True)
        shutil.rmtree(root, ignore_errors=True)

    _report(rounds)
    mb = 1024**2
    for label, seen in (("(a)", memory), ("(a) with PDFs", memory_pdf)):
        verdict = "met" if seen.peak < 2 * 1024**3 else "MISSED"
        print(
            f"peak memory of {label}: RSS {seen.peak / mb:.0f} MB (PSS {seen.peak_pss / mb:.0f} MB)"
            f"   target < 2048 MB  {verdict}"
        )
    print(f"  measured with {memory.method}")


if __name__ == "__main__":
    main()
