"""The one access policy on plain data: who may see, add, change and vote on what.

Each row is a case (role, owner, team, lock, hidden, voting open or closed, budget) with the
answer kit.access must give: allowed, or refused with a stable code. No workshop, no store.
"""
from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from kit import access
from kit.access import Rules, Viewer
from kit.errors import Refused

ANNA = Viewer("Anna", "Blau", participant=True)
ANNA_NO_TEAM = Viewer("Anna", "", participant=True)
FAC = Viewer("Moderation")
NOTES = Rules(canvas="Ideen", owner="author", has_team=True)
annas = {"id": 1, "author": "Anna", "team": "Blau", "hidden": False}
bens = {"id": 2, "author": "Ben", "team": "Blau", "hidden": False}
greens = {"id": 3, "author": "Cem", "team": "Grün", "hidden": False}
scripted = {"id": 4, "author": "", "team": "", "hidden": False}


def outcome(call) -> str:
    try:
        call()
    except Refused as exc:
        return exc.code
    return "allowed"


WRITES = [
    # viewer, rules, record (None: new), fields, vote, expected
    (ANNA, NOTES, None, {"author": "Anna", "team": "Blau"}, False, "allowed"),
    (ANNA, NOTES, annas, {"text": "mine"}, False, "allowed"),
    (ANNA, NOTES, bens, {"text": "yours"}, False, "access.not_yours"),
    (ANNA, NOTES, scripted, {"text": "nobody's"}, False, "access.not_yours_nobody"),
    (ANNA, NOTES, None, {"author": "Ben"}, False, "access.as_themselves"),
    (ANNA, NOTES, bens, {}, True, "allowed"),  # a dot on anyone's note
    (ANNA, Rules(locked=True, owner="author"), annas, {"text": "x"}, False, "access.locked"),
    (ANNA, Rules(locked=True, owner="author"), bens, {}, True, "access.locked"),
    (ANNA, Rules(separated=True, owner="author", has_team=True), greens, {}, True, "access.other_team"),
    (ANNA, Rules(separated=True, owner="author", has_team=True), None, {"author": "Anna", "team": "Grün"}, False,
     "access.team_only"),
    (ANNA, Rules(separated=True, owner="author", has_team=True), None, {"author": "Anna"}, False, "access.team_only"),
    (ANNA, Rules(separated=True, owner="author", has_team=True), None, {"author": "Anna", "team": "Blau"}, False,
     "allowed"),
    (ANNA_NO_TEAM, Rules(separated=True, owner="author", has_team=True), annas, {}, False, "access.not_joined"),
    (ANNA, Rules(separated=True, owner=None, has_team=False), None, {}, False, "access.no_team_field"),
    (ANNA, Rules(owner=None), {"id": 9}, {"name": "shared"}, False, "allowed"),  # a kind without author
    (FAC, Rules(locked=True, separated=True, owner="author", has_team=True), greens, {"author": "X"}, False, "allowed"),
]


@pytest.mark.parametrize("viewer, rules, record, fields, vote, expected", WRITES)
def test_writes(viewer, rules, record, fields, vote, expected):
    record_id = None if record is None else record["id"]
    assert outcome(lambda: access.check_write(viewer, rules, fields, record_id=record_id, record=record,
                                              vote=vote)) == expected


@pytest.mark.parametrize("viewer, rules, voter, expected", [
    (ANNA, Rules(vote_open=False), "Anna", "access.vote_closed"),
    (ANNA, Rules(vote_open=True), "Anna", "allowed"),
    (ANNA, Rules(vote_open=True), "Ben", "access.vote_as_self"),
    (FAC, Rules(vote_open=False), "Ben", "allowed"),  # the facilitator records dots for anyone
])
def test_votes(viewer, rules, voter, expected):
    assert outcome(lambda: access.check_vote(viewer, rules, voter)) == expected


@pytest.mark.parametrize("used, dots, budget, expected", [
    (0, 1, 3, "allowed"), (2, 1, 3, "allowed"), (3, 1, 3, "access.budget"), (3, -1, 3, "allowed"),
    (0, 2, 1, "access.budget"), (50, 1, None, "allowed"),
])
def test_budget(used, dots, budget, expected):
    assert outcome(lambda: access.check_budget("Anna", used, dots, budget)) == expected


@pytest.mark.parametrize("record, viewer, rules, seen", [
    ({**bens, "hidden": True}, ANNA, NOTES, False),
    ({**annas, "hidden": True}, ANNA, NOTES, True),
    ({**bens, "hidden": True}, FAC, NOTES, True),  # the facilitator sees hidden notes (marked)
    (greens, ANNA, NOTES, True),
    (greens, ANNA, Rules(separated=True, owner="author"), False),
    (scripted, ANNA, Rules(separated=True, owner="author"), False),  # no team: not Blau's
    (greens, FAC, Rules(separated=True, owner="author"), True),
    ({"id": 5, "hidden": True}, ANNA, Rules(owner=None), False),
])
def test_seeing(record, viewer, rules, seen):
    assert access.can_see(record, viewer, rules) is seen


