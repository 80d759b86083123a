"""Who joined the live workshop, in which team, and which canvases keep teams apart.

The roster lives in the store's live state (one key per participant, so two laptops
joining at once never overwrite each other). Team separation is enforced here for every
participant write, called by :class:`kit.canvas.Canvas` inside the write transaction, so
it holds for the participant view, a script, or anything else using the kit API.
"""
from __future__ import annotations

import datetime
import time
import unicodedata
from typing import TYPE_CHECKING, Any

from .model import ValidationError
from .store import WorkshopError

if TYPE_CHECKING:
    import pandas

    from .canvas import Canvas
    from .workshop import Workshop

MAX_NAME = 60
_JOIN = "participant:"
_SEPARATE = "separate_teams:"


def clean_name(value: Any, field: str = "name") -> str:
    """A participant or team name: text, 1-60 characters, no control characters."""
    if not isinstance(value, str):
        raise ValidationError("participant", field, f"must be text, got {type(value).__name__}")
    value = " ".join(value.split())
    if not value:
        raise ValidationError("participant", field, "must not be empty")
    if len(value) > MAX_NAME:
        raise ValidationError("participant", field, f"must be at most {MAX_NAME} characters, got {len(value)}")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in "\u200d\u200c" for c in value):
        raise ValidationError("participant", field, "must not contain control characters")
    return value


def join(ws: "Workshop", name: str, team: str) -> dict[str, Any]:
    """Register ``name`` in ``team``; joining again (a page reload) keeps the same entry.

    A name already in another team is refused: the facilitator moves people with :func:`assign`.
    """
    name, team = clean_name(name), clean_name(team, "team")
    teams = ws.info["teams"]
    if teams and team not in teams:
        raise ValidationError("participant", "team", f"must be one of {', '.join(teams)}, got {team!r}")
    key = _JOIN + name
    existing = ws.live.get(key)
    if existing and existing["team"] != team:
        raise WorkshopError(f"{name} has already joined team {existing['team']}; "
                            "choose another name or ask the facilitator")
    entry = {"name": name, "team": team, "joined": (existing or {}).get("joined") or time.time(),
             "seen": time.time()}
    ws.set_live(key, entry)
    return entry


def assign(ws: "Workshop", name: str, team: str) -> dict[str, Any]:
    """Facilitator: move a participant to another team."""
    _facilitator_only(ws, "move participants between teams")
    name, team = clean_name(name), clean_name(team, "team")
    entry = ws.live.get(_JOIN + name)
    if entry is None:
        raise WorkshopError(f"nobody called {name!r} has joined")
    entry = {**entry, "team": team}
    ws.set_live(_JOIN + name, entry)
    return entry


def participants(ws: "Workshop") -> list[dict[str, Any]]:
    """Everyone who joined, in joining order."""
    found = [v for k, v in ws.live.items() if k.startswith(_JOIN)]
    return sorted(found, key=lambda e: (e["joined"], e["name"]))


def team_of(ws: "Workshop", name: str) -> str | None:
    entry = ws.live.get(_JOIN + name)
    return entry["team"] if entry else None


def separate_teams(ws: "Workshop", canvas_id: str, separate: bool = True) -> None:
    """Facilitator: each team works on its own copy of ``canvas_id`` and cannot change the others'."""
    _facilitator_only(ws, "separate teams")
    ws.canvas(canvas_id)  # an unknown canvas raises here
    ws.set_live(_SEPARATE + canvas_id, bool(separate))


def teams_separated(ws: "Workshop", canvas_id: str) -> bool:
    return bool(ws.live.get(_SEPARATE + canvas_id))


def owner_field(field_names: Any) -> str | None:
    """The field naming who wrote a record (``author``, or ``observed_by`` for observations)."""
    return next((f for f in ("author", "observed_by") if f in field_names), None)


def check_write(canvas: "Canvas", item_id: int | None, fields: dict[str, Any], *, vote: bool = False) -> None:
    """Refuse a participant's write to somebody else's note, or to another team's notes while
    teams are separated. The facilitator is not limited.

    Runs inside the write transaction (see kit.canvas). ``item_id`` is the note changed
    (None for a new note); ``fields`` what is written; ``vote``: a dot vote, which a
    participant may give to anyone's note (of their own team while teams are separated).
    """
    ws = canvas.workshop
    if ws.role != "participant":
        return
    if teams_separated(ws, canvas.id):
        _check_team(canvas, item_id, fields)
    if not vote:
        check_owner(canvas, item_id, fields)


def _check_team(canvas: "Canvas", item_id: int | None, fields: dict[str, Any]) -> None:
    ws = canvas.workshop
    if "team" not in canvas.collection.kind.field_names:
        raise WorkshopError(f"{canvas.title} is split by team but its notes have no team")
    mine = team_of(ws, ws.actor)
    if mine is None:
        raise WorkshopError(f"{ws.actor} has not joined a team; join first")
    if item_id is not None:
        record = canvas.collection.get(item_id)
        if record is not None and record.get("team") != mine:
            raise WorkshopError(f"note {item_id} belongs to team {record.get('team') or '-'}; "
                                f"{ws.actor} is in team {mine}")
    if "team" in fields and fields["team"] != mine or item_id is None and fields.get("team") != mine:
        raise WorkshopError(f"{ws.actor} can only write notes of team {mine} on {canvas.title}")


def check_owner(canvas: "Canvas", item_id: int | None, fields: dict[str, Any]) -> None:
    """A participant edits, moves and deletes only notes they wrote, and writes as themselves.

    Notes with no author (sample data, notes added by script) only the facilitator changes.
    """
    ws = canvas.workshop
    owner = owner_field(canvas.collection.kind.field_names)
    if ws.role != "participant" or owner is None:
        return
    if owner in fields and fields[owner] != ws.actor:
        raise WorkshopError(f"{ws.actor} can only write notes as themselves, not as {fields[owner]!r}")
    if item_id is not None:
        record = canvas.collection.get(item_id)
        if record is not None and record.get(owner) != ws.actor:
            raise WorkshopError(f"note {item_id} was written by {record.get(owner) or 'nobody'}; "
                                f"{ws.actor} can only change their own notes")


def _facilitator_only(ws: "Workshop", what: str) -> None:
    if ws.role != "facilitator":
        raise WorkshopError(f"only the facilitator can {what}")


def to_dataframe(ws: "Workshop") -> "pandas.DataFrame":
    import pandas as pd

    rows = [{"name": e["name"], "team": e["team"],
             "joined": datetime.datetime.fromtimestamp(e["joined"]).strftime("%H:%M:%S")}
            for e in participants(ws)]
    return pd.DataFrame(rows, columns=["name", "team", "joined"])
