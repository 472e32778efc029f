"""The cohort summary a coaching practice reads: causes, letters, ratings, pipelines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from afterview.batch.export import network_references
from afterview.batch.summary import (
    Calibration,
    Cohort,
    client_row,
    cohort,
    to_csv,
    to_html,
    write_summary,
)
from afterview.record import store
from afterview.record.schema import Opportunity, Record, RootCause

from .cohort import NOW as COHORT_NOW
from .cohort import Person, write_cohort
from .conftest import EXAMPLES, example_records

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


# --- every figure, by hand, on the example records (Thursday 26 November 09:00 UTC) -------------

EXAMPLE_NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def example_cohort() -> Cohort:
    return cohort([(p.stem, store.load(p)) for p in example_records()], EXAMPLE_NOW)


def test_the_examples_reach_each_step_as_counted_by_hand(example_cohort: Cohort) -> None:
    # 8 records: Ada, José, Łukasz, Mei (earlier and Tessellate), Rafael, Siobhán, Zoë.
    # perspective: Ada, Łukasz, Mei (both), Siobhán; letters sent: Ada, Mei (both), Siobhán;
    # strengths (a map with evidence): Ada, Łukasz, Mei (both), Siobhán, Zoë;
    # reviews: Ada, Mei (both), Siobhán; closed: Ada, Mei (Tessellate), Siobhán.
    # Rafael (intake only) and José reach none.
    assert example_cohort.size == 8
    assert example_cohort.reached == {
        "perspective": 5,
        "letters": 4,
        "strengths": 6,
        "lessons": 4,
        "move_on": 3,
    }


def test_root_cause_shares_are_of_the_clients_who_did_the_review(example_cohort: Cohort) -> None:
    # 4 reviews: under-prepared in Ada, Mei, Siobhán; no examples in Ada, Mei (earlier),
    # Siobhán; froze in both of Mei's. Of 4, not of all 7 clients.
    shares = [(bar.label, bar.count, round(bar.share)) for bar in example_cohort.root_causes]
    assert shares == [
        ("No specific examples ready", 3, 75),
        ("Under-prepared", 3, 75),
        ("Froze or went blank", 2, 50),
    ]


def test_letters_are_counted_one_per_interviewer_not_per_client(example_cohort: Cohort) -> None:
    # Zoë's 3 (send by 22 Nov 08:00 UTC), Rafael's 2 (25 Nov 19:15 UTC) and Łukasz's 2
    # (26 Nov 05:45 UTC) are overdue: 3 clients, 7 letters; José's 1 is due (26 Nov 17:30 UTC);
    # Ada 3, Mei 2 + 1, Siobhán 2 sent (each letter's own sent_on). 7 + 1 + 8 = 16.
    counts = {bar.label: bar.count for bar in example_cohort.letters}
    assert counts == {
        "overdue": 7,
        "due (not sent yet)": 1,
        "sent": 8,
        "not sent, outcome known": 0,
    }
    assert example_cohort.letter_total == 16
    page = to_html(example_cohort)
    assert "<b>7</b><span>letters overdue, of 16" in page


def test_no_opportunities_listed_is_not_recorded_rather_than_at_risk(
    example_cohort: Cohort,
) -> None:
    # Ada 4 live, Mei 5, Siobhán 3 (each interview is already in their list): all thin of 6.
    # José, Zoë, Rafael and Mei's earlier record list no opportunities and are not closed.
    pipeline = {row.client: row.pipeline for row in example_cohort.rows}
    assert pipeline["jose-alvarez-phone-screen"] == "not recorded"
    assert pipeline["zoe-bronte-ngugi-final-onsite"] == "not recorded"
    assert pipeline["rafael-quispe-video-first-round"] == "not recorded"
    assert pipeline["mei-lin-earlier-first-round"] == "not recorded"
    assert [r.live_opportunities for r in example_cohort.rows if r.pipeline_recorded] == [4, 5, 3]
    assert {bar.label: bar.count for bar in example_cohort.pipeline} == {
        "at risk": 0,
        "thin": 3,
        "healthy": 0,
    }
    assert example_cohort.pipeline_recorded == 3


def test_the_rating_gap_of_the_examples(example_cohort: Cohort) -> None:
    # Ada 3→6, Łukasz 3→5, Mei 3→5 and 2→5, Siobhán 4→6: (3+2+2+3+2) / 5.
    assert example_cohort.gap_clients == 5
    assert example_cohort.mean_gap == pytest.approx(2.4)


def test_calibration_needs_five_interviews_behind_it(example_cohort: Cohort) -> None:
    assert example_cohort.calibration is None  # only Mei's earlier one is rated low and known
    assert "Ratings and outcomes" not in to_html(example_cohort)


def test_the_interview_itself_counts_as_live_while_its_outcome_is_pending(
    clients: Clients,
) -> None:
    record = clients[0][1]  # six other live opportunities, target six
    record.move_on.opportunities = record.move_on.opportunities[:5]
    assert client_row("x", record, NOW).pipeline == "healthy"  # five plus the interview
    record.result.status = "rejected"
    assert client_row("x", record, NOW).pipeline == "thin"


def test_the_coachs_rating_is_shown_to_the_coach_and_the_notes_never(
    example_cohort: Cohort,
) -> None:
    page = to_html(example_cohort)
    assert "2 → 5 (6)" in page  # Mei: right after, later, the coach's rating
    assert all(store.load(p).coach_notes[:30] not in page for p in example_records())


# --- the generated cohort: 50 people over three months, figures by the generator's rules -----


def test_every_figure_of_a_generated_cohort_matches_its_rules(tmp_path: Path) -> None:
    people = write_cohort(tmp_path / "clients", 50)
    records = [(p.stem, store.load(p)) for p in sorted((tmp_path / "clients").glob("*.yaml"))]
    summary = cohort(records, COHORT_NOW)
    earlier = [p for p in people if p.earlier]
    assert summary.size == 50 + len(earlier) == 55

    reviewed = [p for p in people if p.reviewed]
    assert summary.reached["lessons"] == len(reviewed) + len(earlier) == 30
    no_examples = sum("no_examples" in p.causes for p in reviewed)
    shares = {bar.label: (bar.count, bar.share) for bar in summary.root_causes}
    assert shares["Froze or went blank"] == (30, 100.0)
    assert shares["No specific examples ready"] == (no_examples, pytest.approx(100 * 16 / 30))

    today = COHORT_NOW.date()
    # Send by 24 h after a 09:00 video call ended (09:45 UTC): yesterday's was due at 09:45
    # today, before NOW (12:00), so every earlier day is overdue and only today's is due.
    pending_unsent = [p for p in people if p.status == "pending" and not p.sent]
    overdue = sum(p.letters for p in pending_unsent if p.date < today)
    due = sum(p.letters for p in pending_unsent if p.date == today)
    moot = sum(p.letters for p in people if p.status != "pending" and not p.sent)
    sent = sum(p.letters for p in people if p.sent) + sum(p.letters for p in earlier)
    counts = {bar.label: bar.count for bar in summary.letters}
    assert counts == {
        "overdue": overdue,
        "due (not sent yet)": due,
        "sent": sent,
        "not sent, outcome known": moot,
    }
    assert summary.letter_total == sum(p.letters for p in people) + sum(p.letters for p in earlier)

    def live(person: Person, pending: bool) -> int:
        """The listed ones plus the interview itself while its outcome is open: pending or on to
        the next round (the generator makes no offers); the earlier interviews are all rejected."""
        return person.opportunities + int(pending)

    listed = [(p, p.status in ("pending", "advanced")) for p in people if p.opportunities]
    listed += [(p, False) for p in earlier if p.opportunities]
    healthy = sum(live(p, pending) >= 6 for p, pending in listed)
    at_risk = sum(live(p, pending) * 2 < 6 for p, pending in listed)
    pipeline = {bar.label: bar.count for bar in summary.pipeline}
    assert summary.pipeline_recorded == len(listed)
    assert pipeline == {
        "at risk": at_risk,
        "thin": len(listed) - healthy - at_risk,
        "healthy": healthy,
    }

    twice = [p for p in people if p.rating_later is not None]
    twice += [p for p in earlier if p.rating_later is not None]
    gaps = [p.rating_later - p.self_rating for p in twice]  # type: ignore[operator]
    assert summary.gap_clients == len(gaps)
    assert summary.mean_gap == pytest.approx(sum(gaps) / len(gaps))

    low = [p for p in people if p.self_rating <= 3 and p.status != "pending"]
    moved = sum(p.status == "advanced" for p in low)
    low_earlier = [p for p in earlier if p.self_rating <= 3]  # all rejected
    assert summary.calibration == Calibration(len(low) + len(low_earlier), moved)
    assert len(low) + len(low_earlier) >= 5
    sentence = (
        f"Of {len(low) + len(low_earlier)} interviews in this practice rated 3 or lower out of 10 "
        f"right after, {moved} went on to the next round or an offer."
    )
    assert sentence in " ".join(to_html(summary).split())
