"""Charts for the notebooks and the report: emotion curve, Ist/Soll gap heatmap, observations
per touchpoint and segment, evidence per hypothesis. Each takes a workshop, returns a Figure,
and says "no data yet" instead of failing on an empty workshop."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .. import i18n
from . import style
from .axes_sheet import AxesSheet
from .style import Measure, label, text

if TYPE_CHECKING:
    from ..workshop import Workshop

CHART_SIZE = (11.0, 5.6)
LABEL_CHARS = 400  # labels are cut by width anyway; this keeps 100,000-character texts cheap


def _chart(title: str, size: tuple[float, float] = CHART_SIZE) -> tuple[Figure, Axes, Measure]:
    fig, ax = style.new_figure(size)
    measure = Measure()
    text(ax, 0.3, size[1] - 0.2, measure.fit_line(title, size[0] - 0.6, 13, "bold"), 13, weight="bold",
         role="title")
    return fig, ax, measure


def _plot_axes(fig: Figure, left: float, bottom: float, right: float, top: float) -> Axes:
    """A data Axes placed in inches, styled quietly."""
    W, H = fig.get_size_inches()
    ax = fig.add_axes((left / W, bottom / H, (W - left - right) / W, (H - bottom - top) / H))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(style.LINE)
    ax.tick_params(colors=style.MUTED, labelsize=7.5, length=3)
    return ax


def _no_data(fig: Figure, ax: Axes, lang: str) -> Figure:
    W, H = fig.get_size_inches()
    text(ax, W / 2, H / 2, label("no_data", lang), 11, color=style.FAINT, style="italic", ha="center",
         va="center", role="hint")
    return fig


def _legend(plot: Any, entries: list[tuple[Any, str]] | None = None) -> None:
    """The legend right of the plot; entries can be user text (personas), so no mathtext.
    ``entries`` are (handle, label) pairs; without them the plotted series' labels are used."""
    handles = {"handles": [h for h, _ in entries], "labels": [lb for _, lb in entries]} if entries else {}
    legend = plot.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                         prop={"family": list(style.families()), "size": 8}, **handles)
    for t in legend.get_texts():
        t.set_parse_math(False)


def _stage_ticks(plot: Any, stages: list[dict[str, Any]], measure: Any) -> None:
    """Stage titles along the x axis, slanted so long German names stay readable."""
    plot.set_xticks(range(len(stages)))
    _tick_labels(plot.xaxis, [s["title"] for s in stages], measure, 0.95)
    for tick in plot.get_xticklabels():
        tick.set_rotation(30)
        tick.set_ha("right")
        tick.set_rotation_mode("anchor")


def _tick_labels(axis: Any, labels: list[str], measure: Measure, width: float, size: float = 7.5) -> None:
    """Literal tick labels (mathtext off), cut to ``width`` inches."""
    axis.set_ticklabels([measure.fit_line(s[:LABEL_CHARS], width, size) for s in labels], parse_math=False,
                        family=list(style.families()), fontsize=size)


