"""`afterview batch` never destroys what it did not write, and no client can stop the others.

Each test here is a reported way the batch lost data or broke, reproduced first and kept as a
regression test: records whose file names are not folder names, folders the batch did not make,
stale "unchanged" reports, machine faults, hand-edited letters and a read-only output folder.
"""

from __future__ import annotations

import errno
import html
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from afterview.batch import executors, export
from afterview.batch.run import run_batch
from afterview.cli import cli
from afterview.coaching import letters
from afterview.record.errors import RunError

from .conftest import EXAMPLES

pytestmark = pytest.mark.slow

ADA = EXAMPLES / "ada-okafor-panel.yaml"
JOSE = EXAMPLES / "jose-alvarez-phone-screen.yaml"
BEFORE_DEADLINE = "2026-11-25T18:00+00:00"
AFTER_DEADLINE = "2026-11-26T20:00+00:00"
"""José's interview starts 2026-11-25 17:00 UTC: his letters are due by 2026-11-26 17:00 UTC."""


def _batch(clients: Path, out: Path, *options: str) -> Result:
    args = ["batch", str(clients), "-o", str(out), "--no-pdf", "--workers", "1", *options]
    return CliRunner().invoke(cli, args)


def _jose(root: Path) -> tuple[Path, Path]:
    """A clients folder holding José's record as ``jose.yaml``, and an output folder path."""
    clients = root / "clients"
    clients.mkdir()
    shutil.copy(JOSE, clients / "jose.yaml")
    return clients, root / "out"


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its bytes (None for a folder)."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def _text(path: Path) -> str:
    return " ".join(html.unescape(path.read_text(encoding="utf-8")).split())


@pytest.mark.parametrize("name", ["...yaml", "..yaml"])
def test_a_record_named_only_dots_deletes_nothing(tmp_path: Path, name: str) -> None:
    clients, out = tmp_path / "clients", tmp_path / "out"
    clients.mkdir()
    out.mkdir()
    (tmp_path / "CANARY").write_text("x", encoding="utf-8")
    shutil.copy(ADA, clients)
    (clients / name).write_text("not: [valid\n", encoding="utf-8")

    result = _batch(clients, out)

    assert (tmp_path / "CANARY").read_text(encoding="utf-8") == "x"
    assert sorted(p.name for p in clients.iterdir()) == sorted([ADA.name, name])
    assert (out / "ada-okafor-panel" / "report.html").is_file()
    failed = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    assert len(failed) == 1 and failed[0].startswith(f"✗ {name}: line 2: the YAML is malformed")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "broken"])
def test_a_folder_the_batch_did_not_make_is_never_removed(tmp_path: Path, broken: bool) -> None:
    clients = tmp_path / "clients"
    archive = clients / "archive"
    archive.mkdir(parents=True)
    shutil.copy(JOSE, archive / "old-client.yaml")
    (archive / "notes.txt").write_text("kept", encoding="utf-8")
    before = _tree(archive)
    record = clients / "archive.yaml"
    if broken:
        record.write_text("candidate: [unclosed\n", encoding="utf-8")
    else:
        shutil.copy(JOSE, record)

    result = _batch(clients, clients)  # -o is the clients folder itself

    assert _tree(archive) == before
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    if not broken:
        assert "archive" in line and "not made by Afterview" in line
    assert (clients / "index.html").is_file()


def test_a_record_named_like_a_batch_file_gets_a_folder_of_its_own(tmp_path: Path) -> None:
    clients, out = tmp_path / "clients", tmp_path / "out"
    clients.mkdir()
    names = ["index.html", "summary.html", "summary.csv", ".afterview-batch.lock"]
    for name in names:
        shutil.copy(JOSE, clients / f"{name}.yaml")

    first = _batch(clients, out)
    assert first.exit_code == 0, first.output
    for name in ("index.html", "summary.html", "summary.csv"):
        assert (out / name).is_file()
    index = _text(out / "index.html")
    assert "index-html" in index and "renamed" in index
    assert (out / "index-html" / "report.html").is_file()

    for name in names:  # renamed records, and the next batch still works
        (clients / f"{name}.yaml").rename(clients / f"client-{names.index(name)}.yaml")
    second = _batch(clients, out)
    assert second.exit_code == 0, second.output
    assert (out / "index.html").is_file() and (out / "client-0" / "report.html").is_file()


def test_two_records_that_would_share_a_folder_each_get_one(tmp_path: Path) -> None:
    clients, out = tmp_path / "clients", tmp_path / "out"
    clients.mkdir()
    shutil.copy(JOSE, clients / "Jose Alvarez.yaml")
    shutil.copy(JOSE, clients / "jose-alvarez.yaml")
    result = _batch(clients, out)
    assert result.exit_code == 0, result.output
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == ["jose-alvarez", "jose-alvarez-2"]


def test_a_rerun_rebuilds_a_report_whose_deadline_passed_since(tmp_path: Path) -> None:
    clients, out = _jose(tmp_path)
    assert _batch(clients, out, "--now", BEFORE_DEADLINE).exit_code == 0
    assert "24-hour mark passed" not in _text(out / "jose" / "report.html")

    late = _batch(clients, out, "--now", AFTER_DEADLINE)
    assert "1 built, 0 unchanged" in late.stdout
    assert "24-hour mark passed" in _text(out / "jose" / "report.html")

    again = _batch(clients, out, "--now", AFTER_DEADLINE)
    assert "0 built, 1 unchanged" in again.stdout


