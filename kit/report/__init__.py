"""The workshop report: PDF and HTML from the stored workshop, through nbconvert, offline.

``export(ws, pdf="report.pdf", html="report.html")`` runs the report notebook's cells (one per
chapter, see build.py; the chapters in a helper process), puts what they show into the page the
``workshop`` nbconvert template renders around them (skeleton.py: kept in the user's cache) and prints
that same HTML to PDF with Chromium. Interviewees appear under their pseudonyms unless
``include_names``; words in ``redact`` are replaced by a marker.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
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
    from .chromium import check_chromium, default_chromium, launch

    if pdf is None and html is None:
        raise UsageError("report.export_what")
    since = _since(since)
    redact = list(redact)
    executable = check_chromium(chromium or default_chromium()) if pdf is not None else None  # missing: said now
    # The helper process that draws the chapters is forked first (before any thread, and before this process
    # imports nbformat and nbconvert), then Chromium starts, while this process imports the rest and makes the
    # page around the chapters
    with ExitStack() as stack:
        from . import build

        code = build.cells(ws.location, include_names=include_names, redact=redact, review=review, since=since)
        chapters = stack.enter_context(build.Run(code))
        browser = stack.enter_context(launch(executable)) if executable is not None else None
        if browser is not None:
            browser.prepare()  # the tab opens while the page is built
        title = build.title(ws, include_names=include_names, redact=redact)
        return _write(title, ws.language, chapters, browser, stack, pdf=pdf, html=html, progress=progress,
                      review=review)


def _write(title: str, language: str, chapters: build.Run, browser: Browser | None, stack: ExitStack, *,
           pdf: str | os.PathLike[str] | None, html: str | os.PathLike[str] | None, progress: bool,
           review: bool) -> dict[str, Path]:
    """The chapters drawn (with the helper) and put into the page's skeleton, written, printed by ``browser``."""
    from ..render.hyphenation import hyphenator
    from . import skeleton
    from .chromium import ReportError, print_report
    from .sections import REVIEW_SECTIONS, SECTIONS

    written: dict[str, Path] = {}
    steps = len(REVIEW_SECTIONS if review else SECTIONS) + 3 + (pdf is not None)  # setup, chapters, close, HTML, PDF
    bar = stack.enter_context(_progress(steps)) if progress else None

    def say(what: str) -> None:
        if bar is not None:
            bar.set_postfix_str(what, refresh=False)

    def step(name: str) -> None:
        say(name or "done")
        if bar is not None:
            bar.update()

    page = skeleton.cached(language)
    if page is None:  # nbconvert renders it (once per template and language) while the helper draws
        from .exporter import WorkshopHTMLExporter

        page = WorkshopHTMLExporter().skeleton(language)
        skeleton.keep(language, page)
    if browser is not None:
        hyphenator(language)  # the syllables, read while the helper draws
    shown = chapters.shown(step)
    say("HTML")
    text = skeleton.fill(page, title, "".join(data["text/html"] for data in shown if data and "text/html" in data))
    step("HTML")
    if html is not None:
        written["html"] = Path(html)
        written["html"].write_text(text, encoding="utf-8")
    if browser is not None:
        say("PDF (Chromium)")
        data = print_report(browser, text)
        if browser.blocked:
            raise ReportError("report.blocked_request", url=browser.blocked[0])
        written["pdf"] = Path(pdf)  # type: ignore[arg-type]
        written["pdf"].write_bytes(data)
        step("PDF")
    return written


def _progress(steps: int) -> Any:
    """The progress bar on stderr (tqdm: imported only where shown)."""
    from tqdm import tqdm

    return tqdm(total=steps, desc="report", unit="step", file=sys.stderr, leave=False, dynamic_ncols=True)
