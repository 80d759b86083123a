"""The generic board: any ``layout: grid`` declaration (empathy map, observation, hypothesis and
idea boards, and whatever canvas a facilitator adds as YAML) drawn from its cells alone."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..canvases import text_in
from . import style
from .notes import Note, Region, empty_hint, place
from .style import AREA_FONT, QUESTION_FONT, label, line_height

if TYPE_CHECKING:
    from ..canvas import Canvas
    from .sheet import Sheet


def draw(canvas: Canvas, sheet: Sheet, *, max_notes_per_area: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The board on ``sheet``; returns the notes that did not fit, by area."""
    measure = style.canvas_sheet(canvas, sheet)
    lang = canvas.language
    W, H = sheet.width, sheet.height
    intro = text_in(canvas.declaration.get("intro"), lang)
    top = H - 1.05
    if intro:
        lines, _ = measure.wrap(intro, W - 0.8, 8.5, 2, style="italic")
        sheet.text(0.4, top + 0.12, "\n".join(lines), 8.5, color=style.MUTED, style="italic", role="intro")
        top -= len(lines) * line_height(8.5) + 0.05

    areas = canvas.areas
    rows = max(a["cell"][0] + a["cell"][2] for a in areas)
    cols = max(a["cell"][1] + a["cell"][3] for a in areas)
    x0, x1, bottom, gap = 0.3, W - 0.3, 0.45, 0.1
    cw, ch = (x1 - x0 + gap) / cols, (top - bottom + gap) / rows
    items = [i for i in canvas.items() if not i.get("hidden")]
    hidden = len(canvas.items()) - len(items)
    palette = canvas.declaration.get("colors") or ["#fff1a8"]
    overflow: dict[str, list[dict[str, Any]]] = {}
    for n, area in enumerate(areas):
        r, c, rs, cs = area["cell"]
        ax0, ay1 = x0 + c * cw, top - r * ch
        aw, ah = cs * cw - gap, rs * ch - gap
        sheet.rect(ax0, ay1 - ah, aw, ah, radius=0.08, fill=style.PANEL, edge=style.LINE, lw=0.8, z=1)
        title, size = style.fit_size(measure, area["title"], aw - 0.24, AREA_FONT, 8.0, "bold")
        mine = [i for i in items if i[canvas.area_field] == area["id"]]
        count = f"  {len(mine)}" if mine else ""
        sheet.text(ax0 + 0.12, ay1 - 0.1, title, size, weight="bold", role="area")
        if count:
            sheet.text(ax0 + aw - 0.12, ay1 - 0.1, count.strip(), size, color=style.FAINT, weight="bold", ha="right",
                 role="count")
        qy = ay1 - 0.1 - line_height(size) - 0.02
        q_lines = 0
        if area.get("question") and ah > 1.0:
            lines, _ = measure.wrap(area["question"], aw - 0.24, QUESTION_FONT, 2, style="italic")
            q_lines = len(lines)
            sheet.text(ax0 + 0.12, qy, "\n".join(lines), QUESTION_FONT, color=style.MUTED, style="italic",
                 role="question")
        region = Region.rect(ax0 + 0.1, ay1 - ah + 0.1, ax0 + aw - 0.1,
                             qy - q_lines * line_height(QUESTION_FONT) - 0.08)
        # where colours mean something (color_labels, e.g. a channel), a note without one is plain paper
        color = style.PAPER if canvas.color_labels else style.NOTE_COLORS.get(area["id"], palette[n % len(palette)])
        notes = [_note(canvas, item, color, lang) for item in mine]
        if not notes:
            empty_hint(sheet, measure, region, lang)
            continue
        placed = place(sheet, measure, region, notes, lang, max_notes_per_area)
        if placed.hidden:
            overflow[area["id"]] = [p.source for p in placed.hidden]
    x = 0.3  # the legend of what each colour means, bottom left
    for swatch, meaning in canvas.color_labels.items():
        sheet.rect(x, 0.2, 0.12, 0.12, fill=swatch, edge=style.LINE, lw=0.6, z=1)
        sheet.text(x + 0.17, 0.2, meaning, style.SMALL_FONT + 0.5, color=style.MUTED, va="bottom", role="legend")
        x += 0.4 + measure.width(meaning, style.SMALL_FONT + 0.5)
    if hidden:
        sheet.text(W - 0.3, 0.2, label("hidden", lang, n=hidden), style.SMALL_FONT + 0.5, color=style.MUTED,
             ha="right", va="bottom", role="legend")
    return overflow


def _note(canvas: Canvas, item: dict[str, Any], color: str, lang: str) -> Note:
    """A note with what the record kind has: votes as dots, a hypothesis' status, a rank."""
    note = Note(str(item.get(canvas.text_field) or ""), style.note_color(item.get("color"), color), source=item)
    parts = []
    if item.get("status"):
        parts.append(label(f"status_{item['status']}", lang))
    if item.get("who"):
        parts.append(item["who"])
    if item.get("rank"):
        parts.append(f"{label('rank', lang)} {item['rank']}")
    note.footer = " · ".join(parts)
    dots = sum((item.get("votes") or {}).values())
    if dots:
        note.badge, note.badge_color = f"● {dots}", style.ACCENT
    if item.get("selected"):
        note.edge, note.edge_width = style.ACCENT, 1.6
    if item.get("status") == "refuted":
        note.badge_color = style.MUTED
    return note
