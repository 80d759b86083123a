"""Charts for the notebooks and the report: emotion curve, Ist/Soll gap heatmap, observations
per touchpoint and segment, evidence per hypothesis, a KPI's trend. Each takes a workshop (or a
KPI), returns a Figure, and says "no data yet" instead of failing on an empty workshop.

Each chart is drawn once, on a Sheet (sheet.py), by a builder that knows its size: ``chart_svg(name, ...)``
writes it as SVG for the report without matplotlib; the public functions put it on a Figure.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import i18n
from . import style
from .sheet import Sheet, SvgSheet
from .style import Measure, label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..workshop import Workshop

CHART_SIZE = (11.0, 5.6)
LABEL_CHARS = 400  # labels are cut by width anyway; this keeps 100,000-character texts cheap
TICK_FONT = 7.5


class Chart:
    """A chart's size (inches) and its drawing."""

    def __init__(self, size: tuple[float, float], draw: Callable[[Sheet], None]):
        self.size, self.draw = size, draw

    def svg(self) -> str:
        sheet = SvgSheet(*self.size, background=style.PAPER)
        self.draw(sheet)
        return sheet.svg()

    def figure(self) -> Figure:
        from .axes_sheet import AxesSheet

        fig, ax = style.new_figure(self.size)
        self.draw(AxesSheet(fig, ax))
        return fig


class Plot:
    """The data area of a chart: ``left``, ``bottom``, ``right``, ``top`` inches in from the sheet's
    edges, showing ``xlim`` x ``ylim`` (a reversed ``ylim`` puts the first row on top)."""

    def __init__(self, sheet: Sheet, left: float, bottom: float, right: float, top: float,
                 xlim: tuple[float, float], ylim: tuple[float, float]):
        self.sheet = sheet
        self.x0, self.x1 = left, sheet.width - right
        self.y0, self.y1 = bottom, sheet.height - top
        self.xlim, self.ylim = xlim, ylim

    def at(self, x: float, y: float) -> tuple[float, float]:
        (a, b), (c, d) = self.xlim, self.ylim
        return (self.x0 + (x - a) / ((b - a) or 1) * (self.x1 - self.x0),
                self.y0 + (y - c) / ((d - c) or 1) * (self.y1 - self.y0))

    def spines(self) -> None:
        self.sheet.line([self.x0, self.x0, self.x1], [self.y1, self.y0, self.y0], color=style.LINE, lw=0.8, z=2.5)

    def bar(self, row: float, start: float, end: float, height: float, color: str, *, edge: str = "none",
            lw: float = 0.0) -> None:
        """A horizontal bar from ``start`` to ``end`` (x), ``height`` rows thick, centred on ``row``."""
        (ax, ay), (bx, by) = self.at(min(start, end), row - height / 2), self.at(max(start, end), row + height / 2)
        self.sheet.rect(ax, min(ay, by), bx - ax, abs(by - ay), fill=color, edge=edge, lw=lw, z=2)

    def x_ticks(self, ticks: list[float], labels: list[str]) -> None:
        for value, text in zip(ticks, labels, strict=True):
            x = self.at(value, self.ylim[0])[0]
            self.sheet.line([x, x], [self.y0, self.y0 - 0.04], color=style.LINE, lw=0.8)
            self.sheet.text(x, self.y0 - 0.07, text, TICK_FONT, color=style.MUTED, ha="center", role="tick")

    def y_ticks(self, ticks: list[float], labels: list[str], *, marks: bool = True) -> None:
        for value, text in zip(ticks, labels, strict=True):
            y = self.at(self.xlim[0], value)[1]
            if marks:
                self.sheet.line([self.x0 - 0.04, self.x0], [y, y], color=style.LINE, lw=0.8)
            self.sheet.text(self.x0 - 0.08, y, text, TICK_FONT, color=style.MUTED, ha="right", va="center",
                            role="tick")

    def column_labels(self, titles: list[str], measure: Measure) -> None:
        """Titles under columns 0..n-1 (stages), wrapped to their column, up to three lines."""
        width = (self.x1 - self.x0) / max(len(titles), 1)
        for i, title in enumerate(titles):
            lines, _ = measure.wrap(title[:LABEL_CHARS], width - 0.06, TICK_FONT, 3)
            self.sheet.text(self.at(i, self.ylim[0])[0], self.y0 - 0.07, "\n".join(lines), TICK_FONT,
                            color=style.MUTED, ha="center", role="tick")

    def axis_title(self, text: str, measure: Measure, *, x_axis: bool) -> None:
        """The x axis' title centred under its ticks, or the y axis' title above the axis, left."""
        if x_axis:
            self.sheet.text((self.x0 + self.x1) / 2, self.y0 - 0.3, measure.fit_line(text, self.x1 - self.x0, 8),
                            8, color=style.MUTED, ha="center", role="axis")
        else:
            self.sheet.text(self.x0 - 0.08, self.y1 + 0.05, measure.fit_line(text, self.x1 - self.x0, 7), 7,
                            color=style.MUTED, va="bottom", role="axis")


