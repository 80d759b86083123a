"""Workshops to and from files: the versioned JSON format, CSV per collection, readable history.

JSON format (``FORMAT_VERSION`` 1), documented in docs/FORMAT.md::

    {"format": "workshop-kit", "version": 1, "workshop": {...fields},
     "observations": [{"id": 1, ...fields}], ..., "followups": [...]}

Records keep their ids, so references between them survive a round trip. Loading a document
gives a new Store; ``kit.samples.load`` wraps it in a Workshop (this module never builds one).
"""
from __future__ import annotations

import csv
import datetime as _dt
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import model
from .errors import StoreError, ValidationError
from .store import Change, Store, create_store

if TYPE_CHECKING:
    from .store.abc import WorkshopHandle

FORMAT = "workshop-kit"
FORMAT_VERSION = 1
_STRUCTURED = {"refs", "strs", "scores", "measurements", "feedback"}


def dump(workshop: WorkshopHandle) -> dict[str, Any]:
    """The whole workshop as plain data (the JSON format)."""
    info = {k: v for k, v in workshop.info.items() if k != "id"}
    data: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION, "workshop": info}
    for name in model.COLLECTIONS:
        data[name] = getattr(workshop, name).all()
    return data


def to_json(workshop: WorkshopHandle) -> str:
    return json.dumps(dump(workshop), ensure_ascii=False, indent=1)


def check_document(data: Any, where: str = "JSON") -> dict[str, Any]:
    """Refuse documents that are not ours or are newer, naming what is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError("document.not_ours", where=where, format=FORMAT)
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise StoreError("document.newer", where=where, version=version, supported=FORMAT_VERSION)
    unknown = set(data) - {"format", "version", "workshop", *model.COLLECTIONS}
    if unknown:
        raise StoreError("document.unknown_keys", where=where, keys=", ".join(sorted(unknown)))
    if not isinstance(data.get("workshop"), dict):
        raise StoreError("document.no_workshop", where=where)
    return data


Records = dict[str, list[tuple[int, dict[str, Any]]]]


def validate_document(data: Any, where: str = "JSON") -> tuple[dict[str, Any], Records]:
    """The workshop fields and, per collection, (id, clean values) of a document; refuses any mistake."""
    check_document(data, where)
    info = model.KINDS["workshop"].validate(data["workshop"])
    records: Records = {}
    for name in model.COLLECTIONS:
        kind = model.BY_COLLECTION[name]
        rows = data.get(name, [])
        if not isinstance(rows, list):
            raise StoreError("document.not_a_list", where=where, name=name)
        seen: set[int] = set()
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or not isinstance(row.get("id"), int) or row["id"] < 1:
                raise StoreError("document.bad_id", where=where, name=name, index=i)
            if row["id"] in seen:
                raise StoreError("document.repeated_id", where=where, name=name, index=i, id=row["id"])
            seen.add(row["id"])
            values = kind.validate(_upgraded(kind.name, {k: v for k, v in row.items() if k != "id"}))
            kind.check_record(values)
            records.setdefault(name, []).append((row["id"], values))
    _check_links(records)
    return info, records


def _upgraded(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """A record written before schema 3: an idea's ``feedback_result`` text becomes its feedback log."""
    if kind == "idea" and "feedback_result" in row:
        text = row.pop("feedback_result") or ""
        if not row.get("feedback_log") and isinstance(text, str):
            row["feedback_log"] = model.feedback_from_text(text, _dt.date.today().isoformat())
    return row


def load_into_new(path: str | os.PathLike[str], data: Any, where: str, actor: str) -> Store:
    """Create a workshop file at ``path`` from a JSON document and return its open Store.

    The whole document is validated first, so nothing is written if any of it is wrong.
    """
    info, records = validate_document(data, where)
    store = create_store(path, info, actor)
    try:
        with store.transaction(actor):
            for name, rows in records.items():
                for record_id, values in rows:
                    store.insert(model.BY_COLLECTION[name].name, values, actor, record_id=record_id)
    except BaseException:
        store.destroy()  # ours: we created it a moment ago
        raise
    return store


