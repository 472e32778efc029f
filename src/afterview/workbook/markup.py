"""The building blocks of the step views' HTML: escaping, headings, lists, tables, dates.

Every piece of text from a record goes through :func:`e`; the views in :mod:`.views` are put
together from these blocks only, so they all look alike and none forgets to escape.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence

from afterview.coaching import clock
from afterview.coaching.templating import stylesheet
from afterview.record.errors import AfterviewError

__all__ = [
    "CSS",
    "blank",
    "bullets",
    "day",
    "e",
    "error_html",
    "heading",
    "page",
    "paragraph",
    "plural",
    "table",
]

CSS = f"<style>\n{stylesheet('views.css')}</style>"
"""The views' own styles, for a notebook output (a report carries them in its <head>)."""


def e(value: object) -> str:
    """Escape anything for HTML text or attributes."""
    return html.escape(str(value), quote=True)


def page(*parts: str) -> str:
    """The parts in one styled block, the views' stylesheet first."""
    return f'{CSS}<div class="av">{"".join(parts)}</div>'


def heading(text: str) -> str:
    """A section heading."""
    return f"<h3>{e(text)}</h3>"


def paragraph(text: str, empty: str = "Nothing written yet.") -> str:
    """The text with its line breaks kept, or ``empty`` in grey."""
    if not text:
        return f'<p class="av-empty">{e(empty)}</p>'
    return f'<p style="white-space: pre-wrap">{e(text)}</p>'


def bullets(items: Iterable[str], empty: str = "Nothing yet.") -> str:
    """A bulleted list, or ``empty`` in grey when there are no items."""
    rows = "".join(f"<li>{e(item)}</li>" for item in items)
    return f"<ul>{rows}</ul>" if rows else f'<p class="av-empty">{e(empty)}</p>'


def table(header: Sequence[str], rows: Sequence[Sequence[object]], empty: str) -> str:
    """A table with a header row, or ``empty`` in grey when there are no rows."""
    if not rows:
        return f'<p class="av-empty">{e(empty)}</p>'
    head = "".join(f'<th scope="col">{e(cell)}</th>' for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def day(value: dt.date | dt.datetime) -> str:
    """A date ("Tue 24 Nov 2026"), or a time with its zone ("…, 14:00 London time (UTC+0)")."""
    if isinstance(value, dt.datetime):
        return f"{value:%a %d %b %Y, %H:%M} {clock.zone_label(value)}"
    return f"{value:%a %d %b %Y}"


def plural(count: int, word: str, many: str = "") -> str:
    """ "1 letter", "2 letters" (``many``: the plural when it is not ``word`` + s)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def blank(value: object) -> str:
    """A dash for a missing value."""
    return "—" if value is None or value == "" else str(value)


def error_html(error: AfterviewError, *, what: str = "open this record") -> str:
    """A friendly box for an error: what went wrong, and what to do."""
    return page(
        f'<div class="av-problem" role="alert"><strong>We couldn\'t {e(what)}.</strong> '
        f"{e(error)}</div>"
    )
