"""One look for every static figure: palette, fonts, sizes, and the text helpers.

Everything is drawn in inches, y upwards (on a Sheet, sheet.py, or one Axes covering a Figure), so
sizes read like print sizes: the canvases are A4 landscape and stay readable when the report puts
them on an A4 page. Every matplotlib Text goes through ``text()``, which turns mathtext off, because
user notes contain ``$``, ``_`` and ``\\`` literally. Only what makes Figures imports matplotlib.
"""
from __future__ import annotations

import functools
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..i18n import t
from . import fonts
from .hyphenation import hyphenator

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from ..canvas import Canvas
    from .sheet import Sheet

#: What matplotlib accepts as a font style.
FontStyle = Literal["normal", "italic", "oblique"]

# ---------------------------------------------------------------------------------- sizes
A4_LANDSCAPE = (11.69, 8.27)  # inches
REPORT_DPI = 150
MIN_FONT = 6.0  # nothing on a canvas is drawn smaller (6 pt on A4 is still legible)
TITLE_FONT = 16.0
SUBTITLE_FONT = 9.0
AREA_FONT = 10.5
QUESTION_FONT = 7.5
SMALL_FONT = 6.5

# ---------------------------------------------------------------------------------- palette
INK = "#1f2933"
MUTED = "#616e7c"
FAINT = "#9aa5b1"
LINE = "#c3cbd4"
PANEL = "#f5f7fa"
PAPER = "#ffffff"
ACCENT = "#2f6f8f"
ALERT = "#c62f3a"
WARN = "#b45309"
GOOD = "#2f8f5b"
PRE_CONTACT = "#eef3f8"

#: Sticky-note pastels by meaning, so a pain is pink on every canvas.
NOTE_COLORS = {
    "products": "#d6e6ff", "pain_relievers": "#ffd9cf", "gain_creators": "#d5f2d5",
    "jobs": "#fff1a8", "pains": "#ffd1dc", "gains": "#c9efc9",
    "job": "#fff1a8", "pain": "#ffd1dc", "gain": "#c9efc9",
}
NOTE_EDGE = "#00000022"

#: One colour per persona / segment, distinguishable in print and for most colour-blind readers.
SERIES = ["#2f6f8f", "#d1495b", "#e09f3e", "#4f9d69", "#8d6a9f", "#00798c", "#9c6644", "#5c677d",
          "#c8553d", "#3d5a80"]

# ---------------------------------------------------------------------------------- fonts
#: Debian's outline fonts: DejaVu for Latin, Greek, Cyrillic, Hebrew, Arabic; Symbola for emoji
#: (matplotlib cannot draw bitmap colour fonts such as Noto Color Emoji).
_FONT_FILES = ("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
               "/usr/share/fonts/truetype/ancient-scripts/Symbola.ttf")


class _NoBoldSymbola(logging.Filter):
    """Symbola has no bold face; matplotlib logs that for every bold size. Bold text still
    draws emoji in Symbola's regular weight, so that one message is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "for Symbola" not in record.getMessage()


@functools.lru_cache(maxsize=1)
def families() -> tuple[str, ...]:
    """Font family fallback list; Symbola joins when Debian's fonts-symbola is installed."""
    from matplotlib import font_manager

    logging.getLogger("matplotlib.font_manager").addFilter(_NoBoldSymbola())
    names = {f.name for f in font_manager.fontManager.ttflist}
    if "Symbola" not in names:
        for file in _FONT_FILES:
            if Path(file).exists():
                try:
                    font_manager.fontManager.addfont(file)
                except (OSError, RuntimeError, NotImplementedError):
                    continue
                names.add("Symbola")
                break
    return ("DejaVu Sans", "Symbola") if "Symbola" in names else ("DejaVu Sans",)


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Silence only "Glyph ... missing from font(s)": such a character is drawn as a box
    while the Text keeps the user's string unchanged, which is the best a static figure can do."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from")
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support .* natively")
        yield