def _check_links(records: Records) -> None:
    ids = {model.BY_COLLECTION[n].name: {rid for rid, _ in rows} for n, rows in records.items()}
    for name, rows in records.items():
        kind = model.BY_COLLECTION[name]
        for record_id, values in rows:
            for f in kind.fields:
                if f.ref is None or values.get(f.name) in (None, []):
                    continue
                wanted = values[f.name] if isinstance(values[f.name], list) else [values[f.name]]
                missing = [i for i in wanted if i not in ids.get(f.ref, set())]
                if missing:
                    raise ValidationError(kind.name, f.name, "validation.record_missing_ref", of=kind.name,
                                          id=record_id, ref=f.ref, ids=", ".join(map(str, missing)))


# ---------------------------------------------------------------------------- CSV
def write_csv(kind: model.Kind, records: Iterable[dict[str, Any]], path: Path) -> Path:
    """One row per record of ``kind``; lists and mappings are JSON inside their cell."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", *kind.field_names])
        for record in records:
            writer.writerow([record["id"], *(_cell(kind.field(n), record[n]) for n in kind.field_names)])
    return path


def _cell(f: model.Field, value: Any) -> str:
    if f.type in _STRUCTURED:
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    if f.type == "bool":
        return "true" if value else "false"
    return str(value)


def read_csv(kind: model.Kind, path: Path, keep_ids: bool = False) -> list[dict[str, Any]]:
    """Rows of a CSV as field values ready for ``add_many``; the id column only with ``keep_ids``."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        unknown = set(reader.fieldnames or []) - {"id", *kind.field_names}
        if unknown:
            raise StoreError("document.unknown_columns", file=str(path), columns=", ".join(sorted(unknown)),
                             kind=kind.name)
        rows = []
        for line, row in enumerate(reader, start=2):
            values: dict[str, Any] = {}
            if keep_ids:
                try:
                    values["id"] = int(row.get("id") or "")
                except ValueError:
                    raise StoreError("document.csv_id", file=path.name, line=line) from None
            for name, cell in row.items():
                if name == "id" or name is None:
                    continue
                f = kind.field(name)
                if f.type in _STRUCTURED:
                    try:
                        values[name] = json.loads(cell) if cell.strip() else f.empty()
                    except json.JSONDecodeError:
                        raise ValidationError(kind.name, name, "validation.csv_json", file=path.name, line=line,
                                              got=repr(cell[:30])) from None
                elif f.type in ("int", "float", "ref", "date", "datetime") and cell == "":
                    values[name] = None
                else:
                    values[name] = cell
            rows.append(values)
    return rows


# ---------------------------------------------------------------------------- history, diff
def describe(change: Change) -> str:
    """``2026-11-23 10:03 anna added observation 4: "Kunde zögert …"``."""
    verbs = {"add": "added", "update": "changed", "remove": "removed", "undo": "undid", "redo": "redid"}
    record = change.after or change.before or {}
    title_field = model.KINDS[change.kind].title_field
    title = str(record.get(title_field, "")).replace("\n", " ")
    if len(title) > 40:
        title = title[:39] + "…"
    detail = ""
    if change.op == "update" and change.before and change.after:
        fields = [k for k in change.after if change.after[k] != change.before.get(k)]
        detail = f" ({', '.join(fields)})"
    when = change.ts[:16].replace("T", " ")
    return f"{when} {change.who} {verbs.get(change.op, change.op)} {change.kind} {change.record_id}{detail}: {title!r}"


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, list[Any]]]:
    """Per collection: records added, removed, and changed (with the fields that changed)."""
    out: dict[str, dict[str, list[Any]]] = {}
    for name in model.COLLECTIONS:
        before = {r["id"]: r for r in old.get(name, [])}
        after = {r["id"]: r for r in new.get(name, [])}
        changed = [{"id": i, "fields": sorted(k for k in after[i] if after[i][k] != before[i].get(k))}
                   for i in sorted(before.keys() & after.keys()) if before[i] != after[i]]
        entry = {"added": [after[i] for i in sorted(after.keys() - before.keys())],
                 "removed": [before[i] for i in sorted(before.keys() - after.keys())],
                 "changed": changed}
        if any(entry.values()):
            out[name] = entry
    return out
