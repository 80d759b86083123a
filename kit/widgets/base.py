"""The one Python side of the widget handshake: a session's state into traits, requests back.

Contract with the browser (traitlets only): state traits are written by Python only, from
the widget's plain-Python session (kit.sessions); the browser sets ``request`` to
``{"op": ..., "nonce": ..., ...}`` to ask for one change; Python applies it through the
session (kit API and kit.access), pushes what changed, and answers in ``ack`` (the nonce)
and ``error`` (a message in the workshop language, empty when all went well). Item lists
(``items``, ``ideas``) are not synced as traits: they reach the page as patches, anywidget custom
messages (kit.sessions.delta; ``{"t": "resync"}`` from the page gets them whole). The JS side
of the same handshake is ``send`` in common.js, shared by every widget. Every open widget
follows changes made elsewhere through kit.live; ``connection`` says when the workshop's
server is out of reach (the page shows it as a banner and dims the stale view).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from .. import live
from ..sessions import CanvasSession, Session, for_canvas

if TYPE_CHECKING:
    from ..canvas import Canvas
    from ..store.abc import LiveStore
    from ..workshop import Workshop

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)


def bundle(*names: str | Path) -> str:
    """One ES module from several files next to this one, or at the paths given (shared helpers first).

    anywidget loads a widget's module from a string, so relative imports cannot work;
    the shared code is prepended instead. Nothing is fetched at run time. Each widget exports
    ``withConnection({render})`` (common.js), so every widget shows the one-line "reconnecting"
    banner the same way, whatever its own file draws. The room's page script is bundled the same way.
    """
    return "\n".join((HERE / name).read_text(encoding="utf-8") for name in ("common.js", *names))


def styles(*names: str) -> str:
    return "\n".join((HERE / name).read_text(encoding="utf-8") for name in ("common.css", *names))


class SessionWidget(anywidget.AnyWidget):
    """Moves one session's state into traits and the browser's requests into the session."""

    request: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    ack = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)
    connection = traitlets.Unicode("").tag(sync=True)  # "": connected; else the one line "reconnecting"

    def __init__(self, session: Session, **kwargs: Any) -> None:
        self.session = session
        names = self.class_trait_names()
        super().__init__(**{k: v for k, v in session.diff().items() if k in names}, **kwargs)
        if session.writable:
            self.observe(self._received, names=list(session.writable))
        self.on_msg(self._on_custom)
        live.register(self)

    @property
    def ws(self) -> Workshop:
        return self.session.ws

    @property
    def store(self) -> LiveStore:
        return self.session.store

    def refresh(self) -> None:
        """Push what changed in the session's state (unchanged traits send nothing; item lists as a patch)."""
        values = self.session.changes()
        patch = values.pop("patch", None)
        self._set(values)
        if patch is not None:
            self._set(self.session.lists())  # Python's traits hold them whole; the page gets the patch
            self.send({"t": "patch", **patch})

    def _on_custom(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """The page missed a patch (or holds none yet): its lists whole."""
        if isinstance(content, dict) and content.get("t") == "resync":
            self.session.resync()
            self.refresh()

    def _set(self, values: dict[str, Any]) -> None:
        with self.hold_sync():
            for name, value in values.items():
                if self.has_trait(name):
                    setattr(self, name, value)

    def _received(self, change: dict[str, Any]) -> None:
        """The browser set a trait the session lets the viewer choose (never a note list)."""
        self.session.receive(change["name"], change["new"])
        self.refresh()

    @traitlets.observe("request")
    def _on_request(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.handle(change["new"])
            live.poll()  # other open views in this process follow at once

    def handle(self, request: dict[str, Any]) -> str:
        """Apply one request; returns (and shows) the error message, "" on success. Never raises."""
        result = self.session.apply(request)
        self.refresh()
        self._set(result)
        return str(result["error"])

    def close(self) -> None:
        live.unregister(self)
        super().close()
        self.session.close()


class CanvasWidget(SessionWidget):
    """A live view of one canvas. Use :func:`kit.widgets.show` rather than this class."""

    canvas_id = traitlets.Unicode("").tag(sync=True)
    layout = traitlets.Unicode("").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    intro = traitlets.Unicode("").tag(sync=True)
    labels: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    areas: traitlets.List[Any] = traitlets.List().tag(sync=True)
    items: traitlets.List[Any] = traitlets.List()  # not synced: the page gets patches (custom messages)
    coverage: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    controls: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    me: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    features: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    colors: traitlets.List[Any] = traitlets.List().tag(sync=True)
    color_labels: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    rank_scale: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    attribution = traitlets.Unicode("").tag(sync=True)  # whose framework the canvas is, "" for the kit's own

    session: CanvasSession

    def __init__(self, ws: Workshop, canvas_id: str, *, participant: str | None = None,
                 team: str | None = None, **kwargs: Any) -> None:
        super().__init__(for_canvas(ws, canvas_id, participant=participant, team=team), **kwargs)

    @property
    def canvas(self) -> Canvas:
        return self.session.canvas

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The live view, plus the static figure as text/html for viewers without widget state.

        Not for a participant's view: the figure shows every note, also other people's hidden ones.
        """
        bundle_ = super()._repr_mimebundle_(**kwargs)
        data = bundle_[0] if isinstance(bundle_, tuple) else bundle_
        if data is None or self.session.participant:
            return bundle_
        try:
            from ..render import canvas_html
        except ImportError:  # the static renderer is optional for the live view
            return bundle_
        try:
            data["text/html"] = canvas_html(self.canvas)
        except Exception:  # a broken figure must never hide the live canvas
            log.exception("static rendering of %s failed", self.canvas.id)
        return bundle_
