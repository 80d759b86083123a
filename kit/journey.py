"""The evidence curve: how interviewees said each touchpoint felt, beside the team's estimate.

Journey tools draw the emotion curve by hand or average linked scores without saying how
sure they are. Here a coded snippet can name the touchpoint it is about and carry an
experience score from -2 to +2 (``evidence.touchpoint``, ``evidence.experience``). For each
persona (the interview's segment) and each touchpoint or stage the kit computes:

    n       the number of distinct interviews with a scored snippet there
    mean    the mean over those interviews of each interview's own mean score
            (interviews, not snippets, count: one talkative interviewee is one voice)
    spread  the sample standard deviation of those interview means; None when n < 2.
            Chosen over the interquartile range because a touchpoint rarely has more than
            a handful of interviews: quartiles of 3 to 6 values jump with one answer, while
            the standard deviation uses every value and sits on the same scale as the
            mean, so the band mean ± spread reads directly on the -2..+2 axis.
    quotes  the snippets behind the number, under the interviewee's pseudonym only

The team's estimate is the hand-set ``touchpoint.emotion`` per persona, averaged per
stage. Flag rule: a stage (or touchpoint) where both exist and they differ by 1 point or
more is flagged, "worse" when interviewees felt worse than the team thought ("we thought
it was fine; they said otherwise"), "better" the other way round. Where a persona has no
scored snippet there is no point (n = 0, mean None), and charts say so.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .protocols import WorkshopAccess
    from .workshop import Workshop

#: Evidence and estimate this far apart (or further) flag a stage.
FLAG_GAP = 1.0
SCALE = (-2, 2)


@dataclass(frozen=True)
class Quote:
    """One scored snippet behind a point, as a client may read it (pseudonym, never the name)."""

    evidence: int
    pseudonym: str
    snippet: str
    score: int
    touchpoint: str

    def as_dict(self) -> dict[str, Any]:
        return {"evidence": self.evidence, "pseudonym": self.pseudonym, "snippet": self.snippet,
                "score": self.score, "touchpoint": self.touchpoint}


@dataclass(frozen=True)
class Point:
    """What the interviews say about one persona at one touchpoint or stage."""

    n: int = 0
    mean: float | None = None
    spread: float | None = None
    team: float | None = None
    quotes: tuple[Quote, ...] = field(default=())

    @property
    def band(self) -> tuple[float, float] | None:
        """mean ± spread, kept inside the scale; None without a spread."""
        if self.mean is None or self.spread is None:
            return None
        return max(SCALE[0], self.mean - self.spread), min(SCALE[1], self.mean + self.spread)

    @property
    def flag(self) -> str:
        """"worse" or "better" when evidence and estimate differ by FLAG_GAP or more, else ""."""
        return flag(self.mean, self.team)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, numbers rounded to two decimals (widgets, tests, the report)."""
        band = self.band
        return {"n": self.n, "mean": _round(self.mean), "spread": _round(self.spread), "team": _round(self.team),
                "low": _round(band[0]) if band else None, "high": _round(band[1]) if band else None,
                "flag": self.flag, "quotes": [q.as_dict() for q in self.quotes]}


def flag(evidence: float | None, team: float | None) -> str:
    """The flag rule on two values (see the module docstring)."""
    if evidence is None or team is None or abs(evidence - team) < FLAG_GAP - 1e-9:
        return ""
    return "worse" if evidence < team else "better"


def summarise(scores: dict[int, list[int]], quotes: Iterable[Quote] = (), team: float | None = None) -> Point:
    """n, mean and spread from each interview's scores ({interview id: [scores]})."""
    per_interview = [sum(values) / len(values) for values in scores.values() if values]
    if not per_interview:
        return Point(team=team, quotes=tuple(quotes))
    spread = statistics.stdev(per_interview) if len(per_interview) > 1 else None
    return Point(len(per_interview), statistics.fmean(per_interview), spread, team, tuple(quotes))


@dataclass(frozen=True)
class _Scored:
    interview: int
    persona: str
    touchpoint: int
    stage: str
    quote: Quote


