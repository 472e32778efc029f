"""Three-way merge of two windows' versions of one record.

Two windows (a coach in JupyterLab, the client in the app) may edit one record at once. Each
remembers the version it started from (``base``). When one saves, its version (``mine``) is
merged with the file's (``theirs``) field by field, down to list items: what only one side
changed is taken from that side; where both changed the same field, both are kept — two texts
joined under a marked line, or, for a value that cannot hold two (a number, a date, a choice),
this window's value, reported as a :class:`Conflict`.

The data are plain (``store.dump(record, defaults=True)``): dicts, lists and scalars.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from merge3 import Merge3

__all__ = ["Conflict", "Merged", "merge"]


@dataclass(frozen=True)
class Conflict:
    """Both windows changed ``where`` (a dotted field path) to different values."""

    where: str
    mine: Any
    theirs: Any
    joined: bool
    """True if both texts were kept in the field; False if this window's value was kept."""


@dataclass
class Merged:
    data: Any
    conflicts: list[Conflict] = field(default_factory=list)


def merge(base: Any, mine: Any, theirs: Any, *, marker: str | None) -> Merged:
    """``mine`` and ``theirs`` merged against ``base``.

    Texts both sides changed become ``mine``, a line ``marker`` and ``theirs``; with ``marker``
    None (when the joined text would not be valid) this window's text is kept instead.
    """
    merger = _Merger(marker)
    return Merged(merger.value(base, mine, theirs, ""), merger.conflicts)


class _Merger:
    def __init__(self, marker: str | None) -> None:
        self.marker = marker
        self.conflicts: list[Conflict] = []

    def value(self, base: Any, mine: Any, theirs: Any, where: str) -> Any:
        if _same(mine, theirs) or _same(theirs, base):
            return mine
        if _same(mine, base):
            return theirs
        if isinstance(mine, dict) and isinstance(theirs, dict):
            return self.mapping(base if isinstance(base, dict) else {}, mine, theirs, where)
        if isinstance(mine, list) and isinstance(theirs, list):
            return self.sequence(base if isinstance(base, list) else [], mine, theirs, where)
        return self.clash(mine, theirs, where)

    def clash(self, mine: Any, theirs: Any, where: str) -> Any:
        joined = self.marker is not None and isinstance(mine, str) and isinstance(theirs, str)
        self.conflicts.append(Conflict(where, mine, theirs, joined))
        return f"{mine}\n{self.marker}\n{theirs}" if joined else mine

    def mapping(
        self, base: dict[Any, Any], mine: dict[Any, Any], theirs: dict[Any, Any], where: str
    ) -> Any:
        merged = {}
        for key in [*mine, *(key for key in theirs if key not in mine)]:
            old, ours, other = base.get(key), mine.get(key), theirs.get(key)
            if (key not in mine and _same(old, other)) or (key not in theirs and _same(old, ours)):
                continue  # removed on one side, left alone on the other
            merged[key] = self.value(old, ours, other, _join(where, key))
        return merged

    def sequence(
        self, base: list[Any], mine: list[Any], theirs: list[Any], where: str
    ) -> list[Any]:
        if len(base) == len(mine) == len(theirs):
            return self.items(base, mine, theirs, where, 0)
        merged: list[Any] = []
        regions = Merge3(_keys(base), _keys(mine), _keys(theirs)).merge_regions()
        for region in regions:
            kind = region[0]
            if kind == "unchanged":
                merged.extend(base[region[1] : region[2]])
            elif kind in ("a", "same"):
                merged.extend(mine[region[1] : region[2]])
            elif kind == "b":
                merged.extend(theirs[region[1] : region[2]])
            else:
                _, z0, z1, a0, a1, b0, b1 = region  # type: ignore[misc]
                merged.extend(
                    self.region(base[z0:z1], mine[a0:a1], theirs[b0:b1], where, len(merged))
                )
        return merged

    def items(
        self, base: list[Any], mine: list[Any], theirs: list[Any], where: str, at: int
    ) -> list[Any]:
        return [
            self.value(old, ours, other, _join(where, at + n))
            for n, (old, ours, other) in enumerate(zip(base, mine, theirs, strict=True))
        ]

    def region(
        self, base: list[Any], mine: list[Any], theirs: list[Any], where: str, at: int
    ) -> list[Any]:
        """A stretch of a list both windows changed: keep every edit and every new item."""
        if len(base) == len(mine) == len(theirs):
            return self.items(base, mine, theirs, where, at)
        if len(mine) == len(base):
            return self.overlay(base, mine, theirs, where, at, mine_in_place=True)
        if len(theirs) == len(base):
            return self.overlay(base, theirs, mine, where, at, mine_in_place=False)
        keys = {*_keys(base), *_keys(mine)}
        return mine + [
            item for item, key in zip(theirs, _keys(theirs), strict=True) if key not in keys
        ]

    def overlay(
        self,
        base: list[Any],
        in_place: list[Any],
        moved: list[Any],
        where: str,
        at: int,
        *,
        mine_in_place: bool,
    ) -> list[Any]:
        """One side edited items where they stand, the other added or removed some."""
        merged: list[Any] = []
        matcher = SequenceMatcher(None, _keys(base), _keys(moved), autojunk=False)
        for tag, i0, i1, j0, j1 in matcher.get_opcodes():
            edited = [
                item
                for item, old in zip(in_place[i0:i1], base[i0:i1], strict=True)
                if not _same(item, old)
            ]
            if tag == "equal":
                merged.extend(in_place[i0:i1])
            elif tag == "insert":
                merged.extend(moved[j0:j1])
            elif tag == "delete":
                merged.extend(edited)  # removed on one side, edited on the other: keep the edit
            elif i1 - i0 == j1 - j0:
                pairs = zip(base[i0:i1], in_place[i0:i1], moved[j0:j1], strict=True)
                for old, here, there in pairs:
                    ours, other = (here, there) if mine_in_place else (there, here)
                    merged.append(self.value(old, ours, other, _join(where, at + len(merged))))
            else:
                merged.extend([*edited, *moved[j0:j1]])
        return merged


def _same(left: Any, right: Any) -> bool:
    return _key(left) == _key(right)


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def _keys(items: list[Any]) -> list[str]:
    return [_key(item) for item in items]


def _join(where: str, key: object) -> str:
    return f"{where}.{key}" if where else str(key)
