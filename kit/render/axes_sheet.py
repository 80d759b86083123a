"""``AxesSheet``: the canvas drawers' Sheet (sheet.py) on a matplotlib Axes in inches, for PNGs.

The notebooks, the widgets' static fallback and the deck show canvases as PNG; the same drawing
goes onto a Figure here, every Text through ``style.text`` (mathtext off, roles as gids).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle

from . import style as look
from .sheet import Dash

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


class AxesSheet:
    def __init__(self, fig: Figure, ax: Axes):
        self.fig, self.ax = fig, ax
        self.width, self.height = (float(v) for v in fig.get_size_inches())

    @staticmethod
    def _dash(dash: Dash | None) -> tuple[int, tuple[float, ...]] | str:
        return (0, dash) if dash else "solid"

    def text(self, x: float, y: float, s: str, size: float, *, color: str = look.INK, weight: str = "normal",
             style: str = "normal", ha: str = "left", va: str = "top", role: str = "", z: float = 3) -> None:
        look.text(self.ax, x, y, s, size, color=color, weight=weight, style=style,  # type: ignore[arg-type]
                  ha=ha, va=va, role=role, zorder=z, multialignment=ha)

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = "none", edge: str = "none",
             lw: float = 0.0, radius: float = 0.0, dash: Dash | None = None, z: float = 1) -> None:
        if radius:
            patch: Rectangle | FancyBboxPatch = FancyBboxPatch(
                (x, y), w, h, boxstyle=f"round,pad=0,rounding_size={radius}", facecolor=fill, edgecolor=edge,
                linewidth=lw, linestyle=self._dash(dash), zorder=z)
        else:
            patch = Rectangle((x, y), w, h, facecolor=fill, edgecolor=edge, linewidth=lw,
                              linestyle=self._dash(dash), zorder=z)
        self.ax.add_patch(patch)

    def circle(self, cx: float, cy: float, r: float, *, fill: str = "none", edge: str = "none", lw: float = 0.0,
               z: float = 1) -> None:
        self.ax.add_patch(Circle((cx, cy), r, facecolor=fill, edgecolor=edge, linewidth=lw, zorder=z))

    def line(self, xs: list[float], ys: list[float], *, color: str = look.INK, lw: float = 1.0,
             dash: Dash | None = None, z: float = 2, role: str = "") -> None:
        self.ax.plot(xs, ys, color=color, linewidth=lw, linestyle=self._dash(dash), zorder=z,
                     solid_capstyle="round", gid=role or None)

    def band(self, xs: list[float], lo: list[float], hi: list[float], *, color: str = look.INK,
             alpha: float = 0.2, z: float = 2) -> None:
        outline = [*zip(xs, hi, strict=True), *reversed(list(zip(xs, lo, strict=True)))]
        self.ax.add_patch(Polygon(outline, closed=True, facecolor=color, alpha=alpha, linewidth=0, zorder=z))

    def dot(self, x: float, y: float, *, size: float, fill: str = look.INK, edge: str = "none", lw: float = 0.0,
            z: float = 2, role: str = "") -> None:
        self.ax.plot([x], [y], linestyle="none", marker="o", markersize=size, markerfacecolor=fill,
                     markeredgecolor=fill if edge == "none" else edge, markeredgewidth=lw, zorder=z,
                     gid=role or None)

    def arrow(self, x0: float, y0: float, x1: float, y1: float, *, color: str = look.INK, lw: float = 1.0) -> None:
        self.ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", color=color, linewidth=lw,
                                          mutation_scale=10, shrinkA=0, shrinkB=0))

    def polygon(self, corners: list[tuple[float, float]], *, fill: str = look.INK, z: float = 2) -> None:
        self.ax.add_patch(Polygon(corners, closed=True, facecolor=fill, linewidth=0, zorder=z))
