"""One input for one record field, chosen from the field's type in the schema.

``str`` is a text box (several lines when declared ``long``; a pick-list or a box with
suggestions when declared so), ``date`` a date picker, ``time`` a time picker, ``bool`` a tick
box, a bounded ``int`` (``Percent``, ``Rating``) a slider, with a "not yet" stop when it may be
empty, and a ``Literal`` a pick-list labelled from the content's pick-list with the same keys.
Choices that come from the record itself (the interviewers, the questions, the requirements)
follow every saved change, so no form needs rebuilding when they change. A field's input shows
what another window saved in it, unless the user has changed it here since it was last saved.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
import ipywidgets as W
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from afterview.coaching.content import Choice, content, humanise
from afterview.record.schema import Record
from afterview.workbook.session import Session
from afterview.workbook.widgets import (
    NOT_YET,
    Apply,
    choice_input,
    none_if_blank,
    on_edit,
    optional_slider,
    quietly,
    read_optional,
    text_input,
)

__all__ = ["Ask", "Input", "Options", "bound_input", "item_input", "make_input"]

Options = str | Callable[[Record], Sequence[str]]
"""A content list's name (``"root_causes"``, ``"emotions"``), or what the record offers now."""


@dataclass(frozen=True)
class Ask:
    """One record field, and only what its type cannot say."""

    path: str
    long: bool = False
    """Several lines of text."""
    pick: Options | None = None
    """A pick-list (only these values) for a text field."""
    suggest: Options | None = None
    """Suggestions for a text field that still takes anything typed."""
    blank: str | None = None
    """The pick-list's entry for "none chosen"."""
    live: bool = True
    """Save on every keystroke; False waits until the box is left (a half-typed name)."""
    coach: bool = False
    """Only in the coach's view."""
    stacked: bool = False
    """The hint under the input rather than beside it."""
    prompt: str = ""
    """The content's prompt key, where it is not the path below the step's section."""


@dataclass
class Input:
    """An input, and how to read its value the way the record stores it."""

    widget: W.Widget
    read: Callable[[], Any]
    show: Callable[[Any], None]
    """Put a value, as the record stores it, in the widget (from the program: not an edit)."""
    text: bool = False
    """A text input (a row with none of these filled in is empty)."""


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside ``X | None``, and whether None is allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        return inner[0], len(inner) < len(get_args(annotation))
    return annotation, False


def _bounds(metadata: Iterable[Any]) -> tuple[int | None, int | None]:
    """The ``ge``/``le`` of a field, wherever pydantic keeps them."""
    low = high = None
    for item in metadata:
        if isinstance(item, FieldInfo):
            low, high = _bounds(item.metadata)
        elif isinstance(item, annotated_types.Ge):
            low = int(item.ge)  # type: ignore[call-overload]
        elif isinstance(item, annotated_types.Le):
            high = int(item.le)  # type: ignore[call-overload]
    return low, high


def _labels(keys: Sequence[str]) -> list[tuple[str, str]]:
    """A ``Literal``'s keys labelled from the content pick-list with the same keys."""
    words = content()
    for name in type(words).model_fields:
        found = getattr(words, name)
        choices = isinstance(found, list) and all(isinstance(c, Choice) for c in found)
        if choices and {c.key for c in found} == set(keys):
            return [(c.label, c.key) for c in found]
    return [(humanise(key), key) for key in keys]


def _choices(options: Options, record: Record) -> list[tuple[str, str]]:
    """``(label, key)`` pairs: a content list by name, or what the record offers now."""
    found: Sequence[str | Choice] = (
        getattr(content(), options) if isinstance(options, str) else options(record)
    )
    return [(c.label, c.key) if isinstance(c, Choice) else (c, c) for c in found]


def _follow(session: Session, widget: W.Widget, spec: Ask, options: Options) -> None:
    """Keep a pick-list or a suggestion list in step with the record as it changes.

    A choice renamed elsewhere (as many choices as before, the chosen one gone and one new)
    is renamed here too, and saved; a choice that is removed stays chosen, as a value typed
    into the file by hand would.
    """
    if isinstance(options, str):
        return
    shown = [_choices(options, session.record)]

    def refresh(current: Session) -> None:
        before, now = shown[0], _choices(options, current.record)
        if now == before:
            return
        shown[0] = now
        if spec.suggest is not None:
            with quietly(widget):
                widget.options = [key for _, key in now]
            return
        value, old, new = widget.value, [k for _, k in before], [k for _, k in now]
        renamed = value
        if value in old and value not in new and len(old) == len(new):
            renamed = new[old.index(value)]
        with quietly(widget):  # new options reset the value: put it back
            widget.options = choice_input(now, value, blank=spec.blank).options
            widget.value = value
        if renamed != value:
            widget.value = renamed  # as if picked by hand, so that it is saved
            with quietly(widget):  # and the old name is no longer offered
                widget.options = choice_input(now, renamed, blank=spec.blank).options
                widget.value = renamed

    # A row removed later keeps this listener; it then updates a widget no longer shown.
    session.on_change(refresh)


