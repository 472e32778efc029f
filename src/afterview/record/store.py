"""Reading and writing client records as YAML files.

Loading turns every problem into a :class:`~.errors.RecordError` that names the file,
the field and what was expected. Saving is atomic (a temporary file renamed over the old one),
happens under a lock file (``.NAME.yaml.lock``) so two windows never write at once, and merges
into the file as it is on disk, so a coach's comments and key order survive.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import errno
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from afterview.record.disk import (
    atomic_write,
    locked,
    read_only,
    remove_stale_temp_files,
    set_aside,
)
from afterview.record.errors import RecordError
from afterview.record.explain import explain, field_path
from afterview.record.rules import MAX_FILE_BYTES, MAX_NESTING
from afterview.record.schema import SCHEMA_VERSION, Record, upgrade

__all__ = [
    "atomic_write",
    "dump",
    "explain",
    "load",
    "load_document",
    "load_many",
    "locked",
    "save",
    "set_aside",
    "validate",
    "write_document",
]

MAX_NODES = 50_000
"""Values in one record document, aliases counted each time they are used (an alias bomb)."""


class _Constructor(RoundTripConstructor):
    """Keeps a scalar that looks like a date or a number but is not one (``2026-02-30``, a
    5,000-digit number) as its text, so validation names its field and line."""

    def _as_text(self, node: ScalarNode, build: Any) -> Any:
        try:
            return build(self, node)
        except (ValueError, OverflowError):
            return str(node.value)

    def _timestamp(self, node: ScalarNode) -> Any:
        return self._as_text(node, RoundTripConstructor.construct_yaml_timestamp)

    def _int(self, node: ScalarNode) -> Any:
        return self._as_text(node, RoundTripConstructor.construct_yaml_int)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor._timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor._int)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, key order and quoting
    yaml.Constructor = _Constructor
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a coach's long lines (wrapping leaves trailing spaces)
    yaml.preserve_quotes = True
    # Every field is written on its own: an anchor shared by two fields would tie them together.
    yaml.representer.ignore_aliases = lambda data: True
    return yaml


# --- loading --------------------------------------------------------------------------------


def _read_document(path: Path) -> Any:
    shown = str(path)
    if not path.exists():
        raise RecordError(
            "no such file; check the path or create one with `afterview new`", path=shown
        )
    if path.is_dir():
        raise RecordError("is a folder, not a record; give the path of a .yaml file", path=shown)
    _check_size(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError("is not UTF-8 text; save it as UTF-8 and try again", path=shown) from None
    except OSError as error:
        raise RecordError(
            f"cannot be read ({error.strerror}); check its permissions", path=shown
        ) from None
    if not text.strip():
        raise RecordError(
            "the file is empty; fill it in or start again with `afterview new`", path=shown
        )
    if _nesting(text) > MAX_NESTING:
        raise RecordError(
            f"opens more than {MAX_NESTING} brackets ([ or {{) inside each other; a record "
            "needs two at most, so check the file",
            path=shown,
        )
    try:
        document = _yaml().load(text)
    except RecursionError:
        raise RecordError(
            "the YAML is nested too deeply to be a record; check the file", path=shown
        ) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = " ".join((error.problem or "unreadable YAML").split())
        raise RecordError(
            f"{line}the YAML is malformed ({problem}); check the indentation and put quotes "
            "around text that contains a colon",
            path=shown,
        ) from None
    except YAMLError as error:
        problem = " ".join(str(error).split())
        raise RecordError(
            f"the YAML is malformed ({problem}); check the file", path=shown
        ) from None
    if _too_many_values(document):
        raise RecordError(
            f"holds more than {MAX_NODES:,} values (are aliases like *name repeating a big "
            "section?); a record is much smaller, so check the file",
            path=shown,
        )
    return document


def _check_size(path: Path) -> None:
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RecordError(
                f"is {size // 1000:,} kB; a record is at most {MAX_FILE_BYTES // 1000} kB "
                "(a full one is a few kB), so shorten the answers",
                path=str(path),
            )


def _nesting(text: str) -> int:
    """How deep brackets nest in the text (the YAML parser slows down quadratically with it)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest


def _too_many_values(document: Any) -> bool:
    """True if walking the document (aliases followed) meets more than MAX_NODES values."""
    pending, seen = [document], 0
    while pending:
        node = pending.pop()
        seen += 1
        if seen > MAX_NODES:
            return True
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False


def validate(data: Any, *, path: str | None = None) -> Record:
    """Validate raw record data (already parsed), upgrading older schema versions."""
    if not isinstance(data, dict):
        got = "nothing" if data is None else "a list" if isinstance(data, list) else "one value"
        raise RecordError(
            f"expected a record with fields like candidate: and interview:, got {got}", path=path
        )
    version = data.get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise RecordError(
            f"expected a whole number like {SCHEMA_VERSION}, got {version!r}",
            path=path,
            field="schema_version",
        )
    if version > SCHEMA_VERSION:
        raise RecordError(
            f"this record is version {version} but this Afterview reads up to version "
            f"{SCHEMA_VERSION}; upgrade Afterview (pip install -U afterview)",
            path=path,
            field="schema_version",
        )
    try:
        return Record.model_validate(upgrade(dict(data)))
    except RecursionError:
        raise RecordError(
            "is nested too deeply to be a record; check the file", path=path
        ) from None
    except ValidationError as error:
        first = error.errors()[0]
        raise RecordError(explain(first), path=path, field=field_path(first, data)) from None


