"""Thank-you letters: one personal note per interviewer, rendered from a Jinja2 template.

Nothing here sends mail. Letters are written as plain text and as ``.eml`` drafts (marked
``X-Unsent: 1`` so a mail program opens them ready to edit and send by hand).

Templates are package data (``templates/letter.txt.j2`` and ``templates/letter_subject.txt.j2``);
a coach can override either one by putting a file of the same name in a folder of their own and
passing that folder as ``templates``. Templates never receive the whole record, only what a
letter needs, so coach-only notes cannot leak into a letter.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import jinja2

from afterview.coaching.plans import (
    TITLES,
    greeting_name,
    planned,
    proof_sentence,
    strengths_for,
)
from afterview.coaching.templating import environment, render
from afterview.record.errors import RecordError, TemplateError
from afterview.record.schema import Interviewer, Record, Strength
from afterview.record.store import atomic_write

__all__ = [
    "MANIFEST",
    "TITLES",
    "Letter",
    "file_stem",
    "greeting_name",
    "message_text",
    "render_letter",
    "render_letters",
    "slug",
    "strengths_to_mention",
    "to_eml",
    "write_drafts",
    "write_letters",
]

LETTER_TEMPLATE = "letter.txt.j2"
SUBJECT_TEMPLATE = "letter_subject.txt.j2"
MAX_STRENGTHS = 3

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True)
class Letter:
    """One thank-you letter, ready to copy into an email."""

    interviewer: Interviewer
    subject: str
    body: str

    @property
    def word_count(self) -> int:
        """Words in the message itself: the greeting line and the sign-off block are not counted.

        The 100-200 word guideline is about what the letter says, so "Dear Priya," and
        "Best regards, / Ana Silva" are left out. The greeting is the first paragraph when it is
        a single line ending in a comma or colon; the sign-off is the last paragraph when it has
        at most three short lines and its first line ends in a comma.
        """
        return len(_WORD.findall(message_text(self.body)))


def message_text(body: str) -> str:
    """The letter body without its greeting line and sign-off block (see ``word_count``)."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", body.strip()) if block.strip()]
    if len(blocks) > 1 and "\n" not in blocks[0] and blocks[0].endswith((",", ":")):
        blocks = blocks[1:]
    if len(blocks) > 1:
        lines = blocks[-1].splitlines()
        if len(lines) <= 3 and lines[0].rstrip().endswith(",") and len(lines[0].split()) <= 5:
            blocks = blocks[:-1]
    return "\n\n".join(blocks)


# --- what goes into a letter ----------------------------------------------------------------


def strengths_to_mention(record: Record) -> list[Strength]:
    """The strengths for the letters, at most three.

    The ones the client marked ``mention``; if none are marked, the ones not shown in the room
    that have a proof point, in the order of the map.
    """
    chosen = [item for item in record.strengths.map if item.mention]
    if not chosen:
        chosen = [item for item in record.strengths.map if not item.shown and item.evidence]
    return chosen[:MAX_STRENGTHS]


def _context(record: Record, person: Interviewer) -> dict[str, Any]:
    plan = record.plan_for(person.name)
    strengths = strengths_for(record, person.name)
    return {
        "candidate": record.candidate,
        "interview": record.interview,
        "interviewer": person,
        "greeting_name": greeting_name(person, record.letters.formality),
        "plan": plan,
        "question": plan.question,
        "strengths": strengths,
        "proofs": [proof_sentence(strength) for strength in strengths],
        "days_after": (plan.sent_on - record.interview.date).days if plan.sent_on else None,
        "signoff": record.letters.signoff,
    }


def render_letter(record: Record, name: str, templates: Path | None = None) -> Letter:
    """The letter to the interviewer called ``name`` (exactly as in ``record.interviewers``)."""
    try:
        person = record.interviewer(name)
    except KeyError:
        names = ", ".join(p.name for p in record.interviewers)
        raise TemplateError(
            f"{name!r} is not one of the interviewers ({names})", field="interviewers"
        ) from None
    return _render(record, person, environment(templates))


def render_letters(record: Record, templates: Path | None = None) -> list[Letter]:
    """One letter per interviewer whose plan is started, in the order of ``record.interviewers``.

    An interviewer with no plan gets no filler draft: the checks call their letter "not
    started" and name the one next step.
    """
    env = environment(templates)
    return [_render(record, person, env) for person in planned(record)]


def _render(record: Record, person: Interviewer, env: jinja2.Environment) -> Letter:
    context = _context(record, person)
    subject = " ".join(render(env, SUBJECT_TEMPLATE, context).split())
    body = render(env, LETTER_TEMPLATE, context).strip() + "\n"
    return Letter(interviewer=person, subject=subject, body=body)


