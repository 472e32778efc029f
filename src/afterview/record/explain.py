"""A validation problem in plain words: what was expected, what was found, and where.

>>> from pydantic import TypeAdapter, ValidationError
>>> try:
...     TypeAdapter(int).validate_python("many")
... except ValidationError as error:
...     print(explain(error.errors()[0]))
expected a whole number, got 'many'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap, CommentedSeq

__all__ = ["explain", "field_path", "show_value"]

_EXPECTED = {
    "date": "a date like 2026-11-24",
    "time": "a time like 14:30",
    "datetime": "a date and time like 2026-11-24 14:30",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "text",
    "list": "a list (lines starting with '- ')",
    "dict": "a section of named fields",
    "model": "a section of named fields",
}


def explain(error: ErrorDetails) -> str:
    """One validation problem as what was expected and what was found, in plain words."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    got = ""
    if isinstance(value, (str, int, float, bool, dt.date, dt.time)) or value is None:
        got = f", got {show_value(value)}"
    if kind == "missing":
        return "is required but missing; add it"
    if kind == "extra_forbidden":
        return "is not a field Afterview knows; check its spelling or remove it"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}{got}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"expected a number {_bound(kind, ctx)}{got}"
    if kind == "string_too_short":
        return "must not be empty; write something or remove the line"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "too_long":
        count = ctx.get("actual_length") or "too many"
        return f"has {count} entries; at most {ctx.get('max_length')} are allowed, remove some"
    if kind == "string_too_long":
        return (
            f"is {len(value) if isinstance(value, str) else 'too many'} characters long; at most "
            f"{ctx.get('max_length'):,} fit, shorten it"
        )
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    for prefix, expected in _EXPECTED.items():
        if kind.startswith(prefix):
            return f"expected {expected}{got}"
    return f"{error['msg'][:1].lower()}{error['msg'][1:]}{got}"


def _bound(kind: str, ctx: dict[str, Any]) -> str:
    words = {
        "greater_than_equal": "of at least",
        "less_than_equal": "of at most",
        "greater_than": "above",
        "less_than": "below",
    }
    limit = next(iter(ctx.values()), "")
    return f"{words[kind]} {limit}"


def show_value(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return str(value)


def field_path(error: ErrorDetails, data: Any) -> str:
    """The dotted field path, with the line number where the source document knows it."""
    loc = [part for part in error["loc"] if not (isinstance(part, str) and "[" in part)]
    dotted = ".".join(str(part) for part in loc)
    line = _line_of(data, loc)
    return f"{dotted} (line {line})" if dotted and line else dotted


def _line_of(node: Any, loc: list[int | str]) -> int | None:
    line = None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line
