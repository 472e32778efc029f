"""Running one client's job: their notebooks in one fresh kernel, then every artefact.

:func:`run_job` is what an executor runs. It writes only into the job's staging folder, which
the batch moves into place once the run succeeded; on any failure the staging folder is removed
and the result names the notebook, the cell and the error.

Papermill runs each notebook in-process with a kernel handed to it (``km``), with no save after
every cell and no progress bar: the per-notebook costs of the papermill CLI are paid once per
process, not once per client.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import papermill
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError

from afterview.batch.export import prepare_metadata, to_html
from afterview.batch.folders import machine_fault, remove_owned
from afterview.batch.jobs import ClientJob, JobResult, claim, is_owned
from afterview.batch.kernels import connect, start_kernel, stop_kernel
from afterview.batch.pool import KernelPool
from afterview.coaching import checks, outbox
from afterview.coaching.outbox import CALENDAR_FILE, FOLLOW_UPS_DIR
from afterview.record import quickread, store
from afterview.record.errors import AfterviewError, RunError
from afterview.record.fictional import fictional_record
from afterview.record.schema import Record
from afterview.workbook.files import REPORT_NOTEBOOK

__all__ = ["CALENDAR_FILE", "FOLLOW_UPS_DIR", "LETTERS_DIR", "run_job", "warm_up"]

ENGINE = "afterview-pooled"
LETTERS_DIR = "letters"
START_TIMEOUT = 60


class _FailedCell(Exception):
    """A cell that timed out or killed its kernel, with where it was."""

    def __init__(self, index: int | None, message: str, *, timed_out: bool) -> None:
        super().__init__(message)
        self.index = index
        self.timed_out = timed_out


class _PooledEngine(NBClientEngine):  # type: ignore[misc]
    """Papermill's nbclient engine, on a kernel it is given and leaves running."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        km: AsyncKernelManager | None = None,
        kc: AsyncKernelClient | None = None,
        execution_timeout: int | None = None,
        start_timeout: int = START_TIMEOUT,
        **kwargs: Any,
    ) -> Any:
        client = PapermillNotebookClient(
            nb_man,
            km=km,
            kernel_name=kernel_name,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            interrupt_on_timeout=False,
        )
        client.kc = kc  # connected once per client, not once per notebook
        started: list[int] = []
        cell_start = nb_man.cell_start

        def track(cell: Any, cell_index: int | None = None, **kw: Any) -> Any:
            if cell_index is not None:
                started.append(cell_index)
            return cell_start(cell, cell_index, **kw)

        nb_man.cell_start = track
        try:
            return client.execute()
        except (CellTimeoutError, DeadKernelError) as error:
            raise _FailedCell(
                started[-1] if started else None,
                _one_line(error),
                timed_out=isinstance(error, CellTimeoutError),
            ) from None


def run_job(job: ClientJob, pool: KernelPool | None = None) -> JobResult:
    """Build one client's report in ``job.staging``; never raises for a client's own problem."""
    started = time.perf_counter()
    staging = Path(job.staging)
    papermill_engines.register(ENGINE, _PooledEngine)
    try:
        record, executed = _in_kernel(job, pool, staging)
        for notebook, nb, run_at in executed:
            _write_notebook(notebook, nb, run_at, job, staging)
        now = checks.parse_now(str(dict(job.parameters).get("now") or ""))
        for drafts in (LETTERS_DIR, FOLLOW_UPS_DIR):
            _carry_drafts(job.previous, staging, drafts)
        outbox.write_outbox(record, staging, letters_dir=LETTERS_DIR, now=now)
    except _NotebookFailed as failure:
        remove_owned(staging)
        return JobResult(
            name=job.name,
            record=job.record,
            status="failed",
            error=str(failure.error),
            notebook=failure.notebook,
            cell=failure.cell,
            seconds=time.perf_counter() - started,
        )
    except AfterviewError as error:
        remove_owned(staging)
        return _failed(job, str(error), started)
    except OSError as error:  # the machine, not the record: disk full, permission denied
        remove_owned(staging)
        return _failed(job, str(machine_fault(error)), started)
    except Exception as error:  # a bug: still only this client fails
        remove_owned(staging)
        return _failed(job, f"{type(error).__name__}: {_one_line(error)}", started)
    except BaseException:
        remove_owned(staging)
        raise
    return JobResult(
        name=job.name,
        record=job.record,
        status="ok",
        staging=str(staging),
        fingerprint=job.fingerprint,
        seconds=time.perf_counter() - started,
    )


def _in_kernel(
    job: ClientJob, pool: KernelPool | None, staging: Path
) -> tuple[Record, list[tuple[Path, nbformat.NotebookNode, dt.datetime]]]:
    """Run the client's notebooks in a fresh kernel, then let the kernel go whatever happened,
    so the next client's notebooks run while this client's report is written."""
    km = pool.take() if pool is not None else start_kernel()
    kc: AsyncKernelClient | None = None
    try:
        # A staging folder already there, marked as the batch's own, is what an attempt that
        # died left behind (a lost Dask worker runs the client again elsewhere).
        remove_owned(staging)
        claim(staging)
        record = quickread.load(Path(job.record))  # libyaml; errors are store.load's own
        kc = connect(km, START_TIMEOUT)
        return record, [_run_notebook(Path(notebook), job, km, kc) for notebook in job.notebooks]
    finally:
        if kc is not None:
            kc.stop_channels()
        _let_go(km, pool)


