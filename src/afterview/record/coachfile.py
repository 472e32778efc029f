"""The coach's own file beside each record: notes, the coach's rating and flags, kept apart.

A record (``ada.yaml``) is the client's: a self-guided client holds it and edits it. What only
the coach should read lives in ``ada.coach.yaml`` beside it. Only coach-side code opens it
(:func:`load` / :func:`save` with ``coach=True``: the coach's JupyterLab view, the caseload and
the batch's cohort summary); the web app and every client report open records with
``coach=False``, which never reads that file.

Records written before the split kept ``coach_notes`` and ``perspective.coach_rating`` inline.
They are still read, and the next save moves them out: a coach-side save merges them into the
coach file; a client-side save creates the coach file only if there is none yet (it never reads
one), and otherwise leaves them inline for the coach's next save, so nothing is lost.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, ValidationError

from afterview.record import quickread, store
from afterview.record.errors import RecordError
from afterview.record.schema import Model, Rating, Record

__all__ = [
    "RECORD_SUFFIXES",
    "SUFFIX",
    "CoachFile",
    "coach_path",
    "is_coach_file",
    "load",
    "read",
    "record_paths",
    "save",
]

SUFFIX = ".coach.yaml"
RECORD_SUFFIXES = (".yaml", ".yml")


class CoachFile(Model):
    """What only the coach reads about one interview."""

    notes: str = ""
    """The coach's notes: never shown in anything the client receives."""
    rating: Rating | None = None
    """The coach's 1-10 rating of the interview, shown beside the client's own."""
    flags: list[str] = Field(default_factory=list)
    """The coach's own flags for this client (``watch``, ``call first``...), shown in the
    caseload beside the ones Afterview raises."""


def coach_path(record_path: str | os.PathLike[str]) -> Path:
    """``clients/ada.yaml`` -> ``clients/ada.coach.yaml``."""
    path = Path(record_path)
    return path.with_name(f"{path.stem}{SUFFIX}")


def is_coach_file(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


def record_paths(folder: Path) -> list[Path]:
    """The client records in a folder, sorted; the coach files beside them left out."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in RECORD_SUFFIXES and p.is_file() and not is_coach_file(p)
    )


def read(record_path: str | os.PathLike[str]) -> CoachFile:
    """The coach file of a record; an empty one when there is none yet."""
    path = coach_path(record_path)
    if not path.is_file():
        return CoachFile()
    data = quickread.parse(path)
    if not isinstance(data, dict):
        data = store.load_document(path)  # the same one-line error as a record's
    try:
        return CoachFile.model_validate(data or {})
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise RecordError(store.explain(first), path=str(path), field=field) from None


def _write(record_path: Path, coach: CoachFile) -> None:
    store.write_document(coach_path(record_path), coach.model_dump(exclude_defaults=True))


def _inline(record: Record) -> CoachFile:
    """The coach fields a record still carries inline (written before the split)."""
    return CoachFile(notes=record.coach_notes, rating=record.perspective.coach_rating)


def _without_coach_fields(record: Record) -> Record:
    bare = record.model_copy(deep=True)
    bare.coach_notes = ""
    bare.perspective.coach_rating = None
    return bare


def _merged(stored: CoachFile, inline: CoachFile) -> CoachFile:
    """The coach file's values win; inline ones fill gaps; two different notes are both kept."""
    notes = stored.notes or inline.notes
    if stored.notes and inline.notes and inline.notes not in stored.notes:
        notes = f"{stored.notes}\n\n{inline.notes}"
    rating = stored.rating if stored.rating is not None else inline.rating
    return stored.model_copy(update={"notes": notes, "rating": rating})


def load(path: str | os.PathLike[str], *, coach: bool, quick: bool = False) -> Record:
    """Read a record; with ``coach=True`` its coach file's notes and rating are filled in.

    ``quick=True`` parses with libyaml (:mod:`.quickread`), for reading many records that are
    not edited here (a batch); a file it cannot read gets :func:`store.load`'s message.
    """
    record = quickread.load(Path(path)) if quick else store.load(path)
    if not coach:
        return record
    found = _merged(read(path), _inline(record))
    record.coach_notes = found.notes
    record.perspective.coach_rating = found.rating
    return record


def save(record: Record, path: str | os.PathLike[str], *, coach: bool) -> Record:
    """Write the record without its coach fields, and those into the coach file.

    Returns the record as it now stands for its reader: unchanged for the coach; for a client,
    without coach fields once they have moved to the coach file.
    """
    path = Path(path)
    inline = _inline(record)
    if coach:
        stored = read(path)
        updated = stored.model_copy(update={"notes": inline.notes, "rating": inline.rating})
        if updated != stored:
            _write(path, updated)
        store.save(_without_coach_fields(record), path)
        return record
    if inline == CoachFile():
        store.save(record, path)
        return record
    if coach_path(path).exists():
        store.save(record, path)  # the coach's next save merges them; this side never reads it
        return record
    _write(path, inline)  # there is none yet: nothing of the coach's is read
    bare = _without_coach_fields(record)
    store.save(bare, path)
    return bare
