"""A board as a room's pages see it, computed once per distinct view and sent as deltas.

Why: in a brainstorm burst 200 pages follow one board. Computing each page's notes from the whole
board for every change costs the room the board times the pages, and sending each page its whole
list costs the venue's Wi-Fi the same. Here the notes of a *group* (the participants who see the
same notes: one team while teams are kept apart, else everyone) are built once per change
(:class:`Group`), with a participant's own notes and votes as a small personal overlay
(:meth:`Board.personal`, kit.access deciding as for a full state). A member's patch is the group's
delta (kit.sessions.delta) with that overlay, so a change costs each page only what changed for it,
and the pages a change reaches alike get one encoding of it (:meth:`Group.frame`).

A page that is not in step with its group (it joined, reconnected, resynced or changed groups) gets
its whole list once (``full``); what it never saw (another team's note moved, someone's hidden note
deleted) reaches no page that did not see it.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import access
from ..access import Viewer
from ..sessions import delta, views

if TYPE_CHECKING:
    from ..canvas import Canvas

#: The name the group's items are built for: nobody's (a name nobody can join with).
NOBODY = "\x00group"
HISTORY = 8  # versions of a group's list kept: a page that missed fewer rounds still gets a delta
Item = dict[str, Any]


@dataclass
class Group:
    """The notes every participant of one group sees, at the room's last version; ``delta`` from the one before."""

    key: str | None  # the team seen (teams kept apart), None: every team
    version: int = -1
    items: list[Item] = field(default_factory=list)
    history: dict[int, list[Item]] = field(default_factory=dict)  # the lists of the last few versions
    deltas: dict[int, dict[str, Any] | None] = field(default_factory=dict)  # from an older version to this one
    by_id: dict[int, Item] = field(default_factory=dict)
    visible: list[dict[str, Any]] = field(default_factory=list)
    ctx: views.BoardContext | None = None
    coverage: dict[str, Any] = field(default_factory=dict)
    controls: dict[int, dict[str, Any]] = field(default_factory=dict)  # per dots left: one shared dict
    frames: dict[Any, str] = field(default_factory=dict)

    def delta_from(self, version: int) -> tuple[bool, dict[str, Any] | None]:
        """(known, delta): the change from the list of ``version`` to this one, once per older version."""
        if version not in self.history:
            return False, None
        if version not in self.deltas:
            self.deltas[version] = delta.items_delta(self.history[version], self.items)
        return True, self.deltas[version]

    def frame(self, key: Any, make: Callable[[], str]) -> str:
        """One encoding per distinct frame body of this version (pages alike get the same bytes)."""
        body = self.frames.get(key)
        if body is None:
            body = self.frames[key] = make()
        return body


class Board:
    """One canvas of a room; :meth:`at` reads its records once per room version."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.version = -1
        self.groups: dict[str | None, Group] = {}
        self.rules = access.Rules()
        self.every: list[dict[str, Any]] = []
        self.evidence: dict[int, Any] = {}
        self.authored: dict[str, list[dict[str, Any]]] = {}
        self.voted: dict[str, list[dict[str, Any]]] = {}
        self.used: dict[str, int] = {}
        self.fit = False

    def at(self, version: int) -> Board:
        """Read the board's records if the room moved (each member then asks for its view)."""
        if version != self.version:
            canvas = self.canvas
            self.version = version
            self.rules = canvas.rules()
            self.every = canvas.items()
            feats = views.features(canvas)
            self.fit = feats["fit"]
            self.evidence = canvas.evidence_counts() if feats["evidence"] else {}
            owner = self.rules.owner
            self.authored, self.voted, self.used = {}, {}, {}
            for r in self.every:
                if owner:
                    self.authored.setdefault(r.get(owner) or "", []).append(r)
                for voter, dots in (r.get("votes") or {}).items():
                    self.voted.setdefault(voter, []).append(r)
                    self.used[voter] = self.used.get(voter, 0) + dots
        return self

    def group(self, viewer: Viewer) -> Group:
        key = access.seen_team(viewer, self.rules)
        group = self.groups.setdefault(key, Group(key))
        if group.version == self.version:
            return group
        nobody = Viewer(NOBODY, key or "", True)
        visible = [r for r in self.every if not r.get("hidden") and access.can_see(r, nobody, self.rules)]
        ctx = views.board_context(self.canvas, self.rules, visible, self.evidence)
        old = {i["id"]: i for i in group.items}
        items = []
        for r in visible:
            item = views.board_item(r, nobody, ctx)
            kept = old.get(item["id"])
            items.append(kept if kept == item else item)  # unchanged: the same object, compared by identity later
        group.version = self.version
        group.history = {v: group.history[v] for v in sorted(group.history)[-HISTORY + 1:]}
        group.history[self.version] = items
        group.items, group.by_id, group.visible, group.ctx = items, {i["id"]: i for i in items}, visible, ctx
        group.coverage = views.coverage(ctx, visible)
        group.controls, group.frames, group.deltas = {}, {}, {}
        return group

    def controls(self, group: Group, viewer: Viewer) -> dict[str, Any]:
        """The controls as ``viewer`` sees them: one dict per number of dots left, shared in the group."""
        left = max(0, self.rules.budget - self.used.get(viewer.name, 0))
        found = group.controls.get(left)
        if found is None:
            found = group.controls[left] = {**views.controls(self.rules, viewer, []), "dots_left": left}
        return found

    def personal(self, group: Group, viewer: Viewer) -> tuple[dict[int, Item], dict[str, Any]]:
        """The items ``viewer`` sees otherwise than the group (own notes, own hidden ones, own votes), and coverage."""
        ctx = group.ctx or views.board_context(self.canvas, self.rules, group.visible, self.evidence)
        own = self.authored.get(viewer.name, [])
        hidden = [r for r in own if r.get("hidden") and access.can_see(r, viewer, self.rules)]
        if hidden and self.fit:  # own hidden notes count in what is linked and covered: this viewer's own context
            keep = {r["id"] for r in (*hidden, *group.visible)}
            visible = [r for r in self.every if r["id"] in keep]
            ctx = views.board_context(self.canvas, self.rules, visible, self.evidence)
            items = (views.board_item(r, viewer, ctx) for r in visible)
            return {i["id"]: i for i in items if group.by_id.get(i["id"]) != i}, views.coverage(ctx, visible)
        out: dict[int, Item] = {}
        for r in (*own, *self.voted.get(viewer.name, ())):
            if r["id"] in out or not access.can_see(r, viewer, self.rules):
                continue
            item = views.board_item(r, viewer, ctx)
            if group.by_id.get(r["id"]) != item:
                out[r["id"]] = item
        return out, group.coverage


