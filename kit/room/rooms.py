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
disconnected. :class:`ServedWorkshops` opens such workshops on demand (the hub's room service), once a
page brings the token of a room its facilitator opened.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import agenda, facilitation, i18n, tokens
from ..errors import UsageError, WorkshopError
from ..store import room_digests
from ..widgets import module_for
from ..workshop import Workshop
from ..workshop import open as open_workshop
from .board import Board, board_for
from .limits import Quota
from .member import Member, Now
from .protocol import RoomError, dump
from .shared import SharedStore
from .steps import CANVAS_KEY, canvases_offered

if TYPE_CHECKING:
    from ..store.abc import WorkshopStore

POLL = 0.05  # seconds between version() queries of a SQLite workshop (a PostgreSQL one pushes)
SAFETY_POLL = 2.0  # seconds: a pushing store is still asked now and then (a lost notification)
KEY = re.compile(r"^[a-z0-9_-]{1,64}$")
#: Joined participants per workshop before the "room is full" page (``--max-participants``).
ROOM_SIZE = 400
#: Open sockets beyond the joined ones a workshop tolerates: pages that have not joined yet (each gets
#: kit.room.server's JOIN_WITHIN seconds to join).
UNJOINED_ALLOWANCE = 16
#: Seconds between two looks at which rooms a server's facilitators opened (one query for all keys).
DIRECTORY_AGE = 1.0
log = logging.getLogger(__name__)


@dataclass
class ServedWorkshop:
    """One workshop the room serves: its pages (members), token digest and watcher; ``key`` is its URL part
    (``<prefix>/w/<key>/``)."""

    key: str
    target: str
    token_digest: bytes | None  # None: the facilitator opens and closes the room (the digest in the store)
    max_members: int = ROOM_SIZE
    members: set[Member] = field(default_factory=set)
    ws: Workshop = field(init=False)
    version: int = field(default=-1, init=False)
    pending: bool = field(default=False, init=False)  # a fan-out is scheduled on the loop
    unsubscribe: Callable[[], None] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not KEY.match(self.key):
            raise RoomError("room.bad_key", key=self.key)
        opened = open_workshop(self.target, actor="participant-page", role="participant")
        self.shared = SharedStore(opened.store, self._writer_store)
        self.ws = Workshop(self.shared, actor="participant-page", role="participant")
        self.language = self.ws.language
        self.texts = i18n.texts("serve", self.language)
        self.checked = 0.0  # when the store was last asked for its version (time.monotonic)
        self.fanned = 0.0  # when the members last followed a change
        self.quotas: dict[str, Quota] = {}  # by participant: a second tab or a reconnect shares them
        self.boards: dict[str, Board] = {}  # the canvases pages follow by deltas (kit.room.board)
        self.opened = self.current_digest()  # the digest the connected pages were admitted with

    def _writer_store(self) -> WorkshopStore:
        """The store the room's writer thread writes participants' requests on (kit.room.shared)."""
        return open_workshop(self.target, actor="participant-page", role="participant").store

    def current_digest(self) -> bytes | None:
        if self.token_digest is not None:
            return self.token_digest
        stored = self.shared.room_digest()
        return bytes.fromhex(stored) if stored else None

    def admits(self, token: object) -> bool:
        wanted = self.current_digest()
        if wanted != self.opened:  # opened (again) since the last look: pages of an older link go
            self.closed(wanted)
        return tokens.matches(token, wanted)

    def closed(self, wanted: bytes | None) -> None:
        """The room was closed or opened with a new token: every page is told and disconnected."""
        self.opened = wanted
        message = i18n.t("room.closed", self.language)
        for member in list(self.members):
            member.send(dump("refused", message=message, ended=True))
            self.leave(member)

    @property
    def joined(self) -> int:
        return sum(1 for m in self.members if m.ws is not None)

    @property
    def full(self) -> bool:
        """Every place is taken by someone who joined (a page that only opened a socket takes none)."""
        return self.joined >= self.max_members

    @property
    def crowded(self) -> bool:
        """No socket more: full, or the sockets beyond the joined members past the small allowance."""
        return self.full or len(self.members) >= self.max_members + UNJOINED_ALLOWANCE

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
        offered = canvases_offered(self.ws) if step_id or live.get(CANVAS_KEY) else ()
        canvas = offered[0] if offered else None
        choices = []
        for canvas_id in offered:
            shown = self.ws.canvas(canvas_id)
            choices.append({"id": canvas_id, "title": shown.title, "module": module_for(shown.layout)})
        notice = "" if canvas else (self.texts["no_canvas"] if step_id else self.texts["no_step"])
        public = {"step": i18n.t("serve.step", self.language, title=title) if title else self.texts["no_step"],
                  "timer": facilitation.timer(self.ws), "canvas": canvas,
                  "module": choices[0]["module"] if choices else module_for(None), "notice": notice,
                  "choices": choices if len(choices) > 1 else []}
        return Now(canvas, public, time.time())

    def quota(self, name: str) -> Quota:
        return self.quotas.setdefault(name, Quota())

    def member_workshop(self, name: str) -> Workshop:
        """A participant's handle: their name and role on the room's one store connection."""
        return Workshop(self.shared, actor=name, role="participant")

    def board(self, canvas_id: str) -> Board:
        """A canvas as the pages see it, read once per version of the workshop."""
        board = self.boards.get(canvas_id)
        if board is None:
            board = self.boards[canvas_id] = board_for(self.ws.canvas(canvas_id))
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
            self.fanned = self.checked
            with self.shared.frozen(version):
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


class ServedWorkshops(dict[str, ServedWorkshop]):
    """The workshops one room process serves, by key; with ``server`` (a PostgreSQL URL without a workshop),
    any workshop of that server is opened when a page first brings the token its facilitator made.

    Unknown keys cost nothing and say nothing: which rooms are open (and their tokens' digests) is read
    with one query for all keys at most every :data:`DIRECTORY_AGE` seconds, so a wrong key or token opens
    no database connection and is answered like any other refusal."""

    def __init__(self, rooms: dict[str, ServedWorkshop] | None = None, server: str | None = None,
                 max_members: int = ROOM_SIZE) -> None:
        super().__init__(rooms or {})
        self.server, self.max_members = server, max_members
        self.on_open: Callable[[ServedWorkshop], None] | None = None  # the server starts watching it
        self._directory: dict[str, str] = {}
        self._read_at = -DIRECTORY_AGE

    def find(self, key: str, token: object) -> ServedWorkshop | None:
        """The room of ``key`` if ``token`` is its own, else None (the same for an unknown key)."""
        room = self.get(key)
        if room is not None:
            return room if room.admits(token) else None
        if not self.server or not KEY.match(key) or not tokens.matches(token, self._digest(key)):
            return None
        try:
            room = ServedWorkshop(key, f"{self.server}?workshop={key}", None, self.max_members)
        except WorkshopError:  # deleted meanwhile: refused like a wrong token, nothing kept
            log.info("room: no workshop %s on the server", key)
            return None
        self[key] = room
        if self.on_open is not None:
            self.on_open(room)
        return room if room.admits(token) else None

    def _digest(self, key: str) -> bytes | None:
        now = time.monotonic()
        if now - self._read_at >= DIRECTORY_AGE and self.server:
            self._read_at = now
            try:
                self._directory = room_digests(self.server)
            except WorkshopError:  # the server is away: what was known stays known
                log.warning("room: could not read which rooms are open")
        found = self._directory.get(key)
        return bytes.fromhex(found) if found else None
