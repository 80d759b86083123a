"""A small add/edit form for any record kind, built from the model's fields with ipywidgets.

The notebooks use it where no canvas widget fits: test cards on hypotheses, learning cards,
the to-do plan, KPIs, follow-ups. Labels come from kit/texts (``notebooks.col_<field>``),
choices and references are drop-downs, and every save goes through the collection, so the
model's validation message (naming the field) is shown instead of a traceback. A choice
shows its label in the workshop language (``forms.<kind>_<field>_<value>``); the store
keeps the value ("open", "team_session").
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import i18n, model
from ..errors import WorkshopError
from ..synthesis import column

if TYPE_CHECKING:
    from ..workshop import Workshop

_SHORT = 70
_STYLE = {"description_width": "12rem"}  # every label the same width, so the fields line up


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _SHORT else text[:_SHORT - 1] + "…"


def choice_label(kind: str, field: str, value: str, language: str) -> str:
    """The label of a choice value in ``language`` ("team_session" -> "Teamtermin"); the value if unknown."""
    key = f"forms.{kind}_{field}_{value}"
    return i18n.t(key, language) if key in i18n.catalogue() else str(value)


class RecordForm(w.VBox):  # type: ignore[misc]  # ipywidgets has no annotations
    """``RecordForm(ws, "actions", ["who", "what", "start", "due", "budget"])``."""

    def __init__(self, ws: Workshop, collection: str, fields: list[str]) -> None:
        self.ws, self.collection = ws, getattr(ws, collection)
        self.kind = self.collection.kind
        self.fields = [self.kind.field(name) for name in fields]
        lang = ws.language
        self.picker = w.Dropdown(description=i18n.t("notebooks.form_pick", lang), style=_STYLE,
                                 layout=w.Layout(width="100%"))
        self.controls = {f.name: self._control(f) for f in self.fields}
        self.button = w.Button(description=i18n.t("notebooks.form_save", lang), button_style="primary")
        self.status = w.Label()
        self.picker.observe(lambda _: self._load(), names="value")
        self.button.on_click(lambda _: self.save())
        self._fill_picker()
        super().__init__([self.picker, *self.controls.values(), w.HBox([self.button, self.status])])
        self.add_class("kit-form")
        self.add_class(f"kit-form-{collection}")

    # ------------------------------------------------------------------ controls
    def _control(self, f: model.Field) -> w.Widget:
        label = column(f.name, self.ws.language)
        style, layout = _STYLE, w.Layout(width="100%")
        if f.type == "choice":
            labelled = [(choice_label(self.kind.name, f.name, c, self.ws.language), c) for c in f.choices]
            return w.Dropdown(options=[("", "")] * (not f.required) + labelled,
                              description=label, style=style, layout=layout)
        if f.type in ("ref", "refs"):
            target = model.KINDS[f.ref or ""]
            options = [(f"{r['id']}: {_short(r[target.title_field])}", r["id"])
                       for r in getattr(self.ws, target.collection)]
            if f.type == "refs":
                return w.SelectMultiple(options=options, description=label, style=style, layout=layout)
            return w.Dropdown(options=[("", None), *options], description=label, style=style, layout=layout)
        if f.type == "date":
            return w.DatePicker(description=label, style=style, layout=w.Layout(width="24rem"))  # room for the date
        if f.type == "bool":
            return w.Checkbox(description=label, style=style)
        if f.type in ("int", "float"):
            return w.Text(description=label, style=style, layout=layout)
        if f.type == "strs":
            return w.Text(description=label, style=style, layout=layout, placeholder="Anna, Ben")
        if f.name in ("notes", "learned", "minutes", "observed", "believed", "will", "feedback", "statement", "text",
                      "what"):
            return w.Textarea(description=label, style=style, layout=w.Layout(width="100%", height="4.5rem"))
        return w.Text(description=label, style=style, layout=layout,
                      placeholder="2026-11-04T09:00" if f.type == "datetime" else "")

    def _fill_picker(self, selected: int | None = None) -> None:
        new = i18n.t("notebooks.form_new", self.ws.language)
        options = [(new, 0), *((f"{r['id']}: {_short(r[self.kind.title_field])}", r["id"]) for r in self.collection)]
        self.picker.options = options
        self.picker.value = selected or 0

    def _load(self) -> None:
        record = self.collection.get(self.picker.value) if self.picker.value else None
        for f in self.fields:
            value = record[f.name] if record else f.empty()
            control = self.controls[f.name]
            if f.type == "date":
                control.value = dt.date.fromisoformat(value) if value else None
            elif f.type == "refs":
                control.value = tuple(value or ())
            elif f.type == "strs":
                control.value = ", ".join(value or [])
            elif f.type in ("int", "float"):
                control.value = "" if value is None else f"{value:g}"
            elif f.type == "bool":
                control.value = bool(value)
            elif f.type == "choice":
                allowed = [v for _, v in control.options]
                control.value = value if value in allowed else allowed[0]
            else:
                control.value = value if value is not None else ("" if f.type != "ref" else None)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            value = self.controls[f.name].value
            if f.type == "strs":
                value = [v.strip() for v in value.split(",") if v.strip()]
            out[f.name] = list(value) if f.type == "refs" else value
        return out

    def select(self, record_id: int) -> None:
        """Show record ``record_id`` for editing (as if picked)."""
        self._fill_picker(record_id)

    def save(self) -> int | None:
        """Add (when "(new)" is picked) or update the picked record; returns its id."""
        try:
            if self.picker.value:
                record_id: int = self.picker.value
                self.collection.update(record_id, **self.values())
            else:
                record_id = self.collection.add(**self.values())
        except WorkshopError as exc:  # the model's validation names the field
            self.status.value = exc.render(self.ws.language)
            return None
        self.status.value = i18n.t("notebooks.form_saved", self.ws.language, kind=self.kind.name, id=record_id)
        self._fill_picker(record_id)
        return record_id
