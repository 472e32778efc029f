"""The coach's caseload: who needs the coach today, most urgent first, one row per person."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import os
import shutil
from pathlib import Path

import ipywidgets
import nbformat
import papermill
import pytest
from click.testing import CliRunner

from afterview.batch.export import network_references
from afterview.cli import cli
from afterview.coaching import tables
from afterview.coaching.caseload import Case, caseload, read_folder
from afterview.coaching.content import content
from afterview.coaching.followups import follow_up_days
from afterview.record import store
from afterview.record.schema import Emotion
from afterview.workbook.caseload import caseload_view, choose, open_workbook

from .cohort import NOW as COHORT_NOW
from .cohort import Person, write_cohort
from .conftest import EXAMPLES, ROOT, example_records

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def _folder(tmp_path: Path, *records: Path, idle: dt.timedelta = dt.timedelta(hours=2)) -> Path:
    folder = tmp_path / "clients"
    folder.mkdir()
    stamp = (NOW - idle).timestamp()
    for source in records:
        target = folder / source.name
        shutil.copy(source, target)
        os.utime(target, (stamp, stamp))
    return folder


def _cases(folder: Path, now: dt.datetime = NOW, **options: int) -> list[Case]:
    entries, problems = read_folder(folder)
    assert problems == []
    return caseload(entries, now, **options)


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    return _folder(tmp_path, *example_records())


def _by_person(cases: list[Case]) -> dict[str, Case]:
    return {case.person: case for case in cases}


# --- the examples, computed by hand at Thursday 26 November 09:00 UTC -----------------------
# The send-by time is 24 hours after the interview ENDED (its start plus its format's usual
# length: phone 30, video 45, panel 60, onsite/technical 90 minutes); a letter is late by the
# days begun since then.
# Zoë: Nairobi 21 Nov 09:30 (06:30 UTC), onsite 90 min, ended 08:00 UTC, send by 22 Nov
#   08:00 UTC: 3 letters planned, none sent, 4 d 1 h late (the fifth day has begun).
# Rafael: Toronto 24 Nov 13:30 (18:30 UTC), video 45 min, ended 19:15 UTC, send by 25 Nov
#   19:15 UTC: 2 letters, 13 h 45 min late (1 day begun).
# Łukasz: Sydney 25 Nov 16:00 (05:00 UTC), video 45 min, ended 05:45 UTC, send by 26 Nov
#   05:45 UTC: 2 letters, 3 h 15 min late (1 day begun).
# Rafael and Łukasz tie (2 letters, 1 day late): by name, "rafael" before "łukasz".
# José: Mexico City 25 Nov 11:00 (17:00 UTC), phone 30 min, send by 26 Nov 17:30 UTC: 1 letter,
#   due in 8 h 30 min.
# Ada, Mei and Siobhán sent theirs; their next interviews (screen or interviewing stage):
# Mei: Banyan Data 27 Nov; Ada: Brightline Pharmacy 30 Nov; Siobhán: Claddagh Learning 30 Nov.


def test_the_examples_are_sorted_by_what_is_most_urgent(examples: Path) -> None:
    order = [case.person for case in _cases(examples)]
    assert order == [
        "Zoë Brontë-Ngũgĩ",  # 3 letters overdue
        "Rafael Quispe",  # 2 letters overdue, 1 day late (same as Łukasz: by name)
        "Łukasz Wiśniewski",  # 2 letters overdue, 1 day late
        "José Álvarez",  # 1 letter due within 24 hours
        "Mei Lin",  # an interview on Friday 27 Nov
        "Ada Okafor",  # Monday 30 Nov (same day as Siobhán: by name)
        "Siobhán Ó Briain",
    ]


def test_overdue_letters_are_counted_per_letter_with_the_days_late(examples: Path) -> None:
    cases = _by_person(_cases(examples))
    zoe, lukasz = cases["Zoë Brontë-Ngũgĩ"], cases["Łukasz Wiśniewski"]
    rafael = cases["Rafael Quispe"]
    assert [letter.interviewer for letter in zoe.overdue] == [
        "Wanjiru Kamau",
        "Peter Otieno",
        "Dr Hannah Schultz",  # her name in the record now carries her title
    ]
    assert zoe.most_days_late == 5  # 4 days and 1 hour: the fifth day has begun
    assert zoe.next_action == "Nudge to send 3 overdue letters today (up to 5 days late)"
    assert (len(lukasz.overdue), lukasz.most_days_late) == (2, 1)  # 3 h 15 min late
    assert [letter.interviewer for letter in rafael.overdue] == [
        "Dr Juan de la Cruz",
        "Ms Aoife Ní Bhriain",
    ]
    assert rafael.most_days_late == 1  # 13 h 45 min late


def test_a_letter_due_within_the_next_day_is_named(examples: Path) -> None:
    jose = _by_person(_cases(examples))["José Álvarez"]
    assert [(letter.interviewer, letter.status) for letter in jose.letters] == [
        ("Daniela Ruiz", "due")
    ]
    assert jose.next_action == "Help finish 1 letter due within 24 hours"


def test_follow_ups_this_week_and_interviews_in_the_next_seven_days(examples: Path) -> None:
    cases = _by_person(_cases(examples))
    # The check-in is 5 business days after the last letter went (an unsent one counts from
    # today), or 2 business days after the reply date the employer gave; this week is today,
    # Thu 26 Nov, to Wed 2 Dec. Nobody has one this week:
    # Zoë, Rafael, Łukasz, José: letters unsent, so from Thu 26 Nov: 27, 30 Nov, 1, 2, 3 Dec
    #   (no holiday in KE, CA, AU or MX then) is Thu 3 Dec, a day past the week.
    # Ada: reply by Fri 4 Dec, so Tue 8 Dec. Siobhán: reply by Wed 2 Dec, so Fri 4 Dec.
    # Mei: Tessellate's reply by Tue 1 Dec, so Thu 3 Dec; Merlion Pay advanced: none.
    assert {person: case.follow_ups for person, case in cases.items()} == {
        person: () for person in cases
    }
    zoe, siobhan, mei = (
        cases[name].current.record for name in ("Zoë Brontë-Ngũgĩ", "Siobhán Ó Briain", "Mei Lin")
    )
    today = NOW.date()
    # The last note 10 business days after the check-in: from Thu 3 Dec, 4, 7-11, 14-17 Dec
    # (Kenya's Jamhuri Day, 12 Dec, is a Saturday this year); from Fri 4 Dec, 7-11, 14-18 Dec.
    assert follow_up_days(zoe, today) == {
        "check-in": dt.date(2026, 12, 3),
        "last-note": dt.date(2026, 12, 17),
    }
    assert follow_up_days(siobhan, today) == {
        "check-in": dt.date(2026, 12, 4),
        "last-note": dt.date(2026, 12, 18),
    }
    assert follow_up_days(mei, today) == {
        "check-in": dt.date(2026, 12, 3),
        "last-note": dt.date(2026, 12, 17),
    }
    # Mei's opportunities at screen or interviewing stage, 26 Nov to 2 Dec.
    assert [(s.company, s.day) for s in cases["Mei Lin"].interviews] == [
        ("Banyan Data", dt.date(2026, 11, 27)),
        ("Merlion Pay", dt.date(2026, 11, 30)),
        ("Tessellate Logistics", dt.date(2026, 12, 1)),
    ]
    assert cases["Mei Lin"].next_action == (
        "Prepare for Banyan Data on Fri 27 Nov, using the checklist"
    )


def test_steps_done_count_the_five_steps_of_the_current_interview(examples: Path) -> None:
    steps = {case.person: case.steps for case in _cases(examples)}
    assert steps == {
        "Ada Okafor": 5,
        "Mei Lin": 5,
        "Siobhán Ó Briain": 5,
        "Łukasz Wiśniewski": 2,  # perspective and strengths
        "José Álvarez": 0,
        "Zoë Brontë-Ngũgĩ": 1,  # the strengths map (with evidence); letters planned, not sent
        "Rafael Quispe": 0,  # the intake only
    }


def test_two_records_of_one_person_are_one_row_with_their_history(examples: Path) -> None:
    mei = _by_person(_cases(examples))["Mei Lin"]
    assert [entry.path.name for entry in mei.entries] == [
        "mei-lin-earlier-first-round.yaml",
        "mei-lin-technical-froze.yaml",
    ]
    assert mei.current.record.interview.company == "Tessellate Logistics"
    visits = [
        (v.company, v.day, v.rating_then, v.rating_later, v.outcome) for v in mei.history.visits
    ]
    assert visits == [
        ("Merlion Pay", dt.date(2026, 11, 20), 3, 5, "advanced"),
        ("Tessellate Logistics", dt.date(2026, 11, 24), 2, 5, "pending"),
    ]
    assert [str(item) for item in mei.history.recurring] == [
        "Froze or went blank: 2 of 2 interviews"
    ]


def test_recurring_causes_lead_the_next_interview_checklist_with_their_remedy(
    examples: Path,
) -> None:
    mei = _by_person(_cases(examples))["Mei Lin"]
    froze = content().choice("root_causes", "froze")
    assert froze is not None and froze.remedy
    assert mei.history.checklist == [froze.remedy]


def test_records_are_grouped_by_reference_then_email_then_name(tmp_path: Path) -> None:
    folder = tmp_path / "clients"
    folder.mkdir()
    base = store.load(EXAMPLES / "jose-alvarez-phone-screen.yaml")
    variants = {
        "a": ("R-1", "one@example.org", "Sam Lee"),
        "b": ("R-1", "two@example.org", "Samuel Lee"),  # same reference: same person
        "c": (None, "three@example.org", "Kim Park"),
        "d": (None, "THREE@example.org ", "Kim Park-Jones"),  # same e-mail, any case
        "e": (None, None, "Alex  Roy"),
        "f": (None, None, "alex roy"),  # same name, spacing and case aside
        "g": (None, "other@example.org", "Alex Roy"),  # an e-mail of their own: someone else
    }
    for name, (ref, email, person) in variants.items():
        record = base.model_copy(deep=True)
        record.candidate.id, record.candidate.email, record.candidate.name = ref, email, person
        store.save(record, folder / f"{name}.yaml")
    groups = sorted(sorted(e.path.stem for e in case.entries) for case in _cases(folder))
    assert groups == [["a", "b"], ["c", "d"], ["e", "f"], ["g"]]


# --- flags ----------------------------------------------------------------------------------


def _flags(tmp_path: Path, edit, idle: dt.timedelta = dt.timedelta(hours=2)) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    source = EXAMPLES / "ada-okafor-panel.yaml"
    folder = tmp_path / "clients"
    folder.mkdir(parents=True)
    record = store.load(source)
    edit(record)
    path = store.save(record, folder / "ada.yaml")
    stamp = (NOW - idle).timestamp()
    os.utime(path, (stamp, stamp))
    (case,) = _cases(folder)
    return case.flags


def test_an_emotion_still_at_80_after_the_thought_record_is_high_distress(tmp_path: Path) -> None:
    def strong(record):  # type: ignore[no-untyped-def]
        record.perspective.emotions = [Emotion(name="anxious", before=90, after=80)]

    assert "distress" in _flags(tmp_path, strong)


def test_79_after_is_not_high_distress(tmp_path: Path) -> None:
    def fading(record):  # type: ignore[no-untyped-def]
        record.perspective.emotions = [Emotion(name="anxious", before=90, after=79)]

    assert "distress" not in _flags(tmp_path, fading)


def test_despairing_words_in_the_thought_record_are_high_distress(tmp_path: Path) -> None:
    def words(record):  # type: ignore[no-untyped-def]
        record.perspective.automatic_thought = "It's Hopeless, I can't go on like this."

    assert "distress" in _flags(tmp_path, words)


def test_hopeless_as_an_emotion_that_has_eased_is_not_a_flag(examples: Path) -> None:
    mei = _by_person(_cases(examples))["Mei Lin"]  # "hopeless", 60 before, 20 after
    assert "distress" not in mei.flags


def test_high_distress_comes_before_everything_else(examples: Path) -> None:
    record = store.load(examples / "siobhan-o-briain-career-change.yaml")
    record.perspective.emotions[0].after = 90
    store.save(record, examples / "siobhan-o-briain-career-change.yaml")
    first = _cases(examples)[0]
    assert first.person == "Siobhán Ó Briain"
    assert first.next_action == "Check in about how they are feeling before anything else"


def test_a_remark_the_client_felt_was_inappropriate_is_flagged(tmp_path: Path) -> None:
    def remark(record):  # type: ignore[no-untyped-def]
        record.interview.inappropriate_remark = "Asked how old my children are."

    assert "remark" in _flags(tmp_path, remark)


def test_no_activity_for_the_quiet_days_is_flagged_only_while_work_is_open(
    tmp_path: Path,
) -> None:
    def unfinished(record):  # type: ignore[no-untyped-def]
        record.move_on.closed = False

    assert "quiet" in _flags(tmp_path / "a", unfinished, idle=dt.timedelta(days=7))
    assert "quiet" not in _flags(tmp_path / "b", unfinished, idle=dt.timedelta(days=6))
    assert "quiet" not in _flags(tmp_path / "c", lambda r: None, idle=dt.timedelta(days=30))


def test_the_coachs_own_flags_come_from_the_coach_file(examples: Path) -> None:
    (examples / "ada-okafor-panel.coach.yaml").write_text("flags: [call first]\n", "utf-8")
    ada = _by_person(_cases(examples))["Ada Okafor"]
    assert ada.flags == ("call first",)


# --- the generated cohort: 50 people over three months --------------------------------------


def _weekdays_after(day: dt.date, count: int) -> dt.date:
    """``count`` working days after ``day`` (the cohort's zone, UTC, has no holiday calendar)."""
    while count:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _follow_ups(person: Person) -> list[dt.date]:
    """The check-in 5 working days after the letters went (unsent: from today), the last note
    10 working days after that."""
    sent = person.date + dt.timedelta(days=1) if person.sent else COHORT_NOW.date()
    first = _weekdays_after(sent, 5)
    return [first, _weekdays_after(first, 10)]


def _expected_rank(person: Person) -> tuple[int, float]:
    """The caseload's order for one generated person, from the generator's rules."""
    today = COHORT_NOW.date()
    pending, unsent = person.status == "pending", not person.sent
    if person.distress:
        return 0, 0
    if pending and unsent and person.date < today:
        return 1, -person.letters * 1000 - (today - person.date).days
    if pending and unsent:
        # 24 hours after the interview ended: 09:00 plus a video call's usual 45 minutes.
        send_by = dt.datetime.combine(person.date, dt.time(9, 45), dt.UTC) + dt.timedelta(days=1)
        return 2, send_by.timestamp()
    if person.remark:
        return 3, 0
    soon = [d for d in _follow_ups(person) if today <= d < today + dt.timedelta(days=7)]
    if pending and soon:
        return 5, soon[0].toordinal()
    if pending and person.idle_days >= 7:
        return 6, -(COHORT_NOW - dt.timedelta(days=person.idle_days, hours=1)).timestamp()
    step = 1 if person.rating_later is None else 3
    return 7, step


def test_fifty_clients_over_three_months_come_out_in_the_hand_computed_order(
    tmp_path: Path,
) -> None:
    people = write_cohort(tmp_path / "clients", 50)
    cases = _cases(tmp_path / "clients", COHORT_NOW)
    expected = sorted(people, key=lambda p: (*_expected_rank(p), f"client {p.i:02d}"))
    assert [case.person for case in cases] == [f"Client {p.i:02d}" for p in expected]
    assert len(cases) == 50  # the five earlier interviews joined their person's row
    by_name = _by_person(cases)
    for person in people:
        case = by_name[f"Client {person.i:02d}"]
        late = person.status == "pending" and not person.sent and person.date < COHORT_NOW.date()
        assert len(case.overdue) == (person.letters if late else 0), person
        if late:
            assert case.most_days_late == (COHORT_NOW.date() - person.date).days
        assert ("remark" in case.flags) == person.remark
        assert len(case.entries) == (2 if person.earlier else 1)


def test_the_generated_cohort_spans_three_months_up_to_today() -> None:
    people = [Person(i, 50) for i in range(50)]
    assert (people[0].date, people[-1].date) == (dt.date(2026, 8, 27), COHORT_NOW.date())


# --- the three ways to read it --------------------------------------------------------------


def test_afterview_caseload_prints_writes_html_and_csv(examples: Path, tmp_path: Path) -> None:
    html, table = tmp_path / "out" / "caseload.html", tmp_path / "caseload.csv"
    result = CliRunner().invoke(
        cli,
        [
            "caseload",
            str(examples),
            "--now",
            "2026-11-26T09:00+00:00",
            "--html",
            str(html),
            "--csv",
            str(table),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("! Zoë Brontë-Ngũgĩ") and "3 overdue letters" in lines[1]
    page = html.read_text(encoding="utf-8")
    assert page.index("Zoë Brontë-Ngũgĩ") < page.index("Ada Okafor")
    assert "<script" not in page and network_references(page) == []
    assert "../clients/ada-okafor-panel.yaml" in page  # the workbook link, relative to the page
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert [row["person"] for row in rows][:3] == [
        "Zoë Brontë-Ngũgĩ",
        "Rafael Quispe",
        "Łukasz Wiśniewski",
    ]
    assert rows[0]["letters"].startswith("Wanjiru Kamau: 5 d late")


def test_quiet_days_can_be_set_on_the_command_line(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path, EXAMPLES / "jose-alvarez-phone-screen.yaml", idle=dt.timedelta(days=3)
    )
    table = tmp_path / "caseload.csv"
    args = ["caseload", str(folder), "--now", "2026-11-26T09:00+00:00", "--csv", str(table)]

    def flags(*more: str) -> str:
        assert CliRunner().invoke(cli, [*args, *more]).exit_code == 0
        (row,) = csv.DictReader(io.StringIO(table.read_text(encoding="utf-8")))
        return row["flags"]

    assert flags() == ""  # 3 days is under the default 7
    assert flags("--quiet-days", "3") == "no activity for 3 days"


def test_the_report_link_points_into_the_batch_reports_folder(
    examples: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    (reports / "ada-okafor-panel").mkdir(parents=True)
    (reports / "ada-okafor-panel" / "report.html").write_text("<p>report</p>", "utf-8")
    links = tables.Links(tmp_path, reports)
    ada = _by_person(_cases(examples))["Ada Okafor"]
    row = tables.cells(ada, 7, links)
    assert row.report == "reports/ada-okafor-panel/report.html"
    assert row.workbook == "clients/ada-okafor-panel.yaml"


def test_a_missing_folder_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["caseload", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no such folder" in result.output and "Traceback" not in result.output


def test_a_broken_record_is_named_and_the_others_still_listed(examples: Path) -> None:
    (examples / "broken.yaml").write_text("candidate: [\n", "utf-8")
    result = CliRunner().invoke(cli, ["caseload", str(examples), "--now", "2026-11-26T09:00+00:00"])
    assert result.exit_code == 0
    assert "skipped" in result.output and "broken.yaml" in result.output
    assert "Ada Okafor" in result.output


def test_client_text_is_escaped_and_formulas_neutralised(examples: Path) -> None:
    record = store.load(examples / "jose-alvarez-phone-screen.yaml")
    record.candidate.name = '=HYPERLINK("x") <b>José</b>'
    store.save(record, examples / "jose-alvarez-phone-screen.yaml")
    cases = _cases(examples)
    page = tables.to_html(cases, NOW, 7)
    assert "&lt;b&gt;José&lt;/b&gt;" in page and "<b>José" not in page
    rows = list(csv.DictReader(io.StringIO(tables.to_csv(cases, 7))))
    assert any(row["person"].startswith("'=HYPERLINK") for row in rows)


# --- the notebook and its widgets -----------------------------------------------------------

NOTEBOOK_DIR = ROOT / "notebooks"


def test_the_caseload_notebook_is_what_build_py_writes() -> None:
    spec = importlib.util.spec_from_file_location("notebook_build", NOTEBOOK_DIR / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    committed = json.loads((NOTEBOOK_DIR / "caseload.ipynb").read_text(encoding="utf-8"))
    assert json.loads(nbformat.writes(build.caseload_notebook())) == committed


@pytest.mark.parametrize("interactive", [False, True])
def test_the_caseload_notebook_runs_under_papermill(
    interactive: bool, examples: Path, tmp_path: Path
) -> None:
    output = tmp_path / "caseload.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK_DIR / "caseload.ipynb"),
        str(output),
        parameters={
            "folder": str(examples),
            "interactive": interactive,
            "now": "2026-11-26T09:00+00:00",
        },
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOK_DIR),
    )
    shown = json.dumps(nbformat.read(output, as_version=4).cells[-1].outputs, ensure_ascii=False)
    if interactive:
        assert "application/vnd.jupyter.widget-view+json" in shown
    else:
        assert shown.index("Zoë Brontë-Ngũgĩ") < shown.index("José Álvarez")
        assert shown.index("José Álvarez") < shown.index("Siobhán Ó Briain")
        assert "Traceback" not in shown


def test_the_table_sorts_and_filters_like_the_coach_asks(examples: Path) -> None:
    cases = _cases(examples)

    def names(*args: str) -> list[str]:
        return [case.person for case in choose(cases, *args)]

    assert names("most urgent first") == [case.person for case in cases]
    assert names("name")[:2] == ["Ada Okafor", "José Álvarez"]
    assert names("most urgent first", "", "letters overdue") == [
        "Zoë Brontë-Ngũgĩ",
        "Rafael Quispe",
        "Łukasz Wiśniewski",
    ]
    # Names with an "o": Ada 5 steps, José 0, Siobhán 5, Zoë 1 (her strengths map).
    assert names("fewest steps done", "o")[:2] == ["José Álvarez", "Zoë Brontë-Ngũgĩ"]
    # Rafael and José both have 0 steps: Rafael's overdue letters are more urgent.
    assert names("fewest steps done")[:2] == ["Rafael Quispe", "José Álvarez"]
    assert names("name", "mei") == ["Mei Lin"]
    assert names("most urgent first", "", "interview in the next 7 days") == [
        "Mei Lin",
        "Ada Okafor",
        "Siobhán Ó Briain",
    ]


def test_open_the_workbook_prepares_the_coachs_notebooks_and_links_them(
    examples: Path, tmp_path: Path
) -> None:
    ada = _by_person(_cases(examples))["Ada Okafor"]
    link = open_workbook(ada, tmp_path)
    assert 'href="clients/ada-okafor-panel.workbook/0-intake.ipynb"' in link
    first = nbformat.read(examples / "ada-okafor-panel.workbook" / "0-intake.ipynb", as_version=4)
    assert "coach_view = True" in first.cells[2].source  # papermill's injected parameters


def test_the_widget_refilters_when_the_coach_types(examples: Path) -> None:
    view = caseload_view(examples, now=NOW)
    assert isinstance(view, ipywidgets.VBox)
    controls, table = view.children[0], view.children[1]
    sort, show, search = controls.children
    assert table.value.index("Zoë") < table.value.index("Ada Okafor")
    search.value = "ada"
    assert "Ada Okafor" in table.value and "Zoë" not in table.value
    search.value, show.value = "", "letters overdue"
    assert "Zoë" in table.value and "Ada Okafor" not in table.value
    show.value, sort.value = "everyone", "name"
    assert table.value.index("Ada Okafor") < table.value.index("Zoë")


def test_a_record_changed_since_the_last_look_is_read_again(examples: Path) -> None:
    assert _by_person(_cases(examples))["José Álvarez"].steps == 0
    cache = (examples / ".afterview-cache.json").read_text(encoding="utf-8")
    assert "Cobalto Foods" in cache
    assert "below the likely band" not in cache  # coach fields are never cached
    assert "coach_notes" not in cache
    record = store.load(examples / "jose-alvarez-phone-screen.yaml")
    record.perspective.balanced_thought = "One answer was weak; the rest went well."
    store.save(record, examples / "jose-alvarez-phone-screen.yaml")
    assert _by_person(_cases(examples))["José Álvarez"].steps == 1
