"""The agenda as a widget: every step with its timebox, and where the workshop stands.

Traits are the contract: Python writes ``steps`` (id, number, title, minutes, starts_after,
state = done/current/next), ``current``, ``total_minutes``, ``can_control`` and ``texts``;
the browser sets ``request`` to ``{"op": "go", "step": "03_interviews"}`` or
``{"op": "timebox", "step": ...}``. The current step is the shared live state of
kit.facilitation, so the facilitator's click moves every open agenda.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from .. import agenda, i18n
from . import sync

if TYPE_CHECKING:
    from ..workshop import Workshop

HERE = Path(__file__).resolve().parent


class AgendaWidget(anywidget.AnyWidget):
    """``AgendaWidget(ws)``: the eight steps, the current one highlighted."""

    _esm = HERE / "agenda.js"
    _css = HERE / "agenda.css"

    steps = traitlets.List().tag(sync=True)
    current = traitlets.Unicode("").tag(sync=True)
    total_minutes = traitlets.Int(0).tag(sync=True)
    can_control = traitlets.Bool(True).tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    request = traitlets.Dict().tag(sync=True)
    ack = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)

    def __init__(self, ws: "Workshop", **kwargs: Any):
        super().__init__(**kwargs)
        self.ws = ws
        self.texts = i18n.texts("facilitation", ws.language)
        self.can_control = ws.role == "facilitator"
        self.total_minutes = agenda.total_minutes()
        self.refresh()
        self.observe(self._on_request, names="request")
        sync.register(self)

    def refresh(self) -> None:
        version = self.ws.version()
        with self.hold_sync():
            self.steps = agenda.overview(self.ws)
            self.current = agenda.current(self.ws) or ""
            self.version = version

    def _on_request(self, change: dict[str, Any]) -> None:
        request = change["new"] or {}
        op, step_id = request.get("op"), str(request.get("step", ""))
        self.error = ""
        if not self.can_control:
            self.error = self.texts["agenda_only_facilitator"]
        elif step_id in agenda.STEP_IDS and op == "go":
            agenda.go_to(self.ws, step_id)
        elif step_id in agenda.STEP_IDS and op == "timebox":
            agenda.start_timebox(self.ws, step_id)
        self.refresh()
        self.ack = str(request.get("nonce", ""))
