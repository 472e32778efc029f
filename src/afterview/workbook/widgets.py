"""Small reusable pieces the step forms are built from.

Every input gets a ``description`` (rendered as a real ``<label>``) and the step's hint beside
it; every input is bound to a :class:`~afterview.session.Session`, so a change is saved at once.
Lists the user can add rows to are :class:`RowList`: a row that is not filled in enough to be
valid (an emotion with no name, an if-then plan with no "then") is simply not saved yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import ipywidgets as W

from afterview.coaching.content import Guide, Prompt, Step, content
from afterview.record.errors import AfterviewError
from afterview.record.schema import Record
from afterview.workbook.session import Session
from afterview.workbook.views import e, error_html

__all__ = [
    "NOT_YET",
    "Row",
    "RowList",
    "bind",
    "bound_field",
    "choice_input",
    "date_input",
    "field_row",
    "guide",
    "heading",
    "ideas",
    "labelled",
    "none_if_blank",
    "optional_slider",
    "preview",
    "prose",
    "read_optional",
    "setter",
    "status_bar",
    "step_form",
    "step_prompts",
    "string_list",
    "text_input",
]

T = TypeVar("T")
Apply = Callable[[Record, Any], None]
NOT_YET = -1
WIDE = W.Layout(width="100%")


def step_prompts(key: str) -> Step:
    """A step's title, intro and prompts from the coaching content."""
    return content().steps[key]


def setter(section: str, name: str, convert: Callable[[Any], Any] | None = None) -> Apply:
    """An ``apply`` that assigns a widget's value to ``record.<section>.<name>``."""

    def apply(record: Record, value: Any) -> None:
        target = getattr(record, section) if section else record
        setattr(target, name, convert(value) if convert is not None else value)

    return apply


def none_if_blank(value: str) -> str | None:
    return value.strip() or None


def titled(prompt: Prompt) -> dict[str, str]:
    """A list's heading and hint from the step's prompt: ``RowList(..., **titled(p["keep"]))``."""
    return {"label": prompt.label, "hint": prompt.hint}


def bound_field(
    session: Session,
    step: Step,
    key: str,
    widget: W.Widget,
    apply: Apply,
    *,
    stacked: bool = False,
) -> W.Box:
    """The input labelled with the step's prompt for ``key``, its hint beside, saved on change."""
    prompt = step.prompts[key]
    return field_row(bind(session, widget, apply), prompt.label, prompt.hint, stacked=stacked)


