"""What leaves the batch for a client: clean offline HTML, scrubbed metadata, no coach notes."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from afterview.batch.export import PdfPrinter, network_references, prepare_metadata, to_html
from afterview.batch.privacy import leaked_files
from afterview.record.errors import RunError

from .conftest import chromium_or_skip

NOTES = "Talk about the salary question before the next round; she undersold herself badly."


def _executed() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# Your interview debrief"),
        new_code_cell(
            "from afterview import views\nshow(views.letters_html(record))",
            outputs=[
                new_output("display_data", data={"text/html": "<p>Dear Priya, thank you.</p>"}),
                new_output("stream", name="stderr", text="UserWarning: something internal\n"),
                new_output(
                    "display_data",
                    data={
                        "application/vnd.jupyter.widget-view+json": {"model_id": "abc"},
                        "text/plain": "VBox(children=(...))",
                    },
                ),
            ],
        ),
        new_code_cell(
            "1 / 0",
            outputs=[
                new_output(
                    "error",
                    ename="ZeroDivisionError",
                    evalue="division by zero",
                    traceback=["Traceback (most recent call last)", "ZeroDivisionError"],
                )
            ],
        ),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["papermill"] = {"parameters": {"record": "/home/coach/clients/ada.yaml"}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def test_the_html_keeps_what_a_client_reads_and_drops_code_errors_and_widgets() -> None:
    page = to_html(_executed(), title="Your interview debrief", footer="Prepared with Afterview.")
    assert "Your interview debrief" in page
    assert "Dear Priya, thank you." in page
    for hidden in (
        "from afterview import",
        "UserWarning",
        "VBox",
        "ZeroDivisionError",
        "Traceback",
        "widget",
        "In&nbsp;[",
        "<script",
    ):
        assert hidden not in page, hidden
    assert network_references(page) == []


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.jsdelivr.net/npm/x.js"></script>',
        "<link rel=stylesheet href='//fonts.example.com/a.css'>",
        '<img src="http://example.com/pixel.gif">',
        "<style>@import url(https://example.com/a.css);</style>",
    ],
)
def test_any_remote_asset_is_found(snippet: str) -> None:
    assert network_references(f"<html><body>{snippet}</body></html>")


def test_local_links_and_inline_images_are_not_remote_assets() -> None:
    page = (
        '<a href="#step-2">Step 2</a><img src="data:image/png;base64,AAAA"><a href="a.pdf">PDF</a>'
    )
    assert network_references(page) == []


def test_a_report_that_would_load_a_remote_asset_is_refused() -> None:
    nb = new_notebook(
        cells=[
            new_code_cell(
                "x",
                outputs=[
                    new_output(
                        "display_data",
                        data={"text/html": '<img src="https://example.com/tracker.gif">'},
                    )
                ],
            )
        ]
    )
    with pytest.raises(RunError, match="network"):
        to_html(nb, title="t", footer="f")


def test_metadata_keeps_provenance_and_loses_paths_and_widget_state() -> None:
    nb = _executed()
    run_at = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
    prepare_metadata(nb, record_name="ada.yaml", notebook_name="report.ipynb", run_at=run_at)
    assert "papermill" not in nb.metadata and "widgets" not in nb.metadata
    assert nb.metadata["afterview"]["record"] == "ada.yaml"
    assert nb.metadata["afterview"]["run_at"] == "2026-11-24T18:00:00+00:00"
    assert "/home/coach" not in nbformat.writes(nb)


def test_coach_notes_are_found_however_a_file_encodes_them(tmp_path: Path) -> None:
    message = EmailMessage()
    message["Subject"] = "Thank you"
    message.set_content(f"Dear Priya,\n\n{NOTES}\n", cte="base64")
    (tmp_path / "letter.eml").write_bytes(message.as_bytes())
    folded = "DESCRIPTION:" + NOTES.replace("salary", "sal\r\n ary")
    (tmp_path / "dates.ics").write_text(f"BEGIN:VEVENT\r\n{folded}\r\nEND:VEVENT\r\n")
    (tmp_path / "report.html").write_text("<p>" + NOTES.replace("'", "&#x27;") + "</p>")
    (tmp_path / "clean.txt").write_text("Nothing private here.")
    assert [p.name for p in leaked_files(tmp_path, NOTES)] == [
        "dates.ics",
        "letter.eml",
        "report.html",
    ]


def test_one_long_line_of_the_notes_is_enough_to_count_as_a_leak(tmp_path: Path) -> None:
    notes = f"Short.\n{NOTES}"
    (tmp_path / "report.html").write_text(f"<p>{NOTES}</p>")
    assert leaked_files(tmp_path, notes) == [tmp_path / "report.html"]
    assert leaked_files(tmp_path, "") == []


def test_the_executed_notebook_names_the_record_file_not_the_coachs_folders() -> None:
    nb = nbformat.v4.new_notebook()
    injected = nbformat.v4.new_code_cell(
        'record = "/home/coach/clients/Ada Okafor/ada.yaml"\ninteractive = False\n'
    )
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.append(injected)
    run_at = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
    prepare_metadata(nb, record_name="ada.yaml", notebook_name="report.ipynb", run_at=run_at)
    assert nb.cells[0].source == "record = 'ada.yaml'\ninteractive = False\n"


def test_a_long_batch_prints_on_a_fresh_page_every_so_often_and_every_pdf_is_whole() -> None:
    # One page printing a thousand reports kept growing (PSS +12 % over 400 reports, +36 %
    # over a 1,000-client batch); a page replaced every hundred reports stays flat.
    executable = chromium_or_skip()
    page = "<!doctype html><title>t</title><p>Report {n}</p>"
    with PdfPrinter(executable, fresh_page_every=2) as printer:
        pages_open = []
        for n in range(5):
            pdf = printer.print_pdf(page.format(n=n))
            assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
            assert printer._browser is not None
            pages_open.append(len(printer._browser.contexts))
    assert pages_open == [1, 0, 1, 0, 1]


def test_reports_exported_from_several_threads_at_once_each_keep_their_own_words() -> None:
    # The batch shares one exporter between its threads (one template compile per batch).
    def report(name: str) -> str:
        cell = new_code_cell(
            "show()",
            outputs=[new_output("display_data", data={"text/html": f"<p>Dear {name},</p>"})],
        )
        return to_html(new_notebook(cells=[cell]), title=f"For {name}", footer="")

    names = [f"Client {n:02d}" for n in range(12)]
    with ThreadPoolExecutor(4) as threads:
        pages = list(threads.map(report, names))
    for name, page in zip(names, pages, strict=True):
        assert f"Dear {name}," in page and f"For {name}" in page
        others = [other for other in names if other != name and f"Dear {other}," in page]
        assert others == []
