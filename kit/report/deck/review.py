"""The status-review deck: ``kit export WS --review [--since DATE] --pptx OUT.pptx``.

The same content as the status-review report (kit/report/sections.py, REVIEW_SECTIONS) from the same
data: a :class:`~kit.report.sections.Report` over the protected copy gathers it (so the privacy rules,
``since`` and "done in this period" are the report's), and the workshop deck's slide builders draw it:
KPI trends with their target paths and on/off track, the to-dos done, late and next with the budget,
the chosen idea's feedback log, what changed since the workshop, the next dates.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ... import i18n
from . import shapes, slides
from .look import Look, Rect
from .pages import label as _t
from .pages import tables, text_slides

if TYPE_CHECKING:
    from ..sections import Report

ReviewBuilder = Callable[["Report", Look], None]


def _r(report: Report, key: str, **values: Any) -> str:
    """A text of the status-review report (kit/texts/report.yaml): the deck says what the report says."""
    return i18n.t(f"report.{key}", report.language, **values)


def _columns(report: Report, names: dict[str, float]) -> list[shapes.Column]:
    return [shapes.Column(_r(report, name), weight) for name, weight in names.items()]


def title(report: Report, look: Look) -> None:
    """The workshop's title slide, then the review's facts: period, follow-ups held, the headline figures."""
    slides.title(report.ws, look)
    facts = report.context("review_title")  # the review report's own data, drawn as slides
    last = facts["last"]
    held = str(len(facts["held"]))
    if last:
        held += " (" + _r(report, "last_held", when=report.date(last["held_at"]),
                         kind=_r(report, "followup_" + last["kind"])) + ")"
    lines = [(f"{_r(report, 'review_since')}: "
              f"{report.date(report.since) if report.since else _r(report, 'since_start')}", shapes.BODY, False, None),
             (f"{_r(report, 'followups_held')}: {held}", shapes.BODY, False, None),
             (f"{facts['on_track']}/{facts['kpis']} {_r(report, 'headline_on_track')}", shapes.BODY, True, None),
             (f"{facts['late']} {_r(report, 'headline_late')}", shapes.BODY, True,
              look.alert if facts["late"] else None),
             (_r(report, "budget_used", **facts["budget"]), shapes.BODY, False, None),
             (_r(report, "names_included" if report.include_names else "names_protected"), shapes.SMALL, False,
              look.muted)]
    text_slides(report.ws, look, f"{_r(report, 'review')} · {report.date(report.today)}", lines)


def kpis(report: Report, look: Look) -> None:
    """The KPI table (status by kit.tracking since the last review), the rule in words, a trend chart per KPI."""
    ws = report.ws
    rows = slides.kpi_table_rows(ws, report.since)
    rule = _r(report, "kpi_rule", since=report.date(report.since) if report.since else _r(report, "none"))
    if rows:
        tables(ws, look, _r(report, "review_kpis"), slides.kpi_columns(ws), rows,
               above=[(rule, shapes.SMALL, False, look.muted)])
    else:
        text_slides(ws, look, _r(report, "review_kpis"), [(_r(report, "no_entries"), shapes.BODY, False, None)])
    slides.kpi_trends(ws, look, report.since)


TODO_COLUMNS = {"what": 4.5, "who": 1.6, "due": 1.1, "budget": 1.1, "status": 1.1}


def todos(report: Report, look: Look) -> None:
    """Late, done in this period and next, one table, with the budget used above it."""
    data = report.context("review_todos")
    rows: list[list[str]] = []
    for group, items in ((_r(report, "todos_late", n=len(data["late"])), data["late"]),
                         (_r(report, "todos_done", n=len(data["done"])), data["done"]),
                         (_r(report, "todos_next"), data["next"])):
        rows += [[group if n == 0 else "", a["what"], a["who"], report.date(a["due"]), report.money(a["budget"]),
                  _r(report, "late") if a["late"] else _r(report, f"action_{a['status']}")]
                 for n, a in enumerate(items)] or [[group, _r(report, "no_entries"), "", "", "", ""]]
    columns = [shapes.Column(_t(report.ws, "todo_group"), 1.5), *_columns(report, TODO_COLUMNS)]
    tables(report.ws, look, _r(report, "review_todos"), columns, rows,
           above=[(_r(report, "budget_used", **data["budget"]), shapes.BODY, True, None)])


def feedback(report: Report, look: Look) -> None:
    """The chosen idea and its feedback log, with the mean score and how many the staff have not heard yet."""
    data = report.context("review_feedback")
    heading = _r(report, "review_feedback")
    if data["idea"] is None:
        text_slides(report.ws, look, heading, [(_r(report, "no_chosen_ideas"), shapes.BODY, False, None)])
        return
    extra: list[shapes.Paragraph] = []
    if data["mean_score"]:
        extra.append((_r(report, "mean_score", score=data["mean_score"]), shapes.BODY, False, None))
    if data["unshared"]:
        extra.append((_r(report, "feedback_unshared", n=data["unshared"]), shapes.BODY, True, look.alert))
    slides.idea_slides(report.ws, look, heading, data["idea"], extra)


FIT_COLUMNS = {"fit_area": 3, "then": 1.5, "now": 1.5}
CURVE_COLUMNS = {"persona": 2.5, "stage": 2.5, "curve_then": 1.6, "curve_now": 1.6}


def changes(report: Report, look: Look) -> None:
    """Notes added, removed and changed on the canvas and the map; fit coverage and the curve then and now;
    the follow-ups held (who attended only with ``include_names``)."""
    ws, data = report.ws, report.context("review_changes")
    heading = _r(report, "review_changes")
    changed = data["changed"]
    if changed is None:
        text_slides(ws, look, heading, [(_r(report, "no_workshop_end"), shapes.BODY, False, None)])
    else:
        rows = []
        for c in changed["canvases"].values():
            rows += [[c["title"], _r(report, "added"), t] for t in c["added"]]
            rows += [[c["title"], _r(report, "removed"), t] for t in c["removed"]]
            rows += [[c["title"], _r(report, "changed"), f"{new}\n{_r(report, 'was')} {old}"]
                     for old, new in c["changed"]]
            if not (c["added"] or c["removed"] or c["changed"]):
                rows.append([c["title"], _r(report, "unchanged"), ""])
        above = [(_r(report, "changed_since", name=changed["snapshot"]), shapes.SMALL, False, look.muted)]
        tables(ws, look, heading, [shapes.Column(_t(ws, "canvas"), 2), *_columns(report, {"kind": 1.2}),
                                   shapes.Column(_r(report, "note"), 7)], rows, above=above)
        fit = [[f["area"], _r(report, "addressed_of", a=f["then"][0], t=f["then"][1]),
                _r(report, "addressed_of", a=f["now"][0], t=f["now"][1])] for f in data["fit_rows"]]
        curve = [[c["persona"], c["stage"], c["then"], c["now"]] for c in data["curve_rows"]]
        if curve:
            side_by_side(report, look, _t(ws, "fit_and_curve"),
                         (_columns(report, FIT_COLUMNS), fit), (_columns(report, CURVE_COLUMNS), curve))
        else:
            tables(ws, look, _t(ws, "fit_and_curve"), _columns(report, FIT_COLUMNS), fit,
                   above=[(_r(report, "curve_unchanged"), shapes.BODY, False, None)])
    held(report, look, data["held"])


Table = tuple[Sequence[shapes.Column], Sequence[Sequence[str]]]


def side_by_side(report: Report, look: Look, title: str, left: Table, right: Table) -> None:
    """Two small tables on one slide, left and right, when each fits its half; else each on its own slides."""
    room = look.content_rect()
    half = (room.width - 0.3) / 2
    widths = [shapes.widths(columns, half, rows) for columns, rows in (left, right)]
    if all(len(shapes.table_pages(c, r, w, room.height)) == 1 for (c, r), w in zip((left, right), widths, strict=True)):
        slide, room = shapes.new_slide(look, title)
        for n, ((columns, rows), w) in enumerate(zip((left, right), widths, strict=True)):
            shapes.table(slide, look, Rect(room.left + n * (half + 0.3), room.top, half, room.height), columns, rows,
                         column_widths=w)
        return
    for columns, rows in (left, right):
        tables(report.ws, look, title, columns, rows)


def held(report: Report, look: Look, followups: Sequence[dict[str, Any]]) -> None:
    if not followups:
        return
    """The follow-ups held and what was learned; who attended is personal data, shown only with names included
    (as in the report; the protected copy has emptied it otherwise)."""
    ws = report.ws
    names = report.include_names and any(f["attendees"] for f in followups)
    columns = [*_columns(report, {"when": 1.6, "kind": 1.4}), shapes.Column(_r(report, "learned"), 5)]
    if names:
        columns.append(shapes.Column(_t(ws, "attendees"), 2.2))
    rows = [[report.datetime(f["held_at"]), _r(report, f"followup_{f['kind']}"), f["learned"],
             *([", ".join(f["attendees"])] if names else [])] for f in followups]
    tables(ws, look, _r(report, "followups_held"), columns, rows)


NEXT_COLUMNS = {"when": 1.6, "kind": 1.4, "duration": 1, "team": 1.6, "topic": 4}


def next_dates(report: Report, look: Look) -> None:
    data = report.context("review_next")
    rows = [[report.datetime(f["date"]), _r(report, f"followup_{f['kind']}"),
             _r(report, "minutes", n=f["duration_min"]) if f["duration_min"] else "", f["team"], f["topic"]]
            for f in data["upcoming"]] or [[_r(report, "no_entries"), "", "", "", ""]]
    above = [(p, shapes.SMALL, True, look.alert) for p in data["problems"]]
    tables(report.ws, look, _r(report, "review_next"), _columns(report, NEXT_COLUMNS), rows, above=above)


#: The review deck in order (the status review's REVIEW_SECTIONS).
SLIDES: tuple[ReviewBuilder, ...] = (title, kpis, todos, feedback, changes, next_dates)
