"""One store connection for a whole workshop room, with the live state read once per fan-out.

Why: 200 members each opening the workshop would hold 200 connections (a PostgreSQL server
counts them) and, at every change, each would read and decode the whole live table (step,
timer, controls and one roster entry per participant) -- work that grows with the square of
the room. Every member's Workshop runs on this one store instead (each with its own actor and
the participant role; the room runs on one thread, and the store has its own lock), and while
:meth:`SharedStore.frozen` is active the live table version and each record query are read once for all.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store.abc import WorkshopStore

#: The store's writes: each forgets what a request read (it may have changed the workshop record or live state).
WRITES = frozenset({"insert", "update", "delete", "set_live", "undo", "redo", "set_room_digest", "replace_table",
                    "save_snapshot", "set_id_counters"})


class SharedStore:
    """Delegates everything to ``store``; ``close()`` is the room's, not a member's.

    A :class:`kit.store.abc.LiveStore` (what kit.live and the room's watcher need) by its own methods;
    what else a Workshop asks of a store is the wrapped store's (``__getattr__``)."""

    def __init__(self, store: WorkshopStore) -> None:
        self._store = store
        self._live: dict[str, Any] | None = None
        self._version: int | None = None
        self._rows: dict[str, list[dict[str, Any]]] | None = None
        self._memo: dict[str, Any] | None = None  # within a request: the workshop record and live state read
        self._depth = 0  # transactions entered (nested ones join the outer one)

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
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
        if self._memo is not None:
            self._memo.clear()

    @contextmanager
    def request(self) -> Iterator[None]:
        """One page's request: the workshop record and live state are read once before its write transaction,
        once inside it and once after it (a write of either forgets them)."""
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    @contextmanager
    def transaction(self, who: str) -> Iterator[SharedStore]:
        """The store's transaction; what a request read before it is read again inside it (under the lock)."""
        with self._store.transaction(who):
            self._depth += 1
            if self._depth == 1:
                self._forget()
            try:
                yield self
            finally:
                self._depth -= 1
                if self._depth == 0:
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
        if self._live is not None:
            return dict(self._live)
        if self._memo is None:
            return dict(self._store.live())
        if "live" not in self._memo:
            self._memo["live"] = self._store.live()
        return dict(self._memo["live"])

    def all(self, kind: str, /, **where: Any) -> list[dict[str, Any]]:
        """Records of ``kind``; while frozen, each query is run once (copies for every caller)."""
        if self._rows is None:
            return list(self._store.all(kind, **where))
        key = repr((kind, sorted(where.items())))
        if key not in self._rows:
            self._rows[key] = self._store.all(kind, **where)
        return [dict(r) for r in self._rows[key]]

    def get(self, kind: str, record_id: int) -> dict[str, Any] | None:
        if self._rows is None:
            if self._memo is None or kind != "workshop":
                return self._store.get(kind, record_id)
            key = f"workshop {record_id}"
            if key not in self._memo:
                self._memo[key] = self._store.get(kind, record_id)
            found = self._memo[key]
            return dict(found) if found is not None else None
        key = repr(("get", kind, record_id))
        if key not in self._rows:
            found = self._store.get(kind, record_id)
            self._rows[key] = [found] if found is not None else []
        return dict(self._rows[key][0]) if self._rows[key] else None

    def version(self) -> int:
        return self._version if self._version is not None else int(self._store.version())

    @contextmanager
    def frozen(self, version: int | None = None) -> Iterator[None]:
        """Read the version (unless just read: ``version``), then the live state, once; every member's state
        reads these copies."""
        self._version = int(self._store.version()) if version is None else version  # first: a change made
        # meanwhile is seen next time
        self._live, self._rows = self._store.live(), {}
        try:
            yield
        finally:
            self._live = self._version = self._rows = None

    def close(self) -> None:
        """A member leaving must not close the room's connection (see :meth:`shut`)."""

    def shut(self) -> None:
        self._store.close()
