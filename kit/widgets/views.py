"""What one viewer may see of a canvas, as plain JSON-ready dicts (no ipywidgets here).

The widgets push these dicts to the browser as traits; keeping them pure makes them easy
to test and keeps privacy rules (hidden notes) in one place, on the Python side: a note
another participant keeps hidden never leaves the kernel of someone who may not see it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..facilitation import controls
from ..roster import owner_field, team_of, teams_separated

if TYPE_CHECKING:
    from ..canvas import Canvas


@dataclass(frozen=True)
class Viewer:
    """Who looks: the participant's name (or the facilitator's actor), team and role."""

    name: str
    team: str = ""
    participant: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "team": self.team, "role": "participant" if self.participant else "facilitator"}


def author_field(canvas: "Canvas") -> str | None:
    return owner_field(canvas.collection.kind.field_names)


def team_filter(canvas: "Canvas", viewer: Viewer) -> str | None:
    """The only team whose notes a participant sees while the facilitator keeps teams apart
    on this canvas (kit.roster.separate_teams); None: no filter."""
    ws = canvas.workshop
    if not viewer.participant or not teams_separated(ws, canvas.id):
        return None
    return viewer.team or team_of(ws, viewer.name) or ""


def can_see(record: dict[str, Any], viewer: Viewer, author: str | None, team: str | None = None) -> bool:
    """Hidden notes: the author sees them, the facilitator sees them marked; others do not.
    With ``team`` (see :func:`team_filter`), only that team's notes are seen."""
    if team is not None and (record.get("team") or "") != team:
        return False
    if not record.get("hidden") or not viewer.participant:
        return True
    return author is not None and record.get(author) == viewer.name


def can_change(record: dict[str, Any], viewer: Viewer, author: str | None) -> bool:
    """May the viewer edit, move or delete this note? A participant only their own (kit.roster
    enforces it in the store); the facilitator any; shared records without author anyone."""
    return not viewer.participant or author is None or record.get(author) == viewer.name


def features(canvas: "Canvas") -> dict[str, bool]:
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


def areas(canvas: "Canvas") -> list[dict[str, Any]]:
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


def dots_left(records: list[dict[str, Any]], voter: str, budget: int) -> int:
    return max(0, budget - sum((r.get("votes") or {}).get(voter, 0) for r in records))


def board_state(canvas: "Canvas", viewer: Viewer) -> dict[str, Any]:
    """Notes, controls, fit coverage and evidence for a board or Value Proposition Canvas."""
    author = author_field(canvas)
    feats = features(canvas)
    every = canvas.items()
    team = team_filter(canvas, viewer)
    visible = [r for r in every if can_see(r, viewer, author, team)]
    evidence = canvas.evidence_counts() if feats["evidence"] else {}
    area_of = {r["id"]: r[canvas.area_field] for r in visible}
    fits = {a["id"]: a["fits"] for a in canvas.declaration["areas"] if a.get("fits")}
    addressed: set[int] = set()
    for r in visible:
        if r[canvas.area_field] in fits:
            addressed.update(i for i in r.get("fit", []) if area_of.get(i) == fits[r[canvas.area_field]])
    items = []
    for r in visible:
        total, mine = votes_of(r, viewer.name)
        items.append({
            "id": r["id"], "area": r[canvas.area_field], "text": r[canvas.text_field],
            "rank": r.get("rank"), "color": r.get("color") or "", "fit": [i for i in r.get("fit", []) if i in area_of],
            "votes": total, "my_votes": mine, "hidden": bool(r.get("hidden")),
            "author": (r.get(author) or "") if author else "", "team": r.get("team") or "",
            "mine": bool(author) and r.get(author) == viewer.name,
            "editable": can_change(r, viewer, author),
            "evidence": evidence.get(r["id"]), "addressed": r["id"] in addressed,
            "status": r.get("status") or "",
        })
    coverage = {}
    for target in dict.fromkeys(fits.values()):
        ids = [r["id"] for r in visible if r[canvas.area_field] == target]
        coverage[target] = {"total": len(ids), "addressed": sum(i in addressed for i in ids),
                            "unaddressed": [i for i in ids if i not in addressed]}
    state = controls(canvas.workshop, canvas.id)
    return {
        "items": items,
        "coverage": coverage,
        "controls": {"locked": state.locked, "private": state.private, "vote_open": state.vote_open,
                     "budget": state.budget, "dots_left": dots_left(every, viewer.name, state.budget),
                     "readonly": state.locked and viewer.participant},
    }


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


def touchpoint_state(canvas: "Canvas", viewer: Viewer) -> dict[str, Any]:
    """Touchpoints per stage, their ideas with dot votes, emotion curves and controls."""
    ws = canvas.workshop
    every = canvas.items()
    stage_ids = [a["id"] for a in canvas.declaration["areas"]]
    tp_stage = {tp["id"]: tp["stage"] for tp in every}
    ideas_all = ws.ideas.all()
    team = team_filter(canvas, viewer)
    author = author_field(canvas)
    touchpoints = [tp for tp in every if can_see(tp, viewer, author, team)]
    ideas = []
    for idea in ideas_all:
        if not can_see(idea, viewer, "author", team):
            continue
        stage = tp_stage.get(idea["touchpoint"]) or idea["stage"]
        if stage not in stage_ids:
            continue
        total, mine = votes_of(idea, viewer.name)
        ideas.append({"id": idea["id"], "text": idea["text"], "stage": stage, "touchpoint": idea["touchpoint"],
                      "votes": total, "my_votes": mine, "author": idea["author"], "team": idea["team"],
                      "hidden": bool(idea["hidden"]), "mine": idea["author"] == viewer.name,
                      "editable": can_change(idea, viewer, "author"),
                      "selected": bool(idea["selected"])})
    items = [{**{k: tp[k] for k in ("id", "stage", "name", "channel", "owner", "backstage_owner", "ist_rating",
                                    "soll_target", "moment_of_truth", "emotion", "notes", "position")},
              "author": tp.get(author) or "", "team": tp.get("team") or "",
              "mine": tp.get(author) == viewer.name, "editable": can_change(tp, viewer, author)}
             for tp in touchpoints]
    personas = list(ws.info.get("personas") or [])
    state = controls(ws, canvas.id)
    return {
        "items": items,
        "ideas": ideas,
        "personas": list(dict.fromkeys([*personas, *(p for tp in touchpoints for p in tp["emotion"])])),
        "curves": emotion_curves(stage_ids, touchpoints, personas),
        "controls": {"locked": state.locked, "private": state.private, "vote_open": state.vote_open,
                     "budget": state.budget, "dots_left": dots_left(ideas_all, viewer.name, state.budget),
                     "readonly": state.locked and viewer.participant},
    }
