"""The participant page that Voilà renders: join with a name and a team, then follow the room.

One kernel per browser. After joining, the page shows the canvas of the step the
facilitator is on (kit.facilitation.step, mapped by steps.yaml, or the canvas the
facilitator chose) as the live widget from kit.widgets, plus the shared timer. Every
text a participant types goes into ipywidgets Text fields and is shown with Label
widgets, which never interpret HTML. Writes go through the kit API with the participant
role, so lock, vote budget and team separation are enforced by the kit, not by the page.
"""
from __future__ import annotations

import functools
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import yaml

from .. import agenda, facilitation, i18n, live, roster
from ..errors import UsageError, WorkshopError

if TYPE_CHECKING:
    from ..workshop import Workshop

HERE = Path(__file__).resolve().parent
TICK = 1.0  # seconds: the timer text counts down even when nothing else changes
CANVAS_KEY = "participant_canvas"  # live key: a canvas the facilitator shows regardless of the step
log = logging.getLogger(__name__)


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


def timer_text(timer: dict[str, Any], language: str, now: float | None = None) -> str:
    if not timer.get("running") or not timer.get("ends_at"):
        return ""
    left = round(timer["ends_at"] - (time.time() if now is None else now))
    label = f"{timer['label']} · " if timer.get("label") else ""
    if left <= 0:
        return label + i18n.t("serve.timer_over", language)
    return label + i18n.t("serve.timer_running", language, time=f"{left // 60:02d}:{left % 60:02d}")


def workshop_path() -> Path:
    value = os.environ.get("KIT_WORKSHOP")
    if not value:
        raise UsageError("serve.no_workshop")
    return Path(value)


class ParticipantApp(live.WorkshopView):
    """Join form, then header (who, step, timer) and the live canvas of the current step.

    After joining it is a kit.live view: refreshed when the workshop moves, and every
    :data:`TICK` seconds for the countdown.
    """

    tick = TICK

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        import kit

        self.path = Path(path) if path else workshop_path()
        self.ws = kit.open(self.path, actor="participant-page", role="participant")
        self.language = self.ws.language
        self.t = i18n.texts("serve", self.language)
        self.me: dict[str, Any] | None = None
        self.my_ws: Workshop | None = None
        self.canvas_id: str | None = None
        self.board: w.Widget | None = None
        self._build_join()
        self.who = w.Label(style={"font_weight": "bold"})
        self.who.add_class("kit-who")
        self.step = w.Label()
        self.step.add_class("kit-step")
        self.timer = w.Label()
        self.timer.add_class("kit-timer")
        self.header = w.HBox([self.who, self.step, self.timer],
                             layout=w.Layout(justify_content="space-between", width="100%"))
        self.body = w.VBox()
        self.body.add_class("kit-body")
        self.root = w.VBox([self.join_box])
        self.root.add_class("kit-participant")

    # ------------------------------------------------------------------ join
    def _build_join(self) -> None:
        t = self.t
        self.name = w.Text(placeholder=t["name_placeholder"], description=t["name"])
        self.name.add_class("kit-name")
        teams = list(self.ws.info["teams"])
        if teams:
            self.team: w.ValueWidget = w.Dropdown(options=teams, value=teams[0], description=t["team"])
        else:
            self.team = w.Text(placeholder=t["team_placeholder"], description=t["team"])
        self.team.add_class("kit-team")
        self.join_button = w.Button(description=t["join"], button_style="primary")
        self.join_button.add_class("kit-join")
        self.join_button.on_click(lambda _: self.join(self.name.value, self.team.value))
        self.message = w.Label()
        self.message.add_class("kit-message")
        title = w.Label(t["join_title"], style={"font_size": "1.4em", "font_weight": "bold"})
        self.join_box = w.VBox([title, w.Label(t["join_intro"]), self.name, self.team, self.join_button,
                                self.message])
        self.join_box.add_class("kit-join-box")

    def join(self, name: str, team: str) -> bool:
        """Register and switch to the room view; a refusal is shown, never raised."""
        import kit

        try:
            self.me = roster.join(self.ws, name, team)
        except WorkshopError as exc:
            self.message.value = f"{self.t['error']} {exc.render(self.language)}"
            return False
        self.my_ws = kit.open(self.path, actor=self.me["name"], role="participant")
        self.who.value = i18n.t("serve.joined_as", self.language, name=self.me["name"], team=self.me["team"])
        self.root.children = [self.header, self.body]
        self.refresh()
        live.register(self)
        return True

    def show(self) -> None:
        """kit.live calls this when the workshop moved (and every TICK seconds)."""
        self.follow()

    # ------------------------------------------------------------------ following the room
    def follow(self) -> None:
        """Show the current step, timer and canvas; swap the canvas when the step moves."""
        if self.me is None or self.my_ws is None:
            return
        live = self.ws.live
        step_id = live.get("step")
        try:
            title = agenda.step(step_id, self.language).title if step_id else ""
        except UsageError:  # an unknown step id: show it as it is
            title = step_id or ""
        self.step.value = i18n.t("serve.step", self.language, title=title) if title else self.t["no_step"]
        self.timer.value = timer_text(facilitation.timer(self.ws), self.language)
        wanted = canvas_for(self.ws) if step_id or live.get(CANVAS_KEY) else None
        if wanted == self.canvas_id and (self.board is not None or wanted is None):
            return
        self._show(wanted)

    def _show(self, canvas_id: str | None) -> None:
        from .. import widgets

        if self.board is not None:
            self.board.close()
            self.board = None
        self.canvas_id = canvas_id
        if canvas_id is None:
            note = w.Label(self.t["no_canvas"] if self.ws.live.get("step") else self.t["no_step"])
            note.add_class("kit-no-canvas")
            self.body.children = [note]
            return
        if self.me is None or self.my_ws is None:
            return
        self.board = widgets.show(self.my_ws, canvas_id, participant=self.me["name"], team=self.me["team"])
        self.body.children = [self.board]

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.root)


def app(path: str | os.PathLike[str] | None = None) -> ParticipantApp:
    """The participant page; the last line of participant.ipynb."""
    return ParticipantApp(path)
