"""The app page, built without a browser: what a job seeker gets to read and take away."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from afterview.app import page as appview
from afterview.app import warm
from afterview.record import store
from afterview.workbook.session import Session


def html_of(widget: W.Widget) -> str:
    """Every HTML string shown anywhere in a widget tree."""
    if isinstance(widget, W.HTML):
        return str(widget.value)
    return "".join(html_of(child) for child in getattr(widget, "children", ()))


def tabs_of(widget: W.Widget) -> W.Tab:
    """The steps' tabs, wherever they sit in the page."""
    if isinstance(widget, W.Tab):
        return widget
    for child in getattr(widget, "children", ()):
        with contextlib.suppress(LookupError):
            return tabs_of(child)
    raise LookupError("no tabs on this page")


def links(html: str) -> dict[str, tuple[str, bytes]]:
    """Download links by their text: (file name, decoded content)."""
    found = re.findall(
        r'<a class="av-download" download="([^"]+)" href="data:[^;]+(?:;charset=utf-8)?;base64,'
        r'([^"]+)">([^<]+)</a>',
        html,
    )
    return {text: (name, base64.b64decode(data)) for name, data, text in found}


def test_the_downloads_hold_each_letter_the_email_drafts_and_the_calendar(
    copy_record: Any,
) -> None:
    record = store.load(copy_record("ada-okafor-panel.yaml"))
    found = links(appview.downloads_html(record))
    name, text = found["Letter to Grace Mensah (.txt)"]
    assert name == "03-grace-mensah.txt"
    assert "Grace" in text.decode("utf-8")
    assert "a confirmed safety issue blocks the release" in text.decode("utf-8"), (
        "her letter answers her doubt"
    )
    assert found["Email draft to Tom Eriksen (.eml)"][1].startswith(b"From:")
    assert found["Calendar reminders (.ics)"][1].startswith(b"BEGIN:VCALENDAR")
    assert len(found) == 3 * 2 + 1


def test_the_coachs_notes_never_reach_a_download(copy_record: Any) -> None:
    path = copy_record("ada-okafor-panel.yaml")
    record = store.load(path)
    record.coach_notes = "PRIVATE-COACH-NOTE: watch for all-or-nothing talk"
    contents = b"".join(data for _, data in links(appview.downloads_html(record)).values())
    assert b"PRIVATE-COACH-NOTE" not in contents


def test_an_unreadable_record_becomes_one_sentence_and_what_to_do(tmp_path: Path) -> None:
    broken = tmp_path / "ada.yaml"
    broken.write_text("candidate: [unclosed\n", encoding="utf-8")
    shown = html_of(appview.page(broken))
    assert 'role="alert"' in shown
    assert "could not be opened" in shown and "ada.yaml" in shown and "reload this page" in shown
    assert "Traceback" not in shown


def test_the_page_greets_by_the_interview_and_says_it_saves_as_you_go(copy_record: Any) -> None:
    shown = html_of(appview.page(copy_record("ada-okafor-panel.yaml")))
    assert "Your interview debrief" in shown
    assert "Kestrel Health" in shown
    assert "saved as you go" in shown


def test_without_a_browser_the_page_shows_the_action_plan_instead_of_forms(
    copy_record: Any,
) -> None:
    page = appview.page(copy_record("ada-okafor-panel.yaml"), interactive=False)
    with pytest.raises(LookupError):
        tabs_of(page)
    assert "Kestrel Health" in html_of(page)


def test_the_open_step_is_remembered_between_visits(copy_record: Any, tmp_path: Path) -> None:
    record, memory = copy_record("ada-okafor-panel.yaml"), tmp_path / "step.json"
    first = appview.page(record, remember=memory)
    tabs_of(first).selected_index = 3
    assert tabs_of(appview.page(record, remember=memory)).selected_index == 3
    memory.write_text("not json", encoding="utf-8")
    assert tabs_of(appview.page(record, remember=memory)).selected_index == 0


def test_a_change_that_cannot_be_saved_is_said_in_a_sentence_until_it_is_fixed(
    copy_record: Any,
) -> None:
    session = Session(copy_record("ada-okafor-panel.yaml"))
    banner = appview.save_problem(session)
    assert banner.value == ""
    session.change(lambda record: setattr(record.interview, "company", ""))
    assert 'role="alert"' in banner.value
    assert "not saved" in banner.value and "company" in banner.value
    assert "Correct that entry" in banner.value
    session.change(lambda record: setattr(record.interview, "company", "Kestrel Health"))
    assert banner.value == ""


