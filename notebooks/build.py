"""Write the workbook notebooks (run after changing a step's layout or its title in content).

    .venv/bin/python notebooks/build.py

The notebooks only lay out and call: every prompt, check and chart lives in ``afterview``.
Each has one ``parameters`` cell (literals only, one comment per parameter for
``papermill --help-notebook``); they are written without outputs, for the ``python3`` kernel,
with stable cell ids so a rebuild only changes what really changed.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from afterview.coaching.content import content

HERE = Path(__file__).resolve().parent

PARAMETERS = """\
record: str = "../examples/ada-okafor-panel.yaml"  # path of the client's record (a YAML file)
interactive: bool = True  # True: forms that save as you type (JupyterLab); False: results only
coach_view: bool = False  # True: also the coach's fields and notes; never for a client's copy
now: str = ""  # check letter deadlines as at this ISO time (2026-11-24T18:00+00:00); "": now
history: str = ""  # the same person's other records, one path a line (batch, lab); "": none
calibration: str = ""  # the practice's calibration sentence for step 1 (coach's switch); "": off
"""

OPEN = """\
from afterview.workbook import forms, notebook, views

session = notebook.open_record(record, coach=coach_view{follow})
now_at = notebook.parse_now(now, session.record.interview.timezone)
past = notebook.past_interviews(session.record, history)
"""
# A step's form follows the record file, so what another step's notebook saves reaches it.
OPEN_STEP = OPEN.format(follow=", follow=interactive")
OPEN_REPORT = OPEN.format(follow="")

# notebook file -> (content step, form call, view call)
STEPS = {
    "0-intake.ipynb": (
        "intake",
        "forms.intake_form(session, coach=coach_view)",
        "views.intake_html(session.record, coach=coach_view)",
    ),
    "1-perspective.ipynb": (
        "perspective",
        "forms.perspective_form(session, coach=coach_view)",
        "views.thought_record_html(session.record, calibration=calibration)",
    ),
    "2-letter.ipynb": (
        "letters",
        "forms.letters_form(session, now=now_at)",
        "views.letters_html(session.record, now=now_at)",
    ),
    "3-strengths.ipynb": (
        "strengths",
        "forms.strengths_form(session)",
        "views.strengths_html(session.record)",
    ),
    "4-lessons.ipynb": (
        "lessons",
        "forms.lessons_form(session)",
        "views.lessons_html(session.record, past=past)",
    ),
    "5-move-on.ipynb": (
        "move_on",
        "forms.move_on_form(session)",
        "views.move_on_html(session.record, now=now_at)",
    ),
}

ABOVE_FORM = {
    "1-perspective.ipynb": "views.calibration_html(calibration)",
    "4-lessons.ipynb": "views.checklist_html(past)",
}
"""What an interactive step shows above its form: what its view adds from outside the record."""

REPORT_SECTIONS = [
    ("The interview", "views.intake_html(session.record)"),
    (None, "views.thought_record_html(session.record, calibration=calibration)"),
    (None, "views.letters_html(session.record, now=now_at)"),
    (None, "views.strengths_html(session.record)"),
    (None, "views.lessons_html(session.record, remedies=False, past=past)"),
    (None, "views.move_on_html(session.record, dates=False, now=now_at)"),
    ("Your action plan", "views.action_plan_html(session.record, now=now_at, past=past)"),
]
REPORT_STEPS = ["perspective", "letters", "strengths", "lessons", "move_on"]


def _notebook(cells: list[nbformat.NotebookNode], stem: str, title: str) -> nbformat.NotebookNode:
    for number, cell in enumerate(cells):
        cell.id = f"{stem}-{number}"
    notebook = new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
        "title": title,
    }
    return notebook


def _parameters() -> nbformat.NotebookNode:
    return new_code_cell(PARAMETERS.rstrip("\n"), metadata={"tags": ["parameters"]})


def step_notebook(name: str) -> nbformat.NotebookNode:
    key, form, view = STEPS[name]
    above = f"    notebook.show({ABOVE_FORM[name]})\n" if name in ABOVE_FORM else ""
    step = content().steps[key]
    number = name.split("-", 1)[0]
    title = step.title if number == "0" else f"Step {number}: {step.title}"
    cells = [
        new_markdown_cell(f"# {title}\n\n{step.purpose}"),
        _parameters(),
        new_code_cell(OPEN_STEP.rstrip("\n")),
        new_code_cell(
            f"if interactive:\n{above}    display({form})\nelse:\n    notebook.show({view})"
        ),
    ]
    return _notebook(cells, Path(name).stem, f"Afterview: {step.title}")


def report_notebook() -> nbformat.NotebookNode:
    steps = content().steps
    cells = [
        new_markdown_cell(
            "# Your interview debrief\n\n"
            "What happened, what you did about it, and what comes next: the five steps of "
            "recovering from an interview that did not go the way you hoped."
        ),
        _parameters(),
        new_code_cell(OPEN_REPORT.rstrip("\n")),
    ]
    step_titles = iter(f"{n}. {steps[key].title}" for n, key in enumerate(REPORT_STEPS, 1))
    for heading, call in REPORT_SECTIONS:
        cells.append(new_markdown_cell(f"## {heading or next(step_titles)}"))
        cells.append(new_code_cell(f"notebook.show({call})"))
        if heading == "The interview":  # a person with one interview has no history to show
            history = "if past.shown:\n    notebook.show(views.history_html(past))"
            cells.append(new_code_cell(history))
    cells.append(
        new_code_cell("if coach_view:\n    notebook.show(views.coach_notes_html(session.record))")
    )
    return _notebook(cells, "report", "Your interview debrief")


CASELOAD_PARAMETERS = """\
folder: str = "../examples"  # the folder of client records (YAML files)
interactive: bool = True  # True: sortable, filterable table with buttons; False: the table only
now: str = ""  # judge what is due as at this ISO time (2026-11-26T09:00+00:00); "": now
quiet_days: int = 7  # flag a client when none of their records changed for this many days
"""


def caseload_notebook() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# Caseload\n\n"
            "Who needs you today: one row per client, most urgent first. Letters overdue or "
            "due within a day, follow-ups and interviews in the next week, steps done, and "
            "the flags to look at first. For the coach only: it reads the coach files."
        ),
        new_code_cell(CASELOAD_PARAMETERS.rstrip("\n"), metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from afterview.workbook import caseload, notebook\n\n"
            "view = caseload.caseload_view(\n"
            "    folder, now=notebook.parse_now(now), quiet_days=quiet_days, "
            "interactive=interactive\n"
            ")\n"
            "if interactive:\n    display(view)\nelse:\n    notebook.show(view)"
        ),
    ]
    return _notebook(cells, "caseload", "Afterview: caseload")


def main() -> None:
    for name in STEPS:
        nbformat.write(step_notebook(name), HERE / name)
    nbformat.write(report_notebook(), HERE / "report.ipynb")
    nbformat.write(caseload_notebook(), HERE / "caseload.ipynb")


if __name__ == "__main__":
    main()
