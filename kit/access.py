"""The one access policy: who may see, add, change, move, delete and vote on what.

Why one module: the rules (hidden notes, teams kept apart, own notes, lock, voting open and
budget) used to live in the canvas, the roster, the widgets and the views, each slightly
different. Here they are pure functions on plain data -- a :class:`Viewer`, the
:class:`Rules` in force on a canvas and record dicts -- so a kernel, a room server and a
test ask the same questions and get the same answers. Refusals are
:class:`kit.errors.Refused` with an ``access.*`` code (texts in ``kit/texts/access.yaml``).

The facilitator is never limited; participants are.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Refused

DEFAULT_BUDGET = 3
#: Roles a workshop handle may have; :func:`is_participant` is the one place that compares them.
ROLES = ("facilitator", "participant")
#: A participant's actor (the change log's "who") is this prefix and their name, so it never equals a
#: facilitator's actor: undo and redo, which revert "who"'s own changes, cannot reach the facilitator's.
PARTICIPANT_ACTOR = "participant:"
#: Fields that name who wrote a record, in order of preference.
OWNER_FIELDS = ("author", "observed_by")


@dataclass(frozen=True)
class Viewer:
    """Who looks or writes: a participant's name (or the facilitator's actor) and team."""

    name: str
    team: str = ""
    participant: bool = False

    @property
    def role(self) -> str:
        return "participant" if self.participant else "facilitator"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "team": self.team, "role": self.role}


def is_participant(role: str) -> bool:
    """Does ``role`` write with a participant's rights? (Everything else is the facilitator.)"""
    return role == "participant"


def actor_of(name: str, role: str) -> str:
    """The change log's "who" for ``name`` in ``role``: a participant's in their own namespace.

    A facilitator's name may not start with :data:`PARTICIPANT_ACTOR` (refused), so the two never meet."""
    if is_participant(role):
        return PARTICIPANT_ACTOR + name
    if name.startswith(PARTICIPANT_ACTOR):
        raise Refused("access.actor_reserved", actor=name, prefix=PARTICIPANT_ACTOR)
    return name


def check_facilitator_role(role: str, code: str, **values: Any) -> None:
    """Refuse (``code``) what only a facilitator's handle may do, e.g. open the room or import notes."""
    if is_participant(role):
        raise Refused(code, role=role, **values)


@dataclass(frozen=True)
class Rules:
    """The rules in force on one canvas right now, as the facilitator set them."""

    canvas: str = ""  # the canvas title, for messages
    locked: bool = False  # read-only for participants
    private: bool = False  # new notes stay hidden until revealed
    vote_open: bool = False
    budget: int = DEFAULT_BUDGET  # dots per person
    separated: bool = False  # teams kept apart
    owner: str | None = None  # the field naming a record's author (see owner_field)
    has_team: bool = False  # the records carry a team


def owner_field(field_names: Iterable[str]) -> str | None:
    """The field naming who wrote a record (``author``, or ``observed_by`` for observations)."""
    names = set(field_names)
    return next((f for f in OWNER_FIELDS if f in names), None)


# --------------------------------------------------------------------------- seeing
def seen_team(viewer: Viewer, rules: Rules) -> str | None:
    """The only team whose notes the viewer sees (teams kept apart, participant); None: all."""
    if not viewer.participant or not rules.separated:
        return None
    return viewer.team


def can_see(record: Mapping[str, Any], viewer: Viewer, rules: Rules) -> bool:
    """Hidden notes: their author sees them, the facilitator sees them marked, others do not.
    While teams are kept apart a participant sees only their own team's notes."""
    team = seen_team(viewer, rules)
    if team is not None and (record.get("team") or "") != team:
        return False
    if not record.get("hidden") or not viewer.participant:
        return True
    return rules.owner is not None and record.get(rules.owner) == viewer.name


def can_change(record: Mapping[str, Any], viewer: Viewer, rules: Rules) -> bool:
    """May the viewer edit, move or delete this record (ignoring the lock)? A participant only
    their own; records of a kind without author anyone; the facilitator everything."""
    return not viewer.participant or rules.owner is None or record.get(rules.owner) == viewer.name


def is_mine(record: Mapping[str, Any], viewer: Viewer, rules: Rules) -> bool:
    return rules.owner is not None and record.get(rules.owner) == viewer.name


# --------------------------------------------------------------------------- writing
def read_only(viewer: Viewer, rules: Rules) -> bool:
    """A locked canvas is read-only for participants, never for the facilitator."""
    return viewer.participant and rules.locked


def new_record_fields(viewer: Viewer, rules: Rules, field_names: Iterable[str]) -> dict[str, Any]:
    """What a new record of this viewer carries: its author, the viewer's team and, during
    private brainstorming, ``hidden`` (only the author and the facilitator see it)."""
    names = set(field_names)
    fields: dict[str, Any] = {}
    owner = owner_field(names)
    if owner:
        fields[owner] = viewer.name
    if "team" in names and viewer.team:
        fields["team"] = viewer.team
    if "hidden" in names and rules.private:
        fields["hidden"] = True
    return fields


def check_write(viewer: Viewer, rules: Rules, fields: Mapping[str, Any], *, record_id: int | None = None,
                record: Mapping[str, Any] | None = None, vote: bool = False) -> None:
    """Refuse a participant's add (``record_id`` None), edit, move, delete or vote that the rules forbid.

    ``record`` is the stored record being changed (None when new or gone: the store reports a
    gone record); ``fields`` what is written; ``vote``: a dot, which a participant may give to
    anyone's note (of their own team while teams are kept apart).
    """
    if not viewer.participant:
        return
    if read_only(viewer, rules):
        raise Refused("access.locked", canvas=rules.canvas)
    if rules.separated:
        _check_team(viewer, rules, fields, record_id, record)
    if not vote:
        _check_owner(viewer, rules, fields, record_id, record)


