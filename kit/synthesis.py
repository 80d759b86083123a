"""Synthesis: what the interviews say about each hypothesis, by one documented rule.

The status rule (the notebooks, the report and the sample data all follow it):

    For each hypothesis count the DISTINCT interviews that gave at least one snippet
    coded "supports" (S) and at least one coded "contradicts" (C).
      confirmed  if S >= 2 and S > C
      refuted    if C >= 2 and C > S
      otherwise  "testing" if the hypothesis is selected for testing, else "open".

Interviews, not snippets, are counted so that one talkative interviewee cannot confirm a
hypothesis alone. Snippets coded "new_insight" never count for a hypothesis: they are
perspectives nobody had hypothesised and are listed by ``new_insights``.

Besides the status this module holds the evidence table, learning-card helpers and the
prefill of the Value Proposition Canvas from confirmed insights. It needs only the
workshop API, so the report and the CLI can call it without widgets.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import i18n

if TYPE_CHECKING:
    import pandas

    from .workshop import Workshop

#: The minimum number of distinct interviews that can decide a hypothesis.
MIN_INTERVIEWS = 2
#: Which customer-profile area of the Value Proposition Canvas takes which hypothesis kind.
PROFILE_AREA = {"job": "jobs", "pain": "pains", "gain": "gains"}
CANVAS = "value_proposition"


@dataclass(frozen=True)
class Tally:
    """The evidence one hypothesis has: distinct interviews and snippets per stance."""

    supporting_interviews: int = 0
    contradicting_interviews: int = 0
    supporting_snippets: int = 0
    contradicting_snippets: int = 0


def decide(supporting: int, contradicting: int, selected: bool) -> str:
    """The status rule above, on interview counts: confirmed, refuted, testing or open."""
    if supporting >= MIN_INTERVIEWS and supporting > contradicting:
        return "confirmed"
    if contradicting >= MIN_INTERVIEWS and contradicting > supporting:
        return "refuted"
    return "testing" if selected else "open"


def tallies(ws: Workshop) -> dict[int, Tally]:
    """Evidence per hypothesis id (every hypothesis appears, with zeros if untested)."""
    interviews: dict[int, dict[str, set[int]]] = {h["id"]: {"supports": set(), "contradicts": set()}
                                                   for h in ws.hypotheses}
    snippets: dict[int, dict[str, int]] = {h: {"supports": 0, "contradicts": 0} for h in interviews}
    for item in ws.evidence:
        hypothesis, stance = item["hypothesis"], item["stance"]
        if hypothesis in interviews and stance in ("supports", "contradicts"):
            interviews[hypothesis][stance].add(item["interview"])
            snippets[hypothesis][stance] += 1
    return {h: Tally(len(seen["supports"]), len(seen["contradicts"]),
                     snippets[h]["supports"], snippets[h]["contradicts"]) for h, seen in interviews.items()}


def statuses(ws: Workshop) -> dict[int, str]:
    """The computed status of every hypothesis, ``{id: "confirmed" | "refuted" | ...}``."""
    counted = tallies(ws)
    return {h["id"]: decide(counted[h["id"]].supporting_interviews, counted[h["id"]].contradicting_interviews,
                            h["selected"]) for h in ws.hypotheses}


def apply_statuses(ws: Workshop) -> dict[int, str]:
    """Store the computed statuses on the hypotheses (one undo step; nothing if unchanged)."""
    computed = statuses(ws)
    changed = {h["id"]: computed[h["id"]] for h in ws.hypotheses if h["status"] != computed[h["id"]]}
    if changed:
        with ws.store.transaction(ws.actor):
            for hypothesis_id, status in changed.items():
                ws.hypotheses.update(hypothesis_id, status=status)
    return computed


def status_counts(ws: Workshop) -> dict[str, int]:
    """How many hypotheses have each status, in the fixed order open, testing, confirmed, refuted."""
    counts = {"open": 0, "testing": 0, "confirmed": 0, "refuted": 0}
    for status in statuses(ws).values():
        counts[status] += 1
    return counts


def label(hypothesis: dict[str, Any]) -> str:
    """Short handle used on charts and in the interview guide: "H3"."""
    return f"H{hypothesis['id']}"


def status_label(status: str, language: str) -> str:
    return i18n.t(f"notebooks.status_{status}", language)


def stance_label(stance: str, language: str) -> str:
    return i18n.t(f"notebooks.stance_{stance}", language)


def status_rows(ws: Workshop) -> list[dict[str, Any]]:
    """One row per hypothesis: handle, kind, statement, votes, selected, S, C, snippets, status."""
    counted, computed = tallies(ws), statuses(ws)
    return [{"id": h["id"], "label": label(h), "kind": h["kind"], "statement": h["statement"],
             "votes": sum(h["votes"].values()), "selected": h["selected"],
             "supporting_interviews": counted[h["id"]].supporting_interviews,
             "contradicting_interviews": counted[h["id"]].contradicting_interviews,
             "supporting_snippets": counted[h["id"]].supporting_snippets,
             "contradicting_snippets": counted[h["id"]].contradicting_snippets,
             "status": computed[h["id"]]} for h in ws.hypotheses]


def evidence_rows(ws: Workshop, hypothesis_id: int | None = None) -> list[dict[str, Any]]:
    """Every coded snippet with its interview's pseudonym (never the real name) and hypothesis."""
    interviews = {i["id"]: i for i in ws.interviews}
    hypotheses = {h["id"]: h for h in ws.hypotheses}
    rows = []
    for item in ws.evidence:
        if hypothesis_id is not None and item["hypothesis"] != hypothesis_id:
            continue
        interview = interviews.get(item["interview"], {})
        hypothesis = hypotheses.get(item["hypothesis"])
        rows.append({"id": item["id"], "interview": interview.get("pseudonym", ""),
                     "segment": interview.get("segment", ""),
                     "hypothesis": label(hypothesis) if hypothesis else "",
                     "stance": item["stance"], "snippet": item["snippet"], "coded_by": item["coded_by"]})
    return rows


