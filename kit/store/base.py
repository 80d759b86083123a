"""What every store does, written once: transactions, change log, undo/redo, snapshots, live state.

Why one base class: the SQLite file and the PostgreSQL server must keep exactly the same
rules (one transaction per change, who/when/before/after, undo per person with the same
conflict rule). A backend only says how to run a statement (``_rows``), how to begin and end
a write transaction, and how it names its column types; all SQL here is plain enough for both
(``?`` placeholders, ``RETURNING``, ``ON CONFLICT``).
"""
from __future__ import annotations

import datetime as _dt
import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import model
from ..errors import NotFound, StoreError, UndoConflict, UsageError

#: Bumped whenever the tables change; a store with a higher number is refused, a lower one upgraded
#: (2: evidence names a touchpoint and an experience score; 3: KPI numbers, follow-ups held, the idea's
#: feedback log replacing its ``feedback_result`` text).
SCHEMA_VERSION = 3
_JSON_TYPES = {"refs", "strs", "scores", "measurements", "feedback"}
#: Columns a schema upgrade moves into a new field and then drops: (table, old column, new field).
_MOVED = (("idea", "feedback_result", "feedback_log"),)
#: Tables besides one per record kind; ``kit copy`` copies all of them.
FIXED_TABLES = ("meta", "changes", "snapshots", "live")
ROOM_DIGEST = "room_token_sha256"  # meta key: SHA-256 (hex) of the open room's participant token
META_REV = "meta_rev"  # meta key: how often the workshop's metadata changed since it was created (part of the version)


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


#: Asked before undo or redo sets a record back: (the logged change, the record now, what it becomes).
Revert = Callable[[Change, "dict[str, Any] | None", "dict[str, Any] | None"], None]


@dataclass(frozen=True)
class Dialect:
    """How a backend spells column types and an auto-numbered key."""

    integer: str
    real: str
    serial_key: str  # e.g. "INTEGER PRIMARY KEY AUTOINCREMENT"

    def column(self, f: model.Field) -> str:
        return {"int": self.integer, "ref": self.integer, "bool": self.integer, "float": self.real}.get(f.type, "TEXT")

    def schema(self) -> list[str]:
        """CREATE statements of a new workshop, in order."""
        return [
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"""CREATE TABLE changes (seq {self.serial_key}, batch {self.integer} NOT NULL,
               ts TEXT NOT NULL, who TEXT NOT NULL, kind TEXT NOT NULL, record_id {self.integer} NOT NULL,
               op TEXT NOT NULL, before TEXT, after TEXT, undone {self.integer} NOT NULL DEFAULT 0)""",
            "CREATE INDEX changes_who ON changes (who, seq)",
            "CREATE INDEX changes_batch ON changes (batch)",
            f"""CREATE TABLE snapshots (name TEXT PRIMARY KEY, seq {self.integer} NOT NULL, ts TEXT NOT NULL,
               who TEXT NOT NULL, data TEXT NOT NULL)""",
            f"CREATE TABLE live (key TEXT PRIMARY KEY, value TEXT NOT NULL, rev {self.integer} NOT NULL)",
            *(self.table(k) for k in model.KINDS.values()),
        ]

    def table(self, kind: model.Kind) -> str:
        return (f'CREATE TABLE "{kind.name}" (id {self.serial_key}, '
                + ", ".join(f'"{f.name}" {self.column(f)}' for f in kind.fields) + ")")


def now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def meta_rows(who: str) -> list[tuple[str, str]]:
    return [("schema_version", str(SCHEMA_VERSION)), ("created", now()), ("created_by", who)]


def workshop_insert(workshop: dict[str, Any]) -> tuple[str, list[Any]]:
    """The INSERT of the workshop record (id 1) of a new store."""
    cols = ", ".join(f'"{k}"' for k in workshop)
    marks = ", ".join("?" for _ in workshop)
    return (f"INSERT INTO workshop (id, {cols}) VALUES (1, {marks})",
            [to_sql(model.KINDS["workshop"].field(k), v) for k, v in workshop.items()])


