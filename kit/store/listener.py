"""Live changes without polling: one LISTEN connection per process and database, shared by all workshops.

Contract for live views (widgets, the room)::

    unsubscribe = store.subscribe(on_version, on_connection)   # only if store.notifies
    on_version(version: int)        # after every commit to this workshop, from any process
    on_connection(connected: bool)  # False: show "reconnecting"; True: connected again
    store.connected                 # the same state, to read at any time

Both callbacks run on the listener's thread (hand them to your event loop). A commit sends
``NOTIFY workshop_kit, '<key> <version>'`` (kit.store.postgres), nothing else: a view re-reads
its state from the store. When the connection drops, ``on_connection(False)`` is called, the
listener reconnects (every ``RETRY`` seconds), calls ``on_connection(True)`` and then every
``on_version`` once with the workshop's current version, so nothing committed meanwhile is missed.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg

from .base import Store
from .url import CHANNEL, CONNECT_TIMEOUT, SCHEMA_PREFIX, ServerURL

RETRY = 0.25  # seconds between reconnection attempts
log = logging.getLogger(__name__)

_Subscriber = tuple[Callable[[int], None], Callable[[bool], None] | None]
_listeners: dict[str, Listener] = {}
_registry_lock = threading.Lock()


class Listener:
    """One thread holding one LISTEN connection; dispatches each notification to its workshop's subscribers."""

    def __init__(self, url: ServerURL) -> None:
        self.url = url
        self.connected = False
        self._subs: dict[str, list[_Subscriber]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def subscribe(self, key: str, callback: Callable[[int], None],
                  on_connection: Callable[[bool], None] | None = None) -> Callable[[], None]:
        entry: _Subscriber = (callback, on_connection)
        with self._lock:
            self._subs.setdefault(key, []).append(entry)
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name="kit-listener", daemon=True)
                self._thread.start()
        self._ready.wait(CONNECT_TIMEOUT)  # a commit right after subscribing is not missed

        def unsubscribe() -> None:
            with self._lock:
                subs = self._subs.get(key, [])
                if entry in subs:
                    subs.remove(entry)
        return unsubscribe

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # ------------------------------------------------------------------ the thread
    def _run(self) -> None:
        reconnected = False
        while not self._stop.is_set():
            try:
                conn = psycopg.connect(self.url.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                       keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=2)
            except psycopg.Error:
                self._stop.wait(RETRY)
                continue
            try:
                with conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._set_connected(True, announce=reconnected)
                    if reconnected:
                        self._refresh_all(conn)
                    self._ready.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            key, _, version = note.payload.rpartition(" ")
                            self._dispatch(key, int(version))
            except psycopg.Error:
                log.info("workshop listener lost its connection to %s; reconnecting", self.url.server)
            if not self._stop.is_set():
                self._set_connected(False)
                reconnected = True

    def _subscribers(self, key: str | None = None) -> list[tuple[str, _Subscriber]]:
        with self._lock:
            return [(k, s) for k, subs in self._subs.items() if key in (None, k) for s in subs]

    def _dispatch(self, key: str, version: int) -> None:
        for _, (callback, _) in self._subscribers(key):
            _call(callback, version)

    def _set_connected(self, connected: bool, announce: bool = True) -> None:
        if connected == self.connected:
            return
        self.connected = connected
        if not announce:  # the first connection is no news
            return
        for _, (_, on_connection) in self._subscribers():
            if on_connection is not None:
                _call(on_connection, connected)

    def _refresh_all(self, conn: psycopg.Connection[Any]) -> None:
        """After a reconnect: every subscriber once, with its workshop's current version."""
        versions: dict[str, int] = {}
        for key, (callback, _) in self._subscribers():
            if key not in versions:
                sql = Store._VERSION_SQL
                for table in ("changes", "live", "meta"):  # every table the version reads, in that workshop's schema
                    sql = sql.replace(f"FROM {table}", f'FROM "{SCHEMA_PREFIX}{key}".{table}')
                try:
                    row = conn.execute(sql).fetchone()
                except psycopg.errors.UndefinedTable:  # the workshop was deleted meanwhile
                    continue
                versions[key] = int(row[0]) if row else 0
            _call(callback, versions[key])


def _call(callback: Callable[[Any], None], value: Any) -> None:
    try:
        callback(value)
    except Exception:  # a broken view must not stop the others from hearing about changes
        log.exception("live-change callback %r failed", callback)


def listener(url: ServerURL) -> Listener:
    """The one listener of this process for ``url``'s database."""
    with _registry_lock:
        found = _listeners.get(url.conninfo)
        if found is None:
            found = _listeners[url.conninfo] = Listener(ServerURL(url.conninfo, url.server, url.user,
                                                                  url.database, None))
        return found