def step_form(step: Step, session: Session, body: list[W.Widget], result: W.Widget) -> W.VBox:
    """A step's layout: title and intro, the fields, the saved state, then the live results."""
    return W.VBox(
        [
            heading(step.title, step.intro),
            *body,
            status_bar(session),
            W.HTML("<h3>Your results so far</h3>"),
            result,
        ],
        layout=W.Layout(width="100%", max_width="80em"),
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


def _hint(text: str) -> W.HTML:
    return W.HTML(
        f"<div style='color:#444;font-size:.92em;line-height:1.35;padding:.2em .6em'>"
        f"{e(text)}</div>",
        layout=W.Layout(flex="2 1 0%", min_width="12em"),
    )


def field_row(widget: W.Widget, label: str, hint: str = "", *, stacked: bool = False) -> W.Box:
    """The input, labelled, with its prompt's hint beside it (under it, where space is tight)."""
    widget.description = label
    widget.style.description_width = "initial"
    if stacked:
        widget.layout.width = "100%"
        return W.VBox([widget, _hint(hint)], layout=W.Layout(width="100%", margin="0 0 6px 0"))
    widget.layout.flex = "3 1 0%"
    widget.layout.width = "auto"
    return W.HBox([widget, _hint(hint)], layout=W.Layout(width="100%", align_items="flex-start"))


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
        return W.Textarea(value=value, continuous_update=live, layout=W.Layout(height="5em"))
    return W.Text(value=value, continuous_update=live)


def optional_slider(value: int | None, low: int, high: int) -> W.SelectionSlider:
    """A slider from ``low`` to ``high`` whose first stop is "not yet" (no answer)."""
    options: list[tuple[str, int]] = [("not yet", NOT_YET)]
    options += [(str(number), number) for number in range(low, high + 1)]
    return W.SelectionSlider(
        options=options, value=NOT_YET if value is None else value, continuous_update=False
    )


def read_optional(value: int) -> int | None:
    return None if value == NOT_YET else value


def date_input(value: dt.date | None) -> W.DatePicker:
    return W.DatePicker(value=value)


def bind(session: Session, widget: W.Widget, apply: Apply) -> W.Widget:
    """Save ``apply(record, new_value)`` through the session whenever the widget changes."""

    def changed(change: dict[str, Any]) -> None:
        session.change(lambda record: apply(record, change["new"]))

    widget.observe(changed, names="value")
    return widget


@dataclass
class Row(Generic[T]):
    """One row of a :class:`RowList`: its inputs and how to read them (None: not ready)."""

    inputs: list[W.Widget]
    read: Callable[[], T | None]
    layout: W.Widget | None = None
    """What to show, when not simply the inputs side by side."""
    box: W.Box = field(init=False)


class RowList(Generic[T]):
    """A list the user can add rows to and remove rows from; saved on every change."""

    def __init__(
        self,
        session: Session,
        items: Sequence[T],
        make_row: Callable[[T | None], Row[T]],
        apply: Callable[[Record, list[T]], None],
        *,
        label: str,
        hint: str = "",
        noun: str = "row",
    ) -> None:
        self.session = session
        self.make_row = make_row
        self.apply = apply
        self.noun = noun
        self.rows: list[Row[T]] = []
        self.rows_box = W.VBox()
        self.add_button = W.Button(
            description=f"Add {noun}",
            icon="plus",
            tooltip=f"Add {'an' if noun[:1] in 'aeiou' else 'a'} {noun} to {label.lower()}",
            layout=W.Layout(width="auto"),
        )
        self.add_button.on_click(lambda _button: self.add())
        self.widget = W.VBox(
            [
                W.HBox([W.HTML(f"<strong>{e(label)}</strong>"), _hint(hint)]),
                self.rows_box,
                self.add_button,
            ],
            layout=W.Layout(margin="0 0 .8em 0"),
        )
        for item in items:
            self._append(make_row(item))
        self._show()

    def values(self) -> list[T]:
        """The rows that are filled in enough to save."""
        return [value for row in self.rows if (value := row.read()) is not None]

    def add(self, item: T | None = None) -> Row[T]:
        row = self._append(self.make_row(item))
        self._show()
        if item is not None:
            self.save()
        return row

    def remove(self, row: Row[T]) -> None:
        self.rows.remove(row)
        self._show()
        self.save()

    def save(self) -> bool:
        return self.session.change(lambda record: self.apply(record, self.values()))

    def _append(self, row: Row[T]) -> Row[T]:
        remove = W.Button(
            description="Remove",
            icon="trash",
            tooltip=f"Remove this {self.noun}",
            layout=W.Layout(width="auto", flex="0 0 auto"),
        )
        remove.on_click(lambda _button: self.remove(row))
        for widget in row.inputs:
            widget.observe(lambda _change: self.save(), names="value")
        shown = [row.layout] if row.layout is not None else row.inputs
        row.box = W.HBox(
            [*shown, remove],
            layout=W.Layout(width="100%", border_bottom="1px solid #ddd", padding="2px 0"),
        )
        self.rows.append(row)
        return row

    def _show(self) -> None:
        self.rows_box.children = [row.box for row in self.rows]


def string_list(
    session: Session,
    values: Sequence[str],
    apply: Callable[[Record, list[str]], None],
    *,
    label: str,
    hint: str = "",
    noun: str = "line",
) -> RowList[str]:
    """A list of short texts (evidence, requirements, lessons), one text box per row."""

    def make_row(value: str | None) -> Row[str]:
        box = W.Text(
            value=value or "",
            description=noun.capitalize(),
            continuous_update=True,
            style={"description_width": "initial"},
            layout=W.Layout(flex="1 1 auto"),
        )
        return Row([box], lambda: box.value.strip() or None)

    return RowList(session, values, make_row, apply, label=label, hint=hint, noun=noun)


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
