"""Pictures of a record, for where a person would rather look than read.

Every chart is a plain :class:`matplotlib.figure.Figure` (no pyplot, so no global state, no
window, nothing to close and safe on any backend) or ``None`` when the record has nothing to
draw yet. Colours come from the Okabe-Ito palette, which stays distinct for the common kinds
of colour blindness; every series is also labelled in words, never by colour alone.
"""

from __future__ import annotations

import base64
import html
import io
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from afterview.coaching.content import content
from afterview.record.schema import LIVE_STAGES, OPPORTUNITY_STAGES, Record

__all__ = [
    "OKABE_ITO",
    "Chart",
    "chart_html",
    "emotions_chart",
    "figure_html",
    "pipeline_chart",
    "ratings_chart",
    "requirements_chart",
    "root_causes_chart",
]

OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#999999",
}
BEFORE = OKABE_ITO["vermillion"]
AFTER = OKABE_ITO["blue"]
ON_DARK = frozenset({"interviewing"})
"""Stages whose colour is dark enough to need white text on it."""
FONT = {"font.size": 11, "axes.titlesize": 13, "axes.labelsize": 11}


def _figure(rows: int, width: float = 7.0) -> tuple[Figure, Axes]:
    height = 1.6 + 0.45 * max(rows, 1)
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _style(axes: Axes, title: str, xlabel: str) -> None:
    axes.set_title(title, loc="left", fontsize=FONT["axes.titlesize"], fontweight="bold")
    axes.set_xlabel(xlabel, fontsize=FONT["axes.labelsize"])
    axes.tick_params(labelsize=FONT["font.size"])
    _fit(axes, xlabel=bool(xlabel))


_TEXT = TextToPath()
_LINE = 1.25 / 72
"""Inches per point of type, with the line spacing matplotlib leaves around a label."""


def _fit(axes: Axes, *, xlabel: bool) -> None:
    """Leave room around the bars for the labels, the title and the axis text.

    Matplotlib's constrained layout does this by laying every label out twice per drawing,
    which cost half of a chart's time; here the margins come from the widest row label,
    measured once from the font, and the known sizes of the title and the x-axis text.
    """
    figure = axes.get_figure()
    assert isinstance(figure, Figure)
    width, height = figure.get_size_inches()
    font = FontProperties(size=FONT["font.size"])
    labels = [label.get_text() for label in axes.get_yticklabels()]
    widest = max(
        (_TEXT.get_text_width_height_descent(text, font, ismath=False)[0] for text in labels),
        default=0.0,
    )
    left = widest / 72 + 0.25  # the label, the tick and the padding between them
    bottom = 0.15
    if axes.get_xticks().size:
        bottom += FONT["font.size"] * _LINE + 0.1
    if xlabel:
        bottom += FONT["axes.labelsize"] * _LINE + 0.05
    top = FONT["axes.titlesize"] * _LINE + 0.2
    figure.subplots_adjust(
        left=left / width, right=1 - 0.2 / width, bottom=bottom / height, top=1 - top / height
    )


def emotions_chart(record: Record) -> Figure | None:
    """Each emotion's strength (0-100) before the thought record and when re-rated after."""
    emotions = record.perspective.emotions
    if not emotions:
        return None
    figure, axes = _figure(2 * len(emotions))
    names = [emotion.name for emotion in emotions][::-1]
    befores = [emotion.before for emotion in emotions][::-1]
    afters = [emotion.after for emotion in emotions][::-1]
    positions = range(len(names))
    height = 0.38
    axes.barh([p + height / 2 for p in positions], befores, height, color=BEFORE, label="before")
    for position, after in zip(positions, afters, strict=True):
        if after is not None:
            axes.barh(
                position - height / 2,
                after,
                height,
                color=AFTER,
                hatch="//",
                edgecolor="white",
                label="after re-rating",
            )
            axes.text(after + 1, position - height / 2, f"{after} after", va="center")
        else:
            axes.text(1, position - height / 2, "not re-rated yet", va="center", style="italic")
    for position, before in zip(positions, befores, strict=True):
        axes.text(before + 1, position + height / 2, f"{before} before", va="center")
    axes.set_yticks(list(positions), names)
    axes.set_xlim(0, 115)
    axes.set_xticks([0, 25, 50, 75, 100])
    _style(axes, "Emotions before and after re-rating", "How strong (0-100)")
    _dedupe_legend(axes)
    return figure


