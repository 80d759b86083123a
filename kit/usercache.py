"""The user's cache: what the kit derives from files of this machine, kept so the next command need not derive it
again (pyphen's parsed dictionaries, the fonts' advance tables, the report page's skeleton).

It lives in ``$XDG_CACHE_HOME/workshop-kit`` (else ``~/.cache/workshop-kit``), the user's own: a folder the kit
does not own alone, or one others may write to, is not used (what it holds goes into every report). Each entry
is named after what it was derived from (a file's size and time), is written whole or not at all, and any
trouble with the cache only means deriving again.
"""
from __future__ import annotations

import contextlib
import marshal
import os
import stat
import tempfile
from pathlib import Path
from typing import Any


def folder(*parts: str) -> Path | None:
    """The cache's folder (``parts`` below it), made where missing; None where it cannot be the user's own."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "workshop-kit"
        path = base.joinpath(*parts)
        for made in (base, path):
            made.mkdir(mode=0o700, parents=True, exist_ok=True)
            found = made.stat()
            if found.st_uid != os.getuid() or found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return None
    except (OSError, RuntimeError):  # RuntimeError: no home to find
        return None
    return path


def entry(source: Path, name: str, *parts: str) -> Path | None:
    """Where the cache keeps ``name`` derived from the file ``source`` (its size and time in the name, so a
    changed file is derived again); None without a cache or without the file."""
    where = folder(*parts)
    if where is None:
        return None
    try:
        found = source.stat()
    except OSError:
        return None
    return where / f"{name}-{found.st_size}-{found.st_mtime_ns}.marshal"


def read(path: Path | None) -> object:
    """The data kept at ``path`` by :func:`keep_data` (plain values: marshal, which runs no code), or None where
    there is none or it is damaged (the caller checks its shape)."""
    if path is None:
        return None
    try:
        return marshal.loads(path.read_bytes())  # noqa: S302 - plain data the kit wrote, in the user's own folder
    except (OSError, ValueError, EOFError, TypeError):
        return None


def keep_data(path: Path, data: Any) -> None:
    """Keep plain values (numbers, strings, tuples, lists, dicts of them) at ``path`` for :func:`read`."""
    keep(path, marshal.dumps(data))


def keep(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (also with two commands at once), readable by the user alone;
    a cache that cannot take it is left as it is."""
    try:
        out = tempfile.NamedTemporaryFile(dir=path.parent, delete=False)  # noqa: SIM115 - 0600, closed below
    except OSError:
        return
    try:
        with out:
            out.write(data)
        os.replace(out.name, path)
    except OSError:  # e.g. the disk full: no half entry left behind
        with contextlib.suppress(OSError):
            os.unlink(out.name)
