"""Interview capture and fast evidence coding, one widget for the debrief.

What it does is kit.sessions.InterviewSession (traits and requests listed there); the
browser selects an interview by setting ``current`` and reads ``message`` after a request.
Bad input is refused with the message of the model (naming the field).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets

from ..sessions import InterviewSession
from .base import SessionWidget, bundle, styles

if TYPE_CHECKING:
    from ..workshop import Workshop


class InterviewWidget(SessionWidget):
    """``InterviewWidget(ws)``: capture each interview, then code snippets as evidence."""

    _esm = bundle("interview.js")
    _css = styles("interview.css")

    interviews: traitlets.List[Any] = traitlets.List().tag(sync=True)
    current = traitlets.Int(0).tag(sync=True)
    hypotheses: traitlets.List[Any] = traitlets.List().tag(sync=True)
    evidence: traitlets.List[Any] = traitlets.List().tag(sync=True)
    touchpoints: traitlets.List[Any] = traitlets.List().tag(sync=True)
    formats: traitlets.List[Any] = traitlets.List().tag(sync=True)
    segments: traitlets.List[Any] = traitlets.List().tag(sync=True)
    texts: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)

    session: InterviewSession

    def __init__(self, ws: Workshop, **kwargs: Any) -> None:
        super().__init__(InterviewSession(ws), **kwargs)

    def handle(self, request: dict[str, Any]) -> str:
        self.message = ""
        return super().handle(request)

    def save(self, interview_id: int = 0, **fields: Any) -> int:
        """Add (id 0) or update an interview; returns its id and selects it."""
        interview_id = self.session.save(interview_id, **fields)
        self.refresh()
        return interview_id

    def code(self, snippet: str, stance: str, hypothesis: int | None = None, interview: int | None = None,
             **tags: Any) -> int:
        """Store one snippet as evidence; a new insight needs no hypothesis; ``touchpoint`` and
        ``experience`` (-2..+2) may come along."""
        evidence_id = self.session.code(snippet, stance, hypothesis, interview, **tags)
        self.refresh()
        return evidence_id
