"""One collection of records, e.g. ``ws.observations``, and a canvas's slice of one.

Its own module so that a Canvas (and anything else holding records) can build one without
importing the Workshop: a collection only needs the workshop's store and actor.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import access, formats, model
from .errors import NotFound, Refused, ValidationError

if TYPE_CHECKING:  # pandas loads only when a dataframe is asked for
    import pandas

    from .store.abc import WorkshopHandle, WorkshopStore


class Collection:
    """All records of one kind, e.g. ``ws.observations``. Records are plain dicts with an ``id``."""

    def __init__(self, workshop: WorkshopHandle, kind: model.Kind, **scope: Any):
        self.workshop, self.kind, self.scope = workshop, kind, scope

    @property
    def _store(self) -> WorkshopStore:
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
            raise NotFound("workshop.no_record", kind=self.kind.name, id=record_id)
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
                       for i, v in zip(ids, cleaned, strict=True)]
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
            used = access.votes_used(self.all(), voter)
            access.check_budget(voter, used, dots, budget)  # the one budget rule, also for Canvas.vote

            def change(record: dict[str, Any]) -> dict[str, Any]:
                votes = dict(record["votes"])
                count = votes.get(voter, 0) + dots
                if count < 0:
                    raise Refused("workshop.no_dot", voter=voter, kind=self.kind.name, id=record_id)
                votes[voter] = count
                if not count:
                    del votes[voter]
                return {"votes": votes}

            self._store.update(self.kind.name, record_id, change, self.workshop.actor)
            return (budget - used - dots) if budget is not None else -1

    def to_dataframe(self) -> pandas.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.all(), columns=["id", *self.kind.field_names]).set_index("id")

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        return formats.write_csv(self.kind, self, Path(path))

    def from_csv(self, path: str | os.PathLike[str], keep_ids: bool = False) -> list[int]:
        """Add the rows of a CSV written by ``to_csv`` (or by hand); returns the new ids.

        With ``keep_ids`` the id column is kept, so references between collections survive.
        """
        return self.add_many(formats.read_csv(self.kind, Path(path), keep_ids=keep_ids))

    def _require(self, record_id: int) -> None:
        if self.get(record_id) is None:
            raise NotFound("workshop.no_record", kind=self.kind.name, id=record_id)

    def _check_refs(self, values: dict[str, Any]) -> None:
        for f in self.kind.fields:
            wanted = values.get(f.name)
            if f.ref is None or wanted in (None, []):
                continue
            ids = wanted if isinstance(wanted, list) else [wanted]
            missing = sorted(set(ids) - self._store.ids(f.ref, ids))
            if missing:
                raise ValidationError(self.kind.name, f.name, "validation.missing_ref", ref=f.ref,
                                      ids=", ".join(map(str, missing)))
