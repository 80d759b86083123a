"""Plain-Python sessions: one per viewer, the state of their page and the requests they may make.

``for_canvas(ws, "value_proposition", participant="Anna", team="Blau")`` returns the session
of a canvas, chosen by its declared layout; :class:`TimerSession`, :class:`AgendaSession` and
:class:`InterviewSession` serve the room controls and the interview debrief. A session needs
no kernel and no widget library: kit.widgets moves its dicts into traits, and a room server
can send them over a WebSocket (``diff()`` gives only what changed, ``changes()`` the same with the
item lists as patches, kit.sessions.delta; ``apply(request)`` the answer).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..canvases import declaration
from .base import Session
from .canvas import CanvasSession, TouchpointSession
from .controls import AgendaSession, TimerSession
from .interview import InterviewSession

if TYPE_CHECKING:
    from ..workshop import Workshop

__all__ = [
    "AgendaSession",
    "CanvasSession",
    "InterviewSession",
    "Session",
    "TimerSession",
    "TouchpointSession",
    "for_canvas",
    "session_class",
]


def session_class(canvas_id: str) -> type[CanvasSession]:
    """The session class of ``canvas_id``, from its declared layout."""
    return TouchpointSession if declaration(canvas_id)["layout"] == "touchpoint_map" else CanvasSession


def for_canvas(ws: Workshop, canvas_id: str, *, participant: str | None = None,
               team: str | None = None) -> CanvasSession:
    """A viewer's session on ``canvas_id`` (``participant``: with that participant's rights)."""
    return session_class(canvas_id)(ws, canvas_id, participant=participant, team=team)