# ---------------------------------------------------------------------------------- emotion curve
def emotion_curve(ws: Workshop) -> Figure:
    """Per persona and stage: what interviewees said (mean, ± SD band, n) beside the team's estimate."""
    from .. import journey
    from .journey import drawn, key_handles, persona_label, plot_curves

    canvas = ws.canvas("touchpoint_map")
    lang = ws.language
    fig, ax, measure = _chart(label("emotion_title", lang))
    stages = canvas.areas
    curves = drawn(journey.by_stage(ws, [s["id"] for s in stages],
                                    [t for t in canvas.items() if not t.get("hidden")]))
    if not curves:
        return _no_data(fig, ax, lang)
    W = fig.get_size_inches()[0]
    text(ax, 0.3, 5.08, measure.fit_line(i18n.t("journey.chart_subtitle", lang), W - 0.6, 8.5), 8.5,
         color=style.MUTED, role="subtitle")
    plot = _plot_axes(fig, 0.8, 1.35, 2.6, 0.85)
    pre = [i for i, s in enumerate(stages) if s.get("pre_contact")]
    if pre:
        plot.axvspan(min(pre) - 0.5, max(pre) + 0.5, color=style.PRE_CONTACT, zorder=0)
        text(plot, (min(pre) + max(pre)) / 2, 2.45, label("before_contact", lang), 7.5, color=style.MUTED,
             ha="center", va="bottom", weight="bold", role="label", transform=plot.transData)
    plot.axhline(0, color=style.FAINT, linewidth=0.8, linestyle=(0, (2, 2)))
    plot_curves(AxesSheet(fig, plot), curves)
    plot.set_xlim(-0.5, len(stages) - 0.5)
    plot.set_ylim(-2.4, 2.4)
    plot.set_yticks([-2, -1, 0, 1, 2])
    plot.set_yticklabels(["−2", "−1", "0", "+1", "+2"])
    plot.set_ylabel(label("emotion_axis", lang), color=style.MUTED, fontsize=8)
    _stage_ticks(plot, stages, measure)
    handles = [(Line2D([], [], color=style.SERIES[i % len(style.SERIES)], linewidth=2.2),
                measure.fit_line(persona_label(name, points, lang)[:LABEL_CHARS], 2.1, 8))
               for i, (name, points) in enumerate(curves.items())]
    _legend(plot, [*handles, *key_handles(lang)])
    text(ax, 0.3, 0.12, measure.fit_line(i18n.t("journey.no_point", lang), W - 0.6, 7), 7, color=style.MUTED,
         va="bottom", role="legend")
    return fig


# ---------------------------------------------------------------------------------- gap heatmap
def gap_heatmap(ws: Workshop) -> Figure:
    """Soll − Ist per touchpoint (rows, in journey order) at its stage (columns)."""
    canvas = ws.canvas("touchpoint_map")
    lang = ws.language
    stages = canvas.areas
    order = {s["id"]: i for i, s in enumerate(stages)}
    points = [t for t in canvas.items() if not t.get("hidden") and t["stage"] in order]
    points.sort(key=lambda t: (order[t["stage"]], t["position"] is None, t["position"] or 0, t["id"]))
    rows = max(len(points), 1)
    height = min(max(3.2, 1.9 + 0.24 * rows), 30.0)
    fig, ax, measure = _chart(label("gap_title", lang), (11.0, height))
    if not points:
        return _no_data(fig, ax, lang)
    label_w = 2.6
    plot = _plot_axes(fig, label_w + 0.3, 1.1, 0.3, 0.55)
    cmap = LinearSegmentedColormap.from_list("gap", ["#4f9d69", "#ffffff", "#ffd9a0", "#e07a3e", "#c62f3a"])
    for row, tp in enumerate(points):
        col = order[tp["stage"]]
        ist, soll = tp.get("ist_rating"), tp.get("soll_target")
        if ist is None or soll is None:
            face, caption = style.PANEL, f"{ist or '–'} → {soll or '–'}"
        else:
            gap = soll - ist
            face, caption = cmap((gap + 1) / 5), f"{ist} → {soll}"
            caption += f"  ({gap:+d})" if gap else ""
        plot.add_patch(Rectangle((col - 0.47, row - 0.42), 0.94, 0.84, facecolor=face, edgecolor=style.LINE,
                                 linewidth=0.5))
        text(plot, col, row, caption, 7, ha="center", va="center", role="cell", transform=plot.transData,
             weight="bold" if tp.get("moment_of_truth") else "normal")
    for i in range(len(stages)):
        if stages[i].get("pre_contact"):
            plot.axvspan(i - 0.5, i + 0.5, color=style.PRE_CONTACT, zorder=0)
    plot.set_xlim(-0.5, len(stages) - 0.5)
    plot.set_ylim(len(points) - 0.5, -0.5)
    _stage_ticks(plot, stages, measure)
    plot.set_yticks(range(len(points)))
    _tick_labels(plot.yaxis, [("★ " if t.get("moment_of_truth") else "") + (t["name"] or "") for t in points],
                 measure, label_w - 0.1)
    plot.tick_params(length=0)
    text(ax, 0.3, 0.18, f"{label('gap', lang)}: {label('gap_legend', lang)} · ★ {label('moment_of_truth', lang)}",
         7, color=style.MUTED, va="bottom", role="legend")
    return fig


