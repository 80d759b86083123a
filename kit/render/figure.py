"""``canvas_figure``: any declared canvas as a Figure, drawn by the module for its layout.

Its own module so that ``output`` (PNG/SVG/HTML of a canvas) and the package can both use it
without importing each other.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from . import board, touchpoints, value_proposition

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..canvas import Canvas

DRAWERS = {"value_proposition": value_proposition.figure, "touchpoint_map": touchpoints.figure, "grid": board.figure}


def canvas_figure(canvas: Canvas, *, max_notes_per_area: int | None = None) -> Figure:
    """The canvas as a Figure, drawn by its declared layout."""
    if canvas.layout not in DRAWERS:
        raise UsageError("render.no_renderer", layout=canvas.layout, have=", ".join(DRAWERS))
    return DRAWERS[canvas.layout](canvas, max_notes_per_area=max_notes_per_area)