def _scored(ws: WorkshopAccess, touchpoints: list[dict[str, Any]]) -> list[_Scored]:
    """Every snippet with a touchpoint and a score whose interview has a persona (segment)."""
    interviews = {i["id"]: i for i in ws.interviews}
    by_id = {tp["id"]: tp for tp in touchpoints}
    out = []
    for item in ws.evidence:
        tp, interview = by_id.get(item.get("touchpoint")), interviews.get(item["interview"])
        if tp is None or interview is None or item.get("experience") is None:
            continue
        persona = (interview.get("segment") or "").strip()
        if not persona:
            continue
        quote = Quote(item["id"], interview["pseudonym"], item["snippet"], item["experience"], tp["name"])
        out.append(_Scored(interview["id"], persona, tp["id"], tp["stage"], quote))
    return out


def personas(ws: WorkshopAccess, touchpoints: list[dict[str, Any]] | None = None) -> list[str]:
    """The workshop's personas, then any other persona the estimates or interviews name."""
    names = list(ws.info.get("personas") or [])
    for tp in touchpoints if touchpoints is not None else ws.touchpoints.all():
        names += [p for p in (tp.get("emotion") or {}) if p not in names]
    names += [s for s in dict.fromkeys((i.get("segment") or "").strip() for i in ws.interviews)
              if s and s not in names]
    return names


def team_estimate(touchpoints: list[dict[str, Any]], stage: str, persona: str) -> float | None:
    """The team's hand-set emotion for ``persona``, averaged over the stage's touchpoints."""
    values = [tp["emotion"][persona] for tp in touchpoints
              if tp["stage"] == stage and persona in (tp.get("emotion") or {})]
    return sum(values) / len(values) if values else None


def _point(rows: list[_Scored], team: float | None) -> Point:
    scores: dict[int, list[int]] = {}
    for row in rows:
        scores.setdefault(row.interview, []).append(row.quote.score)
    return summarise(scores, [row.quote for row in rows], team)


def by_touchpoint(ws: WorkshopAccess, touchpoints: list[dict[str, Any]] | None = None
                  ) -> dict[str, dict[int, Point]]:
    """{persona: {touchpoint id: Point}} for every persona and every touchpoint."""
    points = touchpoints if touchpoints is not None else ws.touchpoints.all()
    rows = _scored(ws, points)
    return {persona: {tp["id"]: _point([r for r in rows if r.persona == persona and r.touchpoint == tp["id"]],
                                       (tp.get("emotion") or {}).get(persona))
                      for tp in points}
            for persona in personas(ws, points)}


def by_stage(ws: WorkshopAccess, stage_ids: list[str], touchpoints: list[dict[str, Any]] | None = None
             ) -> dict[str, list[Point]]:
    """{persona: [Point per stage, in ``stage_ids`` order]}: the curve and the estimate beside it."""
    points = touchpoints if touchpoints is not None else ws.touchpoints.all()
    rows = _scored(ws, points)
    return {persona: [_point([r for r in rows if r.persona == persona and r.stage == stage],
                             team_estimate(points, stage, persona)) for stage in stage_ids]
            for persona in personas(ws, points)}


def curve_state(ws: WorkshopAccess, stage_ids: list[str], touchpoints: list[dict[str, Any]] | None = None
                ) -> dict[str, Any]:
    """The evidence curves as plain JSON-ready data for the touchpoint-map widget.

    Plugs into ``touchpoint_state`` as ``"evidence": journey.curve_state(ws, stage_ids, touchpoints)``
    (pass the touchpoints the viewer may see)."""
    curves = by_stage(ws, stage_ids, touchpoints)
    return {"stages": list(stage_ids), "flag_gap": FLAG_GAP,
            "personas": [{"name": persona, "has_evidence": any(p.n for p in points),
                          "points": [{"stage": stage, **p.as_dict()}
                                     for stage, p in zip(stage_ids, points, strict=True)]}
                         for persona, points in curves.items()]}


def evidence_rows(ws: Workshop) -> list[tuple[str, dict[str, Any], Point]]:
    """(persona, stage area of the touchpoint map, point) wherever interviews scored something,
    in persona then journey order: the rows of the report's and the notebook's table."""
    canvas = ws.canvas("touchpoint_map")
    stages = canvas.areas
    curves = by_stage(ws, [s["id"] for s in stages], canvas.items())
    return [(persona, stage, p) for persona, points in curves.items()
            for stage, p in zip(stages, points, strict=True) if p.n]


def flagged(ws: WorkshopAccess, stage_ids: list[str]) -> list[tuple[str, str, Point]]:
    """(persona, stage, point) for every flagged stage, in persona then journey order."""
    return [(persona, stage, p) for persona, points in by_stage(ws, stage_ids).items()
            for stage, p in zip(stage_ids, points, strict=True) if p.flag]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
