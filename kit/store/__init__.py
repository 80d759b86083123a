"""The workshop store, the only package that speaks SQL: an SQLite file or a PostgreSQL server.

``open_store(target)`` and ``create_store(target, ...)`` take a file path or a URL
``postgresql://user@host:port/db?workshop=key``; nothing above this package knows which backend
it talks to. The SQLite file is the default for one laptop (``sqlite.py``); PostgreSQL serves
many workshops, facilitators and processes (``postgres.py``, live pushes in ``listener.py``).
Every backend keeps the rules of ``base.Store``. ``$KIT_WORKSHOP`` may hold the target.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import UndoConflict, UsageError, WorkshopError
from .base import SCHEMA_VERSION, Change, Store
from .sqlite import APPLICATION_ID, SQLiteStore, check_file
from .url import is_url, parse

if TYPE_CHECKING:
    from .url import ServerURL

Target = str | os.PathLike[str]


def resolve(target: Target | None) -> Target:
    """The target given, else ``$KIT_WORKSHOP``; one-line error when there is neither."""
    if target is None or target == "":
        target = os.environ.get("KIT_WORKSHOP") or None
    if target is None:
        raise UsageError("store.no_target")
    return target


def open_store(target: Target | None) -> Store:
    """Open an existing workshop: a file path or a ``postgresql://`` URL."""
    target = resolve(target)
    if is_url(target):
        from .postgres import PostgresStore

        return PostgresStore(parse(str(target)))
    return SQLiteStore(target)


def create_store(target: Target | None, workshop: dict[str, Any], who: str) -> Store:
    """Create a new workshop (never replaces one) and return it open."""
    target = resolve(target)
    if is_url(target):
        from .postgres import PostgresStore

        return PostgresStore.create(parse(str(target)), workshop, who)
    return SQLiteStore.create(target, workshop, who)


def server(url: str) -> ServerURL:
    """A database URL (a ``?workshop=`` is allowed and ignored) for listing workshops."""
    if not is_url(url):
        raise UsageError("store.list_needs_url", target=str(url))
    return parse(url, need_key=False)


def list_workshops(url: str) -> list[dict[str, Any]]:
    """Every workshop in the database at ``url``: key, title, last change, location."""
    from .postgres import list_workshops as listing

    return listing(server(url))


def room_digests(url: str) -> dict[str, str]:
    """Every open participant room in the database at ``url`` (one query): workshop key -> token digest (hex)."""
    from .postgres import room_digests as digests

    return digests(server(url))


def rename_workshop(url: str, new_key: str) -> str:
    """Give the workshop at ``url`` the key ``new_key``; returns its new location."""
    from .postgres import rename_workshop as rename

    return rename(parse(url), new_key).location


def delete_workshop(url: str) -> None:
    """Delete the workshop at ``url`` with all it holds (files are deleted as files)."""
    from .postgres import delete_workshop as delete

    if not is_url(url):
        raise UsageError("store.list_needs_url", target=str(url))
    delete(parse(url))


def share_workshop(url: str, name: str) -> None:
    """Give facilitator ``name`` (their login role) the workshop at ``url``; for its owner or an admin."""
    from .roles import share

    share(parse(url), name)


def unshare_workshop(url: str, name: str) -> None:
    """Take the workshop at ``url`` back from facilitator ``name``."""
    from .roles import unshare

    unshare(parse(url), name)


def shared_with(url: str) -> list[str]:
    """The facilitators besides the owner (and admins) who may use the workshop at ``url``."""
    from .roles import shared_with as names

    return names(parse(url))


def add_facilitator(admin_url: str, name: str, password: str) -> None:
    """Create a facilitator's login role on the server at ``admin_url`` (or set its password)."""
    from .roles import add_facilitator as add

    add(server(admin_url), name, password)


__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "Change",
    "SQLiteStore",
    "Store",
    "UndoConflict",
    "WorkshopError",
    "add_facilitator",
    "check_file",
    "create_store",
    "delete_workshop",
    "is_url",
    "list_workshops",
    "open_store",
    "rename_workshop",
    "room_digests",
    "resolve",
    "share_workshop",
    "shared_with",
    "unshare_workshop",
]
