"""Reading many records fast, for views over a whole folder (the caseload).

:func:`afterview.record.store.load` parses with a round-trip YAML parser that keeps comments
and line numbers, for editing; that costs milliseconds a file. Here records are parsed with
libyaml (YAML 1.2 scalars: ``no`` and ``on`` stay text, ``10:00`` is not a number) and
validated by the same schema. Any file this cannot read is read again by ``store.load``, so a
problem is reported exactly as everywhere else.

:func:`load_folder` also keeps what it read in ``.afterview-cache.json`` in the folder (owner
only, like the records), keyed by each file's size and modification time, so the next look at
a folder of a thousand records parses only the files that changed.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from afterview.record import store
from afterview.record.errors import RecordError
from afterview.record.schema import SCHEMA_VERSION, Record

__all__ = ["CACHE_FILE", "load", "load_folder", "parse"]

CACHE_FILE = ".afterview-cache.json"
_COACH_FIELDS: dict[str, Any] = {"coach_notes": True, "perspective": {"coach_rating"}}
"""Never cached: the caseload does not need them, and a cache is one more file to worry about."""

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


def _stamp(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_mtime_ns, info.st_size]


def _read_cache(path: Path) -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("schema_version") == SCHEMA_VERSION:
            records = data.get("records")
            return records if isinstance(records, dict) else {}
    return {}


def _cached(entry: Any, stamp: list[int]) -> Record | None:
    if not isinstance(entry, dict) or entry.get("stamp") != stamp:
        return None
    try:
        return Record.model_validate(entry.get("record"))
    except ValidationError:
        return None


def load_folder(folder: Path, paths: Sequence[Path]) -> list[tuple[Path, Record | RecordError]]:
    """Each of ``paths`` (records in ``folder``) with its record or its error, using the cache."""
    cache_path = folder / CACHE_FILE
    old = _read_cache(cache_path)
    new: dict[str, Any] = {}
    results: list[tuple[Path, Record | RecordError]] = []
    changed = False
    for path in paths:
        stamp = _stamp(path)
        record = _cached(old.get(path.name), stamp)
        if record is not None:
            new[path.name] = old[path.name]
            results.append((path, record))
            continue
        changed = True
        try:
            record = load(path)
        except RecordError as error:
            results.append((path, error))
            continue
        data = record.model_dump(mode="json", by_alias=True, exclude=_COACH_FIELDS)
        new[path.name] = {"stamp": stamp, "record": data}
        results.append((path, record))
    if changed or set(new) != set(old):
        with contextlib.suppress(OSError):  # a folder we may not write to is read all the same
            text = json.dumps({"schema_version": SCHEMA_VERSION, "records": new})
            with store.atomic_write(cache_path) as handle:
                handle.write(text)
    return results
