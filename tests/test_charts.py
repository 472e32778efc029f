"""The pictures: labelled, colour-blind safe, and absent (not empty) when there is no data."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable

import pytest
from matplotlib import pyplot
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from afterview.record import store
from afterview.record.schema import Record
from afterview.workbook import charts

from .conftest import EXAMPLES, FIXTURES

CHARTS: list[Callable[[Record], Figure | None]] = [
    charts.emotions_chart,
    charts.ratings_chart,
    charts.requirements_chart,
    charts.root_causes_chart,
    charts.pipeline_chart,
]
PALETTE = {colour.lower() for colour in charts.OKABE_ITO.values()} | {"#ffffff"}


def ada() -> Record:
    return store.load(EXAMPLES / "ada-okafor-panel.yaml")


def bar_colours(figure: Figure) -> set[str]:
    return {
        to_hex(patch.get_facecolor())
        for patch in figure.axes[0].patches
        if isinstance(patch, Rectangle)
    }


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_every_chart_is_titled_labelled_and_uses_the_okabe_ito_palette(
    chart: Callable[[Record], Figure | None],
) -> None:
    figure = chart(ada())
    assert figure is not None
    axes = figure.axes[0]
    assert axes.get_title(loc="left")
    assert axes.get_yticklabels()
    assert bar_colours(figure) <= PALETTE
    assert min(text.get_fontsize() for text in axes.get_yticklabels()) >= 10


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_no_chart_is_drawn_when_there_is_nothing_to_draw(
    chart: Callable[[Record], Figure | None],
) -> None:
    assert chart(store.load(FIXTURES / "record-minimal.yaml")) is None


def test_charts_leave_no_pyplot_figures_open() -> None:
    for chart in CHARTS:
        charts.figure_html(chart(ada()), "a chart")
    assert pyplot.get_fignums() == []


def test_emotions_are_shown_before_and_after_in_two_colours_and_in_words() -> None:
    figure = charts.emotions_chart(ada())
    assert figure is not None
    words = [text.get_text() for text in figure.axes[0].texts]
    assert "80 before" in words and "40 after" in words
    assert {to_hex(charts.BEFORE), to_hex(charts.AFTER)} <= bar_colours(figure)


def test_the_coach_rating_is_a_bar_only_when_there_is_one() -> None:
    record = ada()
    with_coach = charts.ratings_chart(record)
    record.perspective.coach_rating = None
    without = charts.ratings_chart(record)
    assert with_coach is not None and without is not None
    labels = [t.get_text() for t in with_coach.axes[0].get_yticklabels()]
    assert labels == ["Coach", "Later", "Right after"]
    assert [t.get_text() for t in without.axes[0].get_yticklabels()] == ["Later", "Right after"]


def test_requirements_chart_counts_what_was_covered_in_the_room() -> None:
    figure = charts.requirements_chart(ada())
    assert figure is not None
    assert figure.axes[0].get_title(loc="left") == "Job requirements covered: 3 of 6"


def test_the_pipeline_chart_draws_the_target_line_at_six() -> None:
    figure = charts.pipeline_chart(ada())
    assert figure is not None
    lines = [line.get_xdata()[0] for line in figure.axes[0].get_lines()]
    assert lines == [6]
    assert "4 live of a target of 6" in figure.axes[0].get_title(loc="left")


def test_the_pipeline_chart_counts_this_interview_until_its_outcome_is_known() -> None:
    record = store.load(FIXTURES / "los-angeles-afternoon.yaml")  # one other, applied

    figure = charts.pipeline_chart(record)
    assert figure is not None
    assert "2 live of a target of 6" in figure.axes[0].get_title(loc="left")
    record.result.status = "rejected"
    rejected = charts.pipeline_chart(record)
    assert rejected is not None
    assert "1 live of a target of 6" in rejected.axes[0].get_title(loc="left")


def test_a_figure_becomes_an_embedded_svg_with_alt_text_and_its_words_as_text() -> None:
    figure = charts.ratings_chart(ada())
    assert figure is not None
    title = figure.axes[0].get_title(loc="left")
    shown = charts.figure_html(figure, 'Ratings "before" & after')
    assert 'alt="Ratings &quot;before&quot; &amp; after"' in shown
    assert 'src="data:image/svg+xml;base64,' in shown
    data = base64.b64decode(shown.split("base64,", 1)[1].split('"', 1)[0]).decode("utf-8")
    assert "<svg" in data and html.escape(title, quote=False) in data  # words, not outlines
    assert "http" not in shown  # nothing fetched from the network
    again = charts.figure_html(charts.ratings_chart(ada()), 'Ratings "before" & after')
    assert again == shown  # no date or random ids: the same record gives the same report


def test_no_figure_becomes_a_sentence() -> None:
    assert charts.figure_html(None, "x", empty="No ratings yet.") == (
        '<p class="av-empty">No ratings yet.</p>'
    )
