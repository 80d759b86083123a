"""The touchpoint map widget: stages as columns (starting before first contact), lanes below.

Touchpoints carry channel, front- and back-stage owner, Ist rating and Soll target, a
moment-of-truth marker and an emotion per persona; ideas (the ``ideas`` collection,
linked by touchpoint) collect dot votes. Ideas obey this canvas's lock and voting controls.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Callable

import traitlets

from ..facilitation import controls as canvas_controls
from ..roster import check_owner
from ..store import WorkshopError
from . import views
from .base import CanvasWidget, RequestError, bundle


class TouchpointMapWidget(CanvasWidget):
    """Traits beyond the base: ``lanes``, ``ideas``, ``personas``, ``curves`` (emotion per stage)."""

    _esm = bundle("common.js", "touchpoints.js")
    _css = bundle("common.css", "touchpoints.css")

    lanes = traitlets.List().tag(sync=True)
    ideas = traitlets.List().tag(sync=True)
    personas = traitlets.List().tag(sync=True)
    curves = traitlets.Dict().tag(sync=True)

    def __init__(self, ws: Any, canvas_id: str = "touchpoint_map", **kwargs: Any):
        super().__init__(ws, canvas_id, **kwargs)
        lang = self.ws.language
        self.lanes = [{"id": lane["id"], "title": lane["title"].get(lang) or lane["title"]["en"]}
                      for lane in self.canvas.declaration["lanes"]]

    def state(self) -> dict[str, Any]:
        return views.touchpoint_state(self.canvas, self.viewer)

    def ops(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        return {"add": self.op_add, "edit": self.op_edit, "move": self.op_move, "delete": self.op_delete,
                "rate": self.op_rate, "mot": self.op_mot, "emotion": self.op_emotion,
                "idea_add": self.op_idea_add, "idea_edit": self.op_idea_edit, "idea_vote": self.op_idea_vote,
                "idea_delete": self.op_idea_delete, "undo": self.op_undo, "redo": self.op_redo}

    # ------------------------------------------------------------------ touchpoints
    def op_add(self, request: dict[str, Any]) -> int:
        area = request.get("area")
        if not isinstance(area, str):
            raise RequestError(f"{self.labels['error_prefix']} stage must be given")
        extra = {k: request[k] for k in ("channel", "owner", "backstage_owner") if isinstance(request.get(k), str)}
        return self.canvas.add(area, self._text(request), position=self._position(area, request.get("index")),
                               **extra, **self._new_fields())

    def op_rate(self, request: dict[str, Any]) -> None:
        field = request.get("field")
        if field not in ("ist_rating", "soll_target"):
            raise RequestError(f"{self.labels['error_prefix']} field must be ist_rating or soll_target")
        self.canvas.update(self._id(request), **{field: request.get("value")})

    def op_mot(self, request: dict[str, Any]) -> None:
        self.canvas.update(self._id(request), moment_of_truth=bool(request.get("value")))

    def op_emotion(self, request: dict[str, Any]) -> None:
        item_id, persona, value = self._id(request), request.get("persona"), request.get("value")
        if not isinstance(persona, str) or not persona.strip():
            raise RequestError(f"{self.labels['error_prefix']} persona must be given")

        def change(record: dict[str, Any]) -> dict[str, Any]:
            emotion = {k: v for k, v in record["emotion"].items() if k != persona}
            if value is not None:
                emotion[persona] = value
            return {"emotion": emotion}

        # Read-modify-write inside one transaction: two personas rated at once both survive.
        with self.canvas._writing(item_id):
            record = self.canvas.collection[item_id]
            self.canvas.update(item_id, **change(record))

    # ------------------------------------------------------------------ ideas (dot votes)
    def _idea_id(self, request: dict[str, Any]) -> int:
        value = request.get("id")
        idea = self.ws.ideas.get(value) if isinstance(value, int) and not isinstance(value, bool) else None
        if idea is None or not views.can_see(idea, self.viewer, "author", views.team_filter(self.canvas, self.viewer)):
            raise RequestError(f"{self.labels['error_prefix']} {self.labels['err_gone']}")
        return value

    def _idea_writing(self, idea_id: int) -> AbstractContextManager[None]:
        """This map's write transaction with its lock and team checks, applied to an idea of the
        team it belongs to (the owner check is the idea board's, see kit.roster.check_owner)."""
        return self.canvas._writing(None, {"team": self.ws.ideas[idea_id]["team"]}, vote=True)

    def op_idea_add(self, request: dict[str, Any]) -> int:
        text, stage, touchpoint = self._text(request), request.get("stage"), request.get("touchpoint")
        if touchpoint is not None:
            touchpoint = self._id({"id": touchpoint})
            stage = self.canvas.collection[touchpoint]["stage"]
        self.canvas.area(stage if isinstance(stage, str) else "")
        fields: dict[str, Any] = {"author": self.viewer.name, "team": self.viewer.team}
        if canvas_controls(self.ws, self.canvas.id).private:
            fields["hidden"] = True
        with self.canvas._writing(None, fields):  # the touchpoint map's lock and teams cover its ideas
            return self.ws.ideas.add(text=text, stage=stage, touchpoint=touchpoint, **fields)

    def op_idea_edit(self, request: dict[str, Any]) -> None:
        idea_id = self._idea_id(request)
        with self._idea_writing(idea_id):
            check_owner(self.ws.canvas("idea_board"), idea_id, {})
            self.ws.ideas.update(idea_id, text=self._text(request))

    def op_idea_delete(self, request: dict[str, Any]) -> None:
        idea_id = self._idea_id(request)
        with self._idea_writing(idea_id):
            check_owner(self.ws.canvas("idea_board"), idea_id, {})
            self.ws.ideas.remove(idea_id)

    def op_idea_vote(self, request: dict[str, Any]) -> None:
        idea_id, dots = self._idea_id(request), request.get("dots", 1)
        if dots not in (1, -1):
            raise RequestError(f"{self.labels['error_prefix']} dots must be 1 or -1")
        state = canvas_controls(self.ws, self.canvas.id)
        if self.viewer.participant and not state.vote_open:
            raise WorkshopError(f"voting on {self.canvas.title} is closed")
        with self._idea_writing(idea_id):
            self.ws.ideas.vote(idea_id, self.viewer.name, dots, budget=state.budget)
