"""The Value Proposition Canvas as a figure: value map square left, customer profile circle right.

Customer-profile notes carry their rank, an evidence badge (✓ supports / ✗ contradicts) or a
"no evidence" flag; relievers and creators name the pains and gains they address (P1, G2);
pains and gains nobody addresses get a red outline, and the footer states the fit coverage.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import style
from .notes import Note, Region, empty_hint, place, sector
from .style import AREA_FONT, Measure, label

if TYPE_CHECKING:
    from ..canvas import Canvas
    from .sheet import Sheet

# canonical slots: where each kind of area sits
_SQUARE_SLOTS = ("products", "gain", "pain")  # left column, top right, bottom right
_CIRCLE_SLOTS = ("gain", "pain", "job")  # upper left quarter, lower left quarter, right half


def draw(canvas: Canvas, sheet: Sheet, *, max_notes_per_area: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The canvas on ``sheet``; returns the notes that did not fit, by area."""
    measure = style.canvas_sheet(canvas, sheet)
    lang = canvas.language
    W, H = sheet.width, sheet.height

    items = {a["id"]: [i for i in canvas.items(a["id"]) if not i.get("hidden")] for a in canvas.areas}
    hidden = sum(1 for i in canvas.items() if i.get("hidden"))
    areas = {a["id"]: a for a in canvas.areas}
    coverage = canvas.fit_coverage()
    evidence = canvas.evidence_counts()
    unaddressed = {i for c in coverage.values() for i in c["unaddressed"]}
    tags = _tags(canvas, items)

    # geometry: the square and the circle share a centre line
    top, bottom = H - 1.05, 0.85
    side = min(4.9, top - bottom)
    cy = (top + bottom) / 2 + 0.1
    sx0, sy0 = 0.3, cy - side / 2
    r = min(2.95, (top - bottom) / 2)
    cx = W - 0.25 - r
    sheet.rect(sx0, sy0, side, side, fill=style.PAPER, edge=style.INK, lw=1.4)
    sheet.circle(cx, cy, r, fill=style.PAPER, edge=style.INK, lw=1.4)
    sheet.text(sx0 + side / 2, sy0 + side + 0.08, label("value_map", lang), 9, color=style.MUTED, ha="center",
         va="bottom", weight="bold", role="label")
    sheet.text(cx, cy + r + 0.06, label("customer_profile", lang), 9, color=style.MUTED, ha="center",
         va="bottom", weight="bold", role="label")
    _arrows(sheet, sx0 + side, cx - r, cy)

    placements: dict[str, Region] = {}
    split = sx0 + side * 0.37
    sheet.line([split, split], [sy0, sy0 + side], color=style.INK, lw=1.0)
    sheet.line([split, sx0 + side], [cy, cy], color=style.INK, lw=1.0)
    for slot, area in _assign(canvas.areas, "value_map", _SQUARE_SLOTS).items():
        x0, x1, y0, y1 = {"products": (sx0, split, sy0, sy0 + side),
                          "gain": (split, sx0 + side, cy, sy0 + side),
                          "pain": (split, sx0 + side, sy0, cy)}[slot]
        _area_title(sheet, measure, area, (x0 + x1) / 2, y1 - 0.1, x1 - x0 - 0.2)
        placements[area["id"]] = Region.rect(x0 + 0.1, y0 + 0.1, x1 - 0.1, y1 - 0.5)
    # the customer profile as it is drawn on paper: jobs the right half, gains upper left, pains lower left
    sheet.line([cx, cx], [cy - r, cy + r], color=style.INK, lw=1.0)
    sheet.line([cx - r, cx], [cy, cy], color=style.INK, lw=1.0)
    inner = r - 0.1
    for slot, area in _assign(canvas.areas, "customer_profile", _CIRCLE_SLOTS).items():
        if slot == "gain":
            title_y, planes = cy + 0.72 * r, sector(cx, cy, r, 90, 180, 0.09)
            region = Region(cy + 0.72 * r - 0.38, cy, planes, (cx, cy, inner))
            tx, tw = cx - 0.36 * r, 0.62 * r
        elif slot == "pain":
            title_y, planes = cy - 0.07, sector(cx, cy, r, 180, 270, 0.09)
            region = Region(cy - 0.3, cy - r + 0.3, planes, (cx, cy, inner))  # the "+ N more" line needs width
            tx, tw = cx - 0.5 * r, 0.85 * r
        else:
            title_y, planes = cy + 0.72 * r, sector(cx, cy, r, -90, 90, 0.09)
            region = Region(cy + 0.72 * r - 0.38, cy - r, planes, (cx, cy, inner))
            tx, tw = cx + 0.36 * r, 0.62 * r
        _area_title(sheet, measure, area, tx, title_y, tw)
        placements[area["id"]] = region

    overflow: dict[str, list[dict[str, Any]]] = {}
    for area_id, region in placements.items():
        area = areas[area_id]
        notes = [_note(canvas, area, item, evidence, unaddressed, tags, lang) for item in items[area_id]]
        if not notes:
            empty_hint(sheet, measure, region, lang, area["question"])
            continue
        placed = place(sheet, measure, region, notes, lang, max_notes_per_area)
        if placed.hidden:
            overflow[area_id] = [n.source for n in placed.hidden]

    _footer(sheet, measure, canvas, coverage, tags, hidden, W)
    return overflow