def nice_ticks(lo: float, hi: float, most: int = 6, *, whole: bool = False) -> list[float]:
    """Round tick values from ``lo`` to ``hi``, at most about ``most`` of them (whole numbers for counts)."""
    span = (hi - lo) or abs(hi) or 1.0
    raw = span / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    first = math.ceil(lo / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step + 1e-9) + 1)]


def _legend(sheet: Sheet, measure: Measure, x: float, top: float, entries: list[tuple[Callable[[float, float],
            None], str]], width: float = 2.1) -> None:
    """Entries right of a plot: each a key drawn at (x, y) and its (user) text, cut to ``width``."""
    y = top - 0.1
    for key, text in entries:
        key(x, y)
        sheet.text(x + 0.36, y, measure.fit_line(text[:LABEL_CHARS], width, 8), 8, va="center", role="legend")
        y -= 0.22


def _swatch(sheet: Sheet, color: str, alpha: float = 1.0) -> Callable[[float, float], None]:
    def key(x: float, y: float) -> None:
        if alpha < 1:
            sheet.band([x, x + 0.26], [y - 0.05, y - 0.05], [y + 0.05, y + 0.05], color=color, alpha=alpha)
        else:
            sheet.rect(x, y - 0.05, 0.26, 0.1, fill=color)
    return key


def _opening(sheet: Sheet, lang: str, title: str, has_data: bool) -> Measure | None:
    """The chart's title, then a Measure to draw with, or None after saying "no data yet"."""
    measure = Measure(lang)
    sheet.text(0.3, sheet.height - 0.2, measure.fit_line(title, sheet.width - 0.6, 13, "bold"), 13, weight="bold",
               role="title")
    if has_data:
        return measure
    _no_data(sheet, lang)
    return None


def _no_data(sheet: Sheet, lang: str) -> None:
    sheet.text(sheet.width / 2, sheet.height / 2, label("no_data", lang), 11, color=style.FAINT, style="italic",
               ha="center", va="center", role="hint")


