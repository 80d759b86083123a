"""How much room a text needs on a slide, so nothing overflows its shape and nothing shrinks.

Widths come from DejaVu Sans (the deck's own font, and wider than the usual corporate fonts,
so a template's font fits where DejaVu does); a character the font lacks (emoji, most CJK)
counts as a wide 1.25 em. Lines break at spaces like a slide program, a word wider than the
line by character. ``pieces`` cuts a text too long for one shape into parts whose
concatenation is the text exactly, at line ends, so no character is lost or invented.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

#: Never smaller than this on a slide.
MIN_PT = 12.0
#: Height of one line as a multiple of the font size (LibreOffice and PowerPoint set DejaVu at about 1.17).
LINE_SPACING = 1.25
#: Width a text may use, as a share of the measured room (kerning and the renderer's rounding).
SAFETY = 0.94
_WIDE = 1.25
#: A line may end after these (space, tab, hyphen, soft hyphen, zero-width space).
_BREAKS = " \t-\u00ad\u200b"


@functools.lru_cache(maxsize=2)
def _font(bold: bool) -> tuple[Any, dict[int, Any]]:
    """DejaVu Sans (bold or regular) at 100 units to the em, and its {code point: glyph}."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans",
                                                             weight="bold" if bold else "normal"))
    face = FT2Font(path)
    face.set_size(100, 72)
    return face, face.get_charmap()


@functools.lru_cache(maxsize=65536)
def _char(ch: str, bold: bool) -> float:
    """Advance of one character in em (each glyph loaded once, when first needed)."""
    face, charmap = _font(bold)
    glyph = charmap.get(ord(ch))
    if glyph is None:
        return _WIDE
    advance: float = face.load_glyph(glyph).linearHoriAdvance / 65536 / 100
    return advance


def width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` on one line, in inches at ``size`` points."""
    return sum(_char(ch, bold) for ch in text) * size / 72


def line_height(size: float) -> float:
    return size * LINE_SPACING / 72


@dataclass(frozen=True)
class Box:
    """The text area of a shape: width and height in inches, after its insets."""

    width: float
    height: float


def breaks(text: str, room: float, size: float, bold: bool = False) -> list[int]:
    """Offsets where each wrapped line of ``text`` ends (the last is ``len(text)``)."""
    room *= SAFETY
    ends: list[int] = []
    start = 0
    while start < len(text):
        used, end, last_break = 0.0, start, -1
        while end < len(text):
            ch = text[end]
            if ch == "\n":
                end += 1
                break
            used += _char(ch, bold) * size / 72
            if used > room and end > start:
                if last_break > start:
                    end = last_break
                break
            end += 1
            if ch in _BREAKS:
                last_break = end
        ends.append(end)
        start = end
    return ends or [0]


def lines(text: str, room: float, size: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in ``room`` inches (an empty text still takes one)."""
    return len(breaks(text, room, size, bold))


def height(text: str, box_width: float, size: float, bold: bool = False) -> float:
    return lines(text, box_width, size, bold) * line_height(size)


def pieces(text: str, box: Box, size: float, bold: bool = False) -> list[str]:
    """``text`` cut into parts that each fit ``box``; ``"".join(parts) == text``."""
    per_box = max(1, int(box.height // line_height(size)))
    ends = breaks(text, box.width, size, bold)
    out, start = [], 0
    for n in range(per_box - 1, len(ends), per_box):
        out.append(text[start:ends[n]])
        start = ends[n]
    if start < len(text) or not out:
        out.append(text[start:])
    return out


def beginning(text: str, box: Box, size: float, bold: bool = False) -> str:
    """``text`` if it fits ``box``, else as much of its beginning as fits, ending in an ellipsis
    (titles: the whole text is elsewhere, on the slides or in the notes)."""
    parts = pieces(text, box, size, bold)
    return text if len(parts) == 1 else parts[0][:-1].rstrip() + "…"