def test_the_page_says_when_the_record_was_last_saved(copy_record: Any) -> None:
    record = copy_record("ada-okafor-panel.yaml")
    written = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=3)
    os.utime(record, (written.timestamp(), written.timestamp()))
    assert f"Last saved {written:%H:%M}" in html_of(appview.page(record))


def test_last_saved_names_the_day_when_it_was_not_today() -> None:
    now = dt.datetime(2026, 11, 28, 9, 30)
    assert appview.saved_label(dt.datetime(2026, 11, 28, 14, 3), now) == "Last saved 14:03"
    assert appview.saved_label(dt.datetime(2026, 11, 24, 8, 5), now) == (
        "Last saved Tuesday 24 November, 08:05"
    )
    assert appview.saved_label(dt.datetime(2025, 12, 31, 23, 59), now).endswith(
        "31 December 2025, 23:59"
    )


def test_a_saved_change_updates_when_the_record_was_last_saved(copy_record: Any) -> None:
    record = copy_record("ada-okafor-panel.yaml")
    os.utime(record, (0, 0))  # 1970: not today
    session = Session(record)
    label = appview.last_saved(session)
    assert "1970" in label.value
    session.change(lambda r: setattr(r.interview, "company", "Kestrel Health Ltd"))
    assert f"Last saved {dt.datetime.now():%H:%M}" in label.value


def test_building_the_page_changes_no_file(copy_record: Any, tmp_path: Path) -> None:
    """A warm kernel rebuilds its page when the record or the step file change: building
    must not change them itself, or it would rebuild for ever."""
    record, memory = copy_record("ada-okafor-panel.yaml"), tmp_path / "state.json"
    memory.write_text('{"step": 2}', encoding="utf-8")
    before = warm.stamp([record, memory])
    page = appview.page(record, remember=memory)
    assert tabs_of(page).selected_index == 2
    assert warm.stamp([record, memory]) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [record.name, memory.name]


def test_outside_a_warm_kernel_the_page_is_built_at_once(
    copy_record: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    ready = tmp_path / "ready"
    assert not warm.warm()
    page = appview.page(copy_record("ada-okafor-panel.yaml"), ready=ready)
    assert "Kestrel Health" in html_of(page)
    assert not ready.exists(), "only a warm kernel says it is ready"


def values_of(widget: W.Widget) -> list[Any]:
    """Every input value anywhere in a widget tree."""
    found = [widget.value] if isinstance(widget, W.Text) else []
    for child in getattr(widget, "children", ()):
        found += values_of(child)
    return found


class _Visit:
    """Voilà's "your page was asked for" socket: silent once (meanwhile ``meanwhile`` runs, as
    the client typing in the tab they are about to reload), then the visitor arrives."""

    def __init__(self, meanwhile: Any) -> None:
        self.meanwhile, self.waited = meanwhile, 0

    def __enter__(self) -> _Visit:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def recv(self, timeout: float) -> str:
        if self.waited == 0:
            self.waited += 1
            self.meanwhile()
            raise TimeoutError
        return "visited"


def test_a_warm_page_is_brought_up_to_date_in_place_when_its_visitor_arrives(
    copy_record: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload straight after typing once waited while the warm kernel built the whole page
    again (over a minute on a busy machine); the waiting page now re-reads the record."""
    record, memory = copy_record("ada-okafor-panel.yaml"), tmp_path / "state.json"
    built: list[W.Widget] = []
    build = appview._page

    def counting(*args: Any, **kwargs: Any) -> W.Widget:
        built.append(build(*args, **kwargs))
        return built[-1]

    def typed_in_the_other_tab() -> None:
        other = Session(record)
        other.change(lambda r: setattr(r.interview, "company", "Kestrel Health Partners"))
        memory.write_text('{"step": 3}', encoding="utf-8")

    monkeypatch.setattr(appview, "_page", counting)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k1")
    monkeypatch.setattr(warm, "connect", lambda *a, **k: _Visit(typed_in_the_other_tab))
    page = appview.page(record, remember=memory)
    assert built == [page], "the page was built again instead of brought up to date"
    assert "Kestrel Health Partners" in values_of(page)
    assert "Kestrel Health Partners" in html_of(page)  # the header too
    assert tabs_of(page).selected_index == 3


def test_a_warm_page_whose_record_broke_while_it_waited_says_what_is_wrong(
    copy_record: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = copy_record("ada-okafor-panel.yaml")

    def broken_in_an_editor() -> None:
        record.write_text("candidate: [unclosed\n  name: Ada\n", encoding="utf-8")

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k1")
    monkeypatch.setattr(warm, "connect", lambda *a, **k: _Visit(broken_in_an_editor))
    shown = html_of(appview.page(record))
    assert "could not be opened" in shown and record.name in shown
