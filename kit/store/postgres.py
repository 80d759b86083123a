"""Workshops on a PostgreSQL server: many workshops in one database, one schema each.

Why a schema per workshop (and not a workshop-key column): the tables and every statement stay
exactly those of the SQLite file (``kit/store/base.py``), record ids count from 1 in each
workshop as they do in a file, so ``kit copy`` keeps every id, and no query can mix two
workshops up, because each connection's ``search_path`` names one schema. Deleting a workshop
is ``DROP SCHEMA``, renaming is ``ALTER SCHEMA``. A schema is ours only if its comment says
``workshop-kit`` (the server's equivalent of the SQLite file's application id).

Semantics match the file: a write transaction first takes a per-workshop advisory lock, so
writers of one workshop take turns as ``BEGIN IMMEDIATE`` makes them in SQLite, and a budget
check or an undo sees the latest state. Before COMMIT it sends ``NOTIFY workshop_kit`` with
``"<key> <version>"`` only (see :mod:`kit.store.listener`). Connections come from one
psycopg-pool per workshop and process. A failure of the server becomes a one-line
:class:`~kit.errors.StorageFailure` decided by exception class, never by message text.

A pooled connection that answered within the last :data:`TRUSTED_FOR` seconds is handed out without
the pool's check (an empty query: one round trip more for every read, which in a room's burst
doubled the time its event loop waited for the server). If such a connection turns out dead (the
server restarted meanwhile), no connection is trusted any more and the read, or the start of the
write transaction, is tried once again on a checked one: nothing was done on the dead one.
"""
from __future__ import annotations

import atexit
import contextlib
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

import psycopg
from psycopg import errors as pge
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool

from ..errors import NotFound, Refused, StorageFailure, StoreError, WorkshopError
from .base import ROOM_DIGEST, Dialect, Store, check_version, meta_rows, tables, workshop_insert
from .listener import listener
from .url import CHANNEL, CONNECT_TIMEOUT, ServerURL, check_key, remember

#: The comment that marks a schema as a workshop.
APPLICATION = "workshop-kit"
#: Seconds a writer waits for another writer's lock before giving up.
LOCK_TIMEOUT = 60
#: Seconds a change waits for a pooled connection (all busy, or the server is down) before failing.
POOL_TIMEOUT = 5

#: Seconds a pooled connection that answered is handed out again without a check.
TRUSTED_FOR = 1.0

_pools: dict[tuple[str, str], ConnectionPool] = {}
_pools_lock = threading.Lock()
#: A write transaction's start: BEGIN and the workshop's write lock in one round trip.
BEGIN = "BEGIN; SELECT pg_advisory_xact_lock(hashtext(current_schema()))"
_answered: weakref.WeakKeyDictionary[psycopg.Connection[Any], float] = weakref.WeakKeyDictionary()
_answered_lock = threading.Lock()  # a room reads on its loop and writes on its writer thread


def pg_sql(sql: str) -> str:
    """The store's ``?`` placeholders in psycopg's spelling."""
    return sql.replace("%", "%%").replace("?", "%s")


# ---------------------------------------------------------------------------- connecting
def connect(url: ServerURL) -> psycopg.Connection[Any]:
    """One direct connection; a wrong password, a missing database or a dead server is one line."""
    try:
        return psycopg.connect(url.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.OperationalError as exc:
        raise login_failure(url, exc) from None


def login_failure(url: ServerURL, exc: psycopg.OperationalError) -> WorkshopError:
    """Which of unreachable / no password / refused login / no such database, by behaviour."""
    params = conninfo_to_dict(url.conninfo)
    if not _reachable(str(params.get("host") or "/var/run/postgresql"), int(params.get("port") or 5432)):
        return StoreError("store.unreachable", server=url.server)
    if exc.pgconn is not None and exc.pgconn.needs_password:
        return StoreError("store.no_password", server=url.server, user=url.user or "?")
    if url.database != "postgres":  # the same login works on the maintenance database: ours is missing
        try:
            psycopg.connect(make_conninfo(url.conninfo, dbname="postgres"), connect_timeout=CONNECT_TIMEOUT).close()
        except psycopg.Error:
            pass  # the login itself is refused
        else:
            return NotFound("store.no_database", server=url.server, database=url.database)
    return StoreError("store.login_refused", server=url.server, user=url.user or "?")


def _reachable(host: str, port: int) -> bool:
    try:
        if host.startswith("/"):
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(CONNECT_TIMEOUT)
                s.connect(f"{host}/.s.PGSQL.{port}")
        else:
            socket.create_connection((host.split(",")[0], port), timeout=CONNECT_TIMEOUT).close()
    except OSError:
        return False
    return True


def _configure(schema: str, conn: psycopg.Connection[Any]) -> None:
    conn.execute(f'SET search_path TO "{schema}"')
    conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}s'")


