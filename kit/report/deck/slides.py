"""The deck's slides in order, each built from the (protected) workshop through the kit's own
functions, so the deck shows the numbers the report and the notebooks show.

Every builder takes the workshop and the look and adds one or more slides: a table that does
not fit continues on the next slide (shapes.table_pages), a chart per persona or KPI.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pptx.enum.text import MSO_ANCHOR

from ... import agenda, i18n, journey, plan, synthesis, tracking
from . import charts, shapes, text, value_proposition
from .look import Look, Rect
from .pages import label as _t
from .pages import tables, text_slides

if TYPE_CHECKING:
    from ...workshop import Workshop

Builder = Callable[["Workshop", Look], None]


def _signed(value: float | None, language: str) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "−" if value < 0 else "") + i18n.format_number(round(abs(value), 1), language)


# ------------------------------------------------------------------------------- slides
def title(ws: Workshop, look: Look) -> None:
    info = ws.info
    slide = look.prs.slides.add_slide(look.title_layout)
    width, height = look.size
    facts = " · ".join(v for v in (info["client"], i18n.format_date(info["date"], ws.language),
                                    info["facilitator"]) if v)
    privacy = i18n.t("report.names_protected", ws.language)
    rest = [ph for ph in slide.placeholders if ph.placeholder_format.idx != 0]
    sub = Rect.of(rest[0]) if rest and look.templated else Rect(0.8, 4.2, width - 1.6, height - 4.9)
    facts = text.beginning(facts, text.Box(sub.width - 0.2, sub.height - 0.5), 18.0)
    body = [(facts, 18.0, False, None), (privacy, shapes.SMALL, False, look.muted)] if facts else \
        [(privacy, shapes.SMALL, False, look.muted)]
    for ph in slide.placeholders:
        if ph.placeholder_format.idx == 0:
            title_rect = Rect.of(ph) if look.templated else Rect(0.8, 1.6, width - 1.6, 2.4)
            title_rect.place(ph)
            shown = text.beginning(info["title"], text.Box(title_rect.width - 0.2, title_rect.height), 32.0, True)
            shapes.fill(ph.text_frame, look, [(shown, 32.0, True, None)], anchor=MSO_ANCHOR.BOTTOM)
    for ph in rest[1:]:
        ph._element.getparent().remove(ph._element)
    if rest:
        sub.place(rest[0])
        shapes.fill(rest[0].text_frame, look, body)
    else:
        shapes.box(slide, look, sub, body)


def agenda_and_method(ws: Workshop, look: Look) -> None:
    slide, room = shapes.new_slide(look, _t(ws, "agenda_method"))
    left = Rect(room.left, room.top, room.width * 0.55, room.height)
    rows = [[str(s.number), s.title, _t(ws, "minutes", n=s.minutes)] for s in agenda.steps(ws.language)]
    columns = [shapes.Column("#", 0.5), shapes.Column(_t(ws, "step"), 4), shapes.Column(_t(ws, "timebox"), 1.3)]
    shapes.table(slide, look, left, columns, rows)
    right = Rect(left.right + 0.3, room.top, room.width - left.width - 0.3, room.height)
    method = [(_t(ws, "method_title"), 16.0, True, None), (_t(ws, "method"), shapes.BODY, False, None)]
    shapes.box(slide, look, Rect(right.left, right.top, right.width, shapes.paragraphs_height(method, right.width)),
               method)


def observations(ws: Workshop, look: Look) -> None:
    board = ws.canvas("observation_board")
    items = board.items()
    columns = [shapes.Column(synthesis.column("text", ws.language), 5), shapes.Column(synthesis.column(
        "who", ws.language), 1.6), shapes.Column(synthesis.column("touchpoint", ws.language), 1.6)]
    for area in board.areas:
        rows = [[o["text"], o["who"], o["touchpoint"]] for o in items if o["kind"] == area["id"]]
        if rows:
            tables(ws, look, _t(ws, "observations", area=area["title"]), columns, rows)


def hypotheses(ws: Workshop, look: Look) -> None:
    lang = ws.language
    rows = synthesis.status_rows(ws)
    if not rows:
        return
    names = ["label", "statement", "status", "supporting_interviews", "contradicting_interviews",
             "supporting_snippets", "contradicting_snippets"]
    weights = [1, 6, 1.5, 1.4, 1.4, 1.4, 1.4]
    columns = [shapes.Column(synthesis.column(n, lang), w) for n, w in zip(names, weights, strict=True)]
    tables(ws, look, _t(ws, "hypotheses"), columns,
           [[r["label"], r["statement"], synthesis.status_label(r["status"], lang), *(str(r[n]) for n in names[3:])]
            for r in rows])
    evidence_chart(ws, look)


def evidence_chart(ws: Workshop, look: Look, per_slide: int = 14) -> None:
    """Interviews for and against per hypothesis; the quotes behind each bar in the speaker notes."""
    data = synthesis.evidence_chart_data(ws)
    quotes = synthesis.evidence_rows(ws)
    for start in range(0, len(data), per_slide):
        page = data[start:start + per_slide]
        title = _t(ws, "evidence_chart")
        slide, room = shapes.new_slide(look, title if start == 0 else _t(ws, "continued", title=title))
        charts.evidence(slide, look, room, [r["label"] for r in page], [r["supporting_interviews"] for r in page],
                        [r["contradicting_interviews"] for r in page],
                        (_t(ws, "supporting"), _t(ws, "contradicting")))
        lines = []
        for row in page:
            said = [q for q in quotes if q["hypothesis"] == row["label"] and q["stance"] != "new_insight"]
            if said:
                lines.append(f"{row['label']}: {row['statement']}")
                lines += [f"  {synthesis.stance_label(q['stance'], ws.language)} – {q['interview']}: {q['snippet']}"
                          for q in said]
        shapes.notes(slide, lines)


def vpc(ws: Workshop, look: Look) -> None:
    value_proposition.slides(ws, look)


def touchpoint_map(ws: Workshop, look: Look, per_slide: int = 4) -> None:
    """Stages as columns, the map's lanes as rows, continued over slides when the journey is wide."""
    lang = ws.language
    canvas = ws.canvas("touchpoint_map")
    stages = canvas.areas
    if not canvas.items():
        return
    rows = plan.touchpoint_rows(ws)
    ideas = ws.ideas.all()
    by_tp = {tp["id"]: tp for tp in canvas.items()}

    def cell(lane: str, stage: dict[str, Any]) -> str:
        here = [r for r in rows if by_tp[r["id"]]["stage"] == stage["id"]]
        if lane == "touchpoints":
            return "\n".join(r["name"] + (f" ({r['channel']})" if r["channel"] else "") for r in here)
        if lane == "owners":
            return "\n".join(" / ".join(v for v in (r["owner"], r["backstage_owner"]) if v) for r in here
                             if r["owner"] or r["backstage_owner"])
        if lane == "ratings":
            return "\n".join(f"{r['name']}: {r['ist_rating'] or '–'} → {r['soll_target'] or '–'}" for r in here)
        if lane == "emotion":
            return "\n".join(f"{p}: {_signed(journey.team_estimate(canvas.items(), stage['id'], p), lang)}"
                             for p in journey.personas(ws) if journey.team_estimate(canvas.items(), stage["id"], p)
                             is not None)
        return "\n".join(i["text"] for i in ideas if not i["hidden"] and (
            i["stage"] == stage["id"] or by_tp.get(i["touchpoint"] or 0, {}).get("stage") == stage["id"]))

    lanes = [(lane["id"], lane["title"][lang] if isinstance(lane["title"], dict) else lane["title"])
             for lane in canvas.declaration.get("lanes", [])]
    for start in range(0, len(stages), per_slide):
        chunk = stages[start:start + per_slide]
        columns = [shapes.Column(_t(ws, "lane"), 1.2)] + [shapes.Column(s["title"], 2) for s in chunk]
        body = [[name, *(cell(lane, s) for s in chunk)] for lane, name in lanes]
        tables(ws, look, _t(ws, "touchpoints"), columns, body, continued=start > 0)