def check_version(where: str, version: int) -> None:
    """Refuse a store written by a newer kit, before anything is written to it."""
    if version > SCHEMA_VERSION:
        raise StoreError("store.newer", path=where, version=version, supported=SCHEMA_VERSION)


def tables() -> list[str]:
    return [*FIXED_TABLES, *model.KINDS]


class Store(ABC):
    """An open workshop, on whichever backend. Thread-safe: one lock per Store.

    ``location`` is what to show and what ``kit.open`` reopens: a file path, or a server URL
    without its password. Live views: ``notifies`` says whether ``subscribe`` pushes new
    versions (PostgreSQL); without it, poll ``version()`` (SQLite).
    """

    dialect: Dialect
    notifies = False

    def __init__(self, location: str) -> None:
        self.location = location
        self._lock = threading.RLock()
        self._batch: int | None = None
        self._who = ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"

    @property
    def path(self) -> Path:
        """The workshop file; a workshop on a server has none (use ``location``)."""
        raise StoreError("store.no_file", location=self.location)

    @property
    @abstractmethod
    def name(self) -> str:
        """The workshop's own short name, for file names and stable ids: the file's name or the key."""

    def environment(self) -> dict[str, str]:
        """What another process (a kernel of ``kit serve``) needs to reopen this workshop, never shown:
        ``KIT_WORKSHOP`` and, for a server whose password came with its URL, ``PGPASSWORD``."""
        return {"KIT_WORKSHOP": self.location}

    @property
    def folder(self) -> Path:
        """Where files made from the workshop go unless told: next to the file; else the current directory."""
        return Path.cwd()

    # ------------------------------------------------------------------ what a backend provides
    @abstractmethod
    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (``?`` placeholders) and return its rows (none for a write)."""

    @abstractmethod
    def _begin(self) -> None:
        """Start a write transaction that no other writer of this workshop can interleave with."""

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _columns(self) -> dict[str, set[str]]:
        """Every table of this workshop with its column names (to upgrade an older one)."""

    # ------------------------------------------------------------------ older workshops
    def _upgrade(self) -> list[str]:
        """An older workshop gains the tables and columns of the fields added since, in one transaction.

        kit/model.py only ever appends fields, and ``ALTER TABLE ... ADD COLUMN`` appends too, so the
        columns stay in field order; a current workshop is only read. Returns the statements run.
        """
        have = self._columns()
        statements: list[str] = []
        for kind in model.KINDS.values():
            if kind.name not in have:
                statements.append(self.dialect.table(kind))
                continue
            for f in kind.fields:
                if f.name not in have[kind.name]:
                    statements.append(f'ALTER TABLE "{kind.name}" ADD COLUMN "{f.name}" {self.dialect.column(f)}')
                    if f.default is not None:  # existing records take the field's default (kpi.direction)
                        statements.append(f'UPDATE "{kind.name}" SET "{f.name}"=\'{to_sql(f, f.empty())}\'')
        moved = [m for m in _MOVED if m[1] in have.get(m[0], set())]
        if statements or moved:
            with self.transaction("workshop-kit"):
                for statement in statements:
                    self._rows(statement)
                for table, old, new in moved:
                    self._move_feedback(table, old, new)
                    statements.append(f'ALTER TABLE "{table}" DROP COLUMN "{old}"')
                    self._rows(statements[-1])
                self._rows("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))
        return statements

    def _move_feedback(self, table: str, old: str, new: str) -> None:
        """Schema 2 -> 3: an idea's ``feedback_result`` text becomes the first entry of its feedback log,
        dated by the idea's last change (when the text was written, at the latest)."""
        for record_id, text in self._rows(f'SELECT id, "{old}" FROM "{table}" WHERE "{old}" <> \'\''):
            ts = self._row("SELECT max(ts) FROM changes WHERE kind=? AND record_id=?", (table, record_id))
            date = (ts[0] if ts and ts[0] else now())[:10]
            self._rows(f'UPDATE "{table}" SET "{new}"=? WHERE id=?',
                       (dumps(model.feedback_from_text(text, date)), record_id))

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def destroy(self) -> None:
        """Remove a workshop this process has just created (a failed load or copy)."""

    @abstractmethod
    def id_counters(self) -> dict[str, int]:
        """The last id handed out per table, so a copy hands out the same next ids."""

    @abstractmethod
    def set_id_counters(self, counters: dict[str, int]) -> None: ...

    def subscribe(self, callback: Callable[[int], None],
                  on_connection: Callable[[bool], None] | None = None) -> Callable[[], None]:
        """Call ``callback(version)`` after every commit anywhere (only where ``notifies``); returns
        the unsubscribe function. Without notifications nothing is ever called: poll ``version()``."""
        return lambda: None

    @property
    def connected(self) -> bool:
        """False while a server store is reconnecting; a file is always there."""
        return True

    def _row(self, sql: str, args: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self._rows(sql, args)
        return rows[0] if rows else None

    def _value(self, sql: str, args: Sequence[Any] = ()) -> Any:
        row = self._row(sql, args)
        if row is None:  # a statement that always returns one row returned none: a bug, not bad input
            raise RuntimeError(f"no row from {sql.split()[0]}")
        return row[0]

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self, who: str) -> Iterator[Store]:
        """All writes inside share one commit and one undo step (a batch)."""
        with self._lock:
            if self._batch is not None:  # nested: join the outer transaction
                yield self
                return
            self._begin()
            self._batch, self._who = 0, who
            try:
                yield self
            except BaseException:
                self._rollback()
                raise
            else:
                self._commit()
            finally:
                self._batch = None

    def _log(self, kind: str, record_id: int, op: str, before: Any, after: Any) -> int:
        seq: int = self._value(
            "INSERT INTO changes (batch, ts, who, kind, record_id, op, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
            (self._batch or 0, now(), self._who, kind, record_id, op,
             None if before is None else dumps(before), None if after is None else dumps(after)))
        if not self._batch:
            self._batch = seq
            self._rows("UPDATE changes SET batch=? WHERE seq=?", (seq, seq))
        return seq

    # ------------------------------------------------------------------ reading
    def get(self, kind: str, record_id: int) -> dict[str, Any] | None:
        k = model.KINDS[kind]
        with self._lock:
            row = self._row(f'SELECT * FROM "{kind}" WHERE id=?', (record_id,))
        return None if row is None else from_row(k, row)

    def all(self, kind: str, /, **where: Any) -> list[dict[str, Any]]:
        # kind is positional-only: records have a field "kind" too (observations by kind)
        k = model.KINDS[kind]
        clause, args = "", []
        if where:
            clause = " WHERE " + " AND ".join(f'"{k.field(name).name}"=?' for name in where)
            args = [to_sql(k.field(name), v) for name, v in where.items()]
        with self._lock:
            rows = self._rows(f'SELECT * FROM "{kind}"{clause} ORDER BY id', args)
        return [from_row(k, row) for row in rows]

    def count(self, kind: str) -> int:
        with self._lock:
            return int(self._value(f'SELECT count(*) FROM "{kind}"'))

    def ids(self, kind: str, wanted: list[int]) -> set[int]:
        if not wanted:
            return set()
        marks = ",".join("?" for _ in wanted)
        with self._lock:
            return {r[0] for r in self._rows(f'SELECT id FROM "{kind}" WHERE id IN ({marks})', wanted)}

    # ------------------------------------------------------------------ writing
    def insert(self, kind: str, values: dict[str, Any], who: str, record_id: int | None = None) -> int:
        """Insert a validated record; returns its id."""
        with self.transaction(who):
            if record_id is not None and self.get(kind, record_id) is not None:
                raise StoreError("store.record_exists", kind=kind, id=record_id)
            record = self._put(kind, values, record_id)
            self._log(kind, record["id"], "add", None, record)
            return int(record["id"])

    def _put(self, kind: str, values: dict[str, Any], record_id: int | None) -> dict[str, Any]:
        """Insert a row; returns the record as stored (one round trip: a server's writers wait for it)."""
        k = model.KINDS[kind]
        names = ([] if record_id is None else ["id"]) + list(values)
        args = ([] if record_id is None else [record_id]) + [to_sql(k.field(n), v) for n, v in values.items()]
        cols = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" for _ in names)
        row = self._row(f'INSERT INTO "{kind}" ({cols}) VALUES ({marks}) RETURNING *', args)
        if row is None:  # an INSERT ... RETURNING always returns its row
            raise RuntimeError(f"no row from the insert into {kind}")
        if record_id is not None:
            self._explicit_id(kind, record_id)
        return from_row(k, row)

    def _explicit_id(self, kind: str, record_id: int) -> None:  # noqa: B027 - a hook: most backends need nothing
        """After an insert with a chosen id: keep the counter ahead of it (SQLite does by itself)."""

    def update(self, kind: str, record_id: int, values: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
               who: str, check: Callable[[dict[str, Any]], Any] | None = None) -> dict[str, Any]:
        """Set the given fields of one record, read and written in one transaction.

        ``values`` may be a callable taking the current record and returning the fields to
        set, so read-modify-write (a vote) cannot lose a concurrent change.
        """
        with self.transaction(who):
            before = self._require(kind, record_id)
            changes = values(before) if callable(values) else values
            after = {**before, **changes}
            if check is not None:
                check(after)
            if after == before:
                return before
            self._write(kind, record_id, changes)
            after = self._require(kind, record_id)
            self._log(kind, record_id, "update", before, after)
            return after

    def _require(self, kind: str, record_id: int) -> dict[str, Any]:
        record = self.get(kind, record_id)
        if record is None:
            raise NotFound("store.record_missing", kind=kind, id=record_id)
        return record

    def _write(self, kind: str, record_id: int, values: dict[str, Any]) -> None:
        k = model.KINDS[kind]
        sets = ", ".join(f'"{k.field(n).name}"=?' for n in values)
        self._rows(f'UPDATE "{kind}" SET {sets} WHERE id=?',
                   [*(to_sql(k.field(n), v) for n, v in values.items()), record_id])

    def delete(self, kind: str, record_id: int, who: str) -> None:
        """Remove a record; references to it are cleared in the same undo step."""
        with self.transaction(who):
            self._delete(kind, record_id)

    def _delete(self, kind: str, record_id: int) -> None:
        before = self._require(kind, record_id)
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
        self._rows(f'DELETE FROM "{kind}" WHERE id=?', (record_id,))
        self._log(kind, record_id, "remove", before, None)

    def _update_logged(self, kind: str, before: dict[str, Any], values: dict[str, Any]) -> None:
        self._write(kind, before["id"], values)
        self._log(kind, before["id"], "update", before, self.get(kind, before["id"]))

    # ------------------------------------------------------------------ change log
    _VERSION_SQL = ("SELECT (SELECT COALESCE(max(seq), 0) FROM changes) + "
                    "(SELECT COALESCE(max(rev), 0) FROM live) + "
                    f"(SELECT COALESCE(max(CAST(value AS INTEGER)), 0) FROM meta WHERE key='{META_REV}')")

    def version(self) -> int:
        """Grows with every change, live-state write and metadata write (the room's token): cheap to poll."""
        with self._lock:
            return int(self._value(self._VERSION_SQL))

    def changes(self, since: int = 0, limit: int | None = None, who: str | None = None) -> list[Change]:
        sql = "SELECT seq, batch, ts, who, kind, record_id, op, before, after FROM changes WHERE seq>?"
        args: list[Any] = [since]
        if who is not None:
            sql += " AND who=?"
            args.append(who)
        if limit is not None:
            sql = f"SELECT * FROM ({sql} ORDER BY seq DESC LIMIT ?) AS recent"
            args.append(limit)
        with self._lock:
            rows = self._rows(sql + " ORDER BY seq", args)
        return [Change(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                       None if r[7] is None else json.loads(r[7]),
                       None if r[8] is None else json.loads(r[8])) for r in rows]

    def last_seq(self) -> int:
        with self._lock:
            return int(self._value("SELECT COALESCE(max(seq), 0) FROM changes"))

    def undo(self, who: str, check: Revert | None = None) -> list[Change]:
        """Revert ``who``'s newest change that is not undone yet; returns what was reverted.

        ``check(change, current, target)`` is asked for every record before it is set back (inside the
        transaction): it raises to refuse the whole step, as kit.access does for a participant."""
        with self.transaction(who):
            row = self._row(
                "SELECT batch FROM changes WHERE who=? AND op IN ('add','update','remove','redo') "
                "AND undone=0 ORDER BY seq DESC LIMIT 1", (who,))
            if row is None:
                raise NotFound("store.nothing_to_undo", who=who)
            return self._revert(row[0], "undo", who, check)

    def redo(self, who: str, check: Revert | None = None) -> list[Change]:
        """Re-apply ``who``'s newest undo, unless ``who`` made a new change after it (``check``: as for undo)."""
        with self.transaction(who):
            row = self._row(
                "SELECT batch, seq FROM changes WHERE who=? AND op IN ('add','update','remove','undo','redo') "
                "ORDER BY seq DESC LIMIT 1", (who,))
            newest_undo = self._row(
                "SELECT batch FROM changes WHERE who=? AND op='undo' AND undone=0 ORDER BY seq DESC LIMIT 1", (who,))
            if row is None or newest_undo is None or self._batch_op(row[0]) not in ("undo", "redo"):
                raise NotFound("store.nothing_to_redo", who=who)
            return self._revert(newest_undo[0], "redo", who, check)

    def _batch_op(self, batch: int) -> str:
        return str(self._value("SELECT op FROM changes WHERE batch=? LIMIT 1", (batch,)))

    def _revert(self, batch: int, op: str, who: str, check: Revert | None) -> list[Change]:
        rows = [c for c in self.changes(batch - 1) if c.batch == batch]
        for change in reversed(rows):
            current = self.get(change.kind, change.record_id)
            if current != change.after:
                mover = self._row("SELECT who FROM changes WHERE kind=? AND record_id=? ORDER BY seq DESC LIMIT 1",
                                  (change.kind, change.record_id))
                raise UndoConflict("store.undo_conflict", op=op, kind=change.kind, id=change.record_id,
                                   who=mover[0] if mover else "someone")
            fields = set(model.KINDS[change.kind].field_names)  # a change logged before an upgrade: today's fields
            before = {k: v for k, v in (change.before or {}).items() if k in fields}
            if check is not None:
                check(change, current, None if change.before is None else before)
            if change.before is None:
                self._rows(f'DELETE FROM "{change.kind}" WHERE id=?', (change.record_id,))
            elif current is None:
                self._put(change.kind, before, change.record_id)
            else:
                self._write(change.kind, change.record_id, before)
            self._log(change.kind, change.record_id, op, change.after, change.before)
        self._rows("UPDATE changes SET undone=1 WHERE batch=?", (batch,))
        return rows

    # ------------------------------------------------------------------ snapshots
    def save_snapshot(self, name: str, data: dict[str, Any], who: str) -> None:
        with self.transaction(who):
            if self._row("SELECT 1 FROM snapshots WHERE name=?", (name,)):
                raise UsageError("store.snapshot_exists", name=name)
            self._rows("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)", (name, self.last_seq(), now(), who, dumps(data)))

    def snapshots(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._rows("SELECT name, seq, ts, who FROM snapshots ORDER BY seq, ts")
        return [{"name": r[0], "seq": r[1], "ts": r[2], "who": r[3]} for r in rows]

    def load_snapshot(self, name: str) -> dict[str, Any]:
        with self._lock:
            row = self._row("SELECT data FROM snapshots WHERE name=?", (name,))
        if row is None:
            names = ", ".join(s["name"] for s in self.snapshots()) or "none yet"
            raise NotFound("store.no_snapshot", name=name, names=names)
        data: dict[str, Any] = json.loads(row[0])
        return data

    # ------------------------------------------------------------------ live state
    _LIVE_SQL = ("INSERT INTO live VALUES (?, ?, (SELECT COALESCE(max(rev), 0) + 1 FROM live)) "
                 "ON CONFLICT(key) DO UPDATE SET value=excluded.value, rev=excluded.rev")

    def set_live(self, key: str, value: Any) -> None:
        """Facilitator state (current step, lock, reveal): shared, not undoable."""
        with self.transaction(self._who or "live"):
            self._rows(self._LIVE_SQL, (key, dumps(value)))

    def live(self) -> dict[str, Any]:
        with self._lock:
            rows = self._rows("SELECT key, value FROM live")
        return {k: json.loads(v) for k, v in rows}

    def meta(self) -> dict[str, str]:
        with self._lock:
            return {k: v for k, v in self._rows("SELECT key, value FROM meta")}

    # ------------------------------------------------------------------ the participant room's token
    def set_room_digest(self, digest: str | None) -> None:
        """Open (hex SHA-256 of the participant token) or close (None) the room; the room's pages see it move.

        Only the digest is kept, in meta (participants never read meta); the write counts in the
        metadata's revision (``META_REV``), part of :meth:`version`, so every room process watching the
        workshop notices at once.
        """
        with self.transaction(self._who or "room"):
            self._rows("DELETE FROM meta WHERE key=?", (ROOM_DIGEST,))
            if digest is not None:
                self._rows("INSERT INTO meta VALUES (?, ?)", (ROOM_DIGEST, digest))
            self._meta_written()

    def _meta_written(self) -> None:
        """Inside the transaction that wrote to meta: count it, so :meth:`version` moves."""
        self._rows("INSERT INTO meta VALUES (?, '1') ON CONFLICT(key) DO UPDATE "
                   "SET value=CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)", (META_REV,))

    def room_digest(self) -> str | None:
        """The hex digest of the open room's participant token, or None when the room is closed."""
        with self._lock:
            row = self._row("SELECT value FROM meta WHERE key=?", (ROOM_DIGEST,))
        return str(row[0]) if row is not None else None

    # ------------------------------------------------------------------ whole tables (kit copy)
    def columns(self, table: str) -> list[str]:
        if table in model.KINDS:
            return ["id", *(f.name for f in model.KINDS[table].fields)]
        return {"meta": ["key", "value"], "live": ["key", "value", "rev"],
                "snapshots": ["name", "seq", "ts", "who", "data"],
                "changes": ["seq", "batch", "ts", "who", "kind", "record_id", "op", "before", "after", "undone"]}[table]

    def read_table(self, table: str) -> list[tuple[Any, ...]]:
        """Every row of one table as stored, in a fixed order."""
        cols = self.columns(table)
        with self._lock:
            return self._rows(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}" '
                              f'ORDER BY "{cols[0]}"')

    def replace_table(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Inside a transaction: make ``table`` hold exactly ``rows`` (a fresh store being filled)."""
        cols = self.columns(table)
        self._rows(f'DELETE FROM "{table}"')
        sql = (f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
               f'VALUES ({", ".join("?" for _ in cols)})')
        self._many(sql, rows)

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement for many rows (a backend may send them in one go)."""
        for row in rows:
            self._rows(sql, row)


def to_sql(f: model.Field, value: Any) -> Any:
    if f.type in _JSON_TYPES:
        return dumps(value if value is not None else f.empty())
    if f.type == "bool":
        return int(bool(value))
    return value


def from_row(k: model.Kind, row: Sequence[Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"id": row[0]}
    for f, value in zip(k.fields, row[1:], strict=True):
        if f.type in _JSON_TYPES:
            value = json.loads(value) if value is not None else f.empty()
        elif f.type == "bool":
            value = bool(value)
        elif value is None and f.type in ("text",):
            value = ""
        record[f.name] = value
    return record
