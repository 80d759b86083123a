"""Old workshop files gain the tables and columns of record fields added since they were written.

Why: a facilitator opens last year's workshop with this year's kit and expects it to work.
New fields are always appended to their kind in kit/model.py, so an old file only lacks
trailing columns (``ALTER TABLE ... ADD COLUMN`` appends, and the store reads columns in
field order); a new kind only lacks its table. Both are added in one transaction, before
the store opens the file, so nothing else needs to know which schema a file was born with.

This module speaks SQL and belongs to the store: when the store becomes a package it moves
there unchanged, and ``Store`` calls :func:`upgrade` on opening (see the lead's merge note).
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from . import model
from .store import _SQL_TYPES, SCHEMA_VERSION, WorkshopError, _table_sql, check_file


def missing(conn: sqlite3.Connection) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Tables missing from the file, and columns missing from its tables as (table, column, SQL type)."""
    tables: list[str] = []
    columns: list[tuple[str, str, str]] = []
    for kind in model.KINDS.values():
        have = {row[1] for row in conn.execute(f'PRAGMA table_info("{kind.name}")')}
        if not have:
            tables.append(kind.name)
            continue
        columns += [(kind.name, f.name, _SQL_TYPES.get(f.type, "TEXT")) for f in kind.fields if f.name not in have]
    return tables, columns


def upgrade(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> list[str]:
    """Add what is missing and record ``version``, in one transaction; returns the statements run."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        tables, columns = missing(conn)
        statements = [_table_sql(model.KINDS[name]) for name in tables]
        statements += [f'ALTER TABLE "{table}" ADD COLUMN "{column}" {sql_type}' for table, column, sql_type in columns]
        for statement in statements:
            conn.execute(statement)
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version' AND CAST(value AS INTEGER) < ?",
                     (str(version), version))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return statements


def upgrade_file(path: str | os.PathLike[str]) -> list[str]:
    """Bring an older workshop file up to this kit's tables; a current file is only read.

    A foreign, corrupt or newer file is left to the store to refuse; an old file on a
    read-only disk is refused with one line, unchanged."""
    path = Path(path)
    try:
        check_file(path)
        with _connection(f"{path.resolve().as_uri()}?mode=ro") as ro:
            tables, columns = missing(ro)
    except (WorkshopError, sqlite3.DatabaseError):
        return []  # Store(path) gives the one-line refusal
    if not tables and not columns:
        return []
    try:
        with _connection(str(path)) as rw:
            return upgrade(rw)
    except sqlite3.OperationalError as exc:
        raise WorkshopError(f"{path}: written by an older workshop-kit and cannot be updated ({exc}); "
                            "left unchanged") from None


def _connection(target: str) -> closing[sqlite3.Connection]:
    """A connection closed on leaving the ``with`` (sqlite3's own ``with`` only commits)."""
    return closing(sqlite3.connect(target, uri=target.startswith("file:"), isolation_level=None, timeout=60))
