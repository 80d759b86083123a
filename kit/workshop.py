"""The public API the notebooks use: ``kit.new``, ``kit.open``, a Workshop and its collections.

A Workshop wraps one Store. Collections validate through the model, so every caller (a
notebook cell, a widget, the CLI) gets the same rules and the same error messages.
"""
from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import access, formats, model
from .canvas import Canvas, check_revert
from .canvases import declaration
from .collection import Collection
from .errors import StoreError, UsageError, WorkshopError
from .roster import team_of
from .store import Change, create_store, open_store
from .store.abc import WorkshopStore

ROLES = access.ROLES


def default_actor() -> str:
    """Who writes: $KIT_USER, else the login name."""
    try:
        return os.environ.get("KIT_USER") or getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "facilitator"


class Workshop:
    """One open workshop file. Every change is committed at once; there is no save."""

    def __init__(self, store: WorkshopStore, actor: str | None = None, role: str = "facilitator"):
        if role not in ROLES:
            raise UsageError("workshop.role", choices=", ".join(ROLES), got=role)
        self.store: WorkshopStore = store
        #: Who writes, as people see it: a participant's name, or the facilitator's login.
        self.name = actor or default_actor()
        #: Who writes, as the change log keeps it (undo and redo follow it): a participant's in their own
        #: namespace (``participant:Anna``), so no participant can ever act as the facilitator.
        self.actor = access.actor_of(self.name, role)
        self.role = role
        for name in model.COLLECTIONS:
            setattr(self, name, Collection(self, model.BY_COLLECTION[name]))
        self._listeners: list[Callable[[list[Change]], None]] = []

    observations: Collection
    hypotheses: Collection
    interviews: Collection
    evidence: Collection
    learning_cards: Collection
    canvas_items: Collection
    touchpoints: Collection
    ideas: Collection
    actions: Collection
    kpis: Collection
    followups: Collection

    def __repr__(self) -> str:
        return f"<Workshop {self.info['title']!r} at {self.location}>"

    def __enter__(self) -> Workshop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        """The workshop file; a workshop on a server has none (StoreError): use ``location``."""
        return self.store.path

    @property
    def location(self) -> str:
        """Where the workshop lives, safe to show and to pass to ``kit.open``: a path or a URL
        without its password (other processes take it from PGPASSWORD or ~/.pgpass)."""
        return self.store.location

    def close(self) -> None:
        self.store.close()

    def viewer(self, team: str | None = None) -> access.Viewer:
        """Who this handle is for kit.access: the name, the role, and the team (``team``, else the one a
        participant joined)."""
        if not access.is_participant(self.role):
            return access.Viewer(self.name, team or "")
        return access.Viewer(self.name, team or team_of(self, self.name) or "", participant=True)

    # ------------------------------------------------------------------ the workshop record
    @property
    def info(self) -> dict[str, Any]:
        """Title, client, date, facilitator, language, teams, personas, purpose."""
        record = self.store.get("workshop", 1)
        if record is None:  # a file whose workshop row was removed by hand
            raise StoreError()
        return record

    @property
    def language(self) -> str:
        return str(self.info["language"])

    def set(self, **fields: Any) -> dict[str, Any]:
        """Change workshop fields, e.g. ``ws.set(teams=["Blau", "Grün"])``."""
        values = model.KINDS["workshop"].validate(fields, partial=True)
        return self.store.update("workshop", 1, values, self.actor)

    # ------------------------------------------------------------------ canvases
    def canvas(self, canvas_id: str) -> Canvas:
        """A canvas declared in canvases/, e.g. ``ws.canvas("value_proposition")``."""
        return Canvas(self, declaration(canvas_id))

    # ------------------------------------------------------------------ history
    def undo(self) -> list[Change]:
        """Revert your newest change (other people's changes stay); a participant's only where kit.access
        would allow the same change now (lock, open vote, budget, whose note, which team)."""
        return self.store.undo(self.actor, self._check_revert)

    def redo(self) -> list[Change]:
        """Re-apply your newest undo, under the same rules as :meth:`undo`."""
        return self.store.redo(self.actor, self._check_revert)

    def _check_revert(self, change: Change, current: dict[str, Any] | None, target: dict[str, Any] | None) -> None:
        check_revert(self, change, current, target)

    def history(self, limit: int | None = 50) -> list[str]:
        """The newest changes as readable lines, oldest first."""
        return [formats.describe(c) for c in self.store.changes(limit=limit)]

    def snapshot(self, name: str) -> str:
        """Keep the current state under ``name`` (e.g. "after interviews") to compare later."""
        name = model.Field("name", "text", required=True).clean("snapshot", name).strip()
        self.store.save_snapshot(name, self.to_dict(), self.actor)
        return name

    def snapshots(self) -> list[dict[str, Any]]:
        return self.store.snapshots()

    def compare(self, name: str, other: str | None = None) -> dict[str, dict[str, list[Any]]]:
        """What changed between snapshot ``name`` and ``other`` (default: now), per collection."""
        newer = self.store.load_snapshot(other) if other else self.to_dict()
        return formats.diff(self.store.load_snapshot(name), newer)

    # ------------------------------------------------------------------ formats
    def to_dict(self) -> dict[str, Any]:
        return formats.dump(self)

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        text = formats.to_json(self)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # ------------------------------------------------------------------ live updates
    def version(self) -> int:
        """Grows with every change anyone makes; poll it to notice other kernels' work."""
        return self.store.version()

    def changes_since(self, seq: int) -> list[Change]:
        return self.store.changes(seq)

    @property
    def live(self) -> dict[str, Any]:
        """Shared facilitator state: current step, lock, reveal, vote budget, timer."""
        return self.store.live()

    def set_live(self, key: str, value: Any) -> None:
        self.store.set_live(key, value)


def new(path: str | os.PathLike[str] | None, title: str, language: str = "de", *, actor: str | None = None,
        **fields: Any) -> Workshop:
    """Create a workshop at ``path`` (never overwrites) and return it open.

    ``path`` is a file or ``postgresql://user@host:port/db?workshop=key``; None means $KIT_WORKSHOP.
    """
    values = model.KINDS["workshop"].validate({"title": title, "language": language, **fields})
    actor = actor or default_actor()
    return Workshop(create_store(path, values, actor), actor)


def open(path: str | os.PathLike[str] | None, *, actor: str | None = None,  # noqa: A001
         role: str = "facilitator") -> Workshop:
    """Open an existing workshop (a file or a ``postgresql://`` URL; None: $KIT_WORKSHOP).

    A foreign, corrupt or newer workshop raises a StoreError and is left unchanged.

    A ``participant`` cannot change a canvas the facilitator has locked.
    """
    return Workshop(open_store(path), actor, role)


__all__ = ["Collection", "Workshop", "WorkshopError", "default_actor", "new", "open"]
