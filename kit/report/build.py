"""The report notebook: one cell per chapter, each calling the kit, and running it in-process.

The notebook holds no logic and no data, only the location of the workshop (a file's path,
or a server URL without its password) and the privacy options, so
``jupyter nbconvert --to workshop_pdf report.ipynb`` always shows the workshop as it is now.
``run`` executes the cells in this process (the cells only call the kit, so no kernel has to
start); ``jupyter nbconvert --execute`` with a kernel gives the same outputs. :class:`Run` does
the same with the chapters in a helper process forked at once, so they are built while this
process imports nbconvert (and Chromium starts): two cores, about half a second.
"""
from __future__ import annotations

import ast
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from ..store.url import is_url
from .sections import REVIEW_SECTIONS, SECTIONS

if TYPE_CHECKING:  # nbformat is imported only where a notebook is made, which `kit export` does without
    from nbformat import NotebookNode

METADATA_KEY = "kit_report"
#: What a cell shows: its output's data by MIME type, or None (it shows nothing).
Shown: TypeAlias = dict[str, str] | None


class Cell(NamedTuple):
    """A report notebook's code cell: its source, and the chapter it draws ("" for opening and closing)."""

    source: str
    section: str


def cells(workshop: str | os.PathLike[str], *, include_names: bool = False, redact: Iterable[str] = (),
          review: bool = False, since: str | None = None) -> list[Cell]:
    """The code cells of :func:`notebook` (the same arguments): opening the report, a chapter each, closing it."""
    path = str(workshop) if is_url(workshop) else str(Path(workshop).resolve())
    redact = [w for w in redact if w and w.strip()]
    extra = f", since={since!r}" if since else ""
    setup = ("from kit.report import sections\n"
             f"report = sections.Report({path!r}, include_names={include_names!r}, redact={redact!r}{extra})")
    chapters = [Cell(f"report.section({name!r})", name) for name in (REVIEW_SECTIONS if review else SECTIONS)]
    return [Cell(setup, ""), *chapters, Cell("report.close()", "")]


def cells_in(nb: NotebookNode) -> list[Cell]:
    """A notebook's code cells, as :class:`Run` takes them."""
    return [Cell(cell.source, _section(cell)) for cell in nb.cells if cell.cell_type == "code"]


def notebook(workshop: str | os.PathLike[str], *, include_names: bool = False, redact: Iterable[str] = (),
             title: str = "", language: str = "en", review: bool = False, since: str | None = None) -> NotebookNode:
    """A report notebook for the workshop at ``workshop``, a file or a server location without a
    password (not yet executed). ``review``: the status review for management, covering the time
    after ``since`` (default: the last follow-up held before today)."""
    from nbformat.v4 import new_code_cell, new_notebook

    def metadata(n: int, cell: Cell) -> dict[str, Any]:
        if cell.section:
            return {METADATA_KEY: {"section": cell.section}}
        return {"tags": ["parameters"]} if n == 0 else {}  # papermill's name for the cell with the options

    code = cells(workshop, include_names=include_names, redact=redact, review=review, since=since)
    path = str(workshop) if is_url(workshop) else str(Path(workshop).resolve())
    nb: NotebookNode = new_notebook(cells=[new_code_cell(cell.source, metadata=metadata(n, cell))
                                           for n, cell in enumerate(code)])
    nb.metadata["title"] = title
    nb.metadata[METADATA_KEY] = {"workshop": path, "include_names": include_names, "language": language}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def for_workshop(ws: Any, *, include_names: bool = False, redact: Iterable[str] = (), review: bool = False,
                 since: str | None = None) -> NotebookNode:
    """The report notebook of an open workshop (its :func:`title`)."""
    redact = list(redact)
    return notebook(ws.location, include_names=include_names, redact=redact,
                    title=title(ws, include_names=include_names, redact=redact), language=ws.language,
                    review=review, since=since)


def title(ws: Any, *, include_names: bool = False, redact: Iterable[str] = ()) -> str:
    """The workshop's title as the report shows it in the browser tab and the page footer: protected."""
    from .privacy import scrubber

    scrub = scrubber({"interviews": ws.interviews.all()}, include_names=include_names, redact=list(redact),
                     language=ws.language)
    protected: str = scrub(ws.info["title"])
    return protected


def blank(nb: NotebookNode) -> NotebookNode:
    """``nb`` without its cells: what the page looks like around the chapters (its title, language, footer)."""
    from nbformat.v4 import new_notebook

    empty: NotebookNode = new_notebook(metadata=nb.metadata)
    return empty


def is_report(nb: NotebookNode) -> bool:
    return METADATA_KEY in nb.get("metadata", {})


def needs_run(nb: NotebookNode) -> bool:
    """True unless every chapter cell already has its output (e.g. after ``nbconvert --execute``)."""
    return any(not cell.get("outputs") for cell in nb.cells
               if cell.cell_type == "code" and METADATA_KEY in cell.metadata)


def run(nb: NotebookNode, step: Callable[[str], None] | None = None) -> NotebookNode:
    """Execute every code cell in this process, in order, storing what each displays.

    Like a kernel: the value of a cell's last expression becomes its output, shown as
    HTML when it has ``_repr_html_``. An exception stops the run and propagates."""
    namespace: dict[str, Any] = {"__name__": "__report__"}
    for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
        cell.execution_count = count
        _run_cell(cell, namespace, step)
    return nb


