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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store.abc import WorkshopStore


class SharedStore:
    """Delegates everything to ``store``; ``close()`` is the room's, not a member's.

    A :class:`kit.store.abc.LiveStore` (what kit.live and the room's watcher need) by its own methods;
    what else a Workshop asks of a store is the wrapped store's (``__getattr__``)."""

    def __init__(self, store: WorkshopStore) -> None:
        self._store = store
        self._live: dict[str, Any] | None = None
        self._version: int | None = None
        self._rows: dict[str, list[dict[str, Any]]] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

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
        return dict(self._live) if self._live is not None else dict(self._store.live())

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
            return self._store.get(kind, record_id)
        key = repr(("get", kind, record_id))
        if key not in self._rows:
            found = self._store.get(kind, record_id)
            self._rows[key] = [found] if found is not None else []
        return dict(self._rows[key][0]) if self._rows[key] else None

    def version(self) -> int:
        return self._version if self._version is not None else int(self._store.version())

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Read the version, then the live state, once; every member's state reads these copies."""
        self._version = int(self._store.version())  # first: a change made meanwhile is seen next time
        self._live, self._rows = self._store.live(), {}
        try:
            yield
        finally:
            self._live = self._version = self._rows = None

    def close(self) -> None:
        """A member leaving must not close the room's connection (see :meth:`shut`)."""

    def shut(self) -> None:
        self._store.close()
