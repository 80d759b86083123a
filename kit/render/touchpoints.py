"""The touchpoint map as a figure: stages as columns, starting long before first contact.

Rows follow the declaration's lanes: touchpoint cards (channel, front/back owner, Ist → Soll,
moment-of-truth star), the emotion curve per persona across the stages, and the top-voted
wow ideas per stage. Stages before first contact are shaded, so the self-centred view
("it starts when they call us") is visibly not the whole map.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import i18n
from . import style
from .notes import Note, Region, Spec, place
from .style import Measure, label

if TYPE_CHECKING:
    from ..canvas import Canvas
    from ..protocols import WorkshopAccess
    from .sheet import Sheet

CARD_SPECS = [Spec(8, 5, 0.8), Spec(7.5, 5, 0.8), Spec(8, 4, 0.8), Spec(7.5, 4, 0.8), Spec(7, 4, 0.8),
              Spec(7, 3, 0.8), Spec(6.5, 3, 0.8), Spec(6, 3, 0.8), Spec(6, 2, 0.8), Spec(6, 1, 0.8)]
IDEA_SPECS = [Spec(7, 5, 0.8), Spec(7, 4, 0.8), Spec(7, 3, 0.8), Spec(6.5, 3, 0.8), Spec(6, 3, 0.8),
              Spec(6, 2, 0.8), Spec(6, 1, 0.8)]
LABEL_W = 1.25


def draw(canvas: Canvas, sheet: Sheet, *, max_notes_per_area: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The map on ``sheet``; returns the touchpoints that did not fit, by stage."""
    measure = style.canvas_sheet(canvas, sheet)
    lang = canvas.language
    ws = canvas.workshop
    W, H = sheet.width, sheet.height

    stages = canvas.areas
    lanes = {lane["id"]: _lane_title(lane, lang)
             for lane in canvas.declaration.get("lanes", [])}
    x0, x1 = 0.3 + LABEL_W, W - 0.25
    col = (x1 - x0) / max(len(stages), 1)
    top = H - 1.0
    head_h, card_h, emo_h, idea_h = 0.62, 3.35, 1.45, 1.25
    rows = [("touchpoints", top - head_h, top - head_h - card_h),
            ("emotion", top - head_h - card_h, top - head_h - card_h - emo_h),
            ("ideas", top - head_h - card_h - emo_h, top - head_h - card_h - emo_h - idea_h)]

    # stage header: a bracket for "before first contact", then each stage's title
    pre = [i for i, s in enumerate(stages) if s.get("pre_contact")]
    for group, idx in ((label("before_contact", lang), pre),
                       (label("with_us", lang), [i for i in range(len(stages)) if i not in pre])):
        if idx:
            gx0, gx1 = x0 + min(idx) * col, x0 + (max(idx) + 1) * col
            sheet.line([gx0 + 0.04, gx1 - 0.04], [top - 0.02, top - 0.02], color=style.MUTED, lw=1.2)
            sheet.text((gx0 + gx1) / 2, top + 0.02, measure.fit_line(group, gx1 - gx0, 8, "bold"), 8,
                 weight="bold", color=style.MUTED, ha="center", va="bottom", role="label")
    bottom = rows[-1][2]
    for i, stage in enumerate(stages):
        sx = x0 + i * col
        if stage.get("pre_contact"):
            sheet.rect(sx, bottom, col, top - 0.08 - bottom, fill=style.PRE_CONTACT, z=0)
        sheet.line([sx, sx], [bottom, top - 0.08], color=style.LINE, lw=0.6, z=1)
        lines, _ = measure.wrap(stage["title"], col - 0.1, 7.5, 3, "bold")
        sheet.text(sx + col / 2, top - 0.1, "\n".join(lines), 7.5, weight="bold", ha="center", role="area")
    sheet.line([x1, x1], [bottom, top - 0.08], color=style.LINE, lw=0.6, z=1)
    for lane_id, ry0, _ in rows:
        sheet.line([0.3, x1], [ry0, ry0], color=style.LINE, lw=0.8, z=1)
        title = lanes.get(lane_id, "")
        if lane_id == "touchpoints":
            title = "\n".join(t for t in (lanes.get("touchpoints"), lanes.get("owners"), lanes.get("ratings")) if t)
        _lane_label(sheet, measure, title, ry0 - 0.08)
    sheet.line([0.3, x1], [bottom, bottom], color=style.LINE, lw=0.8, z=1)

    overflow: dict[str, list[dict[str, Any]]] = {}
    points = [t for t in canvas.items() if not t.get("hidden")]
    stage_ids = [s["id"] for s in stages]
    for i, stage in enumerate(stages):
        sx = x0 + i * col
        cards = [_card(tp, lang) for tp in points if tp["stage"] == stage["id"]]
        region = Region.rect(sx + 0.05, rows[0][2] + 0.05, sx + col - 0.05, rows[0][1] - 0.05)
        placed = place(sheet, measure, region, cards, lang, max_notes_per_area, CARD_SPECS)
        if placed.hidden:
            overflow[stage["id"]] = [n.source for n in placed.hidden]
    if not points:
        sheet.text((x0 + x1) / 2, (rows[0][1] + rows[0][2]) / 2, label("no_notes", lang), 10, color=style.FAINT,
             style="italic", ha="center", va="center", role="hint")

    _emotion_lane(sheet, measure, ws, points, stage_ids, x0, col, rows[1][1], rows[1][2], lang)
    _ideas_lane(sheet, measure, ws, points, stages, x0, col, rows[2][1], rows[2][2], lang)
    _legend(sheet, measure, lang, 0.3, bottom - 0.16, W)
    return overflow


