"""The `afterview` command: a thin layer that parses options and calls the library.

Every command's help ends with an example. Errors the library raises on purpose
(:class:`~afterview.record.errors.AfterviewError`) become one line on stderr and exit status 1;
anything unexpected becomes one line too, with ``--debug`` to see the traceback. The options
several commands share are in :mod:`afterview.cli_options`; what ``afterview new`` asks for is
in :mod:`afterview.cli_new`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from afterview import __version__, cli_new
from afterview.app.server import serve
from afterview.cli_options import (
    EXISTING_FILE,
    calibration_option,
    no_browser_option,
    now_option,
    output_option,
    templates_option,
)
from afterview.coaching import caseload, checks, letters, outbox, tables
from afterview.coaching.calibration import folder_sentence
from afterview.coaching.content import content
from afterview.record import store
from afterview.record.errors import AfterviewError, RecordError
from afterview.record.schema import FORMATS, STAGES
from afterview.record.store import atomic_write


class AfterviewGroup(click.Group):
    """Turns errors into one line and an exit status instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AfterviewError as error:
            click.secho(f"afterview: {error}", err=True, fg="red")
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("afterview: interrupted; nothing half-written was left behind", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            click.secho(
                f"afterview: unexpected error ({type(error).__name__}: {error}); "
                "run again with --debug and report it",
                err=True,
                fg="red",
            )
            ctx.exit(2)


@click.group(cls=AfterviewGroup)
@click.version_option(__version__, prog_name="afterview")
@click.option("--debug", is_flag=True, help="Show full tracebacks (for bug reports).")
def cli(debug: bool) -> None:
    """Afterview: recover from an interview that went badly.

    One YAML record per client interview; the workbook notebooks, letters, reports and the
    self-guided app all read and write it.

    \b
    Example:
        afterview check examples/*.yaml
    """


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", help="The candidate's name.")
@click.option("--company", help="The company interviewed with.")
@click.option("--role", help="The role interviewed for.")
@click.option("--date", "date_", help="Interview date, like 2026-11-24.")
@click.option("--time", "time_", help="Start time, 24 h, like 14:30.")
@click.option("--timezone", help="The interview's time zone, e.g. Europe/London.")
@click.option("--format", "format_", type=click.Choice(FORMATS))
@click.option("--stage", type=click.Choice(STAGES), default="first round", show_default=True)
@click.option(
    "--interviewer",
    "interviewers",
    multiple=True,
    help='"Name <email>, Title" (the title may contain commas) or "Name, Title". Repeat for '
    "each interviewer.",
)
@click.option("--rating", type=click.IntRange(1, 10), help="How it went, 1-10, right after.")
def new(path: Path, interviewers: tuple[str, ...], **given: Any) -> None:
    """Start a new client interview record at PATH.

    Give the facts as options; anything missing is asked for, including the start time and
    time zone the letters' send-by deadline needs. An existing file is never overwritten.

    \b
    Example:
        afterview new clients/ada.yaml --name "Ada Okafor" --company "Northwind Health" \\
            --role "Data Analyst" --date 2026-11-24 --time 14:00 --timezone Europe/London \\
            --format panel --rating 4 \\
            --interviewer "Priya Raman <priya@example.com>, Head of Analytics, Care Data"
    """
    if path.exists():
        raise RecordError("already exists; choose another name or edit that file", path=str(path))
    record = store.validate(cli_new.record_data(path, given, interviewers), path=str(path))
    store.save(record, path)
    click.echo(f"Created {path}. Next: afterview lab {path}")


@cli.command()
@click.argument("records", nargs=-1, required=True, type=EXISTING_FILE)
@now_option
@templates_option
def check(records: tuple[Path, ...], now: str | None, templates: Path | None) -> None:
    """Validate records and check their thank-you letters.

    Prints each problem with its fix; exits 1 if any record is invalid or any letter has an
    error-level finding.

    \b
    Example:
        afterview check examples/*.yaml
    """
    failed = False
    for path in records:
        try:
            record = store.load(path)
            moment = checks.parse_now(now, field="--now", zone=record.interview.timezone)
            findings = checks.check_letters(
                record, letters.render_letters(record, templates), now=moment
            )
        except AfterviewError as error:
            click.secho(f"✗ {error}", fg="red")
            failed = True
            continue
        errors = [f for f in findings if f.level == "error"]
        failed = failed or bool(errors)
        mark = click.style("✗", fg="red") if errors else click.style("✓", fg="green")
        as_at = f" (as at {checks.when(moment)})" if moment is not None else ""
        click.echo(f"{mark} {path}: {len(findings)} finding(s){as_at}")
        for finding in findings:
            who = f" [{finding.interviewer}]" if finding.interviewer else ""
            action = "Next" if finding.level == "info" else "Fix"
            click.echo(f"  {finding.level}{who}: {finding.message} {action}: {finding.fix}")
    if failed:
        sys.exit(1)


@cli.command("letters")
@click.argument("record", type=EXISTING_FILE)
@output_option("Folder for the letters; the follow-up notes go into its follow-ups/.")
@templates_option
@now_option
def letters_command(record: Path, output: Path, templates: Path | None, now: str | None) -> None:
    """Write the thank-you letters and follow-up notes (.txt, .eml), with their dates.

    Nothing is sent. The three follow-up notes go into follow-ups/, dated in follow-ups.ics.

    \b
    Example:
        afterview letters examples/ada-okafor-panel.yaml -o letters/
    """
    for line in outbox.write_record_outbox(record, output, templates, now).lines():
        click.echo(line)


@cli.command("lab")
@click.argument("record", type=EXISTING_FILE)
@click.option("--client", is_flag=True, help="Hide the coach's own fields and notes.")
@calibration_option
@no_browser_option
@click.option(
    "--folder",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where the workbook notebooks go [default: RECORD.workbook/ beside the record].",
)
def lab_command(
    record: Path, client: bool, calibration: bool, no_browser: bool, folder: Path | None
) -> None:
    """Open RECORD's workbook in JupyterLab, on this environment's own kernel.

    The notebooks are written, with the record filled in, to a folder beside it; answers are
    saved to RECORD as they are typed. Notebooks already in that folder are kept as they are.

    \b
    Example:
        afterview lab examples/ada-okafor-panel.yaml --client
    """
    # Deferred: papermill takes ~1.5 s to import; only this command needs it.
    from afterview.workbook.lab import lab

    sys.exit(
        lab(record, folder, coach=not client, open_browser=not no_browser, calibration=calibration)
    )


@cli.command("app")
@click.argument("record", type=EXISTING_FILE)
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 [default: a free one]."
)
@click.option(
    "--preheat/--no-preheat",
    default=True,
    help="Keep a kernel warm with the page built, so the page opens faster; --no-preheat "
    "saves one kernel's memory (about 125 MB). [default: on]",
)
@calibration_option
@no_browser_option
def app_command(
    record: Path, port: int | None, preheat: bool, calibration: bool, no_browser: bool
) -> None:
    """Open RECORD's workbook as a web page, for a job seeker working alone: no code.

    The page is served on this computer only (127.0.0.1), with a secret token in its address;
    every answer is saved to RECORD as it is typed, so closing the tab loses nothing, and a
    page opened again (even after a restart) comes back to the step it was on. A kernel is
    kept ready with the page built, so the page opens sooner (--no-preheat: started on
    demand). Press Ctrl-C (or close the terminal) to stop: the server and everything it
    started stop with it.

    \b
    Example:
        afterview app clients/ada.yaml --no-browser
    """
    sentence = folder_sentence(record.parent) if calibration else ""
    sys.exit(
        serve(
            record,
            port=port,
            open_browser=not no_browser,
            preheat=preheat,
            calibration=sentence,
        )
    )


