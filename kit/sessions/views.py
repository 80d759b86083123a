"""What one viewer sees of a canvas, as plain JSON-ready dicts.

The sessions hand these dicts to a widget or a room; who sees what is kit.access's answer,
applied here on the Python side: a note another participant keeps hidden never leaves the
process of someone who may not see it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import access, journey
from ..access import Viewer

if TYPE_CHECKING:
    from ..canvas import Canvas


def features(canvas: Canvas) -> dict[str, bool]:
    """What the canvas's record kind supports, so one board serves every declaration."""
    names = set(canvas.collection.kind.field_names)
    areas = canvas.declaration["areas"]
    return {
        "rank": "rank" in names and any(a.get("rank") for a in areas),
        "color": "color" in names,
        "vote": "votes" in names,
        "hide": "hidden" in names,
        "position": "position" in names,
        "fit": "fit" in names and any(a.get("fits") for a in areas),
        "evidence": "hypothesis" in names and any(a.get("evidence") for a in areas),
    }


def vpc_slot(area: dict[str, Any]) -> str:
    """Where an area sits on the canonical Value Proposition Canvas drawing."""
    if area["kind"] == "value_map":
        return {"gains": "vm-top", "pains": "vm-bottom"}.get(area.get("fits") or "", "vm-left")
    return {"gain": "cp-top", "pain": "cp-bottom"}.get(area.get("evidence") or "", "cp-right")


def areas(canvas: Canvas) -> list[dict[str, Any]]:
    out = []
    for area in canvas.areas:
        out.append({
            "id": area["id"], "title": area["title"], "question": area.get("question", ""),
            "kind": area.get("kind", "board"), "rank": area.get("rank", ""), "fits": area.get("fits") or "",
            "evidence": bool(area.get("evidence")), "cell": area.get("cell") or [],
            "pre_contact": bool(area.get("pre_contact")),
            "slot": vpc_slot(area) if canvas.layout == "value_proposition" else "",
        })
    return out


def votes_of(record: dict[str, Any], voter: str) -> tuple[int, int]:
    votes = record.get("votes") or {}
    return sum(votes.values()), votes.get(voter, 0)