class Run:
    """A report notebook's cells run like :func:`run`, its chapters (the cells between the first and the last
    that name a section) in a helper process forked when this is created (where fork is safe: a POSIX
    process with no other thread yet: ``kit export`` makes it first, before Chromium starts and before this
    process imports nbformat); ``shown`` runs the rest here and gives what every cell shows, ``wait`` puts it
    in place in a notebook of those cells. The first and last cell (opening and closing the report) run here
    only where other cells are left to run here. Whatever the helper cannot do (no fork, it failed) runs
    here, so an error propagates as in ``run``."""

    def __init__(self, code: Sequence[Cell]) -> None:
        self.code = list(code)
        self.helped = [n for n, cell in enumerate(self.code[1:-1], 1) if cell.section]  # the chapters' places
        self._alone = len(self.helped) == len(self.code) - 2  # the helper does everything between setup and close
        self._pool: Pool | None = None
        self._future: AsyncResult[list[Shown]] | None = None
        if self.helped and _can_fork():
            import multiprocessing

            try:
                self._pool = multiprocessing.get_context("fork").Pool(1)
            except OSError:  # no semaphores here (a container without /dev/shm): everything runs here
                return
            sources = [self.code[0].source, *(self.code[n].source for n in self.helped), self.code[-1].source]
            self._future = self._pool.apply_async(_run_sources, (sources,))

    def shown(self, step: Callable[[str], None] | None = None) -> list[Shown]:
        """What each cell shows, in order (``step`` called with each cell's section as it is done)."""
        namespace: dict[str, Any] = {"__name__": "__report__"}
        shown: list[Shown] = [None] * len(self.code)
        helped = set(self.helped) if self._future is not None else set()
        here = not (helped and self._alone)  # anything to run here, besides opening and closing the report?
        last = len(self.code) - 1
        for n, cell in enumerate(self.code):
            if n in helped:
                continue
            if n == last:
                here = self._collect(shown, namespace, step) or here
            if here or 0 < n < last:
                shown[n] = _shown(_execute(cell.source, namespace))
            if step is not None:
                step(cell.section)
        return shown

    def wait(self, nb: NotebookNode, step: Callable[[str], None] | None = None) -> NotebookNode:
        """``nb``, a notebook of these very cells, with every cell's output."""
        if cells_in(nb) != self.code:
            raise ValueError("the notebook's cells are not the ones this run drew")
        code = [c for c in nb.cells if c.cell_type == "code"]
        for count, (cell, data) in enumerate(zip(code, self.shown(step), strict=True), 1):
            cell.execution_count = count
            cell.outputs = [] if data is None else [_execute_result(data, count)]
        return nb

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        """The helper's process ends once its chapters are done (after an error here too: it then
        closes its report, which removes the protected copy it drew from)."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()

    def _collect(self, shown: list[Shown], namespace: dict[str, Any], step: Callable[[str], None] | None) -> bool:
        """The helper's outputs, or (it could not draw them) the same chapters drawn here, after opening the
        report here if that was left to the helper: True then (the closing cell must run here too)."""
        if self._future is None:
            return False
        try:
            outputs: list[Shown] | None = self._future.get()
        except Exception:  # noqa: BLE001 - drawn again here, where the error propagates
            outputs = None
        if outputs is None and self._alone:
            _execute(self.code[0].source, namespace)
        for n, place in enumerate(self.helped):
            shown[place] = _shown(_execute(self.code[place].source, namespace)) if outputs is None else outputs[n]
            if step is not None:
                step(self.code[place].section)
        return outputs is None and self._alone


def _section(cell: NotebookNode) -> str:
    name: str = cell.metadata.get(METADATA_KEY, {}).get("section", "")
    return name


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _run_cell(cell: NotebookNode, namespace: dict[str, Any], step: Callable[[str], None] | None) -> None:
    value = _execute(cell.source, namespace)
    cell.outputs = [] if value is None else [_output(value, cell.execution_count)]
    if step is not None:
        step(_section(cell))


def _run_sources(sources: list[str]) -> list[Shown]:
    """In the helper: the setup cell, the chapters (what they show), the closing cell."""
    namespace: dict[str, Any] = {"__name__": "__report__"}
    _execute(sources[0], namespace)
    try:
        return [_shown(_execute(source, namespace)) for source in sources[1:-1]]
    finally:
        _execute(sources[-1], namespace)


def _execute(source: str, namespace: dict[str, Any]) -> Any:
    tree = ast.parse(source, mode="exec")
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        tree.body.pop()
    else:
        last = None
    exec(compile(tree, "<report cell>", "exec"), namespace)  # noqa: S102 - the kit's own cells
    if not isinstance(last, ast.Expr):
        return None
    return eval(compile(ast.Expression(last.value), "<report cell>", "eval"), namespace)  # noqa: S307


def _output(value: Any, count: int) -> NotebookNode:
    return _execute_result(_data(value), count)


def _shown(value: Any) -> Shown:
    return None if value is None else _data(value)


def _data(value: Any) -> dict[str, str]:
    """What a cell's value shows, by MIME type."""
    data = {"text/plain": repr(value)}
    if hasattr(value, "_repr_html_"):
        data["text/html"] = value._repr_html_()
    return data


def _execute_result(data: dict[str, str], count: int) -> NotebookNode:
    from nbformat.v4 import new_output

    output: NotebookNode = new_output("execute_result", data=data, execution_count=count)
    return output


def write(nb: NotebookNode, path: str | os.PathLike[str]) -> Path:
    import nbformat

    target = Path(path)
    nbformat.write(nb, str(target))
    return target