def _lane_title(lane: dict[str, Any], lang: str) -> str:
    from ..canvases import text_in

    return text_in(lane["title"], lang)


def _lane_label(sheet: Sheet, measure: Measure, title: str, y: float) -> None:
    lines: list[str] = []
    for part in title.split("\n"):
        lines += measure.wrap(part, LABEL_W - 0.12, 7.5, 2, "bold")[0]
    sheet.text(0.3, y, "\n".join(lines), 7.5, weight="bold", color=style.MUTED, role="lane")


def _card(tp: dict[str, Any], lang: str) -> Note:
    """One touchpoint: name, channel, owners, and Ist → Soll with the moment-of-truth star."""
    owners = []
    if tp.get("owner"):
        owners.append(f"{label('front', lang)}: {tp['owner']}")
    if tp.get("backstage_owner"):
        owners.append(f"{label('back', lang)}: {tp['backstage_owner']}")
    details = [tp.get("channel") or "", *[*owners, "", ""][:2]]
    ist, soll = tp.get("ist_rating"), tp.get("soll_target")
    rating = f"{label('ist', lang)} {ist or '–'} → {label('soll', lang)} {soll or '–'}"
    note = Note(tp.get("name") or "", "#ffffff", details=details, footer=rating,
                footer_short=f"{ist or '–'} → {soll or '–'}", bold=True, edge=style.LINE, source=tp)
    if ist and soll and soll > ist:
        gap = soll - ist
        note.color = ["#ffffff", "#fff6e0", "#ffe9c2", "#ffd9a0", "#ffc980"][min(gap, 4)]
    if tp.get("moment_of_truth"):
        note.badge, note.badge_color = "★", style.ALERT
        note.edge, note.edge_width = style.ALERT, 1.4
    return note


