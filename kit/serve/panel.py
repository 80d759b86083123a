"""The facilitator's view of the room: who joined, votes cast, notes per team, and the controls.

Every control is one kit call (kit.facilitation, kit.roster) writing the store's live
state, which reaches each participant page through kit.live; the panel is those calls on
buttons, and itself a kit.live view, so it shows what another notebook changed.
"""
from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING, Any

from .. import agenda, facilitation, i18n, live, roster
from ..canvases import available, declaration
from ..errors import UsageError
from ..room.steps import CANVAS_KEY, canvas_for, canvases_offered, step_canvases

if TYPE_CHECKING:
    import pandas

    from ..workshop import Workshop


def workshop() -> Workshop:
    """The workshop `kit serve` runs ($KIT_WORKSHOP), opened as the facilitator."""
    import kit

    path = os.environ.get("KIT_WORKSHOP")
    if not path:
        raise UsageError("serve.no_workshop")
    return kit.open(path, role="facilitator")


def show_canvas(ws: Workshop, canvas_id: str | None) -> None:
    """Show ``canvas_id`` on every participant page whatever the step (None: follow the step)."""
    if canvas_id is not None:
        declaration(canvas_id)
    ws.set_live(CANVAS_KEY, canvas_id)


def current_canvas(ws: Workshop) -> str | None:
    return canvas_for(ws)


def board(ws: Workshop, canvas_id: str | None = None) -> Any:
    """The facilitator's live view of the canvas participants see (or ``canvas_id``)."""
    from .. import widgets

    return widgets.show(ws, canvas_id or current_canvas(ws) or "idea_board")


# --------------------------------------------------------------------------- what happened
def joined(ws: Workshop) -> pandas.DataFrame:
    """Who joined, in which team, when."""
    return roster.to_dataframe(ws)


def _records(ws: Workshop, canvas_id: str | None) -> tuple[Any, list[dict[str, Any]]]:
    """The canvas (default: the one participants see now, else the idea board) and its notes."""
    canvas = ws.canvas(canvas_id or current_canvas(ws) or "idea_board")
    return canvas, canvas.items()


def votes_cast(ws: Workshop, canvas_id: str | None = None) -> pandas.DataFrame:
    """Per voter: dots used of the budget on ``canvas_id``."""
    import pandas as pd

    canvas, items = _records(ws, canvas_id)
    budget = facilitation.controls(ws, canvas.id).budget
    used: Counter[str] = Counter()
    for item in items:
        for voter, dots in (item.get("votes") or {}).items():
            used[voter] += dots
    rows = [{"voter": v, "dots": n, "budget": budget} for v, n in sorted(used.items())]
    return pd.DataFrame(rows, columns=["voter", "dots", "budget"])


def top_voted(ws: Workshop, canvas_id: str | None = None, n: int = 10) -> pandas.DataFrame:
    """The notes with the most dots."""
    import pandas as pd

    canvas, items = _records(ws, canvas_id)
    rows = [{"id": i["id"], "text": i[canvas.text_field], "team": i.get("team", ""),
             "dots": sum((i.get("votes") or {}).values())} for i in items]
    frame = pd.DataFrame(rows, columns=["id", "text", "team", "dots"])
    return frame.sort_values(["dots", "id"], ascending=[False, True]).head(n).reset_index(drop=True)


def notes_per_team(ws: Workshop, canvas_id: str | None = None) -> pandas.DataFrame:
    """Notes per team and area (hidden ones included: the facilitator sees everything)."""
    import pandas as pd

    canvas, items = _records(ws, canvas_id)
    counts = Counter(((i.get("team") or "-"), i[canvas.area_field]) for i in items)
    areas = [a["id"] for a in canvas.areas]
    teams = sorted({t for t, _ in counts})
    frame = pd.DataFrame([[counts.get((t, a), 0) for a in areas] for t in teams], index=teams, columns=areas)
    frame.index.name = "team"
    frame["total"] = frame.sum(axis=1)
    return frame


def status(ws: Workshop, canvas_id: str | None) -> dict[str, int]:
    """Joined, notes and dots on the canvas participants see."""
    if not canvas_id:
        return {"joined": len(roster.participants(ws)), "notes": 0, "dots": 0}
    _, items = _records(ws, canvas_id)
    return {"joined": len(roster.participants(ws)), "notes": len(items),
            "dots": sum(sum((i.get("votes") or {}).values()) for i in items)}


# --------------------------------------------------------------------------- join link
def join_link() -> str | None:
    """The participant link `kit serve` passed to this JupyterLab (None when not served)."""
    return os.environ.get("KIT_JOIN_URL") or None


def join_qr(scale: int = 5) -> Any:
    """The join link as a QR code to project (SVG), or a note when there is no link."""
    import segno
    from IPython.display import SVG, Markdown

    url = join_link()
    language = os.environ.get("KIT_LANGUAGE", "de")
    if url is None:
        return Markdown(i18n.t("serve.no_join_link", language))
    return SVG(segno.make(url, error="m").svg_inline(scale=scale))


