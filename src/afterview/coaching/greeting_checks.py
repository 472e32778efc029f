"""Does a thank-you letter greet its interviewer, by name, and only them?

A letter started from another one often keeps the other person's name; a panel sometimes gets
one note to everybody ("Dear all", a CC line); a generic "Dear Sir or Madam" could be to anyone.
Part of the checks of one letter in :mod:`afterview.coaching.letter_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from afterview.coaching.content import content
from afterview.coaching.findings import Finding
from afterview.coaching.letters import Letter
from afterview.coaching.plans import TITLES, greeting_name, normal
from afterview.record.schema import Record

__all__ = ["check_greeting"]


def check_greeting(record: Record, letter: Letter) -> list[Finding]:
    """What is wrong with the letter's first line, if anything (one finding at most)."""
    name = letter.interviewer.name
    called = f"{name} {letter.interviewer.call_them}"  # "Bob" greets Robert Smith by name too
    dear = greeting_name(letter.interviewer, record.letters.formality)
    lines = [line.strip() for line in normal(letter.body).splitlines() if line.strip()]
    first = lines[0] if lines else ""
    salutation = first.casefold().rstrip(",:!. ")
    group = _to_a_group(salutation, lines)
    others = _others_greeted(record, name, first)
    if others and not group and not _names_in(called, first):
        return [_wrong_name(name, others, dear)]
    if group or others:
        return [_several_recipients(name, others)]
    generic = content().letter_checks.generic_greetings
    if salutation in generic or salutation.startswith(tuple(generic)):
        return [
            Finding(
                "warning",
                "generic-greeting",
                name,
                f"The letter to {name} opens with “{first}”, which could be to anyone.",
                f"Greet them by name, for example “Dear {dear},”.",
            )
        ]
    if not _names_in(called, first):
        return [
            Finding(
                "warning",
                "greeting-without-name",
                name,
                f"The first line of the letter to {name} does not greet them by name.",
                f"Start with “Dear {dear},”.",
            )
        ]
    return []


def _to_a_group(salutation: str, lines: list[str]) -> bool:
    """ "Dear all", "Hi everyone", or a CC line: one note meant for several people."""
    return salutation in content().letter_checks.group_greetings or any(
        line.casefold().startswith(("cc:", "cc ")) for line in lines
    )


def _others_greeted(record: Record, name: str, first: str) -> list[str]:
    """The other interviewers whose name is in the first line (parts shared with ``name``
    do not count: "Dear Ana" greets Ana Ruiz, not also Ana Costa)."""
    return [
        person.name
        for person in record.interviewers
        if person.name != name and _names_in(person.name, first, exclude=_name_parts(name))
    ]


def _wrong_name(name: str, others: list[str], dear: str) -> Finding:
    return Finding(
        "warning",
        "wrong-name",
        name,
        f"The letter to {name} greets {', '.join(others)} instead.",
        f"Start with “Dear {dear},”; it is an easy slip when one letter starts from another.",
    )


def _several_recipients(name: str, others: list[str]) -> Finding:
    return Finding(
        "warning",
        "several-recipients",
        name,
        f"The letter to {name} seems to be for several people"
        + (f" (it also greets {', '.join(others)})" if others else "")
        + ".",
        "Send each interviewer a separate note that greets only them; no CC, no “Dear all”.",
    )


def _name_parts(name: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", normal(name))} - TITLES


def _names_in(name: str, line: str, exclude: Iterable[str] = ()) -> bool:
    """Does ``line`` contain any part of ``name`` (titles and ``exclude`` left out)?"""
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", line)}
    return bool((_name_parts(name) - set(exclude)) & words)
