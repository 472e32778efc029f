"""The cohort summary a coaching practice reads: causes, letters, ratings, pipelines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from afterview.batch.export import network_references
from afterview.batch.summary import cohort, to_csv, to_html, write_summary
from afterview.record import store
from afterview.record.schema import Opportunity, Record, RootCause

from .conftest import EXAMPLES

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
Clients = list[tuple[str, Record]]


def _client(
    *,
    causes: list[str],
    day: int,
    sent: bool,
    ratings: tuple[int | None, int | None],
    live: int,
    name: str = "Mei Lin",
) -> Record:
    record = store.load(EXAMPLES / "mei-lin-technical-froze.yaml")
    record.candidate.name = name
    record.interview.date = dt.date(2026, 11, day)
    record.interview.timezone = "UTC"
    record.interview.time = dt.time(9, 0)
    for plan in record.letters.plans:  # each letter carries its own sent date
        plan.sent_on = dt.date(2026, 11, day + 1) if sent else None
    record.interview.self_rating, record.perspective.rating_later = ratings
    record.lessons.root_causes = [RootCause(category=cause) for cause in causes]
    record.move_on.opportunities = [
        Opportunity(company=f"Company {n}", stage="applied") for n in range(live)
    ]
    record.coach_notes = "COACH-ONLY: do not show"
    return record


@pytest.fixture
def clients() -> Clients:
    return [
        (
            "sent",
            _client(causes=["froze", "no_examples"], day=20, sent=True, ratings=(3, 6), live=6),
        ),
        ("late", _client(causes=["froze"], day=22, sent=False, ratings=(4, 5), live=3)),
        ("due", _client(causes=["logistics"], day=24, sent=False, ratings=(2, None), live=1)),
    ]


def test_root_causes_are_counted_once_per_client_with_their_share(clients: Clients) -> None:
    summary = cohort(clients, NOW)
    shares = {bar.label: (bar.count, round(bar.share)) for bar in summary.root_causes}
    assert shares["Froze or went blank"] == (2, 67)
    assert shares["No specific examples ready"] == (1, 33)
    assert next(iter(shares)) == "Froze or went blank"  # the most common cause first


def test_letters_are_sent_due_or_overdue_against_the_send_by_time(clients: Clients) -> None:
    summary = cohort(clients, NOW)
    assert {row.client: row.letters for row in summary.rows} == {
        "sent": "sent",
        "late": "overdue",  # 22 Nov 09:00 + 24 h is before 24 Nov 12:00
        "due": "due",  # 24 Nov 09:00 + 24 h is still ahead
    }


def test_the_rating_gap_is_averaged_over_clients_who_rated_twice(clients: Clients) -> None:
    summary = cohort(clients, NOW)
    assert summary.gap_clients == 2
    assert summary.mean_gap == pytest.approx(2.0)  # (6 - 3 + 5 - 4) / 2


def test_pipeline_health_compares_live_opportunities_with_the_target(clients: Clients) -> None:
    summary = cohort(clients, NOW)
    assert [row.pipeline for row in summary.rows] == ["healthy", "thin", "at risk"]


def test_the_csv_has_one_row_per_client_and_no_coach_notes(clients: Clients) -> None:
    text = to_csv(cohort(clients, NOW))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["client"] for row in rows] == ["sent", "late", "due"]
    assert rows[0]["root_causes"] == "froze;no_examples"
    assert rows[0]["rating_gap"] == "3" and rows[2]["rating_gap"] == ""
    assert rows[1]["send_by"] == "2026-11-23T10:30+00:00"  # 24 h after a 90-minute interview ended
    assert "COACH-ONLY" not in text


def test_text_a_spreadsheet_would_run_as_a_formula_is_neutralised(clients: Clients) -> None:
    clients[0][1].candidate.name = '=HYPERLINK("http://x")'
    rows = list(csv.DictReader(io.StringIO(to_csv(cohort(clients, NOW)))))
    assert rows[0]["candidate"].startswith("'=")


def test_the_html_shows_the_figures_offline_and_without_coach_notes(clients: Clients) -> None:
    page = to_html(cohort(clients, NOW))
    assert "Froze or went blank" in page and "67 %" in page
    assert "<svg" in page and "<script" not in page
    assert network_references(page) == []
    assert "COACH-ONLY" not in page


def test_the_at_risk_bar_is_not_green(clients: Clients) -> None:
    page = to_html(cohort(clients, NOW))

    fills = dict(re.findall(r'>(at risk|thin|healthy)</text>\s*<rect [^>]*fill="(#\w+)"', page))
    assert fills == {"at risk": "#D55E00", "thin": "#E69F00", "healthy": "#009E73"}


def test_write_summary_writes_both_files(clients: Clients, tmp_path: Path) -> None:
    html_path, csv_path = write_summary(clients, tmp_path, now=NOW)
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert csv_path.read_text(encoding="utf-8").startswith("client,candidate,")


def test_an_empty_cohort_still_gives_a_page(tmp_path: Path) -> None:
    html_path, csv_path = write_summary([], tmp_path, now=NOW)
    assert "0 clients" in html_path.read_text(encoding="utf-8")
    assert csv_path.read_text(encoding="utf-8").count("\n") == 1


def test_client_text_is_escaped_in_the_page(clients: Clients) -> None:
    clients[0][1].candidate.name = "Mei <script>alert(1)</script> Lin"
    page = to_html(cohort(clients, NOW))
    assert "Mei &lt;script&gt;alert(1)&lt;/script&gt; Lin" in page
    assert "<script" not in page