@cli.command("batch")
@click.argument("clients_dir", type=click.Path(path_type=Path, file_okay=False))
@output_option("Folder for the reports, the index and the summary.")
@click.option("--workers", type=click.IntRange(1), help="Clients run at once [default: CPU cores].")
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs (HTML, letters and calendar only).")
@click.option("--force", is_flag=True, help="Re-run clients whose record did not change too.")
@click.option("--steps", is_flag=True, help="Also run and keep each step's notebook.")
@calibration_option
@click.option(
    "--timeout", type=click.IntRange(1), default=120, show_default=True, help="Seconds per cell."
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    help="Run on the Dask scheduler at ADDRESS, e.g. tcp://10.0.0.5:8786 (afterview[dask]).",
)
@now_option
def batch_command(
    clients_dir: Path,
    output: Path,
    workers: int | None,
    no_pdf: bool,
    force: bool,
    steps: bool,
    calibration: bool,
    timeout: int,
    dask_address: str | None,
    now: str | None,
) -> None:
    """Build every client's report, letters and follow-up calendar, plus an index and summary.

    Each record in CLIENTS_DIR gets a folder in the output with its report (HTML, PDF and the
    executed notebook), its letters and follow-up notes (.txt, .eml) and an .ics of its
    follow-up dates. Clients
    whose record did not change since their last report are skipped. Exits 1 if any client
    failed; the others' reports are still written.

    \b
    Example:
        afterview batch examples -o reports --workers 2
    """
    # Deferred imports: nbconvert and papermill take ~1.5 s to import and only this command needs
    # them. The kernel template starts first, so it warms up while they are imported.
    from afterview.batch.kernels import CAN_FORK, ForkServer

    moment = checks.parse_now(now, field="--now")
    server = None
    if CAN_FORK and dask_address is None:
        with contextlib.suppress(OSError):  # the kernel pool tries again once it needs one
            server = ForkServer()
    from afterview.batch.run import run_batch

    result = run_batch(
        clients_dir,
        output,
        workers=workers,
        pdf=not no_pdf,
        force=force,
        steps=steps,
        timeout=timeout,
        dask_address=dask_address,
        now=moment,
        kernel_server=server,
        calibration=calibration,
    )
    for entry in result.failed:
        click.secho(f"✗ {entry.record_file}: {entry.error}", fg="red", err=True)
    counts = {s: sum(c.status == s for c in result.clients) for s in ("ok", "skipped", "failed")}
    click.echo(
        f"{counts['ok']} built, {counts['skipped']} unchanged, {counts['failed']} failed. "
        f"Index: {result.index}"
    )
    if result.failed:
        sys.exit(1)


