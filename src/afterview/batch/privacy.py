"""The last check before a client's files leave the batch: no coach note inside any of them.

The report notebook shows coach notes only when ``coach_view`` is True, and the batch runs it
with False; this check makes sure of it. Files are read as a person would read them: HTML
unescaped, e-mail parts decoded, calendar lines unfolded.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from pathlib import Path

__all__ = ["MIN_FRAGMENT", "leaked_files", "readable_text"]

MIN_FRAGMENT = 20
"""A line of the coach notes at least this long counts as a leak on its own."""

_TEXT_SUFFIXES = (".html", ".txt", ".eml", ".ics", ".ipynb", ".csv", ".json")


def readable_text(path: Path) -> str:
    """The text of a client-facing file as its reader sees it, whitespace collapsed."""
    raw = path.read_bytes()
    if path.suffix == ".eml":
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = [str(message.get("Subject", ""))]
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts.append(str(part.get_content()))
        text = "\n".join(parts)
    else:
        text = raw.decode("utf-8", errors="replace")
        if path.suffix == ".ics":
            text = re.sub(r"\r?\n[ \t]", "", text).replace("\\n", "\n").replace("\\", "")
        elif path.suffix in (".html", ".ipynb"):
            text = html.unescape(text.replace("\\n", "\n").replace('\\"', '"'))
    return " ".join(text.split())


def _fragments(notes: str) -> list[str]:
    whole = " ".join(notes.split())
    if not whole:
        return []
    lines = [" ".join(line.split()) for line in notes.splitlines()]
    return [whole, *(line for line in lines if len(line) >= MIN_FRAGMENT and line != whole)]


def leaked_files(folder: Path, notes: str) -> list[Path]:
    """Files under ``folder`` that contain the coach notes (or a long line of them)."""
    fragments = _fragments(notes)
    if not fragments:
        return []
    leaks = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in _TEXT_SUFFIXES:
            text = readable_text(path)
            if any(fragment in text for fragment in fragments):
                leaks.append(path)
    return leaks
