"""Reading and writing client records as YAML files.

Loading turns every problem into a :class:`~.errors.RecordError` that names the file,
the field and what was expected. Saving is atomic (a temporary file renamed over the old one)
and merges into the file as it is on disk, so a coach's comments and key order survive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from afterview.record.errors import RecordError
from afterview.record.schema import SCHEMA_VERSION, Record, upgrade

__all__ = [
    "atomic_write",
    "dump",
    "explain",
    "load",
    "load_document",
    "load_many",
    "save",
    "validate",
    "write_document",
]


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, key order and quoting
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a coach's long lines (wrapping leaves trailing spaces)
    yaml.preserve_quotes = True
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
    try:
        return _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = error.problem or "unreadable YAML"
        raise RecordError(
            f"{line}the YAML is malformed ({problem}); check the indentation and put quotes "
            "around text that contains a colon",
            path=shown,
        ) from None
    except YAMLError as error:
        raise RecordError(f"the YAML is malformed ({error}); check the file", path=shown) from None


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
    except ValidationError as error:
        first = error.errors()[0]
        raise RecordError(explain(first), path=path, field=_field(first, data)) from None


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
        got = f", got {_show(value)}"
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


def _show(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return str(value)


def _field(error: ErrorDetails, data: Any) -> str:
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


# --- saving ---------------------------------------------------------------------------------


def dump(record: Record, *, defaults: bool = False) -> dict[str, Any]:
    """The record as plain YAML-ready data, ``schema_version`` always in; defaults left out
    unless asked for."""
    data = record.model_dump(mode="python", by_alias=True, exclude_defaults=not defaults)
    return {"schema_version": record.schema_version, **_plain(data)}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
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
    ``NAME.yaml.broken-YYYYmmdd-HHMMSS`` first, so nothing the user wrote is lost.
    """
    path = Path(path)
    document: Any = CommentedMap()
    if path.is_file():
        try:
            document = _yaml().load(path.read_text(encoding="utf-8")) or CommentedMap()
        except (YAMLError, UnicodeDecodeError):
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            shutil.copy2(path, path.with_name(f"{path.name}.broken-{stamp}"))
            document = CommentedMap()
        if not isinstance(document, CommentedMap):
            document = CommentedMap()
    document = _merge(document, dump(record), dump(record, defaults=True))
    with atomic_write(path) as handle:
        _yaml().dump(document, handle)
    return path


def write_document(path: Path, data: Any) -> Path:
    """Write plain data as YAML, atomically (for files beside a record, such as the coach's)."""
    with atomic_write(path) as handle:
        _yaml().dump(_plain(data), handle)
    return path


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[Any]:
    """Open a temporary file beside ``path``; rename it over ``path`` only if all went well."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o600)  # personal data: readable by its owner only
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
