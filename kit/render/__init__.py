"""Static figures of every canvas and the charts the notebooks and the report need.

``canvas_figure(canvas)`` draws any declared canvas (value proposition, touchpoint map, any
grid board) on an A4-landscape matplotlib Figure; ``emotion_curve``, ``gap_heatmap``,
``observations_chart`` and ``evidence_chart`` draw from a workshop. Figures use the Agg
canvas directly (no pyplot state), never parse user text as mathtext, and stay readable
with hundreds of notes. Notes that did not fit are in ``fig.kit_overflow`` ({area: records}).
"""
from __future__ import annotations

from .charts import emotion_curve, evidence_chart, gap_heatmap, kpi_trend, observations_chart
from .figure import canvas_figure
from .output import canvas_html, to_png, to_svg

__all__ = [
           "canvas_figure",
           "canvas_html",
           "emotion_curve",
           "evidence_chart",
           "gap_heatmap",
           "kpi_trend",
           "observations_chart",
           "to_png",
           "to_svg",
]
