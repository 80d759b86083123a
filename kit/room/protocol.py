"""The room's WebSocket protocol: JSON text frames, checked before anything touches a workshop.

Why a module of its own: every frame a browser sends is untrusted input. It is measured
(:data:`MAX_FRAME`), rate limited per connection (:class:`RateLimit`, a token bucket) and
parsed into one of a few shapes (:func:`parse`); anything else is refused with a
:class:`RoomError` whose one-line message goes back to that page only.

Page -> room: ``{"t": "join", "name", "team", "secret"?}`` (``secret``: what an earlier ``joined``
gave), ``{"t": "set", "gen", "values": {trait: value}}`` (the anywidget model's ``save_changes``;
``request`` is the widget handshake of kit.widgets.base), ``{"t": "msg", "gen", "content"}`` (the model's
``send``: ``{"t": "resync"}`` when the page missed a patch), ``{"t": "pick", "canvas"}`` (switch to another
canvas the step offers), ``{"t": "ping"}``. Room -> page: ``hello`` (texts, teams), ``joined`` (name, team, the
participant's secret), ``room`` (step, timer, canvas, ``choices``: the canvases the step offers, if several),
``state`` (``gen``: which widget; ``values``: only what changed, the item lists as one ``patch`` with
``base`` and ``version``, kit.sessions.delta), ``refused`` (``message``), ``pong``.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import WorkshopError

MAX_FRAME = 512 * 1024  # bytes: a 100,000-character note of 4-byte characters still fits
#: Frames above this are cut by tornado itself (the socket closes with 1009; the page reconnects).
HARD_FRAME = 2 * MAX_FRAME
KINDS = ("join", "set", "msg", "ping", "pick")


class RoomError(WorkshopError):
    """A frame the room refuses; the message (texts ``room.*``) goes back to the page."""

    code = "room.malformed"


@dataclass
class RateLimit:
    """A token bucket: ``burst`` frames at once, then ``rate`` per second."""

    rate: float = 20.0
    burst: float = 40.0
    tokens: float = field(default=-1.0)  # -1: full at the first frame
    stamp: float | None = None

    def allow(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        elapsed = 0.0 if self.stamp is None else max(0.0, now - self.stamp)
        self.tokens = self.burst if self.tokens < 0 else min(self.burst, self.tokens + elapsed * self.rate)
        self.stamp = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


def parse(frame: str | bytes) -> dict[str, Any]:
    """One frame as a message dict, or :class:`RoomError` naming what is wrong."""
    size = len(frame.encode("utf-8", "surrogatepass") if isinstance(frame, str) else frame)
    if size > MAX_FRAME:
        raise RoomError("room.too_big", size=size, limit=MAX_FRAME)
    if isinstance(frame, bytes):
        raise RoomError("room.malformed", problem="binary frame")
    try:
        message = json.loads(frame)
    except (ValueError, RecursionError):
        raise RoomError("room.malformed", problem="not JSON") from None
    if not isinstance(message, dict) or message.get("t") not in KINDS:
        raise RoomError("room.malformed", problem="no known 't'")
    if message["t"] == "set" and not (isinstance(message.get("values"), dict) and isinstance(message.get("gen"), int)):
        raise RoomError("room.malformed", problem="'set' needs 'gen' and 'values'")
    if message["t"] == "msg" and not isinstance(message.get("gen"), int):
        raise RoomError("room.malformed", problem="'msg' needs 'gen'")
    if message["t"] == "pick" and not isinstance(message.get("canvas"), str):
        raise RoomError("room.malformed", problem="'pick' needs 'canvas'")
    if message["t"] == "join" and not (all(isinstance(message.get(k), str) for k in ("name", "team"))
                                       and isinstance(message.get("secret", ""), (str, type(None)))):
        raise RoomError("room.malformed", problem="'join' needs 'name' and 'team'")
    return message


def dump(kind: str, **values: Any) -> str:
    """A frame for the page (NUL and any other character survive JSON as they are)."""
    return json.dumps({"t": kind, **values}, ensure_ascii=False, separators=(",", ":"))
