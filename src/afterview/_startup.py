"""Start-up without a 2.7-second detour: jsonschema's IRI checker is loaded only when used.

Reading a notebook imports nbformat, which imports jsonschema, whose format checkers import
``rfc3987_syntax`` whenever it is installed (it is: ``jsonschema[format-nongpl]``, which
jupyter-events requires). That module builds about 35 Earley parsers as it is imported, 2.7 s of
CPU on a 2-core machine, in every process that reads a notebook, for the ``iri`` formats that
no notebook schema uses (jsonschema issue #1428; no release of either package avoids it yet).

:func:`defer_iri_checker`, called as ``afterview`` is imported, puts a stand-in under that
module's name: jsonschema imports it instantly, and the first IRI actually checked imports the
real module, so nothing is lost.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

__all__ = ["defer_iri_checker"]

_NAME = "rfc3987_syntax"


class _OnFirstUse(types.ModuleType):
    """What ``from rfc3987_syntax import is_valid_syntax`` finds until an IRI is checked."""

    def is_valid_syntax(self, term: str, value: str) -> bool:
        return bool(_real().is_valid_syntax(term, value))


_STAND_IN = _OnFirstUse(_NAME)


def _real() -> types.ModuleType:
    if sys.modules.get(_NAME) is _STAND_IN:
        del sys.modules[_NAME]
    return importlib.import_module(_NAME)


def defer_iri_checker() -> None:
    """Make the next ``import rfc3987_syntax`` instant, when it is installed and not imported."""
    if _NAME in sys.modules or importlib.util.find_spec(_NAME) is None:
        return
    sys.modules[_NAME] = _STAND_IN


defer_iri_checker()