def load(path: str | os.PathLike[str]) -> Record:
    """Read and validate one record file."""
    path = Path(path)
    return validate(_read_document(path), path=str(path))


def load_document(path: str | os.PathLike[str]) -> Any:
    """Any YAML file's parsed content, with the same one-line errors as :func:`load`."""
    return _read_document(Path(path))


def load_many(paths: list[Path]) -> Iterator[tuple[Path, Record | RecordError]]:
    """Each path with its record, or with the error that stopped it loading."""
    for path in paths:
        try:
            yield path, load(path)
        except RecordError as error:
            yield path, error


# --- saving ---------------------------------------------------------------------------------


def dump(record: Record, *, defaults: bool = False) -> dict[str, Any]:
    """The record as plain YAML-ready data, ``schema_version`` always in; defaults left out
    unless asked for."""
    data = record.model_dump(mode="python", by_alias=True, exclude_defaults=not defaults)
    return {"schema_version": record.schema_version, **_plain(data)}


_NOT_IN_A_BLOCK = re.compile(
    "[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)
"""Characters a YAML literal block cannot hold as they are (controls, other line breaks)."""


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.time):  # quoted: YAML 1.1 tools read a bare 16:00 as 960
        return SingleQuotedScalarString(value.strftime("%H:%M"))
    if isinstance(value, str) and _NOT_IN_A_BLOCK.search(value):
        return DoubleQuotedScalarString(value)  # escaped: a plain NEL or LS would read as a space
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)  # a readable block
    return value


def _merge(old: Any, new: Any, full: Any) -> Any:
    """Write ``new`` into ``old`` in place where both are containers, keeping comments.

    ``new`` leaves defaults out; ``full`` has them, so a value the coach wrote out by hand that
    equals the default (``went: mixed``) is kept rather than dropped.
    """
    if isinstance(old, dict) and isinstance(new, dict) and isinstance(full, dict):
        for key in [key for key in old if key not in new]:
            if key not in full or old[key] != full[key]:
                del old[key]
        for key, value in new.items():
            old[key] = _merge(old[key], value, full.get(key)) if key in old else value
        return old
    if isinstance(old, list) and isinstance(new, list) and isinstance(full, list):
        for index, value in enumerate(new[: len(old)]):
            old[index] = _merge(old[index], value, full[index])
        del old[len(new) :]
        old.extend(new[len(old) :])
        return old
    return old if old == new and type(old) is type(new) else new


def save(record: Record, path: str | os.PathLike[str]) -> Path:
    """Write the record atomically, merged into the file's current text to keep comments.

    If the file on disk cannot be parsed (hand-edited mid-session), it is copied aside to
    ``NAME.yaml.broken-YYYYmmdd-HHMMSS`` first, so nothing the user wrote is lost. A file made
    read-only is refused with a PermissionError, never replaced; a record that would be too big
    to load again is refused with a RecordError.
    """
    path = Path(path)
    with locked(path):
        if read_only(path):
            raise PermissionError(errno.EACCES, "read-only", str(path))
        remove_stale_temp_files(path)
        document = _unaliased(_document_to_update(path))
        document = _merge(document, dump(record), dump(record, defaults=True))
        text = io.StringIO()
        _yaml().dump(document, text)
        if len(text.getvalue().encode("utf-8")) > MAX_FILE_BYTES:
            raise RecordError(
                f"would grow past {MAX_FILE_BYTES // 1000} kB, more than a record can hold; "
                "shorten the longest answers",
                path=str(path),
            )
        with atomic_write(path) as handle:
            handle.write(text.getvalue())
    return path


def write_document(path: Path, data: Any) -> Path:
    """Write plain data as YAML, atomically (for files beside a record, such as the coach's)."""
    with atomic_write(path) as handle:
        _yaml().dump(_plain(data), handle)
    return path


def _document_to_update(path: Path) -> Any:
    """The file's YAML as it is on disk, or an empty one (a broken file is copied aside)."""
    if not path.is_file():
        return CommentedMap()
    try:
        _check_size(path)
        document = _yaml().load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError, RecordError, RecursionError):
        set_aside(path)
        return CommentedMap()
    if not isinstance(document, CommentedMap) or _too_many_values(document):
        return CommentedMap()
    return document


def _unaliased(node: Any, seen: set[int] | None = None) -> Any:
    """The document with every section that appears twice (``*alias``) made a copy of its own,
    so writing one field never writes into another."""
    seen = set() if seen is None else seen
    if not isinstance(node, (dict, list)):
        return node
    if id(node) in seen:
        node = copy.deepcopy(node)
    seen.add(id(node))
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        node[key] = _unaliased(value, seen)
    return node
