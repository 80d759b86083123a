"""A small room client for the tests and the bench: a page without a browser, over tornado's WebSocket.

It keeps what a page keeps: the texts, who it joined as, the room line and the widget state of
the current ``gen`` (merged from ``state`` frames, their item ``patch`` applied as the page does,
kit.sessions.delta), and every refusal it was told. A patch it cannot apply (a gap) makes it ask
for a resync, as the page does; ``drop_next`` lets a test lose one on purpose.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tornado.websocket import WebSocketClientConnection, websocket_connect

import kit
from kit import facilitation
from kit.room.rooms import ServedWorkshop, ServedWorkshops
from kit.room.server import RoomServer
from kit.sessions import delta
from kit.tokens import digest


def room_workshop(path: Path, teams: tuple[str, ...] = ("Blue", "Green"), step: str = "07_plan") -> Path:
    """A new workshop at ``path`` with ``teams``, its agenda at ``step`` (07_plan: the idea board)."""
    with kit.new(path, title="Room", language="en", actor="fac", teams=list(teams)) as ws:
        facilitation.set_step(ws, step)
    return path


class Client:
    def __init__(self, url: str, compress: bool = True, light: bool = False) -> None:
        self.url, self.compress = url, compress
        self.light = light  # the bench's thousands of pages: check versions and note what arrived, keep no lists
        self.conn: WebSocketClientConnection | None = None
        self.hello: dict[str, Any] = {}
        self.joined: dict[str, Any] = {}
        self.room: dict[str, Any] = {}
        self.state: dict[str, Any] = {}
        self.refused: list[str] = []
        self.seen: dict[str, float] = {}  # note text -> when this client first had it (monotonic)
        self.frames = 0
        self.received = 0  # bytes of frames, as sent (before any compression)
        self.resyncs = 0
        self.drop_next = False  # lose the next patch (a test of the gap)
        self.closed = False
        self._changed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> Client:
        self.conn = await websocket_connect(self.url, max_message_size=8 * 1024 * 1024,
                                            compression_options={} if self.compress else None)  # as browsers do
        self._reader = asyncio.get_running_loop().create_task(self._read())
        try:
            await self.until(lambda c: bool(c.hello), 10)
        except BaseException:
            await self.close()  # a failed connect leaves no socket open either
            raise
        return self

    async def _read(self) -> None:
        assert self.conn is not None
        while True:
            frame = await self.conn.read_message()
            if frame is None:
                self.closed = True
                self._changed.set()
                return
            self.frames += 1
            self.received += len(frame.encode() if isinstance(frame, str) else frame)
            msg = json.loads(frame)
            kind = msg.pop("t")
            if kind == "hello":
                self.hello = msg
            elif kind == "joined":
                self.joined = msg
            elif kind == "room":
                if msg["gen"] != self.room.get("gen"):
                    self.state = {}
                self.room = msg
            elif kind == "state" and msg["gen"] == self.room.get("gen"):
                patch = msg["values"].pop("patch", None)
                self.state.update(msg["values"])
                if patch is not None:
                    self._patch(msg["gen"], patch)
            elif kind == "refused":
                self.refused.append(msg["message"])
            self._changed.set()

    def _patch(self, gen: int, patch: dict[str, Any]) -> None:
        if self.drop_next and not patch.get("full"):
            self.drop_next = False
            return
        if self.light and (patch.get("full") or patch.get("base") == self.state.get("patch_version")):
            self.state["patch_version"] = patch["version"]
        elif self.light or not delta.apply(self.state, patch):
            self.resyncs += 1
            asyncio.get_running_loop().create_task(self.send({"t": "msg", "gen": gen, "content": {"t": "resync"}}))
            return
        now = time.monotonic()
        for item in (patch["items"] if patch.get("full") else patch.get("items", {}).get("put", ())):
            self.seen.setdefault(item.get("text", ""), now)

    async def send(self, message: Any) -> None:
        assert self.conn is not None
        await self.conn.write_message(message if isinstance(message, (str, bytes)) else json.dumps(message),
                                      binary=isinstance(message, bytes))

    async def join(self, name: str, team: str, timeout: float = 10) -> None:
        await self.send({"t": "join", "name": name, "team": team})
        await self.until(lambda c: bool(c.joined) or bool(c.refused), timeout)

    async def request(self, op: str, **payload: Any) -> dict[str, Any]:
        nonce = f"{op}-{time.monotonic_ns()}"
        await self.send({"t": "set", "gen": self.room["gen"], "values": {"request": {"op": op, "nonce": nonce,
                                                                                      **payload}}})
        await self.until(lambda c: c.state.get("ack") == nonce, 30)
        return self.state

    async def until(self, condition: Callable[[Client], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self):
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise AssertionError(f"client {self.joined.get('name')!r}: condition not met within {timeout} s")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):  # the loop checks the deadline
                await asyncio.wait_for(self._changed.wait(), left)

    def wire(self) -> tuple[int, int]:
        """Bytes received as messages and on the wire (after permessage-deflate), as tornado counts them."""
        protocol: Any = self.conn.protocol if self.conn is not None else None
        return (getattr(protocol, "_message_bytes_in", 0), getattr(protocol, "_wire_bytes_in", 0))

    def texts(self) -> list[str]:
        return [i["text"] for i in self.state.get("items", [])]

    async def close(self) -> None:
        """Close the socket and wait until it is closed on both ends (nothing is left open)."""
        protocol = self.conn.protocol if self.conn is not None else None
        if self.conn is not None:
            self.conn.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 10)  # the room answers the close; the reader then ends
            except TimeoutError:
                self._reader.cancel()
        stream = getattr(protocol, "stream", None)
        if stream is not None and not stream.closed():
            stream.close()  # a busy room that did not answer the close in time: the socket goes all the same


async def hang_up(conn: WebSocketClientConnection) -> None:
    """Close a bare tornado WebSocket and wait until the server's answer has closed its socket: one left for
    ``asyncio.run`` to end under stays open (tornado keeps it beside the closed loop) and fails the test."""
    stream = conn.protocol.stream if conn.protocol is not None else None  # None: hung up before
    conn.close()
    while stream is not None and not stream.closed():
        await conn.read_message()  # what was still on its way, then None once the socket is closed


@contextmanager
def running_room(workshops: dict[str, tuple[str | Path, str | None]], base_url: str = "/",
                 max_members: int = 400, server: str | None = None) -> Iterator[tuple[str, RoomServer]]:
    """A room in a thread of this process on a free 127.0.0.1 port; yields (base URL, server).

    A token None: the facilitator opens and closes that room (kit.room.open_room); ``server``: any
    workshop of that PostgreSQL server, on demand."""
    started = threading.Event()
    box: dict[str, Any] = {}

    def run() -> None:
        async def main() -> None:
            hall = ServedWorkshops({k: ServedWorkshop(k, str(t), digest(tok) if tok else None, max_members)
                         for k, (t, tok) in workshops.items()}, server, max_members)
            room = RoomServer(hall, base_url)
            box["port"], box["server"] = room.listen(0, "127.0.0.1"), room
            box["stop"] = stop = asyncio.Event()
            box["loop"] = asyncio.get_running_loop()
            started.set()
            await stop.wait()
            room.stop()

        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread, which raises it
            box["error"] = exc
            started.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(30), "the room did not start"
    if "error" in box:
        raise box["error"]
    prefix = box["server"].app.settings["kit_prefix"]
    try:
        yield f"127.0.0.1:{box['port']}{prefix}", box["server"]
    finally:
        box["loop"].call_soon_threadsafe(box["stop"].set)
        thread.join(30)


def http_get(url: str) -> tuple[int, str]:
    """Status and body of a GET (an error status too, with its page)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return int(r.status), r.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:  # the error is the response: close its socket
            return exc.code, exc.read().decode()
