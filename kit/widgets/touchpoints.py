"""The touchpoint map widget: stages as columns (starting before first contact), lanes below.

Touchpoints carry channel, front- and back-stage owner, Ist rating and Soll target, a
moment-of-truth marker and an emotion per persona; ideas (the ``ideas`` collection,
linked by touchpoint) collect dot votes. What it does is kit.sessions.TouchpointSession.
"""
from __future__ import annotations

from typing import Any

import traitlets

from .base import CanvasWidget, bundle, styles


class TouchpointMapWidget(CanvasWidget):
    """Traits beyond the base: ``lanes``, ``ideas``, ``personas``, ``curves`` (the team's estimated emotion
    per stage), ``evidence`` (the evidence curve, kit.journey.curve_state) and its ``curve_labels``."""

    _esm = bundle("touchpoints.js")
    _css = styles("touchpoints.css")

    lanes: traitlets.List[Any] = traitlets.List().tag(sync=True)
    ideas: traitlets.List[Any] = traitlets.List()  # not synced: patches, as ``items``
    personas: traitlets.List[Any] = traitlets.List().tag(sync=True)
    curves: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    evidence: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    curve_labels: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)

    def __init__(self, ws: Any, canvas_id: str = "touchpoint_map", **kwargs: Any) -> None:
        super().__init__(ws, canvas_id, **kwargs)
