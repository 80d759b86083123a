"""Sessions on the facilitator's room controls: the shared countdown and the agenda.

Timer state: ``ends_at`` (epoch seconds, 0 when idle), ``seconds``, ``label``, ``running``,
``server_now`` (so a page with a skewed clock counts down to the same moment), and fixed
``default_minutes``, ``default_label``, ``texts``; requests ``start`` (``minutes``, ``label``)
and ``stop``. Agenda state: ``steps``, ``current``, and fixed ``total_minutes``,
``can_control``, ``texts``; requests ``go`` and ``timebox`` (``step``), the facilitator's only.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .. import access, agenda, facilitation, i18n
from ..errors import RequestError
from .base import Op, Session

if TYPE_CHECKING:
    from ..workshop import Workshop


class TimerSession(Session):
    """The countdown every open view shares (kit.facilitation's live ``timer``)."""

    def __init__(self, ws: Workshop, minutes: float = 5, label: str = "") -> None:
        super().__init__(ws)
        self.default_minutes, self.default_label = float(minutes), label

    def fixed(self) -> dict[str, Any]:
        return {"default_minutes": self.default_minutes, "default_label": self.default_label,
                "texts": i18n.texts("facilitation", self.language)}

    def state(self) -> dict[str, Any]:
        timer = facilitation.timer(self.ws)
        return {"ends_at": float(timer.get("ends_at") or 0.0), "seconds": int(timer.get("seconds") or 0),
                "label": timer.get("label") or "", "running": bool(timer.get("running")), "server_now": time.time()}

    def start(self, minutes: float | None = None, label: str | None = None) -> None:
        facilitation.start_timer(self.ws, self.default_minutes if minutes is None else minutes,
                                 self.default_label if label is None else label)

    def stop(self) -> None:
        facilitation.stop_timer(self.ws)

    def ops(self) -> dict[str, Op]:
        return {"start": self.op_start, "stop": lambda _: self.stop()}

    def op_start(self, request: dict[str, Any]) -> None:
        try:
            minutes = float(request.get("minutes", self.default_minutes))
        except (TypeError, ValueError):
            raise RequestError("facilitation.timer_bad_minutes") from None
        if not 0 < minutes <= 24 * 60:
            raise RequestError("facilitation.timer_bad_minutes")
        self.start(minutes, str(request.get("label", self.default_label)))


class AgendaSession(Session):
    """The workshop day's steps with their timeboxes, then the follow-up sessions' step; the facilitator moves
    the room."""

    def fixed(self) -> dict[str, Any]:
        return {"texts": i18n.texts("facilitation", self.language),
                "can_control": not access.is_participant(self.ws.role),
                "total_minutes": agenda.total_minutes()}

    def state(self) -> dict[str, Any]:
        return {"steps": agenda.overview(self.ws), "current": agenda.current(self.ws) or ""}

    def ops(self) -> dict[str, Op]:
        return {"go": self.op_go, "timebox": self.op_timebox}

    def _step(self, request: dict[str, Any]) -> str:
        access.check_facilitator(self.ws.viewer(), "agenda")
        step_id = str(request.get("step", ""))
        if step_id not in agenda.NOTEBOOK_IDS:
            raise RequestError("widgets.req_step", value=step_id)
        return step_id

    def op_go(self, request: dict[str, Any]) -> None:
        agenda.go_to(self.ws, self._step(request))

    def op_timebox(self, request: dict[str, Any]) -> None:
        agenda.start_timebox(self.ws, self._step(request))
