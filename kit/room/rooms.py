"""The workshops one room process serves, each with its members and one watcher.

Why one watcher per workshop: 200 pages must not each poll the store. The watcher notices a
new store version (PostgreSQL pushes it through LISTEN/NOTIFY, see ``store.subscribe``; a
SQLite file is asked for its ``version()`` every :data:`POLL` seconds, one cheap query),
computes the room line once (:class:`Now`: step, timer, canvas) and lets every member send
only what changed for its viewer: a board's notes as patches computed once per group of pages
that see the same (:mod:`kit.room.board`), other canvases by their session's ``changes()``.

Each workshop has its own participant token; only its SHA-256 digest is kept and a token is
compared with ``hmac.compare_digest``, so one workshop's token never opens another. The digest
is given at start (``--token-file``) or, for a room a facilitator opened (kit.room.links), read
from the workshop's store on every request; when it goes away or changes, every page is told and
disconnected. :class:`Hall` opens such workshops on demand (the hub's room service).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import agenda, facilitation, i18n
from ..errors import UsageError, WorkshopError
from ..workshop import Workshop
from ..workshop import open as open_workshop
from .board import Board
from .protocol import RoomError, dump
from .shared import SharedStore
from .steps import CANVAS_KEY, canvas_for

if TYPE_CHECKING:
    from .member import Member

POLL = 0.05  # seconds between version() queries of a SQLite workshop (a PostgreSQL one pushes)
SAFETY_POLL = 2.0  # seconds: a pushing store is still asked now and then (a lost notification)
KEY = re.compile(r"^[a-z0-9_-]{1,64}$")
#: Which widget module draws a canvas layout (kit/widgets/<module>.js, bundled with common.js).
MODULES = {"grid": "board", "value_proposition": "vpc", "touchpoint_map": "touchpoints"}
log = logging.getLogger(__name__)


def digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


@dataclass(frozen=True)
class Now:
    """What every page of a workshop shows besides its canvas; ``public`` travels as the ``room`` frame."""

    canvas: str | None
    public: dict[str, Any]  # compared with what a member sent last; the clock travels beside it
    server_now: float


@dataclass
class WorkshopRoom:
    """One workshop in the room: ``key`` is its URL part (``<prefix>/w/<key>/``)."""

    key: str
    target: str
    token_digest: bytes | None  # None: the facilitator opens and closes the room (the digest in the store)
    max_members: int = 400
    members: set[Member] = field(default_factory=set)
    ws: Workshop = field(init=False)
    version: int = field(default=-1, init=False)
    pending: bool = field(default=False, init=False)  # a fan-out is scheduled on the loop
    unsubscribe: Callable[[], None] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not KEY.match(self.key):
            raise RoomError("room.bad_key", key=self.key)
        opened = open_workshop(self.target, actor="participant-page", role="participant")
        self.shared = SharedStore(opened.store)
        self.ws = Workshop(self.shared, actor="participant-page", role="participant")  # type: ignore[arg-type]
        self.language = self.ws.language
        self.texts = i18n.texts("serve", self.language)
        self.checked = 0.0
        self.boards: dict[str, Board] = {}  # the canvases pages follow by deltas (kit.room.board)
        self.opened = self.current_digest()  # the digest the connected pages were admitted with

    def current_digest(self) -> bytes | None:
        if self.token_digest is not None:
            return self.token_digest
        stored = self.shared.room_digest()
        return bytes.fromhex(stored) if stored else None

    def admits(self, token: str | None) -> bool:
        wanted = self.current_digest()
        if wanted != self.opened:  # opened (again) since the last look: pages of an older link go
            self.closed(wanted)
        return wanted is not None and isinstance(token, str) and hmac.compare_digest(digest(token), wanted)

    def closed(self, wanted: bytes | None) -> None:
        """The room was closed or opened with a new token: every page is told and disconnected."""
        self.opened = wanted
        message = i18n.t("room.closed", self.language)
        for member in list(self.members):
            member.send(dump("refused", message=message, ended=True))
            self.leave(member)

    @property
    def full(self) -> bool:
        return len(self.members) >= self.max_members

    def hello(self) -> dict[str, Any]:
        """What a page needs before joining: its texts and the teams to choose from."""
        return {"language": self.language, "teams": list(self.ws.info["teams"]),
                "texts": {**self.texts, **i18n.texts("room", self.language)}}

    def now(self) -> Now:
        """The step, timer and canvas every member shows, read once per change."""
        live = self.ws.live
        step_id = live.get("step")
        try:
            title = agenda.step(step_id, self.language).title if step_id else ""
        except UsageError:  # an unknown step id: show it as it is
            title = step_id or ""
        canvas = canvas_for(self.ws) if step_id or live.get(CANVAS_KEY) else None
        layout = None
        if canvas is not None:
            layout = self.ws.canvas(canvas).layout
        notice = "" if canvas else (self.texts["no_canvas"] if step_id else self.texts["no_step"])
        public = {"step": i18n.t("serve.step", self.language, title=title) if title else self.texts["no_step"],
                  "timer": facilitation.timer(self.ws),
                  "canvas": canvas, "module": MODULES.get(layout or ""), "notice": notice}
        return Now(canvas, public, time.time())

    def member_workshop(self, name: str) -> Workshop:
        """A participant's handle: their name and role on the room's one store connection."""
        return Workshop(self.shared, actor=name, role="participant")  # type: ignore[arg-type]

    def board(self, canvas_id: str) -> Board:
        """A canvas as the pages see it, read once per version of the workshop."""
        board = self.boards.get(canvas_id)
        if board is None:
            board = self.boards[canvas_id] = Board(self.ws.canvas(canvas_id))
        return board.at(self.ws.version())

    def refresh(self, member: Member) -> None:
        """One member sends what changed for it now (a resync), the others at the next change."""
        with self.shared.frozen():
            member.follow(self.now())

    def fan_out(self, force: bool = False) -> int:
        """If the workshop moved (or ``force``), every member sends what changed; returns the version."""
        self.checked = time.monotonic()
        version = self.ws.version()
        if version == self.version and not force:
            for member in [m for m in self.members if m.result]:  # a request that changed nothing: its answer
                self.refresh(member)
            return version
        self.version = version
        if self.token_digest is None and self.current_digest() != self.opened:
            self.closed(self.current_digest())
        if self.members:
            with self.shared.frozen():
                now = self.now()
                for member in list(self.members):
                    try:
                        member.follow(now)
                    except Exception:  # one broken page must never stop the others
                        log.exception("room %s: a member could not follow; closed", self.key)
                        self.leave(member)
        return version

    def leave(self, member: Member) -> None:
        self.members.discard(member)
        member.close()

    def close(self) -> None:
        for member in list(self.members):
            self.leave(member)
        if self.unsubscribe is not None:
            self.unsubscribe()
        self.shared.shut()


class Hall(dict[str, WorkshopRoom]):
    """The rooms of one process by key; with ``server`` (a PostgreSQL URL without a workshop), any workshop of
    that server is opened when a page first asks for it, and admits whoever holds the token its facilitator made."""

    def __init__(self, rooms: dict[str, WorkshopRoom] | None = None, server: str | None = None,
                 max_members: int = 400) -> None:
        super().__init__(rooms or {})
        self.server, self.max_members = server, max_members
        self.on_open: Callable[[WorkshopRoom], None] | None = None  # the server starts watching it

    def find(self, key: str) -> WorkshopRoom | None:
        room = self.get(key)
        if room is None and self.server and KEY.match(key):
            try:
                room = WorkshopRoom(key, f"{self.server}?workshop={key}", None, self.max_members)
            except WorkshopError:  # no such workshop: refused like a wrong token, nothing kept
                log.info("room: no workshop %s on the server", key)
                return None
            self[key] = room
            if self.on_open is not None:
                self.on_open(room)
        return room
