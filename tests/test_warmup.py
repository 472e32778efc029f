"""The batch's kernel template warms up on a fictional record that draws every chart."""

from __future__ import annotations

import pytest

from afterview.batch.kernels import WARM_MODULES
from afterview.workbook import charts, warmup


def test_the_fictional_record_draws_every_chart_a_report_can_hold() -> None:
    record = warmup.fictional_record()
    for chart in (
        charts.emotions_chart,
        charts.ratings_chart,
        charts.requirements_chart,
        charts.root_causes_chart,
        charts.pipeline_chart,
    ):
        assert chart(record) is not None, chart.__name__


def test_the_warm_up_renders_every_view_without_error() -> None:
    warmup.run()  # the template swallows import errors, so a broken warm-up shows up here


@pytest.mark.parametrize("entry", [m for m in WARM_MODULES if ":" in m])
def test_every_warm_up_the_template_calls_exists(entry: str) -> None:
    module, _, function = entry.partition(":")
    assert callable(getattr(__import__(module, fromlist=[function]), function))
