"""Sticky notes from a Miro or Mural board, or Dovetail highlights, into a workshop: all or nothing.

Teams arrive with notes already on a board; typing them again is the first reason to give up
on a new tool. :func:`plan` reads a CSV or XLSX file, recognises the usual column names
(content/text/note, tags, colour, author, frame/group/area, votes, created), lets the user
map the rest (``{"text": "Content", "who": "Segment"}``) or leave a recognised one out
(``{"kind": ""}``), put every row into one area (``area="behaviour"``: a board whose frames are
not the canvas's areas), checks every row and returns an
:class:`ImportPlan` whose :meth:`~ImportPlan.preview` is the dry run. :meth:`~ImportPlan.commit`
writes every row in one transaction, which is one undo step. A bad row is refused by its
line number and reason, and then nothing is written.

Files: UTF-8 with or without a byte-order mark, else Windows-1252 (Excel on Windows), with
commas, semicolons (German Excel) or tabs; an ``.xlsx`` file's first sheet with a header row.
A CSV cell's ``'`` before a formula character (``'=SUM(A1)``, how :mod:`kit.board_csv` makes
its files formula-safe) is removed, so the note reads as it was written.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import access, i18n, model
from .board_csv import unformula
from .errors import UsageError, WorkshopError

if TYPE_CHECKING:
    from .canvas import Canvas
    from .workshop import Collection, Workshop

#: ``--into`` shortcuts: the board each collection is shown on (areas come from its declaration).
BOARDS = {"observations": "observation_board", "ideas": "idea_board"}
#: Column names tools write, lower-cased, per role; a role becomes a field of the target kind below.
ROLES: dict[str, tuple[str, ...]] = {
    "text": ("content", "text", "note", "notes", "sticky", "sticky note", "body", "highlight", "snippet",
             "inhalt", "notiz", "notizen"),
    "tags": ("tags", "tag", "labels", "label", "schlagworte", "schlagwörter"),
    "color": ("colour", "color", "farbe", "fill colour", "fill color", "background colour", "background color"),
    "author": ("author", "created by", "creator", "autor", "autorin", "erstellt von"),
    "area": ("frame", "group", "area", "section", "column", "cluster", "bereich", "gruppe", "spalte"),
    "votes": ("votes", "vote", "dots", "stimmen", "punkte"),
    "created": ("created", "created at", "created on", "date", "erstellt", "erstellt am", "datum"),
    "rank": ("rank", "rang"),
    "links": ("links", "link", "verknüpfungen"),
    "key": ("id",),
    "interview": ("interview", "participant", "interviewee", "source", "document", "gesprächspartner"),
    "stance": ("stance", "code", "coding"),
    "touchpoint": ("touchpoint", "kontaktpunkt"),
    "experience": ("experience", "score", "erlebnis"),
    "hypothesis": ("hypothesis", "hypothese"),
}
#: Who the imported dots belong to (``votes`` maps voter names to dots).
IMPORT_VOTER = "import"
_AUTHOR_FIELDS = ("author", "observed_by", "coded_by")
#: Values a required field takes when the file has no column for it (highlights are uncoded).
DEFAULTS: dict[str, dict[str, str]] = {"evidence": {"stance": "new_insight"}}


class RowRefused(UsageError):
    """One row of the file is wrong: the message names the file, the line and the reason."""

    code = "journey.import_bad_row"

    def __init__(self, file: str, line: int, problem: Exception, more: int = 0,
                 hint: WorkshopError | None = None) -> None:
        self.problem, self.hint = problem, hint
        super().__init__(file=file, line=line, more=more)

    def render(self, language: str = "en") -> str:
        reason = self.problem.render(language) if isinstance(self.problem, WorkshopError) else str(self.problem)
        text = i18n.t(self.code, language, reason=reason, **self.params)
        if self.params["more"]:
            text += " " + i18n.t("journey.import_more", language, n=self.params["more"])
        return text + (" " + self.hint.render(language) if self.hint else "")


class UnknownArea(UsageError):
    """A cell (or ``--area``) names no area of the canvas."""

    code = "journey.import_unknown_area"


# ------------------------------------------------------------------------------- reading files
@dataclass(frozen=True)
class Table:
    """A file's header and its rows with the line each starts on (spreadsheet row for .xlsx)."""

    name: str
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str


