"""The app page, built without a browser: what a job seeker gets to read and take away."""

from __future__ import annotations

import base64
import contextlib
import re
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from afterview.app import page as appview
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
