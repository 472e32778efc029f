"""The project's promises to a new user: two commands, one environment, documented commands."""

from __future__ import annotations

import ast
import re
import tomllib

import click
import pytest
from ruamel.yaml import YAML

from afterview.cli import cli

from .conftest import ROOT


def _names(requirements: list[str]) -> dict[str, str]:
    """Map a normalised package name to its version specifier."""
    pairs = {}
    for requirement in requirements:
        match = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip())
        assert match, requirement
        pairs[match.group(1).lower().replace("_", "-")] = match.group(2).replace(" ", "")
    return pairs


def test_environment_yml_and_pyproject_agree_on_dependencies() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    environment = YAML(typ="safe").load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    conda_deps = {k: v for k, v in _names(conda).items() if k not in ("python", "pip")}
    assert conda_deps == _names(pyproject["project"]["dependencies"])
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section or "." in pip_section


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_the_makefile_pins_notebooks_to_the_projects_own_kernel() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "export JUPYTER_PATH := $(abspath $(VENV))/share/jupyter" in makefile
    assert "ipykernel install" not in makefile


def _commands() -> list[tuple[str, click.Command]]:
    assert isinstance(cli, click.Group)
    return sorted(cli.commands.items())


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[n for n, _ in _commands()])
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help and "Example:" in command.help, name
    assert f"afterview {name}" in command.help, name


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _ in _commands():
        assert f"afterview {name}" in readme, name


MODULE_LINES = 400
FUNCTION_LINES = 60
DECLARATIONS = {"fictional_record"}
"""Functions that are one data literal (a made-up record), not logic."""


def test_no_module_or_function_outgrows_what_a_newcomer_reads_at_once() -> None:
    too_long = []
    for path in sorted((ROOT / "src" / "afterview").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if len(text.splitlines()) > MODULE_LINES:
            too_long.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES and node.name not in DECLARATIONS:
                    too_long.append(f"{name}: {node.name}() is {length} lines")
    assert too_long == []