def ratings_chart(record: Record) -> Figure | None:
    """How the interview went (1-10): right after, later, and the coach's view if given."""
    ratings = [
        ("Right after", record.interview.self_rating, OKABE_ITO["vermillion"]),
        ("Later", record.perspective.rating_later, OKABE_ITO["blue"]),
        ("Coach", record.perspective.coach_rating, OKABE_ITO["bluish green"]),
    ]
    shown = [(label, value, colour) for label, value, colour in ratings if value is not None]
    if not shown:
        return None
    figure, axes = _figure(len(shown))
    labels = [label for label, _, _ in shown][::-1]
    values = [value for _, value, _ in shown][::-1]
    colours = [colour for _, _, colour in shown][::-1]
    axes.barh(labels, values, color=colours, height=0.6)
    for position, value in enumerate(values):
        axes.text(value + 0.1, position, f"{value} / 10", va="center")
    axes.set_xlim(0, 11.5)
    axes.set_xticks(range(0, 11))
    _style(axes, "How did the interview go?", "Rating (1 = very badly, 10 = very well)")
    return figure


def requirements_chart(record: Record) -> Figure | None:
    """Each job requirement: got across in the room, evidence not shown yet, or no evidence."""
    requirements = list(record.requirements)
    for strength in record.strengths.map:
        if strength.requirement not in requirements:
            requirements.append(strength.requirement)
    if not requirements:
        return None
    by_requirement = {strength.requirement: strength for strength in record.strengths.map}
    statuses = {
        "covered": ("covered in the room", OKABE_ITO["bluish green"], ""),
        "evidence": ("not shown yet, evidence ready", OKABE_ITO["orange"], "//"),
        "none": ("not covered, no evidence yet", OKABE_ITO["grey"], "xx"),
    }
    figure, axes = _figure(len(requirements), width=8.0)
    for position, requirement in enumerate(requirements[::-1]):
        found = by_requirement.get(requirement)
        if found is not None and found.shown:
            key = "covered"
        elif found is not None and found.evidence:
            key = "evidence"
        else:
            key = "none"
        label, colour, hatch = statuses[key]
        axes.barh(position, 1, color=colour, hatch=hatch, edgecolor="white", label=label)
        axes.text(
            0.02,
            position,
            label,
            va="center",
            fontsize=FONT["font.size"],
            color="black",
            bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0},
        )
    axes.set_yticks(range(len(requirements)), [_short(r) for r in requirements[::-1]])
    axes.set_xlim(0, 1)
    axes.set_xticks([])
    covered = sum(1 for s in record.strengths.map if s.shown)
    _style(axes, f"Job requirements covered: {covered} of {len(requirements)}", "")
    return figure


def root_causes_chart(record: Record) -> Figure | None:
    """How often each root cause was named in the after-action review."""
    causes = record.lessons.root_causes
    if not causes:
        return None
    counts: dict[str, int] = {}
    for cause in causes:
        label = content().label("root_causes", cause.category)
        counts[label] = counts.get(label, 0) + 1
    labels = list(counts)[::-1]
    values = [counts[label] for label in labels]
    figure, axes = _figure(len(labels))
    axes.barh(labels, values, color=OKABE_ITO["blue"], height=0.6)
    for position, value in enumerate(values):
        axes.text(value + 0.05, position, str(value), va="center")
    axes.set_xlim(0, max(values) + 1)
    axes.set_xticks(range(0, max(values) + 2))
    _style(axes, "Why it went differently: root causes", "Times named")
    return figure


