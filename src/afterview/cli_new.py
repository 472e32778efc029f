"""What ``afterview new`` asks for and how it reads what was typed.

Each answer is checked by the record's own schema as it is typed (a typo is asked again, not
found last); options given on the command line are checked before anything is asked. Part of
the command line: :mod:`afterview.cli` declares the command and calls :func:`record_data`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from afterview.record import store
from afterview.record.errors import RecordError
from afterview.record.rules import MAX_INTERVIEWERS
from afterview.record.schema import FORMATS, Candidate, Interview, Interviewer, Model

__all__ = ["NEW_FIELDS", "record_data"]


def record_data(path: Path, given: dict[str, Any], interviewers: tuple[str, ...]) -> dict[str, Any]:
    """The new record's data from the options ``given`` (checked first) and the
    ``--interviewer`` texts, asking for anything missing."""
    for option, field in NEW_FIELDS.items():
        if given[option] is not None:
            _check_field(field, given[option], path)
    people = [_interviewer(text) for text in interviewers]
    answers = {option: given[option] or _ask(option) for option in NEW_FIELDS}
    name = answers.pop("name")
    return {
        "candidate": {"name": name},
        "interview": {NEW_FIELDS[option][1]: value for option, value in answers.items()}
        | {"stage": given["stage"]},
        "interviewers": people or _ask_interviewers(),
    }


NEW_FIELDS: dict[str, tuple[type[Model], str, str]] = {
    "name": (Candidate, "name", "Your name"),
    "company": (Interview, "company", "Company"),
    "role": (Interview, "role", "Role"),
    "date_": (Interview, "date", "Interview date (like 2026-11-24)"),
    "time_": (Interview, "time", "Start time, 24 h (like 14:30)"),
    "timezone": (Interview, "timezone", "Time zone of the interview"),
    "format_": (Interview, "format", f"Format ({', '.join(FORMATS)})"),
    "rating": (Interview, "self_rating", "How did it go, 1-10 (10 = very well)"),
}
"""What ``afterview new`` asks for when no option gave it: option -> (section, field, prompt)."""


def _ask(option: str) -> Any:
    model, field, prompt = NEW_FIELDS[option]
    defaults = {"time_": "09:00", "timezone": _local_timezone(), "format_": "video"}
    return click.prompt(
        prompt, default=defaults.get(option), value_proc=lambda text: _check(model, field, text)
    )


def _check(model: type[Model], field: str, text: str) -> Any:
    """``text`` as the schema reads it into ``model.field``, or click's "try again"."""
    try:
        checked = model.__pydantic_validator__.validate_assignment(
            model.model_construct(), field, text
        )
    except ValidationError as error:
        raise click.BadParameter(store.explain(error.errors()[0])) from None
    return text if checked is None else getattr(checked, field)


def _check_field(field: tuple[type[Model], str, str], value: Any, path: Path) -> None:
    """An option's value checked before anything is asked, so a typo is not found last."""
    model, name, _ = field
    try:
        _check(model, name, value)
    except click.BadParameter as error:
        section = "candidate" if model is Candidate else "interview"
        raise RecordError(error.message, path=str(path), field=f"{section}.{name}") from None


def _local_timezone() -> str:
    """This computer's time zone name (TZ, or where /etc/localtime points), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(os.path.realpath("/etc/localtime").partition("zoneinfo/")[2])
    for name in filter(None, candidates):
        with contextlib.suppress(click.BadParameter):
            return str(_check(Interview, "timezone", name))
    return "UTC"


def _ask_interviewers() -> list[dict[str, str]]:
    """Interviewers one by one, until Enter on an empty name (at least one)."""
    people: list[dict[str, str]] = []
    while len(people) < MAX_INTERVIEWERS:
        more = " (Enter when done)" if people else ""
        name = click.prompt(
            f"Interviewer {len(people) + 1}, name{more}",
            default="" if people else None,
            show_default=False,
            value_proc=_optional("name"),
        )
        if not name:
            break
        person = {"name": name}
        for field, prompt in (("title", "  Job title"), ("email", "  E-mail (Enter to skip)")):
            value = click.prompt(
                prompt, default="", show_default=False, value_proc=_optional(field)
            )
            if value:
                person[field] = value
        people.append(person)
    return people


def _optional(field: str) -> Callable[[str], Any]:
    """Checks an interviewer's ``field`` as typed; empty stays empty."""

    def check(text: str) -> Any:
        return _check(Interviewer, field, text) or "" if text.strip() else ""

    return check


_NAME_EMAIL = re.compile(r"(?P<name>[^<>]*)<(?P<email>[^<>]*)>\s*(?:,\s*(?P<title>.*))?")


def _interviewer(text: str) -> dict[str, str]:
    """One ``--interviewer``: "Name <email>, Title", or "Name, Title[, email]" where only a
    last part with an @ is taken as the e-mail (so commas in a title stay in the title)."""
    match = _NAME_EMAIL.fullmatch(text.strip())
    if match:
        name, email, title = match["name"], match["email"], match["title"] or ""
    else:
        name, *rest = [part.strip() for part in text.split(",")]
        email = rest.pop() if rest and "@" in rest[-1] else ""
        title = ", ".join(rest)
    fields = {"name": name.strip(), "title": title.strip(), "email": email.strip()}
    return {key: value for key, value in fields.items() if value}
