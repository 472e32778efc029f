"""PNG or SVG charts: what each costs to draw and weighs, on every example client.

Draws every chart of every example record (after warming matplotlib up, as the batch's kernel
template does) and saves it as PNG (100 dpi, as before) and as SVG with text kept as text
(what the reports use now), alternating the two in ``--rounds`` rounds so a ratio compares
figures taken under the same load. Prints CPU seconds and kilobytes per client for each.

    python benchmarks/bench_charts.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

from matplotlib import rc_context

from afterview.record import store
from afterview.workbook import charts, warmup

ROOT = Path(__file__).resolve().parents[1]
CHARTS = (
    charts.emotions_chart,
    charts.ratings_chart,
    charts.requirements_chart,
    charts.root_causes_chart,
    charts.pipeline_chart,
)


def draw_all(records: list[store.Record], fmt: str) -> tuple[float, int]:
    """CPU seconds and bytes to draw and save every chart of ``records`` as ``fmt``."""
    started, size = time.process_time(), 0
    for record in records:
        for chart in CHARTS:
            figure = chart(record)
            if figure is None:
                continue
            buffer = io.BytesIO()
            if fmt == "png":
                figure.savefig(buffer, format="png", dpi=100)
            else:
                with rc_context(charts.SVG):
                    figure.savefig(buffer, format="svg", metadata={"Date": None})
            size += len(buffer.getvalue())
    return time.process_time() - started, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    records = [store.load(path) for path in sorted((ROOT / "examples").glob("*.yaml"))]
    warmup.run()
    seen: dict[str, list[tuple[float, int]]] = {"png": [], "svg": []}
    for _ in range(args.rounds):
        for fmt in seen:
            seen[fmt].append(draw_all(records, fmt))
    n = len(records)
    print(f"{n} example clients, {args.rounds} rounds, CPU time per client (median)")
    for fmt, runs in seen.items():
        cpu = statistics.median(spent for spent, _ in runs) / n
        print(f"{fmt}: {cpu:.3f} s, {runs[0][1] / n / 1024:.0f} kB per client")
    ratio = statistics.median(s[0] / p[0] for s, p in zip(seen["svg"], seen["png"], strict=True))
    print(f"svg / png time: {ratio:.2f}   size: {seen['svg'][0][1] / seen['png'][0][1]:.2f}")


if __name__ == "__main__":
    main()
