"""Static figures of every canvas and the charts the notebooks and the report need.

``canvas_svg(canvas)`` draws any declared canvas (value proposition, touchpoint map, any
grid board) as A4-landscape SVG without matplotlib (the report), ``canvas_figure(canvas)`` the same
on a matplotlib Figure (PNGs); ``emotion_curve``, ``gap_heatmap``, ``observations_chart``,
``evidence_chart`` and ``kpi_trend`` draw from a workshop (a KPI) as Figures, ``chart_svg(name, ...)`` each
as SVG without matplotlib. Figures use the Agg canvas directly (no pyplot state), never parse user text as
mathtext, and stay readable with hundreds of notes. Notes that did not fit are in ``fig.kit_overflow``
({area: records}).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .charts import chart_svg, emotion_curve, evidence_chart, gap_heatmap, kpi_trend, observations_chart
    from .figure import canvas_figure, canvas_svg
    from .output import canvas_html, to_png, to_svg

#: Where each name lives: imported when first used (only what makes Figures and PNGs imports matplotlib, which
#: ``kit export`` does without).
_HOME = {"emotion_curve": "charts", "evidence_chart": "charts", "gap_heatmap": "charts", "kpi_trend": "charts",
         "observations_chart": "charts", "chart_svg": "charts", "canvas_figure": "figure", "canvas_svg": "figure",
         "canvas_html": "output", "to_png": "output", "to_svg": "output"}

__all__ = [
           "canvas_figure",
           "canvas_html",
           "canvas_svg",
           "chart_svg",
           "emotion_curve",
           "evidence_chart",
           "gap_heatmap",
           "kpi_trend",
           "observations_chart",
           "to_png",
           "to_svg",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
