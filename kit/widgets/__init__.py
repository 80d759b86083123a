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

#: The one place saying which widget draws a canvas layout: its module (kit/widgets/<module>.py, .js, .css)
#: and class. JupyterLab's widgets (show), the room's pages (the module they load) and the room's asset
#: routes all read it.
LAYOUTS: dict[str, tuple[str, str]] = {
    "value_proposition": ("vpc", "ValuePropositionWidget"),
    "touchpoint_map": ("touchpoints", "TouchpointMapWidget"),
    "grid": ("board", "BoardWidget"),
}
#: The widget modules that draw canvases (the room serves these and no other).
CANVAS_MODULES = tuple(module for module, _ in LAYOUTS.values())
_CLASSES = {cls: (module, cls) for module, cls in LAYOUTS.values()} | {"CanvasWidget": ("base", "CanvasWidget")}


def module_for(layout: str | None) -> str | None:
    """The widget module (kit/widgets/<module>.js) that draws a canvas ``layout``; None for none."""
    return LAYOUTS[layout][0] if layout in LAYOUTS else None


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        import importlib

        module, attr = _CLASSES[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def widget_class(canvas_id: str) -> type[CanvasWidget]:
    """The widget class that draws ``canvas_id``, from its declared layout."""
    from ..canvases import declaration

    cls: type[CanvasWidget] = __getattr__(LAYOUTS[declaration(canvas_id)["layout"]][1])
    return cls


def show(ws: Workshop, canvas_id: str, *, participant: str | None = None,
         team: str | None = None) -> CanvasWidget:
    """The live widget for ``canvas_id`` on ``ws``; display it by making it a cell's last line."""
    return widget_class(canvas_id)(ws, canvas_id, participant=participant, team=team)


def poll() -> int:
    """Refresh every open view whose workshop changed (the kernel's live refresh does this itself)."""
    from .. import live

    return live.poll()