def read_table(path: str | Path) -> Table:
    """Read a .csv or .xlsx file; an empty file, a header without rows or an unreadable
    encoding is refused with one line."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        table = _read_xlsx(path)
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        table = _read_csv(path)
    else:
        raise UsageError("journey.import_format", file=path.name, suffix=path.suffix or "-")
    if not any(c.strip() for c in table.columns):
        raise UsageError("journey.import_empty", file=path.name)
    if not table.rows:
        raise UsageError("journey.import_header_only", file=path.name)
    return table


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding: UTF-8 (with or without BOM), else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise UsageError("journey.import_encoding", file=name)
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise UsageError("journey.import_encoding", file=name) from None


def _read_csv(path: Path) -> Table:
    try:
        text, encoding = decode(path.read_bytes(), path.name)
    except UnicodeDecodeError:  # a BOM followed by something that is not UTF-8
        raise UsageError("journey.import_encoding", file=path.name) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    rows, line = [], reader.line_num
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append((line + 1, [unformula(c) for c in cells]))
        line = reader.line_num
    return Table(path.name, [c.strip() for c in header], rows, encoding, delimiter)


def _read_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UsageError("journey.import_xlsx", file=path.name, reason=type(exc).__name__) from None
    try:
        sheet = book.worksheets[0]
        found = [(n, [_xlsx_cell(v) for v in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()
    header = found[0][1] if found else []
    rows = [(n, cells) for n, cells in found[1:] if any(c.strip() for c in cells)]
    return Table(path.name, [c.strip() for c in header], rows, "xlsx", "")


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ------------------------------------------------------------------------------- the target
@dataclass
class Target:
    """Where rows go: a canvas (its collection, area and text fields) or the evidence."""

    ws: Workshop
    canvas: Canvas | None
    kind: model.Kind

    @classmethod
    def parse(cls, ws: Workshop, into: str) -> Target:
        if into == "evidence":
            return cls(ws, None, model.KINDS["evidence"])
        canvas_id = BOARDS.get(into) or (into.split(":", 1)[1] if into.startswith("canvas:") else "")
        from .canvases import available

        if not canvas_id or canvas_id not in available():
            raise UsageError("journey.import_target", value=into, canvases=", ".join(sorted(available())))
        canvas = ws.canvas(canvas_id)
        return cls(ws, canvas, canvas.collection.kind)

    @property
    def title(self) -> str:
        return self.canvas.title if self.canvas else i18n.t("journey.evidence", self.ws.language)

    @functools.cached_property
    def area_names(self) -> dict[str, str]:
        """Every way a file may name an area (id, title in each language, lower-cased) -> area id."""
        names: dict[str, str] = {}
        if self.canvas is not None:
            for area in self.canvas.declaration["areas"]:
                for name in (area["id"], *area["title"].values()):
                    names.setdefault(name.strip().lower(), area["id"])
        return names

    def area(self, name: str) -> str:
        """The id of the area ``name`` (id or title) names; UnknownArea lists the canvas's areas."""
        found = self.area_names.get(name.strip().lower())
        if found is None:
            canvas = self.canvas
            if canvas is None:
                raise UsageError("journey.import_area_target", target=self.title)
            raise UnknownArea(value=name, canvas=canvas.title, areas=", ".join(a["title"] for a in canvas.areas))
        return found

    def field_for(self, role: str) -> str | None:
        """The field a recognised column fills, or None if this kind has nothing for it."""
        names = self.kind.field_names
        if role == "text":
            return self.canvas.text_field if self.canvas else "snippet"
        if role == "area":
            return self.canvas.area_field if self.canvas else None
        if role == "author":
            return next((f for f in _AUTHOR_FIELDS if f in names), None)
        chosen = {"created": "when", "links": "fit"}.get(role, role)
        return chosen if chosen in names or role == "key" else None