# ---------------------------------------------------------------------------------- figure
def new_figure(size: tuple[float, float] = A4_LANDSCAPE) -> tuple[Figure, Axes]:
    """A figure on the Agg canvas (no pyplot state) with one Axes in inches, y upwards."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=REPORT_DPI, facecolor=PAPER)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, size[0])
    ax.set_ylim(0, size[1])
    ax.set_axis_off()
    return fig, ax


def text(ax: Axes, x: float, y: float, s: str, size: float, *, color: str = INK, weight: str = "normal",
         style: FontStyle = "normal", ha: str = "left", va: str = "top", role: str = "", **kw: Any) -> Text:
    """Place user or label text literally: mathtext off, the kit's fonts, never below MIN_FONT
    unless the caller asks for chart tick sizes explicitly through ``kw``."""
    artist = ax.text(x, y, s, fontsize=size, color=color, fontweight=weight, fontstyle=style, ha=ha, va=va,
                     family=list(families()), parse_math=False, linespacing=1.2, **kw)
    artist.set_gid(role or None)
    return artist


def label(key: str, language: str, **values: Any) -> str:
    return t(f"render.{key}", language, **values)


def note_color(value: str | None, fallback: str) -> str:
    """A note's own colour as ``#rrggbb[aa]`` if it is a valid CSS/matplotlib colour, else the area's pastel
    (the same in SVG and in matplotlib; a colour name needs matplotlib's table)."""
    if not value or not isinstance(value, str) or value.strip().isdigit():
        return fallback
    if _HEX.fullmatch(value):
        digits = value[1:].lower()
        return "#" + ("".join(c * 2 for c in digits) if len(digits) in (3, 4) else digits)
    from matplotlib import colors as mcolors

    if not mcolors.is_color_like(value):
        return fallback
    return str(mcolors.to_hex(value, keep_alpha=True))


# ---------------------------------------------------------------------------------- measuring
ELLIPSIS = "…"
_SPACE = re.compile(r"[ \t\r\f\v]+")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


class Measure:
    """Text widths from the fonts' advance tables (fonts.py), so wrapping never spills out of a note."""

    def __init__(self, language: str | None = None):
        self.hyphens = hyphenator(language)
        self.broken_words = 0  # words split by ``wrap`` so far: a size that splits none reads better

    def width(self, s: str, size: float, weight: str = "normal", style: FontStyle = "normal") -> float:
        """Width of one line in inches."""
        return fonts.width(s, size, weight, style)

    def fit_line(self, s: str, width: float, size: float, weight: str = "normal", style: FontStyle = "normal",
                 force_ellipsis: bool = False) -> str:
        """``s`` on one line, cut with an ellipsis if it is too wide (or if asked to)."""
        s = s.replace("\n", " ")
        if not force_ellipsis and self.width(s, size, weight, style) <= width:
            return s
        lo, hi = 0, min(len(s), 400)
        while lo < hi:  # longest prefix that fits together with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.width(s[:mid].rstrip() + ELLIPSIS, size, weight, style) <= width:
                lo = mid
            else:
                hi = mid - 1
        return s[:lo].rstrip() + ELLIPSIS if lo else ELLIPSIS

    def wrap(self, s: str, width: float, size: float, max_lines: int, weight: str = "normal",
             style: FontStyle = "normal") -> tuple[list[str], bool]:
        """Greedy word wrap by measured width; returns (lines, cut). Over-long words break at a
        syllable with a hyphen (pyphen, in the figure's language), by character only where no
        syllable fits; text beyond ``max_lines`` ends in an ellipsis."""
        budget = max_lines * 90  # more characters than any note can show: 100,000 stay cheap
        cut = len(s) > budget
        s = s[:budget]
        lines: list[str] = []
        for paragraph in s.split("\n"):
            words = [w for w in _SPACE.split(paragraph.strip()) if w]
            current = ""
            for word in words:
                trial = f"{current} {word}" if current else word
                if self.width(trial, size, weight, style) <= width * 0.98:  # room for kerning
                    current = trial
                    continue
                if current:
                    lines.append(current)
                    current = ""
                if self.width(word, size, weight, style) > width:
                    self.broken_words += 1
                while self.width(word, size, weight, style) > width:  # break a long word
                    head, word = self._split(word, width, size, weight, style)
                    lines.append(head)
                    if len(lines) > max_lines:
                        break
                current = word
                if len(lines) > max_lines:
                    break
            if current:
                lines.append(current)
            if len(lines) > max_lines:
                break
        if len(lines) > max_lines:
            lines, cut = lines[:max_lines], True
        if cut and lines:
            lines[-1] = self.fit_line(lines[-1], width, size, weight, style, force_ellipsis=True)
        return lines, cut

    def _split(self, word: str, width: float, size: float, weight: str, style: FontStyle) -> tuple[str, str]:
        """The longest head of ``word`` that fits: at a syllable (with a hyphen) if one does."""
        if self.hyphens is not None:
            for head, tail in self.hyphens.iterate(word):  # longest head first
                if tail.startswith("-"):
                    continue
                shown = head if head.endswith("-") else f"{head}-"
                if self.width(shown, size, weight, style) <= width:
                    return shown, tail
        n = self._prefix_that_fits(word, width, size, weight, style)
        return word[:n], word[n:]

    def _prefix_that_fits(self, word: str, width: float, size: float, weight: str, style: FontStyle) -> int:
        lo, hi = 1, len(word)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(word[:mid], size, weight, style) <= width:
                lo = mid
            else:
                hi = mid - 1
        return max(lo, 1)


def line_height(size: float) -> float:
    """Height of one text line in inches at linespacing 1.2."""
    return size * 1.2 / 72


def fit_size(measure: Measure, s: str, width: float, size: float, smallest: float,
             weight: str = "normal") -> tuple[str, float]:
    """Shrink a one-line label down to ``smallest`` before cutting it with an ellipsis."""
    while size > smallest and measure.width(s, size, weight) > width:
        size = max(smallest, size - 0.5)
    return measure.fit_line(s, width, size, weight), size


def canvas_sheet(canvas: Canvas, sheet: Sheet) -> Measure:
    """An A4 landscape page headed with the canvas and the workshop title: where every canvas drawing starts."""
    measure = Measure(canvas.language)  # long words break at the language's syllables
    header(sheet, measure, canvas.title, canvas.workshop.info["title"], sheet.width, sheet.height - 0.3)
    return measure


def header(sheet: Sheet, measure: Measure, title: str, subtitle: str, width: float, top: float) -> None:
    """Canvas title and the workshop line under it."""
    sheet.text(0.4, top, measure.fit_line(title, width - 0.8, TITLE_FONT, "bold"), TITLE_FONT, weight="bold",
               role="title")
    if subtitle:
        sheet.text(0.4, top - 0.34, measure.fit_line(subtitle, width - 0.8, SUBTITLE_FONT), SUBTITLE_FONT,
                   color=MUTED, role="subtitle")