@cli.command("caseload")
@click.argument("clients_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--html",
    "html_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the caseload as a web page.",
)
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write it as a spreadsheet (one row per client).",
)
@click.option(
    "--reports",
    type=click.Path(path_type=Path, file_okay=False),
    help="The `afterview batch` output folder, for links to each client's report.",
)
@click.option(
    "--quiet-days",
    type=click.IntRange(1),
    default=None,
    help="Flag a client when nothing changed for this many days [default: 7].",
)
@now_option
def caseload_command(
    clients_dir: Path,
    html_file: Path | None,
    csv_file: Path | None,
    reports: Path | None,
    quiet_days: int | None,
    now: str | None,
) -> None:
    """Who needs you today: one line per client, most urgent first.

    Letters overdue or due within 24 hours, follow-ups and interviews in the next 7 days,
    steps done, flags (high distress, a remark to discuss, no activity) and the next action.
    Several records of one person (same client reference, e-mail or name) make one line.

    \b
    Example:
        afterview caseload examples --html caseload.html --now 2026-11-26T09:00+00:00
    """
    moment = checks.parse_now(now, field="--now") or dt.datetime.now(dt.UTC)
    days = quiet_days or content().caseload.quiet_days
    entries, problems = caseload.read_folder(clients_dir)
    cases = caseload.caseload(entries, moment, quiet_days=days)
    click.echo(tables.to_text(cases, days, width=shutil.get_terminal_size().columns), nl=False)
    for problem in problems:
        click.secho(f"skipped {problem}", fg="yellow", err=True)
    if html_file is not None:
        links = tables.Links(html_file.parent, reports)
        with atomic_write(html_file) as handle:
            handle.write(tables.to_html(cases, moment, days, links))
        click.echo(f"Caseload page: {html_file}")
    if csv_file is not None:
        with atomic_write(csv_file) as handle:
            handle.write(tables.to_csv(cases, days))
        click.echo(f"Caseload CSV: {csv_file}")


def main() -> None:
    cli(prog_name="afterview")


__all__ = ["cli", "main"]
