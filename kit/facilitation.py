"""Facilitator controls shared by every open view: current step, timer, lock, private mode, voting.

The state lives in the store's live table, so a change made in the facilitator's kernel
reaches every participant's kernel through the same live refresh that carries notes. It is
not part of undo: these are room controls, not workshop content. What the controls mean for
a participant's write is decided by kit.access.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from . import access, privacy
from .canvases import declaration
from .errors import UsageError

if TYPE_CHECKING:
    from .protocols import WorkshopAccess

DEFAULT_BUDGET = access.DEFAULT_BUDGET


@dataclass(frozen=True)
class CanvasControls:
    """What participants may do on one canvas right now."""

    locked: bool = False  # read-only for participants
    private: bool = False  # new notes stay hidden from others until revealed
    vote_open: bool = False
    budget: int = DEFAULT_BUDGET  # dots per person while voting is open


def controls(ws: WorkshopAccess, canvas_id: str) -> CanvasControls:
    stored = ws.live.get(f"canvas:{canvas_id}", {})
    return CanvasControls(**{k: v for k, v in stored.items() if k in CanvasControls.__dataclass_fields__})


def _set(ws: WorkshopAccess, canvas_id: str, **changes: Any) -> CanvasControls:
    """The facilitator's (kit.access) change of one canvas's controls; the other canvases keep theirs."""
    access.check_facilitator(ws.viewer(), "controls")
    declaration(canvas_id)  # an unknown canvas raises here
    new = CanvasControls(**{**asdict(controls(ws, canvas_id)), **changes})
    ws.set_live(f"canvas:{canvas_id}", asdict(new))
    return new


def lock(ws: WorkshopAccess, canvas_id: str, locked: bool = True) -> CanvasControls:
    """Make a canvas read-only for participants (the store refuses their edits too)."""
    return _set(ws, canvas_id, locked=bool(locked))


def set_private(ws: WorkshopAccess, canvas_id: str, private: bool = True) -> CanvasControls:
    """Private brainstorming: new notes are hidden from everyone but their author."""
    return _set(ws, canvas_id, private=bool(private))


def redact_in_room(ws: WorkshopAccess, words: list[str]) -> list[str]:
    """Facilitator: words the room blacks out in the interview quotes participants read (real names of
    interviewees never reach them anyway). Returns the words kept."""
    access.check_facilitator(ws.viewer(), "redact")
    kept = [w.strip() for w in words if isinstance(w, str) and w.strip()]
    ws.set_live(privacy.REDACT_KEY, kept)
    return kept


def reveal(ws: WorkshopAccess, canvas_id: str) -> int:
    """Show every hidden note of a canvas to everyone and end private mode; returns how many."""
    access.check_facilitator(ws.viewer(), "reveal")
    source = declaration(canvas_id)["source"]
    records = getattr(ws, source)
    scope = {"canvas": canvas_id} if source == "canvas_items" else {}
    hidden = [item["id"] for item in records.all(**scope) if item.get("hidden")]
    with ws.store.transaction(ws.actor):
        for item_id in hidden:
            records.update(item_id, hidden=False)
    _set(ws, canvas_id, private=False)
    return len(hidden)


def open_vote(ws: WorkshopAccess, canvas_id: str, budget: int = DEFAULT_BUDGET) -> CanvasControls:
    if not isinstance(budget, int) or isinstance(budget, bool) or not 1 <= budget <= 99:
        raise UsageError("facilitation.bad_budget", value=budget)
    return _set(ws, canvas_id, vote_open=True, budget=budget)


def close_vote(ws: WorkshopAccess, canvas_id: str) -> CanvasControls:
    return _set(ws, canvas_id, vote_open=False)


def set_step(ws: WorkshopAccess, step: str) -> None:
    """The agenda step the room is on (e.g. "02_hypotheses"); participants follow it."""
    ws.set_live("step", step)


def step(ws: WorkshopAccess) -> str | None:
    return ws.live.get("step")


def start_timer(ws: WorkshopAccess, minutes: float, label: str = "") -> dict[str, Any]:
    """Start a shared countdown; every view shows the same end time."""
    if not 0 < minutes <= 24 * 60:
        raise UsageError("facilitation.bad_minutes", value=minutes)
    timer = {"ends_at": time.time() + minutes * 60, "seconds": round(minutes * 60), "label": label,
             "running": True}
    ws.set_live("timer", timer)
    return timer


def stop_timer(ws: WorkshopAccess) -> None:
    ws.set_live("timer", {"ends_at": None, "seconds": 0, "label": "", "running": False})


def timer(ws: WorkshopAccess) -> dict[str, Any]:
    state: dict[str, Any] = ws.live.get("timer", {"ends_at": None, "seconds": 0, "label": "", "running": False})
    return state
