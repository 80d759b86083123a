"""Native slide objects: a titled slide, text boxes, sticky notes, connectors, paginated tables.

Every text is set literally (python-pptx writes it as XML text, so ``<script>`` or ``&`` are
characters, never markup) at a fixed size of at least 12 pt with word wrap on and autofit
off: the room a text needs is measured first (text.py) and what does not fit continues on
the next slide.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from . import text
from .look import Look, Rect, rgb

#: Text sizes in points.
BODY = 14.0
SMALL = text.MIN_PT
TITLE = 26.0
#: Inner margins of a text shape and of a table cell, in inches.
INSET = 0.08
CELL_X, CELL_Y = 0.06, 0.04

Paragraph = tuple[str, float, bool, str | None]  # text, size, bold, colour (None: the look's ink)


def new_slide(look: Look, title: str) -> tuple[Any, Rect]:
    """A slide from the content layout with ``title`` in its title placeholder, and the room of its
    content placeholder (which is removed: the slide's own shapes, tables and charts fill that room)."""
    slide = look.prs.slides.add_slide(look.content_layout)
    room = look.content_rect()
    for ph in list(slide.placeholders):
        kind = ph.placeholder_format.type
        if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            if not look.templated:
                look.title_rect().place(ph)
            fill(ph.text_frame, look, [(_first_lines(title, look.title_rect()), TITLE, True, None)],
                 anchor=MSO_ANCHOR.MIDDLE)
        else:
            ph._element.getparent().remove(ph._element)
    return slide, room


def _first_lines(value: str, rect: Rect) -> str:
    """A title as long as its placeholder holds (a slide title is a workshop text, rarely long)."""
    return text.beginning(value, text.Box(rect.width - 2 * INSET, rect.height - INSET), TITLE, True)


def fill(frame: Any, look: Look, paragraphs: Sequence[Paragraph], *, anchor: Any = MSO_ANCHOR.TOP,
         inset: float = INSET, align: Any = PP_ALIGN.LEFT) -> None:
    """Put ``paragraphs`` into a text frame: literal text, wrapped, never auto-shrunk."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(inset)
    frame.margin_top = frame.margin_bottom = Inches(inset / 2)
    for n, (value, size, bold, colour) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.level = 0
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = value
        look.style_run(run, size, bold=bold, color=colour)
        paragraph.space_before = Pt(6 if n and bold else 0)
        paragraph.space_after = Pt(0)
        paragraph.line_spacing = 1.0
    if not paragraphs:
        frame.text = ""


def paragraphs_height(paragraphs: Sequence[Paragraph], width: float, inset: float = INSET) -> float:
    """Height a shape of ``width`` needs for ``paragraphs``, insets included."""
    room = width - 2 * inset
    return sum(text.height(p[0], room, p[1], p[2]) + (6 / 72 if n and p[2] else 0)
               for n, p in enumerate(paragraphs)) + inset + 0.02


def box(slide: Any, look: Look, rect: Rect, paragraphs: Sequence[Paragraph], *, fill_colour: str | None = None,
        line: str | None = None, shape: Any = MSO_SHAPE.RECTANGLE, anchor: Any = MSO_ANCHOR.TOP,
        name: str = "") -> Any:
    """A shape with text (a text box when it has neither fill nor line)."""
    made = _plain(slide.shapes.add_shape(shape, *(Inches(v) for v in (rect.left, rect.top, rect.width,
                                                                       rect.height))))
    if fill_colour:
        made.fill.solid()
        made.fill.fore_color.rgb = rgb(fill_colour)
    else:
        made.fill.background()
    if line:
        made.line.color.rgb = rgb(line)
        made.line.width = Pt(0.75)
    else:
        made.line.fill.background()
    if name:
        made.name = name
    fill(made.text_frame, look, paragraphs, anchor=anchor)
    return made


def _plain(shape: Any) -> Any:
    """A shape without the theme's shape style (its shadow, white text): only what the kit sets."""
    found = shape._element.find(qn("p:style"))
    if found is not None:
        shape._element.remove(found)
    return shape


def outline(slide: Any, look: Look, rect: Rect, shape: Any, name: str) -> Any:
    """An empty outlined shape (the canvas's square and circle)."""
    made = _plain(slide.shapes.add_shape(shape, *(Inches(v) for v in (rect.left, rect.top, rect.width,
                                                                       rect.height))))
    made.fill.background()
    made.line.color.rgb = rgb(look.muted)
    made.line.width = Pt(1.5)
    made.name = name
    return made


def rule(slide: Any, look: Look, x1: float, y1: float, x2: float, y2: float) -> Any:
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, *(Inches(v) for v in (x1, y1, x2, y2)))
    line.line.color.rgb = rgb(look.muted)
    line.line.width = Pt(1)
    return line


