"""A person's interviews across records in their own report, the checklist that grows from what
keeps coming back, and the practice's calibration sentence a coach can switch on in step 1."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import ipywidgets as W
import nbformat
import pytest
from click.testing import CliRunner

from afterview import cli
from afterview.app import page
from afterview.app.config import prepare
from afterview.batch.run import run_batch
from afterview.coaching.calibration import folder_sentence
from afterview.coaching.content import content
from afterview.coaching.history import history, history_of, same_person, siblings
from afterview.record import coachfile, quickread, store
from afterview.record.schema import Record, Result
from afterview.workbook import lab, views

from .cohort import write_cohort
from .conftest import EXAMPLES
from .test_forms import walk

MEI_EARLIER = EXAMPLES / "mei-lin-earlier-first-round.yaml"
MEI = EXAMPLES / "mei-lin-technical-froze.yaml"
ADA = EXAMPLES / "ada-okafor-panel.yaml"
MARKER = "COACH-ONLY-5c1e"


def _text(shown: str) -> str:
    """What a reader sees: the words, without the style sheet and the tags."""
    shown = re.sub(r"<style>.*?</style>", " ", shown, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", shown)).split())


def _froze_remedy() -> str:
    froze = content().choice("root_causes", "froze")
    assert froze is not None and froze.remedy
    return froze.remedy


@pytest.fixture
def clients(tmp_path: Path) -> Path:
    """Mei's two interviews and Ada's one, each with a coach file holding a marker."""
    return _practice(tmp_path / "clients", fillers=0)


# --- history in the client's report ---------------------------------------------------------


def test_a_person_with_several_interviews_sees_them_in_order_with_what_keeps_coming_back() -> None:
    shown = _text(views.history_html(history_of(store.load(MEI), [MEI_EARLIER])))
    assert "Your interviews so far" in shown
    earlier, current = shown.index("Merlion Pay"), shown.index("Tessellate Logistics")
    assert earlier < current
    # company, date, rating right after / later, outcome; the table's cells in order
    assert "Merlion Pay (Software Engineer, Payments) Fri 20 Nov 2026 3 5 Next round" in shown
    assert "Still waiting" in shown[current:]
    assert "What keeps coming back Froze or went blank: 2 of 2 interviews" in shown


def test_a_person_with_one_interview_shows_no_history_section() -> None:
    assert views.history_html(history_of(store.load(ADA), [])) == ""
    # Mei's first interview, reported on its own: nothing before it yet
    assert views.history_html(history_of(store.load(MEI_EARLIER), [MEI])) == ""


def test_a_record_of_someone_else_never_enters_a_report_even_when_handed_over() -> None:
    past = history_of(store.load(ADA), [MEI, MEI_EARLIER, "/no/such/record.yaml"])
    assert len(past.visits) == 1 and views.history_html(past) == ""
    assert [visit.company for visit in past.visits] == ["Kestrel Health"]


def test_the_report_opens_only_the_same_persons_records_and_no_coach_file(clients: Path) -> None:
    assert siblings(clients / MEI.name) == [clients / MEI_EARLIER.name]  # the launcher's side
    assert siblings(clients / ADA.name) == []
    opened: list[str] = []
    real_load, real_quick = store.load, quickread.load

    def spy(path: str | Path) -> Record:
        opened.append(Path(path).name)
        return real_load(path)

    def quick_spy(path: Path) -> Record:
        opened.append(Path(path).name)
        return real_quick(path)

    handed = siblings(clients / MEI.name)
    with pytest.MonkeyPatch.context() as patch:  # either reader: what matters is what is opened
        patch.setattr(store, "load", spy)
        patch.setattr(quickread, "load", quick_spy)
        past = history_of(real_load(clients / MEI.name), handed)  # the report's side
    assert opened == [MEI_EARLIER.name]  # nothing of Ada's, no coach file
    assert len(past.visits) == 2
    assert MARKER not in views.history_html(past)


def test_records_of_one_person_are_found_by_reference_across_e_mails(tmp_path: Path) -> None:
    people = write_cohort(tmp_path, clients=30)
    loaded = [(path, store.load(path)) for path in sorted(tmp_path.glob("client-*.yaml"))]
    for person in people:
        path = tmp_path / f"client-{person.i:02d}.yaml"
        found = same_person(path, store.load(path), loaded)
        expected = [tmp_path / f"client-{person.i:02d}-earlier.yaml"] if person.earlier else []
        assert found == expected, person.i


def test_a_folder_that_cannot_be_read_gives_no_history(tmp_path: Path) -> None:
    assert siblings(tmp_path / "gone" / "mei.yaml") == []


# --- recurring causes lead the next interview's checklist ------------------------------------


def test_recurring_causes_lead_the_checklist_marked_as_from_earlier_interviews() -> None:
    record = store.load(MEI)
    past = history_of(record, [MEI_EARLIER])
    items = views.checklist(record, past)
    first = (
        f"From your earlier interviews (Froze or went blank: 2 of 2 interviews): {_froze_remedy()}"
    )
    assert items[0] == first
    assert items[1:] == [i for i in record.lessons.checklist if i != _froze_remedy()]
    for shown in (
        views.lessons_html(record, with_charts=False, past=past),
        views.action_plan_html(record, past=past),
    ):
        text = _text(shown)
        assert f"Checklist for the next interview {first}" in text
    assert first in _text(views.checklist_html(past))


def test_a_remedy_already_ticked_is_listed_once_at_the_top() -> None:
    record = store.load(MEI)
    record.lessons.checklist = [*record.lessons.checklist, _froze_remedy()]
    items = views.checklist(record, history_of(record, [MEI_EARLIER]))
    assert sum(_froze_remedy() in item for item in items) == 1
    assert items[0].startswith("From your earlier interviews")


def test_without_a_recurring_cause_the_checklist_is_the_records_own() -> None:
    record = store.load(ADA)
    past = history_of(record, [])
    assert views.checklist(record, past) == record.lessons.checklist
    assert views.checklist_html(past) == ""
    assert "From your earlier interviews" not in views.action_plan_html(record, past=past)


def test_a_cause_named_in_one_interview_only_is_not_carried_over() -> None:
    earlier = store.load(MEI_EARLIER)
    earlier.lessons.root_causes = [c for c in earlier.lessons.root_causes if c.category != "froze"]
    record = store.load(MEI)
    past = history([earlier, record])
    assert past.shown and not past.recurring
    assert views.checklist(record, past) == record.lessons.checklist


# --- the calibration sentence in step 1 ------------------------------------------------------


def test_the_sentence_is_counted_by_hand_from_a_cohort_folder(tmp_path: Path) -> None:
    people = write_cohort(tmp_path, clients=50)
    low = [p for p in people if p.self_rating <= 3 and p.status != "pending"]
    moved = sum(p.status == "advanced" for p in low)
    earlier = [p for p in people if p.earlier and p.self_rating <= 3]  # all rejected
    total = len(low) + len(earlier)
    assert total >= 5
    assert folder_sentence(tmp_path) == (
        f"Of {total} interviews in this practice rated 3 or lower out of 10 right after, "
        f"{moved} went on to the next round or an offer."
    )


def test_five_interviews_behind_it_give_the_sentence_and_four_give_none(tmp_path: Path) -> None:
    # Mei's earlier interview (3, next round) and the first fillers: 2 next round, 3 offer,
    # 1 rejected, then 3 rejected. Ada's and Mei's current interviews are still pending.
    four = _practice(tmp_path / "four", fillers=3)
    five = _practice(tmp_path / "five", fillers=4)
    assert folder_sentence(four) == ""
    assert folder_sentence(five) == (
        "Of 5 interviews in this practice rated 3 or lower out of 10 right after, 3 went on to "
        "the next round or an offer."
    )
    assert folder_sentence(EXAMPLES) == ""  # only Mei's earlier interview is low and known


def test_a_folder_that_cannot_be_read_gives_no_sentence(tmp_path: Path) -> None:
    assert folder_sentence(tmp_path / "missing") == ""
    not_a_folder = tmp_path / "file.yaml"
    not_a_folder.write_text("x: 1\n", encoding="utf-8")
    assert folder_sentence(not_a_folder) == ""

    def refuse(self: Path) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    write_cohort(tmp_path / "clients", clients=20)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "iterdir", refuse)
        assert folder_sentence(tmp_path / "clients") == ""


def test_the_sentence_never_names_anyone_and_never_reads_a_coach_file(tmp_path: Path) -> None:
    people = write_cohort(tmp_path, clients=50)
    for person in people:
        path = coachfile.coach_path(tmp_path / f"client-{person.i:02d}.yaml")
        store.write_document(path, {"notes": f"{MARKER} Client {person.i:02d}"})
    sentence = folder_sentence(tmp_path)
    pattern = re.escape(content().caseload.calibration)
    for field in ("total", "most", "moved"):
        pattern = pattern.replace(re.escape("{" + field + "}"), r"\d+")
    assert re.fullmatch(pattern, sentence), sentence  # numbers, and the template's own words
    assert MARKER not in sentence


def test_step_1_shows_the_sentence_only_when_the_coach_switched_it_on() -> None:
    record = store.load(MEI)
    sentence = "Of 6 interviews in this practice rated 3 or lower out of 10 right after, 2 went"
    heading = content().caseload.calibration_heading
    off = views.thought_record_html(record, with_charts=False)
    on = views.thought_record_html(record, with_charts=False, calibration=sentence)
    assert heading not in off and "av-calibration" not in off
    assert heading in on and sentence in _text(on)
    assert _text(on).index("How did it go? (1-10)") < _text(on).index(heading)
    assert views.calibration_html("") == ""
    assert sentence in _text(views.calibration_html(sentence))


# --- end to end: the batch's reports ---------------------------------------------------------

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
FILLERS = [(2, "advanced"), (3, "offer"), (1, "rejected"), (3, "rejected"), (2, "advanced")]
"""Five more people (self-rating right after, outcome) whose interviews are over."""
SENTENCE = (
    # low and known: the five fillers and Mei's earlier interview (3, next round); Ada's and
    # Mei's current one are still pending. Moved on: 2 advanced + 1 offer + Mei's earlier = 4.
    "Of 6 interviews in this practice rated 3 or lower out of 10 right after, 4 went on to the "
    "next round or an offer."
)


def _practice(folder: Path, *, fillers: int = len(FILLERS)) -> Path:
    """Mei's two interviews, Ada's, and the first ``fillers`` people of :data:`FILLERS`; every
    record has a coach file holding :data:`MARKER`."""
    folder.mkdir(parents=True)
    for source in (MEI_EARLIER, MEI, ADA):
        shutil.copy(source, folder / source.name)
        store.write_document(coachfile.coach_path(folder / source.name), {"notes": MARKER})
    base = store.load(EXAMPLES / "jose-alvarez-phone-screen.yaml")
    for n, (rating, outcome) in enumerate(FILLERS[:fillers]):
        record = base.model_copy(deep=True)
        record.candidate.name = f"Filler Person{n}"
        record.candidate.email = f"filler{n}@example.org"
        record.interview.company = f"Filler Company{n}"
        record.interview.self_rating = rating
        record.result = Result(status=outcome)  # type: ignore[arg-type]
        store.save(record, folder / f"filler-{n}.yaml")
    return folder


def _report(reports: Path, record: Path) -> str:
    return _text((reports / record.stem / "report.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _practice(tmp_path_factory.mktemp("practice") / "clients")


@pytest.fixture(scope="module")
def switched_on(practice: Path) -> Path:
    reports = practice.parent / "on"
    result = run_batch(
        practice, reports, workers=2, pdf=False, progress=False, now=NOW, calibration=True
    )
    assert not result.failed, [(e.name, e.error) for e in result.failed]
    return reports


@pytest.mark.slow
def test_the_batch_report_shows_a_persons_history_and_nobody_elses(
    practice: Path, switched_on: Path
) -> None:
    mei = _report(switched_on, MEI)
    notebook = (switched_on / MEI.stem / "report.ipynb").read_text(encoding="utf-8")
    assert f"history = {MEI_EARLIER.name!r}" in notebook  # the file's name, not where it is
    assert str(practice) not in notebook
    assert "Your interviews so far" in mei
    assert "Merlion Pay (Software Engineer, Payments) Fri 20 Nov 2026 3 5 Next round" in mei
    assert "Froze or went blank: 2 of 2 interviews" in mei
    checklist = mei.index("Your action plan")
    assert mei.index("Checklist for the next interview From your earlier interviews") > checklist
    for alone in (ADA, MEI_EARLIER):
        assert "Your interviews so far" not in _report(switched_on, alone)
    people = {
        "mei-lin": ("Mei Lin", "Merlion Pay", "Tessellate"),
        "ada-okafor": ("Ada Okafor", "Kestrel Health"),
        **{f"filler-{n}": (f"Person{n}", f"Company{n}") for n in range(len(FILLERS))},
    }
    reports = sorted(switched_on.glob("*/report.html"))
    assert len(reports) == 3 + len(FILLERS)
    for report in reports:
        shown = _text(report.read_text(encoding="utf-8"))
        for person, words in people.items():
            if not report.parent.name.startswith(person):
                assert not [word for word in words if word in shown], (report.parent.name, person)
        assert MARKER not in shown


@pytest.mark.slow
def test_the_switched_on_sentence_is_the_practices_count_in_every_step_1(switched_on: Path) -> None:
    for record in (ADA, MEI, MEI_EARLIER):
        shown = _report(switched_on, record)
        assert f"{content().caseload.calibration_heading} {SENTENCE}" in shown
        assert shown.index("How did it go? (1-10)") < shown.index(SENTENCE)


@pytest.mark.slow
def test_switched_off_by_default_the_sentence_is_absent(practice: Path) -> None:
    reports = practice.parent / "off"
    result = run_batch(practice, reports, workers=2, pdf=False, progress=False, now=NOW)
    assert not result.failed
    for record in (ADA, MEI):
        shown = _report(reports, record)
        assert content().caseload.calibration_heading not in shown
        assert "in this practice rated 3 or lower" not in shown
    assert "Your interviews so far" in _report(reports, MEI)  # history needs no switch


@pytest.mark.slow
def test_switched_on_with_fewer_than_five_interviews_the_sentence_is_absent(
    tmp_path: Path,
) -> None:
    clients = _practice(tmp_path / "clients", fillers=0)
    reports = tmp_path / "reports"
    result = run_batch(
        clients, reports, workers=2, pdf=False, progress=False, now=NOW, calibration=True
    )
    assert not result.failed
    for record in (ADA, MEI):
        assert content().caseload.calibration_heading not in _report(reports, record)


@pytest.mark.slow
def test_a_change_to_an_earlier_interview_rebuilds_the_later_report(
    practice: Path, switched_on: Path
) -> None:
    earlier = store.load(practice / MEI_EARLIER.name)
    earlier.perspective.rating_later = 7
    store.save(earlier, practice / MEI_EARLIER.name)
    result = run_batch(
        practice, switched_on, workers=2, pdf=False, progress=False, now=NOW, calibration=True
    )
    status = {entry.name: entry.status for entry in result.clients}
    assert status[MEI.stem] == "ok" and status[ADA.stem] == "skipped"
    assert "Fri 20 Nov 2026 3 7 Next round" in _report(switched_on, MEI)


def _injected(notebook: Path) -> dict[str, object]:
    """The parameters ``afterview lab`` filled into a workbook notebook."""
    source = next(
        cell.source
        for cell in nbformat.read(notebook, as_version=4).cells  # type: ignore[no-untyped-call]
        if "injected-parameters" in cell.metadata.get("tags", [])
    )
    found: dict[str, object] = {}
    exec(source, {}, found)  # papermill writes plain assignments of literals
    return found


def test_the_lab_hands_the_workbook_the_persons_records_and_the_switched_on_sentence(
    tmp_path: Path,
) -> None:
    clients = _practice(tmp_path / "clients")
    on = lab.prepare_lab(clients / MEI.name, tmp_path / "on", calibration=True)
    off = lab.prepare_lab(clients / MEI.name, tmp_path / "off")
    for name in ("1-perspective.ipynb", "4-lessons.ipynb", "report.ipynb"):
        assert _injected(on / name)["history"] == str(clients / MEI_EARLIER.name)
        assert _injected(on / name)["calibration"] == SENTENCE
        assert _injected(off / name)["calibration"] == ""
    alone = lab.prepare_lab(clients / ADA.name, tmp_path / "ada", calibration=True)
    assert _injected(alone / "report.ipynb")["history"] == ""
    few = _practice(tmp_path / "few", fillers=0)
    assert (
        _injected(
            lab.prepare_lab(few / MEI.name, tmp_path / "few-lab", calibration=True)
            / "1-perspective.ipynb"
        )["calibration"]
        == ""
    )


def _shown_text(widget: object) -> str:
    return _text(" ".join(str(getattr(w, "value", "")) for w in walk(widget)))


def test_the_app_shows_the_switched_on_sentence_in_step_1_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients = _practice(tmp_path / "clients")
    served: dict[str, object] = {}
    monkeypatch.setattr(cli, "serve", lambda record, **options: served.update(options) or 0)
    runner = CliRunner()
    on = runner.invoke(cli.cli, ["app", str(clients / MEI.name), "--calibration", "--no-browser"])
    assert on.exit_code == 0 and served["calibration"] == SENTENCE
    runner.invoke(cli.cli, ["app", str(clients / MEI.name), "--no-browser"])
    assert served["calibration"] == ""

    settings = prepare(clients / MEI.name, workdir=tmp_path / "app", calibration=SENTENCE)
    assert _injected(settings.notebook)["calibration"] == SENTENCE

    shown = page.page(clients / MEI.name, calibration=SENTENCE)
    assert SENTENCE in _shown_text(_at_step_1(shown))
    assert SENTENCE not in _shown_text(_at_step_1(page.page(clients / MEI.name)))


def _at_step_1(shown: W.Widget) -> W.Widget:
    """The page with step 1 open, as a visitor who clicked its tab (steps are built when
    opened)."""
    (tabs,) = [w for w in walk(shown) if isinstance(w, W.Tab)]
    tabs.selected_index = 1
    return shown