@dataclass
class View:
    """What one page holds of a board: in step with its group at ``sync``, plus its personal items."""

    sync: tuple[str | None, int] | None = None
    patched: int = -1
    personal: dict[int, Item] = field(default_factory=dict)
    sent: dict[str, Any] = field(default_factory=dict)

    def follow(self, board: Board, viewer: Viewer, extra: dict[str, Any]) -> tuple[dict[str, Any], Group, Any]:
        """The values to send (``patch`` included), the group, and a key naming the frame if the group's pages
        get the same one (None: this page's own)."""
        group = board.group(viewer)
        personal, coverage = board.personal(group, viewer)
        values = {k: v for k, v in (("coverage", coverage), ("controls", board.controls(group, viewer)),
                                    ("version", board.version), ("connection", "")) if self.sent.get(k) != v}
        self.sent.update(values)
        alike = not extra and coverage is group.coverage
        known, gd = group.delta_from(self.sync[1]) if self.sync and self.sync[0] == group.key else (False, None)
        patch = None
        base = self.patched
        if not known or (gd or {}).get("order"):
            items = [personal.get(i["id"], i) for i in group.items]
            items += [i for k, i in personal.items() if k not in group.by_id]
            items.sort(key=delta.sort_key)
            patch, alike = {"full": True, "version": board.version, "items": items}, False
        else:
            change = self._change(group, gd, personal)
            if change is not None:
                alike = alike and change is gd
                patch = {"base": base, "version": board.version, "items": change}
        if patch is not None:
            values["patch"] = patch
            self.patched = board.version
        values.update(extra)
        self.sync, self.personal = (group.key, group.version), personal
        shared = {**values, "patch": patch["items"]} if patch is not None else values  # the group's own objects
        key = (base, tuple((k, v if k == "version" else id(v)) for k, v in shared.items())) if alike else None
        return values, group, key

    def _change(self, group: Group, change: dict[str, Any] | None,
                personal: dict[int, Item]) -> dict[str, Any] | None:
        """The group's ``change`` with this page's personal items; the group's very one if none of them moved."""
        sent = self.personal
        if not personal and not sent:
            return change
        gd = change or {"put": [], "remove": []}
        put: dict[int, Item] = {}
        for item in gd["put"]:
            mine = personal.get(item["id"])
            if mine is None:
                put[item["id"]] = item
            elif sent.get(item["id"]) != mine:
                put[item["id"]] = mine
        remove = [k for k in gd["remove"] if k not in personal]
        for k, mine in personal.items():
            if k not in put and sent.get(k) != mine:
                put[k] = mine
        for k in sent:
            if k in personal:
                continue
            if k in group.by_id:
                put.setdefault(k, group.by_id[k])  # no longer personal (a vote taken back): the group's item
            elif k not in gd["remove"]:
                remove.append(k)  # an own hidden note deleted
        if not put and not remove:
            return None
        if list(put.values()) == gd["put"] and remove == gd["remove"] and \
                all(a is b for a, b in zip(put.values(), gd["put"], strict=True)):
            return change
        return {"put": list(put.values()), "remove": remove}


def encode(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))

