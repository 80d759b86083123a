"""The workshop as one SQLite file in WAL mode: the default for one laptop.

Every change is its own committed transaction (``BEGIN IMMEDIATE``, ``synchronous=FULL``), so
several kernels can write one workshop at once and a killed process loses nothing it committed.
A file that is not ours, or is newer or corrupt, is refused before anything is written. When
SQLite itself fails (disk full, read-only, I/O error, locked past the timeout) the error becomes
a :class:`~kit.errors.StorageFailure`, decided by SQLite's error code, never by its text.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import NotFound, StorageFailure, StoreError
from .base import Dialect, Store, check_version, meta_rows, workshop_insert

#: SQLite header field that marks a file as a workshop ("WKIT").
APPLICATION_ID = 0x574B4954
#: How long a writer waits for another one before giving up (seconds).
BUSY_TIMEOUT = 60
_FAILURES = {sqlite3.SQLITE_FULL: "store.disk_full", sqlite3.SQLITE_READONLY: "store.read_only",
             sqlite3.SQLITE_IOERR: "store.io_error", sqlite3.SQLITE_BUSY: "store.locked",
             sqlite3.SQLITE_LOCKED: "store.locked", sqlite3.SQLITE_CANTOPEN: "store.read_only"}


def failure(exc: sqlite3.Error, path: Path) -> StorageFailure | None:
    """The StorageFailure an SQLite error stands for, by its (primary) error code."""
    code = _FAILURES.get((getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF)
    if code is None:
        return None
    return StorageFailure(code, location=str(path), seconds=BUSY_TIMEOUT)


def check_file(path: Path) -> None:
    """Raise StoreError unless ``path`` looks like a workshop file; reads, never writes.

    The header is read through SQLite, never with open(): closing a plain file descriptor
    drops every POSIX lock this process holds on the file, so while another connection of
    this process is open, a second process closing the file would take itself for the last
    one and delete the WAL under us, and every later commit here would be lost.
    """
    if not path.exists():
        raise NotFound("store.no_such_file", path=str(path))
    if path.is_dir():
        raise StoreError("store.is_folder", path=str(path))
    if path.stat().st_size < 100:  # SQLite would take an empty file for an empty database
        raise StoreError("store.not_sqlite", path=str(path))
    try:
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            application_id = ro.execute("PRAGMA application_id").fetchone()[0]
        finally:
            ro.close()
    except sqlite3.OperationalError as exc:  # cannot open (read-only folder, I/O error): say so
        raise failure(exc, path) or StoreError("store.not_sqlite", path=str(path)) from None
    except sqlite3.DatabaseError:
        raise StoreError("store.not_sqlite", path=str(path)) from None
    if application_id != APPLICATION_ID:
        raise StoreError("store.foreign_sqlite", path=str(path))


class SQLiteStore(Store):
    """An open workshop file; one connection per Store."""

    dialect = Dialect("INTEGER", "REAL", "INTEGER PRIMARY KEY AUTOINCREMENT")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(str(path))
        self._path = Path(path)
        self._conn: sqlite3.Connection | None = self._connect_checked(self._path)
        try:
            self._upgrade()
        except BaseException:
            self.close()
            raise

    @property
    def path(self) -> Path:
        return self._path

    @property
    def name(self) -> str:
        return self._path.name

    @property
    def folder(self) -> Path:
        return self._path.parent

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: str | os.PathLike[str], workshop: dict[str, Any], who: str) -> SQLiteStore:
        """Create a new workshop file; refuses to touch an existing path."""
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise StoreError("store.exists", path=str(path))
        if not path.parent.is_dir():
            raise NotFound("store.no_folder", path=str(path.parent))
        try:
            fd, tmp = tempfile.mkstemp(prefix=".new-", suffix=".workshop", dir=path.parent)
        except OSError as exc:
            raise StorageFailure("store.read_only" if isinstance(exc, PermissionError) else "store.io_error",
                                 location=str(path), seconds=BUSY_TIMEOUT) from None
        os.close(fd)
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                conn.execute("BEGIN")
                for stmt in cls.dialect.schema():
                    conn.execute(stmt)
                conn.executemany("INSERT INTO meta VALUES (?, ?)", meta_rows(who))
                conn.execute(*workshop_insert(workshop))
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise failure(exc, path) or exc from None
            finally:
                conn.close()
            try:
                os.link(tmp, path)  # atomic and never replaces an existing file
            except FileExistsError:
                raise StoreError("store.exists", path=str(path)) from None
        finally:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp + suffix)
        return cls(path)

    @staticmethod
    def _connect_checked(path: Path) -> sqlite3.Connection:
        check_file(path)
        try:
            ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
            try:
                status = ro.execute("PRAGMA quick_check").fetchone()[0]
                if status != "ok":
                    raise StoreError("store.corrupt", path=str(path), status=status)
                row = ro.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            finally:
                ro.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError("store.unreadable", path=str(path), detail=str(exc)) from None
        if row is None:
            raise StoreError("store.no_schema_version", path=str(path))
        check_version(str(path), int(row[0]))
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT)
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
            conn.execute("PRAGMA synchronous=FULL")  # a committed change survives a power cut
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            conn.close()
            raise failure(exc, path) or exc from None
        return conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def destroy(self) -> None:
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self._path) + suffix).unlink(missing_ok=True)

    # ------------------------------------------------------------------ statements
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("store.closed", location=self.location)
        return self._conn

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db().execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            raise failure(exc, self._path) or exc from None

    def _begin(self) -> None:
        self._rows("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self._rows("COMMIT")

    def _rollback(self) -> None:
        conn = self._db()
        if conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O error)
            # nothing was committed; the failure that brought us here is what the user sees
            with contextlib.suppress(sqlite3.OperationalError):
                conn.execute("ROLLBACK")

    def _columns(self) -> dict[str, set[str]]:
        names = [row[0] for row in self._rows("SELECT name FROM sqlite_master WHERE type='table'")]
        return {name: {row[1] for row in self._rows(f'PRAGMA table_info("{name}")')} for name in names}

    def id_counters(self) -> dict[str, int]:
        with self._lock:
            return {name: int(seq) for name, seq in self._rows("SELECT name, seq FROM sqlite_sequence")}

    def set_id_counters(self, counters: dict[str, int]) -> None:
        self._rows("DELETE FROM sqlite_sequence")
        for name, seq in counters.items():
            self._rows("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, seq))
