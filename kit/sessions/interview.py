"""The interview session: capture each interview, then code snippets as evidence.

State: ``interviews`` (pseudonym, segment, format, date, interviewer, notes; never the real
name), ``hypotheses`` (id, label, kind, statement, selected, status), ``segments``,
``current`` (the interview the viewer selected) and ``evidence`` (its coded snippets); fixed
``formats`` and ``texts``; ``touchpoints`` (id, name, stage) a snippet may name. Requests:
``save`` (``id`` 0 adds, ``fields``), ``code`` (``interview``, ``snippet``, ``hypothesis``,
``stance``, optional ``touchpoint`` and ``experience`` -2..+2), ``tag`` (``id`` of a snippet
and ``touchpoint`` and/or ``experience``, null clears: what feeds kit.journey's evidence curve),
``remove`` (``id`` of a snippet); the result carries ``message`` (what was done) in the
workshop language. Bad scores and touchpoints are refused by the model, naming the field.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import i18n, model, synthesis
from ..errors import RequestError
from .base import Op, Session, request_id

if TYPE_CHECKING:
    from ..workshop import Workshop

FIELDS = ("pseudonym", "segment", "format", "date", "interviewer", "notes")
#: What a snippet says about the journey (kit.journey): which touchpoint, how it felt there.
TAGS = ("touchpoint", "experience")
#: Texts of kit/texts/journey.yaml the widget shows beside the facilitation texts.
JOURNEY_TEXTS = ("score_label", "score_keys", "score_clear", "touchpoint_label", "touchpoint_none")


class InterviewSession(Session):
    """One viewer capturing and coding interviews; ``current`` is what they selected."""

    writable = ("current",)

    def __init__(self, ws: Workshop) -> None:
        super().__init__(ws)
        first = next(iter(ws.interviews.all()), None)
        self.current = first["id"] if first else 0

    def fixed(self) -> dict[str, Any]:
        lang = self.language
        texts = {**i18n.texts("facilitation", lang),
                 **{f"stance_{s}": synthesis.stance_label(s, lang) for s in model.STANCES},
                 **{f"status_{s}": synthesis.status_label(s, lang) for s in model.HYPOTHESIS_STATUSES},
                 **{key: i18n.t(f"journey.{key}", lang) for key in JOURNEY_TEXTS}}
        formats = [{"id": f, "label": i18n.t(f"notebooks.format_{f}", lang)} for f in model.INTERVIEW_FORMATS]
        return {"texts": texts, "formats": formats}

    def state(self) -> dict[str, Any]:
        ws = self.ws
        statuses = synthesis.statuses(ws)
        hypotheses = ws.hypotheses.all()
        chosen = sorted(hypotheses, key=lambda h: (not h["selected"], h["id"]))
        handles = {h["id"]: synthesis.label(h) for h in hypotheses}
        evidence = [{"id": e["id"], "snippet": e["snippet"], "stance": e["stance"], "hypothesis": e["hypothesis"],
                     "label": handles.get(e["hypothesis"], ""), "touchpoint": e["touchpoint"],
                     "experience": e["experience"]}
                    for e in ws.evidence.all(interview=self.current)] if self.current else []
        return {
            "interviews": [{"id": i["id"], **{f: i[f] or "" for f in FIELDS}} for i in ws.interviews],
            "hypotheses": [{"id": h["id"], "label": handles[h["id"]], "kind": h["kind"], "statement": h["statement"],
                            "selected": h["selected"], "status": statuses[h["id"]]} for h in chosen],
            "segments": list(ws.info["personas"]),
            "current": self.current,
            "evidence": evidence,
            "touchpoints": [{"id": tp["id"], "name": tp["name"], "stage": tp["stage"]} for tp in ws.touchpoints],
        }

    def receive(self, key: str, value: Any) -> None:
        if key != "current":
            super().receive(key, value)
        self.current = int(value or 0)  # the viewer looks at another interview (0: none)

    # ------------------------------------------------------------------ the API (also used by the page)
    def save(self, interview_id: int = 0, **fields: Any) -> int:
        """Add (id 0) or update an interview; returns its id and selects it."""
        values = {k: v for k, v in fields.items() if k in FIELDS}
        if interview_id:
            self.ws.interviews.update(interview_id, **values)
        else:
            if not str(values.get("pseudonym", "")).strip():
                raise RequestError("facilitation.interview_need_pseudonym")
            interview_id = self.ws.interviews.add(**values)
        self.current = interview_id
        return interview_id

    def code(self, snippet: str, stance: str, hypothesis: int | None = None, interview: int | None = None,
             **tags: Any) -> int:
        """Store one snippet as evidence; a new insight needs no hypothesis; ``touchpoint`` and
        ``experience`` (-2..+2) may come along (see ``tag``)."""
        interview = interview or self.current
        if not interview:
            raise RequestError("facilitation.interview_save_first")
        if not snippet.strip():
            raise RequestError("facilitation.coding_need_snippet")
        if stance != "new_insight" and not hypothesis:
            raise RequestError("facilitation.coding_need_hypothesis")
        return self.ws.evidence.add(interview=interview, snippet=snippet, stance=stance,
                                    hypothesis=hypothesis or None, coded_by=self.ws.actor, **_tags(tags))

    def tag(self, evidence_id: int, **tags: Any) -> None:
        """Name the touchpoint a snippet is about and/or how it felt there (-2..+2; None clears)."""
        values = _tags(tags)
        if not values:
            raise RequestError("widgets.req_missing", field="touchpoint/experience")
        self.ws.evidence.update(evidence_id, **values)

    def ops(self) -> dict[str, Op]:
        return {"save": self.op_save, "code": self.op_code, "tag": self.op_tag, "remove": self.op_remove}

    def op_save(self, request: dict[str, Any]) -> dict[str, Any]:
        fields = request.get("fields") or {}
        if not isinstance(fields, dict):
            raise RequestError("widgets.req_missing", field="fields")
        self.save(int(request.get("id") or 0), **fields)
        return {"message": i18n.t("facilitation.interview_saved", self.language)}

    def op_code(self, request: dict[str, Any]) -> dict[str, Any]:
        hypothesis, stance = request.get("hypothesis"), str(request.get("stance", ""))
        self.code(str(request.get("snippet", "")), stance, int(hypothesis) if hypothesis else None,
                  int(request.get("interview") or 0) or None, **_tags(request))
        handle = next((synthesis.label(h) for h in self.ws.hypotheses if h["id"] == hypothesis), "-")
        stance_label = synthesis.stance_label(stance, self.language) if stance in model.STANCES else stance
        return {"message": i18n.t("facilitation.coding_coded", self.language, stance=stance_label, hypothesis=handle)}

    def op_tag(self, request: dict[str, Any]) -> dict[str, Any]:
        self.tag(request_id(request), **_tags(request))
        return {"message": i18n.t("journey.tagged", self.language)}

    def op_remove(self, request: dict[str, Any]) -> dict[str, Any]:
        self.ws.evidence.remove(request_id(request))
        return {"message": i18n.t("facilitation.coding_removed", self.language)}


def _tags(values: dict[str, Any]) -> dict[str, Any]:
    """The journey tags given (None included: it clears); the model checks the values."""
    return {key: values[key] for key in TAGS if key in values}
