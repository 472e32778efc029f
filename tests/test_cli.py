"""The `afterview` command, run in-process as a user would type it."""

from __future__ import annotations

import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from afterview import load
from afterview.cli import cli

from .conftest import EXAMPLES, FIXTURES


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_new_writes_a_valid_record_from_flags(tmp_path: Path) -> None:
    path = tmp_path / "zoe.yaml"
    result = run(
        "new",
        str(path),
        "--name",
        "Zoë Brontë",
        "--company",
        "Kestrel Labs",
        "--role",
        "QA Lead",
        "--date",
        "2026-11-24",
        "--time",
        "15:30",
        "--timezone",
        "Europe/Paris",
        "--format",
        "panel",
        "--interviewer",
        "Sam Idowu, CTO, sam@example.com",
        "--interviewer",
        "Lea Roux",
        "--rating",
        "3",
    )
    assert result.exit_code == 0, result.output
    record = load(path)
    assert record.candidate.name == "Zoë Brontë"
    assert [p.name for p in record.interviewers] == ["Sam Idowu", "Lea Roux"]
    assert record.interviewers[0].email == "sam@example.com"
    assert record.interview.self_rating == 3
    assert record.interview.starts_at.isoformat() == "2026-11-24T15:30:00+01:00"


def test_new_asks_for_what_the_flags_did_not_give(tmp_path: Path) -> None:
    path = tmp_path / "noor.yaml"
    # name, company, role, date, time, time zone, format, rating, then the interviewers
    answers = (
        "Noor Haddad\nLumen Books\nCopywriter\n2026-11-23\n\nUTC\n\n5\nGrace Liu\nEditor\n\n\n"
    )
    result = run("new", str(path), input=answers)
    assert result.exit_code == 0, result.output
    record = load(path)
    assert record.interview.role == "Copywriter"
    assert record.interviewers[0].title == "Editor"


def test_new_never_overwrites_an_existing_record(tmp_path: Path) -> None:
    path = tmp_path / "kept.yaml"
    path.write_text("# the coach's notes\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["new", str(path), "--name", "X"])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert path.read_text(encoding="utf-8") == "# the coach's notes\n"


def test_new_with_a_bad_date_says_which_field_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    result = CliRunner().invoke(
        cli,
        [
            "new",
            str(path),
            "--name",
            "A",
            "--company",
            "B",
            "--role",
            "C",
            "--date",
            "yesterday",
            "--interviewer",
            "D",
        ],
    )
    assert result.exit_code == 1
    assert "interview.date: expected a date like 2026-11-24, got 'yesterday'" in result.output
    assert "Traceback" not in result.output
    assert not path.exists()


def test_new_asks_for_what_the_deadline_needs_and_every_interviewer(tmp_path: Path) -> None:
    path = tmp_path / "kenji.yaml"
    answers = [
        "Kenji Watanabe",
        "Hoshi Robotics",
        "Firmware Engineer",
        "2026-11-24",
        "16:30",
        "Tokyo",  # not a zone name: asked again, with the one meant
        "Asia/Tokyo",
        "onsite",
        "3",
        "Haruka Shimizu",
        "Staff Engineer, Payments Platform",
        "haruka at hoshi",  # letters could not address it: asked again
        "haruka@hoshi.example",
        "Daichi Mori",
        "",
        "",
        "Emi Sato",
        "Recruiter",
        "emi@hoshi.example",
        "",  # Enter on an empty name: done
    ]
    result = run("new", str(path), input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "did you mean Asia/Tokyo?" in result.output
    assert "'haruka at hoshi' is not an e-mail address" in result.output
    record = load(path)
    assert record.interview.starts_at.isoformat() == "2026-11-24T16:30:00+09:00"
    assert (record.interview.format, record.interview.self_rating) == ("onsite", 3)
    assert [(p.name, p.title, p.email) for p in record.interviewers] == [
        ("Haruka Shimizu", "Staff Engineer, Payments Platform", "haruka@hoshi.example"),
        ("Daichi Mori", "", None),
        ("Emi Sato", "Recruiter", "emi@hoshi.example"),
    ]


def test_new_offers_this_computers_time_zone(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TZ", "America/Chicago")
    path = tmp_path / "sol.yaml"
    answers = "Sol Reyes\nPrairie Bank\nAnalyst\n2026-11-24\n10:00\n\nphone\n6\nMo Diaz\n\n\n\n"
    result = run("new", str(path), input=answers)
    assert result.exit_code == 0, result.output
    assert "[America/Chicago]" in result.output
    assert load(path).interview.timezone == "America/Chicago"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "Haruka Shimizu <haruka@example.com>, Staff Engineer, Payments Platform",
            ("Haruka Shimizu", "Staff Engineer, Payments Platform", "haruka@example.com"),
        ),
        (
            "Haruka Shimizu, Staff Engineer, Payments Platform, haruka@example.com",
            ("Haruka Shimizu", "Staff Engineer, Payments Platform", "haruka@example.com"),
        ),
        ("Lea Roux <lea@example.com>", ("Lea Roux", "", "lea@example.com")),
        ("Lea Roux, Head of QA, Europe", ("Lea Roux", "Head of QA, Europe", None)),
        ("Lea Roux, lea@example.com", ("Lea Roux", "", "lea@example.com")),
        ("Lea Roux", ("Lea Roux", "", None)),
    ],
)
def test_an_interviewer_option_is_read_one_way_only(
    tmp_path: Path, given: str, expected: tuple[str, str, str | None]
) -> None:
    path = tmp_path / "one.yaml"
    flags = ["--name", "A", "--company", "B", "--role", "C", "--date", "2026-11-24"]
    flags += ["--time", "09:00", "--timezone", "UTC", "--format", "video", "--rating", "5"]
    result = run("new", str(path), *flags, "--interviewer", given)
    assert result.exit_code == 0, result.output
    (person,) = load(path).interviewers
    assert (person.name, person.title, person.email) == expected


