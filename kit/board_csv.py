"""Every canvas as a CSV file, one row per note, to put results back on a board or into a spreadsheet.

Columns: ``id, area, text, rank, votes, links, author``. ``area`` is the area's title in
the workshop language, ``votes`` the dots in total, ``links`` the ids (column ``id``) of
the notes this one addresses, and ``author`` a pseudonym ("Person 1", numbered in order of
first appearance across all files of one export) unless names are asked for. The files
re-import to the same notes with :mod:`kit.importing` (``kit import WS FILE --into canvas:ID``).
German workshops get semicolons (what Excel in German opens), English ones commas; both
are UTF-8 with a byte-order mark so Excel shows umlauts and emoji.

Formula-safe (OWASP "CSV injection"): a cell that a spreadsheet would run as a formula, one
starting with ``= + - @``, a tab or a carriage return, is written with a leading ``'``
(:func:`formula_safe`); :func:`unformula`, which ``kit import`` applies to every CSV cell, strips
exactly that prefix, so export -> import gives the text back exactly. A cell that already
starts with apostrophes before such a character gets one more, so it too comes back as it was.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import i18n
from .canvases import available

if TYPE_CHECKING:
    from .canvas import Canvas
    from .workshop import Workshop

COLUMNS = ("id", "area", "text", "rank", "votes", "links", "author")
_AUTHOR_FIELDS = ("author", "observed_by", "coded_by")
#: apostrophes, then a character a spreadsheet starts a formula with
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def formula_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text: ``'`` before one that would start a formula."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unformula(cell: str) -> str:
    """The cell :func:`formula_safe` was given (its one ``'`` removed); other cells unchanged."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


class Pseudonyms:
    """Person 1, Person 2, ... for authors, the same name always getting the same number."""

    def __init__(self, language: str, include_names: bool = False) -> None:
        self.language, self.include_names = language, include_names
        self.seen: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if self.include_names or not name.strip():
            return name
        if name not in self.seen:
            self.seen[name] = i18n.t("journey.person", self.language, n=len(self.seen) + 1)
        return self.seen[name]


def rows(canvas: Canvas, authors: Pseudonyms) -> list[list[str]]:
    """The notes of one canvas as CSV rows (without the header), in display order."""
    titles = {a["id"]: a["title"] for a in canvas.areas}
    author = next((f for f in _AUTHOR_FIELDS if f in canvas.collection.kind.field_names), None)
    out = []
    for note in canvas.items():
        votes: dict[str, int] = note.get("votes") or {}
        out.append([str(note["id"]), titles[note[canvas.area_field]], note[canvas.text_field],
                    "" if note.get("rank") is None else str(note["rank"]),
                    str(sum(votes.values())) if votes else "",
                    ",".join(str(i) for i in note.get("fit") or []),
                    authors(note.get(author) or "") if author else ""])
    return out


def export(ws: Workshop, folder: str | Path, *, include_names: bool = False) -> list[Path]:
    """Write ``<canvas id>.csv`` into ``folder`` for every canvas with notes; returns the files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    authors = Pseudonyms(ws.language, include_names)
    delimiter = ";" if ws.language == "de" else ","
    written = []
    for canvas_id in sorted(available()):
        canvas = ws.canvas(canvas_id)
        found = rows(canvas, authors)
        if not found:
            continue
        path = folder / f"{canvas_id}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow(COLUMNS)
            writer.writerows([formula_safe(cell) for cell in row] for row in found)
        written.append(path)
    return written


def target_of(path: Path) -> str:
    """The ``--into`` value that re-imports a file this module wrote (``canvas:<id>``)."""
    return f"canvas:{path.stem}"


__all__ = ["COLUMNS", "Pseudonyms", "export", "formula_safe", "rows", "target_of", "unformula"]
