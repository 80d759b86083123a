"""A countdown for timeboxes, shared by every open view through kit.facilitation.

What it does is kit.sessions.TimerSession (its docstring lists the traits and requests); at
zero the browser flashes the timer and beeps through WebAudio (no sound file, nothing
fetched). Another kernel starting the timer reaches this view through kit.live.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets

from ..sessions import TimerSession
from .base import SessionWidget, bundle, styles

if TYPE_CHECKING:
    from ..workshop import Workshop


class TimerWidget(SessionWidget):
    """``TimerWidget(ws, minutes=10, label="Observe")``: a visible, audible countdown."""

    _esm = bundle("timer.js")
    _css = styles("timer.css")

    ends_at = traitlets.Float(0.0).tag(sync=True)
    seconds = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    running = traitlets.Bool(False).tag(sync=True)
    server_now = traitlets.Float(0.0).tag(sync=True)
    default_minutes = traitlets.Float(5.0).tag(sync=True)
    default_label = traitlets.Unicode("").tag(sync=True)
    texts: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)

    session: TimerSession

    def __init__(self, ws: Workshop, minutes: float = 5, label: str = "", **kwargs: Any) -> None:
        super().__init__(TimerSession(ws, minutes, label), **kwargs)

    def start(self, minutes: float | None = None, label: str | None = None) -> None:
        self.session.start(minutes, label)
        self.refresh()

    def stop(self) -> None:
        self.session.stop()
        self.refresh()
