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

The touchpoint map (:class:`TouchpointBoard`) is followed the same way, with two lists (``items``, its
touchpoints, and ``ideas``) and the group's curves and evidence; :func:`board_for` picks the class.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import access, privacy
from ..access import Viewer
from ..sessions import delta, views

if TYPE_CHECKING:
    from ..canvas import Canvas

#: The name the group's items are built for: nobody's (a name nobody can join with).
NOBODY = "\x00group"
HISTORY = 8  # versions of a group's list kept: a page that missed fewer rounds still gets a delta
Item = dict[str, Any]


Lists = dict[str, list[Item]]


@dataclass
class Group:
    """What every participant of one group sees, at the room's last version: the item lists by key and the other
    keys (``values``); a list's delta from an older version is computed once."""

    key: str | None  # the team seen (teams kept apart), None: every team
    version: int = -1
    lists: Lists = field(default_factory=dict)
    history: dict[int, Lists] = field(default_factory=dict)  # the lists of the last few versions
    deltas: dict[int, dict[str, dict[str, Any] | None]] = field(default_factory=dict)  # from an older version
    by_id: dict[str, dict[int, Item]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # coverage; personas, curves, evidence
    visible: list[dict[str, Any]] = field(default_factory=list)  # a board's: the notes the group sees
    ctx: views.BoardContext | None = None
    controls: dict[int, dict[str, Any]] = field(default_factory=dict)  # per dots left: one shared dict
    frames: dict[Any, str] = field(default_factory=dict)

    def delta_from(self, version: int) -> tuple[bool, dict[str, dict[str, Any] | None]]:
        """(known, deltas): per list, the change from the lists of ``version`` to these, once per older version."""
        if version not in self.history:
            return False, {}
        if version not in self.deltas:
            old = self.history[version]
            self.deltas[version] = {k: delta.items_delta(old.get(k, []), items) for k, items in self.lists.items()}
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
            self.version = version
            self.rules = self.canvas.rules()
            self.read()
        return self

    def read(self) -> None:
        canvas = self.canvas
        self.every = canvas.items()
        feats = views.features(canvas)
        self.fit = feats["fit"]
        self.evidence = canvas.evidence_counts() if feats["evidence"] else {}
        self.index(self.every, self.rules.owner)

    def index(self, records: list[dict[str, Any]], owner: str | None) -> None:
        """Who wrote and who voted on ``records`` (the personal part of a page), and the dots each voter used."""
        self.authored, self.voted, self.used = {}, {}, {}
        for r in records:
            if owner:
                self.authored.setdefault(r.get(owner) or "", []).append(r)
            for voter, dots in (r.get("votes") or {}).items():
                self.voted.setdefault(voter, []).append(r)
                self.used[voter] = self.used.get(voter, 0) + dots

    def group(self, viewer: Viewer) -> Group:
        key = access.seen_team(viewer, self.rules)
        group = self.groups.setdefault(key, Group(key))
        if group.version == self.version:
            return group
        lists, values = self.build(group, Viewer(NOBODY, key or "", True))
        for name, items in lists.items():
            old = group.by_id.get(name, {})  # unchanged: the same object, compared by identity later
            lists[name] = [kept if (kept := old.get(i["id"])) == i else i for i in items]
        group.version = self.version
        group.history = {v: group.history[v] for v in sorted(group.history)[-HISTORY + 1:]}
        group.history[self.version] = lists
        group.lists, group.values = lists, values
        group.by_id = {name: {i["id"]: i for i in items} for name, items in lists.items()}
        group.controls, group.frames, group.deltas = {}, {}, {}
        return group

    def build(self, group: Group, nobody: Viewer) -> tuple[Lists, dict[str, Any]]:
        """The group's lists and other keys, as the group's ``nobody`` (who wrote nothing) sees them."""
        visible = [r for r in self.every if not r.get("hidden") and access.can_see(r, nobody, self.rules)]
        ctx = views.board_context(self.canvas, self.rules, visible, self.evidence)
        group.visible, group.ctx = visible, ctx
        items = [views.board_item(r, nobody, ctx) for r in visible]
        return {"items": items}, {"coverage": views.coverage(ctx, visible)}

    def controls(self, group: Group, viewer: Viewer) -> dict[str, Any]:
        """The controls as ``viewer`` sees them: one dict per number of dots left, shared in the group."""
        left = max(0, self.rules.budget - self.used.get(viewer.name, 0))
        found = group.controls.get(left)
        if found is None:
            found = group.controls[left] = {**views.controls(self.rules, viewer, []), "dots_left": left}
        return found

    def personal(self, group: Group, viewer: Viewer) -> tuple[dict[str, dict[int, Item]], dict[str, Any]]:
        """The items ``viewer`` sees otherwise than the group (own notes, own hidden ones, own votes) per list, and
        the other keys (the group's very objects where the viewer sees them alike)."""
        ctx = group.ctx or views.board_context(self.canvas, self.rules, group.visible, self.evidence)
        own = self.authored.get(viewer.name, [])
        hidden = [r for r in own if r.get("hidden") and access.can_see(r, viewer, self.rules)]
        group_items = group.by_id["items"]
        if hidden and self.fit:  # own hidden notes count in what is linked and covered: this viewer's own context
            keep = {r["id"] for r in (*hidden, *group.visible)}
            visible = [r for r in self.every if r["id"] in keep]
            ctx = views.board_context(self.canvas, self.rules, visible, self.evidence)
            items = (views.board_item(r, viewer, ctx) for r in visible)
            return ({"items": {i["id"]: i for i in items if group_items.get(i["id"]) != i}},
                    {"coverage": views.coverage(ctx, visible)})
        out: dict[int, Item] = {}
        for r in (*own, *self.voted.get(viewer.name, ())):
            if r["id"] in out or not access.can_see(r, viewer, self.rules):
                continue
            item = views.board_item(r, viewer, ctx)
            if group_items.get(r["id"]) != item:
                out[r["id"]] = item
        return {"items": out}, group.values


class TouchpointBoard(Board):
    """The touchpoint map: touchpoints (``items``, never hidden: the group's, a participant's own marked as such)
    and ideas (``ideas``: own hidden ones and own votes personal), curves and evidence per group."""

    def __init__(self, canvas: Canvas) -> None:
        super().__init__(canvas)
        self.ideas: list[dict[str, Any]] = []
        self.idea_rules = access.Rules()
        self.made: dict[str, list[dict[str, Any]]] = {}  # touchpoints by author
        self.tp_stage: dict[int, str] = {}
        self.stages: set[str] = set()
        self.scrub: Any = None

    def read(self) -> None:
        canvas, ws = self.canvas, self.canvas.workshop
        self.every = canvas.items()
        self.ideas = ws.ideas.all()
        self.idea_rules = canvas.rules(ws.ideas)
        self.tp_stage = {tp["id"]: tp["stage"] for tp in self.every}
        self.stages = {a["id"] for a in canvas.declaration["areas"]}
        owner = self.rules.owner
        self.made = {}
        for tp in self.every:
            if owner:
                self.made.setdefault(tp.get(owner) or "", []).append(tp)
        self.index(self.ideas, self.idea_rules.owner)
        # what participants read of interviews (kit.privacy), as TouchpointSession.state scrubs it
        self.scrub = privacy.for_participants(ws.interviews.all(), ws.live, canvas.language)

    def build(self, group: Group, nobody: Viewer) -> tuple[Lists, dict[str, Any]]:
        touchpoints = [tp for tp in self.every if access.can_see(tp, nobody, self.rules)]
        ideas = [views.idea_item(i, stage, nobody, self.idea_rules) for i in self.ideas
                 if not i.get("hidden") and access.can_see(i, nobody, self.idea_rules)
                 and (stage := views.idea_stage(i, self.tp_stage)) in self.stages]
        values = views.touchpoint_curves(self.canvas, touchpoints)
        values["evidence"] = privacy.scrub_value(values["evidence"], self.scrub)
        return {"items": [views.touchpoint_item(tp, nobody, self.rules) for tp in touchpoints], "ideas": ideas}, values

    def personal(self, group: Group, viewer: Viewer) -> tuple[dict[str, dict[int, Item]], dict[str, Any]]:
        items: dict[int, Item] = {}
        for tp in self.made.get(viewer.name, ()):
            if access.can_see(tp, viewer, self.rules):
                item = views.touchpoint_item(tp, viewer, self.rules)
                if group.by_id["items"].get(tp["id"]) != item:
                    items[tp["id"]] = item
        ideas: dict[int, Item] = {}
        for idea in (*self.authored.get(viewer.name, ()), *self.voted.get(viewer.name, ())):
            stage = views.idea_stage(idea, self.tp_stage)
            if idea["id"] in ideas or stage not in self.stages or not access.can_see(idea, viewer, self.idea_rules):
                continue
            item = views.idea_item(idea, stage, viewer, self.idea_rules)
            if group.by_id["ideas"].get(idea["id"]) != item:
                ideas[idea["id"]] = item
        return {"items": items, "ideas": ideas}, group.values


def board_for(canvas: Canvas) -> Board:
    """The room's view of ``canvas``: a :class:`TouchpointBoard` for the touchpoint map, else a :class:`Board`."""
    return TouchpointBoard(canvas) if canvas.layout == "touchpoint_map" else Board(canvas)


@dataclass
class View:
    """What one page holds of a board: in step with its group at ``sync``, plus its personal items per list."""

    sync: tuple[str | None, int] | None = None
    patched: int = -1
    personal: dict[str, dict[int, Item]] = field(default_factory=dict)
    sent: dict[str, Any] = field(default_factory=dict)

    def follow(self, board: Board, viewer: Viewer, extra: dict[str, Any]) -> tuple[dict[str, Any], Group, Any]:
        """The values to send (``patch`` included), the group, and a key naming the frame if the group's pages
        get the same one (None: this page's own)."""
        group = board.group(viewer)
        personal, others = board.personal(group, viewer)
        pairs = (*others.items(), ("controls", board.controls(group, viewer)), ("version", board.version),
                 ("connection", ""))
        values = {k: v for k, v in pairs if self.sent.get(k) != v}
        self.sent.update(values)
        alike = not extra and all(v is group.values.get(k) for k, v in others.items())
        known, deltas = group.delta_from(self.sync[1]) if self.sync and self.sync[0] == group.key else (False, {})
        patch: dict[str, Any] | None = None
        changes: dict[str, Any] = {}
        base = self.patched
        if not known or any((d or {}).get("order") for d in deltas.values()):
            patch, alike = {"full": True, "version": board.version}, False
            for name, listed in group.lists.items():
                mine = personal.get(name, {})
                items = [mine.get(i["id"], i) for i in listed]
                more = [i for k, i in mine.items() if k not in group.by_id[name]]
                if more:
                    items = sorted(items + more, key=delta.sort_key)
                patch[name] = items
        else:
            for name in group.lists:
                change = self._change(group, name, deltas.get(name), personal.get(name, {}))
                if change is not None:
                    alike = alike and change is deltas.get(name)
                    changes[name] = change
            if changes:
                patch = {"base": base, "version": board.version, **changes}
        if patch is not None:
            values["patch"] = patch
            self.patched = board.version
        values.update(extra)
        self.sync, self.personal = (group.key, group.version), personal
        key = None
        if alike:  # the group's own objects throughout: named by their identities
            key = (base, tuple((k, v if k == "version" else id(v)) for k, v in values.items() if k != "patch"),
                   tuple((k, id(v)) for k, v in changes.items()))
        return values, group, key

    def _change(self, group: Group, name: str, change: dict[str, Any] | None,
                personal: dict[int, Item]) -> dict[str, Any] | None:
        """The group's ``change`` of list ``name`` with this page's personal items; the group's very one if none
        of them moved."""
        sent = self.personal.get(name, {})
        if not personal and not sent:
            return change
        by_id = group.by_id[name]
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
            if k in by_id:
                put.setdefault(k, by_id[k])  # no longer personal (a vote taken back): the group's item
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