def _check_team(viewer: Viewer, rules: Rules, fields: Mapping[str, Any], record_id: int | None,
                record: Mapping[str, Any] | None) -> None:
    if not rules.has_team:
        raise Refused("access.no_team_field", canvas=rules.canvas)
    mine = viewer.team
    if not mine:
        raise Refused("access.not_joined", actor=viewer.name)
    if record is not None and record.get("team") != mine:
        raise Refused("access.other_team", id=record_id, team=record.get("team") or "-", actor=viewer.name,
                      mine=mine)
    if ("team" in fields or record_id is None) and fields.get("team") != mine:
        raise Refused("access.team_only", actor=viewer.name, mine=mine, canvas=rules.canvas)


def _check_owner(viewer: Viewer, rules: Rules, fields: Mapping[str, Any], record_id: int | None,
                 record: Mapping[str, Any] | None) -> None:
    """Participants write as themselves and change only notes they wrote; notes without an
    author (sample data, notes added by script) only the facilitator changes."""
    owner = rules.owner
    if owner is None:
        return
    if owner in fields and fields[owner] != viewer.name:
        raise Refused("access.as_themselves", actor=viewer.name, name=fields[owner])
    if record is not None and record.get(owner) != viewer.name:
        if record.get(owner):
            raise Refused("access.not_yours", id=record_id, owner=record.get(owner), actor=viewer.name)
        raise Refused("access.not_yours_nobody", id=record_id, actor=viewer.name)


# --------------------------------------------------------------------------- voting
def check_vote(viewer: Viewer, rules: Rules, voter: str) -> None:
    """Participants vote only while voting is open, and only as themselves."""
    if not viewer.participant:
        return
    if not rules.vote_open:
        raise Refused("access.vote_closed", canvas=rules.canvas)
    if voter != viewer.name:
        raise Refused("access.vote_as_self", actor=viewer.name)


def votes_used(records: Iterable[Mapping[str, Any]], voter: str) -> int:
    return sum((r.get("votes") or {}).get(voter, 0) for r in records)


def check_budget(voter: str, used: int, dots: int, budget: int | None) -> None:
    """A dot more than the budget is refused; taking one back always works."""
    if budget is not None and dots > 0 and used + dots > budget:
        raise Refused("access.budget", voter=voter, used=used, budget=budget)


def dots_left(records: Iterable[Mapping[str, Any]], voter: str, budget: int) -> int:
    return max(0, budget - votes_used(records, voter))


# --------------------------------------------------------------------------- undo and redo
def check_revert(viewer: Viewer, rules: Rules, record_id: int, current: Mapping[str, Any] | None,
                 target: Mapping[str, Any] | None, used: Callable[[str], int]) -> None:
    """Refuse a participant's undo or redo that, made by hand now, would be refused.

    Undo and redo set a record from ``current`` back to ``target`` (None: the record is not there /
    goes away). That is an add, a delete, a vote or an edit, and exactly that write's rules apply:
    the lock, the owner, the team, an open vote and the budget (``used(voter)``: dots spent now).
    """
    if not viewer.participant:
        return
    if current is None:  # the record comes back: an add of what it was
        check_write(viewer, rules, {k: v for k, v in (target or {}).items() if k != "id"})
        return
    if target is None:  # the record goes: a delete
        check_write(viewer, rules, {}, record_id=record_id, record=current)
        return
    changed = {k: v for k, v in target.items() if k != "id" and current.get(k) != v}
    if set(changed) == {"votes"}:
        before, after = current.get("votes") or {}, target.get("votes") or {}
        for voter in sorted(set(before) | set(after)):
            dots = after.get(voter, 0) - before.get(voter, 0)
            if dots:
                check_vote(viewer, rules, voter)
                check_write(viewer, rules, {}, record_id=record_id, record=current, vote=True)
                check_budget(voter, used(voter), dots, rules.budget)
        return
    check_write(viewer, rules, changed, record_id=record_id, record=current)


# --------------------------------------------------------------------------- room controls
#: The refusal of each room control only the facilitator may use (literal codes, so tests find their texts).
FACILITATOR_ONLY = {
    "assign": "access.only_facilitator_assign",
    "separate": "access.only_facilitator_separate",
    "reveal": "access.only_facilitator_reveal",
    "controls": "access.only_facilitator_controls",
    "agenda": "access.only_facilitator_agenda",
    "redact": "access.only_facilitator_redact",
    "feedback": "access.only_facilitator_feedback",
}


def check_facilitator(viewer: Viewer, action: str) -> None:
    """Room controls (moving people between teams, keeping teams apart, revealing, a canvas's lock, private mode
    and voting, the agenda, redaction, taking the feedback board into an idea's log) are the facilitator's;
    ``action`` names the control, one of :data:`FACILITATOR_ONLY`."""
    if viewer.participant:
        raise Refused(FACILITATOR_ONLY[action], actor=viewer.name)


__all__ = [
    "DEFAULT_BUDGET",
    "FACILITATOR_ONLY",
    "PARTICIPANT_ACTOR",
    "ROLES",
    "Rules",
    "Viewer",
    "can_change",
    "actor_of",
    "can_see",
    "check_budget",
    "check_facilitator",
    "check_facilitator_role",
    "check_revert",
    "check_vote",
    "check_write",
    "dots_left",
    "is_participant",
    "is_mine",
    "new_record_fields",
    "owner_field",
    "read_only",
    "seen_team",
    "votes_used",
]
