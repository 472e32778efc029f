"""Every error Afterview raises on purpose.

Each one carries where the problem is (file, field) and what to do about it, so the CLI, a
notebook or the web app can show it as a single sentence instead of a traceback.
"""

from __future__ import annotations


class AfterviewError(Exception):
    """Base class: ``str(error)`` is the one line a user sees."""

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None) -> None:
        self.message = message
        self.path = path
        self.field = field
        super().__init__(message)

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.path, self.field) if part)
        return f"{where}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only fields survive pickling, so a process pool can hand errors back.
        return (_rebuild, (type(self), self.message, self.path, self.field))


def _rebuild(
    cls: type[AfterviewError], message: str, path: str | None, field: str | None
) -> AfterviewError:
    return cls(message, path=path, field=field)


class RecordError(AfterviewError):
    """A client record that cannot be read, parsed, validated or saved."""


class TemplateError(AfterviewError):
    """A letter or report template that is missing or uses a name the record does not have."""


class RunError(AfterviewError):
    """A notebook run that failed for one client (which cell, which error)."""
