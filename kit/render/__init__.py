"""Static figures of every canvas and the charts the notebooks and the report need.

``canvas_figure(canvas)`` draws any declared canvas (value proposition, touchpoint map, any
grid board) on an A4-landscape matplotlib Figure; ``emotion_curve``, ``gap_heatmap``,
``observations_chart`` and ``evidence_chart`` draw from a workshop. Figures use the Agg
canvas directly (no pyplot state), never parse user text as mathtext, and stay readable
with hundreds of notes. Notes that did not fit are in ``fig.kit_overflow`` ({area: records}).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .charts import emotion_curve, evidence_chart, gap_heatmap, observations_chart
from .output import canvas_html, to_png, to_svg

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..canvas import Canvas

__all__ = ["canvas_figure", "emotion_curve", "gap_heatmap", "observations_chart", "evidence_chart",
           "to_png", "to_svg", "canvas_html"]


def canvas_figure(canvas: Canvas, *, max_notes_per_area: int | None = None) -> Figure:
    """The canvas as a Figure, drawn by its declared layout."""
    from . import board, touchpoints, value_proposition

    drawers = {"value_proposition": value_proposition.figure, "touchpoint_map": touchpoints.figure,
               "grid": board.figure}
    if canvas.layout not in drawers:
        raise ValueError(f"no static renderer for layout {canvas.layout!r} "
                         f"(have: {', '.join(drawers)})")
    return drawers[canvas.layout](canvas, max_notes_per_area=max_notes_per_area)
