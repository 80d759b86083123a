"""The workshop report: PDF and HTML from the stored workshop, through nbconvert, offline.

``export(ws, pdf="report.pdf", html="report.html")`` builds the report notebook (one cell per
chapter, see build.py), runs its cells in this process, renders the ``workshop`` nbconvert
template once and prints that same HTML to PDF with Chromium. Interviewees appear under
their pseudonyms unless ``include_names``; words in ``redact`` are replaced by a marker.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from ..workshop import Workshop
    from . import build
    from .chromium import Browser

__all__ = ["export", "write_notebook"]


def write_notebook(ws: Workshop, path: str | os.PathLike[str], *, include_names: bool = False,
                   redact: Iterable[str] = (), review: bool = False, since: str | None = None) -> Path:
    """Write the report notebook (unexecuted; it runs against ``ws.location`` when converted); ``review``,
    ``since``: the status review's, as :func:`export`."""
    from . import build

    nb = build.for_workshop(ws, include_names=include_names, redact=redact, review=review, since=_since(since))
    return build.write(nb, path)


def _since(since: str | None) -> str | None:
    """The status review's ``since`` as an ISO date (refused in one line naming the option if it is none)."""
    if since is None:
        return None
    from ..model import Field

    cleaned: str | None = Field("since", "date").clean("review", since)
    return cleaned


def export(ws: Workshop, pdf: str | os.PathLike[str] | None = None, html: str | os.PathLike[str] | None = None,
           *, include_names: bool = False, redact: Iterable[str] = (), progress: bool = True,
           chromium: str | None = None, review: bool = False, since: str | None = None) -> dict[str, Path]:
    """Write the report as PDF and/or HTML; returns ``{"pdf": path, "html": path}`` for those written.

    ``review``: the status review for management instead (2-4 pages: KPI trends, to-dos, idea feedback,
    what changed since the workshop, next dates), covering the time after ``since`` (an ISO date)."""
    from .chromium import launch

    if pdf is None and html is None:
        raise UsageError("report.export_what")
    since = _since(since)
    # Chromium starts first (a missing one is said at once), while the rest is imported and the chapters
    # are built; it starts no thread, so a helper process can still be forked for half the chapters
    with ExitStack() as stack:
        browser = stack.enter_context(launch(chromium)) if pdf is not None else None
        from ..render.hyphenation import hyphenator
        from . import build

        nb = build.for_workshop(ws, include_names=include_names, redact=redact, review=review, since=since)
        hyphenator(ws.language)  # read the syllable dictionary once, before the helper is forked (both use it)
        chapters = stack.enter_context(build.Run(nb))
        if browser is not None:
            browser.prepare()  # the tab opens while the page is built (a thread: only after the fork)
        return _write(nb, chapters, browser, stack, pdf=pdf, html=html, progress=progress, review=review)


def _write(nb: NotebookNode, chapters: build.Run, browser: Browser | None, stack: ExitStack, *,
            pdf: str | os.PathLike[str] | None, html: str | os.PathLike[str] | None, progress: bool,
            review: bool) -> dict[str, Path]:
    """The chapters drawn (with the helper), the page rendered and written, printed by ``browser``."""
    from tqdm import tqdm

    from . import build
    from .exporter import ReportError, WorkshopHTMLExporter, WorkshopPDFExporter
    from .sections import REVIEW_SECTIONS, SECTIONS

    written: dict[str, Path] = {}
    steps = len(REVIEW_SECTIONS if review else SECTIONS) + 3 + (pdf is not None)  # setup, chapters, close, HTML, PDF
    bar = stack.enter_context(tqdm(total=steps, desc="report", unit="step", file=sys.stderr,
                                   disable=not progress, leave=False, dynamic_ncols=True))

    def step(name: str) -> None:
        bar.set_postfix_str(name or "done", refresh=False)
        bar.update()

    exporter = WorkshopHTMLExporter()
    exporter.from_notebook_node(build.blank(nb))  # its templates compile while the helper builds the chapters
    chapters.wait(step)
    bar.set_postfix_str("HTML", refresh=False)
    text, _ = exporter.from_notebook_node(nb)
    bar.update()
    if html is not None:
        written["html"] = Path(html)
        written["html"].write_text(text, encoding="utf-8")
    if browser is not None:
        bar.set_postfix_str("PDF (Chromium)")
        engine = WorkshopPDFExporter()
        data = engine.run_playwright(text, browser)
        if engine.blocked_requests:
            raise ReportError("report.blocked_request", url=engine.blocked_requests[0])
        written["pdf"] = Path(pdf)  # type: ignore[arg-type]
        written["pdf"].write_bytes(data)
        bar.update()
    return written
