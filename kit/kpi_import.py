"""KPI measurements from the client's systems (``kit import WS FILE --into measurements``): all or nothing.

A CSV or XLSX export with the columns ``kpi`` (the criterion or its id), ``date``, ``value`` and
``note`` (German headers too: Kennzahl, Datum, Wert, Notiz; others through ``--map kpi=Column``) is
read like every other import (kit/importing.py): the same preview, every row checked first and refused
by its line number, then all rows in one transaction, which is one undo step. A row that is already
stored (same KPI, date, value and note) is skipped, so a monthly export holding the whole history can be
imported again; the same KPI and date with another value is refused rather than silently replaced.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import access, i18n, model
from .errors import UsageError, WorkshopError
from .importing import ImportPlan, Target, _datetime, read_table

if TYPE_CHECKING:
    from .workshop import Workshop

INTO = "measurements"
COLUMNS: dict[str, tuple[str, ...]] = {
    "kpi": ("kpi", "kpi id", "criterion", "kennzahl", "kriterium", "id"),
    "date": ("date", "datum", "day", "tag", "month", "monat"),
    "value": ("value", "wert", "measurement", "messwert"),
    "note": ("note", "notes", "comment", "notiz", "kommentar", "bemerkung"),
}


@dataclass
class MeasurementTarget(Target):
    """The KPIs' measurements as an import target."""

    @property
    def title(self) -> str:
        return i18n.t("tracking.measurements", self.ws.language)


@dataclass
class MeasurementPlan(ImportPlan):
    """Checked measurements of one file; :meth:`commit` writes them in one transaction."""

    skipped: int = 0  # rows already stored exactly so

    def summary(self, language: str) -> str:
        mapped = ", ".join(f"{self.table.columns[i]} → {name}" for name, i in self.columns.items())
        text = i18n.t("tracking.import_summary", language, n=len(self.rows), file=self.table.name, columns=mapped)
        if self.skipped:
            text += " " + i18n.t("tracking.import_skipped", language, n=self.skipped)
        if self.ignored:
            text += " " + i18n.t("journey.import_ignored", language, columns=", ".join(self.ignored))
        return text

    def commit(self) -> list[int]:
        """Add every row to its KPI in one transaction (one undo step); returns the KPI of each row added."""
        self.check()
        ws = self.target.ws
        by_kpi: dict[int, list[dict[str, Any]]] = {}
        for _, values in self.rows:
            by_kpi.setdefault(values["kpi"], []).append({k: values[k] for k in ("date", "value", "note")})
        with ws.store.transaction(ws.actor):
            for kpi_id, new in by_kpi.items():
                ws.kpis.update(kpi_id, measurements=[*ws.kpis[kpi_id]["measurements"], *new])
        return [values["kpi"] for _, values in self.rows]


def plan(ws: Workshop, path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> MeasurementPlan:
    """Read ``path`` and check every row as a measurement of an existing KPI (nothing is written)."""
    access.check_facilitator_role(ws.role, "journey.import_participant")
    table = read_table(Path(path))
    lower = [c.strip().lower() for c in table.columns]
    columns: dict[str, int] = {}
    for i, name in enumerate(lower):
        role = next((r for r, names in COLUMNS.items() if name in names), None)
        if role and role not in columns:
            columns[role] = i
    for wanted, column in (mapping or {}).items():
        if wanted not in COLUMNS:
            raise UsageError("journey.import_bad_map", item=f"{wanted}={column}", kind="measurement",
                             fields=", ".join(COLUMNS))
        if column.strip().lower() not in lower:
            raise UsageError("journey.import_map_column", column=column, file=table.name,
                             columns=", ".join(table.columns))
        columns = {k: v for k, v in columns.items() if v != lower.index(column.strip().lower())}
        columns[wanted] = lower.index(column.strip().lower())
    for needed in ("kpi", "date", "value"):
        if needed not in columns:
            raise UsageError("journey.import_no_column", field=needed, file=table.name,
                             columns=", ".join(table.columns) or "-")
    ignored = [c for i, c in enumerate(table.columns) if c and i not in columns.values()]
    result = MeasurementPlan(MeasurementTarget(ws, None, model.KINDS["kpi"]), table, columns, ignored)
    kpis = {k["id"]: k for k in ws.kpis}
    names = {k["criterion"].strip().lower(): k["id"] for k in kpis.values()}
    stored = {(k["id"], m["date"]): m for k in kpis.values() for m in k["measurements"]}
    seen: set[tuple[int, str]] = set()
    for line, cells in table.rows:
        raw = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        try:
            values = _row(raw, kpis, names)
            key = (values["kpi"], values["date"])
            if key in seen:
                raise UsageError("tracking.import_twice", date=values["date"])
            seen.add(key)
            if key in stored:
                if stored[key] == {k: values[k] for k in ("date", "value", "note")}:
                    result.skipped += 1
                    continue
                raise UsageError("tracking.import_conflict", date=values["date"], value=stored[key]["value"])
        except WorkshopError as exc:
            result.problems.append((line, exc))
            continue
        result.rows.append((line, values))
    return result


def _row(raw: dict[str, str], kpis: dict[int, dict[str, Any]], names: dict[str, int]) -> dict[str, Any]:
    cell = raw["kpi"].strip()
    kpi = int(cell) if cell.isdigit() and int(cell) in kpis else names.get(cell.lower())
    if kpi is None:
        raise UsageError("tracking.import_unknown_kpi", value=cell,
                         kpis=", ".join(f"{k}: {v['criterion'][:40]}" for k, v in kpis.items()) or "-")
    entry = model.KINDS["kpi"].field("measurements").clean(
        "kpi", [{"date": _datetime(raw["date"])[:10], "value": raw["value"].replace("\u2212", "-"),
                 "note": raw.get("note", "")}])[0]
    return {"kpi": kpi, **entry}


__all__ = ["INTO", "MeasurementPlan", "plan"]