def curves(ws: Workshop, look: Look) -> None:
    """The evidence emotion curve per persona: the interviews' mean with its spread, the team's estimate."""
    canvas = ws.canvas("touchpoint_map")
    stages = canvas.areas
    for persona, points in journey.by_stage(ws, [s["id"] for s in stages], canvas.items()).items():
        if not any(p.n or p.team is not None for p in points):
            continue
        slide, room = shapes.new_slide(look, _t(ws, "curve", persona=persona))
        flagged = [_t(ws, f"flag_{p.flag}", stage=s["title"]) for s, p in zip(stages, points, strict=True) if p.flag]
        caption = [(_t(ws, "flagged", stages="; ".join(flagged)) if flagged else _t(ws, "no_flags"),
                    shapes.SMALL, bool(flagged), look.alert if flagged else look.muted)]
        below = shapes.paragraphs_height(caption, room.width)
        chart_rect = Rect(room.left, room.top, room.width, room.height - below - 0.1)
        series = curve_series(ws, points)
        charts.curve(slide, look, chart_rect, [_t(ws, "category_n", stage=s["title"], n=p.n)
                                               for s, p in zip(stages, points, strict=True)],
                     series[0], series[1], [_spread(p) for p in points])
        shapes.box(slide, look, Rect(room.left, chart_rect.bottom + 0.1, room.width, below), caption, name="flags")
        lines = []
        for stage, p in zip(stages, points, strict=True):
            if p.quotes:
                lines.append(_t(ws, "category_n", stage=stage["title"], n=p.n))
                lines += ["  " + _t(ws, "quote", pseudonym=q.pseudonym, score=f"{q.score:+d}", snippet=q.snippet)
                          for q in p.quotes]
        shapes.notes(slide, lines)


