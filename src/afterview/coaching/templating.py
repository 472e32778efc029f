"""The Jinja2 templates Afterview renders: letters, the batch index and the cohort summary.

Templates are package data (``src/afterview/templates/``). A coach can override any of them
by putting a file of the same name in a folder of their own and passing that folder; every
template problem becomes a :class:`~afterview.record.errors.TemplateError` naming the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from afterview.record.errors import TemplateError

__all__ = [
    "SMALL_WORDS",
    "TEMPLATES",
    "capfirst",
    "clause",
    "environment",
    "first_person",
    "render",
    "sentence",
    "stylesheet",
]

TEMPLATES = Path(__file__).parent / "templates"
"""The built-in templates and the reports' stylesheet."""

_ENDS_SENTENCE = tuple('.!?…"”’)')
_PAST_VERBS = frozenset(  # one word list reads better than a hundred one-word lines
    """
achieved analysed analyzed automated became began brought built coached completed
coordinated created cut delivered designed developed doubled drove established evaluated
facilitated founded gave grew halved handled held hired implemented improved increased
interviewed introduced launched led maintained managed mentored migrated modelled modeled
negotiated onboarded organised organized owned partnered planned presented produced
prototyped published raised ran rebuilt redesigned reduced refactored resolved restructured
rewrote rolled saved scaled set shipped sold spent started streamlined supported taught
tested trained tripled turned used won worked wrote
    """.split()  # noqa: SIM905
)
"""Verbs a CV-style proof point starts with ("Built …"): the letter says "I built …"."""


SMALL_WORDS = frozenset(
    """
a an the at in on for when as over after before during since with by last this every each from
my our one two three four five six seven eight nine ten
    """.split()  # noqa: SIM905
)
"""First words a sentence may lose its capital on when it becomes a clause ("that at …")."""


def capfirst(text: str) -> str:
    """Upper-case the first letter, leaving words like "iOS" alone."""
    text = str(text).strip()
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """Client text as a sentence: a capital first letter, and a full stop if it has no ending."""
    text = capfirst(text)
    closed = text.endswith(")") and not text[:-1].endswith(_ENDS_SENTENCE)  # "(WCAG 2.2 AA)"
    if text and (closed or not text.endswith(_ENDS_SENTENCE)):
        text += "."
    return text


def clause(text: str) -> str:
    """A sentence as a clause that can follow "that": no full stop, no capital on a small word."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    if first.casefold() in SMALL_WORDS and not first[1:2].isupper():
        text = text[:1].lower() + text[1:]
    return text


def environment(templates: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment for letters and reports.

    Templates are looked up first in ``templates`` (a coach's own folder), then in the package.
    Undefined names are errors, and HTML/XML templates (``*.html.j2`` too) are auto-escaped.
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise TemplateError(
                "templates folder not found; check the path, or leave it out to use the "
                "built-in templates",
                path=str(folder),
            )
        loaders.append(jinja2.FileSystemLoader(folder))
    loaders.append(jinja2.PackageLoader("afterview.coaching", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "html.j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sentence"] = sentence
    env.filters["capfirst"] = capfirst
    env.filters["clause"] = clause
    env.filters["first_person"] = first_person
    return env


def stylesheet(name: str = "report.css") -> str:
    """A stylesheet shipped with the templates, to inline (no external assets).

    ``report.css`` styles every report, index and summary page; ``views.css`` the step views.
    """
    return (TEMPLATES / name).read_text(encoding="utf-8")


def first_person(text: str) -> str:
    """A CV-style proof point as a sentence of the letter: "Built the Kafka pipeline…" becomes
    "I built the Kafka pipeline…"; anything not starting with a past-tense verb is kept."""
    text = str(text).strip()
    first, _, rest = text.partition(" ")
    word = first.lower()
    if word in _PAST_VERBS and (len(first) < 2 or not first[1].isupper()):
        text = f"I {word} {rest}".rstrip()
    return sentence(text)


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template, turning every template problem into a :class:`TemplateError`."""
    filename: str | None = None
    try:
        template = env.get_template(name)
        filename = template.filename
        return template.render(context)
    except jinja2.TemplateNotFound as error:
        missing = str(error.name or name)
        raise TemplateError(
            f"template {missing} not found in your templates folder or the built-in ones; "
            "check the file name",
            path=filename or missing,
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"line {error.lineno}: {error.message}; fix the {{{{ }}}} or {{% %}} tags on that line",
            path=error.filename or filename or name,
        ) from None
    except jinja2.UndefinedError as error:
        available = ", ".join(sorted(context))
        raise TemplateError(
            f"{_template_line(error, filename)}{error.message}; use only the names a template "
            f"is given ({available})",
            path=filename or name,
        ) from None
    except (jinja2.TemplateError, TypeError, ValueError, LookupError, AttributeError) as error:
        raise TemplateError(
            f"{_template_line(error, filename)}the template failed ({error}); fix the template",
            path=filename or name,
        ) from None


def _template_line(error: BaseException, filename: str | None) -> str:
    """``"line N: "`` for the deepest traceback frame inside the template file, else ``""``."""
    line = ""
    trace = error.__traceback__
    while trace is not None:
        if filename and trace.tb_frame.f_code.co_filename == filename:
            line = f"line {trace.tb_lineno}: "
        trace = trace.tb_next
    return line
