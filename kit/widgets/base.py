"""The shared base of the canvas widgets: state traits pushed from the store, requests back.

Contract with the browser (traitlets only):

* state, written by Python only: ``title``, ``intro``, ``labels``, ``areas``, ``items``,
  ``coverage``, ``controls``, ``me``, ``features``, ``colors``, ``rank_scale``, ``version``;
* ``request``: the browser sets ``{"op": ..., "nonce": ..., ...}`` to ask for one change
  (add, edit, move, delete, rank, color, vote, link, unlink, undo, redo, reveal). Python
  applies it through the kit API, refreshes the state and answers in ``ack`` (the nonce)
  and ``error`` (a message in the workshop language, empty when all went well).

The browser never sends the list of notes back: a stale list must not overwrite what
somebody else changed a moment ago. Each request names one note and the fields to change,
and the store merges field updates.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import anywidget
import traitlets

from .. import i18n
from ..facilitation import controls as canvas_controls
from ..model import ValidationError
from ..store import UndoConflict, WorkshopError
from . import sync, views

if TYPE_CHECKING:
    from ..canvas import Canvas
    from ..workshop import Workshop

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)

#: Fields a browser may change with an ``edit`` request, per record kind.
EDITABLE = {
    "canvas_item": {"text"},
    "observation": {"text", "who", "touchpoint"},
    "hypothesis": {"statement", "test_question", "confirm_if", "refute_if"},
    "idea": {"text", "feedback"},
    "touchpoint": {"name", "channel", "owner", "backstage_owner", "notes", "frequency"},
}


def bundle(*names: str) -> str:
    """One ES module from several files next to this one (shared helpers first).

    anywidget loads a widget's module from a string, so relative imports cannot work;
    the shared code is prepended instead. Nothing is fetched at run time.
    """
    return "\n".join((HERE / name).read_text(encoding="utf-8") for name in names)


class RequestError(Exception):
    """A request the widget refuses; the message is already in the workshop language."""


class CanvasWidget(anywidget.AnyWidget):
    """A live view of one canvas. Use :func:`kit.widgets.show` rather than this class."""

    canvas_id = traitlets.Unicode("").tag(sync=True)
    layout = traitlets.Unicode("").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    intro = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    areas = traitlets.List().tag(sync=True)
    items = traitlets.List().tag(sync=True)
    coverage = traitlets.Dict().tag(sync=True)
    controls = traitlets.Dict().tag(sync=True)
    me = traitlets.Dict().tag(sync=True)
    features = traitlets.Dict().tag(sync=True)
    colors = traitlets.List().tag(sync=True)
    rank_scale = traitlets.Dict().tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    ack = traitlets.Unicode("").tag(sync=True)
    request = traitlets.Dict().tag(sync=True)

    def __init__(self, ws: "Workshop", canvas_id: str, *, participant: str | None = None,
                 team: str | None = None, **kwargs: Any):
        self._own_ws = None
        if participant is not None:
            participant = participant.strip()
            if not participant:
                raise ValueError("participant must be a name, got an empty text")
            if ws.role != "participant" or ws.actor != participant:
                from ..workshop import open as open_workshop

                # A participant writes as themselves, with the participant's rights (lock).
                ws = self._own_ws = open_workshop(ws.path, actor=participant, role="participant")
        self.ws = ws
        self.canvas: Canvas = ws.canvas(canvas_id)
        self.viewer = views.Viewer(participant or ws.actor, team or "", ws.role == "participant")
        lang = ws.language
        decl = self.canvas.declaration
        super().__init__(
            canvas_id=canvas_id, layout=self.canvas.layout, title=self.canvas.title,
            intro=self.canvas.declaration.get("intro", {}).get(lang, ""),
            labels=i18n.texts("widgets", lang), areas=views.areas(self.canvas),
            me=self.viewer.as_dict(), features=views.features(self.canvas), colors=list(decl["colors"]),
            rank_scale=dict(decl["rank_scale"]), **kwargs)
        self.refresh()
        sync.register(self)

    # ------------------------------------------------------------------ state from the store
    def state(self) -> dict[str, Any]:
        """The traits that follow the store (overridden by the touchpoint map)."""
        return views.board_state(self.canvas, self.viewer)

    def refresh(self) -> None:
        """Read the store and push what changed to the browser (unchanged traits send nothing)."""
        version = self.ws.version()  # read first: a change made meanwhile is seen next poll
        state = self.state()
        with self.hold_sync():
            for name, value in state.items():
                setattr(self, name, value)
            self.version = version

    def close(self) -> None:
        sync.unregister(self)
        super().close()
        if self._own_ws is not None:
            self._own_ws.close()
            self._own_ws = None

    def _repr_mimebundle_(self, **kwargs: Any):  # noqa: ANN202 - ipywidgets' own signature
        """The live view, plus the static figure as text/html for viewers without widget state.

        Not for a participant's view: the figure shows every note, also other people's hidden ones.
        """
        bundle_ = super()._repr_mimebundle_(**kwargs)
        data = bundle_[0] if isinstance(bundle_, tuple) else bundle_
        if self.viewer.participant:
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

    # ------------------------------------------------------------------ requests from the browser
    @traitlets.observe("request")
    def _on_request(self, change: dict[str, Any]) -> None:
        request = change["new"] or {}
        if not request:
            return
        self.handle(request)
        sync.poll()  # other open widgets in this kernel follow at once

    def handle(self, request: dict[str, Any]) -> str:
        """Apply one request; returns (and shows) the error message, "" on success. Never raises."""
        try:
            op = request.get("op")
            handler: Callable[[dict[str, Any]], Any] | None = self.ops().get(op) if isinstance(op, str) else None
            if handler is None:
                raise RequestError(f"{self.labels.get('err_other', 'Error:')} unknown request {op!r}")
            handler(request)
            message = ""
        except Exception as exc:  # every failure becomes a message in the UI, never a traceback
            message = self.explain(exc)
        self.refresh()
        with self.hold_sync():
            self.error = message
            self.ack = str(request.get("nonce", ""))
        return message

    def explain(self, exc: Exception) -> str:
        """A one-line message in the workshop language for a refused request."""
        t = self.labels
        prefix = t["error_prefix"]
        if isinstance(exc, RequestError):
            return str(exc)
        if isinstance(exc, ValidationError):
            if exc.problem == "must not be empty" or exc.problem == "is required":
                return f"{prefix} {t['err_empty']}"
            return f"{prefix} {t['err_invalid'].format(field=exc.field)} {exc.problem}"
        if isinstance(exc, UndoConflict):
            return f"{prefix} {t['err_undo_conflict']}"
        if isinstance(exc, WorkshopError):
            text = str(exc)
            for needle, key in (("is locked", "err_locked"), ("voting on", "err_vote_closed"),
                                ("dots", "err_budget"), ("nothing to undo", "err_nothing_to_undo"),
                                ("nothing to redo", "err_nothing_to_redo"), ("does not exist", "err_gone"),
                                ("no canvas_item with id", "err_gone"), ("cannot link", "err_link"),
                                ("only change their own notes", "err_not_yours")):
                if needle in text:
                    return f"{prefix} {t[key]}"
            return f"{prefix} {text}"
        if isinstance(exc, (ValueError, KeyError, TypeError)):
            return f"{prefix} {exc}"
        log.exception("unexpected error in %s request", self.canvas.id)
        return f"{t['err_other']} {exc}"

    def ops(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        return {"add": self.op_add, "edit": self.op_edit, "move": self.op_move, "delete": self.op_delete,
                "rank": self.op_rank, "color": self.op_color, "vote": self.op_vote, "link": self.op_link,
                "unlink": self.op_unlink, "undo": self.op_undo, "redo": self.op_redo, "reveal": self.op_reveal}

    # ------------------------------------------------------------------ helpers for ops
    def _id(self, request: dict[str, Any], key: str = "id") -> int:
        """A record id the viewer may see; another participant's hidden note counts as gone."""
        value = request.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise RequestError(f"{self.labels['error_prefix']} {key} must be a note id, got {value!r}")
        record = self.canvas.collection.get(value)
        team = views.team_filter(self.canvas, self.viewer)
        if record is None or not views.can_see(record, self.viewer, views.author_field(self.canvas), team):
            raise RequestError(f"{self.labels['error_prefix']} {self.labels['err_gone']}")
        return value

    def _text(self, request: dict[str, Any], key: str = "text") -> str:
        value = request.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RequestError(f"{self.labels['error_prefix']} {self.labels['err_empty']}")
        return value

    def _position(self, area: str, index: Any, moving: int | None = None) -> float | None:
        """A position that puts a note at ``index`` in ``area`` without renumbering the others."""
        if not views.features(self.canvas)["position"]:
            return None
        others = [r for r in self.canvas.items(area) if r["id"] != moving]
        spots = [self.canvas.slot(r) for r in others]  # unplaced notes sort by id, see Canvas.slot
        if not isinstance(index, int) or isinstance(index, bool) or index >= len(others) or index < 0:
            return max(spots, default=0.0) + 1.0  # at the end of the area, also when moved from another
        if index == 0:
            return spots[0] - 1.0
        return (spots[index - 1] + spots[index]) / 2.0

    def _new_fields(self) -> dict[str, Any]:
        """Author, team and, in private mode, hidden for a note this viewer creates."""
        names = self.canvas.collection.kind.field_names
        fields: dict[str, Any] = {}
        author = views.author_field(self.canvas)
        if author:
            fields[author] = self.viewer.name
        if "team" in names and self.viewer.team:
            fields["team"] = self.viewer.team
        if "hidden" in names and canvas_controls(self.ws, self.canvas.id).private:
            fields["hidden"] = True
        return fields

    # ------------------------------------------------------------------ ops
    def op_add(self, request: dict[str, Any]) -> int:
        area = request.get("area")
        if not isinstance(area, str):
            raise RequestError(f"{self.labels['error_prefix']} area must be given")
        fields = self._new_fields()
        position = self._position(area, request.get("index"))
        if position is not None:
            fields["position"] = position
        return self.canvas.add(area, self._text(request), **fields)

    def op_edit(self, request: dict[str, Any]) -> None:
        item_id = self._id(request)
        if "fields" in request:
            fields = request["fields"]
            allowed = EDITABLE.get(self.canvas.collection.kind.name, set())
            if not isinstance(fields, dict) or not fields or set(fields) - allowed:
                raise RequestError(f"{self.labels['error_prefix']} only {', '.join(sorted(allowed))} can be edited")
        else:
            fields = {self.canvas.text_field: self._text(request)}
        if self.canvas.text_field in fields:
            self._text(fields, self.canvas.text_field)
        self.canvas.update(item_id, **fields)

    def op_move(self, request: dict[str, Any]) -> None:
        item_id = self._id(request)
        area = request.get("area")
        if not isinstance(area, str):
            raise RequestError(f"{self.labels['error_prefix']} area must be given")
        self.canvas.move(item_id, area, self._position(area, request.get("index"), moving=item_id))

    def op_delete(self, request: dict[str, Any]) -> None:
        self.canvas.remove(self._id(request))

    def op_rank(self, request: dict[str, Any]) -> None:
        self.canvas.update(self._id(request), rank=request.get("rank"))

    def op_color(self, request: dict[str, Any]) -> None:
        color = request.get("color", "")
        if color not in ("", *self.colors):
            raise RequestError(f"{self.labels['error_prefix']} {color!r}")
        self.canvas.update(self._id(request), color=color)

    def op_vote(self, request: dict[str, Any]) -> None:
        dots = request.get("dots", 1)
        if dots not in (1, -1):
            raise RequestError(f"{self.labels['error_prefix']} dots must be 1 or -1")
        self.canvas.vote(self._id(request), self.viewer.name, dots)

    def op_link(self, request: dict[str, Any]) -> None:
        self.canvas.link(self._id(request, "source"), self._id(request, "target"))

    def op_unlink(self, request: dict[str, Any]) -> None:
        self.canvas.unlink(self._id(request, "source"), self._id(request, "target"))

    def op_undo(self, request: dict[str, Any]) -> None:
        self.ws.undo()

    def op_redo(self, request: dict[str, Any]) -> None:
        self.ws.redo()

    def op_reveal(self, request: dict[str, Any]) -> None:
        from ..facilitation import reveal

        if self.viewer.participant:
            raise RequestError(f"{self.labels['error_prefix']} {self.labels['err_locked']}")
        reveal(self.ws, self.canvas.id)