def curve_series(ws: Workshop, points: Sequence[journey.Point]) -> tuple[charts.Series, charts.Series]:
    """The two series of a persona's curve, rounded as kit.journey hands them on (Point.as_dict)."""
    mean = [p.as_dict()["mean"] for p in points]
    team = [p.as_dict()["team"] for p in points]
    return (_t(ws, "curve_mean"), mean), (_t(ws, "curve_team"), team)


def _spread(p: journey.Point) -> tuple[float, float] | None:
    band = p.band
    if band is None or p.mean is None:
        return None
    return p.mean - band[0], band[1] - p.mean


def kpi_series(ws: Workshop, kpi: dict[str, Any]) -> tuple[list[dt.date], list[charts.Series]]:
    """The dates and series of a KPI's trend chart: its measurements, and the target path (the straight
    line from the baseline to the target by the target date, kit.tracking.expected) on every date."""
    measured = {dt.date.fromisoformat(m["date"][:10]): m["value"] for m in kpi["measurements"]}
    ends = [dt.date.fromisoformat(str(kpi[k])[:10]) for k in ("baseline_date", "target_date") if kpi.get(k)]
    path_known = tracking.expected(kpi, dt.date.today()) is not None
    dates = sorted(measured.keys() | (set(ends) if path_known else set()))
    series: list[charts.Series] = [(_t(ws, "measured"), [measured.get(d) for d in dates])]
    if path_known:
        series.append((_t(ws, "target_path"), [_rounded(tracking.expected(kpi, d)) for d in dates]))
    return dates, series


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def kpi_trends(ws: Workshop, look: Look, since: str | None = None) -> None:
    """A trend chart per KPI measured, headed by its criterion, its target and its status (kit.tracking)."""
    for kpi in ws.kpis:
        if not kpi["measurements"]:
            continue
        slide, room = shapes.new_slide(look, _t(ws, "kpi_trend"))
        status = tracking.kpi_status(kpi, since)
        head: list[shapes.Paragraph] = [(kpi["criterion"], shapes.BODY, True, None)]
        facts = " · ".join(v for v in (_t(ws, "target", target=kpi["target"]) if kpi["target"] else "",
                                        i18n.t(f"report.kpi_{status}", ws.language)) if v)
        head.append((facts, shapes.SMALL, status == "off_track", look.alert if status == "off_track"
                     else look.muted))
        top = min(shapes.paragraphs_height(head, room.width), room.height / 3)
        # a criterion too long for a third of the slide keeps its first lines here, all of it in the notes
        head = [(text.beginning(v, text.Box(room.width - 2 * shapes.INSET, top - 0.1), s, b), s, b, c)
                for v, s, b, c in head]
        shapes.box(slide, look, Rect(room.left, room.top, room.width, top), head, name="kpi")
        dates, series = kpi_series(ws, kpi)
        charts.trend(slide, look, Rect(room.left, room.top + top + 0.1, room.width, room.height - top - 0.1),
                     dates, series, _t(ws, "date_format"))
        shapes.notes(slide, [kpi["criterion"], *([kpi["method"]] if kpi["method"] else []),
                             *(measurement_line(ws, m) for m in kpi["measurements"])])


def measurement_line(ws: Workshop, m: dict[str, Any]) -> str:
    """"31.12.2026: 35,8 – note": a measurement as the speaker notes list it."""
    lang = ws.language
    return f"{i18n.format_date(m['date'], lang)}: {i18n.format_number(m['value'], lang)}" + (
        f" – {m['note']}" if m["note"] else "")


TODO_COLUMNS = {"who": 1.6, "what": 4.5, "start": 1.1, "due": 1.1, "budget": 1.1, "status": 1.1}
#: The KPI table's columns (their headings' keys in kit/texts/report.yaml, the unit's in deck.yaml) and weights.
KPI_COLUMNS = {"criterion": 4.4, "baseline": 1.2, "target": 1.2, "unit": 0.9, "frequency": 1.1, "owner": 1.4,
               "latest": 1.2, "kpi_status": 1.2}


def _value_on(value: float | None, day: str | None, language: str) -> str:
    """A value with its date on the line below ("31,2" / "30.09.2026"), empty without the value."""
    if value is None:
        return ""
    return i18n.format_number(value, language) + (f"\n{i18n.format_date(day, language)}" if day else "")


