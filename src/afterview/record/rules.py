"""The rules a record obeys beyond its shape: size limits, e-mail, time zones, countries.

:mod:`afterview.record.schema` declares the record's fields and applies these rules to them;
each rule raises ``ValueError`` with a sentence the person can act on (pydantic reports it with
the field and the file's line).
"""

from __future__ import annotations

import datetime as dt
import difflib
import email.errors
import functools
import re
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays

__all__ = [
    "EARLIEST",
    "LATEST",
    "MAX_FILE_BYTES",
    "MAX_INTERVIEWERS",
    "MAX_ITEMS",
    "MAX_NESTING",
    "MAX_TEXT",
    "PLAIN_ADDRESS",
    "email_address",
    "known_country",
    "known_zone",
    "timezones_like",
    "upper_code",
    "within_limits",
]

# --- limits: a record is one interview, typed by a person -----------------------------------

EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
"""Every date in a record lies in this range (deadlines are computed from them)."""
MAX_TEXT = 20_000
"""Characters in one answer: about eight pages, far more than any answer needs."""
MAX_ITEMS = 200
"""Entries in one list (emotions, questions, requirements, ...)."""
MAX_INTERVIEWERS = 30
MAX_FILE_BYTES = 250_000
"""A record file larger than this is refused on load (a full record is a few kilobytes)."""
MAX_NESTING = 100
"""Brackets (``[``, ``{``) open at once in a record's text; a record needs two at most."""


def within_limits(value: Any) -> Any:
    """Dates in a sane range and lists of a sane length, for every field of every section."""
    if isinstance(value, dt.date) and not EARLIEST <= value <= LATEST:
        raise ValueError(f"expected a date between {EARLIEST.year} and {LATEST.year}, got {value}")
    if isinstance(value, list) and len(value) > MAX_ITEMS:
        raise ValueError(
            f"has {len(value)} entries; at most {MAX_ITEMS} are kept in one record, remove some"
        )
    return value


# --- e-mail addresses -----------------------------------------------------------------------


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
"""An ASCII address the full check always accepts (a property test holds it to that)."""


def email_address(value: str | None) -> str | None:
    """``value`` if a letter's draft e-mail can be addressed to it, else ValueError.

    The rule is the one :mod:`afterview.coaching.letters` applies when it writes the ``.eml``
    (a header ``Address``, a non-ASCII domain in its IDNA form), so anything the letters would
    refuse is refused here first, where the field and line are known. A plain address skips
    building a message (1.5-3 ms each, most of a 1,000-record caseload's time).
    """
    if not value or PLAIN_ADDRESS.fullmatch(value):
        return value or None
    return _addressable(value)


@functools.lru_cache(maxsize=4096)
def _addressable(value: str) -> str:
    local, _, domain = value.rpartition("@")
    problem = (
        f"{value!r} is not an e-mail address; write it like name@example.com or leave it empty"
    )
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if local else domain
        message = EmailMessage()
        message["To"] = Address(display_name="x", addr_spec=f"{local}@{ascii_domain}")
        message.set_content("x")
        message.as_bytes()
    except (ValueError, IndexError, UnicodeError, email.errors.MessageError):
        raise ValueError(problem) from None
    return value


# --- time zones and countries ---------------------------------------------------------------


def known_zone(value: str | None) -> str | None:
    """``value`` if it names a time zone, else ValueError with the closest names."""
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        near = timezones_like(value)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        raise ValueError(
            f"expected a time zone name like Europe/London or America/New_York, got {value!r}{hint}"
        ) from None
    return value


def timezones_like(text: str) -> list[str]:
    """Up to three known time zone names close to ``text`` ("tokyo" -> Asia/Tokyo)."""
    zones = _timezones()
    wanted = text.strip().replace(" ", "_").casefold()
    by_city = [zone for zone in zones if zone.casefold().rsplit("/", 1)[-1] == wanted]
    spelled = difflib.get_close_matches(text.strip(), zones, n=3, cutoff=0.6)
    return list(dict.fromkeys(by_city + spelled))[:3]


@functools.cache
def _timezones() -> list[str]:
    return sorted(available_timezones())


def upper_code(value: str | None) -> str | None:
    """A country or region code in upper case (gb -> GB); empty stays empty."""
    return value.upper() if value else None


def known_country(value: str | None) -> str | None:
    """``value`` in upper case if the holidays library has that country's calendar."""
    code = upper_code(value)
    if code and code not in holidays.list_supported_countries():
        raise ValueError(
            f"expected a two-letter country code with a holiday calendar, like GB, KE or "
            f"PE, got {code!r}"
        )
    return code