# ---------------------------------------------------------------------------------- emotion curve
def _emotion(ws: Workshop) -> Chart:
    """Per persona and stage: what interviewees said (mean, ± SD band, n) beside the team's estimate."""
    from .. import journey
    from .journey import TEAM_DASH, drawn, persona_label, plot_curves

    canvas = ws.canvas("touchpoint_map")
    lang = ws.language
    stages = canvas.areas
    curves = drawn(journey.by_stage(ws, [s["id"] for s in stages], [t for t in canvas.items() if not t.get("hidden")]))

    def draw(sheet: Sheet) -> None:
        measure = _opening(sheet, lang, label("emotion_title", lang), bool(curves))
        if measure is None:
            return
        W = sheet.width
        sheet.text(0.3, 5.08, measure.fit_line(i18n.t("journey.chart_subtitle", lang), W - 0.6, 8.5), 8.5,
                   color=style.MUTED, role="subtitle")
        plot = Plot(sheet, 0.8, 1.35, 2.6, 0.85, (-0.5, len(stages) - 0.5), (-2.4, 2.4))
        pre = [i for i, s in enumerate(stages) if s.get("pre_contact")]
        if pre:
            (a, b), (c, d) = plot.at(min(pre) - 0.5, -2.4), plot.at(max(pre) + 0.5, 2.4)
            sheet.rect(a, b, c - a, d - b, fill=style.PRE_CONTACT, z=0)
            sheet.text((a + c) / 2, d + 0.02, measure.fit_line(label("before_contact", lang), c - a, 7.5, "bold"),
                       7.5, color=style.MUTED, ha="center", va="bottom", weight="bold", role="label")
        zero = plot.at(0, 0)[1]
        sheet.line([plot.x0, plot.x1], [zero, zero], color=style.FAINT, lw=0.8, dash=(2, 2), z=1)
        plot.spines()
        plot_curves(sheet, curves, at=plot.at)
        plot.y_ticks([-2, -1, 0, 1, 2], ["−2", "−1", "0", "+1", "+2"])
        plot.axis_title(label("emotion_axis", lang), measure, x_axis=False)
        plot.column_labels([s["title"] for s in stages], measure)

        def persona(color: str) -> Callable[[float, float], None]:
            return lambda x, y: sheet.line([x, x + 0.26], [y, y], color=color, lw=2.2)

        def evidence(x: float, y: float) -> None:
            sheet.line([x, x + 0.26], [y, y], color=style.MUTED, lw=2.2)
            sheet.dot(x + 0.13, y, size=5, fill=style.MUTED)

        def team(x: float, y: float) -> None:
            sheet.line([x, x + 0.26], [y, y], color=style.MUTED, lw=1.3, dash=TEAM_DASH)
            sheet.dot(x + 0.13, y, size=4, fill=style.PAPER, edge=style.MUTED, lw=1.0)

        def flag(x: float, y: float) -> None:
            sheet.dot(x + 0.13, y, size=10, fill="none", edge=style.ALERT, lw=1.3)

        entries = [(persona(style.SERIES[i % len(style.SERIES)]), persona_label(name, points, lang))
                   for i, (name, points) in enumerate(curves.items())]
        entries += [(evidence, i18n.t("journey.key_evidence", lang)),
                    (_swatch(sheet, style.MUTED, 0.25), i18n.t("journey.key_band", lang)),
                    (team, i18n.t("journey.key_team", lang)), (flag, i18n.t("journey.key_flag", lang))]
        _legend(sheet, measure, plot.x1 + 0.12, plot.y1, entries)
        sheet.text(0.3, 0.12, measure.fit_line(i18n.t("journey.no_point", lang), W - 0.6, 7), 7, color=style.MUTED,
                   va="bottom", role="legend")

    return Chart(CHART_SIZE, draw)


def emotion_curve(ws: Workshop) -> Figure:
    return _emotion(ws).figure()


# ---------------------------------------------------------------------------------- gap heatmap
#: Soll − Ist from −1 to 4 on this scale, evenly: better than wanted (green) to a wide gap (red).
GAP_COLORS = ["#4f9d69", "#ffffff", "#ffd9a0", "#e07a3e", "#c62f3a"]


def gap_color(fraction: float) -> str:
    """The colour at ``fraction`` (0..1) along GAP_COLORS, blended linearly."""
    fraction = min(max(fraction, 0.0), 1.0) * (len(GAP_COLORS) - 1)
    i = min(int(fraction), len(GAP_COLORS) - 2)
    a, b = GAP_COLORS[i], GAP_COLORS[i + 1]
    mix = [round(int(a[k:k + 2], 16) + (int(b[k:k + 2], 16) - int(a[k:k + 2], 16)) * (fraction - i))
           for k in (1, 3, 5)]
    return "#" + "".join(f"{v:02x}" for v in mix)


