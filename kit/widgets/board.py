"""The generic board: any grid declaration in canvases/ (empathy map, observation, hypothesis
and idea boards) drawn from its areas' cells, with no code per canvas type."""
from __future__ import annotations

from .base import CanvasWidget, bundle, styles


class BoardWidget(CanvasWidget):
    """Areas placed by ``cell: [row, column, row span, column span]``; notes as on the VPC."""

    _esm = bundle("board.js")
    _css = styles("board.css")
