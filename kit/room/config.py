"""What a room process serves: workshops by key, each with its token, read from the command line.

``--workshop [KEY=]TARGET`` names a workshop file or ``postgresql://`` URL (the key defaults to the
file's stem, or the URL's ``workshop=`` key, lower-cased); ``--token-file`` holds one line per
workshop, ``KEY TOKEN`` (a file with one bare token serves a single workshop). Tokens are read
once and only their digests kept; the file should be readable by its owner only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .. import tokens
from ..tokens import check as check_token
from .protocol import RoomError
from .rooms import KEY, ROOM_SIZE


@dataclass(frozen=True)
class Entry:
    """One workshop of the room: its URL key, where it lives, its participant token's digest."""

    key: str
    target: str
    token_digest: bytes
    max_members: int = ROOM_SIZE


def key_of(target: str) -> str:
    """A URL key from a workshop file name or a PostgreSQL URL's ``workshop=``."""
    if target.startswith(("postgresql://", "postgres://")):
        name = parse_qs(urlsplit(target).query).get("workshop", ["workshop"])[0]
    else:
        name = Path(target).stem
    key = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")[:64] or "workshop"
    return key


def split_workshop(value: str) -> tuple[str, str]:
    """``KEY=TARGET`` or ``TARGET`` -> (key, target); a URL's own ``=`` is never taken for a key."""
    head, sep, tail = value.partition("=")
    if sep and KEY.match(head) and "://" not in head:
        return head, tail
    return key_of(value), value


def read_tokens(path: Path, keys: list[str]) -> dict[str, str]:
    """Tokens by key from ``path``; refuses missing, short or shared tokens (kit.serve's rules)."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 1 and len(keys) == 1:
            parts = [keys[0], parts[0]]
        if len(parts) == 2:
            found[parts[0]] = parts[1]
    for key in keys:
        check_token(found.get(key), f"participant token of {key}")
    if len(set(found.values())) < len(found):
        raise RoomError("room.duplicate_key", key="(token)")
    return found


def entries(workshops: list[str], token_file: Path | None, max_members: int = ROOM_SIZE) -> list[Entry]:
    if not workshops:
        raise RoomError("room.no_workshop")
    if token_file is None:
        raise RoomError("room.no_token_file")
    pairs = [split_workshop(w) for w in workshops]
    keys = [k for k, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise RoomError("room.duplicate_key", key=key)
    found = read_tokens(token_file, keys)
    return [Entry(key, target, tokens.digest(found[key]), max_members) for key, target in pairs]
