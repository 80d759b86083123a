"""The evidence curve drawn on a stage axis: what interviewees said, how sure we are, and the team's estimate.

One drawing for the touchpoint map's emotion lane and the emotion-curve chart, so the two
never disagree. Per persona (one colour): a solid line through the interview means with a
band of ± one standard deviation and ``n`` (interviews) beside each point; a dashed line
for the team's own estimate; a red ring where the two differ by a point or more (see
kit/journey.py for the rule). A stage without scored interview snippets gets no point.
"""
from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import i18n
from ..journey import Point
from . import style
from .style import text

TEAM_DASH = (0, (3, 2))


def drawn(curves: dict[str, list[Point]]) -> dict[str, list[Point]]:
    """Only personas with something to draw: an estimate or interview evidence somewhere."""
    return {name: points for name, points in curves.items()
            if any(p.team is not None or p.mean is not None for p in points)}


def plot_curves(plot: Axes, curves: dict[str, list[Point]], *, compact: bool = False) -> None:
    """Draw every persona's evidence curve, band, n and estimate on ``plot`` (x: stage index)."""
    count = len(curves)
    size = style.MIN_FONT if compact else 7.0
    for i, (_, points) in enumerate(curves.items()):
        color = style.SERIES[i % len(style.SERIES)]
        dodge = (i - (count - 1) / 2) * (0.07 if compact else 0.09)  # personas side by side, not on top
        team = [(j + dodge, p.team) for j, p in enumerate(points) if p.team is not None]
        if team:
            plot.plot(*zip(*team, strict=True), color=color, linewidth=1.0 if compact else 1.3, linestyle=TEAM_DASH,
                      marker="o", markersize=2.5 if compact else 4, markerfacecolor=style.PAPER, zorder=3)
        seen = [(j + dodge, p.mean, p) for j, p in enumerate(points) if p.mean is not None]
        if not seen:
            continue
        xs = [x for x, _, _ in seen]
        bands = [p.band or (mean, mean) for _, mean, p in seen]
        plot.fill_between(xs, [b[0] for b in bands], [b[1] for b in bands], color=color, alpha=0.16, linewidth=0,
                          zorder=2)
        plot.plot(xs, [mean for _, mean, _ in seen], color=color, linewidth=1.8 if compact else 2.2, marker="o",
                  markersize=3.5 if compact else 5.5, solid_capstyle="round", zorder=4)
        for x, mean, p in seen:
            text(plot, x + 0.06, mean + 0.1, f"n={p.n}", size, color=color, weight="bold", ha="left",
                 va="bottom", role="value", transform=plot.transData, zorder=6)
            if p.flag and p.team is not None:
                plot.plot([x], [mean], marker="o", markersize=8 if compact else 12, markerfacecolor="none",
                          markeredgecolor=style.ALERT, markeredgewidth=1.3, zorder=5, gid="flag")
                plot.plot([x, x], [p.team, mean], color=style.ALERT, linewidth=0.9, linestyle=(0, (1, 1.5)),
                          zorder=3)


def key_handles(language: str) -> list[tuple[object, str]]:
    """Legend entries that explain the marks (not the personas): line, band, estimate, flag."""
    def t(key: str) -> str:
        return i18n.t(f"journey.{key}", language)

    return [(Line2D([], [], color=style.MUTED, linewidth=2.2, marker="o", markersize=5), t("key_evidence")),
            (Patch(facecolor=style.MUTED, alpha=0.25, linewidth=0), t("key_band")),
            (Line2D([], [], color=style.MUTED, linewidth=1.3, linestyle=TEAM_DASH, marker="o", markersize=4,
                    markerfacecolor=style.PAPER), t("key_team")),
            (Line2D([], [], linestyle="none", marker="o", markersize=10, markerfacecolor="none",
                    markeredgecolor=style.ALERT, markeredgewidth=1.3), t("key_flag"))]


def persona_label(name: str, points: list[Point], language: str) -> str:
    """The persona's legend entry, saying so when no interview scored any stage for it."""
    if any(p.n for p in points):
        return name
    return f"{name} ({i18n.t('journey.no_evidence_short', language)})"
