"""Small reusable pieces the step forms are built from.

Every input gets a ``description`` (rendered as a real ``<label>``) and the step's hint beside
it; every input is bound to a :class:`~afterview.session.Session`, so a change is saved at once.
Lists the user adds rows to are in :mod:`.lists`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from importlib import resources
from typing import Any, TypeVar

import ipywidgets as W

from afterview.coaching.content import Guide, Step, content
from afterview.record.errors import AfterviewError
from afterview.record.schema import Record
from afterview.workbook.markup import e, error_html
from afterview.workbook.session import Session

__all__ = [
    "NOT_YET",
    "Apply",
    "bind",
    "choice_input",
    "field_row",
    "form_box",
    "guide",
    "heading",
    "hint_html",
    "ideas",
    "labelled",
    "none_if_blank",
    "on_edit",
    "optional_slider",
    "preview",
    "prose",
    "quietly",
    "read_optional",
    "status_bar",
    "step_form",
    "step_prompts",
    "text_input",
]

T = TypeVar("T")
Apply = Callable[[Record, Any], None]
NOT_YET = -1
LABEL_WIDTH = "15em"
"""The width of a step's field labels, so that its inputs start in one column."""


def step_prompts(key: str) -> Step:
    """A step's title, intro and prompts from the coaching content."""
    return content().steps[key]


def none_if_blank(value: str) -> str | None:
    return value.strip() or None


def form_box(children: list[W.Widget], max_width: str = "80em") -> W.VBox:
    """A step form's outer box, with the forms' style sheet (the same in JupyterLab and the app)."""
    style = W.HTML(f"<style>{_style_sheet()}</style>", layout=W.Layout(display="none"))
    box = W.VBox([style, *children], layout=W.Layout(width="100%", max_width=max_width))
    box.add_class("av-form")
    return box


@functools.cache
def _style_sheet() -> str:
    return resources.files("afterview.workbook").joinpath("forms.css").read_text(encoding="utf-8")


def step_form(step: Step, session: Session, body: list[W.Widget], result: W.Widget) -> W.VBox:
    """A step's layout: title and intro, the fields, the saved state, then the live results."""
    return form_box(
        [
            heading(step.title, step.intro),
            *body,
            status_bar(session),
            W.HTML("<h3>Your results so far</h3>"),
            result,
        ]
    )


def prose(body: str) -> W.HTML:
    """HTML text at reading line height (a widget's own is one input's height)."""
    return W.HTML(f"<div style='line-height:1.4'>{body}</div>")


def guide(guide: Guide) -> W.HTML:
    """A short exercise (self-compassion, worry slot, closing), folded until opened."""
    steps = "".join(f"<li><strong>{e(s.label)}</strong>: {e(s.hint)}</li>" for s in guide.steps)
    return prose(
        f"<details><summary>{e(guide.title)}</summary><p>{e(guide.intro)}</p>"
        f"<ol>{steps}</ol></details>"
    )


def ideas(title: str, items: list[str]) -> W.HTML:
    rows = "".join(f"<li>{e(item)}</li>" for item in items)
    return prose(f"<details><summary>{e(title)}</summary><ul>{rows}</ul></details>")


def heading(text: str, intro: str = "") -> W.HTML:
    """A step's title and its short introduction."""
    body = f"<p style='max-width:50em'>{e(intro)}</p>" if intro else ""
    return prose(f"<h2 style='margin:.4em 0'>{e(text)}</h2>{body}")


def hint_html(text: str) -> W.HTML:
    return W.HTML(
        f"<div style='color:#444;font-size:.92em;line-height:1.35;padding:.2em .6em'>"
        f"{e(text)}</div>",
        layout=W.Layout(flex="2 1 0%", min_width="12em"),
    )


def field_row(widget: W.Widget, label: str, hint: str = "", *, stacked: bool = False) -> W.Box:
    """The input, labelled, with its prompt's hint beside it (under it, where space is tight)."""
    widget.description = label
    if stacked:
        widget.style.description_width = "initial"
        widget.layout.width = "100%"
        box = W.VBox([widget, hint_html(hint)], layout=W.Layout(width="100%", margin="0 0 6px 0"))
        return box.add_class("av-stacked")
    widget.style.description_width = LABEL_WIDTH
    widget.layout.flex = "3 1 0%"
    widget.layout.width = "auto"
    box = W.HBox([widget, hint_html(hint)], layout=W.Layout(width="100%", align_items="flex-start"))
    return box.add_class("av-field")