def pipeline_chart(record: Record) -> Figure | None:
    """Opportunities by stage, this interview included while its outcome is open: the live
    ones stacked against the target (about six)."""
    opportunities = record.pipeline()
    if not record.move_on.opportunities:
        return None
    target = record.move_on.target_live
    colours = dict(
        zip(
            OPPORTUNITY_STAGES,
            [
                OKABE_ITO["grey"],
                OKABE_ITO["sky blue"],
                OKABE_ITO["orange"],
                OKABE_ITO["blue"],
                OKABE_ITO["bluish green"],
                OKABE_ITO["reddish purple"],
            ],
            strict=True,
        )
    )
    rows = {"Live now": LIVE_STAGES, "Not live": ("idea", "closed")}
    figure, axes = _figure(2, width=8.0)
    for position, stages in enumerate(reversed(rows.values())):
        left = 0
        for stage in stages:
            count = sum(1 for o in opportunities if o.stage == stage)
            if count:
                axes.barh(
                    position,
                    count,
                    left=left,
                    color=colours[stage],
                    edgecolor="white",
                    linewidth=2,
                    height=0.6,
                    label=stage,
                )
                axes.text(
                    left + count / 2,
                    position,
                    f"{stage}\n{count}",
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white" if stage in ON_DARK else "black",
                )
                left += count
    axes.axvline(target, color="black", linestyle="--", linewidth=1.5)
    axes.text(target, 1.45, f" target: {target} live", va="bottom", ha="center")
    axes.set_yticks([0, 1], list(reversed(rows)))
    axes.set_ylim(-0.5, 1.8)
    axes.set_xlim(0, max(target, len(opportunities)) + 1)
    live = len(record.live_opportunities())
    _style(axes, f"Opportunities: {live} live of a target of {target}", "Number of opportunities")
    return figure


SVG: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "afterview"}
"""Words stay words (a third of a PNG's size, sharp in the PDF); ids are the same every run."""


def figure_html(figure: Figure | None, alt: str, *, empty: str = "Nothing to draw yet.") -> str:
    """The figure as an HTML ``<figure>`` with an embedded SVG (no files, no network).

    SVG rather than PNG: measured on the examples (``benchmarks/bench_charts.py``) it is drawn
    in less time and is about a third of the size.
    """
    if figure is None:
        return f'<p class="av-empty">{html.escape(empty)}</p>'
    buffer = io.BytesIO()
    with rc_context(SVG):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure class="av-chart"><img src="data:image/svg+xml;base64,{data}" '
        f'alt="{html.escape(alt)}" style="max-width:100%"></figure>'
    )


Chart = Callable[[Record], Figure | None]

_INPUTS: dict[str, Callable[[Record], object]] = {
    "emotions_chart": lambda r: r.perspective.emotions,
    "ratings_chart": lambda r: (
        r.interview.self_rating,
        r.perspective.rating_later,
        r.perspective.coach_rating,
    ),
    "requirements_chart": lambda r: (r.requirements, r.strengths.map),
    "root_causes_chart": lambda r: r.lessons.root_causes,
    "pipeline_chart": lambda r: (r.move_on, r.result, r.interview.company, r.interview.role),
}
_DRAWN: OrderedDict[str, str] = OrderedDict()
_KEEP = 32


def chart_html(
    chart: Chart, record: Record, alt: str, *, empty: str = "Nothing to draw yet."
) -> str:
    """:func:`figure_html` of ``chart(record)``, drawn again only when the chart's data changed.

    The forms refresh their previews on every keystroke; redrawing a PNG each time would make
    typing lag, so the last few drawings are kept, keyed by exactly what each chart reads.
    """
    key = repr((chart.__name__, _INPUTS[chart.__name__](record), alt, empty))
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    drawn = figure_html(chart(record), alt, empty=empty)
    _DRAWN[key] = drawn
    while len(_DRAWN) > _KEEP:
        _DRAWN.popitem(last=False)
    return drawn


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dedupe_legend(axes: Axes) -> None:
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    axes.legend(unique.values(), unique.keys(), loc="lower right", frameon=False)
