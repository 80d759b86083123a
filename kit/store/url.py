"""Workshop URLs: ``postgresql://user@host:port/db?workshop=key``, parsed without a server.

Why a module of its own: opening a file must not import the PostgreSQL driver, and the safe
form of a URL (no password, no other query options) is what every message, log, report and
``kit info`` shows. The password is kept only in ``conninfo``, which is never printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from ..errors import StoreError

#: The NOTIFY channel of every workshop on a server; the payload is "<workshop key> <version>".
CHANNEL = "workshop_kit"
#: Seconds to wait for a server to answer a new connection.
CONNECT_TIMEOUT = 10

SCHEMES = ("postgresql", "postgres")
#: server (no password) -> the conninfo that opened a workshop there in this process: its password and
#: options, so that ``kit.open(ws.location)`` in the same process (the report, a participant's view) works.
_opened: dict[str, str] = {}
#: A workshop key: what follows ``?workshop=``; also the name of its schema (``kit_<key>``).
KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,47}")
SCHEMA_PREFIX = "kit_"


def is_url(target: object) -> bool:
    return isinstance(target, str) and target.split("://", 1)[0].lower() in SCHEMES and "://" in target


@dataclass(frozen=True)
class ServerURL:
    """One database on one server, and optionally one workshop in it."""

    conninfo: str = field(repr=False)  # may hold the password: never shown
    server: str  # postgresql://user@host:port/db, no password
    user: str
    database: str
    key: str | None

    @property
    def location(self) -> str:
        """What to show and what reopens the workshop (passwords come from PGPASSWORD/~/.pgpass)."""
        return self.server + (f"?workshop={self.key}" if self.key else "")

    @property
    def schema(self) -> str:
        if self.key is None:
            raise StoreError("store.no_key", url=self.location)
        return SCHEMA_PREFIX + self.key

    def with_key(self, key: str) -> ServerURL:
        check_key(key, self.server)
        return ServerURL(self.conninfo, self.server, self.user, self.database, key)


def check_key(key: str, where: str) -> str:
    if not KEY.fullmatch(key):
        raise StoreError("store.bad_key", key=key, where=where)
    return key


def parse(url: str, need_key: bool = True) -> ServerURL:
    """Split a workshop URL; a malformed one is refused naming only its safe part."""
    try:
        parts = urlsplit(url)
        port = parts.port
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        raise StoreError("store.bad_url", url=_scrub(url)) from None
    user = unquote(parts.username or "")
    host = parts.hostname or ""
    database = unquote(parts.path.lstrip("/"))
    keys = [v for k, v in query if k == "workshop"]
    if parts.scheme.lower() not in SCHEMES or not database or "/" in database or len(keys) > 1:
        raise StoreError("store.bad_url", url=_scrub(url))
    netloc = quote(user, safe="") + "@" if user else ""
    netloc += (f"[{host}]" if ":" in host else quote(host, safe="")) + (f":{port}" if port else "")
    server = f"postgresql://{netloc}/{quote(database, safe='')}"
    key = keys[0] if keys else None
    if key is None and need_key:
        raise StoreError("store.no_key", url=server)
    if key is not None:
        check_key(key, server)
    rest = urlencode([(k, v) for k, v in query if k != "workshop"])
    conninfo = f"postgresql://{parts.netloc}{parts.path}" + (f"?{rest}" if rest else "")
    if parts.password is None and not rest:  # a bare location: what opened this server here before
        conninfo = _opened.get(server, conninfo)
    return ServerURL(conninfo, server, user, database, key)


def remember(url: ServerURL) -> None:
    """``url`` opened a workshop: later bare locations of its server reuse its password and options
    (in this process only; other processes take them from PGPASSWORD or ~/.pgpass)."""
    _opened[url.server] = url.conninfo


def _scrub(url: str) -> str:
    """A malformed URL without anything between ``//`` and ``@`` (a password) and without the query."""
    head, sep, tail = url.partition("://")
    if sep and "@" in tail.split("/", 1)[0]:
        user_part, _, rest = tail.partition("@")
        tail = user_part.split(":", 1)[0] + "@" + rest
    return (head + sep + tail).split("?", 1)[0]
