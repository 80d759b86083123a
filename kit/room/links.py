"""Open and close a workshop's participant room from the facilitator's side: a fresh token, only its digest kept.

Why here and not in the hub: a facilitator starts the room from their own JupyterLab (or ``kit room
open``) with their own database login, so the store itself decides who may (a facilitator who cannot
open a workshop cannot open its room). The hub's room service reads the digest on each request;
the token leaves this function only inside the returned link.
"""
from __future__ import annotations

import os

from .. import access, tokens
from ..errors import UsageError
from ..store import is_url
from ..workshop import Workshop
from .config import key_of
from .rooms import KEY

#: The public address of the room service, set by the hub's spawner for each facilitator's server.
ROOM_URL = "KIT_ROOM_URL"


def open_room(ws: Workshop, base: str | None = None) -> str:
    """Open the room with a fresh participant token (any earlier link stops working); returns the join link."""
    root = _base(base)
    key = _key(ws)
    token = tokens.make()
    ws.store.set_room_digest(tokens.digest(token).hex())
    return f"{root}w/{key}/?token={token}"


def close_room(ws: Workshop) -> None:
    """Close the room: the token is forgotten, every open page of the workshop is told and disconnected."""
    _key(ws)
    ws.store.set_room_digest(None)


def room_is_open(ws: Workshop) -> bool:
    return ws.store.room_digest() is not None


def _key(ws: Workshop) -> str:
    access.check_facilitator_role(ws.role, "room.not_facilitator")
    # a server's workshop is served under its own key (the hub's room opens it by that key); a file by its stem
    key = ws.store.name if is_url(ws.location) else key_of(ws.store.name)
    if not KEY.match(key):
        raise UsageError("room.bad_key", key=key)
    return key


def _base(base: str | None) -> str:
    root = base or os.environ.get(ROOM_URL, "")
    if not root.startswith(("http://", "https://")):
        raise UsageError("room.no_room_url", name=ROOM_URL)
    return root.rstrip("/") + "/"
