"""The editable slide deck: ``kit export WS --pptx OUT.pptx [--template CORP.pptx]``.

Every slide is made of native objects (text, shapes, tables, charts) that PowerPoint, Keynote
and LibreOffice edit like their own. The deck is built from the same protected copy of the
workshop the report reads (kit/report/privacy.py): pseudonyms unless ``include_names``,
redacted words replaced by the marker, so no slide and no speaker note can leak a name.
Modules: look (template or built-in look), text (measuring), shapes, charts,
value_proposition (the canvas), slides (the deck's order).
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
           include_names: bool = False, redact: Iterable[str] = ()) -> Path:
    """Write the deck to ``path`` (a .pptx file) and return it."""
    from ..privacy import protected_copy
    from . import look, slides

    chosen = look.from_template(template) if template else look.built_in()
    with protected_copy(ws, include_names=include_names, redact=list(redact)) as safe:
        for build in slides.SLIDES:
            build(safe, chosen)
    target = Path(path)
    chosen.prs.save(str(target))
    return target
