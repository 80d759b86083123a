"""Content that continues over slides: tables by rows, text by paragraphs (cut at line ends when one is
longer than a slide), each further slide titled "(continued)"."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ... import i18n
from . import shapes, text
from .look import Look, Rect

if TYPE_CHECKING:
    from ...workshop import Workshop


def label(ws: Workshop, key: str, **values: Any) -> str:
    """A deck text (kit/texts/deck.yaml) in the workshop's language."""
    return i18n.t(f"deck.{key}", ws.language, **values)


def tables(ws: Workshop, look: Look, title: str, columns: Sequence[shapes.Column],
           rows: Sequence[Sequence[str]], above: Sequence[shapes.Paragraph] = (), continued: bool = False) -> list[Any]:
    """``rows`` as native tables on as many slides as they need, headed ``title`` (continued)."""
    room = look.content_rect()
    top = shapes.paragraphs_height(above, room.width) + 0.1 if above else 0.0
    widths = shapes.widths(columns, room.width, rows)
    pages = shapes.table_pages(columns, rows, widths, room.height - top)
    made = []
    for n, page in enumerate(pages):
        slide, room = shapes.new_slide(look, label(ws, "continued", title=title) if n or continued else title)
        if above and n == 0:
            shapes.box(slide, look, Rect(room.left, room.top, room.width, top - 0.1), above)
        shapes.table(slide, look, Rect(room.left, room.top + (top if n == 0 else 0), room.width, room.height),
                     columns, page, column_widths=widths)
        made.append(slide)
    return made


def text_slides(ws: Workshop, look: Look, title: str, paragraphs: Sequence[shapes.Paragraph],
                room: Rect | None = None) -> list[Any]:
    """Paragraphs in the content area, continued on further slides; one longer than a slide is cut
    at line ends."""
    area = room or look.content_rect()
    width = area.width - 2 * shapes.INSET
    pieces: list[shapes.Paragraph] = []
    for value, size, bold, colour in paragraphs:
        box = text.Box(width, area.height - shapes.INSET - 0.1)
        pieces += [(part, size, bold, colour) for part in text.pieces(value, box, size, bold)]
    pages: list[list[shapes.Paragraph]] = [[]]
    for paragraph in pieces:
        if pages[-1] and shapes.paragraphs_height([*pages[-1], paragraph], area.width) > area.height:
            pages.append([])
        pages[-1].append(paragraph)
    made = []
    for n, page in enumerate(pages):
        slide, room_ = shapes.new_slide(look, title if n == 0 else label(ws, "continued", title=title))
        target = room or room_
        shapes.box(slide, look, Rect(target.left, target.top, target.width,
                                     shapes.paragraphs_height(page, target.width)), page)
        made.append(slide)
    return made
