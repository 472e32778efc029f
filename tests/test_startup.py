"""Start-up: what every batch, letter and check pays before its first client."""

from __future__ import annotations

import subprocess
import sys

import jsonschema

import afterview  # noqa: F401  (as every entry point does first)


def _imported_after(code: str) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return set(run.stdout.split())


def test_a_batch_starts_without_building_the_iri_parsers_no_notebook_needs() -> None:
    # rfc3987_syntax builds ~35 Earley parsers on import: 2.7 s of a batch's start-up.
    plain = _imported_after("import nbformat")
    ours = _imported_after("import afterview.batch.run")
    assert "nbformat" in ours
    assert "rfc3987_syntax.syntax_helpers" in plain  # the cost is real without Afterview...
    assert "rfc3987_syntax.syntax_helpers" not in ours  # ...and gone with it


def test_an_iri_is_still_checked_the_first_time_one_is_asked_for() -> None:
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    assert checker.conforms("https://example.org/caf\u00e9", "iri")
    assert not checker.conforms("https://example.org/a b", "iri")
