"""What a canvas is drawn on: a ``Sheet`` in inches, y upwards, with a few shapes and text.

The canvas drawers (value_proposition.py, touchpoints.py, board.py, notes.py) place every shape and
every line of text themselves, measured with the fonts' own advance tables (fonts.py), so they need no
plotting library. ``SvgSheet`` writes that drawing as SVG for the report, where Chromium draws the text
with the same fonts while it prints (searchable, selectable, light to load); ``AxesSheet``
(axes_sheet.py) puts it on a matplotlib Figure for the notebooks' and the deck's PNGs.

Text is placed line by line; each SVG line is held to its measured length (``textLength``: the letter
spacing gives), so a line stays inside its note even where a viewer lacks the fonts. User text is escaped, never markup.
"""
from __future__ import annotations

import html
import re
from typing import Protocol

from . import fonts

#: Characters XML cannot hold (and an HTML page turns into U+FFFD anyway): shown as U+FFFD.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Dash patterns in multiples of the line width (as matplotlib scales them).
Dash = tuple[float, ...]


class Sheet(Protocol):
    """A drawing surface in inches (y upwards); ``z`` orders what overlaps (higher on top)."""

    width: float
    height: float

    def text(self, x: float, y: float, s: str, size: float, *, color: str = ..., weight: str = ...,
             style: str = ..., ha: str = ..., va: str = ..., role: str = ..., z: float = ...) -> None: ...

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = ..., edge: str = ..., lw: float = ...,
             radius: float = ..., dash: Dash | None = ..., z: float = ...) -> None: ...

    def circle(self, cx: float, cy: float, r: float, *, fill: str = ..., edge: str = ..., lw: float = ...,
               z: float = ...) -> None: ...

    def line(self, xs: list[float], ys: list[float], *, color: str = ..., lw: float = ..., dash: Dash | None = ...,
             z: float = ..., role: str = ...) -> None: ...

    def band(self, xs: list[float], lo: list[float], hi: list[float], *, color: str = ..., alpha: float = ...,
             z: float = ...) -> None: ...

    def dot(self, x: float, y: float, *, size: float, fill: str = ..., edge: str = ..., lw: float = ...,
            z: float = ..., role: str = ...) -> None: ...

    def arrow(self, x0: float, y0: float, x1: float, y1: float, *, color: str = ..., lw: float = ...) -> None: ...

    def polygon(self, corners: list[tuple[float, float]], *, fill: str = ..., z: float = ...) -> None: ...


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attr(value: str) -> str:
    return html.escape(_UNSHOWABLE.sub("\ufffd", value), quote=True)


def block_height(n: int, size: float) -> float:
    """Inches from the top of ``n`` lines at ``size`` points to the bottom of the last one."""
    return n * fonts.LINE_STEP * size / 72


def baselines(y: float, n: int, size: float, va: str) -> list[float]:
    """Each line's baseline (inches) for ``n`` lines anchored at ``y`` as matplotlib's ``va`` says."""
    height, ascent = block_height(n, size), fonts.ASCENT * size / 72
    top = {"top": y, "bottom": y + height, "center": y + height / 2, "baseline": y + ascent}.get(va, y)
    return [top - ascent - i * fonts.LINE_STEP * size / 72 for i in range(n)]


