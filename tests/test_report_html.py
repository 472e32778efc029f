"""A client's report is one valid HTML page: every style in its <head>, nothing from outside."""

from __future__ import annotations

from html.parser import HTMLParser

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from afterview.batch.export import to_html
from afterview.record import store
from afterview.workbook import views

from .conftest import EXAMPLES


class _Styles(HTMLParser):
    """Where each <style> element sits: inside <head>, or in the body."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.places: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        elif tag == "style":
            self.places.append("head" if self.in_head else "body")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def _report_of_step_views() -> str:
    record = store.load(EXAMPLES / "ada-okafor-panel.yaml")
    shown = [views.intake_html(record), views.letters_html(record), views.strengths_html(record)]
    cells = [new_markdown_cell("# Your interview debrief")] + [
        new_code_cell("show(...)", outputs=[new_output("display_data", data={"text/html": h})])
        for h in shown
    ]
    return to_html(new_notebook(cells=cells), title="Debrief", footer="Afterview")


def test_every_style_of_a_report_is_in_its_head_once() -> None:
    page = _report_of_step_views()
    parser = _Styles()
    parser.feed(page)
    assert parser.places == ["head"], parser.places
    assert ".av-box" in page.split("</head>")[0], "the views' styles travel in the head"
    assert page.count("Ada Okafor") >= 1 and "<table>" in page


def test_a_notebook_output_keeps_its_own_style_for_jupyterlab() -> None:
    record = store.load(EXAMPLES / "ada-okafor-panel.yaml")
    assert views.letters_html(record).startswith("<style>")


def test_the_printed_report_keeps_letters_and_rows_whole_and_starts_each_step_on_a_page() -> None:
    page = _report_of_step_views()
    head = page.split("</head>")[0]
    print_rules = head[head.index("@media print") :]
    assert ".av-letter" in print_rules and "tr {" in print_rules.replace(",\n", " ")
    assert "break-inside: avoid" in print_rules
    assert 'h2[id^="1."]' in print_rules and "break-before: page" in print_rules
