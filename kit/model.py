"""The domain model: every kind of record the method needs, declared as data.

Each record kind is a list of typed fields. ``validate`` turns user input into clean
values or raises ``ValidationError`` whose message names kind and field, e.g.
``touchpoint.ist_rating must be 1..5, got 9``; what is wrong is a code with parameters
(``validation.range``, texts in ``kit/texts/validation.yaml``). Nothing here touches storage,
widgets or pandas, so the model imports in milliseconds and every other layer can build on it.
"""
from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from .errors import NotFound, ValidationError

#: Longest text a single field accepts (a long interview transcript fits easily).
MAX_TEXT = 200_000


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------------------- fields
@dataclass(frozen=True)
class Field:
    """One typed field. ``clean`` returns the stored value or raises ValidationError."""

    name: str
    type: str  # text, choice, int, float, bool, date, datetime, ref, refs, strs, scores, measurements, feedback
    required: bool = False
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    ref: str | None = None  # record kind a ref/refs field points to
    default: Any = None
    private: bool = False  # personal data: left out of exports unless opted in
    doc: str = ""

    def empty(self) -> Any:
        if self.default is not None:
            return self.default() if callable(self.default) else self.default
        return {"text": "", "strs": [], "refs": [], "scores": {}, "measurements": [], "feedback": [],
                "bool": False}.get(
            self.type
        )

    def clean(self, kind: str, value: Any) -> Any:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if self.required and self.default is None:
                raise ValidationError(kind, self.name, "validation.required")
            return self.empty()
        cleaner: Callable[[Any], Any] = getattr(self, "_" + self.type)
        try:
            return cleaner(value)
        except _Problem as problem:
            raise ValidationError(kind, self.name, problem.code, **problem.params) from None

    # -- one cleaner per type; each raises _Problem(code, **params): what is wrong, without the field
    def _text(self, value: Any) -> str:
        if not isinstance(value, str):
            raise _Problem("validation.not_text", got=_short(value))
        _check_text(value)
        if len(value) > MAX_TEXT:
            raise _Problem("validation.too_long", length=len(value), limit=MAX_TEXT)
        if self.required and not value.strip():
            raise _Problem("validation.empty")
        return value

    def _choice(self, value: Any) -> str:
        if value == "" and not self.required:
            return self.empty() or ""
        if value not in self.choices:
            raise _Problem("validation.choice", choices=", ".join(self.choices), got=_short(value))
        return str(value)

    def _int(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip() == "" and not self.required:
            return None
        if isinstance(value, bool):
            raise _Problem("validation.whole_number", got=_short(value))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise _Problem("validation.whole_number", got=_short(value)) from None
        if not isinstance(value, int):
            raise _Problem("validation.whole_number", got=_short(value))
        self._range(value)
        return value

    def _float(self, value: Any) -> float | None:
        if isinstance(value, str):
            if value.strip() == "" and not self.required:
                return None
            try:
                value = float(value.strip().replace(",", "."))
            except ValueError:
                raise _Problem("validation.number", got=_short(value)) from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _Problem("validation.number", got=_short(value))
        self._range(value)
        return float(value)

    def _range(self, value: float, key: str | None = None) -> None:
        """Refuse a number outside min..max; ``key`` names the entry of a scores mapping."""
        lo, hi = self.min, self.max
        if lo is not None and hi is not None and not lo <= value <= hi:
            if key is not None:
                raise _Problem("validation.score_range", key=key, lo=lo, hi=hi, value=value)
            raise _Problem("validation.range", lo=lo, hi=hi, value=value)
        if lo is not None and hi is None and value < lo:
            raise _Problem("validation.at_least", lo=lo, value=value)

    def _bool(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOL_WORDS:
            return _BOOL_WORDS[value.strip().lower()]
        raise _Problem("validation.bool", got=_short(value))

    def _date(self, value: Any) -> str | None:
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, str):
            if not value.strip() and not self.required:
                return None
            try:
                return _dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise _Problem("validation.date", got=_short(value))

    def _datetime(self, value: Any) -> str | None:
        if isinstance(value, _dt.datetime):
            return value.replace(microsecond=0).isoformat(timespec="minutes")
        if isinstance(value, _dt.date):
            return _dt.datetime.combine(value, _dt.time()).isoformat(timespec="minutes")
        if isinstance(value, str):
            if not value.strip() and not self.required:
                return None
            try:
                return _dt.datetime.fromisoformat(value.strip()).isoformat(timespec="minutes")
            except ValueError:
                pass
        raise _Problem("validation.datetime", got=_short(value))

    def _ref(self, value: Any) -> int | None:
        if isinstance(value, str) and not value.strip() and not self.required:
            return None
        return self._id(value)

    def _id(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _Problem("validation.ref", ref=self.ref, got=_short(value))
        return value

    def _refs(self, value: Any) -> list[int]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise _Problem("validation.refs", ref=self.ref, got=_short(value))
        out: list[int] = []
        for item in value:
            ident = self._id(item)
            if ident not in out:
                out.append(ident)
        return out

    def _strs(self, value: Any) -> list[str]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise _Problem("validation.strs", got=_short(value))
        out = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise _Problem("validation.strs_item", got=_short(item))
            _check_text(item)
            if item not in out:
                out.append(item)
        return out

    def _scores(self, value: Any) -> dict[str, int]:
        """A mapping name -> whole number in range (emotion per persona, dots per voter)."""
        if not isinstance(value, Mapping):
            raise _Problem("validation.scores", got=_short(value))
        out: dict[str, int] = {}
        for key, score in value.items():
            if not isinstance(key, str) or not key.strip():
                raise _Problem("validation.scores_key", got=_short(key))
            _check_text(key)
            if isinstance(score, float) and score.is_integer():
                score = int(score)
            if isinstance(score, bool) or not isinstance(score, int):
                raise _Problem("validation.score_whole_number", key=key, got=_short(score))
            self._range(score, key)
            out[key] = score
        return out

    def _measurements(self, value: Any) -> list[dict[str, Any]]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise _Problem("validation.measurements", got=_short(value))
        out = []
        for item in value:
            if not isinstance(item, Mapping) or "date" not in item or "value" not in item:
                raise _Problem("validation.measurement_entry", got=_short(item))
            date = Field("date", "date", required=True)._date(item["date"])
            number = Field("value", "float", required=True)._float(item["value"])
            note = item.get("note", "") or ""
            if not isinstance(note, str):
                raise _Problem("validation.measurement_note", got=_short(note))
            _check_text(note)
            out.append({"date": date, "value": number, "note": note})
        return sorted(out, key=lambda m: m["date"])

    def _feedback(self, value: Any) -> list[dict[str, Any]]:
        """An idea's feedback log: what customers said about it and when the staff heard it."""
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise _Problem("validation.feedback", got=_short(value))
        out = []
        for item in value:
            if not isinstance(item, Mapping) or "date" not in item or not set(item) <= set(FEEDBACK_KEYS):
                raise _Problem("validation.feedback_entry", keys=", ".join(FEEDBACK_KEYS), got=_short(item))
            entry: dict[str, Any] = {
                "date": Field("date", "date", required=True)._date(item["date"]),
                "channel": Field("channel", "text")._text(item.get("channel") or ""),
                "said": Field("said", "text")._text(item.get("said") or ""),
                "score": Field("score", "int", **EMOTION)._int(item.get("score") if item.get("score") is not None
                                                               else ""),
                "shared_with_staff": Field("shared_with_staff", "date")._date(item.get("shared_with_staff") or ""),
            }
            out.append(entry)
        return sorted(out, key=lambda e: e["date"])


def feedback_from_text(text: str, date: str) -> list[dict[str, Any]]:
    """The feedback log of a schema-2 idea whose ``feedback_result`` text was ``text`` (noted on ``date``)."""
    if not text.strip():
        return []
    return [{"date": date, "channel": "", "said": text, "score": None, "shared_with_staff": None}]


class _Problem(Exception):
    """What is wrong with one value, before the field it belongs to is known."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code, self.params = code, params


_BOOL_WORDS = {"true": True, "false": False, "yes": True, "no": False, "ja": True, "nein": False,
               "1": True, "0": False, "": False}


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise _Problem("validation.nul")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Problem("validation.unicode") from None


def _text(name: str, required: bool = False, **kw: Any) -> Field:
    return Field(name, "text", required=required, **kw)


def _choice(name: str, choices: tuple[str, ...], default: str | None = None, **kw: Any) -> Field:
    return Field(name, "choice", choices=choices, default=default, **kw)


# --------------------------------------------------------------------------- kinds
@dataclass(frozen=True)
class Kind:
    """A record kind: its name, its collection name on the workshop, its fields."""

    name: str
    collection: str
    fields: tuple[Field, ...]
    title_field: str
    checks: tuple[Callable[[dict[str, Any]], None], ...] = field(default=())

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise ValidationError(self.name, name, "validation.not_a_field", of=self.name,
                              fields=", ".join(self.field_names))

    def validate(self, values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        """Clean ``values``. With ``partial``, only the given fields are checked (an update)."""
        clean: dict[str, Any] = {}
        for key, value in values.items():
            clean[key] = self.field(key).clean(self.name, value)
        if not partial:
            for f in self.fields:
                if f.name not in clean:
                    clean[f.name] = f.clean(self.name, None)
        return clean

    def check_record(self, record: Mapping[str, Any]) -> None:
        """Rules across fields, run on the full record after a change."""
        for check in self.checks:
            check(dict(record))


def _due_after_start(record: dict[str, Any]) -> None:
    if record.get("start") and record.get("due") and record["due"] < record["start"]:
        raise ValidationError("action", "due", "validation.due_before_start", start=record["start"],
                              due=record["due"])


def _target_after_baseline(record: dict[str, Any]) -> None:
    if record.get("baseline_date") and record.get("target_date") and record["target_date"] <= record["baseline_date"]:
        raise ValidationError("kpi", "target_date", "validation.target_before_baseline",
                              baseline=record["baseline_date"], target=record["target_date"])


LANGUAGES = ("de", "en")
OBSERVATION_KINDS = ("behaviour", "quote", "artefact", "other")
HYPOTHESIS_KINDS = ("job", "pain", "gain")
HYPOTHESIS_STATUSES = ("open", "testing", "confirmed", "refuted")
INTERVIEW_FORMATS = ("virtual_cafe", "walk_and_talk", "phone", "video", "on_site", "other")
STANCES = ("supports", "contradicts", "new_insight")
SIDES = ("front", "back")
ACTION_STATUSES = ("open", "doing", "done", "dropped")
FOLLOWUP_KINDS = ("team_session", "status_review", "training", "other")
DIRECTIONS = ("higher", "lower")  # which way a KPI gets better
FEEDBACK_KEYS = ("date", "channel", "said", "score", "shared_with_staff")
class Bounds(TypedDict):
    """The range of a number field, spread into ``Field(..., **EMOTION)``."""

    min: int
    max: int


EMOTION: Bounds = {"min": -2, "max": 2}
RATING: Bounds = {"min": 1, "max": 5}

KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("workshop", "workshop", (
        _text("title", required=True),
        _text("client"),
        Field("date", "date"),
        _text("facilitator"),
        _choice("language", LANGUAGES, default="de", required=True),
        Field("teams", "strs"),
        Field("personas", "strs", doc="personas or customer segments"),
        _text("purpose"),
    ), "title"),
    Kind("observation", "observations", (
        _text("text", required=True, doc="what was seen or heard"),
        _choice("kind", OBSERVATION_KINDS, default="behaviour"),
        _text("who", doc="segment or persona"),
        _text("touchpoint", doc="where: touchpoint or channel"),
        Field("when", "datetime"),
        _text("observed_by"),
        _text("team"),
        Field("hidden", "bool", doc="private until the facilitator reveals"),
    ), "text"),
    Kind("hypothesis", "hypotheses", (
        _choice("kind", HYPOTHESIS_KINDS, required=True),
        _text("statement", required=True),
        Field("observations", "refs", ref="observation"),
        _text("test_question", doc="which question, in which conversation"),
        _text("confirm_if", doc="the answer that confirms"),
        _text("refute_if", doc="the answer that refutes"),
        Field("votes", "scores", min=0, max=99, doc="dots per voter"),
        _choice("status", HYPOTHESIS_STATUSES, default="open"),
        Field("selected", "bool", doc="chosen for testing"),
        _text("author"),
        _text("team"),
    ), "statement"),
    Kind("interview", "interviews", (
        _text("pseudonym", required=True),
        _text("real_name", private=True, doc="personal data: exported only on request"),
        _text("segment"),
        Field("date", "date"),
        _choice("format", INTERVIEW_FORMATS, default="virtual_cafe"),
        Field("duration_min", "int", min=0, max=600),
        _text("interviewer"),
        _text("notes"),
    ), "pseudonym"),
    Kind("evidence", "evidence", (
        Field("interview", "ref", ref="interview", required=True),
        _text("snippet", required=True),
        Field("hypothesis", "ref", ref="hypothesis"),
        _choice("stance", STANCES, required=True),
        _text("coded_by"),
        # added in schema 2; new fields go last, so old files gain them as appended columns
        Field("touchpoint", "ref", ref="touchpoint", doc="the touchpoint the snippet is about"),
        Field("experience", "int", **EMOTION, doc="-2..+2: how the interviewee felt there"),
    ), "snippet"),
    Kind("learning_card", "learning_cards", (
        Field("hypothesis", "ref", ref="hypothesis"),
        _text("believed", doc="we believed ..."),
        _text("observed", doc="we observed ..."),
        _text("learned", required=True, doc="we learned ..."),
        _text("will", doc="therefore we will ..."),
        _text("author"),
    ), "learned"),
    Kind("canvas_item", "canvas_items", (
        _text("canvas", required=True),
        _text("area", required=True),
        _text("text", required=True),
        Field("rank", "int", min=1, max=5, doc="importance, severity or relevance"),
        Field("fit", "refs", ref="canvas_item", doc="pains or gains this item addresses"),
        Field("hypothesis", "ref", ref="hypothesis", doc="the insight it came from"),
        _text("color"),
        _text("author"),
        _text("team"),
        Field("votes", "scores", min=0, max=99),
        Field("position", "float"),
        Field("hidden", "bool"),
    ), "text"),
    Kind("touchpoint", "touchpoints", (
        _text("stage", required=True),
        _text("name", required=True),
        _text("channel"),
        _text("owner", doc="front-stage owner or department"),
        _text("backstage_owner"),
        _choice("side", SIDES, default="front"),
        _text("frequency"),
        Field("ist_rating", "int", **RATING),
        Field("soll_target", "int", **RATING),
        Field("moment_of_truth", "bool"),
        Field("emotion", "scores", **EMOTION, doc="-2..+2 per persona"),
        Field("position", "float"),
        _text("notes"),
        _text("author"),
        _text("team"),
    ), "name"),
    Kind("idea", "ideas", (
        Field("touchpoint", "ref", ref="touchpoint"),
        _text("stage"),
        _text("text", required=True),
        _text("author"),
        _text("team"),
        Field("votes", "scores", min=0, max=99),
        Field("selected", "bool"),
        _text("feedback", doc="how customers give feedback on this idea"),
        Field("hidden", "bool"),
        # schema 3: the log replaces the single text "feedback_result" (moved into its first entry)
        Field("feedback_log", "feedback", doc="date, channel, what the customer said, score -2..+2, "
              "when it was shared with the staff who had the idea"),
    ), "text"),
    Kind("action", "actions", (
        _text("who"),
        _text("what", required=True),
        Field("start", "date"),
        Field("due", "date"),
        Field("budget", "float", min=0),
        _choice("status", ACTION_STATUSES, default="open"),
        Field("idea", "ref", ref="idea"),
    ), "what", checks=(_due_after_start,)),
    Kind("kpi", "kpis", (
        _text("criterion", required=True),
        _text("target", doc="the target in words (the description)"),
        _text("frequency"),
        _text("owner"),
        _text("method", doc="how it is measured"),
        Field("measurements", "measurements"),
        # schema 3: numbers, so kit.tracking can say whether the KPI is on track
        Field("baseline_value", "float", doc="where it stood before the workshop"),
        Field("baseline_date", "date"),
        Field("target_value", "float"),
        Field("target_date", "date"),
        _choice("direction", DIRECTIONS, default="higher", doc="which way is better"),
        _text("unit", doc="e.g. %, days, EUR"),
    ), "criterion", checks=(_target_after_baseline,)),
    Kind("followup", "followups", (
        _choice("kind", FOLLOWUP_KINDS, required=True),
        Field("date", "datetime", required=True),
        Field("duration_min", "int", min=0, max=24 * 60),
        _text("topic"),
        _text("team"),
        # schema 3: what happened at it
        Field("held_at", "datetime", doc="when it took place (empty: not held yet)"),
        Field("attendees", "strs", private=True, doc="personal data: exported only on request"),
        _text("minutes"),
        _text("learned", doc="what we learned"),
    ), "topic"),
]}

#: Collections in dependency order: a record only refers to kinds listed before it.
COLLECTIONS = ("observations", "hypotheses", "interviews", "touchpoints", "evidence", "learning_cards",
               "canvas_items", "ideas", "actions", "kpis", "followups")
BY_COLLECTION = {k.collection: k for k in KINDS.values()}


def kind(name: str) -> Kind:
    """The record kind called ``name`` (``observation``) or holding collection ``name``."""
    found = KINDS.get(name) or BY_COLLECTION.get(name)
    if found is None:
        raise NotFound("workshop.no_kind", name=name, kinds=", ".join(KINDS))
    return found
