"""The seams between the store and what uses it, stated as Protocols (as psycopg's ``abc.py`` does).

Two seams are implied elsewhere and written down here:

* :class:`LiveStore` is what a live view (kit.live, a session, a widget, the room) needs of a store:
  the version to compare, the live state and records to read, and how it learns about a change:
  ``notifies`` says whether ``subscribe`` pushes new versions (PostgreSQL) or the view polls
  ``version()`` (SQLite); ``connected`` is False while a server store reconnects. Every
  :class:`~kit.store.base.Store` is one, and so is the room's one shared connection
  (kit.room.shared.SharedStore).
* :class:`WorkshopHandle` is what a collection (and the JSON dump) needs of its workshop: the store it
  writes to, the actor it writes as, the workshop's own record. ``kit.Workshop`` is one; a collection
  never needs the Workshop class itself, so the store layer does not import the layer above it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .base import Store


class LiveStore(Protocol):
    """What a live view reads of its store, and how it hears of changes."""

    @property
    def notifies(self) -> bool:
        """True: ``subscribe`` pushes every new version; False: poll :meth:`version`."""
        ...

    @property
    def connected(self) -> bool:
        """False while a server store is reconnecting (a file is always there)."""
        ...

    def version(self) -> int: ...

    def live(self) -> dict[str, Any]: ...

    def all(self, kind: str, /, **where: Any) -> list[dict[str, Any]]: ...

    def get(self, kind: str, record_id: int) -> dict[str, Any] | None: ...

    def subscribe(self, callback: Callable[[int], None],
                  on_connection: Callable[[bool], None] | None = None) -> Callable[[], None]:
        """Call ``callback(version)`` after every commit anywhere (where ``notifies``); returns the
        unsubscribe function."""
        ...


class WorkshopHandle(Protocol):
    """What a collection needs of its workshop: where it writes, as whom, the workshop's record."""

    @property
    def store(self) -> Store: ...

    @property
    def actor(self) -> str: ...

    @property
    def info(self) -> dict[str, Any]: ...