def test_change_flags_and_dots_left():
    assert access.can_change(annas, ANNA, NOTES) and not access.can_change(bens, ANNA, NOTES)
    assert access.can_change(bens, FAC, NOTES) and access.can_change(bens, ANNA, Rules(owner=None))
    assert access.is_mine(annas, ANNA, NOTES) and not access.is_mine(annas, ANNA, Rules(owner=None))
    records = [{"votes": {"Anna": 2, "Ben": 1}}, {"votes": {"Anna": 1}}, {}]
    assert access.votes_used(records, "Anna") == 3 and access.dots_left(records, "Anna", 5) == 2
    assert access.dots_left(records, "Anna", 2) == 0  # never negative
    assert access.owner_field(["text", "observed_by"]) == "observed_by" and access.owner_field(["text"]) is None


def test_room_controls_are_the_facilitators():
    for action in ("assign", "separate", "reveal", "agenda"):
        assert outcome(lambda a=action: access.check_facilitator(ANNA, a)) == f"access.only_facilitator_{action}"
        assert outcome(lambda a=action: access.check_facilitator(FAC, a)) == "allowed"


def test_refusals_render_in_both_languages_and_cross_processes():
    with pytest.raises(Refused) as info:
        access.check_write(ANNA, NOTES, {}, record_id=2, record=bens)
    error = info.value
    assert str(error) == "note 2 was written by Ben; Anna can only change their own notes"
    assert error.render("de") == "Notiz 2 hat Ben geschrieben; Anna kann nur eigene Notizen ändern."
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.code, copy.params) == (Refused, "access.not_yours", error.params)
    with pytest.raises(Refused) as info:
        access.check_write(ANNA, Rules(canvas="<script>&", locked=True), {})
    assert str(info.value) == "<script>& is locked by the facilitator"  # user text stays literal


def test_what_a_new_note_carries_and_when_a_canvas_is_read_only():
    names = ["text", "author", "team", "hidden"]
    assert access.new_record_fields(ANNA, NOTES, names) == {"author": "Anna", "team": "Blau"}
    assert access.new_record_fields(ANNA, Rules(private=True), names) == {"author": "Anna", "team": "Blau",
                                                                          "hidden": True}
    assert access.new_record_fields(ANNA_NO_TEAM, Rules(private=True), ["text", "observed_by"]) == {
        "observed_by": "Anna"}
    assert access.read_only(ANNA, Rules(locked=True)) and not access.read_only(FAC, Rules(locked=True))
    assert not access.read_only(ANNA, Rules())


# --------------------------------------------------------------------------- undo and redo: the same table
def _as_revert(viewer, rules, record, fields, vote):
    """The undo or redo that makes the same write as a row of WRITES: (rules, current, target)."""
    if record is None:
        return rules, None, fields  # a record comes back: an add
    if vote:
        return replace(rules, vote_open=True), record, {**record, "votes": {viewer.name: 1}}
    if not fields:
        return rules, record, None  # a record goes: a delete
    return rules, record, {**record, **fields}


@pytest.mark.parametrize("viewer, rules, record, fields, vote, expected", WRITES)
def test_every_write_rule_holds_for_undo_and_redo(viewer, rules, record, fields, vote, expected):
    """Undo and redo are writes: each row of the write table gives the same answer (kit.access.check_revert,
    which Workshop.undo and Workshop.redo ask for every record they set back)."""
    rules, current, target = _as_revert(viewer, rules, record, fields, vote)
    record_id = (record or {}).get("id", 0)
    assert outcome(lambda: access.check_revert(viewer, rules, record_id, current, target, lambda _: 0)) == expected


@pytest.mark.parametrize("rules, voter, used, dots, expected", [
    (Rules(vote_open=False), "Anna", 0, 1, "access.vote_closed"),
    (Rules(vote_open=False), "Anna", 1, -1, "access.vote_closed"),  # taking a dot back by undo too
    (Rules(vote_open=True), "Ben", 0, 1, "access.vote_as_self"),
    (Rules(vote_open=True, budget=3), "Anna", 3, 1, "access.budget"),
    (Rules(vote_open=True, budget=3), "Anna", 2, 1, "allowed"),
])
def test_every_vote_rule_holds_for_undo_and_redo(rules, voter, used, dots, expected):
    before = {"id": 2, "author": "Ben", "team": "Blau", "votes": {voter: 1}}
    after = {**before, "votes": {voter: 1 + dots}}
    assert outcome(lambda: access.check_revert(ANNA, rules, 2, before, after, lambda _: used)) == expected
    assert outcome(lambda: access.check_revert(FAC, rules, 2, before, after, lambda _: used)) == "allowed"


def test_actors_of_participants_live_in_their_own_namespace():
    assert access.actor_of("root", "participant") == "participant:root" != access.actor_of("root", "facilitator")
    assert outcome(lambda: access.actor_of("participant:Anna", "facilitator")) == "access.actor_reserved"


def test_no_role_comparison_outside_kit_access():
    """Every access decision lives in kit/access.py: no other module compares a role (``ws.role == ...``,
    ``"facilitator" != x``); they ask access.is_participant, check_facilitator or Workshop.viewer()."""
    import ast
    from pathlib import Path

    root = Path(access.__file__).resolve().parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "access.py" and path.parent == root:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            roles = any(isinstance(s, ast.Constant) and s.value in access.ROLES for s in sides)
            role_attr = any(isinstance(s, ast.Attribute) and s.attr == "role" for s in sides)
            if roles or role_attr:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert found == []
