"""The Value Proposition Canvas widget: value map square left, customer profile circle right."""
from __future__ import annotations

from .base import CanvasWidget, bundle, styles


class ValuePropositionWidget(CanvasWidget):
    """Sticky notes with rank, colour, votes, evidence badges and fit links with coverage."""

    _esm = bundle("vpc.js")
    _css = styles("vpc.css")