def _text(session: Session, spec: Ask, value: str, optional: bool) -> Input:
    if spec.pick is not None:
        widget = choice_input(_choices(spec.pick, session.record), value, blank=spec.blank)
        _follow(session, widget, spec, spec.pick)
    elif spec.suggest is not None:
        keys = [key for _, key in _choices(spec.suggest, session.record)]
        widget = W.Combobox(
            value=value, options=keys, ensure_option=False, continuous_update=spec.live
        )
        _follow(session, widget, spec, spec.suggest)
    else:
        widget = text_input(value, long=spec.long, live=spec.live)
    read = (lambda: none_if_blank(widget.value)) if optional else (lambda: widget.value)
    if spec.pick is not None:
        return Input(widget, read, lambda new: _pick(widget, new or ""), text=True)
    return Input(widget, read, lambda new: setattr(widget, "value", new or ""), text=True)


def _pick(widget: W.Dropdown, value: str) -> None:
    """Choose ``value`` in a pick-list, offering it first if it is not (typed into the file)."""
    if value not in [key for _, key in widget.options]:
        widget.options = [*widget.options, (value, value)]
    widget.value = value


def make_input(session: Session, spec: Ask, info: FieldInfo, value: Any) -> Input:
    """The input for a field of this type, holding ``value`` (the field's own when None)."""
    kind, optional = _unwrap(info.annotation)
    if value is None and not optional:
        value = None if info.is_required() else info.get_default(call_default_factory=True)
    if kind is str:
        return _text(session, spec, value or "", optional)
    if get_origin(kind) is Literal:
        widget = choice_input(_labels(get_args(kind)), value or "", blank=spec.blank)
        return Input(
            widget,
            lambda: (widget.value or None) if optional else widget.value,
            lambda new: _pick(widget, new or ""),
        )
    if kind is bool:
        widget = W.Checkbox(value=bool(value), indent=False)
    elif kind is dt.date:
        widget = W.DatePicker(value=value)
    elif kind is dt.time:
        widget = W.TimePicker(value=value)
    else:
        low, high = _bounds([*info.metadata, *get_args(kind)[1:]])
        if low is None or high is None:
            raise TypeError(f"no input for {spec.path}: {info.annotation}")
        if optional:
            slider = optional_slider(value, low, high)
            return Input(
                slider,
                lambda: read_optional(slider.value),
                lambda new: setattr(slider, "value", NOT_YET if new is None else new),
            )
        widget = W.IntSlider(value=value, min=low, max=high, continuous_update=False)
    if kind is bool:
        return Input(widget, lambda: widget.value, lambda new: setattr(widget, "value", bool(new)))
    return Input(widget, lambda: widget.value, lambda new: setattr(widget, "value", new))


def bound_input(
    session: Session,
    spec: Ask,
    info: FieldInfo,
    value: Any,
    apply: Apply,
    value_in: Callable[[Record], Any] | None = None,
) -> W.Widget:
    """The input for a field, holding ``value``; every edit is stored with ``apply``.

    With ``value_in`` (the field's value in a record), the input shows what another window
    saved in the field, unless the user is typing in it (see :class:`_Bound`).
    """
    made = make_input(session, spec, info, value)
    _Bound(session, made, apply, value_in)
    return made.widget


TYPING_PAUSE = 3.0
"""Seconds after the user's last change to an input during which they are still typing in it."""

_clock = time.monotonic


class _Bound:
    """One field's input, saved on every edit, showing another window's value for the field.

    What the user is typing stays: an edit this window could not save yet (the next save
    merges it), or one made less than :data:`TYPING_PAUSE` seconds ago (the browser may hold
    more keystrokes; replacing the box would lose them). Such an input shows the other
    window's value after the pause, if the user has not changed it again by then (their later
    edit then wins, as the merge has it).
    """

    def __init__(
        self,
        session: Session,
        made: Input,
        apply: Apply,
        value_in: Callable[[Record], Any] | None,
    ) -> None:
        self.session, self.made, self.apply = session, made, apply
        self.saved = made.read()
        """The field's value as this input last saved or showed it."""
        self.edited_at = -math.inf
        on_edit(made.widget, self.edited)
        if value_in is not None:
            self.value_in = value_in
            session.on_change(self.changed)

    def edited(self, _new: Any) -> None:
        self.edited_at = _clock()
        before, self.saved = self.saved, self.made.read()
        mine = self.saved
        if not self.session.change(lambda record: self.apply(record, mine)):
            self.saved = before  # refused: what was typed is still to be saved

    def changed(self, current: Session) -> None:
        if current.updated_elsewhere:
            self.reread()

    def reread(self) -> None:
        if self.made.read() != self.saved:
            return
        now = self.value_in(self.session.record)
        if now == self.saved:
            return
        typed = _clock() - self.edited_at
        if typed < TYPING_PAUSE:
            _later(TYPING_PAUSE - typed, self.reread)
            return
        with quietly(self.made.widget):
            self.made.show(now)
        self.saved = self.made.read()


def _later(delay: float, then: Callable[[], None]) -> None:
    """Call ``then`` after ``delay`` seconds on the running event loop (a kernel's), if any."""
    try:
        asyncio.get_running_loop().call_later(delay, then)
    except RuntimeError:
        return  # no loop (a script): the next answer from elsewhere brings it


def item_input(
    session: Session,
    spec: Ask,
    model: type[BaseModel],
    item: BaseModel,
    apply: Apply,
    item_in: Callable[[Record], BaseModel] | None = None,
) -> W.Widget:
    """A field of one list item (a letter plan) by its name, stored with ``apply``; with
    ``item_in`` (where the item is in a record) it shows what another window saved there."""
    value = getattr(item, spec.path)
    value_in = None if item_in is None else lambda record: getattr(item_in(record), spec.path)
    return bound_input(session, spec, model.model_fields[spec.path], value, apply, value_in)
