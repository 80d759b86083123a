"""The report notebook: one cell per chapter, each calling the kit, and running it in-process.

The notebook holds no logic and no data, only the location of the workshop (a file's path,
or a server URL without its password) and the privacy options, so
``jupyter nbconvert --to workshop_pdf report.ipynb`` always shows the workshop as it is now.
``run`` executes the cells in this process (the cells only call the kit, so no kernel has to
start); ``jupyter nbconvert --execute`` with a kernel gives the same outputs.
"""
from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook, new_output

from ..store.url import is_url
from .sections import REVIEW_SECTIONS, SECTIONS

METADATA_KEY = "kit_report"


def notebook(workshop: str | os.PathLike[str], *, include_names: bool = False, redact: Iterable[str] = (),
             title: str = "", language: str = "en", review: bool = False, since: str | None = None) -> NotebookNode:
    """A report notebook for the workshop at ``workshop``, a file or a server location without a
    password (not yet executed). ``review``: the status review for management, covering the time
    after ``since`` (default: the last follow-up held before today)."""
    path = str(workshop) if is_url(workshop) else str(Path(workshop).resolve())
    redact = [w for w in redact if w and w.strip()]
    extra = f", since={since!r}" if since else ""
    setup = ("from kit.report import sections\n"
             f"report = sections.Report({path!r}, include_names={include_names!r}, redact={redact!r}{extra})")
    cells = [new_code_cell(setup, metadata={"tags": ["parameters"]})]
    for name in REVIEW_SECTIONS if review else SECTIONS:
        cells.append(new_code_cell(f"report.section({name!r})", metadata={METADATA_KEY: {"section": name}}))
    cells.append(new_code_cell("report.close()"))
    nb: NotebookNode = new_notebook(cells=cells)
    nb.metadata["title"] = title
    nb.metadata[METADATA_KEY] = {"workshop": path, "include_names": include_names, "language": language}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def for_workshop(ws: Any, *, include_names: bool = False, redact: Iterable[str] = (), review: bool = False,
                 since: str | None = None) -> NotebookNode:
    """The report notebook of an open workshop (its title, shown in the browser tab and the
    page footer, already protected)."""
    from .privacy import scrubber

    redact = list(redact)
    scrub = scrubber({"interviews": ws.interviews.all()}, include_names=include_names, redact=redact,
                     language=ws.language)
    return notebook(ws.location, include_names=include_names, redact=redact, title=scrub(ws.info["title"]),
                    language=ws.language, review=review, since=since)


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
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        count += 1
        value = _execute(cell.source, namespace)
        cell.execution_count = count
        cell.outputs = [] if value is None else [_output(value, count)]
        if step is not None:
            step(cell.metadata.get(METADATA_KEY, {}).get("section", ""))
    return nb


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
    data = {"text/plain": repr(value)}
    if hasattr(value, "_repr_html_"):
        data["text/html"] = value._repr_html_()
    output: NotebookNode = new_output("execute_result", data=data, execution_count=count)
    return output


def write(nb: NotebookNode, path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    nbformat.write(nb, str(target))
    return target
