"""Which canvas participants see: the facilitator's choice, else the one of the agenda step (steps.yaml)."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from ..workshop import Workshop

HERE = Path(__file__).resolve().parent
CANVAS_KEY = "participant_canvas"  # live key: a canvas the facilitator shows regardless of the step


@functools.lru_cache(maxsize=1)
def step_canvases() -> dict[str, str | None]:
    """Agenda step -> canvas participants work on (None: nothing on the laptop)."""
    steps: dict[str, str | None] = yaml.safe_load((HERE / "steps.yaml").read_text(encoding="utf-8"))
    return steps


def canvas_for(ws: Workshop) -> str | None:
    """The canvas participants see now: the facilitator's choice, else the step's canvas."""
    live = ws.live
    chosen: str | None = live.get(CANVAS_KEY)
    if chosen:
        return chosen
    return step_canvases().get(live.get("step") or "")
