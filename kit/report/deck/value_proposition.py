"""The Value Proposition Canvas on slides: a square and a circle of native shapes, six areas,
every note an editable sticky shape with its rank and evidence count, fit links as connectors.

The value map is the square (products & services on the left half, gain creators above pain
relievers on the right), the customer profile the circle (customer jobs on the right half,
gains above pains on the left). Each area fills from the top with stickies as wide as the
area allows at their height (in the circle the chord narrows towards the rim); notes that do
not fit continue on another copy of the canvas, so nothing shrinks below 12 pt. A note too
long for an empty area (or longer than LONG_NOTE) shows its beginning on its sticky and its full
text on slides after the canvas.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pptx.enum.shapes import MSO_SHAPE

from ... import i18n
from ...render import style
from . import shapes, text
from .look import Look, Rect
from .pages import text_slides

if TYPE_CHECKING:
    from ...workshop import Workshop

CANVAS = "value_proposition"
MARGIN = 0.1
GAP = 0.08  # between two stickies
MIN_WIDTH = 1.2  # narrowest sticky
#: A note longer than this shows its beginning on the canvas and its full text on slides after it.
LONG_NOTE = 500
PREVIEW = 200
#: (left, right) free for a band from y0 to y1 in an area, in inches.
Span = Callable[[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    top: float
    bottom: float
    span: Span


@dataclass
class Note:
    id: int
    area: str
    text: str
    meta: str
    colour: str
    fits: list[int]
    full: str = ""  # a long note's whole text (``text`` is then its beginning)


def areas(look: Look, room: Rect, titles: dict[str, str]) -> tuple[list[Area], Rect, Rect]:
    """The six areas inside the square and the circle that fit ``room``; and the square and circle."""
    side = min(room.height, (room.width - 0.4) / 2)
    left = room.left + (room.width - 2 * side - 0.4) / 2
    square = Rect(left, room.top, side, side)
    circle = Rect(left + side + 0.4, room.top, side, side)
    half = side / 2
    cx, cy, r = circle.left + half, circle.top + half, half
    # how far from the centre the circle's areas reach: a sticky there is still MIN_WIDTH wide
    reach = math.sqrt(max(r * r - (MIN_WIDTH + 3 * MARGIN) ** 2, 0))

    def box(x0: float, x1: float) -> Span:
        return lambda y0, y1: (x0 + MARGIN, x1 - MARGIN)

    def chord(side_: str) -> Span:
        def span(y0: float, y1: float) -> tuple[float, float]:
            dy = max(abs(y0 - cy), abs(y1 - cy))
            half_chord = math.sqrt(max(r * r - dy * dy, 0)) - MARGIN * 2
            return (cx + MARGIN, cx + half_chord) if side_ == "right" else (cx - half_chord, cx - MARGIN)
        return span

    found = [
        Area("products", titles["products"], square.top + MARGIN, square.bottom - MARGIN,
             box(square.left, square.left + half)),
        Area("gain_creators", titles["gain_creators"], square.top + MARGIN, square.top + half - MARGIN,
             box(square.left + half, square.right)),
        Area("pain_relievers", titles["pain_relievers"], square.top + half + MARGIN, square.bottom - MARGIN,
             box(square.left + half, square.right)),
        Area("jobs", titles["jobs"], cy - reach, cy + reach, chord("right")),
        Area("gains", titles["gains"], cy - reach, cy - MARGIN, chord("left")),
        Area("pains", titles["pains"], cy + MARGIN, cy + reach, chord("left")),
    ]
    return found, square, circle


def notes(ws: Workshop) -> list[Note]:
    """Every note of the canvas with its sticky text: rank and evidence count in the workshop's language."""
    canvas = ws.canvas(CANVAS)
    lang = ws.language
    counts = canvas.evidence_counts()
    rank_names = {a["id"]: a.get("rank", {}).get(lang, "") if isinstance(a.get("rank"), dict) else ""
                  for a in canvas.declaration["areas"]}
    out = []
    for item in canvas.items():
        parts = []
        if item["rank"] is not None:
            parts.append(i18n.t("deck.rank", lang, name=rank_names.get(item["area"]) or i18n.t("deck.rank_name", lang),
                                rank=item["rank"]))
        if item["id"] in counts and item["hypothesis"] is not None:
            found = counts[item["id"]]
            parts.append(i18n.t("deck.evidence_count", lang, supports=found["supports"],
                                contradicts=found["contradicts"]))
        colour = style.note_color(item.get("color"), style.NOTE_COLORS.get(item["area"], style.PANEL))
        shown, full = item["text"], ""
        if len(shown) > LONG_NOTE:
            shown, full = shown[:PREVIEW].rstrip() + "…", shown
            parts.append(i18n.t("deck.full_text_after", lang))
        meta = " · ".join(p.replace(" ", "\u00a0") for p in parts)  # "Schwere 4" never splits over two lines
        out.append(Note(item["id"], item["area"], shown, meta, colour, list(item["fit"] or []),
                        full=full))
    return out


