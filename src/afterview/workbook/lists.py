"""Lists the user adds rows to and removes rows from, each saved as a whole on every change.

A row that is not filled in enough to be valid (an emotion with no name, an if-then plan with
no "then") is simply not saved yet. :func:`tick_list` is a list ticked from given options.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import ipywidgets as W

from afterview.record.schema import Record
from afterview.workbook.session import Session
from afterview.workbook.views import e
from afterview.workbook.widgets import bind, hint_html, on_edit

__all__ = ["Row", "RowList", "string_list", "tick_list"]

T = TypeVar("T")


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
        new: Callable[[], T] | None = None,
    ) -> None:
        """``new`` gives the "Add" button's row its starting values (saved at once), for rows
        that a blank row could never satisfy (a practice session needs its day)."""
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
        self.add_button.on_click(lambda _button: self.add(new() if new is not None else None))
        self.widget = W.VBox(
            [
                W.HBox([W.HTML(f"<strong>{e(label)}</strong>"), hint_html(hint)]),
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
            on_edit(widget, lambda _value: self.save())
        shown = [row.layout] if row.layout is not None else row.inputs
        row.box = W.HBox(
            [*shown, remove],
            layout=W.Layout(width="100%", border_bottom="1px solid #ddd", padding="2px 0"),
        ).add_class("av-row")
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


def tick_list(
    session: Session,
    values: Sequence[str],
    options: Sequence[tuple[str, str, str]],
    apply: Callable[[Record, list[str]], None],
    *,
    label: str,
    hint: str = "",
    own: tuple[str, str, str] | None = None,
) -> W.VBox:
    """Tick boxes for ``options`` (label, key, hint), saved as the ticked keys in their order.

    With ``own`` (heading, hint, noun) the user may add lines of their own below the boxes;
    without it, a value that is not an option (typed into the file) is kept as it is.
    """
    boxes = {
        key: W.Checkbox(value=key in values, description=text, tooltip=tip, indent=False)
        for text, key, tip in options
    }
    others = [value for value in values if value not in boxes]

    def ticked(record: Record, _value: Any = None) -> None:
        extra = own_lines.values() if own_lines is not None else others
        apply(record, [key for key, box in boxes.items() if box.value] + extra)

    own_lines = None
    if own is not None:
        heading, note, noun = own
        own_lines = string_list(session, others, ticked, label=heading, hint=note, noun=noun)
    shown: list[W.Widget] = [
        W.HTML(f"<strong>{e(label)}</strong> <span style='color:#444'>{e(hint)}</span>")
    ]
    for _text, key, tip in options:
        box = bind(session, boxes[key], ticked)
        if tip:
            shown.append(W.HBox([box, W.HTML(f"<span style='color:#444'>{e(tip)}</span>")]))
        else:
            box.layout.width = "100%"
            shown.append(box)
    if own_lines is not None:
        shown.append(own_lines.widget)
    return W.VBox(shown, layout=W.Layout(width="100%"))