def labelled(widget: W.Widget, label: str, hint: str = "") -> W.Widget:
    """Give a small input (one in a row) its label, with the hint as its tooltip."""
    widget.description = label
    widget.tooltip = hint
    widget.style.description_width = "initial"
    return widget


def choice_input(
    choices: Sequence[tuple[str, str]], value: str, *, blank: str | None = None
) -> W.Dropdown:
    """A pick-list of ``(label, key)``; a key typed by hand into the file is kept as it is."""
    options = list(choices)
    if blank is not None:
        options.insert(0, (blank, ""))
    if value not in [key for _, key in options]:
        options.append((value, value))
    return W.Dropdown(options=options, value=value)


def text_input(value: str, *, long: bool = False, live: bool = True) -> W.Widget:
    """A text box (``long`` for several lines), saved on every keystroke unless not ``live``.

    Saving as the user types means closing the tab mid-sentence loses nothing.
    """
    if long:
        box = W.Textarea(value=value, rows=_lines(value), continuous_update=live)
        box.observe(lambda change: setattr(box, "rows", _lines(change["new"])), names="value")
        return box
    return W.Text(value=value, continuous_update=live)


def _lines(text: str, width: int = 70) -> int:
    """How many lines a text box needs to show ``text`` (3 to 20), where CSS cannot grow it."""
    needed = sum(max(1, -(-len(line) // width)) for line in text.splitlines() or [""])
    return min(max(needed, 3), 20)


def optional_slider(value: int | None, low: int, high: int) -> W.SelectionSlider:
    """A slider from ``low`` to ``high`` whose first stop is "not yet" (no answer)."""
    options: list[tuple[str, int]] = [("not yet", NOT_YET)]
    options += [(str(number), number) for number in range(low, high + 1)]
    return W.SelectionSlider(
        options=options, value=NOT_YET if value is None else value, continuous_update=False
    )


def read_optional(value: int) -> int | None:
    return None if value == NOT_YET else value


_quiet: set[int] = set()


@contextlib.contextmanager
def quietly(widget: W.Widget) -> Iterator[W.Widget]:
    """Change a widget from the program (new choices) without it counting as the user's edit."""
    _quiet.add(id(widget))
    try:
        yield widget
    finally:
        _quiet.discard(id(widget))


def on_edit(widget: W.Widget, callback: Callable[[Any], object]) -> None:
    """Call ``callback(new_value)`` whenever the user changes the widget's value."""

    def changed(change: dict[str, Any]) -> None:
        if id(widget) not in _quiet:
            callback(change["new"])

    widget.observe(changed, names="value")


def bind(session: Session, widget: W.Widget, apply: Apply) -> W.Widget:
    """Save ``apply(record, new_value)`` through the session whenever the user changes it."""
    on_edit(widget, lambda value: session.change(lambda record: apply(record, value)))
    return widget


def status_bar(session: Session) -> W.HBox:
    """Whether the last change was saved (and why not), with a "Save" button."""
    label = W.HTML()

    def show(current: Session) -> None:
        if current.saved:
            label.value = (
                f"<span role='status' style='color:#006B4F'>&#10003; {e(current.status)}</span>"
            )
        else:
            label.value = (
                f"<span role='alert' style='color:#B34700;font-weight:bold'>"
                f"&#9888; {e(current.status)}</span>"
            )

    save = W.Button(description="Save", icon="save", tooltip="Save this record now")
    save.on_click(lambda _button: session.save())
    session.on_change(show)
    show(session)
    return W.HBox([save, label], layout=W.Layout(align_items="center"))


def preview(
    session: Session,
    render: Callable[[Record], str],
    key: Callable[[Record], object] | None = None,
) -> W.HTML:
    """A live preview: ``render(record)`` again whenever ``key(record)`` changes."""
    widget = W.HTML(layout=W.Layout(width="100%"))
    last: list[object] = [object()]

    def refresh(current: Session) -> None:
        record = current.record
        marker = key(record) if key is not None else record.model_dump_json()
        if marker == last[0]:
            return
        last[0] = marker
        try:
            widget.value = render(record)
        except AfterviewError as error:
            widget.value = error_html(error, what="show this step's results")

    session.on_change(refresh)
    refresh(session)
    return widget
