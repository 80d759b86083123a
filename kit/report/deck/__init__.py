"""The editable slide deck: ``kit export WS [--review [--since DATE]] --pptx OUT.pptx [--template CORP.pptx]``.

Every slide is made of native objects (text, shapes, tables, charts) that PowerPoint, Keynote
and LibreOffice edit like their own. The deck is built from the same protected copy of the
workshop the report reads (kit/report/privacy.py): pseudonyms unless ``include_names``,
redacted words replaced by the marker, so no slide and no speaker note can leak a name.
Modules: look (template or built-in look), text (measuring), shapes, charts,
value_proposition (the canvas), slides (the deck's order), review (the status-review deck's order).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...workshop import Workshop

__all__ = ["export"]


def export(ws: Workshop, path: str | os.PathLike[str], *, template: str | os.PathLike[str] | None = None,
           include_names: bool = False, redact: Iterable[str] = (), review: bool = False,
           since: str | None = None) -> Path:
    """Write the deck to ``path`` (a .pptx file) and return it. ``review``: the status-review deck instead,
    covering the time after ``since`` (an ISO date; default: the last follow-up held before today)."""
    from ..privacy import protected_copy
    from . import look, slides

    chosen = look.from_template(template) if template else look.built_in()
    if review:
        from ...model import Field
        from ..sections import Report
        from . import review as review_slides

        since = Field("since", "date").clean("review", since) if since is not None else None
        with Report(ws.location, include_names=include_names, redact=list(redact), since=since) as report:
            for build_review in review_slides.SLIDES:
                build_review(report, chosen)
    else:
        with protected_copy(ws, include_names=include_names, redact=list(redact)) as safe:
            for build in slides.SLIDES:
                build(safe, chosen)
    target = Path(path)
    chosen.prs.save(str(target))
    return target
