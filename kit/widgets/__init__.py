"""Live canvas widgets for JupyterLab and Voilà.

``kit.widgets.show(ws, "value_proposition")`` returns the widget for a canvas, chosen by
the layout of its declaration in canvases/:

* ``value_proposition`` -> :class:`ValuePropositionWidget`
* ``touchpoint_map``    -> :class:`TouchpointMapWidget`
* ``grid`` (empathy map, observation, hypothesis and idea boards, any new grid file)
  -> :class:`BoardWidget`

Every widget writes each change to the workshop store at once and follows changes made
elsewhere (another kernel, a participant's page) within a fraction of a second (kit.live).
What a widget does lives in its plain-Python session (kit.sessions); who may do what in kit.access.
``participant="Anna"`` shows the participant's view: Anna writes as herself, sees her own
hidden notes but not other people's, edits, moves and deletes only her own notes (she may
vote on anyone's), and cannot edit while the facilitator has locked the canvas.
``team="Blau"`` tags new notes with the team; while the facilitator keeps teams apart
(kit.roster.separate_teams) Anna sees only team Blau's notes.

``import kit`` does not import this package; ipywidgets and anywidget load only here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..workshop import Workshop
    from .base import CanvasWidget
    from .board import BoardWidget
    from .touchpoints import TouchpointMapWidget
    from .vpc import ValuePropositionWidget

__all__ = ["BoardWidget", "CanvasWidget", "TouchpointMapWidget", "ValuePropositionWidget", "poll", "show"]

_CLASSES = {
    "ValuePropositionWidget": ("vpc", "ValuePropositionWidget"),
    "TouchpointMapWidget": ("touchpoints", "TouchpointMapWidget"),
    "BoardWidget": ("board", "BoardWidget"),
    "CanvasWidget": ("base", "CanvasWidget"),
}
_BY_LAYOUT = {"value_proposition": "ValuePropositionWidget", "touchpoint_map": "TouchpointMapWidget",
              "grid": "BoardWidget"}


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        import importlib

        module, attr = _CLASSES[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def widget_class(canvas_id: str) -> type[CanvasWidget]:
    """The widget class that draws ``canvas_id``, from its declared layout."""
    from ..canvases import declaration

    cls: type[CanvasWidget] = __getattr__(_BY_LAYOUT[declaration(canvas_id)["layout"]])
    return cls


def show(ws: Workshop, canvas_id: str, *, participant: str | None = None,
         team: str | None = None) -> CanvasWidget:
    """The live widget for ``canvas_id`` on ``ws``; display it by making it a cell's last line."""
    return widget_class(canvas_id)(ws, canvas_id, participant=participant, team=team)


def poll() -> int:
    """Refresh every open view whose workshop changed (the kernel's live refresh does this itself)."""
    from .. import live

    return live.poll()
