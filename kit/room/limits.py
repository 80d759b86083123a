"""What one participant may ask of the room: notes per minute, characters per note, notes in all.

Why: one page once added 15 notes of 200,000 characters in half a second, after which every small
change cost every page megabytes. The rate limit of kit.room.protocol counts frames; these quotas
count what a person writes (by name, so a second tab or a reconnect shares them). A request past a
quota is answered like any refusal, in one line in the workshop's language, and nothing is saved.
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .protocol import RoomError

NOTES_PER_MINUTE = 30
MAX_NOTES = 300  # notes (and ideas) one participant adds in one room process's life
MAX_NOTE_CHARS = 110_000  # a 100,000-character note is still kept exactly
#: Requests that add a note, and the keys whose text is a note's.
ADDING = ("add", "idea_add")
TEXT_KEYS = ("text", "statement", "name", "notes", "feedback")


@dataclass
class Quota:
    """One participant's notes: when they were added (the last minute's) and how many in all."""

    recent: deque[float] = field(default_factory=deque)
    total: int = 0

    def check(self, request: Mapping[str, Any], now: float | None = None) -> None:
        """Refuse (:class:`RoomError`) a request past a quota; count it if it adds a note."""
        texts = [request.get(k) for k in TEXT_KEYS]
        fields = request.get("fields")
        if isinstance(fields, Mapping):
            texts += [fields.get(k) for k in TEXT_KEYS]
        longest = max((len(t) for t in texts if isinstance(t, str)), default=0)
        if longest > MAX_NOTE_CHARS:
            raise RoomError("room.quota_chars", length=longest, limit=MAX_NOTE_CHARS)
        if request.get("op") not in ADDING:
            return
        now = time.monotonic() if now is None else now
        while self.recent and now - self.recent[0] >= 60.0:
            self.recent.popleft()
        if len(self.recent) >= NOTES_PER_MINUTE:
            raise RoomError("room.quota_rate", limit=NOTES_PER_MINUTE)
        if self.total >= MAX_NOTES:
            raise RoomError("room.quota_total", limit=MAX_NOTES)
        self.recent.append(now)
        self.total += 1