def warm_up() -> None:
    """Pay this process's first-use costs of a client (the HTML template, the holiday
    calendars, the letter templates: about 0.7 s) on a fictional one, while kernels boot."""
    record = fictional_record()
    nb = nbformat.v4.new_notebook(  # type: ignore[no-untyped-call]
        cells=[nbformat.v4.new_markdown_cell("# Warm-up")]  # type: ignore[no-untyped-call]
    )
    to_html(nb, title="Warm-up", footer="")
    with tempfile.TemporaryDirectory(prefix="afterview-warm-") as folder:
        outbox.write_outbox(record, Path(folder), letters_dir=LETTERS_DIR)


def _let_go(km: AsyncKernelManager, pool: KernelPool | None) -> None:
    if pool is not None:
        pool.release(km)
    else:
        stop_kernel(km)


def _carry_drafts(previous: str, staging: Path, folder: str) -> None:
    """Copy the client's current drafts (and manifest) in ``folder`` into the new report first.

    The letters and follow-ups are then written with
    :func:`afterview.coaching.outbox.write_outbox`, which keeps any draft edited by hand as
    ``NN-name.edited-STAMP.txt``, exactly as ``afterview letters`` does, instead of the swap
    throwing it away with the old folder.
    """
    source = Path(previous) / folder
    if previous and is_owned(Path(previous)) and source.is_dir() and not source.is_symlink():
        shutil.copytree(source, staging / folder, symlinks=True)


def _failed(job: ClientJob, error: str, started: float) -> JobResult:
    return JobResult(
        name=job.name,
        record=job.record,
        status="failed",
        error=error,
        seconds=time.perf_counter() - started,
    )


class _NotebookFailed(Exception):
    def __init__(self, notebook: str, cell: int | None, error: RunError) -> None:
        super().__init__(str(error))
        self.notebook = notebook
        self.cell = cell
        self.error = error


def _run_notebook(
    notebook: Path, job: ClientJob, km: AsyncKernelManager, kc: AsyncKernelClient
) -> tuple[Path, nbformat.NotebookNode, dt.datetime]:
    """Execute one notebook for the client: the notebook, the executed copy, and when."""
    parameters: dict[str, Any] = {"record": job.record, **dict(job.parameters)}
    run_at = dt.datetime.now(dt.UTC)
    try:
        nb = papermill.execute_notebook(
            str(notebook),
            None,
            parameters=parameters,
            engine_name=ENGINE,
            kernel_name="python3",
            km=km,
            kc=kc,
            progress_bar=False,
            request_save_on_cell_execute=False,
            autosave_cell_every=0,
            execution_timeout=job.timeout,
            start_timeout=START_TIMEOUT,
        )
    except PapermillExecutionError as error:
        reason = f"{error.ename}: {_clip(error.evalue)}"
        if error.ename == "NotebookStop":  # the notebook's own one-line explanation
            reason = _clip(error.evalue)
        raise _failure(notebook, error.cell_index, reason) from None
    except _FailedCell as error:
        reason = str(error)
        if error.timed_out:
            reason = f"a cell ran longer than {job.timeout} s and was stopped"
        else:
            reason = f"the kernel died ({reason})"
        raise _failure(notebook, error.index, reason) from None
    return notebook, nb, run_at


def _write_notebook(
    notebook: Path, nb: nbformat.NotebookNode, run_at: dt.datetime, job: ClientJob, staging: Path
) -> None:
    """Write an executed notebook, stripped of paths, and its HTML into ``staging``."""
    title = str(nb.metadata.get("title") or _title(notebook))
    others = str(dict(job.parameters).get("history") or "").splitlines()
    prepare_metadata(
        nb,
        record_name=Path(job.record).name,
        notebook_name=notebook.name,
        run_at=run_at,
        history_names="\n".join(Path(path).name for path in others),
    )
    with store.atomic_write(staging / notebook.name) as handle:
        nbformat.write(nb, handle)  # type: ignore[no-untyped-call]
    html = to_html(nb, title=title, footer=_footer(run_at))
    with store.atomic_write(staging / f"{notebook.stem}.html") as handle:
        handle.write(html)


def _failure(notebook: Path, index: int | None, reason: str) -> _NotebookFailed:
    cell = _source_cell(notebook, index)
    where = f"cell {cell}" if cell is not None else "a cell"
    message = RunError(reason, path=notebook.name, field=where)
    return _NotebookFailed(notebook.name, cell, message)


def _source_cell(notebook: Path, index: int | None) -> int | None:
    """The 1-based position in the notebook as written, not counting papermill's injected cell."""
    if index is None:
        return None
    try:
        source = nbformat.read(notebook, as_version=4)  # type: ignore[no-untyped-call]
    except (OSError, ValueError):
        return index + 1
    injected = next(
        (
            position
            for position, cell in enumerate(source.cells)
            if "parameters" in cell.metadata.get("tags", [])
        ),
        None,
    )
    if injected is not None and index > injected:
        return index  # papermill put its cell right after the parameters cell
    return index + 1


def _title(notebook: Path) -> str:
    return "Your interview debrief" if notebook.name == REPORT_NOTEBOOK else notebook.stem


def _footer(run_at: dt.datetime) -> str:
    return f"Prepared with Afterview on {run_at:%d %B %Y}."


def _one_line(error: BaseException) -> str:
    return _clip(str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
