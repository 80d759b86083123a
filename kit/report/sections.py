"""The chapters of the workshop report, each one HTML fragment drawn from the stored workshop.

Each report notebook cell calls ``report.section(name)``. A section gathers its data from
the kit (agenda, synthesis, plan, canvases, figures from kit.render) and renders one Jinja
partial from ``partials/`` with autoescaping on, so every user text is escaped; only
figures produced by kit.render are inserted as markup. The report reads a protected copy
of the workshop (see privacy.py), never the original.
"""
from __future__ import annotations

import datetime as _dt
import functools
from collections import Counter
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import markupsafe

from .. import i18n, tracking
from ..canvases import available
from ..errors import NotFound
from .privacy import protected_copy

PARTIALS = Path(__file__).resolve().parent / "partials"

#: The report's chapters in order; ``canvases`` holds canvas types the fixed chapters don't show.
SECTIONS = ("title", "agenda", "observations", "hypotheses", "learning", "value_proposition",
            "touchpoints", "ideas", "plan", "progress", "canvases", "appendix")
#: The status review for management (``kit export --review``): 2-4 pages, same exporter and privacy rules.
REVIEW_SECTIONS = ("review_title", "review_kpis", "review_todos", "review_feedback", "review_changes",
                   "review_next")
#: Canvases a fixed chapter shows (chapter -> canvas ids, drawn in this order).
CHAPTER_CANVASES = {"observations": ("observation_board", "empathy_map"), "hypotheses": ("hypothesis_board",),
                    "value_proposition": ("value_proposition",), "touchpoints": ("touchpoint_map",),
                    "ideas": ("idea_board",)}


class Section:
    """One chapter as HTML; displays as HTML in a kernel and in nbconvert."""

    def __init__(self, name: str, html: str):
        self.name, self.html = name, html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<report section {self.name}: {len(self.html):,} characters of HTML>"


def chart(name: str, *args: Any) -> markupsafe.Markup:
    """A kit.render chart inline as SVG (vector, no files, no network; user text escaped by kit.render)."""
    from .. import render

    return markupsafe.Markup(render.chart_svg(name, *args))  # noqa: S704 - drawn by kit.render


@functools.lru_cache(maxsize=1)
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PARTIALS), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


