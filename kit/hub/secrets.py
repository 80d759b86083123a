"""Secrets in files only their owner can read: made once with mode 0600, refused when others could read them.

Why files and not arguments or printed values: a command line is visible to every user of the
machine (``ps``), and a log outlives the run. The hub's cookie secret, the proxy's token and the
database passwords are read from here and handed on through files or environment variables only.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from ..errors import UsageError


def read_secret(path: Path) -> str:
    """The secret in ``path``; a missing file, one that group or others may read, or an empty one, is refused."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        raise UsageError("hub.no_file", path=str(path)) from None
    if mode & 0o077:
        raise UsageError("hub.secret_mode", path=str(path), mode=f"{mode:04o}")
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise UsageError("hub.secret_empty", path=str(path))
    return value


def ensure_secret(path: Path) -> str:
    """The secret in ``path``, made (32 random bytes as hex, mode 0600) when there is none yet."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_secret(path)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secrets.token_hex(32) + "\n")
    return read_secret(path)


def write_private(path: Path, text: str, owner: tuple[int, int] | None = None) -> Path:
    """Write ``text`` to a new file only its owner can read (e.g. a facilitator's ``.pgpass``), owned by
    ``owner`` (uid, gid) when given. Whatever was at ``path`` is replaced, never followed: a symlink planted
    in a facilitator's home cannot redirect the write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask
    if owner is not None:
        os.fchown(fd, *owner)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return path
