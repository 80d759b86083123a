"""Sessions on a canvas: the board and Value Proposition Canvas, and the touchpoint map.

State keys: ``canvas_id``, ``layout``, ``title``, ``intro``, ``labels``, ``areas``, ``me``,
``features``, ``colors``, ``color_labels`` (what each colour means, by colour; may be empty), ``rank_scale``,
``attribution`` (whose framework it is: kit/texts/attribution.yaml,
"" for the kit's own; fixed); ``items``, ``coverage``, ``controls`` (live);
the touchpoint map adds ``lanes``, ``curve_labels`` (fixed) and ``ideas``, ``personas``, ``curves``
(the team's estimate), ``evidence`` (kit.journey.curve_state). Requests name one
note and the fields to change (the page never sends the list of notes back: a stale list
must not overwrite what somebody else changed a moment ago). Every write goes through
:class:`kit.canvas.Canvas`, which asks kit.access inside the write transaction.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import access, i18n, plan, privacy
from ..errors import RequestError, UsageError
from ..facilitation import reveal
from ..workshop import open as open_workshop
from . import views
from .base import Op, Session, request_area, request_id, request_text

if TYPE_CHECKING:
    from ..canvas import Canvas
    from ..workshop import Workshop

#: Fields a page may change with an ``edit`` request, per record kind.
EDITABLE = {
    "canvas_item": {"text"},
    "observation": {"text", "who", "touchpoint"},
    "hypothesis": {"statement", "test_question", "confirm_if", "refute_if"},
    "idea": {"text", "feedback"},
    "touchpoint": {"name", "channel", "owner", "backstage_owner", "notes", "frequency"},
}
#: Texts of kit/texts/journey.yaml the touchpoint map's evidence curve shows.
CURVE_TEXTS = ("curve_title", "key_evidence", "key_band", "key_team", "flag_worse", "flag_better", "no_point",
               "persona_no_points", "quotes_title", "quotes_hint", "point_label", "close")


class CanvasSession(Session):
    """One viewer on one canvas: ``participant="Anna"`` writes as Anna with a participant's rights
    (a workshop of her own is opened and closed with the session); ``team`` tags her new notes."""

    def __init__(self, ws: Workshop, canvas_id: str, *, participant: str | None = None,
                 team: str | None = None) -> None:
        self._own_ws: Workshop | None = None
        if participant is not None:
            participant = participant.strip()
            if not participant:
                raise UsageError("widgets.req_participant")
            if not access.is_participant(ws.role) or ws.name != participant:
                ws = self._own_ws = open_workshop(ws.location, actor=participant, role="participant")
        super().__init__(ws)
        self.canvas: Canvas = ws.canvas(canvas_id)
        self.name = participant or ws.name
        self.team = team or ""
        self.participant = access.is_participant(ws.role)

    def close(self) -> None:
        super().close()
        if self._own_ws is not None:
            self._own_ws.close()
            self._own_ws = None

    # ------------------------------------------------------------------ state
    def viewer(self) -> access.Viewer:
        """Who looks: the team given, else the one joined (the facilitator may move people)."""
        return self.ws.viewer(self.team)

    def fixed(self) -> dict[str, Any]:
        canvas, lang = self.canvas, self.language
        decl = canvas.declaration
        return {"canvas_id": canvas.id, "layout": canvas.layout, "title": canvas.title,
                "intro": self._intro(), "labels": i18n.texts("widgets", lang),
                "areas": views.areas(canvas), "me": {**self.viewer().as_dict(), "team": self.team},
                "features": views.features(canvas), "colors": list(decl["colors"]),
                "color_labels": canvas.color_labels,
                "rank_scale": dict(decl["rank_scale"]),
                "attribution": canvas.attribution}

    def _intro(self) -> str:
        """The canvas's intro, and what it is about if it says (the idea the team chose, e.g. for its feedback)."""
        intro = str(self.canvas.declaration.get("intro", {}).get(self.language, ""))
        idea = plan.chosen_idea(self.ws) if self.canvas.declaration["about"] == "chosen_idea" else None
        if idea is None:
            return intro
        return f"{intro} {i18n.t('widgets.about_chosen_idea', self.language, idea=idea['text'])}".strip()

    def state(self) -> dict[str, Any]:
        return views.board_state(self.canvas, self.viewer())

    def explain(self, exc: Exception) -> str:
        return f"{i18n.t('widgets.error_prefix', self.language)} {super().explain(exc)}"

    # ------------------------------------------------------------------ helpers for ops
    def _id(self, request: Mapping[str, Any], key: str = "id") -> int:
        """A record id the viewer may see; another participant's hidden note counts as gone."""
        value = request_id(request, key)
        record = self.canvas.collection.get(value)
        if record is None or not access.can_see(record, self.viewer(), self.canvas.rules()):
            raise RequestError("widgets.err_gone")
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

    def _new_fields(self, names: Any = None) -> dict[str, Any]:
        """Author, team and, in private mode, hidden for a note this viewer creates."""
        return access.new_record_fields(self.viewer(), self.canvas.rules(),
                                        names or self.canvas.collection.kind.field_names)

    @staticmethod
    def _dots(request: Mapping[str, Any]) -> int:
        dots = request.get("dots", 1)
        if dots not in (1, -1) or isinstance(dots, bool):
            raise RequestError("widgets.req_dots")
        return int(dots)

    # ------------------------------------------------------------------ ops
    def ops(self) -> dict[str, Op]:
        return {"add": self.op_add, "edit": self.op_edit, "move": self.op_move, "delete": self.op_delete,
                "rank": self.op_rank, "color": self.op_color, "vote": self.op_vote, "link": self.op_link,
                "unlink": self.op_unlink, "undo": self.op_undo, "redo": self.op_redo, "reveal": self.op_reveal}

    def op_add(self, request: dict[str, Any]) -> None:
        area = request_area(request)
        fields = self._new_fields()
        position = self._position(area, request.get("index"))
        if position is not None:
            fields["position"] = position
        self.canvas.add(area, request_text(request), **fields)

    def op_edit(self, request: dict[str, Any]) -> None:
        item_id = self._id(request)
        if "fields" in request:
            fields = request["fields"]
            allowed = EDITABLE.get(self.canvas.collection.kind.name, set())
            if not isinstance(fields, dict) or not fields or set(fields) - allowed:
                raise RequestError("widgets.req_only_fields", fields=", ".join(sorted(allowed)))
        else:
            fields = {self.canvas.text_field: request_text(request)}
        if self.canvas.text_field in fields:
            request_text(fields, self.canvas.text_field)
        self.canvas.update(item_id, **fields)

    def op_move(self, request: dict[str, Any]) -> None:
        item_id = self._id(request)
        area = request_area(request)
        self.canvas.move(item_id, area, self._position(area, request.get("index"), moving=item_id))

    def op_delete(self, request: dict[str, Any]) -> None:
        self.canvas.remove(self._id(request))

    def op_rank(self, request: dict[str, Any]) -> None:
        self.canvas.update(self._id(request), rank=request.get("rank"))

    def op_color(self, request: dict[str, Any]) -> None:
        color = request.get("color", "")
        if color not in ("", *self.canvas.declaration["colors"]):
            raise RequestError("widgets.req_color", value=color)
        self.canvas.update(self._id(request), color=color)

    def op_vote(self, request: dict[str, Any]) -> None:
        dots = self._dots(request)
        self.canvas.vote(self._id(request), self.name, dots)

    def op_link(self, request: dict[str, Any]) -> None:
        self.canvas.link(self._id(request, "source"), self._id(request, "target"))

    def op_unlink(self, request: dict[str, Any]) -> None:
        self.canvas.unlink(self._id(request, "source"), self._id(request, "target"))

    def op_undo(self, request: dict[str, Any]) -> None:
        self.ws.undo()

    def op_redo(self, request: dict[str, Any]) -> None:
        self.ws.redo()

    def op_reveal(self, request: dict[str, Any]) -> None:
        reveal(self.ws, self.canvas.id)


