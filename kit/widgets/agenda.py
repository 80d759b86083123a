"""The agenda as a widget: every step with its timebox, and where the workshop stands.

What it does is kit.sessions.AgendaSession (traits and requests listed there). The current
step is the shared live state of kit.facilitation, so the facilitator's click moves every
open agenda.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets

from ..sessions import AgendaSession
from .base import SessionWidget, bundle, styles

if TYPE_CHECKING:
    from ..workshop import Workshop


class AgendaWidget(SessionWidget):
    """``AgendaWidget(ws)``: the eight steps, the current one highlighted."""

    _esm = bundle("agenda.js")
    _css = styles("agenda.css")

    steps: traitlets.List[Any] = traitlets.List().tag(sync=True)
    current = traitlets.Unicode("").tag(sync=True)
    total_minutes = traitlets.Int(0).tag(sync=True)
    can_control = traitlets.Bool(True).tag(sync=True)
    texts: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)

    def __init__(self, ws: Workshop, **kwargs: Any) -> None:
        super().__init__(AgendaSession(ws), **kwargs)
