"""The evidence curve drawn on a stage axis: what interviewees said, how sure we are, and the team's estimate.

One drawing for the touchpoint map's emotion lane and the emotion-curve chart, so the two
never disagree. Per persona (one colour): a solid line through the interview means with a
band of ± one standard deviation and ``n`` (interviews) beside each point; a dashed line
for the team's own estimate; a red ring where the two differ by a point or more (see
kit/journey.py for the rule). A stage without scored interview snippets gets no point.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import i18n
from ..journey import Point
from . import style

if TYPE_CHECKING:
    from .sheet import Sheet

TEAM_DASH = (3.0, 2.0)


def drawn(curves: dict[str, list[Point]]) -> dict[str, list[Point]]:
    """Only personas with something to draw: an estimate or interview evidence somewhere."""
    return {name: points for name, points in curves.items()
            if any(p.team is not None or p.mean is not None for p in points)}


def _same(x: float, y: float) -> tuple[float, float]:
    return x, y


def plot_curves(sheet: Sheet, curves: dict[str, list[Point]], *, compact: bool = False,
                at: Callable[[float, float], tuple[float, float]] = _same) -> None:
    """Draw every persona's evidence curve, band, n and estimate on ``sheet``; ``at`` maps (stage index,
    score) to the sheet's coordinates (unchanged where the sheet is a chart's data Axes)."""
    count = len(curves)
    size = style.MIN_FONT if compact else 7.0

    def line(xs: list[float], ys: list[float], **kw: object) -> None:
        points = [at(x, y) for x, y in zip(xs, ys, strict=True)]
        sheet.line([p[0] for p in points], [p[1] for p in points], **kw)  # type: ignore[arg-type]

    def dot(x: float, y: float, **kw: object) -> None:
        sheet.dot(*at(x, y), **kw)  # type: ignore[arg-type]

    for i, (_, points) in enumerate(curves.items()):
        color = style.SERIES[i % len(style.SERIES)]
        dodge = (i - (count - 1) / 2) * (0.07 if compact else 0.09)  # personas side by side, not on top
        team = [(j + dodge, p.team) for j, p in enumerate(points) if p.team is not None]
        if team:
            line([x for x, _ in team], [y for _, y in team], color=color, lw=1.0 if compact else 1.3,
                 dash=TEAM_DASH, z=3)
            for x, y in team:
                dot(x, y, size=2.5 if compact else 4, fill=style.PAPER, edge=color, lw=1.0, z=3)
        seen = [(j + dodge, p.mean, p) for j, p in enumerate(points) if p.mean is not None]
        if not seen:
            continue
        xs = [x for x, _, _ in seen]
        bands = [p.band or (mean, mean) for _, mean, p in seen]
        lows, highs = [at(x, b[0]) for x, b in zip(xs, bands, strict=True)], [at(x, b[1]) for x, b in
                                                                               zip(xs, bands, strict=True)]
        sheet.band([p[0] for p in lows], [p[1] for p in lows], [p[1] for p in highs], color=color, alpha=0.16, z=2)
        line(xs, [mean for _, mean, _ in seen], color=color, lw=1.8 if compact else 2.2, z=4)
        for x, mean, p in seen:
            dot(x, mean, size=3.5 if compact else 5.5, fill=color, z=4)
            sheet.text(*at(x + 0.06, mean + 0.1), f"n={p.n}", size, color=color, weight="bold", ha="left",
                       va="bottom", role="value", z=6)
            if p.flag and p.team is not None:
                dot(x, mean, size=8 if compact else 12, fill="none", edge=style.ALERT, lw=1.3, z=5, role="flag")
                line([x, x], [p.team, mean], color=style.ALERT, lw=0.9, dash=(1, 1.5), z=3)


def persona_label(name: str, points: list[Point], language: str) -> str:
    """The persona's legend entry, saying so when no interview scored any stage for it."""
    if any(p.n for p in points):
        return name
    return f"{name} ({i18n.t('journey.no_evidence_short', language)})"
