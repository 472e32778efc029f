"""Form fields declared by their record path: the schema picks the input, the content its words.

A step form is the ordered list of what it asks::

    ask("interview.company")                      # str: a text box
    ask("perspective.situation", long=True)       # several lines
    ask("interview.self_rating")                  # Rating | None: a 1-10 slider with "not yet"
    rows("questions", ["text"], ["asked_by", "went"], ["note"], noun="question")
    strings("requirements", noun="requirement")   # list[str]: one text box per line
    ticks("perspective.thinking_traps", "thinking_traps")   # list[str] ticked from the content

The input follows the field's type (:mod:`.inputs`); its label and hint are the step's prompt
for the path, relative to the step's record section (``situation`` for
``perspective.situation``; ``emotions.name`` for the ``name`` of a row of
``perspective.emotions``). ``list[Model]`` is a list of rows, ``list[str]`` a list of lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

import ipywidgets as W
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from afterview.coaching.content import Choice, Prompt, Step, content
from afterview.record.schema import Record
from afterview.workbook import widgets
from afterview.workbook.inputs import Ask, Input, bound_input, make_input
from afterview.workbook.lists import Row, RowList, string_list, tick_list
from afterview.workbook.session import Session
from afterview.workbook.widgets import Apply, field_row, labelled, preview, step_prompts

__all__ = [
    "Ask",
    "Built",
    "Item",
    "Rows",
    "Strings",
    "Ticks",
    "ask",
    "assign",
    "build",
    "rows",
    "step_form",
    "strings",
    "ticks",
]


@dataclass(frozen=True)
class Rows:
    """A ``list[Model]`` shown as rows; ``lines`` lay out each row's fields."""

    path: str
    lines: tuple[tuple[Ask, ...], ...]
    noun: str
    title: str = ""
    """The list's heading, when the content has no prompt for the list itself."""
    hint: str = ""
    """The prompt key whose hint goes beside the heading (with ``title``)."""
    apply: Apply | None = None
    """How a changed list is stored, when more than assigning it (renaming interviewers)."""
    strict: bool = False
    """A row with anything typed is saved (and may be refused) rather than waiting."""
    note: Callable[[dict[str, W.Widget]], W.Widget] | None = None
    """A line under each row, made from its inputs by field name (a suggestion to accept)."""
    new: Callable[[Record], BaseModel] | None = None
    """The row "Add" starts from, when a blank row could not be saved (a required date)."""


@dataclass(frozen=True)
class Strings:
    """A ``list[str]`` shown as one text box per line."""

    path: str
    noun: str


@dataclass(frozen=True)
class Ticks:
    """A ``list[str]`` ticked from a content list; ``own`` also lets the user add lines."""

    path: str
    options: str
    own: tuple[str, str, str] | None = None
    """The user's own lines: (heading, hint, noun); without it, unknown values are kept."""


Built = dict[str, RowList[Any]]
"""The lists a form built so far, by path (for buttons that add rows)."""
Extra = Callable[[Session, Built], W.Widget]
"""Anything else a form shows between its fields (a guide, a button)."""
Item = Ask | Rows | Strings | Ticks | Extra


def ask(path: str, **options: Any) -> Ask:
    return Ask(path, **options)


def rows(path: str, *lines: Sequence[str | Ask], noun: str, **options: Any) -> Rows:
    as_asks = tuple(tuple(a if isinstance(a, Ask) else Ask(a) for a in line) for line in lines)
    return Rows(path, as_asks, noun, **options)


def strings(path: str, *, noun: str) -> Strings:
    return Strings(path, noun)


def ticks(path: str, options: str, *, own: tuple[str, str, str] | None = None) -> Ticks:
    return Ticks(path, options, own)


# --- the record's paths ---------------------------------------------------------------------


def _info(model: type[BaseModel], path: str) -> FieldInfo:
    """The schema's field at ``path`` (``interview.date``) below ``model``."""
    *parents, name = path.split(".")
    for part in parents:
        model = model.model_fields[part].annotation  # type: ignore[assignment]
    return model.model_fields[name]


def _get(target: Any, path: str) -> Any:
    for part in path.split(".") if path else ():
        target = getattr(target, part)
    return target


def assign(path: str) -> Apply:
    """An ``apply`` that stores a value at ``path`` in the record."""
    parent, _, name = path.rpartition(".")

    def apply(record: Record, value: Any) -> None:
        setattr(_get(record, parent), name, value)

    return apply


def _item_model(info: FieldInfo) -> type[BaseModel]:
    (item,) = get_args(info.annotation)
    if not (isinstance(item, type) and issubclass(item, BaseModel)):
        raise TypeError(f"not a list of rows: {info.annotation}")
    return item


# --- a form's body --------------------------------------------------------------------------