class SvgSheet:
    """A drawing written as one SVG element (points, 72 to the inch)."""

    def __init__(self, width: float, height: float, background: str = "#ffffff"):
        self.width, self.height = width, height
        self._items: list[tuple[float, int, str]] = []
        self.rect(0, 0, width, height, fill=background, z=-1)

    def _add(self, z: float, markup: str) -> None:
        self._items.append((z, len(self._items), markup))

    def _x(self, x: float) -> str:
        return _n(x * 72)

    def _y(self, y: float) -> str:
        return _n((self.height - y) * 72)

    @staticmethod
    def _stroke(edge: str, lw: float, dash: Dash | None) -> str:
        if edge == "none" or lw <= 0:
            return ' stroke="none"'
        out = f' stroke="{_attr(edge)}" stroke-width="{_n(lw)}"'
        if dash:
            out += f' stroke-dasharray="{" ".join(_n(d * lw) for d in dash)}"'
        return out

    def text(self, x: float, y: float, s: str, size: float, *, color: str = "#1f2933", weight: str = "normal",
             style: str = "normal", ha: str = "left", va: str = "top", role: str = "", z: float = 3) -> None:
        rows = s.split("\n")
        anchor = {"left": "start", "center": "middle", "right": "end"}.get(ha, "start")
        font = f' font-size="{_n(size)}"' + (' font-weight="bold"' if weight == "bold" else "") + \
            (' font-style="italic"' if style != "normal" else "")
        role_attr = f' data-role="{_attr(role)}"' if role else ""
        for row, base in zip(rows, baselines(y, len(rows), size, va), strict=True):
            if not row:
                continue
            length = fonts.width(row, size, weight, style) * 72
            fit = f' textLength="{_n(length)}"' if length > 0 else ""
            self._add(z, f'<text x="{self._x(x)}" y="{self._y(base)}"{font} fill="{_attr(color)}" '
                         f'text-anchor="{anchor}"{fit}{role_attr}>{_attr(row)}</text>')

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = "none", edge: str = "none",
             lw: float = 0.0, radius: float = 0.0, dash: Dash | None = None, z: float = 1) -> None:
        rounded = f' rx="{_n(radius * 72)}"' if radius else ""
        self._add(z, f'<rect x="{self._x(x)}" y="{self._y(y + h)}" width="{_n(w * 72)}" height="{_n(h * 72)}"'
                     f'{rounded} fill="{_attr(fill)}"{self._stroke(edge, lw, dash)}/>')

    def circle(self, cx: float, cy: float, r: float, *, fill: str = "none", edge: str = "none", lw: float = 0.0,
               z: float = 1) -> None:
        self._add(z, f'<circle cx="{self._x(cx)}" cy="{self._y(cy)}" r="{_n(r * 72)}" fill="{_attr(fill)}"'
                     f'{self._stroke(edge, lw, None)}/>')

    def line(self, xs: list[float], ys: list[float], *, color: str = "#1f2933", lw: float = 1.0,
             dash: Dash | None = None, z: float = 2, role: str = "") -> None:
        points = " ".join(f"{self._x(x)},{self._y(y)}" for x, y in zip(xs, ys, strict=True))
        role_attr = f' data-role="{_attr(role)}"' if role else ""
        self._add(z, f'<polyline points="{points}" fill="none" stroke-linecap="round" stroke-linejoin="round"'
                     f'{self._stroke(color, lw, dash)}{role_attr}/>')

    def band(self, xs: list[float], lo: list[float], hi: list[float], *, color: str = "#1f2933", alpha: float = 0.2,
             z: float = 2) -> None:
        outline = [*zip(xs, hi, strict=True), *reversed(list(zip(xs, lo, strict=True)))]
        points = " ".join(f"{self._x(x)},{self._y(y)}" for x, y in outline)
        self._add(z, f'<polygon points="{points}" fill="{_attr(color)}" fill-opacity="{_n(alpha)}" stroke="none"/>')

    def dot(self, x: float, y: float, *, size: float, fill: str = "#1f2933", edge: str = "none", lw: float = 0.0,
            z: float = 2, role: str = "") -> None:
        """A round marker ``size`` points across (matplotlib's ``markersize``)."""
        role_attr = f' data-role="{_attr(role)}"' if role else ""
        self._add(z, f'<circle cx="{self._x(x)}" cy="{self._y(y)}" r="{_n(size / 2)}" fill="{_attr(fill)}"'
                     f'{self._stroke(edge, lw, None)}{role_attr}/>')

    def arrow(self, x0: float, y0: float, x1: float, y1: float, *, color: str = "#1f2933", lw: float = 1.0) -> None:
        """A line from (x0, y0) with a filled head at (x1, y1)."""
        import math

        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        head, half = 0.1, 0.04  # inches
        bx, by = x1 - ux * head, y1 - uy * head
        self.line([x0, bx], [y0, by], color=color, lw=lw, z=2)
        self.polygon([(x1, y1), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)], fill=color)

    def polygon(self, corners: list[tuple[float, float]], *, fill: str = "#1f2933", z: float = 2) -> None:
        points = " ".join(f"{self._x(x)},{self._y(y)}" for x, y in corners)
        self._add(z, f'<polygon points="{points}" fill="{_attr(fill)}" stroke="none"/>')

    def svg(self) -> str:
        body = "".join(markup for _, _, markup in sorted(self._items))
        w, h = _n(self.width * 72), _n(self.height * 72)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}" '
                f'font-family="\'DejaVu Sans\', Symbola, sans-serif" style="white-space: pre">{body}</svg>')