def _paragraphs(look: Look, note: Note) -> list[shapes.Paragraph]:
    out: list[shapes.Paragraph] = [(note.text, shapes.SMALL, False, look.ink)]
    if note.meta:
        out.append((note.meta, shapes.SMALL, False, look.muted))
    return out


def _widest_word(value: str, bold: bool = False) -> float:
    return max((text.width(w, shapes.SMALL, bold) for w in value[:2000].split()), default=0.0) / text.SAFETY


def _place(look: Look, area: Area, y: float, note: Note) -> tuple[Rect, float] | None:
    """Where ``note`` goes in ``area`` from ``y`` down, and the y after it; None if it fits nowhere below.

    In the circle the room narrows with a sticky's height, and a sticky lower down may be wider:
    try heights in small steps from each start, then start further down."""
    paragraphs = _paragraphs(look, note)
    least = max(MIN_WIDTH, _widest_word(note.text) + 2 * shapes.INSET + 0.02)  # no word broken where avoidable
    if least > area.span(area.top, area.bottom)[1] - area.span(area.top, area.bottom)[0] + 1.0:
        least = MIN_WIDTH
    while y < area.bottom:
        height = 0.3
        while y + height <= area.bottom:
            x0, x1 = area.span(y, y + height)
            if x1 - x0 >= least and shapes.paragraphs_height(paragraphs, x1 - x0) <= height:
                return Rect(x0, y, x1 - x0, height), y + height + GAP
            height += 0.05
        y += 0.1
    return None


def _preview(look: Look, area: Area, y: float, note: Note, language: str) -> Note | None:
    """A note too long for an empty area: its beginning on the sticky, its full text after the canvas
    (None when not even a line fits, as in a template's tiny content area: then only after the canvas)."""
    meta = note.meta if note.full else " · ".join(p for p in (note.meta, i18n.t("deck.full_text_after", language))
                                                  if p)
    x0, x1 = area.span(y, area.bottom)
    width = max(x1 - x0, MIN_WIDTH)
    below = shapes.paragraphs_height([(meta, shapes.SMALL, False, None)], width)
    share = 1.0
    while share > 0.05:  # a shorter beginning until it fits (the circle narrows towards its rim)
        room = text.Box(width - 2 * shapes.INSET, (area.bottom - y) * share - below - shapes.INSET - 0.1)
        head = text.pieces(note.full or note.text, room, shapes.SMALL)[0]
        shown = Note(note.id, note.area, head[:-1].rstrip() + "…", meta, note.colour, note.fits,
                     full=note.full or note.text)
        if _place(look, area, y, shown) is not None:
            return shown
        share *= 0.7
    return None


