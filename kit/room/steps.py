"""Which canvas participants see: the facilitator's choice, else the one of the agenda step (steps.yaml).

A step may offer several canvases (the follow-up session: the learnings board and the feedback on the idea):
the first is shown, and a participant may switch to another of them (kit.room.member); a canvas the
facilitator shows is everyone's, with no choice.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from ..protocols import WorkshopAccess

HERE = Path(__file__).resolve().parent
CANVAS_KEY = "participant_canvas"  # live key: a canvas the facilitator shows regardless of the step


@functools.lru_cache(maxsize=1)
def step_canvases() -> dict[str, tuple[str, ...]]:
    """Agenda step -> the canvases participants work on, the first shown (empty: nothing on the laptop)."""
    steps = yaml.safe_load((HERE / "steps.yaml").read_text(encoding="utf-8"))
    return {step: tuple([] if value is None else [value] if isinstance(value, str) else value)
            for step, value in steps.items()}


def canvases_offered(ws: WorkshopAccess) -> tuple[str, ...]:
    """The canvases participants may be on now: the facilitator's choice alone, else the step's."""
    live = ws.live
    chosen: str | None = live.get(CANVAS_KEY)
    if chosen:
        return (chosen,)
    return step_canvases().get(live.get("step") or "", ())


def canvas_for(ws: WorkshopAccess) -> str | None:
    """The canvas participants see now unless they picked another one offered: the facilitator's choice, else
    the step's first canvas."""
    offered = canvases_offered(ws)
    return offered[0] if offered else None
