"""Item deltas: what changed in a list of notes, so a change costs what it changed, not the board.

Why: a page holds the notes it may see. When one note is added, sending it the whole list again
costs every page the whole board for every keystroke of the room. A *patch* says instead which
items were added or changed (``put``, whole items) and which went away (``remove``, ids), per list
key (``items``, ``ideas``), and carries two versions: ``base``, the version the page must hold to
apply it, and ``version``, the one it holds afterwards. A page whose version is not ``base`` missed
something and asks for a resync; the answer is a *full* patch (``{"full": true, "version", "items": [...]}``).

Order: pages keep each list sorted by :func:`sort_key` (``pos``, then ``id``), so a patch needs no
order of its own. A list that is not sorted that way (a kind of record without positions) gets
``order`` (all ids) whenever applying ``put`` and ``remove`` would leave a different order.

The same patches travel to JupyterLab (anywidget custom messages) and to the room's pages (inside
``state`` frames); :func:`apply` is the Python twin of ``applyPatch`` in kit/widgets/common.js.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

#: State keys that hold lists of items with an ``id`` and travel as deltas.
ITEM_KEYS = ("items", "ideas")

Item = Mapping[str, Any]


def sort_key(item: Item) -> tuple[float, int]:
    """Where an item sorts on the page: its ``pos`` (the canvas slot), then its id."""
    pos = item.get("pos")
    return (float(item["id"]) if pos is None else float(pos), int(item["id"]))


def items_delta(before: Sequence[Item], after: Sequence[Item]) -> dict[str, Any] | None:
    """``{"put": [...], "remove": [...], "order": [...]?}`` turning ``before`` into ``after``; None: no change.

    An item counts as unchanged when it is the same object or equal (rooms share item objects
    between pages, so most comparisons are identity checks)."""
    old = {i["id"]: i for i in before}
    ids = {i["id"] for i in after}
    put = [i for i in after if (o := old.get(i["id"])) is not i and o != i]
    remove = [k for k in old if k not in ids]
    if not put and not remove:
        if [i["id"] for i in before] == [i["id"] for i in after]:
            return None
        return {"put": [], "remove": [], "order": [i["id"] for i in after]}
    delta: dict[str, Any] = {"put": put, "remove": remove}
    if [i["id"] for i in apply_items(before, delta)] != [i["id"] for i in after]:
        delta["order"] = [i["id"] for i in after]
    return delta


def apply_items(items: Sequence[Item], delta: Mapping[str, Any]) -> list[Item]:
    """``items`` with ``delta`` applied, as a page does it (then sorted by :func:`sort_key`, or by ``order``)."""
    gone = set(delta.get("remove") or ())
    put = {i["id"]: i for i in delta.get("put") or ()}
    out = [put.pop(i["id"], i) for i in items if i["id"] not in gone]
    out += put.values()
    order = delta.get("order")
    if order is not None:
        at = {k: n for n, k in enumerate(order)}
        return sorted(out, key=lambda i: at.get(i["id"], len(at)))
    if delta.get("put") and is_sorted(items):
        out.sort(key=sort_key)
    return out


def is_sorted(items: Sequence[Item]) -> bool:
    keys = [sort_key(i) for i in items]
    return all(a <= b for a, b in itertools.pairwise(keys))


def apply(state: dict[str, Any], patch: Mapping[str, Any]) -> bool:
    """Apply one patch to a page's ``state`` (its list keys and ``patch_version``); False: a gap, resync."""
    if patch.get("full"):
        for key in ITEM_KEYS:
            if key in patch:
                state[key] = list(patch[key])
    elif patch.get("base") != state.get("patch_version"):
        return False
    else:
        for key in ITEM_KEYS:
            if key in patch:
                state[key] = apply_items(state.get(key) or [], patch[key])
    state["patch_version"] = patch["version"]
    return True