def link(slide: Any, look: Look, source: Any, target: Any) -> Any:
    """A connector glued to two shapes (right side of ``source`` to left side of ``target``)."""
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, 0, 0, 0, 0)
    left_to_right = source.left <= target.left
    line.begin_connect(source, 3 if left_to_right else 1)
    line.end_connect(target, 1 if left_to_right else 3)
    line.line.color.rgb = rgb(look.accent)
    line.line.width = Pt(1.25)
    line.name = "fit"
    return line


def notes(slide: Any, lines: Sequence[str]) -> None:
    """Speaker notes, one paragraph per line (literal text)."""
    frame = slide.notes_slide.notes_text_frame
    for n, value in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.add_run().text = value


# ----------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class Column:
    title: str
    weight: float  # share of the table's width


def _row_height(cells: Sequence[str], widths: Sequence[float], size: float, bold: bool = False) -> float:
    return max(text.height(c, w - 2 * CELL_X, size, bold) for c, w in zip(cells, widths, strict=True)) + \
        2 * CELL_Y + 0.04


def table_pages(columns: Sequence[Column], rows: Sequence[Sequence[str]], widths: Sequence[float], height: float,
                size: float = SMALL) -> list[list[list[str]]]:
    """Rows grouped into pages that fit ``height`` under the header; a row taller than a page
    is cut at line ends into continuation rows (the pieces join to the full text)."""
    header = _row_height([c.title for c in columns], widths, size, True)
    room = height - header
    pages: list[list[list[str]]] = [[]]
    used = 0.0
    for row in rows:
        for part in _split_row(list(row), widths, room, size):
            needed = _row_height(part, widths, size)
            if pages[-1] and used + needed > room:
                pages.append([])
                used = 0.0
            pages[-1].append(part)
            used += needed
    return pages


def _split_row(row: list[str], widths: Sequence[float], room: float, size: float) -> list[list[str]]:
    if _row_height(row, widths, size) <= room:
        return [row]
    boxes = [text.Box(w - 2 * CELL_X, room - 2 * CELL_Y - 0.04) for w in widths]
    parts = [text.pieces(cell, b, size) for cell, b in zip(row, boxes, strict=True)]
    count = max(len(p) for p in parts)
    return [[p[n] if n < len(p) else "" for p in parts] for n in range(count)]


def widths(columns: Sequence[Column], width: float, rows: Sequence[Sequence[str]] = ()) -> list[float]:
    """Column widths by weight, each (up to 2.5 in) as wide as its longest word, taken from the widest column."""
    total = sum(c.weight for c in columns)
    out = [width * c.weight / total for c in columns]
    for n, column in enumerate(columns):
        words = [(w, True) for w in column.title.split()] + [(w, False) for row in rows[:200]
                                                             for w in row[n][:2000].split()]
        least = min(max((text.width(w, SMALL, bold) for w, bold in words), default=0) / text.SAFETY, 2.5) \
            + 2 * CELL_X + 0.06
        if out[n] < least:
            widest = max(range(len(out)), key=out.__getitem__)
            give = min(least - out[n], max(out[widest] - 1.0, 0))
            out[n] += give
            out[widest] -= give
    return out


def table(slide: Any, look: Look, rect: Rect, columns: Sequence[Column], rows: Sequence[Sequence[str]],
          size: float = SMALL, column_widths: Sequence[float] | None = None) -> Any:
    """A native table: header row, then ``rows``; row heights as measured, all text literal."""
    widths_ = list(column_widths or widths(columns, rect.width, rows))
    heights = [_row_height([c.title for c in columns], widths_, size, True)] + \
        [_row_height(r, widths_, size) for r in rows]
    frame = slide.shapes.add_table(len(rows) + 1, len(columns), Inches(rect.left), Inches(rect.top),
                                   Inches(rect.width), Inches(sum(heights)))
    grid = frame.table
    for n, w in enumerate(widths_):
        grid.columns[n].width = Inches(w)
    for n, h in enumerate(heights):
        grid.rows[n].height = Inches(h)
    for r, values in enumerate([[c.title for c in columns], *rows]):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(CELL_X)
            cell.margin_top = cell.margin_bottom = Inches(CELL_Y)
            frame_ = cell.text_frame
            frame_.word_wrap = True
            run = frame_.paragraphs[0].add_run()
            run.text = value
            look.style_run(run, size, bold=r == 0, color=None if look.templated else
                           ("#ffffff" if r == 0 else look.ink))
            if not look.templated:
                cell.fill.solid()
                cell.fill.fore_color.rgb = rgb(look.accent if r == 0 else ("#ffffff" if r % 2 else look.panel))
    return frame
