"""The public API the notebooks use: ``kit.new``, ``kit.open``, a Workshop and its collections.

A Workshop wraps one Store. Collections validate through the model, so every caller (a
notebook cell, a widget, the CLI) gets the same rules and the same error messages.
"""
from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from . import model
from .store import Change, Store, WorkshopError, create_store, open_store

if TYPE_CHECKING:  # pandas loads only when a dataframe is asked for
    import pandas

    from .canvas import Canvas


ROLES = ("facilitator", "participant")


def default_actor() -> str:
    """Who writes: $KIT_USER, else the login name."""
    try:
        return os.environ.get("KIT_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "facilitator"


class Collection:
    """All records of one kind, e.g. ``ws.observations``. Records are plain dicts with an ``id``."""

    def __init__(self, workshop: "Workshop", kind: model.Kind, **scope: Any):
        self.workshop, self.kind, self.scope = workshop, kind, scope

    @property
    def _store(self) -> Store:
        return self.workshop.store

    def __repr__(self) -> str:
        return f"<{self.kind.collection}: {len(self)} records>"

    def __len__(self) -> int:
        return len(self.all()) if self.scope else self._store.count(self.kind.name)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.all())

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, int) and self.get(record_id) is not None

    def all(self, **where: Any) -> list[dict[str, Any]]:
        return self._store.all(self.kind.name, **{**self.scope, **where})

    def get(self, record_id: int) -> dict[str, Any] | None:
        record = self._store.get(self.kind.name, record_id)
        if record is None or any(record.get(k) != v for k, v in self.scope.items()):
            return None
        return record

    def __getitem__(self, record_id: int) -> dict[str, Any]:
        record = self.get(record_id)
        if record is None:
            raise KeyError(f"no {self.kind.name} with id {record_id}")
        return record

    def add(self, **fields: Any) -> int:
        """Validate and store a new record; returns its id."""
        values = self.kind.validate({**self.scope, **fields})
        self.kind.check_record(values)
        with self._store.transaction(self.workshop.actor):
            self._check_refs(values)
            return self._store.insert(self.kind.name, values, self.workshop.actor)

    def add_many(self, rows: list[dict[str, Any]]) -> list[int]:
        """Add several records in one transaction and one undo step.

        A row may carry an ``id`` to keep (e.g. from a CSV export); a taken id is refused.
        """
        ids = [row.get("id") for row in rows]
        cleaned = [self.kind.validate({**self.scope, **{k: v for k, v in row.items() if k != "id"}})
                   for row in rows]
        for values in cleaned:
            self.kind.check_record(values)
        with self._store.transaction(self.workshop.actor):
            new_ids = [self._store.insert(self.kind.name, v, self.workshop.actor, record_id=i)
                       for i, v in zip(ids, cleaned)]
            for values in cleaned:  # after inserting, so rows may refer to each other
                self._check_refs(values)
            return new_ids

    def update(self, record_id: int, **fields: Any) -> dict[str, Any]:
        """Change the given fields only; returns the updated record."""
        self._require(record_id)
        values = self.kind.validate(fields, partial=True)
        with self._store.transaction(self.workshop.actor):
            self._check_refs(values)
            return self._store.update(self.kind.name, record_id, values, self.workshop.actor,
                                      check=self.kind.check_record)

    def remove(self, record_id: int) -> None:
        """Remove a record (undoable); references to it are cleared in the same step."""
        self._require(record_id)
        self._store.delete(self.kind.name, record_id, self.workshop.actor)

    def vote(self, record_id: int, voter: str, dots: int = 1, budget: int | None = None) -> int:
        """Give (or with negative ``dots`` take back) dots; returns the voter's dots left.

        The budget counts the voter's dots across this whole collection (or canvas), and the
        check runs inside the write transaction, so two laptops cannot overspend together.
        """
        self._require(record_id)
        voter = model.Field("voter", "text", required=True).clean(self.kind.name, voter).strip()
        with self._store.transaction(self.workshop.actor):
            used = sum(r["votes"].get(voter, 0) for r in self.all())
            if budget is not None and dots > 0 and used + dots > budget:
                raise WorkshopError(f"{voter} has used {used} of {budget} dots; take a dot back first")

            def change(record: dict[str, Any]) -> dict[str, Any]:
                votes = dict(record["votes"])
                count = votes.get(voter, 0) + dots
                if count < 0:
                    raise WorkshopError(f"{voter} has no dot on {self.kind.name} {record_id} to take back")
                votes[voter] = count
                if not count:
                    del votes[voter]
                return {"votes": votes}

            self._store.update(self.kind.name, record_id, change, self.workshop.actor)
            return (budget - used - dots) if budget is not None else -1

    def to_dataframe(self) -> "pandas.DataFrame":
        import pandas as pd

        return pd.DataFrame(self.all(), columns=["id", *self.kind.field_names]).set_index("id")

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        from . import formats

        return formats.write_csv(self, Path(path))

    def from_csv(self, path: str | os.PathLike[str], keep_ids: bool = False) -> list[int]:
        """Add the rows of a CSV written by ``to_csv`` (or by hand); returns the new ids.

        With ``keep_ids`` the id column is kept, so references between collections survive.
        """
        from . import formats

        return self.add_many(formats.read_csv(self.kind, Path(path), keep_ids=keep_ids))

    def _require(self, record_id: int) -> None:
        if self.get(record_id) is None:
            raise WorkshopError(f"no {self.kind.name} with id {record_id!r}")

    def _check_refs(self, values: dict[str, Any]) -> None:
        for f in self.kind.fields:
            wanted = values.get(f.name)
            if f.ref is None or wanted in (None, []):
                continue
            ids = wanted if isinstance(wanted, list) else [wanted]
            missing = sorted(set(ids) - self._store.ids(f.ref, ids))
            if missing:
                raise model.ValidationError(self.kind.name, f.name, f"refers to {f.ref} "
                                            f"{', '.join(map(str, missing))}, which does not exist")