@dataclass
class _Form:
    session: Session
    step: Step
    section: str
    coach: bool
    built: Built = field(default_factory=dict)

    def prompt(self, path: str, spec: Ask | None = None) -> Prompt:
        """The prompt for ``path`` (below the section), or the one ``spec`` names."""
        if spec is not None and spec.prompt:
            return self.step.prompts[spec.prompt]
        key = path.removeprefix(f"{self.section}.") if self.section else path
        return self.step.prompts[key]

    def widget(self, item: Item) -> W.Widget | None:
        if isinstance(item, Ask):
            return self.field(item)
        if isinstance(item, Rows):
            return self.rows(item)
        if isinstance(item, Strings):
            return self.strings(item)
        if isinstance(item, Ticks):
            return self.ticks(item)
        return item(self.session, self.built)

    def field(self, spec: Ask) -> W.Widget | None:
        if spec.coach and not self.coach:
            return None
        value = _get(self.session.record, spec.path)
        info, path = _info(Record, spec.path), spec.path
        widget = bound_input(
            self.session, spec, info, value, assign(path), lambda record: _get(record, path)
        )
        prompt = self.prompt(spec.path, spec)
        return field_row(widget, prompt.label, prompt.hint, stacked=spec.stacked)

    def rows(self, spec: Rows) -> W.Widget:
        model = _item_model(_info(Record, spec.path))
        lines, session = spec.lines, self.session

        def make_row(item: BaseModel | None) -> Row[Any]:
            made: dict[str, Input] = {}
            for a in (a for line in lines for a in line):
                value = getattr(item, a.path) if item is not None else None
                made[a.path] = make_input(session, a, model.model_fields[a.path], value)
                prompt = self.prompt(f"{spec.path}.{a.path}", a)
                labelled(made[a.path].widget, prompt.label, prompt.hint)
            layout = _row_layout([[made[a.path] for a in line] for line in lines])
            if spec.note is not None:
                shown = layout or W.HBox([m.widget for m in made.values()])
                note = spec.note({name: m.widget for name, m in made.items()})
                layout = W.VBox([shown, note], layout=W.Layout(width="100%"))
            return Row(
                [m.widget for m in made.values()],
                lambda: _read_row(model, made, item, strict=spec.strict),
                layout,
            )

        if spec.title:
            label, hint = spec.title, self.prompt(f"{spec.path}.{spec.hint}").hint
        else:
            label, hint = self.prompt(spec.path).label, self.prompt(spec.path).hint
        made = RowList(
            session,
            _get(session.record, spec.path),
            make_row,
            spec.apply or assign(spec.path),
            label=label,
            hint=hint,
            noun=spec.noun,
            new=None if (new := spec.new) is None else lambda: new(session.record),
            value_in=lambda record: _get(record, spec.path),
        )
        self.built[spec.path] = made
        return made.widget

    def strings(self, spec: Strings) -> W.Widget:
        prompt = self.prompt(spec.path)
        made = string_list(
            self.session,
            _get(self.session.record, spec.path),
            assign(spec.path),
            label=prompt.label,
            hint=prompt.hint,
            noun=spec.noun,
            value_in=lambda record: _get(record, spec.path),
        )
        self.built[spec.path] = made
        return made.widget

    def ticks(self, spec: Ticks) -> W.Widget:
        prompt = self.prompt(spec.path)
        options = [
            (c.label, c.key, c.hint) if isinstance(c, Choice) else (c, c, "")
            for c in getattr(content(), spec.options)
        ]
        return tick_list(
            self.session,
            _get(self.session.record, spec.path),
            options,
            assign(spec.path),
            label=prompt.label,
            hint=prompt.hint,
            own=spec.own,
            value_in=lambda record: _get(record, spec.path),
        )


def _read_row(
    model: type[BaseModel], made: dict[str, Input], item: BaseModel | None, *, strict: bool
) -> Any:
    """The row as a record item, or None while it is not filled in enough to keep; the fields
    of ``item`` (the row's item when it was made) that the row does not show stay as they were.

    A row waits until every required text is written (or, with no required text, any text,
    or a required date that is set); a ``strict`` row is saved as soon as anything is typed,
    and refused while incomplete.
    """
    values = {name: m.read() for name, m in made.items()}
    needed = {name: model.model_fields[name].is_required() for name in made}
    typed = [name for name, m in made.items() if m.text and (values[name] or "").strip()]
    typed += [n for n, m in made.items() if not m.text and needed[n] and values[n] is not None]
    required = [name for name, m in made.items() if m.text and needed[name]]
    if not typed or (not strict and any(name not in typed for name in required)):
        return None
    kept = item.model_dump() if item is not None else {}
    return model.model_validate({**kept, **values})


def _row_layout(lines: list[list[Input]]) -> W.Widget | None:
    """One line of inputs side by side; several lines stacked, a lone input full width."""
    for line in lines:
        for made in line:
            if made.text:
                made.widget.layout.flex = "1 1 auto"
            if len(line) == 1:
                made.widget.layout.width = "100%"
    if len(lines) == 1:
        return None
    shown = [
        line[0].widget if len(line) == 1 else W.HBox([m.widget for m in line]).add_class("av-line")
        for line in lines
    ]
    return W.VBox(shown, layout=W.Layout(width="100%"))


def build(
    session: Session, step: Step, items: Sequence[Item], *, section: str = "", coach: bool = False
) -> list[W.Widget]:
    """The widgets of a step's form, in the order declared; prompts are keyed below ``section``."""
    form = _Form(session, step, section, coach)
    return [shown for item in items if (shown := form.widget(item)) is not None]


def step_form(
    session: Session,
    key: str,
    items: Sequence[Item],
    results: Callable[[Record], str],
    *,
    section: str | None = None,
    coach: bool = False,
    changes: Callable[[Record], object] | None = None,
) -> W.VBox:
    """A step's whole form: its title and intro, ``items``, the saved state and the ``results``
    (redrawn when ``changes(record)`` does). Prompts are keyed below ``section``, by default
    the record's section named like the step (none for the intake)."""
    step = step_prompts(key)
    if section is None:
        section = key if key in Record.model_fields else ""
    body = build(session, step, items, section=section, coach=coach)
    return widgets.step_form(step, session, body, preview(session, results, changes))