def kpi_table_rows(ws: Workshop, since: str | None) -> list[list[str]]:
    """The KPI table's cells: the criterion (its target in words below), baseline and target with their dates,
    the unit, how often and who measures, the latest measurement and the status by kit.tracking's rule."""
    lang = ws.language
    return [[r["criterion"] + (f"\n{r['target']}" if r["target"] else ""),
             _value_on(r["baseline_value"], r["baseline_date"], lang),
             _value_on(r["target_value"], r["target_date"], lang), r["unit"], r["frequency"], r["owner"],
             _value_on(r["latest"]["value"], r["latest"]["date"], lang) if r["latest"] else "",
             i18n.t(f"report.kpi_{r['status']}", lang)] for r in tracking.kpi_rows(ws, since)]


def kpi_columns(ws: Workshop) -> list[shapes.Column]:
    return [shapes.Column(_t(ws, "unit") if c == "unit" else i18n.t(f"report.{c}", ws.language), w)
            for c, w in KPI_COLUMNS.items()]


def last_review(ws: Workshop) -> str | None:
    """What "no new data" is measured from, as in the report: the last follow-up held before today."""
    return tracking.last_review(ws, before=dt.date.today())


def _rows_table(ws: Workshop, look: Look, title: str, columns: dict[str, float], rows: list[dict[str, Any]]) -> None:
    """Rows of the kit (plan.todo_rows) as they are, headed like the notebooks' tables."""
    if rows:
        tables(ws, look, title, [shapes.Column(synthesis.column(c, ws.language), w) for c, w in columns.items()],
               [[str(r[c]) for c in columns] for r in rows])


def todo(ws: Workshop, look: Look) -> None:
    _rows_table(ws, look, _t(ws, "todo"), TODO_COLUMNS, plan.todo_rows(ws))


def kpis(ws: Workshop, look: Look) -> None:
    since = last_review(ws)
    rows = kpi_table_rows(ws, since)
    if rows:
        tables(ws, look, _t(ws, "kpis"), kpi_columns(ws), rows)
    kpi_trends(ws, look, since)


FEEDBACK_COLUMNS = {"date": 1.2, "channel": 1.5, "customer_said": 6, "score": 0.9, "shared_with_staff": 1.5}


def feedback_rows(ws: Workshop, log: Sequence[dict[str, Any]]) -> list[list[str]]:
    """An idea's feedback log as table cells: date, channel, what the customer said, score, shared with the staff."""
    lang = ws.language
    return [[i18n.format_date(e["date"], lang), e["channel"], e["said"],
             "" if e["score"] is None else _signed(e["score"], lang),
             i18n.format_date(e["shared_with_staff"], lang) if e["shared_with_staff"]
             else i18n.t("report.not_yet", lang)] for e in log]


def feedback_columns(ws: Workshop) -> list[shapes.Column]:
    return [shapes.Column(i18n.t(f"report.{c}", ws.language), w) for c, w in FEEDBACK_COLUMNS.items()]


def idea_slides(ws: Workshop, look: Look, title: str, chosen: dict[str, Any],
                extra: Sequence[shapes.Paragraph] = ()) -> None:
    """The chosen idea, where it sits and how customers give feedback, then its feedback log as a table
    (on the same slide when the text leaves room, else on the next)."""
    stages = {a["id"]: a["title"] for a in ws.canvas("idea_board").areas}
    body: list[shapes.Paragraph] = [(chosen["text"], 20.0, True, None)]
    where = " · ".join(v for v in (stages.get(chosen["stage"], chosen["stage"]),
                                    _t(ws, "votes", n=sum(chosen["votes"].values()))) if v)
    body.append((where, shapes.SMALL, False, look.muted))
    if chosen["feedback"]:
        body += [(_t(ws, "feedback"), shapes.BODY, True, None), (chosen["feedback"], shapes.BODY, False, None)]
    body += list(extra)
    rows = feedback_rows(ws, chosen["feedback_log"])
    room = look.content_rect()
    if rows and shapes.paragraphs_height(body, room.width) <= room.height / 2:
        tables(ws, look, title, feedback_columns(ws), rows, above=body)
        return
    text_slides(ws, look, title, body)
    if rows:
        tables(ws, look, _t(ws, "feedback_log"), feedback_columns(ws), rows)


def idea(ws: Workshop, look: Look) -> None:
    chosen = plan.chosen_idea(ws)
    if chosen is None:
        text_slides(ws, look, _t(ws, "idea"), [(_t(ws, "no_idea"), shapes.BODY, False, None)])
        return
    idea_slides(ws, look, _t(ws, "idea"), chosen)


#: The deck in order.
SLIDES: tuple[Builder, ...] = (title, agenda_and_method, observations, hypotheses, vpc, touchpoint_map, curves,
                               idea, todo, kpis)
