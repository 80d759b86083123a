"""The workshop store: one SQLite file in WAL mode, and the only module that speaks SQL.

Every change is its own committed transaction (``BEGIN IMMEDIATE``), so several kernels can
write one workshop at once and a killed process loses nothing it committed. Every change
is appended to the ``changes`` log with who, when, and the record before and after: that
log gives undo/redo, a readable history and cheap change detection for live views.
A file that is not ours, or is newer or corrupt, is refused before anything is written.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from . import model
from .errors import UndoConflict, WorkshopError  # defined in kit.errors; re-exported for old imports

#: Bumped whenever the tables change; a file with a higher number is refused.
SCHEMA_VERSION = 1
#: SQLite header field that marks a file as a workshop ("WKIT").
APPLICATION_ID = 0x574B4954
_SQL_TYPES = {"int": "INTEGER", "ref": "INTEGER", "bool": "INTEGER", "float": "REAL"}
_JSON_TYPES = {"refs", "strs", "scores", "measurements"}
_USER_OPS = ("add", "update", "remove")


@dataclass(frozen=True)
class Change:
    """One entry of the change log."""

    seq: int
    batch: int
    ts: str
    who: str
    kind: str
    record_id: int
    op: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _table_sql(kind: model.Kind) -> str:
    cols = ", ".join(f'"{f.name}" {_SQL_TYPES.get(f.type, "TEXT")}' for f in kind.fields)
    return f'CREATE TABLE "{kind.name}" (id INTEGER PRIMARY KEY AUTOINCREMENT, {cols})'


_SCHEMA = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, batch INTEGER NOT NULL,
       ts TEXT NOT NULL, who TEXT NOT NULL, kind TEXT NOT NULL, record_id INTEGER NOT NULL,
       op TEXT NOT NULL, before TEXT, after TEXT, undone INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX changes_who ON changes (who, seq)",
    "CREATE INDEX changes_batch ON changes (batch)",
    """CREATE TABLE snapshots (name TEXT PRIMARY KEY, seq INTEGER NOT NULL, ts TEXT NOT NULL,
       who TEXT NOT NULL, data TEXT NOT NULL)""",
    "CREATE TABLE live (key TEXT PRIMARY KEY, value TEXT NOT NULL, rev INTEGER NOT NULL)",
    *(_table_sql(k) for k in model.KINDS.values()),
]


def check_file(path: Path) -> None:
    """Raise WorkshopError unless ``path`` looks like a workshop file; reads, never writes.

    The header is read through SQLite, never with open(): closing a plain file descriptor
    drops every POSIX lock this process holds on the file, so while another connection of
    this process is open, a second process closing the file would take itself for the last
    one and delete the WAL under us, and every later commit here would be lost.
    """
    if not path.exists():
        raise WorkshopError(f"{path}: no such workshop file")
    if path.is_dir():
        raise WorkshopError(f"{path}: is a folder, not a workshop file")
    if path.stat().st_size < 100:  # SQLite would take an empty file for an empty database
        raise WorkshopError(f"{path}: not a workshop file (not an SQLite database); left unchanged")
    try:
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            application_id = ro.execute("PRAGMA application_id").fetchone()[0]
        finally:
            ro.close()
    except sqlite3.DatabaseError:
        raise WorkshopError(f"{path}: not a workshop file (not an SQLite database); left unchanged") from None
    if application_id != APPLICATION_ID:
        raise WorkshopError(f"{path}: an SQLite database but not a workshop file; left unchanged")


class Store:
    """An open workshop file. Thread-safe; one connection per Store."""

    def __init__(self, path: str | os.PathLike[str], *, _conn: sqlite3.Connection | None = None):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._batch: int | None = None
        self._conn = _conn or self._connect_checked(self.path)

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: str | os.PathLike[str], workshop: dict[str, Any], who: str) -> "Store":
        """Create a new workshop file; refuses to touch an existing path."""
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise WorkshopError(f"{path}: already exists; choose a new file name (nothing was changed)")
        if not path.parent.is_dir():
            raise WorkshopError(f"{path.parent}: no such folder")
        fd, tmp = tempfile.mkstemp(prefix=".new-", suffix=".workshop", dir=path.parent)
        os.close(fd)
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute("BEGIN")
            for stmt in _SCHEMA:
                conn.execute(stmt)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("schema_version", str(SCHEMA_VERSION)), ("created", _now()), ("created_by", who)])
            cols = ", ".join(f'"{k}"' for k in workshop)
            marks = ", ".join("?" for _ in workshop)
            conn.execute(f"INSERT INTO workshop (id, {cols}) VALUES (1, {marks})",
                         [_to_sql(model.KINDS["workshop"].field(k), v) for k, v in workshop.items()])
            conn.execute("COMMIT")
            conn.close()
            try:
                os.link(tmp, path)  # atomic and never replaces an existing file
            except FileExistsError:
                raise WorkshopError(f"{path}: already exists; choose a new file name") from None
        finally:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(tmp + suffix)
                except FileNotFoundError:
                    pass
        return cls(path)

    @staticmethod
    def _connect_checked(path: Path) -> sqlite3.Connection:
        check_file(path)
        try:
            ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
            try:
                status = ro.execute("PRAGMA quick_check").fetchone()[0]
                if status != "ok":
                    raise WorkshopError(f"{path}: workshop file is corrupt ({status}); left unchanged")
                row = ro.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            finally:
                ro.close()
        except sqlite3.DatabaseError as exc:
            raise WorkshopError(f"{path}: workshop file is corrupt or unreadable ({exc}); left unchanged") from None
        if row is None:
            raise WorkshopError(f"{path}: workshop file has no schema version; left unchanged")
        version = int(row[0])
        if version > SCHEMA_VERSION:
            raise WorkshopError(f"{path}: written by a newer workshop-kit (schema {version}, this kit "
                                f"reads up to {SCHEMA_VERSION}); update the kit; left unchanged")
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=60)
        conn.execute("PRAGMA busy_timeout=60000")
        conn.execute("PRAGMA synchronous=FULL")  # a committed change survives a power cut
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self, who: str) -> Iterator["Store"]:
        """All writes inside share one commit and one undo step (a batch)."""
        with self._lock:
            if self._batch is not None:  # nested: join the outer transaction
                yield self
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._batch, self._who = 0, who
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._batch = None

    def _log(self, kind: str, record_id: int, op: str, before: Any, after: Any) -> int:
        cur = self._conn.execute(
            "INSERT INTO changes (batch, ts, who, kind, record_id, op, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self._batch or 0, _now(), self._who, kind, record_id, op,
             None if before is None else _dumps(before), None if after is None else _dumps(after)))
        seq = cur.lastrowid
        if not self._batch:
            self._batch = seq
            self._conn.execute("UPDATE changes SET batch=? WHERE seq=?", (seq, seq))
        return seq

    # ------------------------------------------------------------------ reading
    def get(self, kind: str, record_id: int) -> dict[str, Any] | None:
        k = model.KINDS[kind]
        with self._lock:
            row = self._conn.execute(f'SELECT * FROM "{kind}" WHERE id=?', (record_id,)).fetchone()
        return None if row is None else _from_row(k, row)

    def all(self, kind: str, /, **where: Any) -> list[dict[str, Any]]:
        # kind is positional-only: records have a field "kind" too (observations by kind)
        k = model.KINDS[kind]
        clause, args = "", []
        if where:
            clause = " WHERE " + " AND ".join(f'"{k.field(name).name}"=?' for name in where)
            args = [_to_sql(k.field(name), v) for name, v in where.items()]
        with self._lock:
            rows = self._conn.execute(f'SELECT * FROM "{kind}"{clause} ORDER BY id', args).fetchall()
        return [_from_row(k, row) for row in rows]

    def count(self, kind: str) -> int:
        with self._lock:
            return self._conn.execute(f'SELECT count(*) FROM "{kind}"').fetchone()[0]

    def ids(self, kind: str, wanted: list[int]) -> set[int]:
        if not wanted:
            return set()
        marks = ",".join("?" for _ in wanted)
        with self._lock:
            rows = self._conn.execute(f'SELECT id FROM "{kind}" WHERE id IN ({marks})', wanted)
            return {r[0] for r in rows}

    # ------------------------------------------------------------------ writing
    def insert(self, kind: str, values: dict[str, Any], who: str, record_id: int | None = None) -> int:
        """Insert a validated record; returns its id."""
        with self.transaction(who):
            return self._insert(kind, values, record_id, op="add")

    def _insert(self, kind: str, values: dict[str, Any], record_id: int | None, op: str) -> int:
        k = model.KINDS[kind]
        if record_id is not None and self.get(kind, record_id) is not None:
            raise WorkshopError(f"{kind} {record_id} already exists")
        names = ["id", *values]
        marks = ", ".join("?" for _ in names)
        cols = ", ".join(f'"{n}"' for n in names)
        cur = self._conn.execute(f'INSERT INTO "{kind}" ({cols}) VALUES ({marks})',
                                 [record_id, *(_to_sql(k.field(n), v) for n, v in values.items())])
        new_id = record_id or cur.lastrowid
        self._log(kind, new_id, op, None, self.get(kind, new_id))
        return new_id

    def update(self, kind: str, record_id: int, values: dict[str, Any], who: str,
               check: Any = None) -> dict[str, Any]:
        """Set the given fields of one record, read and written in one transaction.

        ``values`` may be a callable taking the current record and returning the fields to
        set, so read-modify-write (a vote) cannot lose a concurrent change.
        """
        with self.transaction(who):
            before = self.get(kind, record_id)
            if before is None:
                raise WorkshopError(f"{kind} {record_id} does not exist (maybe someone removed it)")
            changes = values(before) if callable(values) else values
            after = {**before, **changes}
            if check is not None:
                check(after)
            if after == before:
                return before
            self._write(kind, record_id, changes)
            after = self.get(kind, record_id)
            self._log(kind, record_id, "update", before, after)
            return after

    def _write(self, kind: str, record_id: int, values: dict[str, Any]) -> None:
        k = model.KINDS[kind]
        sets = ", ".join(f'"{k.field(n).name}"=?' for n in values)
        self._conn.execute(f'UPDATE "{kind}" SET {sets} WHERE id=?',
                           [*(_to_sql(k.field(n), v) for n, v in values.items()), record_id])

    def delete(self, kind: str, record_id: int, who: str) -> None:
        """Remove a record; references to it are cleared in the same undo step."""
        with self.transaction(who):
            self._delete(kind, record_id)

    def _delete(self, kind: str, record_id: int) -> None:
        before = self.get(kind, record_id)
        if before is None:
            raise WorkshopError(f"{kind} {record_id} does not exist (maybe someone removed it)")
        for other in model.KINDS.values():
            for f in other.fields:
                if f.ref != kind:
                    continue
                for row in self.all(other.name):
                    if f.type == "ref" and row[f.name] == record_id:
                        if f.required:
                            self._delete(other.name, row["id"])
                        else:
                            self._update_logged(other.name, row, {f.name: None})
                    elif f.type == "refs" and record_id in row[f.name]:
                        self._update_logged(other.name, row, {f.name: [i for i in row[f.name] if i != record_id]})
        self._conn.execute(f'DELETE FROM "{kind}" WHERE id=?', (record_id,))
        self._log(kind, record_id, "remove", before, None)

    def _update_logged(self, kind: str, before: dict[str, Any], values: dict[str, Any]) -> None:
        self._write(kind, before["id"], values)
        self._log(kind, before["id"], "update", before, self.get(kind, before["id"]))

    # ------------------------------------------------------------------ change log
    def version(self) -> int:
        """Sequence number of the newest change or live-state write: cheap to poll."""
        with self._lock:
            row = self._conn.execute(
                "SELECT (SELECT COALESCE(max(seq), 0) FROM changes) + "
                "(SELECT COALESCE(max(rev), 0) FROM live)").fetchone()
        return row[0]

    def changes(self, since: int = 0, limit: int | None = None, who: str | None = None) -> list[Change]:
        sql, args = "SELECT seq, batch, ts, who, kind, record_id, op, before, after FROM changes WHERE seq>?", [since]
        if who is not None:
            sql += " AND who=?"
            args.append(who)
        sql += " ORDER BY seq"
        if limit is not None:
            sql = f"SELECT * FROM ({sql.replace('ORDER BY seq', 'ORDER BY seq DESC')} LIMIT ?) ORDER BY seq"
            args.append(limit)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [Change(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                       None if r[7] is None else json.loads(r[7]),
                       None if r[8] is None else json.loads(r[8])) for r in rows]

    def last_seq(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COALESCE(max(seq), 0) FROM changes").fetchone()[0]

    def undo(self, who: str) -> list[Change]:
        """Revert ``who``'s newest change that is not undone yet; returns what was reverted."""
        with self.transaction(who):
            row = self._conn.execute(
                "SELECT batch FROM changes WHERE who=? AND op IN ('add','update','remove','redo') "
                "AND undone=0 ORDER BY seq DESC LIMIT 1", (who,)).fetchone()
            if row is None:
                raise WorkshopError(f"nothing to undo for {who}")
            return self._revert(row[0], "undo", who)

    def redo(self, who: str) -> list[Change]:
        """Re-apply ``who``'s newest undo, unless ``who`` made a new change after it."""
        with self.transaction(who):
            row = self._conn.execute(
                "SELECT batch, seq FROM changes WHERE who=? AND op IN ('add','update','remove','undo','redo') "
                "ORDER BY seq DESC LIMIT 1", (who,)).fetchone()
            newest_undo = self._conn.execute(
                "SELECT batch FROM changes WHERE who=? AND op='undo' AND undone=0 ORDER BY seq DESC LIMIT 1",
                (who,)).fetchone()
            if row is None or newest_undo is None or self._batch_op(row[0]) not in ("undo", "redo"):
                raise WorkshopError(f"nothing to redo for {who}")
            return self._revert(newest_undo[0], "redo", who)

    def _batch_op(self, batch: int) -> str:
        return self._conn.execute("SELECT op FROM changes WHERE batch=? LIMIT 1", (batch,)).fetchone()[0]

    def _revert(self, batch: int, op: str, who: str) -> list[Change]:
        rows = [c for c in self.changes(batch - 1) if c.batch == batch]
        for change in reversed(rows):
            current = self.get(change.kind, change.record_id)
            if current != change.after:
                mover = self._conn.execute(
                    "SELECT who FROM changes WHERE kind=? AND record_id=? ORDER BY seq DESC LIMIT 1",
                    (change.kind, change.record_id)).fetchone()
                raise UndoConflict(f"cannot {op}: {change.kind} {change.record_id} was changed since "
                                   f"by {mover[0] if mover else 'someone'}")
            if change.before is None:
                self._conn.execute(f'DELETE FROM "{change.kind}" WHERE id=?', (change.record_id,))
            elif current is None:
                values = {k: v for k, v in change.before.items() if k != "id"}
                k = model.KINDS[change.kind]
                names = ["id", *values]
                self._conn.execute(
                    f'INSERT INTO "{change.kind}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
                    f'VALUES ({", ".join("?" for _ in names)})',
                    [change.record_id, *(_to_sql(k.field(n), v) for n, v in values.items())])
            else:
                self._write(change.kind, change.record_id,
                            {k: v for k, v in change.before.items() if k != "id"})
            self._log(change.kind, change.record_id, op, change.after, change.before)
        self._conn.execute("UPDATE changes SET undone=1 WHERE batch=?", (batch,))
        return rows

    # ------------------------------------------------------------------ snapshots
    def save_snapshot(self, name: str, data: dict[str, Any], who: str) -> None:
        with self.transaction(who):
            if self._conn.execute("SELECT 1 FROM snapshots WHERE name=?", (name,)).fetchone():
                raise WorkshopError(f"snapshot {name!r} exists already; choose another name")
            self._conn.execute("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)",
                               (name, self.last_seq(), _now(), who, _dumps(data)))

    def snapshots(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._conn.execute("SELECT name, seq, ts, who FROM snapshots ORDER BY seq, ts").fetchall()
        return [{"name": r[0], "seq": r[1], "ts": r[2], "who": r[3]} for r in rows]

    def load_snapshot(self, name: str) -> dict[str, Any]:
        with self._lock:
            row = self._conn.execute("SELECT data FROM snapshots WHERE name=?", (name,)).fetchone()
        if row is None:
            names = ", ".join(s["name"] for s in self.snapshots()) or "none yet"
            raise WorkshopError(f"no snapshot called {name!r} (snapshots: {names})")
        return json.loads(row[0])

    # ------------------------------------------------------------------ live state
    def set_live(self, key: str, value: Any) -> None:
        """Facilitator state (current step, lock, reveal): shared, not undoable."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT INTO live VALUES (?, ?, (SELECT COALESCE(max(rev), 0) + 1 FROM live)) "
                    "ON CONFLICT(key) DO UPDATE SET value=excluded.value, rev=excluded.rev",
                    (key, _dumps(value)))
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def live(self) -> dict[str, Any]:
        with self._lock:
            rows = self._conn.execute("SELECT key, value FROM live").fetchall()
        return {k: json.loads(v) for k, v in rows}

    def meta(self) -> dict[str, str]:
        with self._lock:
            return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())


def _to_sql(f: model.Field, value: Any) -> Any:
    if f.type in _JSON_TYPES:
        return _dumps(value if value is not None else f.empty())
    if f.type == "bool":
        return int(bool(value))
    return value


def _from_row(k: model.Kind, row: tuple[Any, ...]) -> dict[str, Any]:
    record: dict[str, Any] = {"id": row[0]}
    for f, value in zip(k.fields, row[1:]):
        if f.type in _JSON_TYPES:
            value = json.loads(value) if value is not None else f.empty()
        elif f.type == "bool":
            value = bool(value)
        elif value is None and f.type in ("text",):
            value = ""
        record[f.name] = value
    return record