class TouchpointSession(CanvasSession):
    """Touchpoints per stage with their ideas (the ``ideas`` collection, linked by touchpoint),
    which obey this map's lock, teams and voting."""

    def fixed(self) -> dict[str, Any]:
        lang = self.language
        lanes = [{"id": lane["id"], "title": lane["title"].get(lang) or lane["title"]["en"]}
                 for lane in self.canvas.declaration["lanes"]]
        curve = {key: i18n.t(f"journey.{key}", lang) for key in CURVE_TEXTS}
        return {**super().fixed(), "lanes": lanes, "curve_labels": curve}

    def state(self) -> dict[str, Any]:
        state = views.touchpoint_state(self.canvas, self.viewer())
        if self.participant:  # quotes through the report's privacy rules (kit.privacy)
            scrub = privacy.for_participants(self.ws.interviews.all(), self.ws.live, self.language)
            state["evidence"] = privacy.scrub_value(state["evidence"], scrub)
        return state

    def ops(self) -> dict[str, Op]:
        return {"add": self.op_add, "edit": self.op_edit, "move": self.op_move, "delete": self.op_delete,
                "rate": self.op_rate, "mot": self.op_mot, "emotion": self.op_emotion,
                "idea_add": self.op_idea_add, "idea_edit": self.op_idea_edit, "idea_vote": self.op_idea_vote,
                "idea_delete": self.op_idea_delete, "undo": self.op_undo, "redo": self.op_redo}

    # ------------------------------------------------------------------ touchpoints
    def op_add(self, request: dict[str, Any]) -> None:
        area = request_area(request)
        extra = {k: request[k] for k in ("channel", "owner", "backstage_owner") if isinstance(request.get(k), str)}
        self.canvas.add(area, request_text(request), position=self._position(area, request.get("index")),
                        **extra, **self._new_fields())

    def op_rate(self, request: dict[str, Any]) -> None:
        field = request.get("field")
        if field not in ("ist_rating", "soll_target"):
            raise RequestError("widgets.req_rating_field")
        self.canvas.update(self._id(request), **{field: request.get("value")})

    def op_mot(self, request: dict[str, Any]) -> None:
        self.canvas.update(self._id(request), moment_of_truth=bool(request.get("value")))

    def op_emotion(self, request: dict[str, Any]) -> None:
        item_id, persona, value = self._id(request), request.get("persona"), request.get("value")
        if not isinstance(persona, str) or not persona.strip():
            raise RequestError("widgets.req_missing", field="persona")
        # Read-modify-write inside one transaction: two personas rated at once both survive.
        with self.canvas.writing(item_id):
            emotion = {k: v for k, v in self.canvas.collection[item_id]["emotion"].items() if k != persona}
            if value is not None:
                emotion[persona] = value
            self.canvas.update(item_id, emotion=emotion)

    # ------------------------------------------------------------------ ideas (dot votes)
    def _idea_id(self, request: Mapping[str, Any]) -> int:
        value = request.get("id")
        idea = self.ws.ideas.get(value) if isinstance(value, int) and not isinstance(value, bool) else None
        if idea is None or not access.can_see(idea, self.viewer(), self.canvas.rules(self.ws.ideas)):
            raise RequestError("widgets.err_gone")
        return int(value)  # type: ignore[arg-type]  # checked above

    def op_idea_add(self, request: dict[str, Any]) -> None:
        text, stage, touchpoint = request_text(request), request.get("stage"), request.get("touchpoint")
        if touchpoint is not None:
            touchpoint = self._id({"id": touchpoint})
            stage = self.canvas.collection[touchpoint]["stage"]
        self.canvas.area(stage if isinstance(stage, str) else "")
        fields = {"team": self.team, **self._new_fields(self.ws.ideas.kind.field_names)}
        with self.canvas.writing(None, fields, collection=self.ws.ideas):
            self.ws.ideas.add(text=text, stage=stage, touchpoint=touchpoint, **fields)

    def op_idea_edit(self, request: dict[str, Any]) -> None:
        idea_id = self._idea_id(request)
        with self.canvas.writing(idea_id, {}, collection=self.ws.ideas):
            self.ws.ideas.update(idea_id, text=request_text(request))

    def op_idea_delete(self, request: dict[str, Any]) -> None:
        idea_id = self._idea_id(request)
        with self.canvas.writing(idea_id, {}, collection=self.ws.ideas):
            self.ws.ideas.remove(idea_id)

    def op_idea_vote(self, request: dict[str, Any]) -> None:
        idea_id, dots = self._idea_id(request), self._dots(request)
        self.canvas.vote(idea_id, self.name, dots, collection=self.ws.ideas)