def _emotion_lane(sheet: Sheet, measure: Measure, ws: WorkshopAccess, points: list[dict[str, Any]],
                  stage_ids: list[str], x0: float, col: float, y0: float, y1: float, lang: str) -> None:
    """The evidence curve per persona (mean, band, n) with the team's estimate dashed beside it."""
    from .. import journey
    from .journey import drawn, persona_label, plot_curves

    curves = drawn(journey.by_stage(ws, stage_ids, points))
    pad = 0.12
    bottom, height = y1 + pad, y0 - y1 - 2 * pad

    def at(x: float, y: float) -> tuple[float, float]:
        """(stage index, score from -2.4 to 2.4) -> the lane, stage i in the middle of column i"""
        return x0 + (x + 0.5) * col, bottom + (y + 2.4) / 4.8 * height

    zero = at(0, 0)[1]
    sheet.line([x0, x0 + col * len(stage_ids)], [zero, zero], color=style.FAINT, lw=0.7, dash=(2, 2), z=2)
    plot_curves(sheet, curves, compact=True, at=at)
    for y, sym in ((2, "+2"), (0, "0"), (-2, "−2")):
        sheet.text(x0 - 0.04, at(0, y)[1], sym, style.MIN_FONT, color=style.FAINT, ha="right", va="center",
                   role="axis")
    # persona legend in the lane's label column
    ly = y0 - 0.36
    for i, (persona, values) in enumerate(list(curves.items())[:5]):
        color = style.SERIES[i % len(style.SERIES)]
        sheet.line([0.3, 0.48], [ly - 0.05, ly - 0.05], color=color, lw=2)
        sheet.text(0.52, ly, measure.fit_line(persona_label(persona, values, lang), LABEL_W - 0.3, style.MIN_FONT),
             style.MIN_FONT, color=style.INK, role="legend")
        ly -= 0.17
    if len(curves) > 5:
        sheet.text(0.52, ly, label("more", lang, n=len(curves) - 5), style.MIN_FONT, color=style.MUTED,
             role="overflow")
    if not curves:
        sheet.text(x0 + col * len(stage_ids) / 2, (y0 + y1) / 2, label("no_data", lang), 9, color=style.FAINT,
             style="italic", ha="center", va="center", role="hint")
    elif not any(p.n for values in curves.values() for p in values):
        sheet.text(x0 + col * len(stage_ids) / 2, y1 + 0.05, i18n.t("journey.no_evidence_lane", lang),
             style.MIN_FONT, color=style.MUTED, style="italic", ha="center", va="bottom", role="hint")


def _ideas_lane(sheet: Sheet, measure: Measure, ws: WorkshopAccess, points: list[dict[str, Any]],
                stages: list[dict[str, Any]], x0: float, col: float, y0: float, y1: float, lang: str) -> None:
    stage_of = {tp["id"]: tp["stage"] for tp in ws.touchpoints.all()}
    ideas = [i for i in ws.ideas.all() if not i.get("hidden")]
    for i, stage in enumerate(stages):
        mine = [idea for idea in ideas if (idea.get("stage") or stage_of.get(idea.get("touchpoint"))) == stage["id"]]
        mine.sort(key=lambda idea: (-sum((idea.get("votes") or {}).values()), idea["id"]))
        notes = []
        for idea in mine:
            dots = sum((idea.get("votes") or {}).values())
            note = Note(idea.get("text") or "", "#fff1a8", badge=f"● {dots}" if dots else "",
                        badge_color=style.ACCENT, source=idea)
            if idea.get("selected"):
                note.edge, note.edge_width = style.ACCENT, 1.6
            notes.append(note)
        sx = x0 + i * col
        place(sheet, measure, Region.rect(sx + 0.05, y1 + 0.05, sx + col - 0.05, y0 - 0.05), notes, lang,
              specs=IDEA_SPECS)


def _legend(sheet: Sheet, measure: Measure, lang: str, x: float, y: float, W: float) -> None:
    size = style.SMALL_FONT + 0.5
    sheet.rect(x, y - 0.06, 0.28, 0.14, radius=0.03, fill="#ffffff", edge=style.ALERT, lw=1.4)
    sheet.text(x + 0.14, y + 0.01, "★", size, color=style.ALERT, ha="center", va="center", role="legend")
    x += 0.36
    name = label("moment_of_truth", lang)
    sheet.text(x, y + 0.01, name, size, color=style.MUTED, va="center", role="legend")
    x += measure.width(name, size) + 0.3
    for i, shade in enumerate(["#ffffff", "#fff6e0", "#ffe9c2", "#ffd9a0", "#ffc980"]):
        sheet.rect(x + i * 0.16, y - 0.05, 0.15, 0.12, fill=shade, edge=style.LINE, lw=0.5)
    x += 0.86
    gap = f"{label('gap', lang)}: {label('gap_legend', lang)}"
    sheet.text(x, y + 0.01, gap, size, color=style.MUTED, va="center", role="legend")
    x += measure.width(gap, size) + 0.3
    sheet.text(x, y + 0.01, measure.fit_line(i18n.t("journey.map_key", lang), W - 0.3 - x, size), size,
         color=style.MUTED, va="center", role="legend")
