"""A countdown for timeboxes, shared by every open view through kit.facilitation.

Traits are the whole contract. Python writes ``ends_at`` (epoch seconds, 0 when idle),
``seconds``, ``label``, ``running``, ``server_now`` (so a browser with a skewed clock still
counts down to the same moment) and ``texts``; the browser asks for changes by setting
``request`` to ``{"op": "start", "minutes": 5, "nonce": ...}`` or ``{"op": "stop", ...}``.
At zero the browser flashes the timer and beeps through WebAudio (no sound file, nothing
fetched). Another kernel starting the timer reaches this view through the live poller.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from .. import facilitation, i18n
from . import sync

if TYPE_CHECKING:
    from ..workshop import Workshop

HERE = Path(__file__).resolve().parent


class TimerWidget(anywidget.AnyWidget):
    """``TimerWidget(ws, minutes=10, label="Observe")``: a visible, audible countdown."""

    _esm = HERE / "timer.js"
    _css = HERE / "timer.css"

    ends_at = traitlets.Float(0.0).tag(sync=True)
    seconds = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    running = traitlets.Bool(False).tag(sync=True)
    server_now = traitlets.Float(0.0).tag(sync=True)
    default_minutes = traitlets.Float(5.0).tag(sync=True)
    default_label = traitlets.Unicode("").tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    request = traitlets.Dict().tag(sync=True)
    ack = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)

    def __init__(self, ws: "Workshop", minutes: float = 5, label: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.ws = ws
        self.default_minutes = float(minutes)
        self.default_label = label
        self.texts = i18n.texts("facilitation", ws.language)
        self.refresh()
        self.observe(self._on_request, names="request")
        sync.register(self)

    def refresh(self) -> None:
        """Copy the shared timer state into the traits."""
        version = self.ws.version()
        state = facilitation.timer(self.ws)
        with self.hold_sync():
            self.ends_at = float(state.get("ends_at") or 0.0)
            self.seconds = int(state.get("seconds") or 0)
            self.label = state.get("label") or ""
            self.running = bool(state.get("running"))
            self.server_now = time.time()
            self.version = version

    def start(self, minutes: float | None = None, label: str | None = None) -> None:
        facilitation.start_timer(self.ws, self.default_minutes if minutes is None else minutes,
                                 self.default_label if label is None else label)
        self.refresh()

    def stop(self) -> None:
        facilitation.stop_timer(self.ws)
        self.refresh()

    def _on_request(self, change: dict[str, Any]) -> None:
        request = change["new"] or {}
        op, nonce = request.get("op"), str(request.get("nonce", ""))
        self.error = ""
        try:
            if op == "start":
                minutes = float(request.get("minutes", self.default_minutes))
                if not 0 < minutes <= 24 * 60:
                    raise ValueError(self.texts["timer_bad_minutes"])
                self.start(minutes, str(request.get("label", self.default_label)))
            elif op == "stop":
                self.stop()
        except (TypeError, ValueError):
            self.error = self.texts["timer_bad_minutes"]
        self.ack = nonce
