"""The seams between the store and what uses it, stated as Protocols (as psycopg's ``abc.py`` does).

Three seams are implied elsewhere and written down here:

* :class:`LiveStore` is what a live view (kit.live, a session, a widget, the room) needs of a store:
  the version to compare, the live state and records to read, and how it learns about a change:
  ``notifies`` says whether ``subscribe`` pushes new versions (PostgreSQL) or the view polls
  ``version()`` (SQLite); ``connected`` is False while a server store reconnects. Every
  :class:`~kit.store.base.Store` is one, and so is the room's one shared connection
  (kit.room.shared.SharedStore).
* :class:`WorkshopStore` is what a workshop (and whatever works through ``ws.store``) needs of its store:
  a live store that also writes, undoes, keeps snapshots and the room's digest. Every Store is one, and so
  is the room's shared connection, so a participant's Workshop runs on it with no cast.
* :class:`WorkshopHandle` is what a collection (and the JSON dump) needs of its workshop: the store it
  writes to, the actor it writes as, the workshop's own record. ``kit.Workshop`` is one; a collection
  never needs the Workshop class itself, so the store layer does not import the layer above it.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .base import Change, Revert


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


class WorkshopStore(LiveStore, Protocol):
    """What a workshop needs of its store: every :class:`~kit.store.base.Store` is one, and so is the room's
    one shared connection (kit.room.shared.SharedStore), which reads through a store of its own."""

    location: str  # what to show and what kit.open reopens: a file path, or a server URL without password

    @property
    def path(self) -> Path: ...

    @property
    def name(self) -> str: ...

    @property
    def folder(self) -> Path: ...

    def environment(self) -> dict[str, str]: ...

    def close(self) -> None: ...

    def transaction(self, who: str) -> AbstractContextManager[Any]: ...

    def count(self, kind: str) -> int: ...

    def ids(self, kind: str, wanted: list[int]) -> set[int]: ...

    def insert(self, kind: str, values: dict[str, Any], who: str, record_id: int | None = None) -> int: ...

    def delete(self, kind: str, record_id: int, who: str) -> None: ...

    def update(self, kind: str, record_id: int, values: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
               who: str, check: Callable[[dict[str, Any]], Any] | None = None) -> dict[str, Any]: ...

    def changes(self, since: int = 0, limit: int | None = None, who: str | None = None) -> list[Change]: ...

    def undo(self, who: str, check: Revert | None = None) -> list[Change]: ...

    def redo(self, who: str, check: Revert | None = None) -> list[Change]: ...

    def save_snapshot(self, name: str, data: dict[str, Any], who: str) -> None: ...

    def snapshots(self) -> list[dict[str, Any]]: ...

    def load_snapshot(self, name: str) -> dict[str, Any]: ...

    def set_live(self, key: str, value: Any) -> None: ...

    def meta(self) -> dict[str, str]: ...

    def set_room_digest(self, digest: str | None) -> None: ...

    def room_digest(self) -> str | None: ...


class WorkshopHandle(Protocol):
    """What a collection needs of its workshop: where it writes, as whom, the workshop's record."""

    @property
    def store(self) -> WorkshopStore: ...

    @property
    def actor(self) -> str: ...

    @property
    def info(self) -> dict[str, Any]: ...
