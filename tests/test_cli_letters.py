"""`afterview letters` writes what the job seeker sends after the interview, as the batch does:
the thank-you letters, the three follow-up notes and the calendar that dates them."""

from __future__ import annotations

import datetime as dt
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path

import icalendar
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from afterview.cli import cli
from afterview.coaching import followups

from .conftest import EXAMPLES, FIXTURES, ROOT

DRAFTS = sorted(
    f"{followups.draft_file(kind)}.{ext}" for kind in followups.KINDS for ext in ("txt", "eml")
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def all_day_events(ics: Path) -> dict[str, dt.date]:
    """Each all-day event's date, by the draft file its description names."""
    found: dict[str, dt.date] = {}
    for event in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"):
        text = str(event["DESCRIPTION"])
        for kind in followups.KINDS:
            if f"{followups.draft_file(kind)}.txt" in text:
                found[kind] = event.decoded("DTSTART")
    return found


def test_letters_writes_the_follow_up_drafts_beside_the_letters_and_dates_them(
    tmp_path: Path,
) -> None:
    # Łukasz has not sent his two letters yet: as of Thursday 26 November in Sydney, the
    # check-in is due 5 business days later and the last note two weeks after that.
    result = run(
        "letters",
        str(EXAMPLES / "lukasz-wisniewski-video-halfway.yaml"),
        "-o",
        str(tmp_path),
        "--now",
        "2026-11-26T10:00",
    )

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == [
        "01-olivia-tran.txt",
        "02-ben-carter.txt",
    ]
    assert sorted(p.name for p in (tmp_path / "follow-ups").glob("followup-*")) == DRAFTS
    check_in = (tmp_path / "follow-ups" / "followup-1-check-in.eml").read_bytes()
    message = BytesParser(policy=policy.default).parsebytes(check_in)
    assert message["To"].addresses[0].display_name == "Olivia Tran"
    assert "Olivia" in message.get_body().get_content()  # type: ignore[union-attr]
    assert all_day_events(tmp_path / "follow-ups.ics") == {
        "check-in": dt.date(2026, 12, 3),
        "last-note": dt.date(2026, 12, 17),
    }
    notes = tmp_path / "follow-ups"
    assert result.output.splitlines() == [
        str(tmp_path / "01-olivia-tran.txt"),
        str(tmp_path / "01-olivia-tran.eml"),
        str(tmp_path / "02-ben-carter.txt"),
        str(tmp_path / "02-ben-carter.eml"),
        f"{notes / 'followup-1-check-in.txt'}: send on Thursday 3 December if you have not "
        "heard back",
        str(notes / "followup-1-check-in.eml"),
        f"{notes / 'followup-2-last-note.txt'}: send on Thursday 17 December if there is still "
        "no news",
        str(notes / "followup-2-last-note.eml"),
        f"{notes / 'followup-3-after-rejection.txt'}: not dated: send it only if they say no",
        str(notes / "followup-3-after-rejection.eml"),
        f"{tmp_path / 'follow-ups.ics'}: the days to send them, for your calendar",
    ]


def test_the_follow_ups_letters_writes_step_over_the_jobs_public_holidays(tmp_path: Path) -> None:
    # Friday 4 December in Lima, letters not sent yet: Peru's holidays on 8 and 9 December and
    # Christmas Day are not business days.
    result = run(
        "letters",
        str(FIXTURES / "lima-phone-before-two-holidays.yaml"),
        "-o",
        str(tmp_path),
        "--now",
        "2026-12-04T12:00",
    )

    assert result.exit_code == 0, result.output
    assert all_day_events(tmp_path / "follow-ups.ics") == {
        "check-in": dt.date(2026, 12, 15),
        "last-note": dt.date(2026, 12, 30),
    }
    assert "followup-1-check-in.txt: send on Tuesday 15 December" in result.output
    assert "followup-2-last-note.txt: send on Wednesday 30 December" in result.output


def test_after_a_no_letters_dates_only_the_reply_asking_for_feedback(tmp_path: Path) -> None:
    record = tmp_path / "amina.yaml"
    shutil.copy(FIXTURES / "nairobi-candidate-in-london.yaml", record)
    yaml = YAML()
    data = yaml.load(record)
    data["result"] = {"status": "rejected", "on": dt.date(2026, 12, 18)}  # a Friday
    with record.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)

    result = run("letters", str(record), "-o", str(tmp_path / "out"))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out" / "follow-ups").glob("followup-*")) == DRAFTS
    assert all_day_events(tmp_path / "out" / "follow-ups.ics") == {
        "after-rejection": dt.date(2026, 12, 21)
    }
    assert "followup-3-after-rejection.txt: send on Monday 21 December" in result.output
    assert "followup-1-check-in.txt: not needed" in result.output


def test_a_follow_up_draft_edited_by_hand_is_kept_when_letters_runs_again(tmp_path: Path) -> None:
    args = ("letters", str(FIXTURES / "tokyo-year-end.yaml"), "-o", str(tmp_path))
    assert run(*args).exit_code == 0
    draft = tmp_path / "follow-ups" / "followup-2-last-note.txt"
    draft.write_text("My own words.\n", encoding="utf-8")

    assert run(*args).exit_code == 0

    (kept,) = (tmp_path / "follow-ups").glob("followup-2-last-note.edited-*.txt")
    assert kept.read_text(encoding="utf-8") == "My own words.\n"
    assert draft.read_text(encoding="utf-8") != "My own words.\n"


def test_the_help_and_readme_say_letters_writes_the_follow_ups() -> None:
    (listed,) = [line for line in run("--help").output.splitlines() if "  letters  " in line]
    assert "follow-up" in listed
    assert "follow-ups/" in run("letters", "--help").output
    (row,) = [
        line
        for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `afterview letters")
    ]
    assert "follow-ups/" in row and "follow-ups.ics" in row
