"""Sticky notes placed into an area of any convex shape, readable at any count.

The same routine fills the square and circle of the Value Proposition Canvas, the cells of
a board and the stage columns of the touchpoint map. It tries note sizes from large to
small (wrap, then shrink down to ``MIN_FONT``); when even the smallest do not all fit it
shows as many as fit and a "+ N more" chip, and reports the rest so a report can list them.
Every line is measured, so text never leaves its note and notes never overlap.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import style
from .sheet import Sheet
from .style import MIN_FONT, Measure, line_height


# ---------------------------------------------------------------------------------- regions
class Region:
    """A convex area in figure inches: a circle (optional) cut by half-planes a·x + b·y <= c."""

    def __init__(self, top: float, bottom: float, halfplanes: list[tuple[float, float, float]],
                 circle: tuple[float, float, float] | None = None):
        self.top, self.bottom, self.halfplanes, self.circle = top, bottom, halfplanes, circle

    @classmethod
    def rect(cls, x0: float, y0: float, x1: float, y1: float) -> Region:
        return cls(y1, y0, [(-1.0, 0.0, -x0), (1.0, 0.0, x1)])

    def interval(self, y: float) -> tuple[float, float] | None:
        lo, hi = -math.inf, math.inf
        if self.circle:
            cx, cy, r = self.circle
            if abs(y - cy) >= r:
                return None
            half = math.sqrt(r * r - (y - cy) ** 2)
            lo, hi = cx - half, cx + half
        for a, b, c in self.halfplanes:
            rhs = c - b * y
            if a > 1e-12:
                hi = min(hi, rhs / a)
            elif a < -1e-12:
                lo = max(lo, rhs / a)
            elif rhs < 0:
                return None
        return (lo, hi) if hi > lo else None

    def span(self, y0: float, y1: float) -> tuple[float, float] | None:
        """x-range where a box from y0 to y1 lies wholly inside (convexity: check both edges)."""
        a, b = self.interval(y0), self.interval(y1)
        if a is None or b is None:
            return None
        lo, hi = max(a[0], b[0]), min(a[1], b[1])
        return (lo, hi) if hi > lo else None

    @property
    def width(self) -> float:
        spans = [self.interval(self.bottom + (self.top - self.bottom) * f) for f in (0.25, 0.5, 0.75)]
        return max((s[1] - s[0] for s in spans if s), default=0.0)


def sector(cx: float, cy: float, r: float, start_deg: float, end_deg: float,
           gap: float) -> list[tuple[float, float, float]]:
    """Half-planes of a circle sector (angles counter-clockwise, span <= 180°), ``gap`` inside each edge."""
    planes = []
    for angle, inward in ((start_deg, 1), (end_deg, -1)):
        a = math.radians(angle)
        # the normal of the edge ray, pointing out of the sector
        nx, ny = math.sin(a) * inward, -math.cos(a) * inward
        planes.append((nx, ny, nx * cx + ny * cy - gap))
    return planes


# ---------------------------------------------------------------------------------- notes
@dataclass
class Note:
    """What one sticky note shows. ``source`` is the record, for overflow lists."""

    text: str
    color: str
    details: list[str] = field(default_factory=list)  # one line each, small
    footer: str = ""
    footer_short: str = ""  # used when ``footer`` does not fit
    badge: str = ""  # right of the footer
    badge_color: str = style.INK
    edge: str = style.NOTE_EDGE
    edge_width: float = 0.6
    dashed: bool = False
    bold: bool = False
    source: Any = None


@dataclass(frozen=True)
class Spec:
    size: float  # body font size
    lines: int  # body lines
    width: float  # note width, inches


#: Large to small; the first that holds every note wins.
SPECS = [Spec(10, 5, 1.75), Spec(9, 5, 1.55), Spec(8.5, 5, 1.4), Spec(8, 5, 1.3), Spec(7.5, 5, 1.2),
         Spec(7.5, 4, 1.2), Spec(7, 5, 1.1), Spec(7, 4, 1.1), Spec(7, 3, 1.1), Spec(6.5, 3, 1.0),
         Spec(6, 3, 0.95), Spec(6, 2, 0.9), Spec(6, 2, 0.75), Spec(6, 1, 0.85)]
GAP = 0.06
READABLE_LINES = 3  # showing every note cut to fewer lines than this is worse than an overflow
OVERFLOW_LINES = 2  # once some notes overflow, show as many two-line notes as fit
PAD = 0.05


def small(spec: Spec) -> float:
    return max(MIN_FONT, spec.size - 1.5)


def note_height(spec: Spec, details: int, footer: bool) -> float:
    h = 2 * PAD + spec.lines * line_height(spec.size) + details * line_height(small(spec))
    return h + (line_height(small(spec)) + 0.02 if footer else 0)


def slots(region: Region, spec: Spec, height: float, limit: int) -> list[tuple[float, float, float]]:
    """(x, y_top, width) of each note position, row by row from the top, centred in each row."""
    out: list[tuple[float, float, float]] = []
    y = region.top
    while y - height >= region.bottom - 1e-9 and len(out) < limit:
        span = region.span(y - height, y)
        if span:
            room = span[1] - span[0]
            cols = int((room + GAP) // (spec.width + GAP))
            if cols:
                # widen notes a little to use the row, but keep them note-shaped
                w = min(spec.width * 1.25, (room + GAP) / cols - GAP)
                x0 = span[0] + (room - (cols * w + (cols - 1) * GAP)) / 2
                out.extend((x0 + i * (w + GAP), y, w) for i in range(cols))
        y -= height + GAP
    return out[:limit]


@dataclass
class Placed:
    shown: list[Note]
    hidden: list[Note]  # did not fit: counted in the "+ N more" chip


def place(sheet: Sheet, measure: Measure, region: Region, notes: list[Note], language: str,
          max_notes: int | None = None, specs: list[Spec] = SPECS) -> Placed:
    """Draw ``notes`` into ``region``; returns which were shown and which overflowed."""
    if not notes:
        return Placed([], [])
    details = max(len(n.details) for n in notes)
    footer = any(n.footer or n.badge for n in notes)
    wanted = notes if max_notes is None else notes[:max(max_notes, 0)]
    if len(wanted) == len(notes):
        chosen = _choose(measure, region, wanted, specs, details, footer)
        if chosen:
            spec, h, positions = chosen
            for note, (x, y, w) in zip(wanted, positions, strict=False):
                _draw(sheet, measure, note, spec, x, y, w, h, details)
            return Placed(wanted, [])
    # overflow: keep a line at the bottom for "+ N more", fill the rest
    chip_h = line_height(MIN_FONT + 1) + 0.04
    inner = Region(region.top, region.bottom + chip_h, region.halfplanes, region.circle)
    chosen = _choose(measure, inner, wanted, specs, details, footer)
    if chosen:
        spec, h, positions = chosen
        shown = wanted
    else:  # the readable size that shows the most notes
        best: tuple[int, Spec, float, list[tuple[float, float, float]]] | None = None
        for spec in [s for s in specs if s.lines >= OVERFLOW_LINES] or specs[-1:]:
            h = note_height(spec, details, footer)
            positions = slots(inner, spec, h, len(wanted))
            if best is None or len(positions) > best[0]:
                best = (len(positions), spec, h, positions)
        _, spec, h, positions = best  # type: ignore[misc]
        shown = wanted[:len(positions)]
    for note, (x, y, w) in zip(shown, positions, strict=False):
        _draw(sheet, measure, note, spec, x, y, w, h, details)
    hidden = notes[len(shown):]
    span = region.span(region.bottom, region.bottom + chip_h) or region.interval(region.bottom + chip_h)
    if span and hidden:
        _overflow_chip(sheet, measure, span, region.bottom + 0.02, len(hidden), language)
    return Placed(shown, hidden)


def _choose(measure: Measure, region: Region, notes: list[Note], specs: list[Spec], details: int,
            footer: bool) -> tuple[Spec, float, list[tuple[float, float, float]]] | None:
    """The largest note size that holds every note without cutting text (else the fewest cuts)."""
    best = None
    for spec in specs:
        h = note_height(spec, details, footer)
        positions = slots(region, spec, h, len(notes))
        if len(positions) < len(notes):
            continue
        before = measure.broken_words
        cut = sum(measure.wrap(n.text, spec.width - 2 * PAD, spec.size, spec.lines,
                               "bold" if n.bold else "normal")[1] for n in notes)
        if cut and spec.lines < READABLE_LINES:  # one-word stubs are worse than an overflow list
            continue
        cost = 10 * cut + measure.broken_words - before
        if best is None or cost < best[0]:
            best = (cost, spec, h, positions)
        if cost == 0:
            break
    return best[1:] if best else None


def _overflow_chip(sheet: Sheet, measure: Measure, span: tuple[float, float], bottom: float, n: int,
                   language: str) -> None:
    size = MIN_FONT + 1
    chip = measure.fit_line(style.label("more", language, n=n), span[1] - span[0] - 0.04, size, "bold")
    sheet.text(span[0] + 0.02, bottom, chip, size, weight="bold", color=style.MUTED, va="bottom", role="overflow")


def _draw(sheet: Sheet, measure: Measure, note: Note, spec: Spec, x: float, y: float, w: float, h: float,
          details: int, role: str = "note") -> None:
    sheet.rect(x, y - h, w, h, radius=0.04, fill=note.color, edge=note.edge, lw=note.edge_width,
               dash=(3, 2) if note.dashed else None, z=2)
    inner = w - 2 * PAD
    weight = "bold" if note.bold else "normal"
    lines, _ = measure.wrap(note.text, inner, spec.size, spec.lines, weight)
    cy = y - PAD
    if lines:
        sheet.text(x + PAD, cy, "\n".join(lines), spec.size, weight=weight, role=role, z=3)
    cy -= spec.lines * line_height(spec.size)
    sm = small(spec)
    for detail in note.details[:details]:
        if detail:
            sheet.text(x + PAD, cy, measure.fit_line(detail, inner, sm), sm, color=style.MUTED,
                 role="detail", z=3)
        cy -= line_height(sm)
    if note.footer or note.badge:
        fy = y - h + PAD
        badge_w = measure.width(note.badge, sm, "bold") if note.badge else 0.0
        if note.badge:
            badge = measure.fit_line(note.badge, inner, sm, "bold")
            sheet.text(x + w - PAD, fy, badge, sm, color=note.badge_color, weight="bold", ha="right",
                 va="bottom", role="badge", z=3)
            badge_w = measure.width(badge, sm, "bold")
        if note.footer:
            room = inner - badge_w - (0.06 if note.badge else 0)
            footer = note.footer
            if note.footer_short and measure.width(footer, sm) > room:
                footer = note.footer_short
            if room > 0.15:
                sheet.text(x + PAD, fy, measure.fit_line(footer, room, sm), sm, color=style.MUTED,
                     va="bottom", role="footer", z=3)


def empty_hint(sheet: Sheet, measure: Measure, region: Region, language: str, question: str = "") -> None:
    """A friendly hint (and the area's guiding question) where an area has no notes yet."""
    mid = (region.top + region.bottom) / 2
    span = region.span(mid - 0.3, mid + 0.3) or region.interval(mid)
    if not span:
        return
    width = span[1] - span[0] - 0.1
    cx = (span[0] + span[1]) / 2
    sheet.text(cx, mid + 0.18, measure.fit_line(style.label("no_notes", language), width, 8, style="italic"), 8,
         color=style.FAINT, style="italic", ha="center", role="hint")
    if question and width > 0.4:
        lines, _ = measure.wrap(question, width, MIN_FONT + 0.5, 3)
        sheet.text(cx, mid, "\n".join(lines), MIN_FONT + 0.5, color=style.FAINT, ha="center", role="hint")
