"""Who joined the live workshop, in which team, and which canvases keep teams apart.

The roster lives in the store's live state (one key per participant, so two laptops
joining at once never overwrite each other). What a team may do while teams are kept apart
is decided by kit.access, which :class:`kit.canvas.Canvas` asks inside every write
transaction, so it holds for the participant view, a script, or anything else using the kit API.
"""
from __future__ import annotations

import datetime
import time
import unicodedata
from typing import TYPE_CHECKING, Any

from . import access
from .canvases import declaration
from .errors import NotFound, Refused, ValidationError

if TYPE_CHECKING:
    import pandas

    from .protocols import WorkshopAccess

MAX_NAME = 60
_JOIN = "participant:"
_SEPARATE = "separate_teams:"


def clean_name(value: Any, field: str = "name") -> str:
    """A participant or team name: text, 1-60 characters, no control characters."""
    if not isinstance(value, str):
        raise ValidationError("participant", field, "roster.not_text", type=type(value).__name__)
    value = " ".join(value.split())
    if not value:
        raise ValidationError("participant", field, "roster.empty")
    if len(value) > MAX_NAME:
        raise ValidationError("participant", field, "roster.too_long", max=MAX_NAME, length=len(value))
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in "\u200d\u200c" for c in value):
        raise ValidationError("participant", field, "roster.control")
    return str(value)


def join(ws: WorkshopAccess, name: str, team: str) -> dict[str, Any]:
    """Register ``name`` in ``team``; joining again (a page reload) keeps the same entry.

    A name already in another team is refused: the facilitator moves people with :func:`assign`.
    """
    name, team = clean_name(name), clean_name(team, "team")
    teams = ws.info["teams"]
    if teams and team not in teams:
        raise ValidationError("participant", "team", "roster.not_a_team", teams=", ".join(teams), value=team)
    key = _JOIN + name
    existing = ws.live.get(key)
    if existing and existing["team"] != team:
        raise Refused("roster.already_joined", name=name, team=existing["team"])
    entry = {"name": name, "team": team, "joined": (existing or {}).get("joined") or time.time(),
             "seen": time.time()}
    ws.set_live(key, entry)
    return entry


def assign(ws: WorkshopAccess, name: str, team: str) -> dict[str, Any]:
    """Facilitator: move a participant to another team."""
    access.check_facilitator(_viewer(ws), "assign")
    name, team = clean_name(name), clean_name(team, "team")
    entry = ws.live.get(_JOIN + name)
    if entry is None:
        raise NotFound("roster.nobody", name=name)
    entry = {**entry, "team": team}
    ws.set_live(_JOIN + name, entry)
    return entry


def participants(ws: WorkshopAccess) -> list[dict[str, Any]]:
    """Everyone who joined, in joining order."""
    found = [v for k, v in ws.live.items() if k.startswith(_JOIN)]
    return sorted(found, key=lambda e: (e["joined"], e["name"]))


def team_of(ws: WorkshopAccess, name: str) -> str | None:
    entry = ws.live.get(_JOIN + name)
    return entry["team"] if entry else None


def separate_teams(ws: WorkshopAccess, canvas_id: str, separate: bool = True) -> None:
    """Facilitator: each team works on its own copy of ``canvas_id`` and cannot change the others'."""
    access.check_facilitator(_viewer(ws), "separate")
    declaration(canvas_id)  # an unknown canvas raises here
    ws.set_live(_SEPARATE + canvas_id, bool(separate))


def teams_separated(ws: WorkshopAccess, canvas_id: str) -> bool:
    return bool(ws.live.get(_SEPARATE + canvas_id))


def _viewer(ws: WorkshopAccess) -> access.Viewer:
    return access.Viewer(ws.actor, participant=ws.role != "facilitator")


def to_dataframe(ws: WorkshopAccess) -> pandas.DataFrame:
    import pandas as pd

    rows = [{"name": e["name"], "team": e["team"],
             "joined": datetime.datetime.fromtimestamp(e["joined"]).strftime("%H:%M:%S")}
            for e in participants(ws)]
    return pd.DataFrame(rows, columns=["name", "team", "joined"])