# --- files ----------------------------------------------------------------------------------


def slug(text: str, fallback: str = "interviewer") -> str:
    """A file-name-safe ASCII version of a name: "Zoë Ñúñez" -> "zoe-nunez"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:60].strip("-") or fallback


def to_eml(letter: Letter, record: Record) -> bytes:
    """The letter as an unsent email draft (``X-Unsent: 1``), UTF-8, never sent by Afterview.

    ``From`` is the candidate when their address is in the record (a mail program fills in a
    missing one with the user's own account). ``To`` is the interviewer; with no address known
    it is written empty on purpose, for the client to fill in (the checks say so).
    """
    message = EmailMessage()
    if record.candidate.email:
        message["From"] = _address(record.candidate.name, record.candidate.email, "candidate.email")
    if letter.interviewer.email:
        index = next(
            (n for n, p in enumerate(record.interviewers) if p.name == letter.interviewer.name), 0
        )
        message["To"] = _address(
            letter.interviewer.name, letter.interviewer.email, f"interviewers.{index}.email"
        )
    else:
        message["To"] = ""
    message["Subject"] = letter.subject
    message["X-Unsent"] = "1"
    message.set_content(letter.body, charset="utf-8")
    try:
        return message.as_bytes()
    except (ValueError, email.errors.MessageError) as error:
        raise RecordError(
            f"cannot write the email draft ({error}); check the email addresses",
            field="interviewers",
        ) from None


def _address(name: str, address: str, field: str) -> Address:
    """A header address; a non-ASCII domain (exämple.com) is written in its IDNA form."""
    local, _, domain = address.rpartition("@")
    try:
        if local and not domain.isascii():
            address = f"{local}@{domain.encode('idna').decode('ascii')}"
        return Address(display_name=name, addr_spec=address)
    except (ValueError, IndexError, UnicodeError, email.errors.MessageError):
        raise RecordError(
            f"{address!r} is not an email address; write it like name@example.com or leave it "
            "empty",
            field=field,
        ) from None


MANIFEST = ".afterview-letters.json"
"""Beside the letters: a hash of each file as Afterview wrote it, to tell hand edits apart."""


def file_stem(number: int, interviewer: str) -> str:
    """The letter files' name for the ``number``-th interviewer: ``01-priya-raman``."""
    return f"{number:02d}-{slug(interviewer)}"


def write_letters(record: Record, out_dir: Path, templates: Path | None = None) -> list[Path]:
    """Write ``NN-first-last.txt`` and ``NN-first-last.eml`` for each interviewer.

    The ``.txt`` starts with a ``Subject:`` line, then the letter. Returns the paths written,
    text then draft for each interviewer, in record order. A letter file edited by hand since
    Afterview wrote it is never overwritten: it is renamed to ``NN-first-last.edited-STAMP.txt``
    first (its hash no longer matches the one kept in :data:`MANIFEST`).
    """
    # Numbered by the interviewer's place in the record: an unplanned one has no letter.
    numbers = {person.name: n for n, person in enumerate(record.interviewers, start=1)}
    drafts = [
        (file_stem(numbers[letter.interviewer.name], letter.interviewer.name), letter)
        for letter in render_letters(record, templates)
    ]
    return write_drafts(record, Path(out_dir), drafts)


def write_drafts(record: Record, out_dir: Path, drafts: list[tuple[str, Letter]]) -> list[Path]:
    """Write ``STEM.txt`` and ``STEM.eml`` for each (stem, letter), keeping hand-edited files
    (see :func:`write_letters`); the follow-up notes are written the same way."""
    manifest_path = out_dir / MANIFEST
    try:
        manifest: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    written: list[Path] = []
    for stem, letter in drafts:
        text = f"Subject: {letter.subject}\n\n{letter.body}".encode()
        for path, content in (
            (out_dir / f"{stem}.txt", text),
            (out_dir / f"{stem}.eml", to_eml(letter, record)),
        ):
            _keep_hand_edits(path, manifest.get(path.name))
            _write(path, content, "wb")
            manifest[path.name] = _digest(content)
            written.append(path)
    with atomic_write(manifest_path) as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
    return written


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _keep_hand_edits(path: Path, written_digest: str | None) -> None:
    """Rename ``path`` aside if it is not, byte for byte, what Afterview last wrote there."""
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        return
    if _digest(current) != written_digest:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path.rename(path.with_name(f"{path.stem}.edited-{stamp}{path.suffix}"))


def _write(path: Path, content: str | bytes, mode: str) -> None:
    with atomic_write(path, mode) as handle:
        handle.write(content)
