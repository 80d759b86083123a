"""Who joined the live workshop, in which team, and which canvases keep teams apart.

The roster lives in the store's live state (one key per participant, so two laptops
joining at once never overwrite each other). A participant is a person, not a typed name: the
first join makes a random participant secret that only the page keeps (the roster keeps its
digest, kit.tokens); joining again under that name needs it. Anyone else typing a name that is
taken -- the same name, or one that only looks the same (kit.names skeletons: Alice with a
Cyrillic A, Eve with a zero-width joiner) -- gets a name of their own, ``Thomas (2)``, and is never
told who else is in which team. What a team may do while teams are kept apart
is decided by kit.access, which :class:`kit.canvas.Canvas` asks inside every write
transaction, so it holds for the participant view, a script, or anything else using the kit API.
"""
from __future__ import annotations

import datetime
import time
import unicodedata
from typing import TYPE_CHECKING, Any

from . import access, names, tokens
from .canvases import declaration
from .errors import NotFound, ValidationError

if TYPE_CHECKING:
    import pandas

    from .protocols import WorkshopAccess

MAX_NAME = 60
_JOIN = "participant:"
_SEPARATE = "separate_teams:"
_SECRET = "secret_sha256"  # noqa: S105 - the field of a roster entry that holds its secret's digest


def clean_name(value: Any, field: str = "name") -> str:
    """A participant or team name: text, 1-60 characters, no control characters."""
    if not isinstance(value, str):
        raise ValidationError("participant", field, "roster.not_text", type=type(value).__name__)
    value = names.display(value)
    if not value:
        raise ValidationError("participant", field, "roster.empty")
    if len(value) > MAX_NAME:
        raise ValidationError("participant", field, "roster.too_long", max=MAX_NAME, length=len(value))
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in "\u200d\u200c" for c in value):
        raise ValidationError("participant", field, "roster.control")
    return str(value)


def join(ws: WorkshopAccess, name: str, team: str, secret: str | None = None) -> dict[str, Any]:
    """Register a person as ``name`` in ``team``; returns their roster entry with ``secret``.

    ``secret`` is what an earlier join returned: with it, joining again (a reload, a reconnect) is the
    same person, in the team they are in now (the facilitator moves people with :func:`assign`).
    Without it a taken name is someone else's, and this person gets a free one: ``Anna (2)``.
    Only the secret's digest is kept; the secret itself travels only in the returned entry.
    """
    name, team = clean_name(name), clean_name(team, "team")
    teams = ws.info["teams"]
    if teams and team not in teams:
        raise ValidationError("participant", "team", "roster.not_a_team", teams=", ".join(teams), value=team)
    live = ws.live
    existing = live.get(_key(name))
    now = time.time()
    if existing and isinstance(secret, str) and tokens.matches(secret, _digest_of(existing)):
        entry = {**existing, "seen": now}
    else:
        name, secret = _free_name(live, name), tokens.make()
        entry = {"name": name, "team": team, "joined": now, "seen": now, _SECRET: tokens.digest(secret).hex()}
    ws.set_live(_key(entry["name"]), entry)
    return {**entry, "secret": secret}


def _key(name: str) -> str:
    """One live key per name as people read it: look-alike names share it."""
    return _JOIN + names.skeleton(name)


def _digest_of(entry: dict[str, Any]) -> bytes | None:
    try:
        return bytes.fromhex(entry.get(_SECRET) or "") or None
    except ValueError:
        return None


def _free_name(live: dict[str, Any], name: str) -> str:
    """``name`` if nobody has it (or a look-alike of it), else the first free ``name (2)``, ``name (3)``..."""
    found, number = name, 1
    while _key(found) in live:
        number += 1
        suffix = f" ({number})"
        found = name[:MAX_NAME - len(suffix)] + suffix
    return found


def assign(ws: WorkshopAccess, name: str, team: str) -> dict[str, Any]:
    """Facilitator: move a participant to another team."""
    access.check_facilitator(ws.viewer(), "assign")
    name, team = clean_name(name), clean_name(team, "team")
    entry = ws.live.get(_key(name))
    if entry is None:
        raise NotFound("roster.nobody", name=name)
    entry = {**entry, "team": team}
    ws.set_live(_key(name), entry)
    return entry


def participants(ws: WorkshopAccess) -> list[dict[str, Any]]:
    """Everyone who joined, in joining order."""
    found = [{k: v for k, v in e.items() if k != _SECRET} for key, e in ws.live.items() if key.startswith(_JOIN)]
    return sorted(found, key=lambda e: (e["joined"], e["name"]))


def team_of(ws: WorkshopAccess, name: str) -> str | None:
    entry = ws.live.get(_key(name))
    return entry["team"] if entry else None


def separate_teams(ws: WorkshopAccess, canvas_id: str, separate: bool = True) -> None:
    """Facilitator: each team works on its own copy of ``canvas_id`` and cannot change the others'."""
    access.check_facilitator(ws.viewer(), "separate")
    declaration(canvas_id)  # an unknown canvas raises here
    ws.set_live(_SEPARATE + canvas_id, bool(separate))


def teams_separated(ws: WorkshopAccess, canvas_id: str) -> bool:
    return bool(ws.live.get(_SEPARATE + canvas_id))


def to_dataframe(ws: WorkshopAccess) -> pandas.DataFrame:
    import pandas as pd

    rows = [{"name": e["name"], "team": e["team"],
             "joined": datetime.datetime.fromtimestamp(e["joined"]).strftime("%H:%M:%S")}
            for e in participants(ws)]
    return pd.DataFrame(rows, columns=["name", "team", "joined"])