def slides(ws: Workshop, look: Look) -> list[Any]:
    """The canvas on as many slides as its notes need (always at least one)."""
    canvas = ws.canvas(CANVAS)
    lang = ws.language
    titles = {a["id"]: a["title"] for a in canvas.areas}
    texts = {item["id"]: item["text"] for item in canvas.items()}
    queues = {a["id"]: [n for n in notes(ws) if n.area == a["id"]] for a in canvas.areas}
    made: list[Any] = []
    long_notes = {n.id: n for queue in queues.values() for n in queue if n.full}  # and those too long for an area
    while not made or any(queues.values()):
        title = canvas.title if not made else i18n.t("deck.continued", lang, title=canvas.title)
        slide, room = shapes.new_slide(look, title)
        attribution = i18n.t("attribution.value_proposition", lang)
        foot = shapes.paragraphs_height([(attribution, shapes.SMALL, False, None)], room.width)
        inner = Rect(room.left, room.top, room.width, room.height - foot - 0.05)
        found, square, circle = areas(look, inner, titles)
        shapes.outline(slide, look, square, MSO_SHAPE.RECTANGLE, "value map")
        shapes.outline(slide, look, circle, MSO_SHAPE.OVAL, "customer profile")
        half = square.width / 2
        shapes.rule(slide, look, square.left + half, square.top, square.left + half, square.bottom)
        shapes.rule(slide, look, square.left + half, square.top + half, square.right, square.top + half)
        cx, cy = circle.left + half, circle.top + half
        shapes.rule(slide, look, cx, circle.top, cx, circle.bottom)
        shapes.rule(slide, look, circle.left, cy, cx, cy)
        placed: dict[int, tuple[Note, Any]] = {}
        speaker: list[str] = []
        for area in found:
            heading = [(area.title, shapes.SMALL, True, look.ink)]
            y = area.top
            wanted = max(min(text.width(area.title, shapes.SMALL, True) / text.SAFETY, MIN_WIDTH),
                         _widest_word(area.title, bold=True)) + 2 * shapes.INSET
            while area.span(y, y + 0.3)[1] - area.span(y, y + 0.3)[0] < wanted and y < area.bottom:
                y += 0.05  # down the circle's rim until the heading fits (it may wrap)
            x0, x1 = area.span(y, y + 0.3)
            h = shapes.paragraphs_height(heading, x1 - x0)
            shapes.box(slide, look, Rect(x0, y, x1 - x0, h), heading, name=f"area {area.id}")
            y += h + GAP
            queue = queues[area.id]
            while queue:
                spot = _place(look, area, y, queue[0])
                if spot is None and not any(n.area == area.id for n, _ in placed.values()):
                    shown = _preview(look, area, y, queue[0], lang)
                    if shown is None:
                        long_notes[queue[0].id] = queue.pop(0)
                        continue
                    queue[0] = long_notes[shown.id] = shown
                    spot = _place(look, area, y, shown)
                if spot is None:
                    break
                note = queue.pop(0)
                rect, y = spot
                sticky = shapes.box(slide, look, rect, _paragraphs(look, note), fill_colour=note.colour,
                                    line=style.LINE, name=f"note {note.id}")
                placed.setdefault(note.id, (note, sticky))
        for note, sticky in placed.values():
            for target in note.fits:
                if target in placed:
                    shapes.link(slide, look, sticky, placed[target][1])
                elif target in texts:
                    speaker.append(i18n.t("deck.fit_elsewhere", lang, source=note.text, target=texts[target]))
        shapes.box(slide, look, Rect(room.left, inner.bottom + 0.05, room.width, foot),
                   [(attribution, shapes.SMALL, False, look.muted)], name="attribution")
        if speaker:
            shapes.notes(slide, speaker)
        made.append(slide)
    if long_notes:
        body: list[shapes.Paragraph] = []
        for note in long_notes.values():
            body += [(titles[note.area], shapes.SMALL, True, None), (note.full or note.text, shapes.SMALL, False, None)]
        made += text_slides(ws, look, i18n.t("deck.long_notes", lang, title=canvas.title), body)
    return made

