"""Personal data out of the report before anything is drawn.

The report never reads the facilitator's workshop directly: it reads a protected copy in
a temporary file, where interviewees' real names are replaced by their pseudonyms (unless
the facilitator opts in) and redacted words by a visible marker. Every section and every
figure, including figures drawn by other modules, therefore sees only safe text, and no
code path can forget to scrub.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import formats, model, tracking
from ..privacy import Scrub, marker, scrub_value, scrubber
from ..workshop import Workshop

__all__ = ["Scrub", "marker", "protected_copy", "protected_document", "scrub_value", "scrubber"]

def protected_document(ws: Workshop, *, include_names: bool = False,
                       redact: Iterable[str] = ()) -> tuple[dict[str, Any], Scrub]:
    """The workshop as JSON data with personal data and redacted words taken out, and the scrub
    function used (for the live state)."""
    doc = ws.to_dict()
    scrub = scrubber(doc, include_names=include_names, redact=redact, language=ws.language)
    safe = {"format": doc["format"], "version": doc["version"]}
    for key, value in doc.items():
        if key in ("format", "version"):
            continue
        safe[key] = scrub_value(value if include_names else _without_personal_data(key, value), scrub)
    return safe, scrub


def _without_personal_data(collection: str, records: Any) -> Any:
    """Every private field (an interviewee's real name, who attended a follow-up) emptied."""
    kind = model.BY_COLLECTION.get(collection)
    private = [f for f in kind.fields if f.private] if kind else []
    if not private or not isinstance(records, list):
        return records
    return [{**row, **{f.name: f.empty() for f in private}} for row in records]


@contextmanager
def protected_copy(ws: Workshop, *, include_names: bool = False,
                   redact: Iterable[str] = ()) -> Iterator[Workshop]:
    """A temporary workshop holding only what may be exported; removed afterwards."""
    doc, scrub = protected_document(ws, include_names=include_names, redact=list(redact))
    folder = Path(tempfile.mkdtemp(prefix="kit-report-"))
    try:
        copy = Workshop(formats.load_into_new(folder / "report.workshop", doc, "report", "report"), "report")
        try:
            for key, value in ws.live.items():
                copy.set_live(key, scrub_value(value, scrub))
            end = tracking.workshop_end(ws)
            if end is not None:  # "what changed since the workshop" compares with it, protected the same way
                then = ws.store.load_snapshot(end)
                safe = {k: v if k in ("format", "version") else scrub_value(
                    v if include_names else _without_personal_data(k, v), scrub) for k, v in then.items()}
                copy.store.save_snapshot(end, safe, "report")
            yield copy
        finally:
            copy.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
