"""A canvas on a workshop: one declaration from canvases/ plus the records it shows.

The same object serves the widgets, the static figures and the report: areas and titles in
the workshop language, items per area, fit links with coverage, and evidence counts. Every
write runs in one transaction in which kit.access has allowed it (:meth:`Canvas.writing`).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import access, i18n, model
from .canvases import available, declaration, text_in
from .collection import Collection
from .errors import Refused, UsageError, ValidationError
from .facilitation import controls
from .roster import teams_separated

if TYPE_CHECKING:
    import pandas

    from .protocols import WorkshopAccess
    from .store import Change


class Canvas:
    """``ws.canvas("value_proposition")``: read and change one canvas."""

    def __init__(self, workshop: WorkshopAccess, declaration: dict[str, Any]) -> None:
        self.workshop, self.declaration = workshop, declaration
        self.id: str = declaration["id"]
        kind = model.BY_COLLECTION[declaration["source"]]
        scope = {"canvas": self.id} if declaration["source"] == "canvas_items" else {}
        self.collection: Collection = Collection(workshop, kind, **scope)
        self.area_field: str = declaration["area_field"]
        self.text_field: str = declaration["text_field"]

    def __repr__(self) -> str:
        return f"<Canvas {self.id}: {len(self.collection)} items>"

    # ------------------------------------------------------------------ declaration, localised
    @property
    def language(self) -> str:
        return self.workshop.language

    @property
    def title(self) -> str:
        return text_in(self.declaration["title"], self.language)

    @property
    def attribution(self) -> str:
        """Whose framework the canvas is, shown wherever it is drawn (kit/texts/attribution.yaml);
        "" for the kit's own."""
        return i18n.texts("attribution", self.language).get(self.id, "")

    @property
    def layout(self) -> str:
        return str(self.declaration["layout"])

    @property
    def areas(self) -> list[dict[str, Any]]:
        """Areas with ``title``, ``question`` and ``rank`` already in the workshop language."""
        out = []
        language = self.language  # the workshop record, read once
        for area in self.declaration["areas"]:
            local = {**area, "title": text_in(area["title"], language),
                     "question": text_in(area.get("question"), language)}
            local["rank"] = text_in(area["rank"], language) if area.get("rank") else ""
            out.append(local)
        return out

    @property
    def color_labels(self) -> dict[str, str]:
        """What each colour means on this canvas (the declaration's ``color_labels``, e.g. a channel), by colour,
        in the workshop language; empty where colours mean nothing."""
        labels = self.declaration["color_labels"]  # none, or one per colour (kit.canvases checks)
        return {color: text_in(label, self.language) for color, label in zip(self.declaration["colors"], labels,
                                                                              strict=bool(labels))}

    def area(self, area_id: str) -> dict[str, Any]:
        for area in self.areas:
            if area["id"] == area_id:
                return area
        raise ValidationError(self.collection.kind.name, self.area_field, "canvas.no_area",
                              areas=", ".join(a["id"] for a in self.areas), value=area_id)

    # ------------------------------------------------------------------ items
    def items(self, area: str | None = None) -> list[dict[str, Any]]:
        """Items, in an area if given, in display order (:meth:`slot`, then id)."""
        rows = self.collection.all(**({self.area_field: area} if area else {}))
        known = {a["id"] for a in self.declaration["areas"]}
        rows = [r for r in rows if r[self.area_field] in known]
        if "position" in self.collection.kind.field_names:
            rows.sort(key=lambda r: (self.slot(r), r["id"]))
        return rows

    @staticmethod
    def slot(record: dict[str, Any]) -> float:
        """Where a note sorts in its area: its position, or its id if it was never placed
        (notes added by script keep their order of creation)."""
        position = record.get("position")
        return float(record["id"]) if position is None else float(position)

    def add(self, area: str, text: str, **fields: Any) -> int:
        self.area(area)
        with self.writing(None, fields):
            return self.collection.add(**{self.area_field: area, self.text_field: text, **fields})

    def update(self, item_id: int, **fields: Any) -> dict[str, Any]:
        if self.area_field in fields:
            self.area(fields[self.area_field])
        with self.writing(item_id, fields):
            return self.collection.update(item_id, **fields)

    def remove(self, item_id: int) -> None:
        with self.writing(item_id):
            self.collection.remove(item_id)

    def vote(self, item_id: int, voter: str, dots: int = 1, *, collection: Collection | None = None) -> int:
        """Dot voting within the budget the facilitator set; refused while voting is closed
        for participants. ``collection``: records of another kind shown on this canvas (the
        ideas of the touchpoint map). Returns the voter's dots left."""
        records = self.collection if collection is None else collection  # not `or`: a count query
        access.check_vote(self.viewer(), self.rules(records), voter)
        with self.writing(item_id, vote=True, collection=records) as rules:
            return records.vote(item_id, voter, dots, budget=rules.budget)  # checks the budget (kit.access)

    # ------------------------------------------------------------------ the access policy, applied
    def viewer(self) -> access.Viewer:
        """Who writes through this canvas: the workshop's viewer (a participant with the team they joined)."""
        return self.workshop.viewer()

    def rules(self, collection: Collection | None = None) -> access.Rules:
        """The rules in force on this canvas now, for its records (or those of ``collection``)."""
        state = controls(self.workshop, self.id)
        names = (self.collection if collection is None else collection).kind.field_names
        return access.Rules(canvas=self.title, locked=state.locked, private=state.private,
                            vote_open=state.vote_open, budget=state.budget,
                            separated=teams_separated(self.workshop, self.id),
                            owner=access.owner_field(names), has_team="team" in names)

    @contextmanager
    def writing(self, item_id: int | None = None, fields: dict[str, Any] | None = None, *, vote: bool = False,
                collection: Collection | None = None) -> Iterator[access.Rules]:
        """One transaction in which kit.access has allowed the write: a participant's write to
        a locked canvas, to somebody else's note (votes excepted) or to another team's notes
        while teams are kept apart is refused inside it, so it holds for every caller.
        ``collection``: the written record is of another kind shown on this canvas."""
        records = self.collection if collection is None else collection  # not `or`: a count query
        with self.workshop.store.transaction(self.workshop.actor):
            rules = self.rules(records)
            record = records.get(item_id) if item_id is not None else None
            access.check_write(self.viewer(), rules, fields or {}, record_id=item_id, record=record, vote=vote)
            yield rules

    def move(self, item_id: int, area: str, position: float | None = None) -> dict[str, Any]:
        """Move to another area, at ``position`` or else at its end (a note never takes its
        old place number into the new area); fit links that no longer make sense are dropped."""
        self.area(area)
        fields: dict[str, Any] = {self.area_field: area}
        if position is None and "position" in self.collection.kind.field_names:
            current = self.collection.get(item_id)
            if current is not None and current[self.area_field] != area:
                others = [self.slot(r) for r in self.items(area) if r["id"] != item_id]
                position = max(others, default=0.0) + 1.0
        if position is not None:
            fields["position"] = position
        if "fit" in self.collection.kind.field_names and not self.area(area).get("fits"):
            fields["fit"] = []
        return self.update(item_id, **fields)

    # ------------------------------------------------------------------ fit
    def link(self, source_id: int, target_id: int) -> dict[str, Any]:
        """Say that ``source`` (a reliever or creator) addresses ``target`` (a pain or gain)."""
        source, target = self.collection[source_id], self.collection[target_id]
        wanted = self.area(source[self.area_field]).get("fits")
        if wanted is None or target[self.area_field] != wanted:
            raise UsageError("canvas.cannot_link" if wanted else "canvas.cannot_link_any",
                             source_area=source[self.area_field], source=source_id,
                             target_area=target[self.area_field], target=target_id, wanted=wanted or "")
        return self.update(source_id, fit=[*source["fit"], target_id])

    def unlink(self, source_id: int, target_id: int) -> dict[str, Any]:
        source = self.collection[source_id]
        return self.update(source_id, fit=[i for i in source["fit"] if i != target_id])

    def fit_coverage(self) -> dict[str, dict[str, Any]]:
        """Per fit target area: how many of its items some reliever/creator addresses.

        ``{"pains": {"total": 7, "addressed": [..ids], "unaddressed": [..ids]}, "gains": ...}``
        """
        coverage: dict[str, dict[str, Any]] = {}
        for area in self.declaration["areas"]:
            target = area.get("fits")
            if not target:
                continue
            linked = {i for item in self.items(area["id"]) for i in item["fit"]}
            entry = coverage.setdefault(target, {"total": 0, "addressed": [], "unaddressed": []})
            ids = [t["id"] for t in self.items(target)]
            entry["total"] = len(ids)
            entry["addressed"] = sorted(set(entry["addressed"]) | (linked & set(ids)))
            entry["unaddressed"] = [i for i in ids if i not in entry["addressed"]]
        return coverage

    # ------------------------------------------------------------------ evidence
    def evidence_counts(self) -> dict[int, dict[str, int]]:
        """For items in evidence areas: snippets that support / contradict their hypothesis."""
        counts: dict[int, dict[str, int]] = {}
        areas = {a["id"] for a in self.declaration["areas"] if a.get("evidence")}
        if not areas or "hypothesis" not in self.collection.kind.field_names:
            return counts
        per_hypothesis: dict[int, dict[str, int]] = {}
        for snippet in self.workshop.evidence:
            if snippet["hypothesis"] is not None:
                entry = per_hypothesis.setdefault(snippet["hypothesis"], {"supports": 0, "contradicts": 0})
                if snippet["stance"] in entry:
                    entry[snippet["stance"]] += 1
        for item in self.items():
            if item[self.area_field] in areas:
                counts[item["id"]] = dict(per_hypothesis.get(item["hypothesis"], {"supports": 0, "contradicts": 0}))
        return counts

    def to_dataframe(self) -> pandas.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.items(), columns=["id", *self.collection.kind.field_names]).set_index("id")