# ------------------------------------------------------------------------------- the report
class Report:
    """A report over a protected copy of a workshop: ``section(name)`` renders one chapter."""

    def __init__(self, path: str | Path, *, include_names: bool = False, redact: Iterable[str] = (),
                 since: str | None = None):
        import kit

        self._stack = ExitStack()
        original = self._stack.enter_context(kit.open(path, actor="report"))
        self.ws = self._stack.enter_context(protected_copy(original, include_names=include_names,
                                                           redact=list(redact)))
        self._original = original  # only its change log is read (when to-dos were done): no text from it
        self.include_names = include_names
        self.language = self.ws.language
        self.today = _dt.date.today()
        #: the status review covers what happened after this date: given, else the last follow-up held before today
        self.since: str | None = since or tracking.last_review(self.ws, before=self.today)
        self._cache: dict[str, Any] = {}

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Report:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers shared by the partials
    def t(self, key: str, **values: Any) -> str:
        return i18n.t(f"report.{key}", self.language, **values)

    def date(self, value: Any) -> str:
        return i18n.format_date(value, self.language)

    def datetime(self, value: Any) -> str:
        return i18n.format_datetime(value, self.language)

    def number(self, value: Any) -> str:
        return i18n.format_number(value, self.language)

    def money(self, value: Any) -> str:
        return i18n.format_money(value, self.language)

    def canvas_ids(self) -> list[str]:
        """Every canvas type with something on it (value proposition and touchpoints always)."""
        if "canvas_ids" not in self._cache:
            used = {item["canvas"] for item in self.ws.canvas_items}
            self._cache["canvas_ids"] = [
                canvas_id for canvas_id in available()
                if canvas_id in ("value_proposition", "touchpoint_map") or canvas_id in used
                or self.ws.canvas(canvas_id).items()]
        ids: list[str] = self._cache["canvas_ids"]
        return ids

    def canvas_block(self, canvas_id: str) -> dict[str, Any]:
        """A canvas on its landscape page (figure by kit.render) plus every note as text."""
        from .. import render

        canvas = self.ws.canvas(canvas_id)
        items = canvas.items()
        counts = canvas.evidence_counts()
        by_id = {item["id"]: item for item in items}
        areas = []
        for area in canvas.areas:
            notes = []
            for item in items:
                if item[canvas.area_field] != area["id"]:
                    continue
                fits = [by_id[i][canvas.text_field] for i in item.get("fit") or [] if i in by_id]
                notes.append({"text": item[canvas.text_field], "rank": item.get("rank"),
                              "votes": sum((item.get("votes") or {}).values()),
                              "evidence": counts.get(item["id"]), "fits": fits,
                              "details": self._item_details(canvas_id, item)})
            areas.append({"title": area["title"], "question": area["question"], "notes": notes})
        svg, _ = render.canvas_svg(canvas)
        return {"id": canvas_id, "title": canvas.title, "figure": markupsafe.Markup(svg),  # noqa: S704 - as chart()
                "areas": areas, "count": len(items)}

    def _item_details(self, canvas_id: str, item: dict[str, Any]) -> list[str]:
        """Small print under a note in the detail list: where it came from."""
        if canvas_id == "touchpoint_map":
            parts = [item.get("channel"), item.get("owner")]
            rating = f"{self.t('ist')} {item['ist_rating'] or '–'} → {self.t('soll')} {item['soll_target'] or '–'}"
            return [p for p in parts if p] + [rating]
        if canvas_id == "observation_board":
            return [p for p in (item.get("who"), item.get("touchpoint"), self.datetime(item.get("when"))) if p]
        if canvas_id == "hypothesis_board":
            return [self.t(f"status_{self.statuses()[item['id']]}")]
        return []

    def statuses(self) -> dict[int, str]:
        if "statuses" not in self._cache:
            from .. import synthesis

            self._cache["statuses"] = synthesis.statuses(self.ws)
        statuses: dict[int, str] = self._cache["statuses"]
        return statuses

    # -- chapters
    def section(self, name: str) -> Section:
        html = environment().get_template(f"{name}.html.j2").render(r=self, **self.context(name))
        return Section(name, html)

    def context(self, name: str) -> dict[str, Any]:
        """What chapter ``name`` shows, as data (its template draws it; the slide deck draws the same)."""
        if name not in SECTIONS + REVIEW_SECTIONS:
            raise NotFound("report.no_section", name=name, sections=", ".join(SECTIONS + REVIEW_SECTIONS))
        data: dict[str, Any] = getattr(self, f"_{name}")()
        return data

    def _title(self) -> dict[str, Any]:
        info = self.ws.info
        return {"info": info, "counts": {k: len(getattr(self.ws, k)) for k in
                                         ("observations", "hypotheses", "interviews", "evidence")}}

    def _agenda(self) -> dict[str, Any]:
        from .. import agenda

        steps = agenda.steps(self.language)
        total = agenda.total_minutes()
        return {"steps": steps, "total": self.t("minutes", n=total),
                "starts": {row["id"]: row["starts_after"] for row in agenda.overview(self.ws)}}

    def _observations(self) -> dict[str, Any]:
        rows = self.ws.observations.all()

        def by(field: str) -> list[tuple[str, int]]:
            return Counter(r[field] or self.t("none") for r in rows).most_common()

        kinds = Counter(r["kind"] for r in rows)
        board = self.ws.canvas("observation_board")
        kind_titles = {a["id"]: a["title"] for a in board.areas}
        return {"count": len(rows), "observers": len({r["observed_by"] for r in rows if r["observed_by"]}),
                "teams": len({r["team"] for r in rows if r["team"]}),
                "by_kind": [(kind_titles.get(k, k), n) for k, n in kinds.most_common()],
                "by_persona": by("who"), "by_touchpoint": by("touchpoint")[:12],
                "chart": chart("observations_chart", self.ws) if rows else None,
                "canvases": [self.canvas_block(c) for c in CHAPTER_CANVASES["observations"]
                             if c in self.canvas_ids()]}

    def _hypotheses(self) -> dict[str, Any]:
        from .. import synthesis

        rows = {r["id"]: r for r in synthesis.status_rows(self.ws)}
        counts = Counter(r["status"] for r in rows.values())
        hypotheses = [{**h, **rows[h["id"]]} for h in self.ws.hypotheses]
        hypotheses.sort(key=lambda h: ("confirmed", "refuted", "testing", "open").index(h["status"]))
        return {"hypotheses": hypotheses, "counts": {s: counts.get(s, 0) for s in
                                                     ("confirmed", "refuted", "testing", "open")},
                "chart": chart("evidence_chart", self.ws) if hypotheses else None,
                "canvases": [self.canvas_block("hypothesis_board")] if hypotheses else []}

    def _learning(self) -> dict[str, Any]:
        from .. import synthesis

        hypotheses = {h["id"]: h for h in self.ws.hypotheses}
        cards = [{**c, "about": hypotheses.get(c["hypothesis"])} for c in self.ws.learning_cards]
        return {"cards": cards, "insights": synthesis.new_insights(self.ws)}

    def _value_proposition(self) -> dict[str, Any]:
        canvas = self.ws.canvas("value_proposition")
        coverage = canvas.fit_coverage()
        titles = {a["id"]: a["title"] for a in canvas.areas}
        texts = {i["id"]: i["text"] for i in canvas.items()}
        fit = [{"area": titles.get(area, area), "addressed": len(c["addressed"]), "total": c["total"]}
               for area, c in coverage.items()]
        unaddressed = [texts[i] for i in coverage.get("pains", {}).get("unaddressed", [])]
        return {"block": self.canvas_block("value_proposition"), "fit": fit, "unaddressed": unaddressed,
                "has_pains": bool(coverage.get("pains", {}).get("total")), "attribution": canvas.attribution}

    def _touchpoints(self) -> dict[str, Any]:
        has = bool(len(self.ws.touchpoints))
        return {"block": self.canvas_block("touchpoint_map"),
                "emotion": chart("emotion_curve", self.ws) if has else None,
                "gaps": chart("gap_heatmap", self.ws) if has else None,
                "journey": self._journey() if has else None}

    def _journey(self) -> dict[str, Any]:
        """The evidence curve as a table: per persona and stage n, mean, spread, estimate, flag, quotes."""
        from .. import journey

        rows = [{"persona": persona, "stage": stage["title"], "n": p.n, "mean": self._signed(p.mean),
                 "spread": self._signed(p.spread, sign=False), "team": self._signed(p.team), "flag": p.flag,
                 "quotes": [{**q.as_dict(), "score": self._signed(q.score)} for q in p.quotes]}
                for persona, stage, p in journey.evidence_rows(self.ws)]
        scored = {row["persona"] for row in rows}
        estimated = journey.personas(self.ws)
        has_estimate = {p for tp in self.ws.touchpoints for p in (tp.get("emotion") or {})}
        return {"rows": rows, "texts": i18n.texts("journey", self.language),
                "without": [p for p in estimated if p in has_estimate and p not in scored]}

    def _signed(self, value: float | None, *, sign: bool = True) -> str:
        """-0.83 -> "\u22120,8" (de) / "\u22120.8" (en) with a real minus sign; a dash for None."""
        if value is None:
            return "\u2013"
        text = self.number(round(abs(value), 1))
        return ("\u2212" if value < 0 else "+" if sign and value > 0 else "") + text

    def _ideas(self) -> dict[str, Any]:
        touchpoints = {t["id"]: t for t in self.ws.touchpoints}
        chosen = [{**i, "at": touchpoints.get(i["touchpoint"])} for i in self.ws.ideas if i["selected"]]
        canvases = [self.canvas_block("idea_board")] if "idea_board" in self.canvas_ids() else []
        return {"chosen": chosen, "canvases": canvases}

    def _plan(self) -> dict[str, Any]:
        from .. import plan

        actions = sorted(self.ws.actions, key=lambda a: (a["due"] is None, a["due"] or "", a["id"]))
        followups = sorted(self.ws.followups, key=lambda f: (f["date"], f["id"]))
        return {"actions": actions, "budget": plan.budget_total(self.ws), "kpis": self.ws.kpis.all(),
                "followups": followups, "problems": plan.check(self.ws) if followups else []}

    def _canvases(self) -> dict[str, Any]:
        shown = {c for ids in CHAPTER_CANVASES.values() for c in ids}
        return {"blocks": [self.canvas_block(c) for c in self.canvas_ids() if c not in shown]}

    def _appendix(self) -> dict[str, Any]:
        """Quotes grouped by the hypothesis they speak to, each group naming the canvas notes
        that rest on it: every note's evidence, printed once (linear in quotes plus notes)."""
        from .. import synthesis

        interviews = {i["id"]: i for i in self.ws.interviews}
        quotes: dict[int, list[dict[str, Any]]] = {}
        for snippet in self.ws.evidence:
            if snippet["hypothesis"] is not None:
                quotes.setdefault(snippet["hypothesis"], []).append(
                    {**snippet, "by": interviews.get(snippet["interview"], {})})
        notes: dict[int, list[tuple[str, str]]] = {}
        for canvas_id in self.canvas_ids():
            canvas = self.ws.canvas(canvas_id)
            if canvas.declaration["source"] == "hypotheses" or "hypothesis" not in canvas.collection.kind.field_names:
                continue
            for item in canvas.items():
                if item["hypothesis"]:
                    notes.setdefault(item["hypothesis"], []).append((canvas.title, item[canvas.text_field]))
        groups = [{"hypothesis": h, "label": synthesis.label(h), "notes": notes.get(h["id"], []),
                   "quotes": quotes.get(h["id"], [])}
                  for h in self.ws.hypotheses if quotes.get(h["id"]) or notes.get(h["id"])]
        return {"groups": groups, "interviews": self.ws.interviews.all()}

    # -- keeping at it: the status review and the workshop report's "progress since the workshop"
    def _progress(self) -> dict[str, Any]:
        """Shown once a follow-up has been held: KPI trends, to-dos, idea feedback and what changed."""
        if not tracking.held(self.ws):
            return {"shown": False}
        return {"shown": True, **self._review_kpis(), **self._review_todos(), **self._review_feedback(),
                **self._review_changes()}

    def _review_title(self) -> dict[str, Any]:
        rows = tracking.kpi_rows(self.ws, self.since)
        counts = Counter(r["status"] for r in rows)
        held = tracking.held(self.ws)
        return {"info": self.ws.info, "held": held, "last": held[-1] if held else None,
                "on_track": counts["on_track"] + counts["reached"], "kpis": len(rows),
                "late": sum(tracking.is_late(a, self.today) for a in self.ws.actions),
                "budget": self._budget()}

    def _budget(self) -> dict[str, str]:
        from .. import plan

        return {"used": self.money(tracking.budget_used(self.ws)), "total": self.money(plan.budget_total(self.ws))}

    def _review_kpis(self) -> dict[str, Any]:
        rows = tracking.kpi_rows(self.ws, self.since)
        return {"kpi_rows": [{**r, "chart": chart("kpi_trend", r, r["status"], self.language)}
                             for r in rows]}

    def _review_todos(self) -> dict[str, Any]:
        actions = tracking.actions_late_first(self.ws, self.today)
        done = self._done_since()
        return {"late": [a for a in actions if a["late"]],
                "done": [a for a in actions if a["id"] in done],
                "next": [a for a in actions if not a["late"] and a["status"] in ("open", "doing")][:8],
                "budget": self._budget()}

    def _done_since(self) -> set[int]:
        """Actions marked done after ``since``, from the times in the workshop's change log (the protected copy
        has no history); all done ones without ``since``."""
        done = {a["id"] for a in self.ws.actions if a["status"] == "done"}
        if self.since is None:
            return done
        return done & {c.record_id for c in self._original.store.changes() if c.kind == "action" and c.after
                       and c.after.get("status") == "done" and c.ts[:10] > self.since}

    def _review_feedback(self) -> dict[str, Any]:
        from .. import plan

        idea = plan.chosen_idea(self.ws)
        log = idea["feedback_log"] if idea else []
        scores = [e["score"] for e in log if e["score"] is not None]
        return {"idea": idea, "feedback": log, "unshared": sum(1 for e in log if not e["shared_with_staff"]),
                "mean_score": self._signed(sum(scores) / len(scores)) if scores else None}

    def _review_changes(self) -> dict[str, Any]:
        changed = tracking.since_workshop(self.ws)
        if changed is None:
            return {"changed": None, "curve_rows": [], "held": tracking.held(self.ws)}
        stages = changed["stages"]
        curve_rows = [{"persona": persona, "stage": stage, "then": self._signed(then), "now": self._signed(now)}
                      for persona, c in changed["curve"].items()
                      for stage, then, now in zip(stages, c["then"], c["now"], strict=True)
                      if then != now]  # where the interviews since the workshop moved the curve
        areas = {a["id"]: a["title"] for a in self.ws.canvas("value_proposition").areas}
        fit = [{"area": areas.get(area, area), "then": f["then"], "now": f["now"]}
               for area, f in changed["fit"].items()]
        return {"changed": changed, "fit_rows": fit, "curve_rows": curve_rows, "held": tracking.held(self.ws)}

    def _review_next(self) -> dict[str, Any]:
        from .. import plan

        return {"upcoming": tracking.upcoming(self.ws)[:6], "problems": plan.check(self.ws) if len(self.ws.followups)
                else []}