def test_new_refuses_an_email_the_letters_could_not_use(tmp_path: Path) -> None:
    path = tmp_path / "bad-email.yaml"
    flags = ["--name", "A", "--company", "B", "--role", "C", "--date", "2026-11-24"]
    flags += ["--time", "09:00", "--timezone", "UTC", "--format", "video", "--rating", "5"]
    result = CliRunner().invoke(
        cli, ["new", str(path), *flags, "--interviewer", "Ann <ann at acme>"]
    )
    assert result.exit_code == 1
    assert "interviewers.0.email: 'ann at acme' is not an e-mail address" in result.output
    assert not path.exists()


def _write(path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "record-minimal.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("2026-11-23", "9999-12-31", "interview.date (line 8): expected a date between 1990"),
        ("2026-11-23", "2026-02-30", "interview.date (line 8): expected a date like"),
        (
            "name: Grace Liu",
            "name: Grace Liu\n    email: ann at acme",
            "interviewers.0.email (line 11): 'ann at acme' is not an e-mail address",
        ),
    ],
    ids=["year-9999", "february-30", "email"],
)
@pytest.mark.parametrize("command", ["check", "letters"])
def test_check_and_letters_refuse_what_letters_cannot_use_in_one_line(
    tmp_path: Path, command: str, old: str, new: str, expected: str
) -> None:
    path = _write(tmp_path / "client.yaml", old, new)
    extra = ["-o", str(tmp_path / "out")] if command == "letters" else []
    result = CliRunner().invoke(cli, [command, str(path), *extra])
    assert result.exit_code == 1
    assert f"{path}: {expected}" in result.output
    assert "unexpected error" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_check_passes_a_good_record_and_lists_its_findings() -> None:
    result = CliRunner().invoke(
        cli, ["check", str(EXAMPLES / "ada-okafor-panel.yaml"), "--now", "2026-11-24T16:00+00:00"]
    )
    assert "ada-okafor-panel.yaml" in result.output
    assert "finding(s)" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "name", ["bad-date-in-words.yaml", "bad-malformed-yaml.yaml", "bad-empty.yaml"]
)
def test_check_fails_a_bad_record_with_one_line_naming_the_file(name: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(FIXTURES / name)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if name in line]
    assert len(lines) == 1
    assert "Traceback" not in result.output


def test_check_goes_on_past_a_bad_record_to_the_next_one() -> None:
    result = CliRunner().invoke(
        cli, ["check", str(FIXTURES / "bad-empty.yaml"), str(FIXTURES / "record-minimal.yaml")]
    )
    assert result.exit_code == 1
    assert "record-minimal.yaml" in result.output


def test_check_rejects_a_now_that_is_not_a_time() -> None:
    result = CliRunner().invoke(
        cli, ["check", str(FIXTURES / "record-minimal.yaml"), "--now", "teatime"]
    )
    assert result.exit_code == 1
    assert "--now: expected a time like" in result.output


def test_check_reads_a_now_without_offset_in_the_interviews_zone_and_says_so() -> None:
    result = CliRunner().invoke(
        cli, ["check", str(FIXTURES / "los-angeles-afternoon.yaml"), "--now", "2026-11-25T16:15"]
    )

    assert "(as at Wednesday 25 November at 16:15 Los Angeles time (UTC\u22128))" in result.output
    assert "30 minutes left" in result.output


def test_batch_refuses_a_now_without_offset_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["batch", str(EXAMPLES), "-o", str(tmp_path / "out"), "--now", "2026-11-25T16:15"]
    )

    assert result.exit_code != 0
    assert "--now: '2026-11-25T16:15' has no time zone; add the offset" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_letters_writes_a_text_and_a_draft_email_per_interviewer(tmp_path: Path) -> None:
    record = load(EXAMPLES / "ada-okafor-panel.yaml")
    result = run("letters", str(EXAMPLES / "ada-okafor-panel.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    texts = sorted(tmp_path.glob("*.txt"))
    emails = sorted(tmp_path.glob("*.eml"))
    assert len(texts) == len(emails) == len(record.interviewers) == 3
    for person, text, eml in zip(record.interviewers, texts, emails, strict=True):
        assert person.name.split()[0] in text.read_text(encoding="utf-8")
        message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
        assert person.name.split()[0] in message.get_body().get_content()  # type: ignore[union-attr]


def test_letters_for_a_missing_record_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["letters", str(tmp_path / "gone.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        "no such file; check the path or create one with `afterview new`"
    )


def test_python_dash_m_afterview_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "afterview", "check", str(FIXTURES / "bad-empty.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.count("\n") == 1 and "the file is empty" in done.stdout
    assert "Traceback" not in done.stderr