def new_insights(ws: Workshop) -> list[dict[str, Any]]:
    """Snippets coded as a new insight: perspectives no hypothesis anticipated."""
    return [row for row in evidence_rows(ws) if row["stance"] == "new_insight"]


def evidence_chart_data(ws: Workshop) -> list[dict[str, Any]]:
    """For a chart of evidence per hypothesis: label, status and both interview/snippet counts."""
    return [{key: row[key] for key in ("id", "label", "kind", "statement", "status", "supporting_interviews",
                                       "contradicting_interviews", "supporting_snippets",
                                       "contradicting_snippets")} for row in status_rows(ws)]


# --------------------------------------------------------------------------- tables
def _frame(rows: list[dict[str, Any]], columns: list[str], language: str,
           localise: dict[str, Any] | None = None) -> pandas.DataFrame:
    """A table with column headers (and chosen cell values) in the workshop language."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for name, translate in (localise or {}).items():
        frame[name] = frame[name].map(lambda value, f=translate: f(value, language))
    return frame.rename(columns={c: column(c, language) for c in columns})


def column(name: str, language: str) -> str:
    """A table column header in the workshop language (falls back to the field name)."""
    key = f"notebooks.col_{name}"
    return i18n.t(key, language) if key in i18n.catalogue() else name


def status_table(ws: Workshop) -> pandas.DataFrame:
    """The synthesis table the team reads: hypothesis, interviews for/against, status."""
    columns = ["label", "kind", "statement", "votes", "supporting_interviews", "contradicting_interviews",
               "supporting_snippets", "contradicting_snippets", "status"]
    return _frame(status_rows(ws), columns, ws.language,
                  {"status": status_label, "kind": lambda k, lang: i18n.t(f"notebooks.kind_{k}", lang)})


def evidence_table(ws: Workshop, hypothesis_id: int | None = None) -> pandas.DataFrame:
    columns = ["hypothesis", "stance", "snippet", "interview", "segment"]
    return _frame(evidence_rows(ws, hypothesis_id), columns, ws.language, {"stance": stance_label})


def new_insights_table(ws: Workshop) -> pandas.DataFrame:
    return _frame(new_insights(ws), ["snippet", "interview", "segment"], ws.language)


# --------------------------------------------------------------------------- learning cards
def learning_card_draft(ws: Workshop, hypothesis_id: int) -> dict[str, Any]:
    """A learning card prefilled from a decided hypothesis: believed and observed are written
    from the record, learned states the outcome; "therefore we will" is left to the team."""
    hypothesis = ws.hypotheses[hypothesis_id]
    tally = tallies(ws)[hypothesis_id]
    total = len({e["interview"] for e in ws.evidence if e["hypothesis"] == hypothesis_id})
    status = statuses(ws)[hypothesis_id]
    lang = ws.language
    return {"hypothesis": hypothesis_id, "believed": hypothesis["statement"],
            "observed": i18n.t("notebooks.card_observed", lang, supporting=tally.supporting_interviews,
                               contradicting=tally.contradicting_interviews, interviews=total),
            "learned": i18n.t(f"notebooks.card_learned_{status}", lang, label=label(hypothesis)),
            "will": "", "author": ws.actor}


def draft_learning_cards(ws: Workshop) -> list[int]:
    """Add a draft card for every confirmed or refuted hypothesis that has none yet.

    Safe to run again: a hypothesis that already has a card gets no second one. Returns the
    ids of the cards added (one undo step)."""
    carded = {c["hypothesis"] for c in ws.learning_cards}
    decided = [h for h, s in statuses(ws).items() if s in ("confirmed", "refuted") and h not in carded]
    if not decided:
        return []
    return ws.learning_cards.add_many([learning_card_draft(ws, h) for h in decided])


def learning_cards_table(ws: Workshop) -> pandas.DataFrame:
    hypotheses = {h["id"]: h for h in ws.hypotheses}
    rows = [{**card, "hypothesis": label(hypotheses[card["hypothesis"]]) if card["hypothesis"] in hypotheses
             else ""} for card in ws.learning_cards]
    return _frame(rows, ["id", "hypothesis", "believed", "observed", "learned", "will"], ws.language)


# --------------------------------------------------------------------------- the canvas
def prefill_canvas(ws: Workshop) -> list[int]:
    """Put every confirmed hypothesis on the customer profile of the Value Proposition Canvas.

    A job goes to customer jobs, a pain to pains, a gain to gains, linked to its hypothesis so
    the canvas shows its evidence count. A hypothesis already on the canvas is left alone, so
    running this again adds nothing. Returns the ids of the items added."""
    canvas = ws.canvas(CANVAS)
    present = {item["hypothesis"] for item in canvas.items() if item["hypothesis"] is not None}
    confirmed = [h for h in ws.hypotheses if statuses(ws)[h["id"]] == "confirmed" and h["id"] not in present]
    added = []
    with ws.store.transaction(ws.actor):
        for hypothesis in confirmed:
            added.append(canvas.add(PROFILE_AREA[hypothesis["kind"]], hypothesis["statement"],
                                    hypothesis=hypothesis["id"], author=ws.actor))
    return added


def profile_evidence_rows(ws: Workshop) -> list[dict[str, Any]]:
    """Customer-profile items that rest on a hypothesis, with interviews for and against."""
    canvas = ws.canvas(CANVAS)
    counted = tallies(ws)
    hypotheses = {h["id"]: h for h in ws.hypotheses}
    areas = {a["id"]: a["title"] for a in canvas.areas}
    rows = []
    for item in canvas.items():
        hypothesis = hypotheses.get(item["hypothesis"])
        if hypothesis is None:
            continue
        tally = counted[hypothesis["id"]]
        rows.append({"id": item["id"], "area": areas.get(item["area"], item["area"]), "text": item["text"],
                     "rank": item["rank"], "hypothesis": label(hypothesis),
                     "supporting_interviews": tally.supporting_interviews,
                     "contradicting_interviews": tally.contradicting_interviews,
                     "status": statuses(ws)[hypothesis["id"]]})
    return rows


def profile_evidence_table(ws: Workshop) -> pandas.DataFrame:
    return _frame(profile_evidence_rows(ws), ["area", "text", "rank", "hypothesis", "supporting_interviews",
                                              "contradicting_interviews", "status"], ws.language,
                  {"status": status_label})


def fit_summary(ws: Workshop) -> dict[str, dict[str, int]]:
    """Fit coverage of the Value Proposition Canvas as numbers: total, addressed, percent."""
    out = {}
    for area, entry in ws.canvas(CANVAS).fit_coverage().items():
        addressed = len(entry["addressed"])
        out[area] = {"total": entry["total"], "addressed": addressed,
                     "percent": round(100 * addressed / entry["total"]) if entry["total"] else 0}
    return out


def fit_table(ws: Workshop) -> pandas.DataFrame:
    canvas = ws.canvas(CANVAS)
    titles = {a["id"]: a["title"] for a in canvas.areas}
    coverage = canvas.fit_coverage()
    items = {i["id"]: i["text"] for i in canvas.items()}
    rows = [{"area": titles.get(area, area), "addressed": f"{len(entry['addressed'])} / {entry['total']}",
             "unaddressed": " · ".join(items[i] for i in entry["unaddressed"])} for area, entry in coverage.items()]
    return _frame(rows, ["area", "addressed", "unaddressed"], ws.language)


def compare_summary(ws: Workshop, name: str, other: str | None = None) -> pandas.DataFrame:
    """Added / removed / changed records per collection between a snapshot and now (or another)."""
    diff = ws.compare(name, other)
    rows = [{"collection": column(collection, ws.language), "added": len(entry["added"]),
             "removed": len(entry["removed"]), "changed": len(entry["changed"])}
            for collection, entry in diff.items()]
    return _frame(rows, ["collection", "added", "removed", "changed"], ws.language)


__all__ = ["MIN_INTERVIEWS", "Tally", "decide", "tallies", "statuses", "apply_statuses", "status_counts",
           "status_rows", "status_table", "evidence_rows", "evidence_table", "new_insights",
           "new_insights_table", "evidence_chart_data", "learning_card_draft", "draft_learning_cards",
           "learning_cards_table", "prefill_canvas", "profile_evidence_rows", "profile_evidence_table",
           "fit_summary", "fit_table", "compare_summary", "label", "status_label", "stance_label", "column",
           "ranking", "ranking_table", "select_top"]


# --------------------------------------------------------------------------- choosing what to test
def ranking(ws: Workshop) -> list[dict[str, Any]]:
    """Hypotheses by dots received (ties: older first), with voters and selection."""
    rows = [{"id": h["id"], "label": label(h), "kind": h["kind"], "statement": h["statement"],
             "votes": sum(h["votes"].values()), "voters": len(h["votes"]), "selected": h["selected"]}
            for h in ws.hypotheses]
    return sorted(rows, key=lambda r: (-r["votes"], r["id"]))


def ranking_table(ws: Workshop) -> pandas.DataFrame:
    return _frame(ranking(ws), ["label", "kind", "statement", "votes", "voters", "selected"], ws.language,
                  {"kind": lambda k, lang: i18n.t(f"notebooks.kind_{k}", lang)})


def select_top(ws: Workshop, n: int) -> list[int]:
    """Choose the ``n`` most-voted hypotheses for testing and unselect the rest (one undo step).

    Running it again with the same votes changes nothing. Returns the chosen ids."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a whole number of hypotheses to test (0 or more), got {n!r}")
    top = {row["id"] for row in ranking(ws)[:n]}
    with ws.store.transaction(ws.actor):
        for hypothesis in ws.hypotheses:
            if hypothesis["selected"] != (hypothesis["id"] in top):
                ws.hypotheses.update(hypothesis["id"], selected=hypothesis["id"] in top)
    return sorted(top)


def test_cards_table(ws: Workshop) -> pandas.DataFrame:
    """One test card per hypothesis: question, what confirms, what refutes, observations it rests on."""
    rows = [{"label": label(h), "statement": h["statement"], "test_question": h["test_question"],
             "confirm_if": h["confirm_if"], "refute_if": h["refute_if"],
             "observations": ", ".join(map(str, h["observations"]))} for h in ws.hypotheses]
    return _frame(rows, ["label", "statement", "test_question", "confirm_if", "refute_if", "observations"],
                  ws.language)