# --------------------------------------------------------------------------- the panel
class Panel(live.WorkshopView):
    """Buttons for the room controls, with a live status line. One kit call per control.

    Lock, private mode, reveal, voting and team separation act on the board chosen in ``board``: one of the
    canvases participants may be on now (a step may offer several, e.g. the follow-up's learnings board and
    feedback board); the status line names it."""

    def __init__(self, ws: Workshop) -> None:
        import ipywidgets as w

        self.ws = ws
        self._syncing = False
        t = self.t = i18n.texts("serve", ws.language)
        steps = [(f"{s.number} · {s.title}", s.id) for s in agenda.notebook_steps(ws.language)]
        canvases = [(t["panel_canvas_auto"], "")] + [(ws.canvas(c).title, c) for c in sorted(available())]
        self.step = w.Dropdown(options=steps, value=agenda.current(ws), description=t["panel_step"])
        self.canvas = w.Dropdown(options=canvases, value=ws.live.get(CANVAS_KEY) or "",
                                 description=t["panel_canvas"])
        self.board = w.Dropdown(description=t["panel_board"])
        self.minutes = w.BoundedIntText(value=10, min=1, max=240, description=t["panel_minutes"])
        self.start_timer = w.Button(description=t["panel_start_timer"], icon="play")
        self.stop_timer = w.Button(description=t["panel_stop_timer"], icon="stop")
        self.private = w.ToggleButton(description=t["panel_private"], icon="eye-slash")
        self.reveal = w.Button(description=t["panel_reveal"], icon="eye", button_style="warning")
        self.lock = w.ToggleButton(description=t["panel_lock"], icon="lock")
        self.vote = w.ToggleButton(description=t["panel_vote"], icon="circle")
        self.budget = w.BoundedIntText(value=facilitation.DEFAULT_BUDGET, min=1, max=99,
                                       description=t["panel_budget"])
        self.separate = w.ToggleButton(description=t["panel_separate"], icon="users")
        self.status = w.Label()
        for name in ("step", "canvas", "board", "start_timer", "stop_timer", "private", "reveal", "lock", "vote",
                     "separate", "status"):
            getattr(self, name).add_class(f"kit-panel-{name.replace('_', '-')}")
        self.step.observe(lambda c: self._changed(agenda.go_to, c["new"]) if c["new"] else None, "value")
        self.canvas.observe(lambda c: self._changed(show_canvas, c["new"] or None), "value")
        self.start_timer.on_click(lambda _: facilitation.start_timer(ws, self.minutes.value, self._title()))
        self.stop_timer.on_click(lambda _: facilitation.stop_timer(ws))
        self.private.observe(lambda c: self._on_canvas(facilitation.set_private, c["new"]), "value")
        self.reveal.on_click(lambda _: self._reveal())
        self.lock.observe(lambda c: self._on_canvas(facilitation.lock, c["new"]), "value")
        self.vote.observe(lambda c: self._vote(c["new"]), "value")
        self.separate.observe(lambda c: self._on_canvas(roster.separate_teams, c["new"]), "value")
        self.board.observe(lambda _: None if self._syncing else self.sync(), "value")
        self.root = w.VBox([
            w.HBox([self.step, self.canvas]),
            w.HBox([self.minutes, self.start_timer, self.stop_timer]),
            self.board,
            w.HBox([self.private, self.reveal, self.lock, self.separate]),
            w.HBox([self.vote, self.budget]),
            self.status,
        ])
        self.root.add_class("kit-panel")
        self.sync()

    def _title(self) -> str:
        step_id = agenda.current(self.ws)
        return agenda.step(step_id, self.ws.language).title if step_id else ""

    def _changed(self, func: Any, *args: Any) -> None:
        func(self.ws, *args)
        self.sync()

    def chosen_board(self, offered: tuple[str, ...] | None = None) -> str | None:
        """The board the controls act on: the one chosen, if participants may still be on it (``offered``:
        the boards they may be on now), else the first."""
        offered = canvases_offered(self.ws) if offered is None else offered
        return self.board.value if self.board.value in offered else (offered[0] if offered else None)

    def _on_canvas(self, func: Any, value: bool) -> None:
        canvas_id = self.chosen_board()
        if canvas_id and not self._syncing:
            func(self.ws, canvas_id, value)
        self.sync()

    def _vote(self, open_: bool) -> None:
        canvas_id = self.chosen_board()
        if canvas_id and not self._syncing:
            if open_:
                facilitation.open_vote(self.ws, canvas_id, self.budget.value)
            else:
                facilitation.close_vote(self.ws, canvas_id)
        self.sync()

    def _reveal(self) -> None:
        canvas_id = self.chosen_board()
        count = facilitation.reveal(self.ws, canvas_id) if canvas_id else 0
        self.sync(i18n.t("serve.panel_revealed", self.ws.language, count=count))

    def sync(self, note: str = "") -> None:
        """Show the boards participants may be on and the stored state of the chosen one (another notebook may
        change it)."""
        offered = canvases_offered(self.ws)
        canvas_id = self.chosen_board(offered)
        state = facilitation.controls(self.ws, canvas_id) if canvas_id else facilitation.CanvasControls()
        self._syncing = True
        try:
            boards = [(self.ws.canvas(c).title, c) for c in offered]
            if list(self.board.options) != boards:
                self.board.options = boards
            self.board.value, self.board.disabled = canvas_id, len(boards) < 2
            self.private.value, self.lock.value, self.vote.value = state.private, state.locked, state.vote_open
            self.separate.value = canvas_id is not None and roster.teams_separated(self.ws, canvas_id)
        finally:
            self._syncing = False
        counts = status(self.ws, canvas_id)
        board = self.t["panel_status_board"].format(board=self.ws.canvas(canvas_id).title) if canvas_id else ""
        self.status.value = " · ".join(filter(None, [board, self.t["panel_status"].format(**counts), note]))

    def show(self) -> None:
        """kit.live calls this when the workshop moved."""
        self.sync()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.root)
        live.register(self)


def panel(ws: Workshop) -> Panel:
    """The facilitator's controls for the room."""
    return Panel(ws)


__all__ = [
    "Panel",
    "board",
    "current_canvas",
    "join_link",
    "join_qr",
    "joined",
    "notes_per_team",
    "panel",
    "show_canvas",
    "status",
    "step_canvases",
    "top_voted",
    "votes_cast",
    "workshop",
]
