"""``jupyter nbconvert --to workshop_pptx report.ipynb``: the slide deck of a report notebook's workshop.

Registered like the report's exporters (entry point ``nbconvert.exporters``). The deck is built from
the workshop the notebook names, with the notebook's privacy options (pseudonyms unless it includes
names, its redacted words), as the workshop is now; the cells' outputs are not used. A status-review
notebook gives the status-review deck (covering the time after its ``since``).
"""
from __future__ import annotations

import ast
import tempfile
from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter
from traitlets import Unicode, default

from ...errors import UsageError
from .. import build


class WorkshopPPTXExporter(Exporter):
    """The editable slide deck (.pptx) of a kit report notebook."""

    export_from_notebook = "Workshop slide deck"
    output_mimetype = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    template = Unicode("", help="A corporate .pptx whose layouts, fonts and colours the deck uses.").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pptx"

    def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[bytes, Any]:  # type: ignore[override]
        import kit

        from . import export

        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        if not build.is_report(nb_copy):
            raise UsageError("deck.not_a_report")
        meta = nb_copy.metadata[build.METADATA_KEY]
        with kit.open(meta["workshop"], actor="report") as ws, tempfile.TemporaryDirectory(prefix="kit-deck-") as tmp:
            path = export(ws, Path(tmp) / "deck.pptx", template=self.template or None,
                          include_names=bool(meta.get("include_names")), redact=redacted(nb_copy),
                          review=is_review(nb_copy), since=setting(nb_copy, "since"))
            data = path.read_bytes()
        return data, resources


def setting(nb: Any, name: str) -> Any:
    """An option of the report notebook's setup cell (``sections.Report(..., name=...)``), None if not given."""
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" not in cell.metadata.get("tags", []):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.keyword) and node.arg == name:
                return ast.literal_eval(node.value)
    return None


def redacted(nb: Any) -> list[str]:
    """The words the report notebook's setup cell redacts (``sections.Report(..., redact=[...])``)."""
    return [str(w) for w in setting(nb, "redact") or []]


def is_review(nb: Any) -> bool:
    """A status-review notebook (``kit export --review --notebook``): its chapters are the review's."""
    from ..sections import REVIEW_SECTIONS

    return any(cell.metadata.get(build.METADATA_KEY, {}).get("section") in REVIEW_SECTIONS for cell in nb.cells)