# ------------------------------------------------------------------------------- the plan
@dataclass
class ImportPlan:
    """The checked rows of one file for one target; nothing is written until :meth:`commit`."""

    target: Target
    table: Table
    columns: dict[str, int]  # field (or "key") -> column index
    ignored: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line, validated values)
    links: dict[int, list[str]] = field(default_factory=dict)  # row index -> keys of linked rows
    keys: dict[str, int] = field(default_factory=dict)  # key in the file -> row index
    new_interviews: list[str] = field(default_factory=list)  # pseudonyms to create
    problems: list[tuple[int, Exception]] = field(default_factory=list)
    area: str | None = None  # --area: every row's area id

    def __len__(self) -> int:
        return len(self.rows)

    def preview(self, limit: int = 10) -> list[dict[str, str]]:
        """The first rows as they will be stored: line, then one cell per mapped field (the dry run)."""
        shown = [f for f in self.columns if f != "key"]
        out = []
        for line, values in self.rows[:limit]:
            row = {"line": str(line)}
            for name in shown:
                row[name] = _show(values.get(name))
            out.append(row)
        return out

    def summary(self, language: str) -> str:
        """One line: how many notes go where, from which columns, what is left out."""
        mapped = ", ".join(f"{self.table.columns[i]} → {name}" for name, i in self.columns.items())
        text = i18n.t("journey.import_summary", language, n=len(self.rows), file=self.table.name,
                      target=self.target.title, columns=mapped or "-")
        if self.ignored:
            text += " " + i18n.t("journey.import_ignored", language, columns=", ".join(self.ignored))
        if self.new_interviews:
            text += " " + i18n.t("journey.import_new_interviews", language, n=len(self.new_interviews))
        return text

    def area_line(self, language: str) -> str:
        """Where rows go: the one area of --area, or each distinct value of the area column and
        its area (or that it is none); empty when the target has no areas or no area column."""
        canvas = self.target.canvas
        if canvas is None:
            return ""
        titles = {a["id"]: a["title"] for a in canvas.areas}
        if self.area is not None:
            return i18n.t("journey.import_area_all", language, area=titles[self.area])
        index = self.columns.get(canvas.area_field)
        if index is None:
            return ""
        names, nowhere = self.target.area_names, i18n.t("journey.import_area_nowhere", language)
        counts = Counter(_cell(cells, index).strip() for _, cells in self.table.rows)
        values = "; ".join(f"{_show(value)!r} ({n}) → {titles.get(names.get(value.lower(), ''), nowhere)}"
                           for value, n in counts.most_common())
        return i18n.t("journey.import_area_values", language, column=self.table.columns[index], values=values)

    def problem_lines(self, language: str) -> list[tuple[int, str]]:
        """Every bad row as (line, reason in ``language``)."""
        return [(line, problem.render(language) if isinstance(problem, WorkshopError) else str(problem))
                for line, problem in self.problems]

    def check(self) -> None:
        """Raise the first problem (with the number of further bad rows); nothing is written."""
        if self.problems:
            line, problem = self.problems[0]
            raise RowRefused(self.table.name, line, problem, len(self.problems) - 1, self._area_hint())

    def _area_hint(self) -> WorkshopError | None:
        """How past rows whose area column names no area: --area ID, or --map FIELD= to leave it out."""
        canvas = self.target.canvas
        index = self.columns.get(canvas.area_field) if canvas else None
        if canvas is None or index is None or not any(isinstance(p, UnknownArea) for _, p in self.problems):
            return None
        return UsageError("journey.import_area_hint", ids=", ".join(a["id"] for a in canvas.areas),
                          column=self.table.columns[index], field=canvas.area_field)

    def commit(self) -> list[int]:
        """Write every row in one transaction (one undo step); returns the new ids."""
        self.check()
        ws, collection = self.target.ws, self._collection()
        with ws.store.transaction(ws.actor):
            rows = [values for _, values in self.rows]
            if self.new_interviews:
                created = ws.interviews.add_many([{"pseudonym": p} for p in self.new_interviews])
                fresh = dict(zip(self.new_interviews, created, strict=True))
                rows = [{**v, "interview": fresh[v["interview"]]} if isinstance(v.get("interview"), str) else v
                        for v in rows]
            ids = collection.add_many(rows)
            for index, keys in self.links.items():
                collection.update(ids[index], fit=[ids[self.keys[k]] for k in keys])
        return ids

    def _collection(self) -> Collection:
        return self.target.canvas.collection if self.target.canvas else self.target.ws.evidence


