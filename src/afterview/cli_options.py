"""The options several ``afterview`` commands share, declared once (see :mod:`afterview.cli`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = [
    "EXISTING_FILE",
    "calibration_option",
    "no_browser_option",
    "now_option",
    "output_option",
    "templates_option",
]

F = TypeVar("F", bound=Callable[..., Any])

# Existence is checked by store.load, which says what to do about it.
EXISTING_FILE = click.Path(path_type=Path)


def output_option(help: str) -> Callable[[F], F]:
    """``-o/--output FOLDER``, required."""
    return click.option(
        "-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True, help=help
    )


templates_option = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="A folder of your own letter templates; anything missing falls back to the built-in.",
)
now_option = click.option(
    "--now",
    help="Judge deadlines as of this time (ISO, e.g. 2026-11-25T09:00+00:00), not now; "
    "without an offset, `check` and `letters` read it in the interview's time zone.",
)
calibration_option = click.option(
    "--calibration",
    is_flag=True,
    help="Show in step 1 how interviews rated 3 or lower turned out across the clients folder "
    "(a count only, with at least 5 behind it). [default: off]",
)
no_browser_option = click.option(
    "--no-browser", is_flag=True, help="Print the address instead of opening a browser."
)
