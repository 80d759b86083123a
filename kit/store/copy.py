"""``kit copy SRC DST``: one whole workshop from any store to any other, exactly.

Exactly means every table as stored (records, change log, snapshots, votes, live state, meta)
and the id counters, so the copy hands out the same next ids and its JSON dump equals the
source's; only an open participant room is not copied (a copy starts with its room closed).
The source is read inside one transaction (a consistent state while others write); the
destination is created new (never overwriting) and filled in one transaction, and removed
again if anything fails, so there is never half a copy.
"""
from __future__ import annotations

import sys
from typing import Any

from .base import ROOM_DIGEST, Store, tables

#: Rows from which ``kit copy`` shows a progress bar.
PROGRESS_FROM = 5000


def copy_workshop(source: Any, destination: Any, who: str, progress: bool = True) -> Store:
    """Copy the workshop at ``source`` to the new ``destination``; returns the copy, open."""
    from . import create_store, open_store

    src = open_store(source)
    try:
        with src.transaction(who):
            content = {table: src.read_table(table) for table in tables()}
            content["meta"] = [row for row in content["meta"] if row[0] != ROOM_DIGEST]
            counters = src.id_counters()
        info = src.get("workshop", 1) or {}
    finally:
        src.close()
    dst = create_store(destination, {k: v for k, v in info.items() if k != "id"}, who)
    try:
        total = sum(len(rows) for rows in content.values())
        with _bar(total, progress and total >= PROGRESS_FROM) as bar, dst.transaction(who):
            for table, rows in content.items():
                dst.replace_table(table, rows)
                bar.update(len(rows))
            dst.set_id_counters(counters)
    except BaseException:
        dst.destroy()
        raise
    return dst


def _bar(total: int, shown: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="rows", desc="kit copy", disable=not shown, file=sys.stderr, leave=False)
