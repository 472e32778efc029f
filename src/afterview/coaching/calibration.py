"""How interviews rated low right after turned out, across a practice: one aggregate sentence.

People rate their own interviews lower than interviewers do. :func:`calibration` counts, over a
practice's records, the interviews rated :data:`LOW_RATING` or lower right after whose outcome
is known, and how many of those went on to the next round or an offer ("of 14 interviews rated
3 or lower, 6 went to the next round"). It is a count and nothing else: no name, company or
date of anyone leaves it, and below ``caseload.calibration_minimum`` interviews there is no
figure at all.

The cohort summary shows it; a coach may also switch it on for their clients' step 1
(``--calibration`` of ``afterview batch``, ``lab`` and ``app``), where
:func:`folder_sentence` computes it from the clients folder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from afterview.coaching.content import content
from afterview.record import coachfile, quickread
from afterview.record.schema import Record

__all__ = [
    "LOW_RATING",
    "MOVED_ON",
    "Calibration",
    "calibration",
    "calibration_sentence",
    "folder_sentence",
]

LOW_RATING = 3
"""The calibration sentence is about interviews rated this or lower, out of 10, right after."""
MOVED_ON = ("advanced", "offer")


@dataclasses.dataclass(frozen=True)
class Calibration:
    """How interviews rated low right after turned out, across the practice."""

    total: int
    """Interviews rated :data:`LOW_RATING` or lower right after, whose outcome is known."""
    moved: int
    """Of those, how many went to the next round or to an offer."""

    def __str__(self) -> str:
        words = content().caseload.calibration
        return words.format(total=self.total, most=LOW_RATING, moved=self.moved)


def calibration(records: Iterable[Record]) -> Calibration | None:
    """Low ratings right after against outcomes; ``None`` below the minimum of interviews."""
    low = [
        record
        for record in records
        if record.interview.self_rating is not None
        and record.interview.self_rating <= LOW_RATING
        and record.result.status != "pending"
    ]
    if len(low) < content().caseload.calibration_minimum:
        return None
    return Calibration(len(low), sum(record.result.status in MOVED_ON for record in low))


def calibration_sentence(records: Iterable[Record]) -> str:
    """The sentence for step 1, or empty when there are too few interviews behind it."""
    found = calibration(records)
    return str(found) if found is not None else ""


def folder_sentence(folder: Path) -> str:
    """The calibration sentence over every readable record in ``folder`` (never a coach file).

    Empty when the folder cannot be read, or when fewer than ``calibration_minimum`` of its
    interviews are behind the figure: then step 1 simply has no such sentence. Records that do
    not load are left out of the count.
    """
    try:
        loaded = quickread.load_folder(folder, coachfile.record_paths(folder))
    except OSError:
        return ""
    return calibration_sentence(record for _, record in loaded if isinstance(record, Record))
