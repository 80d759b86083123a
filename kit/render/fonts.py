"""Text widths from the fonts' own advance tables: what ``Measure`` wraps by, without matplotlib.

The kit draws with DejaVu Sans, falling back to Symbola for what DejaVu lacks (emoji, symbols), in the
report (Chromium) and in matplotlib's figures alike. A line's width is the sum of its characters'
advances (kerning left out: a percent at most, which ``Measure.wrap``'s margin and the SVG's exact line
lengths absorb). The tables are read with fontTools (matplotlib's own dependency), lazily, per face, once per
process and kept in the user's cache (``kit.usercache``).
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

from .. import usercache

#: (weight, style) -> DejaVu Sans file; Symbola has one face for all.
_FACES = {("normal", "normal"): "DejaVuSans.ttf", ("bold", "normal"): "DejaVuSans-Bold.ttf",
          ("normal", "italic"): "DejaVuSans-Oblique.ttf", ("bold", "italic"): "DejaVuSans-BoldOblique.ttf"}
_SYSTEM = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"), Path("/Library/Fonts"))
_SYMBOLA = (Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
            Path("/usr/share/fonts/truetype/ancient-scripts/Symbola.ttf"))
#: Where a face is missing everywhere: an average letter's advance, in em.
AVERAGE = 0.6
#: Where matplotlib puts lines of text at line spacing 1.2 (measured on its SVG output), in em: the first
#: baseline this far below the top of a block, one line under the other, a block ``LINE_STEP`` per line high.
#: The report's drawings place text the same way, so they look like the static figures.
ASCENT, LINE_STEP = 0.973, 1.2


def _file(name: str) -> Path | None:
    for folder in _SYSTEM:
        if (folder / name).is_file():
            return folder / name
    spec = importlib.util.find_spec("matplotlib")  # its bundled copy, without importing it
    for location in (spec.submodule_search_locations or []) if spec else []:
        bundled = Path(location) / "mpl-data" / "fonts" / "ttf" / name
        if bundled.is_file():
            return bundled
    return None


class _Face:
    """One font's character -> advance table (in font units, ``em`` to the em), read from the font with fontTools
    once per font file and user (then from the user's cache: reading a face takes a twentieth of a second)."""

    def __init__(self, path: Path | None):
        self.em = 1.0
        self.units: dict[int, int] = {}
        self.notdef: int | None = None
        if path is None:
            return
        cache = usercache.entry(path, path.stem, "fonts")
        kept = usercache.read(cache)
        if (isinstance(kept, tuple) and len(kept) == 3 and type(kept[0]) is float and type(kept[1]) is dict
                and (kept[2] is None or type(kept[2]) is int)):
            self.em, self.units, self.notdef = kept
            return
        self._read(path)  # none kept, or damaged: read from the font, and kept again
        if cache is not None:
            usercache.keep_data(cache, (self.em, self.units, self.notdef))

    def _read(self, path: Path) -> None:
        from fontTools.ttLib import TTFont

        font: Any = TTFont(str(path), lazy=True)
        try:
            self.em = float(font["head"].unitsPerEm)
            metrics = font["hmtx"].metrics
            self.units = {code: int(metrics[name][0]) for code, name in (font.getBestCmap() or {}).items()
                          if name in metrics}
            self.notdef = int(metrics[".notdef"][0]) if ".notdef" in metrics else None
        finally:
            font.close()

    def advance(self, code: int) -> float | None:
        units = self.units.get(code)
        return None if units is None else units / self.em


@functools.cache
def _face(weight: str, style: str) -> _Face:
    key = ("bold" if weight == "bold" else "normal", "normal" if style == "normal" else "italic")
    return _Face(_file(_FACES[key]))


@functools.lru_cache(maxsize=1)
def _symbola() -> _Face:
    return _Face(next((p for p in _SYMBOLA if p.is_file()), None))


class _Advances(dict[str, float]):
    """Character -> advance (em) in one weight and style, looked up once per character: DejaVu's, else
    Symbola's, else DejaVu's missing-glyph box."""

    def __init__(self, weight: str, style: str):
        super().__init__()
        self.weight, self.style = weight, style

    def __missing__(self, ch: str) -> float:
        face = _face(self.weight, self.style)
        found: float | None
        if not face.units:
            found = AVERAGE
        elif ch in "\u00ad\u200b\u200c\u200d\ufeff":  # invisible: drawn with no width
            found = 0.0
        else:
            found = face.advance(ord(ch))
            if found is None:
                found = _symbola().advance(ord(ch))
            if found is None:
                found = AVERAGE if face.notdef is None else face.notdef / face.em
        self[ch] = found
        return found


_TABLES: dict[tuple[str, str], _Advances] = {}


def _table(weight: str, style: str) -> _Advances:
    table = _TABLES.get((weight, style))
    if table is None:
        table = _TABLES[(weight, style)] = _Advances(weight, style)
    return table


def width(s: str, size: float, weight: str = "normal", style: str = "normal") -> float:
    """The width of ``s`` on one line at ``size`` points, in inches."""
    return sum(map(_table(weight, style).__getitem__, s)) * size / 72
