"""What the job seeker sends after the interview, and when, written into one folder.

The thank-you letters, the three follow-up notes (in ``follow-ups/``) and the calendar that
dates them (``follow-ups.ics``), each note as ``.txt`` and ``.eml``. ``afterview letters`` and
``afterview batch`` both write through :func:`write_outbox`, so a client gets the same files
from either; drafts edited by hand are kept (:func:`afterview.coaching.letters.write_drafts`).
Nothing is ever sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from afterview.coaching import calendar, checks, clock, followups, letters
from afterview.record import store
from afterview.record.schema import Record
from afterview.record.store import atomic_write

__all__ = ["CALENDAR_FILE", "FOLLOW_UPS_DIR", "Outbox", "write_outbox", "write_record_outbox"]

FOLLOW_UPS_DIR = "follow-ups"
CALENDAR_FILE = "follow-ups.ics"
WHEN = {
    "check-in": "send on {day} if you have not heard back",
    "last-note": "send on {day} if there is still no news",
    "after-rejection": "send on {day}",
}
UNDATED = {
    "check-in": "not needed: they have answered",
    "last-note": "not needed: they have answered",
    "after-rejection": "not dated: send it only if they say no",
}


@dataclass(frozen=True)
class Outbox:
    """The files written, and the day each follow-up note is due (when it is)."""

    letters: list[Path]
    follow_ups: list[Path]
    days: dict[str, dt.date]
    calendar: Path

    def lines(self) -> list[str]:
        """Where everything went, one file a line; each note's ``.txt`` says when to send it."""
        shown = [str(path) for path in self.letters]
        for path in self.follow_ups:
            kind = next(k for k in followups.KINDS if path.stem == followups.draft_file(k))
            if path.suffix != ".txt":
                shown.append(str(path))
            elif kind in self.days:
                shown.append(f"{path}: {WHEN[kind].format(day=clock.long_day(self.days[kind]))}")
            else:
                shown.append(f"{path}: {UNDATED[kind]}")
        shown.append(f"{self.calendar}: the days to send them, for your calendar")
        return shown


def write_outbox(
    record: Record,
    folder: Path,
    *,
    letters_dir: str = "",
    templates: Path | None = None,
    now: dt.datetime | None = None,
) -> Outbox:
    """Write the letters (into ``folder/letters_dir``), the follow-up notes and the calendar.

    ``now`` (default: the current time) decides "today" for letters not sent yet.
    """
    folder = Path(folder)
    written = letters.write_letters(record, folder / letters_dir, templates)
    notes = followups.write_follow_ups(record, folder / FOLLOW_UPS_DIR, templates, now)
    ics = folder / CALENDAR_FILE
    with atomic_write(ics, "wb") as handle:
        handle.write(calendar.to_ics(record, now=now))
    days = followups.follow_up_days(record, clock.today(record, now))
    return Outbox(written, notes, days, ics)


def write_record_outbox(
    path: Path, folder: Path, templates: Path | None = None, now: str | None = None
) -> Outbox:
    """``afterview letters``: the outbox of the record at ``path``, as of ``now`` as typed
    (ISO; without an offset, in the interview's time zone)."""
    record = store.load(path)
    moment = checks.parse_now(now, field="--now", zone=record.interview.timezone)
    return write_outbox(record, folder, templates=templates, now=moment)