def plan(ws: Workshop, path: str | os.PathLike[str], into: str, mapping: dict[str, str] | None = None,
         area: str | None = None) -> ImportPlan:
    """Read ``path``, match its columns and check every row for ``into`` (observations,
    evidence, ideas or canvas:<id>); ``mapping`` is ``{field or role: column}`` (an empty column
    leaves the recognised one out); ``area`` (id or title) puts every row into that area."""
    access.check_facilitator_role(ws.role, "journey.import_participant")
    target = Target.parse(ws, into)
    table = read_table(Path(path))
    fixed = {target.canvas.area_field: target.area(area)} if area is not None and target.canvas else {}
    if area is not None and not fixed:
        raise UsageError("journey.import_area_target", target=target.title)
    columns, ignored = _match_columns(target, table, mapping or {}, fixed)
    result = ImportPlan(target, table, columns, ignored, area=next(iter(fixed.values()), None))
    convert = _Converter(target, result)
    scope = target.canvas.collection.scope if target.canvas else {}
    for line, cells in table.rows:
        raw = {name: _cell(cells, i) for name, i in columns.items()}
        try:
            values = {**convert.row(raw, len(result.rows)), **fixed}
            pending = values.get("interview") if isinstance(values.get("interview"), str) else None
            checked = {**scope, **{k: v for k, v in values.items() if k not in ("key", "fit")}}
            cleaned = target.kind.validate({**checked, "interview": 1} if pending else checked)
            target.kind.check_record(cleaned)
        except WorkshopError as exc:  # ValidationError included
            result.problems.append((line, exc))
            continue
        if pending:
            cleaned["interview"] = pending  # a new interview, created on commit
        result.rows.append((line, {k: v for k, v in cleaned.items() if k not in scope}))
    for index, keys in result.links.items():
        unknown = [k for k in keys if k not in result.keys]
        if unknown:
            result.problems.append((result.rows[index][0], UsageError("journey.import_bad_link", value=unknown[0])))
    result.problems.sort(key=lambda p: p[0])
    return result


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def parse_map(text: str | None) -> dict[str, str]:
    """``"text=Content,area=Frame"`` (the ``--map`` option) as ``{"text": "Content", "area": "Frame"}``;
    ``"kind="`` leaves the column recognised for ``kind`` out (``{"kind": ""}``)."""
    mapping: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        wanted, sep, column = item.partition("=")
        if not sep or not wanted.strip():
            raise UsageError("journey.import_map_syntax", item=item.strip())
        mapping[wanted.strip()] = column.strip()
    return mapping


