"""Time as the job seeker reads it: readable zone names, the job's business days, today.

Business days skip the weekend (as that country keeps it) and the public and bank holidays of
the country where the job is, from the maintained ``holidays`` package. The country is
``interview.country`` (plus its optional ``subdivision``) when the coach set it; otherwise it
is the country the interview's time zone belongs to in the tz database's ``zone.tab`` (shipped
by ``tzdata``), so ``America/Lima`` means Peru; a zone that lies in one Australian state adds
that state's holidays. A zone that names no country (``UTC``, ``Etc/GMT+5``) gives weekends
only.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from zoneinfo import ZoneInfo

import holidays

from afterview.record.errors import RecordError
from afterview.record.schema import Interview, Record

__all__ = [
    "add_business_days",
    "business_day",
    "candidate_zone",
    "country_of",
    "holiday_name",
    "long_day",
    "next_business_day",
    "subdivision_of",
    "today",
    "zone_label",
]

ZONE_SUBDIVISIONS = {
    "Australia/Sydney": "NSW",
    "Australia/Melbourne": "VIC",
    "Australia/Brisbane": "QLD",
    "Australia/Perth": "WA",
    "Australia/Adelaide": "SA",
    "Australia/Hobart": "TAS",
    "Australia/Darwin": "NT",
}
"""Zones that sit in exactly one state, whose own public holidays then count too."""
CATEGORIES = ("public", "bank")
"""Days off where the job is: public holidays, and bank holidays where the country has its own
(Japan's 31 December to 3 January, when offices close)."""
MINUS = "\u2212"
"""The minus sign a reader expects in "UTC−5" (not a hyphen)."""


@functools.cache
def _zone_countries() -> dict[str, str]:
    """Each tz database zone name to the one ISO country code ``zone.tab`` gives it."""
    text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, zone = line.split("\t")[:3]
        found[zone] = code
    return found


def country_of(interview: Interview) -> str | None:
    """The job's country code: the one the coach set, else the time zone's own country."""
    if interview.country:
        return interview.country
    return _zone_countries().get(interview.timezone)


@functools.cache
def _holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    try:
        kinds = holidays.country_holidays(country).supported_categories
        return holidays.country_holidays(
            country, subdiv=subdivision, categories=tuple(set(CATEGORIES) & set(kinds))
        )
    except NotImplementedError:
        raise RecordError(
            f"no public holiday calendar for the country {country!r}; use a two-letter code "
            "like GB, KE or PE, or leave it empty",
            field="interview.country",
        ) from None
    except ValueError:
        raise RecordError(
            f"{country} has no region {subdivision!r}; use a code such as "
            f"{', '.join(holidays.list_supported_countries()[country][:4])}, or leave it empty",
            field="interview.subdivision",
        ) from None


def subdivision_of(interview: Interview) -> str | None:
    """The state or region: the one the coach set, else the time zone's (Sydney: NSW)."""
    if interview.subdivision or interview.country:
        return interview.subdivision
    return ZONE_SUBDIVISIONS.get(interview.timezone)


def _calendar(interview: Interview) -> holidays.HolidayBase | None:
    country = country_of(interview)
    return None if country is None else _holidays(country, subdivision_of(interview))


def holiday_name(day: dt.date, interview: Interview) -> str | None:
    """The public holiday on ``day`` where the job is, if there is one."""
    found = _calendar(interview)
    name = None if found is None else found.get(day)
    return None if name is None else str(name)


def business_day(day: dt.date, interview: Interview) -> bool:
    """Is ``day`` a working day where the job is (not a weekend, not a public holiday)?"""
    found = _calendar(interview)
    if found is None:
        return day.weekday() < 5
    return bool(found.is_working_day(day))


def add_business_days(start: dt.date, days: int, interview: Interview) -> dt.date:
    """The date ``days`` working days after ``start``, where the job is."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if business_day(day, interview):
            days -= 1
    return day


def next_business_day(day: dt.date, interview: Interview) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not business_day(day, interview):
        day += dt.timedelta(days=1)
    return day


def candidate_zone(record: Record) -> ZoneInfo:
    """The job seeker's own time zone; the interview's when they did not give one."""
    return ZoneInfo(record.candidate.timezone or record.interview.timezone)


def today(record: Record, now: dt.datetime | None = None) -> dt.date:
    """The job seeker's date at ``now`` (the current time when ``None``)."""
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    return moment.astimezone(candidate_zone(record)).date()


def long_day(day: dt.date) -> str:
    """A day as people write it: "Tuesday 8 December"."""
    return f"{day:%A} {day.day} {day:%B}"


def zone_label(moment: dt.datetime) -> str:
    """The zone of an aware datetime as people say it: "Lima time (UTC−5)", "UTC"."""
    offset = moment.utcoffset() or dt.timedelta(0)
    key = getattr(moment.tzinfo, "key", "") or ""
    place = key.rsplit("/", 1)[-1].replace("_", " ") if "/" in key else ""
    hours, seconds = divmod(abs(int(offset.total_seconds())), 3600)
    sign = "+" if offset >= dt.timedelta(0) else MINUS
    minutes = f":{seconds // 60:02d}" if seconds else ""
    utc = f"UTC{sign}{hours}{minutes}"
    if not place:
        return "UTC" if not offset else utc
    return f"{place} time ({utc})"
