"""Root causes suggested from the question notes, for the client to confirm in step 4.

Each root cause in the content has ``keywords``; a note that contains one (as whole words, any
case) suggests that cause, so "raised salary in the first five minutes" is offered as "Salary
raised too early" rather than left for "Something else". Causes already picked are not offered
again. Suggestions are never written to the record: the client confirms them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from afterview.coaching.content import content
from afterview.record.schema import Record

__all__ = ["Suggestion", "suggested_causes"]


@dataclass(frozen=True)
class Suggestion:
    """A root cause the notes point to, and the question whose note points to it."""

    category: str
    label: str
    question: str
    note: str


def _says(text: str, phrase: str) -> bool:
    words = r"\s+".join(re.escape(word) for word in phrase.split())
    return re.search(rf"(?<![\w']){words}(?![\w'])", text, flags=re.IGNORECASE) is not None


def suggested_causes(record: Record) -> list[Suggestion]:
    """Causes the question notes suggest, in content order, each once, none already picked."""
    picked = {cause.category for cause in record.lessons.root_causes}
    found: list[Suggestion] = []
    for cause in content().root_causes:
        if cause.key in picked:
            continue
        for question in record.questions:
            if any(_says(question.note, keyword) for keyword in cause.keywords):
                found.append(Suggestion(cause.key, cause.label, question.text, question.note))
                break
    return found