def test_a_rerun_makes_the_pdfs_a_run_without_chromium_could_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients, out = _jose(tmp_path)
    options = {"workers": 1, "progress": False}
    with monkeypatch.context() as patch:
        patch.setattr(export, "find_chromium", lambda: None)
        first = run_batch(clients, out, **options)  # type: ignore[arg-type]
    assert [e.status for e in first.clients] == ["ok"]
    assert not (out / "jose" / "report.pdf").exists()

    second = run_batch(clients, out, **options)  # type: ignore[arg-type]
    assert [e.status for e in second.clients] == ["ok"]
    assert (out / "jose" / "report.pdf").read_bytes().startswith(b"%PDF")

    third = run_batch(clients, out, pdf=False, **options)  # type: ignore[arg-type]
    assert [e.status for e in third.clients] == ["skipped"]


def test_a_disk_fault_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients, out = _jose(tmp_path)
    assert _batch(clients, out).exit_code == 0
    before = _tree(out / "jose")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "letters/01-ana.txt")

    monkeypatch.setattr(letters, "write_letters", disk_full)
    result = _batch(clients, out, "--force")

    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    assert "No space left on device" in line and "unexpected" not in line
    assert _tree(out / "jose") == before
    assert "No space left on device" in _text(out / "index.html")


def test_hand_edited_letters_are_kept_when_the_report_is_rebuilt(tmp_path: Path) -> None:
    clients, out = tmp_path / "clients", tmp_path / "out"
    clients.mkdir()
    shutil.copy(EXAMPLES / "mei-lin-technical-froze.yaml", clients / "mei.yaml")  # has letters
    assert _batch(clients, out).exit_code == 0
    folder = out / "mei" / "letters"
    letter = sorted(folder.glob("*.txt"))[0]
    written = letter.read_text(encoding="utf-8")
    letter.write_text(written + "\nP.S. My own words, added by hand.\n", encoding="utf-8")

    assert _batch(clients, out, "--force").exit_code == 0

    assert letter.read_text(encoding="utf-8") == written
    (kept,) = folder.glob(f"{letter.stem}.edited-*.txt")
    assert kept.read_text(encoding="utf-8").endswith("My own words, added by hand.\n")
    assert kept.name in (out / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own tmp_path is private to this user)."""
    folder = Path(tempfile.mkdtemp(prefix="afterview-readonly-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_a_read_only_output_folder_is_one_plain_line(shared_tmp: Path) -> None:
    clients, out = _jose(shared_tmp)
    out.mkdir(mode=0o555)
    out.chmod(0o555)
    user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() != 0:
        user = []  # already a user whom the folder's mode stops
    command = [sys.executable, "-m", "afterview", "batch", str(clients), "-o", str(out)]
    env = {**os.environ, "HOME": str(shared_tmp)}
    done = subprocess.run(
        [*user, *command, "--no-pdf"], capture_output=True, text=True, env=env, timeout=120
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1
    assert len(lines) == 1, done.stderr
    assert str(out) in lines[0] and "permission denied" in lines[0].lower()
    assert "unexpected" not in lines[0] and "Traceback" not in done.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("date", ["2026-02-30", "9999-12-31"])
def test_an_impossible_date_fails_only_that_client(tmp_path: Path, date: str) -> None:
    clients, out = _jose(tmp_path)
    text = JOSE.read_text(encoding="utf-8").replace("date: 2026-11-25", f"date: {date}", 1)
    (clients / "impossible.yaml").write_text(text, encoding="utf-8")

    result = _batch(clients, out)

    assert result.exit_code == 1, result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    assert line.startswith("✗ impossible.yaml: ") and "unexpected" not in result.output
    assert (out / "jose" / "report.html").is_file()
    assert (out / "summary.csv").is_file() and "impossible.yaml" in _text(out / "index.html")


def test_when_no_kernel_will_start_every_client_fails_and_the_index_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients, out = _jose(tmp_path)
    shutil.copy(ADA, clients)

    def no_kernels(*args: object, **kwargs: object) -> None:
        raise RunError("the kernel template process stopped")

    monkeypatch.setattr(executors, "KernelPool", no_kernels)
    result = run_batch(clients, out, workers=1, pdf=False, progress=False)

    assert [e.status for e in result.clients] == ["failed", "failed"]
    assert all(e.error == "the kernel template process stopped" for e in result.clients)
    assert "the kernel template process stopped" in _text(result.index)
    assert result.summary_csv.is_file()


def test_a_record_with_a_key_written_twice_fails_alone_with_the_line_to_fix(
    tmp_path: Path,
) -> None:
    """The batch plans from records read fast (libyaml keeps the last of two equal keys); the
    client's own run reads the record strictly, so the duplicate is still named."""
    clients, out = _jose(tmp_path)
    text = ADA.read_text(encoding="utf-8")
    doubled = text.replace("schema_version: 1\n", "schema_version: 1\nschema_version: 1\n", 1)
    assert doubled != text
    (clients / "ada.yaml").write_text(doubled, encoding="utf-8")
    result = _batch(clients, out)
    assert result.exit_code == 1
    assert "ada" in result.output and 'duplicate key "schema_version"' in result.output
    assert (out / "jose" / "report.html").is_file()
    assert not (out / "ada").exists()
