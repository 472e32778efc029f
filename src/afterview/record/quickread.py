"""Reading many records fast, for views over a whole folder (the caseload).

:func:`afterview.record.store.load` parses with a round-trip YAML parser that keeps comments
and line numbers, for editing; that costs milliseconds a file. Here records are parsed with
libyaml (YAML 1.2 scalars: ``no`` and ``on`` stay text, ``10:00`` is not a number) and
validated by the same schema. Any file this cannot read is read again by ``store.load``, so a
problem is reported exactly as everywhere else.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from afterview.record import store
from afterview.record.errors import RecordError
from afterview.record.schema import Record

__all__ = ["load", "parse"]

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"


class _Loader(yaml.CSafeLoader):  # type: ignore[misc]
    """libyaml with YAML 1.2's narrower booleans and integers."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT)]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))


def parse(path: Path) -> Any:
    """A YAML file's content; ``None`` when libyaml cannot read it (the caller falls back)."""
    try:
        return yaml.load(path.read_bytes(), Loader=_Loader)  # a safe loader
    except (yaml.YAMLError, ValueError):
        return None


def load(path: Path) -> Record:
    """The record in ``path``; a problem raises the same RecordError as ``store.load``."""
    data = parse(path)
    if isinstance(data, dict):
        try:
            return store.validate(data, path=str(path))
        except RecordError:
            pass  # read again below, for the error (with its line number) store.load gives
    return store.load(path)
