"""Any declared canvas drawn by the module for its layout: ``canvas_svg`` (the report) and
``canvas_figure`` (a matplotlib Figure, for PNGs).

Its own module so that ``output`` (PNG/SVG/HTML of a canvas) and the package can both use it
without importing each other. Both draw the same layout on a Sheet (sheet.py); only the SVG one
runs without matplotlib.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from . import board, touchpoints, value_proposition
from .sheet import SvgSheet
from .style import A4_LANDSCAPE, PAPER

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..canvas import Canvas

Drawer = Callable[..., dict[str, list[dict[str, Any]]]]
DRAWERS: dict[str, Drawer] = {"value_proposition": value_proposition.draw, "touchpoint_map": touchpoints.draw,
                              "grid": board.draw}


def _drawer(canvas: Canvas) -> Drawer:
    if canvas.layout not in DRAWERS:
        raise UsageError("render.no_renderer", layout=canvas.layout, have=", ".join(DRAWERS))
    return DRAWERS[canvas.layout]


def canvas_svg(canvas: Canvas, *, max_notes_per_area: int | None = None) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """The canvas as an SVG element (text as text, for Chromium to draw) and the notes that did not fit."""
    drawer = _drawer(canvas)
    sheet = SvgSheet(*A4_LANDSCAPE, background=PAPER)
    overflow = drawer(canvas, sheet, max_notes_per_area=max_notes_per_area)
    return sheet.svg(), overflow


def canvas_figure(canvas: Canvas, *, max_notes_per_area: int | None = None) -> Figure:
    """The canvas as a matplotlib Figure; the notes that did not fit are in ``fig.kit_overflow``."""
    from .axes_sheet import AxesSheet
    from .style import new_figure

    drawer = _drawer(canvas)
    fig, ax = new_figure()
    fig.kit_overflow = drawer(canvas, AxesSheet(fig, ax),  # type: ignore[attr-defined]
                              max_notes_per_area=max_notes_per_area)
    return fig
