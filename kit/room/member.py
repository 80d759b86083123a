"""One participant's page on the Python side: who joined, their workshop handle and canvas session.

Why no kernel: a page only needs its viewer's state and a way to ask for changes, which is
exactly a kit.sessions session (participant role, kit.access inside every write). The room
hands each frame to :meth:`Member.receive` and each workshop change to :meth:`Member.follow`;
the member answers with frames through ``send`` (never raising: a refusal is a frame too).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .. import i18n, roster
from ..errors import WorkshopError
from ..sessions import CanvasSession, TouchpointSession, for_canvas
from .board import View, encode
from .protocol import RateLimit, RoomError, dump, parse

if TYPE_CHECKING:
    from ..workshop import Workshop
    from .board import Board
    from .limits import Quota

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Write:
    """A page's request for the room's writer thread: ``apply`` it there, then ``done`` with its result on the
    loop (True: it may have changed the workshop, the room fans out)."""

    apply: Callable[[], dict[str, Any]]
    done: Callable[[dict[str, Any]], bool]


@dataclass(frozen=True)
class Now:
    """What every page of a workshop shows besides its canvas; ``public`` travels as the ``room`` frame."""

    canvas: str | None
    public: dict[str, Any]  # compared with what a member sent last; the clock travels beside it
    server_now: float


class Host(Protocol):
    """What a member needs of the room of its workshop (kit.room.rooms): the room's language and workshop
    handle, a handle for one participant, and what every page shows now."""

    @property
    def language(self) -> str: ...

    @property
    def ws(self) -> Workshop: ...

    def member_workshop(self, name: str) -> Workshop: ...

    def now(self) -> Now: ...

    @property
    def full(self) -> bool:
        """No place left for another joined participant."""
        ...

    @property
    def max_members(self) -> int: ...

    def quota(self, name: str) -> Quota:
        """The quotas of the participant ``name`` (kit.room.limits)."""
        ...

    def board(self, canvas_id: str) -> Board:
        """A canvas as the pages see it now (kit.room.board)."""
        ...

    def refresh(self, member: Member) -> None:
        """Send ``member`` what changed for it now (after a resync)."""
        ...


class Member:
    """The Python side of one WebSocket: join, then one canvas session at a time (``gen`` counts them)."""

    def __init__(self, room: Host, send: Callable[[str], None],
                 hangup: Callable[[], None] = lambda: None) -> None:
        self.room, self.send, self.hangup = room, send, hangup
        self.limit = RateLimit()
        self.ws: Workshop | None = None
        self.name = self.team = ""
        self.session: CanvasSession | None = None
        self.canvas_id: str | None = None
        self.picked: str | None = None  # a canvas the step offers that this participant switched to
        self.gen = 0
        self._room_sent: dict[str, Any] | None = None
        self.view: View | None = None  # a board followed by deltas shared with the member's group (kit.room.board)
        self.result: dict[str, Any] = {}  # the answer to the last request, sent with the change it made

    @property
    def language(self) -> str:
        return self.room.language

    # ------------------------------------------------------------------ from the page
    def receive(self, frame: str | bytes) -> bool | Write:
        """Handle one frame; True if it may have changed the workshop (the room then fans out), a :class:`Write`
        if a request is to be applied (on the room's writer thread)."""
        try:
            if not self.limit.allow():
                raise RoomError("room.too_fast")
            message = parse(frame)
            kind = message["t"]
            if kind == "ping":
                self.send(dump("pong"))
                return False
            if kind == "join":
                return self.join(message["name"], message["team"], message.get("secret"))
            if kind == "set":
                return self.set(message["gen"], message["values"])
            if kind == "msg":
                self.message(message["gen"], message.get("content"))
            if kind == "pick":
                self.pick(message["canvas"])
        except RoomError as exc:
            self.send(dump("refused", message=exc.render(self.language)))
        return False

    def message(self, gen: int, content: Any) -> None:
        """An anywidget custom message from the widget: ``{"t": "resync"}`` (it missed a patch) is the one known."""
        if self.session is None or gen != self.gen:
            return  # an older widget's: nothing to answer
        if not isinstance(content, dict) or content.get("t") != "resync":
            raise RoomError("room.malformed", problem="unknown custom message")
        self.resync()
        self.room.refresh(self)

    def pick(self, canvas_id: str) -> None:
        """Switch to another canvas the step offers now (the page's tabs); any other is refused in one line."""
        if self.ws is None:
            raise RoomError("room.not_joined")
        now = self.room.now()
        offered = [choice["title"] for choice in now.public["choices"]]
        if canvas_id not in [choice["id"] for choice in now.public["choices"]]:
            raise RoomError("room.not_offered", offered=", ".join(offered) or "-")
        self.picked = canvas_id
        self.room.refresh(self)

    def join(self, name: str, team: str, secret: str | None = None) -> bool:
        """Register (again, after a reconnect, with the page's participant secret) and show the room;
        a refusal is told, never raised. One join per socket: a page that wants another name reloads."""
        if self.ws is not None:
            raise RoomError("room.joined_once")
        try:
            if self.room.full:
                raise RoomError("room.full", max=self.room.max_members)
            entry = roster.join(self.room.ws, name, team, secret)
        except WorkshopError as exc:
            self.send(dump("refused", message=f"{i18n.t('serve.error', self.language)} {exc.render(self.language)}",
                           field="join"))
            return False
        self.name, self.team = entry["name"], entry["team"]
        self.ws = self.room.member_workshop(self.name)
        who = i18n.t("serve.joined_as", self.language, name=self.name, team=self.team)
        self.send(dump("joined", who=who, name=self.name, team=self.team, secret=entry["secret"]))
        self._close_session()  # joining (again) sends everything again
        self.canvas_id, self._room_sent = None, None
        self.follow(self.room.now())
        return True

    def set(self, gen: int, values: dict[str, Any]) -> bool | Write:
        """The page's model saved ``values``: a request (a :class:`Write`, applied through the session within the
        participant's quotas) or a writable key."""
        if self.ws is None:
            raise RoomError("room.not_joined")
        session = self.session
        if session is None or gen != self.gen:
            raise RoomError("room.no_widget")
        result: dict[str, Any] = {}
        request: dict[str, Any] | None = None
        for key, value in values.items():
            if key == "request" and isinstance(value, dict):
                request = value
            elif key in session.writable:
                try:
                    session.receive(key, value)
                except WorkshopError as exc:
                    result = {"error": session.explain(exc)}
            else:
                raise RoomError("room.not_settable", name=key)
        if request is not None:
            try:
                self.room.quota(self.name).check(request)
            except RoomError as exc:  # past a quota (kit.room.limits): refused in one line
                result = {"ack": str(request.get("nonce", "")), "error": exc.render(self.language)}
            else:
                wanted = request
                return Write(lambda: session.apply(wanted), lambda result: self._answer(session, result))
        return self._answer(session, result)

    def _answer(self, session: CanvasSession, result: dict[str, Any]) -> bool:
        """Answer a request: at once if it changed nothing, else with the change it made (True)."""
        if session is not self.session:  # the page left or moved on meanwhile: the others follow the change
            return True
        if result.get("error") or not result:  # nothing changed: the answer alone (and what changed meanwhile)
            self._send_state({**(session.changes() if self.view is None else {}), **result})
            return False
        self.result = result  # sent with the change, when the room follows it (at once, for everyone)
        return True

    # ------------------------------------------------------------------ from the workshop
    def follow(self, now: Now) -> None:
        """Send what changed: the room line (step, timer, canvas) and the canvas state."""
        if self.ws is None:
            return
        public, canvas = now.public, now.canvas
        picked = next((c for c in public["choices"] if c["id"] == self.picked), None)
        if picked is not None:  # the participant's pick among the canvases the step offers
            public, canvas = {**public, "canvas": picked["id"], "module": picked["module"]}, picked["id"]
        if canvas != self.canvas_id or (canvas and self.session is None):
            self._open(canvas)
        if public != self._room_sent:
            self._room_sent = public
            self.send(dump("room", gen=self.gen, server_now=now.server_now, **public))
        if self.session is not None:
            self._follow_state()

    def _follow_state(self) -> None:
        extra, self.result = self.result, {}
        session, view = self.session, self.view
        if session is None:
            return
        if view is None:
            values = {**session.changes(), **extra}
            if values:
                self._send_state(values)
            return
        if not self.room.ws.store.connected:  # what the page shows stays, marked stale; the whole list afterwards
            values = {k: v for k, v in session.reconnecting().items() if view.sent.get(k) != v}
            view.sent.update(values)
            view.sync = None
            if values or extra:
                self._send_state({**values, **extra})
            return
        if not view.sent:
            extra = {**session.fixed(), **extra}  # labels, areas, ...: once per canvas
        values, group, key = view.follow(self.room.board(session.canvas.id), session.viewer(), extra)
        if not values:
            return
        if key is None:
            self._send_state(values)
        else:
            body = group.frame(key, lambda: encode(values))
            self.send(f'{{"t":"state","gen":{self.gen},"values":{body}}}')

    def resync(self) -> None:
        """The page missed a patch: the next frame carries the whole lists."""
        if self.session is not None:
            self.session.resync()
        if self.view is not None:
            self.view.sync = None

    def _open(self, canvas_id: str | None) -> None:
        self._close_session()
        self.canvas_id = canvas_id
        self.gen += 1
        self._room_sent = None
        self.view = None
        if canvas_id is not None and self.ws is not None:
            self.session = for_canvas(self.ws, canvas_id, participant=self.name, team=self.team)
            if type(self.session) in (CanvasSession, TouchpointSession) and self.session.participant:
                self.view = View()

    def _send_state(self, values: dict[str, Any]) -> None:
        self.send(dump("state", gen=self.gen, values=values))

    def _close_session(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def close(self) -> None:
        """Leave the room: the session and workshop handle close, and so does the socket."""
        self.hangup()
        self._close_session()
        self.ws = None  # on the room's shared store: nothing of its own to close
