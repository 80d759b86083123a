"""One store connection for a whole workshop room, with the live state read once per fan-out.

Why: 200 members each opening the workshop would hold 200 connections (a PostgreSQL server
counts them) and, at every change, each would read and decode the whole live table (step,
timer, controls and one roster entry per participant) -- work that grows with the square of
the room. Every member's Workshop runs on this one store instead (each with its own actor and
the participant role; the room runs on one thread, and the store has its own lock), and while
:meth:`SharedStore.frozen` is active the live table version and each record query are read once for all.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..store.abc import WorkshopStore

#: The store's writes: each forgets what a request read (it may have changed the workshop record or live state).
WRITES = frozenset({"insert", "update", "delete", "set_live", "undo", "redo", "set_room_digest", "replace_table",
                    "save_snapshot", "set_id_counters"})
T = TypeVar("T")


class _Reads(threading.local):
    """One thread's store and what it read: the fan-out's frozen copies, a request's memo."""

    def __init__(self, store: WorkshopStore) -> None:
        self.store = store
        self.live: dict[str, Any] | None = None
        self.version: int | None = None
        self.rows: dict[str, list[dict[str, Any]]] | None = None
        self.memo: dict[str, Any] | None = None  # within a request: the workshop record and live state read
        self.depth = 0  # transactions entered (nested ones join the outer one)


class SharedStore:
    """Delegates everything to the store of the calling thread; ``close()`` is the room's, not a member's.

    A :class:`kit.store.abc.LiveStore` (what kit.live and the room's watcher need) by its own methods;
    what else a Workshop asks of a store is the wrapped store's (``__getattr__``). ``opener`` opens the
    writer thread's store (:meth:`write`), in that thread."""

    def __init__(self, store: WorkshopStore, opener: Callable[[], WorkshopStore] | None = None) -> None:
        self._store = store
        self._t = _Reads(store)
        self._writer_store: WorkshopStore | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._writing = False  # a write was handed to the writer thread
        if opener is not None:
            self._writer = ThreadPoolExecutor(1, "kit-room-writer", initializer=self._open_writer, initargs=(opener,))

    def _open_writer(self, opener: Callable[[], WorkshopStore]) -> None:
        self._writer_store = opener()
        self._t.store = self._writer_store  # this thread's (a threading.local)

    def write(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        """Run ``fn`` (a page's request) on the writer thread, one at a time in the order given; a future of the
        loop that calls. Without a writer thread: at once, here."""
        loop = asyncio.get_running_loop()
        if self._writer is None:
            done: asyncio.Future[T] = loop.create_future()
            with self.request():
                done.set_result(fn())
            return done

        def run() -> T:
            with self.request():
                return fn()
        self._writing = True
        return asyncio.wrap_future(self._writer.submit(run), loop=loop)

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._t.store, name)
        if name not in WRITES:
            return found

        @wraps(found)
        def write(*args: Any, **kwargs: Any) -> Any:
            self._forget()
            try:
                return found(*args, **kwargs)
            finally:
                self._forget()
        return write

    def _forget(self) -> None:
        if self._t.memo is not None:
            self._t.memo.clear()

    @contextmanager
    def request(self) -> Iterator[None]:
        """One page's request: the workshop record and live state are read once before its write transaction,
        once inside it and once after it (a write of either forgets them)."""
        self._t.memo = {}
        try:
            yield
        finally:
            self._t.memo = None

    @contextmanager
    def transaction(self, who: str) -> Iterator[SharedStore]:
        """The store's transaction; what a request read before it is read again inside it (under the lock)."""
        t = self._t
        with t.store.transaction(who):
            t.depth += 1
            if t.depth == 1:
                self._forget()
            try:
                yield self
            finally:
                t.depth -= 1
                if t.depth == 0:
                    self._forget()

    @property
    def notifies(self) -> bool:
        return self._store.notifies

    @property
    def connected(self) -> bool:
        return self._store.connected

    def subscribe(self, callback: Callable[[int], None],
                  on_connection: Callable[[bool], None] | None = None) -> Callable[[], None]:
        return self._store.subscribe(callback, on_connection)

    def live(self) -> dict[str, Any]:
        t = self._t
        if t.live is not None:
            return dict(t.live)
        if t.memo is None:
            return dict(t.store.live())
        if "live" not in t.memo:
            t.memo["live"] = t.store.live()
        return dict(t.memo["live"])

    def all(self, kind: str, /, **where: Any) -> list[dict[str, Any]]:
        """Records of ``kind``; while frozen, each query is run once (copies for every caller)."""
        t = self._t
        if t.rows is None:
            return list(t.store.all(kind, **where))
        key = repr((kind, sorted(where.items())))
        if key not in t.rows:
            t.rows[key] = t.store.all(kind, **where)
        return [dict(r) for r in t.rows[key]]

    def get(self, kind: str, record_id: int) -> dict[str, Any] | None:
        t = self._t
        if t.rows is None:
            if t.memo is None or kind != "workshop":
                return t.store.get(kind, record_id)
            key = f"workshop {record_id}"
            if key not in t.memo:
                t.memo[key] = t.store.get(kind, record_id)
            found = t.memo[key]
            return dict(found) if found is not None else None
        key = repr(("get", kind, record_id))
        if key not in t.rows:
            got = t.store.get(kind, record_id)
            t.rows[key] = [got] if got is not None else []
        return dict(t.rows[key][0]) if t.rows[key] else None

    def version(self) -> int:
        t = self._t
        return t.version if t.version is not None else int(t.store.version())

    @contextmanager
    def frozen(self, version: int | None = None) -> Iterator[None]:
        """Read the version (unless just read: ``version``), then the live state, once; every member's state
        reads these copies."""
        t = self._t
        t.version = int(t.store.version()) if version is None else version  # first: a change made meanwhile
        t.live, t.rows = t.store.live(), {}  # is seen next time
        try:
            yield
        finally:
            t.live = t.version = t.rows = None

    def close(self) -> None:
        """A member leaving must not close the room's connection (see :meth:`shut`)."""

    def _close_writer(self) -> None:
        if self._writer_store is not None:
            self._writer_store.close()

    def shut(self) -> None:
        """Close the room's stores: the writer thread's first (in that thread, after the writes queued)."""
        if self._writer is not None:
            if self._writing:  # the thread started (its first write opened its store)
                self._writer.submit(self._close_writer)
            self._writer.shutdown(wait=True)
        self._store.close()