def _check(conn: psycopg.Connection[Any]) -> None:
    """The pool's check, unless ``conn`` answered within :data:`TRUSTED_FOR` seconds."""
    with _answered_lock:
        answered = _answered.get(conn, -TRUSTED_FOR)
    if time.monotonic() - answered >= TRUSTED_FOR:
        ConnectionPool.check_connection(conn)


def _answer(conn: psycopg.Connection[Any]) -> None:
    with _answered_lock:
        _answered[conn] = time.monotonic()


def _distrust() -> bool:
    """Forget which connections answered (one was found dead); True if any was trusted."""
    with _answered_lock:
        trusted = bool(_answered)
        _answered.clear()
    return trusted


def _pool(url: ServerURL) -> ConnectionPool:
    key = (url.conninfo, url.schema)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None or pool.closed:
            pool = ConnectionPool(url.conninfo, min_size=1, max_size=4, kwargs={"autocommit": True},
                                  configure=partial(_configure, url.schema), check=_check,
                                  name=f"kit-{url.key}", timeout=POOL_TIMEOUT, open=True)
            _pools[key] = pool
        return pool


@atexit.register
def close_pools() -> None:
    """Close every pool of this process (at exit, and when a test stops its server)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close(timeout=1)


def _usable(conn: psycopg.Connection[Any], schema: str) -> bool:
    """Whether the connected role (or a role it belongs to) was given the workshop (see roles.py)."""
    row = conn.execute("SELECT has_schema_privilege(%s, 'USAGE')", (schema,)).fetchone()
    return bool(row and row[0])


def _is_ours(conn: psycopg.Connection[Any], schema: str) -> bool | None:
    """True for a workshop schema, False for somebody else's, None if there is none."""
    row = conn.execute("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname=%s",
                       (schema,)).fetchone()
    return None if row is None else row[0] == APPLICATION


def _require_workshop(conn: psycopg.Connection[Any], url: ServerURL) -> None:
    """A workshop this login may use; one it may not is "no such workshop", as if it were not there."""
    ours = _is_ours(conn, url.schema)
    if ours is None or (ours and not _usable(conn, url.schema)):
        names = ", ".join(w["key"] for w in _list(conn)) or "none yet"
        raise NotFound("store.no_workshop", location=url.location, names=names)
    if not ours:
        raise StoreError("store.foreign_schema", location=url.location, schema=url.schema)


def failure(exc: psycopg.Error, location: str) -> Exception:
    """The StorageFailure a server error stands for (by class); other errors stay as they are."""
    if isinstance(exc, pge.DiskFull):
        code = "store.disk_full"
    elif isinstance(exc, pge.ReadOnlySqlTransaction):
        code = "store.read_only"
    elif isinstance(exc, pge.LockNotAvailable | pge.QueryCanceled):
        code = "store.locked"
    elif isinstance(exc, psycopg.OperationalError):  # server gone, shut down, connection dropped
        code = "store.server_gone"
    else:
        return exc
    return StorageFailure(code, location=location, seconds=LOCK_TIMEOUT)