def _assign(areas: list[dict[str, Any]], kind: str, slots: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Slot -> area: by meaning (the pain side, the gain side), the rest in declaration order."""
    by_id = {a["id"]: a for a in areas}
    mine = [a for a in areas if a.get("kind") == kind]
    out: dict[str, dict[str, Any]] = {}
    for area in mine:
        meaning = area.get("evidence") or (by_id[area["fits"]].get("evidence") if area.get("fits") else None)
        meaning = meaning or ("products" if kind == "value_map" else None)
        if meaning in slots and meaning not in out:
            out[meaning] = area
    rest = [a for a in mine if a not in out.values()]
    for slot in slots:
        if slot not in out and rest:
            out[slot] = rest.pop(0)
    return out


def _tags(canvas: Canvas, items: dict[str, list[dict[str, Any]]]) -> dict[int, str]:
    """Short names for fit targets (P1, G2) so relievers and creators can point at them."""
    targets = [a for a in canvas.areas if any(b.get("fits") == a["id"] for b in canvas.areas)]
    tags: dict[int, str] = {}
    used: set[str] = set()
    for area in targets:
        letters = "".join(ch for ch in area["title"] if ch.isalpha()).upper() or area["id"].upper()
        prefix = next((letters[:n] for n in range(1, len(letters) + 1) if letters[:n] not in used), area["id"])
        used.add(prefix)
        for n, item in enumerate(items.get(area["id"], []), start=1):
            tags[item["id"]] = f"{prefix}{n}"
    return tags


def _note(canvas: Canvas, area: dict[str, Any], item: dict[str, Any], evidence: dict[int, dict[str, int]],
          unaddressed: set[int], tags: dict[int, str], lang: str) -> Note:
    color = style.note_color(item.get("color"), style.NOTE_COLORS.get(area["id"], "#fff3a8"))
    note = Note(item[canvas.text_field] or "", color, source=item)
    parts = []
    if item["id"] in tags:
        parts.append(tags[item["id"]])
    short = list(parts)
    if item.get("rank") and area.get("rank"):
        parts.append(f"{area['rank']} {item['rank']}")
        short.append(f"{item['rank']}/{canvas.declaration['rank_scale']['max']}")
    if area.get("fits"):
        targets = [tags[i] for i in item.get("fit") or [] if i in tags]
        if targets:
            parts.append(label("addresses", lang, targets=", ".join(targets)))
            short.append(parts[-1])
    note.footer = " · ".join(parts)
    note.footer_short = " · ".join(short)
    if area.get("evidence"):
        counts = evidence.get(item["id"], {"supports": 0, "contradicts": 0})
        if counts["supports"] or counts["contradicts"]:
            note.badge = f"✓{counts['supports']}  ✗{counts['contradicts']}"
            note.badge_color = style.GOOD if counts["supports"] >= counts["contradicts"] else style.ALERT
        else:
            note.badge, note.badge_color = "⚠ " + label("no_evidence", lang), style.WARN
            note.dashed, note.edge, note.edge_width = True, style.WARN, 0.9
    if item["id"] in unaddressed:
        note.edge, note.edge_width, note.dashed = style.ALERT, 2.0, False
    return note


def _area_title(sheet: Sheet, measure: Measure, area: dict[str, Any], x: float, y: float, width: float) -> None:
    title, size = style.fit_size(measure, area["title"], width, AREA_FONT, 8.0, "bold")
    sheet.text(x, y, title, size, weight="bold", ha="center", role="area")


def _arrows(sheet: Sheet, x0: float, x1: float, y: float) -> None:
    """The fit between the two halves: a pair of arrows in the gap."""
    for dy, (a, b) in ((0.12, (x0 + 0.05, x1 - 0.05)), (-0.12, (x1 - 0.05, x0 + 0.05))):
        sheet.arrow(a, y + dy, b, y + dy, color=style.FAINT, lw=1.2)


def _footer(sheet: Sheet, measure: Measure, canvas: Canvas, coverage: dict[str, dict[str, Any]],
            tags: dict[int, str], hidden: int, W: float) -> None:
    """Fit coverage per target area (unaddressed items named), then a legend of the marks."""
    lang = canvas.language
    y, x = 0.9, 0.3
    for target, entry in coverage.items():
        area = canvas.area(target)
        line = label("coverage", lang, addressed=len(entry["addressed"]), total=entry["total"], area=area["title"])
        missing = [tags.get(i, str(i)) for i in entry["unaddressed"]]
        color = style.ALERT if missing else style.GOOD
        sheet.text(x, y, measure.fit_line(line, 3.6, 10), 10, weight="bold", color=color, role="coverage")
        if missing:
            rest = measure.fit_line(f"{label('unaddressed', lang)}: {', '.join(missing)}", 3.6, 7.5)
            sheet.text(x, y - 0.21, rest, 7.5, color=style.ALERT, role="coverage")
        x += 3.8
    size = style.SMALL_FONT + 0.5
    entries: list[tuple[str, float, tuple[float, ...] | None, str]] = [
        (style.ALERT, 2.0, None, label("unaddressed", lang)), (style.WARN, 0.9, (3, 2), label("no_evidence", lang))]
    lx, ly = 0.3, 0.2
    for color, width, dash, name in entries:
        sheet.rect(lx, ly - 0.03, 0.28, 0.14, radius=0.03, fill=style.PANEL, edge=color, lw=width, dash=dash)
        sheet.text(lx + 0.36, ly + 0.04, name, size, color=style.MUTED, va="center", role="legend")
        lx += 0.5 + measure.width(name, size)
    legend = label("evidence_badge", lang)
    if hidden:
        legend += " · " + label("hidden", lang, n=hidden)
    owner = canvas.attribution  # bottom right: whose framework this is
    room = W - lx - 0.4 - (measure.width(owner, size) + 0.3 if owner else 0.0)
    sheet.text(lx + 0.1, ly + 0.04, measure.fit_line(legend, room, size), size, color=style.MUTED,
         va="center", role="legend")
    if owner:
        sheet.text(W - 0.3, ly + 0.04, owner, size, color=style.MUTED, ha="right", va="center", role="attribution")
