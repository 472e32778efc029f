"""The self-guided app's page: a welcome, the five steps, and the files to take away.

``notebooks/app.ipynb`` calls :func:`page`; Voilà shows the result as a web page without code.
The steps themselves are the workbook's own forms (:func:`afterview.forms.workbook`), so the
coach's notebook and the app save the same record the same way. This module adds what a person
working alone needs around them: a calm header, "Back"/"Next" buttons that say where you are
and a step that is remembered between visits (in a small state file beside the record, so also
after the app was restarted), when the record was last saved, readable colours and focus
outlines, the download links for the letters and the calendar, and a sentence instead of a
traceback when the record cannot be opened or a change could not be saved.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import html
import json
import os
import sys
import traceback
from pathlib import Path

import ipywidgets as W

from afterview.app import warm
from afterview.coaching import calendar, letters
from afterview.record.errors import AfterviewError
from afterview.record.schema import Record
from afterview.record.store import atomic_write
from afterview.workbook import forms, views
from afterview.workbook.session import Session

__all__ = [
    "STYLE",
    "downloads",
    "downloads_html",
    "header_html",
    "last_saved",
    "page",
    "problem_html",
    "save_problem",
    "saved_label",
    "stepper",
]

# Readable, calm colours (text contrast at least 7:1 on white), a visible focus ring for
# keyboard users, and download links that look like buttons.
STYLE = """
<style>
  body, .jp-Notebook { background: #ffffff; color: #1a1a1a; }
  .av-app { max-width: 68em; margin: 0 auto; font-size: 15px; line-height: 1.45; }
  .av-app h1 { font-size: 1.7em; margin: .3em 0 .2em; color: #1a1a1a; }
  .av-app .widget-label, .av-app label, .av-app .lm-TabBar-tab,
  .av-app .widget-readout { color: #1a1a1a; }
  .av-app .lm-TabBar-tab.lm-mod-current { font-weight: bold; }
  .av-app .widget-tab > .lm-TabBar .lm-TabBar-content { flex-wrap: wrap; }
  .av-app .widget-tab > .lm-TabBar .lm-TabBar-tab {
    flex: 0 1 auto; min-width: 0; max-width: none; padding: 0 1em;
    color: #1a1a1a !important; background: #f2f2f2;
  }
  .av-app .widget-tab > .lm-TabBar .lm-TabBar-tab.lm-mod-current { background: #ffffff; }
  .av-app .widget-html-content p, .av-app .widget-html-content li { line-height: 1.5; }
  .av-where { font-weight: bold; }
  .av-app :focus-visible, .av-app input:focus, .av-app textarea:focus, .av-app select:focus,
  .av-app button:focus, .av-app a:focus, .av-app .lm-TabBar-tab:focus {
    outline: 3px solid #1a56db; outline-offset: 2px;
  }
  .av-lead { color: #333333; max-width: 46em; }
  .av-saved { color: #333333; margin: 0 0 .4em; }
  .av-downloads { border-top: 1px solid #767676; margin-top: 1.2em; padding-top: .6em; }
  .av-downloads h2 { font-size: 1.25em; margin: .2em 0; }
  a.av-download {
    display: inline-block; margin: .25em .6em .25em 0; padding: .45em .9em;
    background: #0b4f8a; color: #ffffff; border-radius: 4px; text-decoration: none;
  }
  a.av-download:hover { background: #083a66; }
  .av-problem { border-left: 5px solid #a33a00; background: #fff4ec; color: #1a1a1a;
    padding: .8em 1em; max-width: 46em; }
</style>
"""


def header_html(record: Record, path: Path) -> str:
    """A welcome that names the interview and says the work is saved as it goes."""
    interview = record.interview
    when = f"{interview.date:%A %d %B %Y}".replace(" 0", " ")
    return (
        f"<h1>Your interview debrief</h1>"
        f'<p class="av-lead">{html.escape(interview.role)} at '
        f"{html.escape(interview.company)}, {html.escape(when)}. Five short steps, at your own "
        f"pace. Everything you write is saved as you go (to "
        f"<code>{html.escape(path.name)}</code>), so you can close this page and come back "
        f"later: it will open where you left off.</p>"
    )


def header(session: Session, path: Path) -> W.HTML:
    """:func:`header_html`, kept current as the record changes (a new company or role)."""
    shown = W.HTML(header_html(session.record, path))

    def show(current: Session) -> None:
        shown.value = header_html(current.record, path)

    session.on_change(show)
    return shown


def problem_html(error: AfterviewError) -> str:
    """One sentence for a record that cannot be opened, and what to do about it."""
    return (
        f'<div class="av-problem" role="alert"><p><strong>Your workbook could not be opened.'
        f"</strong> {html.escape(str(error))}.</p><p>Correct the file (or ask your coach to), "
        f"then reload this page. Nothing has been changed or deleted.</p></div>"
    )


def save_problem(session: Session) -> W.HTML:
    """Empty while every change is saved; a sentence and what to do when one was not."""
    widget = W.HTML(layout=W.Layout(width="100%"))

    def show(current: Session) -> None:
        if current.saved:
            widget.value = ""
            return
        reason = current.status.removeprefix("not saved: ")
        widget.value = (
            f'<div class="av-problem" role="alert"><strong>Your last change was not saved:'
            f"</strong> {html.escape(reason)}. Correct that entry (or check that the file can "
            f"still be written) and it will be saved; everything before it is kept.</div>"
        )

    session.on_change(show)
    show(session)
    return widget


def saved_label(when: dt.datetime, now: dt.datetime) -> str:
    """ "Last saved 14:03" today; the day too ("Last saved Tuesday 24 November, 14:03") before."""
    if when.date() == now.date():
        return f"Last saved {when:%H:%M}"
    day = f"{when:%A %d %B}".replace(" 0", " ")
    if when.year != now.year:
        day += f" {when.year}"
    return f"Last saved {day}, {when:%H:%M}"


def last_saved(session: Session) -> W.HTML:
    """When the record file was last written (by this page or anyone else), kept up to date."""
    widget = W.HTML(layout=W.Layout(width="100%"))

    def show(current: Session) -> None:
        with contextlib.suppress(OSError):
            when = dt.datetime.fromtimestamp(current.path.stat().st_mtime)
            label = saved_label(when, dt.datetime.now())
            widget.value = f'<p class="av-saved" role="status">{html.escape(label)}</p>'

    session.on_change(show)
    show(session)
    return widget


def _data_link(content: bytes, mime: str, filename: str, text: str) -> str:
    encoded = base64.b64encode(content).decode("ascii")
    return (
        f'<a class="av-download" download="{html.escape(filename)}" '
        f'href="data:{mime};base64,{encoded}">{html.escape(text)}</a>'
    )


def downloads_html(record: Record) -> str:
    """Links that save the letters (.txt and an .eml draft) and the reminders (.ics)."""
    links: list[str] = []
    problems: list[str] = []
    try:
        drafts = letters.render_letters(record)
    except AfterviewError as error:
        drafts = []
        problems.append(f"The letters cannot be written yet: {error}.")
    for number, draft in enumerate(drafts, start=1):
        name = draft.interviewer.name
        stem = f"{number:02d}-{letters.slug(name)}"
        text = f"Subject: {draft.subject}\n\n{draft.body}\n".encode()
        links.append(
            _data_link(text, "text/plain;charset=utf-8", f"{stem}.txt", f"Letter to {name} (.txt)")
        )
        try:
            eml = letters.to_eml(draft, record)
        except AfterviewError as error:
            problems.append(f"The email draft for {name} cannot be made: {error}.")
        else:
            links.append(
                _data_link(eml, "message/rfc822", f"{stem}.eml", f"Email draft to {name} (.eml)")
            )
    try:
        ics = calendar.to_ics(record)
    except AfterviewError as error:
        problems.append(f"The calendar reminders cannot be made: {error}.")
    else:
        links.append(
            _data_link(
                ics,
                "text/calendar;charset=utf-8",
                "afterview-reminders.ics",
                "Calendar reminders (.ics)",
            )
        )
    notes = "".join(f'<p role="status">{html.escape(p)}</p>' for p in problems)
    return (
        '<section class="av-downloads" aria-label="Downloads">'
        "<h2>Take it with you</h2>"
        "<p>Save your letters to copy into an email (nothing is sent for you), and add the "
        "reminders to your calendar.</p>"
        f"<div>{''.join(links)}</div>{notes}</section>"
    )


def downloads(session: Session) -> W.HTML:
    """The download links, rebuilt whenever a saved change alters the record."""
    widget = W.HTML(layout=W.Layout(width="100%"))
    last: list[str] = [""]

    def refresh(current: Session) -> None:
        marker = current.record.model_dump_json()
        if marker != last[0]:
            last[0] = marker
            widget.value = downloads_html(current.record)

    session.on_change(refresh)
    refresh(session)
    return widget


def _read_step(remember: Path | None, count: int) -> int:
    if remember is None:
        return 0
    try:
        step = int(json.loads(remember.read_text(encoding="utf-8"))["step"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0
    return step if 0 <= step < count else 0


def _write_step(remember: Path | None, step: int) -> None:
    if remember is None:
        return
    with contextlib.suppress(OSError), atomic_write(remember) as handle:
        json.dump({"step": step}, handle)


def stepper(tabs: W.Tab, remember: Path | None = None) -> W.VBox:
    """The steps' tabs with "Back" and "Next" buttons and where you are ("Step 2 of 5").

    With ``remember`` (a file), the open step is kept there and restored when the page is
    opened again, so a reload, or the app started again, comes back to the same step. Only a
    move to another step writes the file: building the page changes nothing on disk.
    """
    titles = [tabs.get_title(index) for index in range(len(tabs.children))]
    wide = {"width": "auto", "min_width": "8em"}
    back = W.Button(description="Back", tooltip="Go to the previous step", layout=wide)
    forward = W.Button(
        description="Next", tooltip="Go to the next step", button_style="primary", layout=wide
    )
    forward.add_class("av-next")
    where = W.HTML()

    def show() -> None:
        index = tabs.selected_index or 0
        back.disabled = index == 0
        forward.disabled = index == len(titles) - 1
        back.description = f"Back: {titles[index - 1]}" if index > 0 else "Back"
        forward.description = f"Next: {titles[index + 1]}" if index < len(titles) - 1 else "Next"
        where.value = (
            f'<span class="av-where" role="status">Page {index + 1} of {len(titles)}: '
            f"{html.escape(titles[index])}</span>"
        )

    def moved(change: object) -> None:
        show()
        _write_step(remember, tabs.selected_index or 0)

    def move(by: int) -> None:
        tabs.selected_index = min(max((tabs.selected_index or 0) + by, 0), len(titles) - 1)

    back.on_click(lambda _button: move(-1))
    forward.on_click(lambda _button: move(+1))
    tabs.selected_index = _read_step(remember, len(titles))
    tabs.observe(moved, names="selected_index")
    show()
    bar = W.HBox([back, where, forward], layout=W.Layout(align_items="center", gap="1em"))
    bar.add_class("av-stepper")
    return W.VBox([tabs, bar])


def page(
    record: str | os.PathLike[str],
    *,
    interactive: bool = True,
    remember: str | os.PathLike[str] = "",
    ready: str | os.PathLike[str] = "",
    calibration: str = "",
) -> W.Widget:
    """The whole app page for one record; never raises (a problem becomes a sentence).

    ``interactive=False`` (a run without a browser) shows the action plan as static HTML.
    ``remember`` is a file where the open step is kept between visits (empty: not kept).
    In a warm kernel (see :mod:`afterview.app.warm`) the page is built before it is asked for
    and kept as new as the record and ``remember`` until it is; ``ready`` (a file, optional)
    is touched once it waits. ``calibration`` is the practice's sentence for step 1 (the
    coach's switch; worked out by ``afterview app``, never read here). Once shown, an
    interactive page follows the record file, so what the coach saves in JupyterLab reaches the
    client's open page (:meth:`Session.follow`).
    """
    path = Path(record)
    memory = Path(remember) if remember else None
    opened: list[tuple[Session, W.Tab]] = []  # the session and steps of the page built last
    build = functools.partial(
        _page,
        path,
        interactive=interactive,
        remember=memory,
        opened=opened,
        calibration=calibration,
    )
    watched = [path] if memory is None else [path, memory]

    def refresh() -> bool:
        """Bring the page built last up to date in place; False if there is none to update, or
        the record cannot be read any more (the page built again says what is wrong)."""
        if not opened:
            return False
        session, tabs = opened[0]
        session.check()
        if session.unreadable() is not None:
            return False
        tabs.selected_index = _read_step(memory, len(tabs.children))
        return True

    return warm.when_visited(build, watched, Path(ready) if ready else None, refresh=refresh)


def _page(
    path: Path,
    *,
    interactive: bool,
    remember: Path | None,
    opened: list[tuple[Session, W.Tab]],
    calibration: str = "",
) -> W.Widget:
    style = W.HTML(STYLE)
    for older, _tabs in opened:  # a page built again: the one built before stops following
        older.close()
    opened.clear()
    try:
        session = Session(path)
        if not interactive:
            body: list[W.Widget] = [W.HTML(views.action_plan_html(session.record))]
        else:
            tabs = forms.workbook(session, calibration=calibration, lazy=True)
            body = [save_problem(session), stepper(tabs, remember), downloads(session)]
            opened.append((session, tabs))
            session.follow()
        top = [header(session, path), last_saved(session)]
    except AfterviewError as error:
        return W.VBox([style, W.HTML(problem_html(error))]).add_class("av-app")
    except Exception:  # the last line of defence: a bug must not show a traceback
        traceback.print_exc(file=sys.stderr)  # to the server's log, not the page
        message = AfterviewError(
            "something unexpected went wrong while building the page; your saved answers are "
            "safe in the file. Reload this page, and if it happens again stop the app and "
            "start it again",
            path=path.name,
        )
        return W.VBox([style, W.HTML(problem_html(message))]).add_class("av-app")
    return W.VBox([style, *top, *body]).add_class("av-app")
