"""Forms of a follow-up session (notebook 08): a KPI measurement, and customer feedback on the chosen idea.

Both are plain ipywidgets like :mod:`kit.widgets.form`: labels from kit/texts, one Save button, and
the model's validation message (naming the field) instead of a traceback. Each save is one change,
so one undo takes it back.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import i18n, plan, tracking
from ..errors import WorkshopError
from .form import _STYLE, _short

if TYPE_CHECKING:
    from ..workshop import Workshop


def _t(key: str, language: str, **values: Any) -> str:
    return i18n.t(f"tracking.{key}", language, **values)


class _Form(w.VBox):  # type: ignore[misc]  # ipywidgets has no annotations
    def __init__(self, ws: Workshop, controls: list[w.Widget]) -> None:
        self.ws = ws
        self.button = w.Button(description=i18n.t("notebooks.form_save", ws.language), button_style="primary")
        self.status = w.Label()
        self.button.on_click(lambda _: self.save())
        super().__init__([*controls, w.HBox([self.button, self.status])])
        self.add_class("kit-form")

    def save(self) -> bool:
        try:
            self.status.value = self._save()
        except WorkshopError as exc:
            self.status.value = exc.render(self.ws.language)
            return False
        return True

    def _save(self) -> str:
        raise NotImplementedError


class MeasurementForm(_Form):
    """One KPI value: which KPI, the date (today), the value and a note."""

    def __init__(self, ws: Workshop) -> None:
        lang, layout = ws.language, w.Layout(width="100%")
        self.kpi = w.Dropdown(options=[(f"{k['id']}: {_short(k['criterion'])}", k["id"]) for k in ws.kpis],
                              description=_t("form_kpi", lang), style=_STYLE, layout=layout)
        self.date = w.DatePicker(value=dt.date.today(), description=_t("form_date", lang), style=_STYLE,
                                 layout=w.Layout(width="24rem"))
        self.value = w.Text(description=_t("form_value", lang), style=_STYLE, layout=layout)
        self.note = w.Text(description=_t("form_note", lang), style=_STYLE, layout=layout)
        super().__init__(ws, [self.kpi, self.date, self.value, self.note])
        self.add_class("kit-measurement-form")

    def _save(self) -> str:
        ws, kpi_id = self.ws, self.kpi.value
        if kpi_id is None:
            return _t("no_kpis", ws.language)
        entry = {"date": self.date.value, "value": self.value.value, "note": self.note.value}
        with ws.store.transaction(ws.actor):  # read and write as one: a concurrent value is never lost
            kept = [m for m in ws.kpis[kpi_id]["measurements"] if m["date"] != _iso(self.date.value)]
            kpi = ws.kpis.update(kpi_id, measurements=[*kept, entry])
        status = tracking.kpi_status(kpi, tracking.last_review(ws, before=dt.date.today()))
        self.value.value, self.note.value = "", ""
        return _t("measurement_saved", ws.language, kpi=_short(kpi["criterion"]),
                  status=i18n.t(f"report.kpi_{status}", ws.language))


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


class FeedbackForm(_Form):
    """What a customer said about the chosen idea: date, channel, the words, a score −2..+2."""

    def __init__(self, ws: Workshop) -> None:
        lang, layout = ws.language, w.Layout(width="100%")
        self.date = w.DatePicker(value=dt.date.today(), description=_t("form_date", lang), style=_STYLE,
                                 layout=w.Layout(width="24rem"))
        self.channel = w.Text(description=_t("form_channel", lang), style=_STYLE, layout=layout)
        self.said = w.Textarea(description=_t("form_said", lang), style=_STYLE,
                               layout=w.Layout(width="100%", height="4.5rem"))
        self.score = w.Dropdown(options=[("", None), ("−2", -2), ("−1", -1), ("0", 0), ("+1", 1), ("+2", 2)],
                                description=_t("form_score", lang), style=_STYLE)
        super().__init__(ws, [self.date, self.channel, self.said, self.score])
        self.add_class("kit-feedback-form")

    def _save(self) -> str:
        idea = plan.chosen_idea(self.ws)
        if idea is None:
            return i18n.t("report.no_chosen_ideas", self.ws.language)
        tracking.add_feedback(self.ws, idea["id"], date=self.date.value, said=self.said.value,
                              channel=self.channel.value, score=self.score.value)
        self.said.value, self.score.value = "", None
        return _t("feedback_saved", self.ws.language)