def _match_columns(target: Target, table: Table, mapping: dict[str, str],
                   fixed: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """{field: column index} and the columns left out; ``fixed`` fields (--area) take no column."""
    lower = [c.strip().lower() for c in table.columns]
    columns: dict[str, int] = {}
    for i, name in enumerate(lower):
        role = next((r for r, names in ROLES.items() if name in names), None)
        chosen = target.field_for(role) if role else (name if name in target.kind.field_names else None)
        if chosen and chosen not in columns and chosen not in fixed:
            columns[chosen] = i
    for wanted, column in mapping.items():
        chosen = target.field_for(wanted) if wanted in ROLES else wanted
        if chosen not in target.kind.field_names and chosen != "key":
            raise UsageError("journey.import_bad_map", item=f"{wanted}={column}", kind=target.kind.name,
                             fields=", ".join([*target.kind.field_names, *ROLES]))
        if not column.strip():  # FIELD=: leave the recognised column out
            columns.pop(chosen, None)
            continue
        if chosen in fixed:
            raise UsageError("journey.import_area_twice", item=f"{wanted}={column}")
        if column.strip().lower() not in lower:
            raise UsageError("journey.import_map_column", column=column, file=table.name,
                             columns=", ".join(table.columns))
        index = lower.index(column.strip().lower())
        columns = {k: v for k, v in columns.items() if v != index}
        columns[chosen] = index
    ignored = [c for i, c in enumerate(table.columns) if c and i not in columns.values()]
    if target.field_for("text") not in columns:
        raise UsageError("journey.import_no_text", file=table.name, columns=", ".join(table.columns) or "-")
    scope = target.canvas.collection.scope if target.canvas else {}
    for f in target.kind.fields:
        if (f.required and f.default is None and f.name not in columns and f.name not in scope
                and f.name not in fixed and f.name not in DEFAULTS.get(target.kind.name, {})):
            raise UsageError("journey.import_no_column", field=f.name, file=table.name,
                             columns=", ".join(table.columns))
    return columns, ignored


class _Converter:
    """Cells (text) to field values: areas by id or title, dots, dates, names to ids."""

    def __init__(self, target: Target, result: ImportPlan) -> None:
        self.target, self.result = target, result
        ws = target.ws
        self.interviews: dict[str, int] = {i["pseudonym"].strip().lower(): i["id"] for i in ws.interviews}
        self.touchpoints: dict[str, int] = {t["name"].strip().lower(): t["id"] for t in ws.touchpoints}
        self.hypotheses: set[int] = {h["id"] for h in ws.hypotheses}
        self.stances = {s: s for s in model.STANCES}
        for lang in i18n.LANGUAGES:
            self.stances.update({i18n.t(f"notebooks.stance_{s}", lang).lower(): s for s in model.STANCES})
        converters: dict[str, Callable[[str], Any]] = {
            "votes": self.votes, "when": _datetime, "stance": self.stance,
            "experience": lambda cell: cell.replace("\u2212", "-")}
        refs: dict[str, Callable[[str], Any]] = {
            "interview": self.interview, "touchpoint": self.touchpoint, "hypothesis": self.hypothesis}
        converters.update({name: convert for name, convert in refs.items()
                           if name in target.kind.field_names and target.kind.field(name).type == "ref"})
        if target.canvas is not None:
            converters[target.canvas.area_field] = target.area
        self.converters = converters

    def row(self, raw: dict[str, str], index: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, cell in raw.items():
            if name == "key":
                if cell.strip():
                    self.result.keys.setdefault(cell.strip(), index)
            elif name == "fit":
                keys = [k.strip() for k in cell.replace(";", ",").split(",") if k.strip()]
                if keys:
                    self.result.links[index] = keys
            elif name in self.converters:
                values[name] = self.converters[name](cell) if cell.strip() else None
            else:
                values[name] = cell
        for name, default in DEFAULTS.get(self.target.kind.name, {}).items():
            if values.get(name) is None:
                values[name] = default
        return values

    def votes(self, cell: str) -> dict[str, int]:
        dots = model.Field("votes", "int", min=0, max=99).clean(self.target.kind.name, cell)
        return {IMPORT_VOTER: dots} if dots else {}

    def interview(self, cell: str) -> int | str:
        found = self.interviews.get(cell.strip().lower())
        if found is not None:
            return found
        pseudonym: str = model.Field("pseudonym", "text", required=True).clean("interview", cell.strip())
        if pseudonym not in self.result.new_interviews:
            self.result.new_interviews.append(pseudonym)
        return pseudonym

    def touchpoint(self, cell: str) -> int:
        found = self.touchpoints.get(cell.strip().lower())
        if found is None:
            raise UsageError("journey.import_unknown_touchpoint", value=cell)
        return found

    def hypothesis(self, cell: str) -> int:
        number = cell.strip().upper().removeprefix("H")
        if not number.isdigit() or int(number) not in self.hypotheses:
            raise UsageError("journey.import_unknown_hypothesis", value=cell)
        return int(number)

    def stance(self, cell: str) -> str:
        return self.stances.get(cell.strip().lower(), cell.strip())


def _datetime(cell: str) -> str:
    """ISO dates as they are; German 14.03.2026 [09:30] too (Excel in German writes those)."""
    text = cell.strip()
    for pattern in ("%d.%m.%Y %H:%M", "%d.%m.%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).isoformat(timespec="minutes")
        except ValueError:
            continue
    return text


def _show(value: Any) -> str:
    """A value for the preview table: literal text on one line, cut to 60 characters."""
    if value is None:
        return ""
    if isinstance(value, dict):
        value = sum(value.values())
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    text = str(value).replace("\r\n", "⏎").replace("\n", "⏎").replace("\t", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def preview_lines(plan: ImportPlan, language: str, limit: int = 10) -> Iterator[str]:
    """The dry run as plain text lines for a terminal: the summary, then an aligned table."""
    yield plan.summary(language)
    if plan.area_line(language):
        yield plan.area_line(language)
    rows = plan.preview(limit)
    if rows:
        names = list(rows[0])
        widths = {n: min(max(len(n), *(len(r[n]) for r in rows)), 60) for n in names}
        yield "  ".join(n.ljust(widths[n]) for n in names)
        for row in rows:
            yield "  ".join(row[n].ljust(widths[n]) for n in names)
        if len(plan) > limit:
            yield i18n.t("journey.import_more_rows", language, n=len(plan) - limit)
    for line, reason in plan.problem_lines(language)[:limit]:
        yield i18n.t("journey.import_problem", language, line=line, reason=reason)