def showing(workshop: WorkshopAccess, kind: str, record: dict[str, Any]) -> list[Canvas]:
    """The canvases whose rules a record of ``kind`` obeys: a canvas note its own canvas's; an idea on a
    touchpoint the touchpoint map's, any other idea the idea board's; other kinds those of the canvases
    that show them."""
    collection = model.KINDS[kind].collection
    if collection == "canvas_items":
        return [Canvas(workshop, declaration(str(record["canvas"])))] if record.get("canvas") in available() else []
    if kind == "idea" and record.get("touchpoint"):
        return [Canvas(workshop, declaration("touchpoint_map"))]
    return [Canvas(workshop, declaration(c)) for c in sorted(available()) if declaration(c)["source"] == collection]


def check_revert(workshop: WorkshopAccess, change: Change, current: dict[str, Any] | None,
                 target: dict[str, Any] | None) -> None:
    """kit.access on one record an undo or redo sets back: allowed if the same change by hand is allowed now
    on a canvas that shows the record (its lock, vote and teams); else the first refusal."""
    viewer = workshop.viewer()
    if not viewer.participant:
        return
    kind = model.KINDS[change.kind]
    names = kind.field_names
    plain = access.Rules(owner=access.owner_field(names), has_team="team" in names)
    canvases: list[Canvas | None] = [*showing(workshop, change.kind, current or target or {})] or [None]
    refusal: Refused | None = None
    for canvas in canvases:
        collection = canvas.collection if canvas and canvas.collection.kind == kind else Collection(workshop, kind)
        rules = canvas.rules(collection) if canvas else plain

        def used(voter: str, records: Collection = collection) -> int:
            return access.votes_used(records.all(), voter)

        try:
            access.check_revert(viewer, rules, change.record_id, current, target, used)
            return
        except Refused as exc:
            refusal = refusal or exc
    if refusal is not None:
        raise refusal
