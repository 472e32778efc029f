"""A finding of the letter checks: how serious, what we noticed and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["LEVELS", "Finding", "Level"]

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing to look at in the letters: how serious, what we noticed and what to do."""

    level: Level
    code: str
    interviewer: str | None
    message: str
    fix: str