# ---------------------------------------------------------------------------- the store
class PostgresStore(Store):
    """An open workshop on a server: pooled connections, one of them held per write transaction."""

    dialect = Dialect("BIGINT", "DOUBLE PRECISION", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
    notifies = True

    def __init__(self, url: ServerURL) -> None:
        super().__init__(url.location)
        self.url = url
        with connect(url) as conn:
            _require_workshop(conn, url)
            rows = dict(conn.execute(f'SELECT key, value FROM "{url.schema}".meta').fetchall())
        if "schema_version" not in rows:
            raise StoreError("store.no_schema_version", path=url.location)
        check_version(url.location, int(rows["schema_version"]))
        remember(url)
        self._pool: ConnectionPool | None = _pool(url)
        # NOTIFY and COMMIT in one round trip (statements without parameters: the key is spelled as a literal)
        notify = sql.SQL("SELECT pg_notify({}, {} || ' ' || ({})::text); COMMIT").format(
            sql.Literal(CHANNEL), sql.Literal(url.key or ""), sql.SQL(self._VERSION_SQL))
        self._notify_commit = notify.as_string()
        self._txn: psycopg.Connection[Any] | None = None
        self._upgrade()

    @property
    def name(self) -> str:
        return self.url.key or ""

    def environment(self) -> dict[str, str]:
        password = conninfo_to_dict(self.url.conninfo).get("password")
        return {**super().environment(), **({"PGPASSWORD": str(password)} if password else {})}

    @classmethod
    def create(cls, url: ServerURL, workshop: dict[str, Any], who: str) -> PostgresStore:
        """Create the workshop's schema; an existing workshop (or any schema of that name) is refused."""
        with connect(url) as conn:
            try:
                with conn.transaction():
                    conn.execute(f'CREATE SCHEMA "{url.schema}"')
                    conn.execute(f"COMMENT ON SCHEMA \"{url.schema}\" IS '{APPLICATION}'")
                    conn.execute(f'SET LOCAL search_path TO "{url.schema}"')
                    for stmt in cls.dialect.schema():
                        conn.execute(stmt)
                    conn.cursor().executemany("INSERT INTO meta VALUES (%s, %s)", meta_rows(who))
                    sql, args = workshop_insert(workshop)
                    conn.execute(pg_sql(sql), args)
                    conn.execute("SELECT setval(pg_get_serial_sequence('workshop', 'id'), 1)")
            except pge.DuplicateSchema:
                raise StoreError("store.workshop_exists", location=url.location) from None
            except pge.InsufficientPrivilege:
                raise StoreError("store.no_create", server=url.server, user=url.user or "?") from None
            except psycopg.Error as exc:
                raise failure(exc, url.location) from None
        return cls(url)

    def close(self) -> None:
        with self._lock:
            self._pool = None  # shared with other Stores of this workshop; closed at exit

    def destroy(self) -> None:
        self.close()
        delete_workshop(self.url)

    # ------------------------------------------------------------------ statements
    def _db(self) -> ConnectionPool:
        if self._pool is None:
            raise StoreError("store.closed", location=self.location)
        return self._pool

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        query = pg_sql(sql)
        try:
            if self._txn is not None:
                cur = self._txn.execute(query, args)
                return cur.fetchall() if cur.description else []
            try:
                return self._read(query, args)
            except psycopg.OperationalError:
                if not (query.lstrip().upper().startswith("SELECT") and _distrust()):
                    raise
                return self._read(query, args)  # on a checked connection: the trusted one was dead
        except psycopg.Error as exc:
            raise failure(exc, self.location) from None

    def _read(self, query: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._db().connection() as conn:
            cur = conn.execute(query, args)
            rows = cur.fetchall() if cur.description else []
            _answer(conn)
            return rows

    def _columns(self) -> dict[str, set[str]]:
        columns: dict[str, set[str]] = {}
        for table, column in self._rows("SELECT table_name, column_name FROM information_schema.columns "
                                        "WHERE table_schema=?", (self.url.schema,)):
            columns.setdefault(table, set()).add(column)
        return columns

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self._txn is None:
            raise RuntimeError("_many runs only inside a transaction")
        try:
            self._txn.cursor().executemany(pg_sql(sql), rows)
        except psycopg.Error as exc:
            raise failure(exc, self.location) from None

    def _begin(self) -> None:
        try:
            self._txn = self._db().getconn()
            try:
                self._txn.execute(BEGIN)
            except psycopg.OperationalError:
                if self._txn.closed:  # dead before BEGIN ran: nothing done on it
                    self._release()
                    if not _distrust():
                        raise
                    self._txn = self._db().getconn()  # checked: the trusted one was dead
                    self._txn.execute(BEGIN)
                else:
                    raise
        except psycopg.Error as exc:
            self._rollback()
            raise failure(exc, self.location) from None

    def _commit(self) -> None:
        try:
            self._rows(self._notify_commit)
            if self._txn is not None:
                _answer(self._txn)
        finally:
            self._release()

    def _rollback(self) -> None:
        if self._txn is not None and not self._txn.closed:
            with contextlib.suppress(psycopg.Error):  # the failure that brought us here is what counts
                self._txn.execute("ROLLBACK")
        self._release()

    def _release(self) -> None:
        conn, self._txn = self._txn, None
        if conn is not None and self._pool is not None:
            self._pool.putconn(conn)

    def _explicit_id(self, kind: str, record_id: int) -> None:
        self._rows("SELECT setval(pg_get_serial_sequence(?, 'id'), GREATEST(?, "
                   "COALESCE(pg_sequence_last_value(pg_get_serial_sequence(?, 'id')::regclass), 0)))",
                   (f'"{kind}"', record_id, f'"{kind}"'))

    def id_counters(self) -> dict[str, int]:
        counters = {}
        with self._lock:
            for table in tables():
                if table in ("meta", "snapshots", "live"):
                    continue
                column = "seq" if table == "changes" else "id"
                value = self._value("SELECT pg_sequence_last_value(pg_get_serial_sequence(?, ?)::regclass)",
                                    (f'"{table}"', column))
                if value is not None:
                    counters[table] = int(value)
        return counters

    def set_id_counters(self, counters: dict[str, int]) -> None:
        for table in tables():
            if table in ("meta", "snapshots", "live"):
                continue
            column = "seq" if table == "changes" else "id"
            if table in counters:
                self._rows("SELECT setval(pg_get_serial_sequence(?, ?), ?)", (f'"{table}"', column, counters[table]))
            else:
                self._rows("SELECT setval(pg_get_serial_sequence(?, ?), 1, false)", (f'"{table}"', column))

    # ------------------------------------------------------------------ live notifications
    def subscribe(self, callback: Callable[[int], None],
                  on_connection: Callable[[bool], None] | None = None) -> Callable[[], None]:
        return listener(self.url).subscribe(self.url.key or "", callback, on_connection)

    @property
    def connected(self) -> bool:
        one = listener(self.url)
        return one.connected or not one.running  # nobody listens: nothing to reconnect


# ---------------------------------------------------------------------------- many workshops
def _list(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """The workshops the connected role may use (its own, shared with it, or all for an admin)."""
    schemas = conn.execute(
        "SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace WHERE obj_description(oid, 'pg_namespace') = %s"
        " AND has_schema_privilege(oid, 'USAGE') ORDER BY nspname", (APPLICATION,)).fetchall()
    found = []
    for schema, owner in schemas:
        title = conn.execute(f'SELECT title FROM "{schema}".workshop WHERE id=1').fetchone()
        last = conn.execute(f'SELECT max(ts) FROM "{schema}".changes').fetchone()
        found.append({"key": schema.removeprefix("kit_"), "title": title[0] if title else "",
                      "last_change": last[0] if last else None, "owner": owner})
    return found


def list_workshops(url: ServerURL) -> list[dict[str, Any]]:
    """Every workshop in the URL's database that its login may use: key, title, last change, owner, location."""
    with connect(url) as conn:
        found = _list(conn)
    return [{**w, "location": url.with_key(w["key"]).location} for w in found]


def room_digests(url: ServerURL) -> dict[str, str]:
    """The open rooms of the URL's database, one query for all: workshop key -> hex digest of its token."""
    with connect(url) as conn:
        schemas = [r[0] for r in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE obj_description(oid, 'pg_namespace') = %s"
            " AND has_schema_privilege(oid, 'USAGE')", (APPLICATION,)).fetchall()]
        if not schemas:
            return {}
        union = " UNION ALL ".join(f"SELECT %s, value FROM \"{schema}\".meta WHERE key = %s" for schema in schemas)
        args: list[str] = []
        for schema in schemas:
            args += [schema.removeprefix("kit_"), ROOM_DIGEST]
        return {str(key): str(value) for key, value in conn.execute(union, args).fetchall()}


def rename_workshop(url: ServerURL, new_key: str) -> ServerURL:
    """Give a workshop a new key; an existing key is refused. Returns the new URL."""
    target = url.with_key(check_key(new_key, url.server))
    with connect(url) as conn:
        _require_workshop(conn, url)
        if _is_ours(conn, target.schema) is not None:
            raise StoreError("store.workshop_exists", location=target.location)
        with _owner_only(url):
            conn.execute(f'ALTER SCHEMA "{url.schema}" RENAME TO "{target.schema}"')
    _forget_pool(url)
    return target


def delete_workshop(url: ServerURL) -> None:
    """Drop a workshop and everything in it; a schema that is not a workshop is refused."""
    with connect(url) as conn:
        _require_workshop(conn, url)
        with _owner_only(url):
            conn.execute(f'DROP SCHEMA "{url.schema}" CASCADE')
    _forget_pool(url)


@contextlib.contextmanager
def _owner_only(url: ServerURL) -> Iterator[None]:
    """Renaming, deleting and sharing are for the workshop's owner (or an admin): others get one line."""
    try:
        yield
    except pge.InsufficientPrivilege:
        raise Refused("store.not_owner", location=url.location, user=url.user or "?") from None


def _forget_pool(url: ServerURL) -> None:
    with _pools_lock:
        pool = _pools.pop((url.conninfo, url.schema), None)
    if pool is not None:
        pool.close(timeout=1)
