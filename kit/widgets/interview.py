"""Interview capture and fast evidence coding, one widget for the debrief.

Traits are the contract. Python writes ``interviews`` (pseudonym, segment, format, date,
interviewer, notes; never the real name), ``hypotheses`` (id, handle, kind, statement,
status), ``evidence`` (the coded snippets of the selected interview), ``formats``,
``segments`` and ``texts``. The browser selects an interview with ``current`` and asks for
changes through ``request``:

* ``{"op": "save", "id": 0 | id, "fields": {...}}`` adds or updates an interview;
* ``{"op": "code", "interview": id, "snippet": "...", "hypothesis": id | null,
  "stance": "supports" | "contradicts" | "new_insight"}`` stores one snippet;
* ``{"op": "remove", "id": evidence id}`` removes a snippet (undoable like any change).

Python answers in ``ack`` (the request's nonce), ``error`` and ``message`` in the workshop
language. Bad input is refused with the message of the model (naming the field).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from .. import i18n, model, synthesis
from ..store import WorkshopError
from . import sync

if TYPE_CHECKING:
    from ..workshop import Workshop

HERE = Path(__file__).resolve().parent
FIELDS = ("pseudonym", "segment", "format", "date", "interviewer", "notes")


class InterviewWidget(anywidget.AnyWidget):
    """``InterviewWidget(ws)``: capture each interview, then code snippets as evidence."""

    _esm = HERE / "interview.js"
    _css = HERE / "interview.css"

    interviews = traitlets.List().tag(sync=True)
    current = traitlets.Int(0).tag(sync=True)
    hypotheses = traitlets.List().tag(sync=True)
    evidence = traitlets.List().tag(sync=True)
    formats = traitlets.List().tag(sync=True)
    segments = traitlets.List().tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    request = traitlets.Dict().tag(sync=True)
    ack = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)

    def __init__(self, ws: "Workshop", **kwargs: Any):
        super().__init__(**kwargs)
        self.ws = ws
        lang = ws.language
        self.texts = {**i18n.texts("facilitation", lang),
                      **{f"stance_{s}": synthesis.stance_label(s, lang) for s in model.STANCES},
                      **{f"status_{s}": synthesis.status_label(s, lang) for s in model.HYPOTHESIS_STATUSES}}
        self.formats = [{"id": f, "label": i18n.t(f"notebooks.format_{f}", lang)} for f in model.INTERVIEW_FORMATS]
        self.refresh()
        first = self.interviews[0]["id"] if self.interviews else 0
        self.current = first
        self._load_evidence()
        self.observe(self._on_request, names="request")
        self.observe(lambda _: self._load_evidence(), names="current")
        sync.register(self)

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        version = self.ws.version()
        statuses = synthesis.statuses(self.ws)
        chosen = sorted(self.ws.hypotheses, key=lambda h: (not h["selected"], h["id"]))
        with self.hold_sync():
            self.interviews = [{"id": i["id"], **{f: i[f] or "" for f in FIELDS}} for i in self.ws.interviews]
            self.hypotheses = [{"id": h["id"], "label": synthesis.label(h), "kind": h["kind"],
                                "statement": h["statement"], "selected": h["selected"],
                                "status": statuses[h["id"]]} for h in chosen]
            self.segments = list(self.ws.info["personas"])
            self._load_evidence()
            self.version = version

    def _load_evidence(self) -> None:
        handles = {h["id"]: synthesis.label(h) for h in self.ws.hypotheses}
        self.evidence = [{"id": e["id"], "snippet": e["snippet"], "stance": e["stance"],
                          "hypothesis": e["hypothesis"], "label": handles.get(e["hypothesis"], "")}
                         for e in self.ws.evidence.all(interview=self.current)] if self.current else []

    # ------------------------------------------------------------------ API (also used by the browser)
    def save(self, interview_id: int = 0, **fields: Any) -> int:
        """Add (id 0) or update an interview; returns its id and selects it."""
        values = {k: v for k, v in fields.items() if k in FIELDS}
        if interview_id:
            self.ws.interviews.update(interview_id, **values)
        else:
            if not str(values.get("pseudonym", "")).strip():
                raise model.ValidationError("interview", "pseudonym", self.texts["interview_need_pseudonym"])
            interview_id = self.ws.interviews.add(**values)
        self.refresh()
        self.current = interview_id
        return interview_id

    def code(self, snippet: str, stance: str, hypothesis: int | None = None,
             interview: int | None = None) -> int:
        """Store one snippet as evidence; a new insight needs no hypothesis."""
        interview = interview or self.current
        if not interview:
            raise WorkshopError(self.texts["interview_save_first"])
        if not snippet.strip():
            raise model.ValidationError("evidence", "snippet", self.texts["coding_need_snippet"])
        if stance != "new_insight" and not hypothesis:
            raise model.ValidationError("evidence", "hypothesis", self.texts["coding_need_hypothesis"])
        evidence_id = self.ws.evidence.add(interview=interview, snippet=snippet, stance=stance,
                                           hypothesis=hypothesis or None, coded_by=self.ws.actor)
        self.refresh()
        return evidence_id

    def _on_request(self, change: dict[str, Any]) -> None:
        request = change["new"] or {}
        op = request.get("op")
        self.error = self.message = ""
        try:
            if op == "save":
                self.save(int(request.get("id") or 0), **dict(request.get("fields") or {}))
                self.message = self.texts["interview_saved"]
            elif op == "code":
                hypothesis = request.get("hypothesis")
                stance = str(request.get("stance", ""))
                self.code(str(request.get("snippet", "")), stance, int(hypothesis) if hypothesis else None,
                          int(request.get("interview") or 0) or None)
                handle = next((h["label"] for h in self.hypotheses if h["id"] == hypothesis), "–")
                self.message = i18n.t("facilitation.coding_coded", self.ws.language,
                                      stance=self.texts.get(f"stance_{stance}", stance), hypothesis=handle)
            elif op == "remove":
                self.ws.evidence.remove(int(request["id"]))
                self.refresh()
                self.message = self.texts["coding_removed"]
        except (model.ValidationError, WorkshopError, KeyError, ValueError, TypeError) as exc:
            self.error = str(exc.problem if isinstance(exc, model.ValidationError) and exc.problem
                             in self.texts.values() else exc)
        self.ack = str(request.get("nonce", ""))