class Workshop:
    """One open workshop file. Every change is committed at once; there is no save."""

    def __init__(self, store: Store, actor: str | None = None, role: str = "facilitator"):
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        self.store = store
        self.actor = actor or default_actor()
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

    def __enter__(self) -> "Workshop":
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

    # ------------------------------------------------------------------ the workshop record
    @property
    def info(self) -> dict[str, Any]:
        """Title, client, date, facilitator, language, teams, personas, purpose."""
        record = self.store.get("workshop", 1)
        assert record is not None
        return record

    @property
    def language(self) -> str:
        return self.info["language"]

    def set(self, **fields: Any) -> dict[str, Any]:
        """Change workshop fields, e.g. ``ws.set(teams=["Blau", "Grün"])``."""
        values = model.KINDS["workshop"].validate(fields, partial=True)
        return self.store.update("workshop", 1, values, self.actor)

    # ------------------------------------------------------------------ canvases
    def canvas(self, canvas_id: str) -> "Canvas":
        """A canvas declared in canvases/, e.g. ``ws.canvas("value_proposition")``."""
        from .canvas import Canvas
        from .canvases import declaration

        return Canvas(self, declaration(canvas_id))

    # ------------------------------------------------------------------ history
    def undo(self) -> list[Change]:
        """Revert your newest change (other people's changes stay)."""
        return self.store.undo(self.actor)

    def redo(self) -> list[Change]:
        return self.store.redo(self.actor)

    def history(self, limit: int | None = 50) -> list[str]:
        """The newest changes as readable lines, oldest first."""
        from .formats import describe

        return [describe(c) for c in self.store.changes(limit=limit)]

    def snapshot(self, name: str) -> str:
        """Keep the current state under ``name`` (e.g. "after interviews") to compare later."""
        name = model.Field("name", "text", required=True).clean("snapshot", name).strip()
        self.store.save_snapshot(name, self.to_dict(), self.actor)
        return name

    def snapshots(self) -> list[dict[str, Any]]:
        return self.store.snapshots()

    def compare(self, name: str, other: str | None = None) -> dict[str, dict[str, list]]:
        """What changed between snapshot ``name`` and ``other`` (default: now), per collection."""
        from .formats import diff

        newer = self.store.load_snapshot(other) if other else self.to_dict()
        return diff(self.store.load_snapshot(name), newer)

    # ------------------------------------------------------------------ formats
    def to_dict(self) -> dict[str, Any]:
        from .formats import dump

        return dump(self)

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        from .formats import to_json

        text = to_json(self)
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


__all__ = ["Collection", "Workshop", "WorkshopError", "new", "open", "default_actor"]
