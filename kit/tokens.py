"""Secret tokens in one place: how they are made, kept (only a digest) and compared.

Why one module: a workshop's participant link, the room's token file, ``kit serve``'s two tokens,
the hub's room tokens and every participant's own secret follow the same rules. A token is random
(:func:`make`), never shorter than :data:`MIN_TOKEN` characters nor made of characters that break a
URL (:func:`check`); a store or a process keeps only its SHA-256 (:func:`digest`), and a presented
token is compared with that digest in constant time (:func:`matches`), so a token opens only what
its own digest guards.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from .errors import UsageError

MIN_TOKEN = 16
#: Characters that would end or split a token inside a URL or a token file.
_UNSAFE = "&?#/ %\"'<>"


def make(nbytes: int = 32) -> str:
    """A fresh random token, URL-safe (``nbytes`` random bytes, base64)."""
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> bytes:
    """What is kept of a token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def matches(token: object, wanted: bytes | None) -> bool:
    """Does ``token`` (untrusted, any type) belong to the digest ``wanted``? Constant time; None never matches."""
    return wanted is not None and isinstance(token, str) and hmac.compare_digest(digest(token), wanted)


def check(token: str | None, what: str = "token") -> str:
    """Refuse an empty or guessable token: there is no unauthenticated mode (texts ``cli.token_*``)."""
    if not isinstance(token, str) or len(token.strip()) < MIN_TOKEN:
        raise UsageError("cli.token_short", what=what, length=MIN_TOKEN)
    if not token.isascii() or any(c in token for c in _UNSAFE):
        raise UsageError("cli.token_characters", what=what)
    return token


__all__ = ["MIN_TOKEN", "check", "digest", "make", "matches"]