# ---------------------------------------------------------------------------------- observations
def observations_chart(ws: Workshop) -> Figure:
    """Observations per touchpoint (bars) split by segment (stacked colours)."""
    lang = ws.language
    seen = [o for o in ws.observations.all() if not o.get("hidden")]
    counts = Counter(((o.get("touchpoint") or "").strip(), (o.get("who") or "").strip()) for o in seen)
    touchpoints = sorted({tp for tp, _ in counts}, key=lambda tp: (-sum(n for (t, _), n in counts.items()
                                                                        if t == tp), tp))
    segments = sorted({who for _, who in counts}, key=lambda w: (-sum(n for (_, s), n in counts.items()
                                                                     if s == w), w))
    height = min(max(3.2, 1.8 + 0.28 * len(touchpoints)), 30.0)
    fig, ax, measure = _chart(label("observations_title", lang), (11.0, height))
    if not seen:
        return _no_data(fig, ax, lang)
    label_w = 2.8
    plot = _plot_axes(fig, label_w + 0.3, 0.75, 2.5, 0.55)
    left = [0] * len(touchpoints)
    for i, who in enumerate(segments):
        values = [counts.get((tp, who), 0) for tp in touchpoints]
        plot.barh(range(len(touchpoints)), values, left=left, color=style.SERIES[i % len(style.SERIES)],
                  height=0.62, label=measure.fit_line((who or label("no_segment", lang))[:LABEL_CHARS], 2.0, 8),
                  edgecolor="white", linewidth=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    plot.set_yticks(range(len(touchpoints)))
    _tick_labels(plot.yaxis, [tp or label("no_touchpoint", lang) for tp in touchpoints], measure, label_w - 0.1)
    plot.invert_yaxis()
    _whole_number_ticks(plot)
    plot.set_xlabel(label("observations_axis", lang), color=style.MUTED, fontsize=8)
    _legend(plot)
    return fig


# ---------------------------------------------------------------------------------- evidence
def short_statement(statement: str, words: int = 9) -> str:
    """A hypothesis in a few words for a chart label."""
    parts = (statement or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def evidence_chart(ws: Workshop) -> Figure:
    """Per hypothesis: supporting snippets to the right, contradicting ones to the left."""
    lang = ws.language
    hypotheses = ws.hypotheses.all()
    stance = {h["id"]: {"supports": 0, "contradicts": 0} for h in hypotheses}
    for snippet in ws.evidence.all():
        if snippet.get("hypothesis") in stance and snippet["stance"] in ("supports", "contradicts"):
            stance[snippet["hypothesis"]][snippet["stance"]] += 1
    height = min(max(3.2, 1.9 + 0.32 * len(hypotheses)), 30.0)
    fig, ax, measure = _chart(label("evidence_title", lang), (11.0, height))
    if not hypotheses:
        return _no_data(fig, ax, lang)
    label_w = 4.4
    plot = _plot_axes(fig, label_w + 0.3, 0.8, 1.4, 0.55)
    ys = range(len(hypotheses))
    sup = [stance[h["id"]]["supports"] for h in hypotheses]
    con = [stance[h["id"]]["contradicts"] for h in hypotheses]
    plot.barh(ys, sup, color=style.GOOD, height=0.6, label=label("supports", lang))
    plot.barh(ys, [-c for c in con], color=style.ALERT, height=0.6, label=label("contradicts", lang))
    top = max([*sup, *con, 1])
    for y, s, c in zip(ys, sup, con, strict=True):
        if s:
            text(plot, s + top * 0.02, y, str(s), 7.5, color=style.GOOD, va="center", weight="bold", role="value",
                 transform=plot.transData)
        if c:
            text(plot, -c - top * 0.02, y, str(c), 7.5, color=style.ALERT, va="center", ha="right", weight="bold",
                 role="value", transform=plot.transData)
    plot.set_xlim(-top * 1.2, top * 1.2)
    plot.axvline(0, color=style.INK, linewidth=0.8)
    plot.set_yticks(list(ys))
    _tick_labels(plot.yaxis, [f"[{label('status_' + h['status'], lang)}] {short_statement(h['statement'])}"
                              for h in hypotheses], measure, label_w - 0.1)
    plot.invert_yaxis()
    _whole_number_ticks(plot)
    plot.set_xticks([t for t in plot.get_xticks() if abs(t) <= top * 1.2])
    plot.set_xticklabels([str(abs(int(t))) for t in plot.get_xticks()])
    plot.set_xlabel(label("evidence_axis", lang), color=style.MUTED, fontsize=8)
    _legend(plot)
    return fig


def _whole_number_ticks(plot: Axes) -> None:
    """Counts have whole-number ticks; the axis keeps its default (auto) tick spacing otherwise."""
    locator = plot.xaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):
        locator.set_params(integer=True)


# ---------------------------------------------------------------------------------- KPI trend
def _days(dates: list[Any]) -> Any:
    import numpy as np

    return np.array(dates, dtype="datetime64[D]")


STATUS_COLORS = {"reached": style.GOOD, "on_track": style.GOOD, "off_track": style.ALERT, "no_data": style.FAINT,
                 "no_target": style.FAINT}


def kpi_trend(kpi: dict[str, Any], status: str, language: str, size: tuple[float, float] = (5.4, 2.5)) -> Figure:
    """One KPI over time: its measurements, the straight path from baseline to target, the target, and the
    on-track verdict of kit.tracking in the title's colour."""
    import datetime as dt

    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    fig, ax = style.new_figure(size)
    measure = Measure()
    W, H = size
    title = measure.fit_line(kpi["criterion"][:LABEL_CHARS], W - 0.3, 8.5, "bold")
    text(ax, 0.12, H - 0.12, title, 8.5, weight="bold", role="title")
    verdict = label(f"kpi_{status}", language)
    text(ax, 0.12, H - 0.34, verdict, 7.5, color=STATUS_COLORS[status], weight="bold", role="subtitle")
    points = [(dt.date.fromisoformat(m["date"]), m["value"]) for m in kpi["measurements"]]
    path = [(dt.date.fromisoformat(kpi[d]), kpi[v]) for d, v in (("baseline_date", "baseline_value"),
                                                                  ("target_date", "target_value"))
            if kpi.get(d) and kpi.get(v) is not None]
    if not points and len(path) < 2:
        return _no_data(fig, ax, language)
    plot = _plot_axes(fig, 0.55, 0.35, 0.15, 0.5)
    if len(path) == 2:
        plot.plot(_days([d for d, _ in path]), [v for _, v in path], color=style.FAINT, linewidth=1.2,
                  linestyle=(0, (4, 3)), label=label("kpi_path", language))
        plot.plot(_days([path[1][0]]), [path[1][1]], marker="*", markersize=9, color=style.ACCENT, linestyle="",
                  label=label("kpi_target", language))
    if points:
        plot.plot(_days([d for d, _ in points]), [v for _, v in points], color=STATUS_COLORS[status]
                  if status != "no_data" else style.MUTED, linewidth=2, marker="o", markersize=3.5,
                  label=label("kpi_measured", language))
    locator = AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    plot.xaxis.set_major_locator(locator)
    plot.xaxis.set_major_formatter(ConciseDateFormatter(locator, show_offset=False))  # type: ignore[no-untyped-call]
    unit = (kpi.get("unit") or "")[:20]
    if unit:
        plot.set_ylabel(unit, color=style.MUTED, fontsize=7)
        plot.yaxis.label.set_parse_math(False)
    legend = plot.legend(loc="best", frameon=False, prop={"family": list(style.families()), "size": 6.5})
    for t in legend.get_texts():
        t.set_parse_math(False)
    return fig
