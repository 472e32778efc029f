"""Lists the user adds rows to and removes rows from, each saved as a whole on every change.

A row that is not filled in enough to be valid (an emotion with no name, an if-then plan with
no "then") is simply not saved yet. :func:`tick_list` is a list ticked from given options.

When another window saves the same list, its rows are shown here (so that the next edit here
does not write the old rows back over them); a row being typed in here stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import ipywidgets as W

from afterview.record.schema import Record
from afterview.workbook.markup import e
from afterview.workbook.session import Session
from afterview.workbook.widgets import bind, hint_html, on_edit, quietly

__all__ = ["Row", "RowList", "string_list", "tick_list"]

T = TypeVar("T")


@dataclass(eq=False)
class Row(Generic[T]):
    """One row of a :class:`RowList`: its inputs and how to read them (None: not ready)."""

    inputs: list[W.Widget]
    read: Callable[[], T | None]
    layout: W.Widget | None = None
    """What to show, when not simply the inputs side by side."""
    box: W.Box = field(init=False)
    shown: T | None = field(init=False, default=None)
    """The record's item this row last saved or was made from (None: a new row)."""

    @property
    def typing(self) -> bool:
        """Not showing what the record holds: new, or changed since it was last saved."""
        try:
            return self.shown is None or self.read() != self.shown
        except ValueError:  # filled in so that it is refused: still being typed
            return True


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
        value_in: Callable[[Record], Sequence[T]] | None = None,
    ) -> None:
        """``new`` gives the "Add" button's row its starting values (saved at once), for rows
        that a blank row could never satisfy (a practice session needs its day).
        ``value_in`` (the list in a record) lets the rows follow another window's saves."""
        self.session = session
        self.make_row = make_row
        self.apply = apply
        self.noun = noun
        self.rows: list[Row[T]] = []
        self.saving = False
        """True while this list's own change is being saved."""
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
            self.rows.append(self._made(make_row(item), item))
        self._show()
        if value_in is not None:
            session.on_change(lambda current: self._follow(value_in(current.record), current))

    def values(self) -> list[T]:
        """The rows that are filled in enough to save."""
        return [value for row in self.rows if (value := row.read()) is not None]

    def add(self, item: T | None = None) -> Row[T]:
        row = self._made(self.make_row(item))
        self.rows.append(row)
        self._show()
        if item is not None:
            self.save()
        return row

    def remove(self, row: Row[T]) -> None:
        self.rows.remove(row)
        self._show()
        self.save()

    def save(self) -> bool:
        before = [row.shown for row in self.rows]

        def edit(record: Record) -> None:
            for row in self.rows:
                row.shown = row.read()  # as the record will hold it, if saved
            self.apply(record, self.values())

        self.saving = True
        try:
            if self.session.change(edit):
                return True
        finally:
            self.saving = False
        for row, shown in zip(self.rows, before, strict=False):
            row.shown = shown  # refused: still to be saved
        return False

    def _follow(self, theirs: Sequence[T], current: Session) -> None:
        """Show the rows another window (or another form on this session) saved: each row of
        the record, in its order, reusing the rows that show it already; rows being typed in
        stay (in place of the item they were made from, else at the end)."""
        news = current.updated_elsewhere or (current.saved and not self.saving)
        shown = [row.shown for row in self.rows if row.shown is not None]
        if not news or list(theirs) == shown:
            return
        typing = [row for row in self.rows if row.typing]
        same = [row for row in self.rows if not row.typing]
        rows: list[Row[T]] = []
        for item in theirs:
            found = next((row for row in [*typing, *same] if row.shown == item), None)
            if found is None:
                found = self._made(self.make_row(item), item)
            else:
                (typing if found in typing else same).remove(found)
            rows.append(found)
        self.rows = rows + typing
        self._show()

    def _made(self, row: Row[T], item: T | None = None) -> Row[T]:
        """``row`` with its "Remove" button, saved on every edit; ``item``: what it shows."""
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
        row.shown = item
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
    value_in: Callable[[Record], Sequence[str]] | None = None,
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

    return RowList(
        session, values, make_row, apply, label=label, hint=hint, noun=noun, value_in=value_in
    )


def tick_list(
    session: Session,
    values: Sequence[str],
    options: Sequence[tuple[str, str, str]],
    apply: Callable[[Record, list[str]], None],
    *,
    label: str,
    hint: str = "",
    own: tuple[str, str, str] | None = None,
    value_in: Callable[[Record], Sequence[str]] | None = None,
) -> W.VBox:
    """Tick boxes for ``options`` (label, key, hint), saved as the ticked keys in their order.

    With ``own`` (heading, hint, noun) the user may add lines of their own below the boxes;
    without it, a value that is not an option (typed into the file) is kept as it is.
    With ``value_in`` (the list in a record), the boxes and lines follow another window's saves.
    """
    boxes = {
        key: W.Checkbox(value=key in values, description=text, tooltip=tip, indent=False)
        for text, key, tip in options
    }
    others = _not_in(values, boxes)

    def ticked(record: Record, _value: Any = None) -> None:
        extra = own_lines.values() if own_lines is not None else others
        apply(record, [key for key, box in boxes.items() if box.value] + extra)

    own_lines = None
    if own is not None:
        heading, note, noun = own
        own_lines = string_list(
            session,
            others,
            ticked,
            label=heading,
            hint=note,
            noun=noun,
            value_in=None if value_in is None else lambda r: _not_in(value_in(r), boxes),
        )

    def follow(current: Session) -> None:
        if value_in is None or not current.updated_elsewhere:
            return
        now = value_in(current.record)
        for key, box in boxes.items():
            if box.value != (key in now):
                with quietly(box):
                    box.value = key in now
        others[:] = _not_in(now, boxes)

    session.on_change(follow)
    shown: list[W.Widget] = [
        W.HTML(f"<strong>{e(label)}</strong> <span style='color:#444'>{e(hint)}</span>"),
        *(_tick_row(bind(session, boxes[key], ticked), tip) for _text, key, tip in options),
    ]
    if own_lines is not None:
        shown.append(own_lines.widget)
    return W.VBox(shown, layout=W.Layout(width="100%"))


def _tick_row(box: W.Checkbox, tip: str) -> W.Widget:
    """A tick box with its hint beside it, or across the whole width when it has none."""
    if tip:
        return W.HBox([box, W.HTML(f"<span style='color:#444'>{e(tip)}</span>")])
    box.layout.width = "100%"
    return box


def _not_in(values: Sequence[str], boxes: dict[str, W.Checkbox]) -> list[str]:
    """The values that no tick box stands for (the user's own lines, or typed into the file)."""
    return [value for value in values if value not in boxes]