def controls(rules: access.Rules, viewer: Viewer, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The room controls as the viewer's page shows them."""
    return {"locked": rules.locked, "private": rules.private, "vote_open": rules.vote_open,
            "budget": rules.budget, "dots_left": access.dots_left(records, viewer.name, rules.budget),
            "readonly": access.read_only(viewer, rules)}


@dataclass(frozen=True)
class BoardContext:
    """What a board item's fields depend on besides its record and viewer: the notes visible with it."""

    canvas: Canvas
    rules: access.Rules
    area_of: dict[int, str]  # visible note -> its area
    addressed: frozenset[int]
    evidence: dict[int, Any]
    fits: dict[str, str]  # area -> the area it fits


def board_context(canvas: Canvas, rules: access.Rules, visible: list[dict[str, Any]],
                  evidence: dict[int, Any] | None = None) -> BoardContext:
    """The context of ``visible`` notes (``evidence``: :meth:`Canvas.evidence_counts`, if already read)."""
    if evidence is None:
        evidence = canvas.evidence_counts() if features(canvas)["evidence"] else {}
    area_of = {r["id"]: r[canvas.area_field] for r in visible}
    fits = {a["id"]: a["fits"] for a in canvas.declaration["areas"] if a.get("fits")}
    addressed: set[int] = set()
    for r in visible:
        if r[canvas.area_field] in fits:
            addressed.update(i for i in r.get("fit", []) if area_of.get(i) == fits[r[canvas.area_field]])
    return BoardContext(canvas, rules, area_of, frozenset(addressed), evidence, fits)


def board_item(r: dict[str, Any], viewer: Viewer, ctx: BoardContext) -> dict[str, Any]:
    """One note as ``viewer`` sees it (who may see it at all is :func:`kit.access.can_see`'s answer)."""
    canvas, rules = ctx.canvas, ctx.rules
    author = rules.owner
    total, mine = votes_of(r, viewer.name)
    return {
        "id": r["id"], "area": r[canvas.area_field], "text": r[canvas.text_field], "pos": canvas.slot(r),
        "rank": r.get("rank"), "color": r.get("color") or "",
        "fit": [i for i in r.get("fit", []) if i in ctx.area_of],
        "votes": total, "my_votes": mine, "hidden": bool(r.get("hidden")),
        "author": (r.get(author) or "") if author else "", "team": r.get("team") or "",
        "mine": access.is_mine(r, viewer, rules),
        "editable": access.can_change(r, viewer, rules),
        "evidence": ctx.evidence.get(r["id"]), "addressed": r["id"] in ctx.addressed,
        "status": r.get("status") or "",
    }


def coverage(ctx: BoardContext, visible: list[dict[str, Any]]) -> dict[str, Any]:
    """Per area that others fit (pains, gains): how many of its visible notes are addressed."""
    out = {}
    for target in dict.fromkeys(ctx.fits.values()):
        ids = [r["id"] for r in visible if r[ctx.canvas.area_field] == target]
        out[target] = {"total": len(ids), "addressed": sum(i in ctx.addressed for i in ids),
                       "unaddressed": [i for i in ids if i not in ctx.addressed]}
    return out


def board_state(canvas: Canvas, viewer: Viewer) -> dict[str, Any]:
    """Notes, controls, fit coverage and evidence for a board or Value Proposition Canvas."""
    rules = canvas.rules()
    every = canvas.items()
    visible = [r for r in every if access.can_see(r, viewer, rules)]
    ctx = board_context(canvas, rules, visible)
    return {"items": [board_item(r, viewer, ctx) for r in visible], "coverage": coverage(ctx, visible),
            "controls": controls(rules, viewer, every)}


def emotion_curves(stages: list[str], touchpoints: list[dict[str, Any]],
                   personas: list[str]) -> dict[str, list[float | None]]:
    """Per persona, the mean emotion (-2..+2) of the touchpoints in each stage (None: no rating)."""
    curves: dict[str, list[float | None]] = {}
    names = list(dict.fromkeys([*personas, *(p for tp in touchpoints for p in tp.get("emotion", {}))]))
    for persona in names:
        line: list[float | None] = []
        for stage in stages:
            values = [tp["emotion"][persona] for tp in touchpoints
                      if tp["stage"] == stage and persona in (tp.get("emotion") or {})]
            line.append(round(sum(values) / len(values), 2) if values else None)
        curves[persona] = line
    return curves


def touchpoint_item(tp: dict[str, Any], viewer: Viewer, rules: access.Rules) -> dict[str, Any]:
    """One touchpoint as ``viewer`` sees it."""
    return {**{k: tp[k] for k in ("id", "stage", "name", "channel", "owner", "backstage_owner", "ist_rating",
                                  "soll_target", "moment_of_truth", "emotion", "notes", "position")},
            "author": (tp.get(rules.owner) or "") if rules.owner else "", "team": tp.get("team") or "",
            "mine": access.is_mine(tp, viewer, rules), "editable": access.can_change(tp, viewer, rules)}


def idea_item(idea: dict[str, Any], stage: str, viewer: Viewer, rules: access.Rules) -> dict[str, Any]:
    """One idea of the touchpoint map (in ``stage``, its touchpoint's) as ``viewer`` sees it."""
    total, mine = votes_of(idea, viewer.name)
    return {"id": idea["id"], "text": idea["text"], "stage": stage, "touchpoint": idea["touchpoint"],
            "votes": total, "my_votes": mine, "author": idea["author"], "team": idea["team"],
            "hidden": bool(idea["hidden"]), "mine": access.is_mine(idea, viewer, rules),
            "editable": access.can_change(idea, viewer, rules), "selected": bool(idea["selected"])}


def idea_stage(idea: dict[str, Any], tp_stage: dict[int, str]) -> str:
    """The stage an idea shows in: its touchpoint's, else its own."""
    return tp_stage.get(idea["touchpoint"]) or idea["stage"]


def touchpoint_curves(canvas: Canvas, touchpoints: list[dict[str, Any]]) -> dict[str, Any]:
    """``personas``, ``curves`` (the team's estimate) and ``evidence`` for the ``touchpoints`` a viewer sees."""
    ws = canvas.workshop
    stage_ids = [a["id"] for a in canvas.declaration["areas"]]
    personas = list(ws.info.get("personas") or [])
    return {"personas": list(dict.fromkeys([*personas, *(p for tp in touchpoints for p in tp["emotion"])])),
            "curves": emotion_curves(stage_ids, touchpoints, personas),
            "evidence": journey.curve_state(ws, stage_ids, touchpoints)}


def touchpoint_state(canvas: Canvas, viewer: Viewer) -> dict[str, Any]:
    """Touchpoints per stage, their ideas with dot votes, the team's emotion estimate (``curves``),
    the evidence curve from scored interview snippets (``evidence``) and controls."""
    ws = canvas.workshop
    every = canvas.items()
    stage_ids = [a["id"] for a in canvas.declaration["areas"]]
    tp_stage = {tp["id"]: tp["stage"] for tp in every}
    ideas_all = ws.ideas.all()
    rules, idea_rules = canvas.rules(), canvas.rules(ws.ideas)
    touchpoints = [tp for tp in every if access.can_see(tp, viewer, rules)]
    ideas = [idea_item(idea, idea_stage(idea, tp_stage), viewer, idea_rules) for idea in ideas_all
             if access.can_see(idea, viewer, idea_rules) and idea_stage(idea, tp_stage) in stage_ids]
    return {"items": [touchpoint_item(tp, viewer, rules) for tp in touchpoints], "ideas": ideas,
            **touchpoint_curves(canvas, touchpoints), "controls": controls(rules, viewer, ideas_all)}
