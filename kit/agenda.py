"""The workshop agenda: eight steps, one notebook each, with a timebox.

Step ids match the notebook file names (``02_hypotheses`` -> notebooks/02_hypotheses.ipynb),
titles and facilitator texts come from kit/texts/notebooks.yaml, and the step the room is on
is the shared live state kept by kit.facilitation, so every open view agrees on it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import facilitation, i18n
from .errors import UsageError

if TYPE_CHECKING:
    from .workshop import Workshop

#: (step id, timebox in minutes). Together a half-day workshop of four hours.
STEPS: tuple[tuple[str, int], ...] = (
    ("00_setup", 10),
    ("01_observe", 25),
    ("02_hypotheses", 30),
    ("03_interviews", 60),
    ("04_synthesis", 30),
    ("05_canvas", 30),
    ("06_touchpoints", 40),
    ("07_plan", 15),
)
STEP_IDS = tuple(step_id for step_id, _ in STEPS)
#: After the workshop day: the notebook of every team session and status review (about four hours, §7).
FOLLOW_UP_STEPS: tuple[tuple[str, int], ...] = (("08_follow_up", 240),)
#: Every notebook's step: the workshop day, then the follow-ups.
NOTEBOOK_IDS = STEP_IDS + tuple(step_id for step_id, _ in FOLLOW_UP_STEPS)
#: What each step's header shows, below its title.
SECTIONS = ("purpose", "instructions", "outcome")


@dataclass(frozen=True)
class Step:
    """One agenda step in one language."""

    id: str
    number: int
    minutes: int
    title: str
    purpose: str
    instructions: str
    outcome: str

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"


def text_key(step_id: str, section: str) -> str:
    return f"notebooks.step_{step_id}_{section}"


def step(step_id: str, language: str) -> Step:
    """The step ``step_id`` with its texts in ``language``; an unknown id raises UsageError."""
    minutes = dict(STEPS + FOLLOW_UP_STEPS).get(step_id)
    if minutes is None:
        raise UsageError("method.no_step", name=step_id, steps=", ".join(NOTEBOOK_IDS))
    texts = {section: i18n.t(text_key(step_id, section), language) for section in ("title", *SECTIONS)}
    return Step(step_id, NOTEBOOK_IDS.index(step_id), minutes, **texts)


def steps(language: str) -> list[Step]:
    """The workshop day's steps."""
    return [step(step_id, language) for step_id in STEP_IDS]


def notebook_steps(language: str) -> list[Step]:
    """Every step the room can be on: the workshop day's, then the follow-up sessions'."""
    return [step(step_id, language) for step_id in NOTEBOOK_IDS]


def total_minutes() -> int:
    return sum(minutes for _, minutes in STEPS)


def current(ws: Workshop) -> str | None:
    """The step the room is on (set by the facilitator; a follow-up session's too), or None before the workshop
    starts."""
    found = facilitation.step(ws)
    return found if found in NOTEBOOK_IDS else None


def go_to(ws: Workshop, step_id: str) -> Step:
    """Move the room to ``step_id`` (every open agenda follows)."""
    found = step(step_id, ws.language)
    facilitation.set_step(ws, step_id)
    return found


def timebox(ws: Workshop, step_id: str) -> int:
    """Minutes for ``step_id`` today: the step's; at the follow-up sessions' step, the planned length of the
    follow-up this session is (a status review takes an hour, a team session about four: kit.tracking)."""
    found = step(step_id, ws.language)
    if step_id in STEP_IDS:
        return found.minutes
    from . import plan, tracking

    today = tracking.current_followup(ws)
    return plan.planned_minutes(today) if today is not None else found.minutes


def start_timebox(ws: Workshop, step_id: str) -> dict[str, Any]:
    """Start the shared countdown with the step's timebox (:func:`timebox`), labelled with its title."""
    return facilitation.start_timer(ws, timebox(ws, step_id), step(step_id, ws.language).title)


def overview(ws: Workshop) -> list[dict[str, Any]]:
    """The agenda as rows: id, number, title, minutes, start offset and state (done/current/next), then the
    follow-up sessions' step (``follow_up`` true, no start offset: it comes weeks after the workshop day)."""
    now = current(ws)
    position = NOTEBOOK_IDS.index(now) if now else -1
    rows, offset = [], 0
    for found in notebook_steps(ws.language):
        state = "done" if found.number < position else "current" if found.number == position else "next"
        follow_up = found.id not in STEP_IDS
        minutes = timebox(ws, found.id) if follow_up else found.minutes  # today's follow-up's length
        rows.append({"id": found.id, "number": found.number, "title": found.title, "minutes": minutes,
                     "starts_after": None if follow_up else offset, "state": state, "follow_up": follow_up})
        offset += found.minutes
    return rows


__all__ = [
    "FOLLOW_UP_STEPS",
    "NOTEBOOK_IDS",
    "STEPS",
    "STEP_IDS",
    "Step",
    "current",
    "go_to",
    "notebook_steps",
    "overview",
    "start_timebox",
    "step",
    "steps",
    "text_key",
    "timebox",
    "total_minutes",
]
