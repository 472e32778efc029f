"""`pip install afterview` works: the built wheel and sdist carry everything the commands read.

The artefacts are built once per session with `python -m build`, inspected, and the wheel is
installed into a fresh virtual environment that runs `afterview` from a folder outside the
checkout. The fresh environment borrows the third-party packages of the test environment (a
`.pth` line, so nothing is downloaded twice) but Afterview itself comes only from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow

PACKAGE = ROOT / "src" / "afterview"
WHERE = "import afterview; print(afterview.__file__)"


def _data_files() -> set[str]:
    """Every non-Python file a command reads, as its path inside the installed package."""
    notebooks = {f"afterview/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    data = {
        "afterview/" + p.relative_to(PACKAGE).as_posix()
        for folder in ("coaching/data", "coaching/templates")
        for p in (PACKAGE / folder).iterdir()
        if p.is_file()
    }
    return notebooks | data | {"afterview/py.typed"}


def _modules() -> set[str]:
    return {"afterview/" + p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        env=_clean_env(),
    )
    return out


def _clean_env() -> dict[str, str]:
    """The environment without anything that would put the checkout's sources on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_PATH")}
    env["MPLBACKEND"] = "Agg"
    return env


def test_the_wheel_holds_every_module_notebook_template_and_content_file(dist: Path) -> None:
    (wheel,) = dist.glob("afterview-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = (_data_files() | _modules()) - names
    assert not missing, f"missing from the wheel: {sorted(missing)}"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    check = subprocess.run(
        [Path(sys.executable).parent / "check-wheel-contents", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_sdist_holds_the_sources_notebooks_and_examples(dist: Path) -> None:
    (sdist,) = dist.glob("afterview-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {"/".join(n.split("/")[1:]) for n in archive.getnames()}
    packaged = _data_files() | _modules()
    wanted = {"src/" + n for n in packaged if not n.startswith("afterview/notebooks/")}
    wanted |= {"notebooks/" + p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    wanted |= {"README.md", "LICENSE", "pyproject.toml"}
    missing = wanted - names
    assert not missing, f"missing from the sdist: {sorted(missing)}"


def test_the_metadata_a_package_index_shows(dist: Path) -> None:
    (wheel,) = dist.glob("afterview-*.whl")
    archive = zipfile.ZipFile(wheel)
    (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    text = archive.read(metadata).decode()
    assert "License-Expression: MIT" in text
    assert "Classifier: Framework :: Jupyter" in text
    assert "Description-Content-Type: text/markdown" in text
    assert "# Afterview" in text  # the README is the long description


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (no dependencies fetched: they are borrowed)."""
    home = tmp_path_factory.mktemp("fresh")
    venv.EnvBuilder(with_pip=True).create(home / "venv")
    python = home / "venv" / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Third-party packages of this environment, appended after the venv's own site-packages.
    # A plain path line: the test environment's own .pth files (its editable install of the
    # checkout) are not processed, so `afterview` can only come from the wheel.
    (Path(purelib) / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (wheel,) = dist.glob("afterview-*.whl")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        env=_clean_env(),
    )
    return home


def _afterview(installed: Path, *args: str) -> subprocess.CompletedProcess[str]:
    outside = installed / "elsewhere"
    outside.mkdir(exist_ok=True)
    # The borrowed packages' data files (nbconvert's templates) stay in their own prefix.
    env = {**_clean_env(), "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    return subprocess.run(
        [installed / "venv" / "bin" / "afterview", *args],
        cwd=outside,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_the_installed_command_runs_from_another_folder_on_the_wheels_own_code(
    installed: Path,
) -> None:
    helped = _afterview(installed, "--help")
    assert helped.returncode == 0, helped.stderr
    for command in ("new", "check", "letters", "lab", "app", "batch"):
        assert command in helped.stdout, command
    where = subprocess.run(
        [installed / "venv" / "bin" / "python", "-c", WHERE],
        cwd=installed,
        capture_output=True,
        text=True,
        env=_clean_env(),
    ).stdout
    assert str(installed) in where and str(ROOT) not in where


def test_a_batch_from_the_installed_wheel_builds_every_example(installed: Path) -> None:
    out = installed / "reports"
    ran = _afterview(installed, "batch", str(EXAMPLES), "-o", str(out), "--no-pdf")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    examples = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    for name in examples:
        assert (out / name / "report.html").is_file(), f"no report for {name}"
    assert (out / "index.html").is_file()