def _gaps(ws: Workshop) -> Chart:
    """Soll − Ist per touchpoint (rows, in journey order) at its stage (columns)."""
    canvas = ws.canvas("touchpoint_map")
    lang = ws.language
    stages = canvas.areas
    order = {s["id"]: i for i, s in enumerate(stages)}
    points = [t for t in canvas.items() if not t.get("hidden") and t["stage"] in order]
    points.sort(key=lambda t: (order[t["stage"]], t["position"] is None, t["position"] or 0, t["id"]))
    rows = max(len(points), 1)
    height = min(max(3.2, 1.9 + 0.24 * rows), 30.0)

    def draw(sheet: Sheet) -> None:
        measure = _opening(sheet, lang, label("gap_title", lang), bool(points))
        if measure is None:
            return
        label_w = 2.6
        plot = Plot(sheet, label_w + 0.3, 1.1, 0.3, 0.55, (-0.5, len(stages) - 0.5), (len(points) - 0.5, -0.5))
        for i, stage in enumerate(stages):
            if stage.get("pre_contact"):
                (a, b), (c, d) = plot.at(i - 0.5, len(points) - 0.5), plot.at(i + 0.5, -0.5)
                sheet.rect(a, b, c - a, d - b, fill=style.PRE_CONTACT, z=0)
        for row, tp in enumerate(points):
            col = order[tp["stage"]]
            ist, soll = tp.get("ist_rating"), tp.get("soll_target")
            if ist is None or soll is None:
                face, caption = style.PANEL, f"{ist or '–'} → {soll or '–'}"
            else:
                gap = soll - ist
                face, caption = gap_color((gap + 1) / 5), f"{ist} → {soll}"
                caption += f"  ({gap:+d})" if gap else ""
            (a, b), (c, d) = plot.at(col - 0.47, row + 0.42), plot.at(col + 0.47, row - 0.42)
            sheet.rect(a, b, c - a, d - b, fill=face, edge=style.LINE, lw=0.5, z=1)
            sheet.text(*plot.at(col, row), measure.fit_line(caption, c - a - 0.04, 7), 7, ha="center", va="center",
                       role="cell", weight="bold" if tp.get("moment_of_truth") else "normal")
        plot.spines()
        names = [("★ " if t.get("moment_of_truth") else "") + (t["name"] or "") for t in points]
        plot.y_ticks(list(range(len(points))), [measure.fit_line(n[:LABEL_CHARS], label_w - 0.1, TICK_FONT)
                                                for n in names], marks=False)
        plot.column_labels([s["title"] for s in stages], measure)
        sheet.text(0.3, 0.18, f"{label('gap', lang)}: {label('gap_legend', lang)} · ★ {label('moment_of_truth', lang)}",
                   7, color=style.MUTED, va="bottom", role="legend")

    return Chart((11.0, height), draw)


def gap_heatmap(ws: Workshop) -> Figure:
    return _gaps(ws).figure()


# ---------------------------------------------------------------------------------- bars
def _count_axis(plot: Plot, lo: float, hi: float, measure: Measure, title: str) -> None:
    """Whole-number ticks along a count axis (negative counts shown as their size), and its title."""
    ticks = [t for t in nice_ticks(lo, hi, 8, whole=True) if lo <= t <= hi]
    plot.x_ticks(ticks, [str(abs(int(t))) for t in ticks])
    plot.axis_title(title, measure, x_axis=True)


def _observations(ws: Workshop) -> Chart:
    """Observations per touchpoint (bars) split by segment (stacked colours)."""
    lang = ws.language
    seen = [o for o in ws.observations.all() if not o.get("hidden")]
    counts = Counter(((o.get("touchpoint") or "").strip(), (o.get("who") or "").strip()) for o in seen)
    touchpoints = sorted({tp for tp, _ in counts}, key=lambda tp: (-sum(n for (t, _), n in counts.items()
                                                                        if t == tp), tp))
    segments = sorted({who for _, who in counts}, key=lambda w: (-sum(n for (_, s), n in counts.items()
                                                                     if s == w), w))
    height = min(max(3.2, 1.8 + 0.28 * len(touchpoints)), 30.0)

    def draw(sheet: Sheet) -> None:
        measure = _opening(sheet, lang, label("observations_title", lang), bool(seen))
        if measure is None:
            return
        label_w = 2.8
        most = max(sum(n for (t, _), n in counts.items() if t == tp) for tp in touchpoints)
        plot = Plot(sheet, label_w + 0.3, 0.75, 2.5, 0.55, (0, most * 1.05), (len(touchpoints) - 0.5, -0.5))
        left = [0] * len(touchpoints)
        for i, who in enumerate(segments):
            values = [counts.get((tp, who), 0) for tp in touchpoints]
            for row, (start, n) in enumerate(zip(left, values, strict=True)):
                if n:
                    plot.bar(row, start, start + n, 0.62, style.SERIES[i % len(style.SERIES)], edge="#ffffff", lw=0.6)
            left = [a + b for a, b in zip(left, values, strict=True)]
        plot.spines()
        plot.y_ticks(list(range(len(touchpoints))),
                     [measure.fit_line((tp or label("no_touchpoint", lang))[:LABEL_CHARS], label_w - 0.1, TICK_FONT)
                      for tp in touchpoints])
        _count_axis(plot, 0, most * 1.05, measure, label("observations_axis", lang))
        _legend(sheet, measure, plot.x1 + 0.12, plot.y1,
                [(_swatch(sheet, style.SERIES[i % len(style.SERIES)]), who or label("no_segment", lang))
                 for i, who in enumerate(segments)], width=2.0)

    return Chart((11.0, height), draw)


