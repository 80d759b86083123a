"""One live refresh for every open view in a process: widgets, participant pages, the room panel.

Why one: another kernel, a participant's page or the CLI writes to the same workshop; each
view must follow within a fraction of a second, and one view failing (a closed workshop, a
bug) must never stop the others. A view is anything with a ``store`` it reads, the
``version`` it last showed and a ``refresh()`` (see :class:`View`); :func:`register` keeps it
(weakly) until :func:`unregister` or until it is dropped.

How a view learns that its store moved: a store that pushes (``store.notifies``, PostgreSQL's
LISTEN/NOTIFY) calls back from its listener thread, and the refresh is handed to the event
loop with ``call_soon_threadsafe``; any other store (SQLite) is polled with one cheap
``version()`` query per store every :data:`INTERVAL` seconds by one task on the running loop
(a Jupyter kernel has one). Without a running loop (a script, a test) call :func:`poll`.
A view that shows a clock sets ``tick`` (seconds) and is refreshed that often as well.

A view whose refresh fails is logged and tried again at the next poll; after
:data:`MAX_FAILURES` failures in a row it is dropped. Other views never notice.

A server store can lose its connection (``store.connected`` is False; the store calls
``on_connection`` when that changes). Then every view of it is refreshed once: a session's
state says "reconnecting" in its ``connection`` key without reading the store, a
:class:`WorkshopView` keeps what it shows. When the store is back, every view of it is
refreshed again, so each shows the current state. A server that went away is a reason to
wait, never to drop a view.
"""
from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from .errors import StorageFailure
from .sessions.base import server_gone

if TYPE_CHECKING:
    from .store.abc import LiveStore
    from .workshop import Workshop

INTERVAL = 0.2  # seconds: a change elsewhere shows within ~0.2 s, well under the 1 s goal
MAX_FAILURES = 5
log = logging.getLogger(__name__)


class View(Protocol):
    """What the live refresh needs of an open view."""

    @property
    def store(self) -> LiveStore: ...

    @property
    def version(self) -> int: ...

    def refresh(self) -> None: ...


class WorkshopView:
    """A view that shows one workshop (``self.ws``) and redraws itself in :meth:`show`."""

    ws: Workshop
    version = -1

    @property
    def store(self) -> LiveStore:
        return self.ws.store

    def refresh(self) -> None:
        if not self.store.connected:  # nothing to read until the server is back (then refreshed again)
            return
        self.version = self.ws.version()  # read first: a change made meanwhile is seen next time
        self.show()

    def show(self) -> None:
        raise NotImplementedError


_views: weakref.WeakSet[Any] = weakref.WeakSet()
_failures: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
_ticked: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
_task: asyncio.Task[None] | None = None
_subscriptions: dict[int, tuple[LiveStore, Callable[[], None]]] = {}  # id(store) -> (store, unsubscribe)


def register(view: View) -> None:
    """Keep ``view`` in step with its store from now on."""
    _views.add(view)
    store = view.store
    if store.notifies:
        _subscribe(store)
    if getattr(view, "tick", None) or not store.notifies:
        start()


def unregister(view: View) -> None:
    _views.discard(view)
    for key, (store, unsubscribe) in list(_subscriptions.items()):
        if not any(v.store is store for v in list(_views)):
            del _subscriptions[key]
            unsubscribe()


def open_views() -> list[Any]:
    return list(_views)


def refresh(view: View) -> bool:
    """Refresh one view; a failure is logged, never raised (see :data:`MAX_FAILURES`)."""
    _ticked[view] = time.monotonic()
    try:
        view.refresh()
    except StorageFailure as exc:
        if not server_gone(exc):
            return _failed(view)
        log.info("live refresh of %r waits for the server to come back", view)
        return False
    except Exception:  # noqa: BLE001 - one failing view must never stop the others (_failed logs it)
        return _failed(view)
    _failures.pop(view, None)
    return True


def _failed(view: View) -> bool:
    """Count one failed refresh of ``view`` (logged); after MAX_FAILURES in a row it is dropped."""
    _failures[view] = failures = _failures.get(view, 0) + 1
    log.exception("live refresh of %r failed (%d in a row)", view, failures)  # called while handling it
    if failures >= MAX_FAILURES:
        log.error("%r no longer follows the workshop", view)
        unregister(view)
    return False


def _due(view: View, now: float) -> bool:
    """A view with a clock (``tick`` seconds) is due when its tick has passed."""
    tick = getattr(view, "tick", None)
    if not tick:
        return False
    return now - _ticked.get(view, 0.0) >= float(tick)


def poll(*, pushed: bool = False) -> int:
    """Refresh every view whose store moved since it last looked; returns how many were refreshed.

    ``pushed``: also check views on stores that notify (normally their callbacks do that).
    """
    versions: dict[int, int] = {}
    refreshed = 0
    now = time.monotonic()
    for view in list(_views):
        try:
            store = view.store
            if store.notifies and not pushed:
                stale = False
            elif not store.connected:
                stale = True  # refreshed without reading: a session says "reconnecting"
            else:
                if id(store) not in versions:
                    versions[id(store)] = store.version()
                stale = versions[id(store)] != view.version
        except Exception as exc:  # a closed or vanished workshop must not stop the others
            if server_gone(exc):
                stale = True  # the server went away: the refresh shows it, the view stays
            else:
                log.exception("live refresh could not read the version of %r; dropped", view)
                unregister(view)
                continue
        if (stale or _due(view, now)) and refresh(view):
            refreshed += 1
    return refreshed


def _moved(store: LiveStore, version: int) -> None:
    """Refresh the views of ``store`` that have not seen ``version`` (on the event loop's thread)."""
    for view in [v for v in list(_views) if v.store is store]:
        if view.version != version:
            refresh(view)


def _reconnected(store: LiveStore, connected: bool) -> None:
    """The store lost (False) or regained (True) its server: refresh every view of it once."""
    log.info("%r %s", store, "is connected again" if connected else "lost its server; reconnecting")
    for view in [v for v in list(_views) if v.store is store]:
        refresh(view)


def _subscribe(store: LiveStore) -> None:
    if id(store) in _subscriptions:
        return
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None

    def on_loop(callback: Callable[[LiveStore, Any], None], value: object) -> None:  # from the store's listener thread
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(callback, store, value)

    def notified(version: int) -> None:
        on_loop(_moved, version)

    def connection(connected: bool) -> None:
        on_loop(_reconnected, connected)

    _subscriptions[id(store)] = (store, store.subscribe(notified, connection))


async def run(interval: float = INTERVAL) -> None:
    """Poll until no polled or ticking view is left open."""
    global _task
    try:
        while any(getattr(v, "tick", None) or not v.store.notifies for v in list(_views)):
            poll()
            await asyncio.sleep(interval)
    finally:
        if _task is asyncio.current_task():
            _task = None


def start() -> asyncio.Task[None] | None:
    """Start the poller on the running event loop (a Jupyter kernel has one); no-op otherwise."""
    global _task
    if _task is not None and not _task.done():
        return _task
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    _task = loop.create_task(run())
    return _task