def observations_chart(ws: Workshop) -> Figure:
    return _observations(ws).figure()


def short_statement(statement: str, words: int = 9) -> str:
    """A hypothesis in a few words for a chart label."""
    parts = (statement or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _evidence(ws: Workshop) -> Chart:
    """Per hypothesis: supporting snippets to the right, contradicting ones to the left."""
    lang = ws.language
    hypotheses = ws.hypotheses.all()
    stance = {h["id"]: {"supports": 0, "contradicts": 0} for h in hypotheses}
    for snippet in ws.evidence.all():
        if snippet.get("hypothesis") in stance and snippet["stance"] in ("supports", "contradicts"):
            stance[snippet["hypothesis"]][snippet["stance"]] += 1
    height = min(max(3.2, 1.9 + 0.32 * len(hypotheses)), 30.0)

    def draw(sheet: Sheet) -> None:
        measure = _opening(sheet, lang, label("evidence_title", lang), bool(hypotheses))
        if measure is None:
            return
        label_w = 4.4
        sup = [stance[h["id"]]["supports"] for h in hypotheses]
        con = [stance[h["id"]]["contradicts"] for h in hypotheses]
        top = max([*sup, *con, 1])
        plot = Plot(sheet, label_w + 0.3, 0.8, 1.4, 0.55, (-top * 1.2, top * 1.2), (len(hypotheses) - 0.5, -0.5))
        for y, (s, c) in enumerate(zip(sup, con, strict=True)):
            if s:
                plot.bar(y, 0, s, 0.6, style.GOOD)
                sheet.text(*plot.at(s + top * 0.02, y), str(s), 7.5, color=style.GOOD, va="center", weight="bold",
                           role="value")
            if c:
                plot.bar(y, -c, 0, 0.6, style.ALERT)
                sheet.text(*plot.at(-c - top * 0.02, y), str(c), 7.5, color=style.ALERT, va="center", ha="right",
                           weight="bold", role="value")
        x = plot.at(0, 0)[0]
        sheet.line([x, x], [plot.y0, plot.y1], color=style.INK, lw=0.8, z=3)
        plot.spines()
        plot.y_ticks(list(range(len(hypotheses))),
                     [measure.fit_line(f"[{label('status_' + h['status'], lang)}] {short_statement(h['statement'])}"
                                       [:LABEL_CHARS], label_w - 0.1, TICK_FONT) for h in hypotheses])
        _count_axis(plot, -top * 1.2, top * 1.2, measure, label("evidence_axis", lang))
        _legend(sheet, measure, plot.x1 + 0.12, plot.y1, [(_swatch(sheet, style.GOOD), label("supports", lang)),
                                                          (_swatch(sheet, style.ALERT), label("contradicts", lang))],
                width=0.9)

    return Chart((11.0, height), draw)


def evidence_chart(ws: Workshop) -> Figure:
    return _evidence(ws).figure()


# ---------------------------------------------------------------------------------- KPI trend
STATUS_COLORS = {"reached": style.GOOD, "on_track": style.GOOD, "off_track": style.ALERT, "no_data": style.FAINT,
                 "no_target": style.FAINT}


def _month_ticks(first: dt.date, last: dt.date, language: str) -> tuple[list[dt.date], list[str]]:
    """First days of months between ``first`` and ``last``, every n-th so at most five; "Jan 2027" where the
    year starts or changes, else the month alone."""
    months = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    if not months:
        return [first], [i18n.format_date(first, language)]
    every = math.ceil(len(months) / 5)
    months = months[::every]
    names = i18n.t("formats.months", language).split()
    labels = [names[m.month - 1] + (f" {m.year}" if n == 0 or m.month <= every else "") for n, m in enumerate(months)]
    return months, labels


def _star(sheet: Sheet, x: float, y: float, size: float, color: str) -> None:
    """A five-pointed star ``size`` points across (the target)."""
    outer, inner = size / 2 / 72, size / 5 / 72
    corners = [(x + (outer if k % 2 == 0 else inner) * math.sin(k * math.pi / 5),
                y + (outer if k % 2 == 0 else inner) * math.cos(k * math.pi / 5)) for k in range(10)]
    sheet.polygon(corners, fill=color, z=4)


def _kpi(kpi: dict[str, Any], status: str, language: str, size: tuple[float, float] = (5.4, 2.5)) -> Chart:
    """One KPI over time: its measurements, the straight path from baseline to target, the target, and the
    on-track verdict of kit.tracking in the title's colour."""
    points = [(dt.date.fromisoformat(m["date"]), m["value"]) for m in kpi["measurements"]]
    path = [(dt.date.fromisoformat(kpi[d]), kpi[v]) for d, v in (("baseline_date", "baseline_value"),
                                                                  ("target_date", "target_value"))
            if kpi.get(d) and kpi.get(v) is not None]
    colour = STATUS_COLORS[status] if status != "no_data" else style.MUTED

    def draw(sheet: Sheet) -> None:
        measure = Measure(language)
        W, H = sheet.width, sheet.height
        sheet.text(0.12, H - 0.12, measure.fit_line(kpi["criterion"][:LABEL_CHARS], W - 0.3, 8.5, "bold"), 8.5,
                   weight="bold", role="title")
        verdict = label(f"kpi_{status}", language)
        sheet.text(0.12, H - 0.34, verdict, 7.5, color=STATUS_COLORS[status], weight="bold", role="subtitle")
        if not points and len(path) < 2:
            return _no_data(sheet, language)
        shown = [*points, *(path if len(path) == 2 else [])]
        first, last = min(d for d, _ in shown), max(d for d, _ in shown)
        days = max((last - first).days, 1)
        lo, hi = min(v for _, v in shown), max(v for _, v in shown)
        pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
        plot = Plot(sheet, 0.55, 0.35, 0.15, 0.64, (-days * 0.05, days * 1.05), (lo - pad, hi + pad))

        def at(day: dt.date, value: float) -> tuple[float, float]:
            return plot.at((day - first).days, value)

        keys: list[tuple[Callable[[float, float], None], str]] = []
        if len(path) == 2:
            (a, b), (c, d) = at(*path[0]), at(*path[1])
            sheet.line([a, c], [b, d], color=style.FAINT, lw=1.2, dash=(4, 3), z=2)
            _star(sheet, c, d, 9, style.ACCENT)
            keys += [(lambda x, y: sheet.line([x, x + 0.22], [y, y], color=style.FAINT, lw=1.2, dash=(4, 3)),
                      label("kpi_path", language)),
                     (lambda x, y: _star(sheet, x + 0.11, y, 8, style.ACCENT), label("kpi_target", language))]
        if points:
            drawn = [at(d, v) for d, v in points]
            sheet.line([p[0] for p in drawn], [p[1] for p in drawn], color=colour, lw=2, z=3)
            for x, y in drawn:
                sheet.dot(x, y, size=3.5, fill=colour, z=3)
            keys.append((lambda x, y: sheet.line([x, x + 0.22], [y, y], color=colour, lw=2),
                         label("kpi_measured", language)))
        plot.spines()
        ticks = [t for t in nice_ticks(lo - pad, hi + pad, 4) if lo - pad <= t <= hi + pad]
        plot.y_ticks(ticks, [i18n.format_number(t, language) for t in ticks])
        months, names = _month_ticks(first - dt.timedelta(days=days * 0.05), last + dt.timedelta(days=days * 0.05),
                                     language)
        plot.x_ticks([(m - first).days for m in months], names)
        unit = (kpi.get("unit") or "")[:20]
        if unit:
            plot.axis_title(unit, measure, x_axis=False)
        x = W - 0.12  # the key, right of the verdict, from the right edge leftwards
        for key, text in reversed(keys):
            x -= measure.width(text, 6.5)
            sheet.text(x, H - 0.34, text, 6.5, color=style.MUTED, role="legend")
            x -= 0.28
            key(x, H - 0.34 - 0.05)
            x -= 0.12

    return Chart(size, draw)


def kpi_trend(kpi: dict[str, Any], status: str, language: str, size: tuple[float, float] = (5.4, 2.5)) -> Figure:
    return _kpi(kpi, status, language, size).figure()


#: The charts by name, as ``chart_svg`` draws them for the report.
BUILDERS: dict[str, Callable[..., Chart]] = {"emotion_curve": _emotion, "gap_heatmap": _gaps,
                                             "observations_chart": _observations, "evidence_chart": _evidence,
                                             "kpi_trend": _kpi}


def chart_svg(name: str, *args: Any) -> str:
    """Chart ``name`` (a key of BUILDERS, with its function's arguments) as an SVG element, without matplotlib."""
    return BUILDERS[name](*args).svg()
