"""Keep at it, between sessions: is a KPI on track, which to-dos are late, what changed since the workshop.

**The on-track rule** (one rule, used by notebook 08, the status review and the workshop report):

1. A KPI without a numeric baseline (value and date) and target (value and date) is ``no_target``.
2. With nothing measured after ``since`` (the last status review or team session held) it is ``no_data``:
   an old figure says nothing about the months since.
3. Otherwise the latest measurement is compared with the straight path from the baseline to the target:
   ``expected = baseline + (target - baseline) * elapsed``, where ``elapsed`` is the share of the time
   from the baseline date to the target date that has passed at the measurement's date (0..1, so after
   the target date the target itself is expected).
4. In the KPI's direction (``higher`` or ``lower`` is better) a value at or beyond the target is
   ``reached``, at or beyond ``expected`` is ``on_track``, anything else ``off_track``.

**Late:** an action whose due date has passed (before ``today``) and that is neither done nor dropped.
Both are derived whenever they are asked for, never stored.

**What changed since the workshop** compares the value proposition canvas and the touchpoint map with
the snapshot called :data:`WORKSHOP_END` (taken by notebook 07 when the workshop ends): notes added,
removed and changed, fit coverage then and now, and the evidence emotion curve then and now.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import access, formats, journey

if TYPE_CHECKING:
    from .store import Change
    from .workshop import Workshop

STATUSES = ("reached", "on_track", "off_track", "no_data", "no_target")
#: The name of the snapshot taken at the end of the workshop (notebook 07); what changed is measured from it.
WORKSHOP_END = "workshop-end"
_COMPARED = ("value_proposition", "touchpoint_map")


def _day(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10])


def expected(kpi: dict[str, Any], on: dt.date) -> float | None:
    """Where the straight path from baseline to target stands on ``on`` (None without both)."""
    base, goal = kpi.get("baseline_value"), kpi.get("target_value")
    start, end = _day(kpi.get("baseline_date")), _day(kpi.get("target_date"))
    if base is None or goal is None or start is None or end is None or end <= start:
        return None
    share = min(max((on - start).days / (end - start).days, 0.0), 1.0)
    return float(base + (goal - base) * share)


def kpi_status(kpi: dict[str, Any], since: str | dt.date | None = None) -> str:
    """One of :data:`STATUSES` for ``kpi`` by the rule above; ``since``: the last review (None: any time)."""
    measurements = kpi.get("measurements") or []
    if expected(kpi, dt.date.today()) is None:  # the numbers are missing, whatever the day
        return "no_target"
    measured = dt.date.fromisoformat(measurements[-1]["date"]) if measurements else None
    after = _day(since)
    if measured is None or (after is not None and measured <= after):
        return "no_data"
    sign = 1 if kpi.get("direction", "higher") != "lower" else -1
    value, goal = float(measurements[-1]["value"]), float(kpi["target_value"])
    if sign * (value - goal) >= 0:
        return "reached"
    return "on_track" if sign * (value - (expected(kpi, measured) or 0.0)) >= 0 else "off_track"


def is_late(action: dict[str, Any], today: dt.date | None = None) -> bool:
    """Due before ``today`` and neither done nor dropped."""
    due = _day(action.get("due"))
    return due is not None and due < (today or dt.date.today()) and action.get("status") not in ("done", "dropped")


def actions_late_first(ws: Workshop, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every action with ``late`` set: late ones first (oldest due first), then open by due date, done last."""
    rows = [{**a, "late": is_late(a, today)} for a in ws.actions]
    order = {"doing": 1, "open": 1, "done": 2, "dropped": 3}
    return sorted(rows, key=lambda a: (not a["late"], order[a["status"]], a["due"] is None, a["due"] or "", a["id"]))


def budget_used(ws: Workshop) -> float:
    """Budget of the actions done (what has been spent) - beside ``plan.budget_total`` (all not dropped)."""
    return float(sum(a["budget"] or 0 for a in ws.actions if a["status"] == "done"))


# --------------------------------------------------------------------------- follow-ups held
def held(ws: Workshop) -> list[dict[str, Any]]:
    """The follow-ups that took place, oldest first."""
    return sorted((f for f in ws.followups if f["held_at"]), key=lambda f: (f["held_at"], f["id"]))


def upcoming(ws: Workshop) -> list[dict[str, Any]]:
    """The follow-ups not held yet, soonest first."""
    return sorted((f for f in ws.followups if not f["held_at"]), key=lambda f: (f["date"], f["id"]))


def last_review(ws: Workshop, before: str | dt.date | None = None) -> str | None:
    """The date of the newest follow-up held before ``before`` (default: ever), as ISO text."""
    limit = _day(before)
    dates = [f["held_at"][:10] for f in held(ws) if limit is None or _day(f["held_at"]) < limit]  # type: ignore[operator]
    return dates[-1] if dates else None


def mark_held(ws: Workshop, followup_id: int, *, when: str | dt.datetime | None = None,
              attendees: list[str] | None = None, minutes: str = "", learned: str = "") -> dict[str, Any]:
    """Record that follow-up ``followup_id`` took place (now unless ``when``); empty texts keep what is stored."""
    changes: dict[str, Any] = {"held_at": when or ws.followups[followup_id]["held_at"] or dt.datetime.now()}
    if attendees is not None:
        changes["attendees"] = attendees
    if minutes.strip():
        changes["minutes"] = minutes
    if learned.strip():
        changes["learned"] = learned
    return ws.followups.update(followup_id, **changes)


def changes_of(ws: Workshop, followup_id: int) -> list[Change]:
    """The changes that belong to a follow-up held: logged from its day until the day the next one was held
    (derived from the change log's times, never stored twice); none for one not held."""
    sessions = held(ws)
    mine = next((i for i, f in enumerate(sessions) if f["id"] == followup_id), None)
    if mine is None:
        return []
    start = sessions[mine]["held_at"][:10]
    end = sessions[mine + 1]["held_at"][:10] if mine + 1 < len(sessions) else "9999"
    return [c for c in ws.store.changes() if start <= c.ts[:10] < end]


#: A follow-up counts as today's session when its planned date is at most this many days away.
SESSION_WINDOW_DAYS = 7


def current_followup(ws: Workshop, today: dt.date | None = None) -> dict[str, Any] | None:
    """The follow-up this session is: one held today, else the one not held whose planned date is nearest,
    if that is at most :data:`SESSION_WINDOW_DAYS` away (else None: nothing is planned around today)."""
    day = today or dt.date.today()
    today_held = [f for f in held(ws) if _day(f["held_at"]) == day]
    if today_held:
        return today_held[-1]
    pending = upcoming(ws)
    if not pending:
        return None
    nearest: dict[str, Any] = min(pending, key=lambda f: abs((_day(f["date"]) - day).days))  # type: ignore[operator]
    return nearest if abs((_day(nearest["date"]) - day).days) <= SESSION_WINDOW_DAYS else None  # type: ignore[operator]


def kpi_rows(ws: Workshop, since: str | dt.date | None = None) -> list[dict[str, Any]]:
    """Per KPI: baseline, target, latest, the expected value on the latest's date, and the status."""
    rows = []
    for kpi in ws.kpis:
        latest = kpi["measurements"][-1] if kpi["measurements"] else None
        rows.append({**kpi, "latest": latest, "status": kpi_status(kpi, since),
                     "expected": expected(kpi, _day(latest["date"])) if latest else None})  # type: ignore[arg-type]
    return rows


def add_feedback(ws: Workshop, idea_id: int, *, date: str | dt.date, said: str, channel: str = "",
                 score: int | None = None) -> dict[str, Any]:
    """Append one customer feedback entry to an idea's log (one undo step)."""
    entry = {"date": date, "channel": channel, "said": said, "score": score, "shared_with_staff": None}
    with ws.store.transaction(ws.actor):  # read and write as one: a concurrent entry is never lost
        return ws.ideas.update(idea_id, feedback_log=[*ws.ideas[idea_id]["feedback_log"], entry])


def share_feedback(ws: Workshop, idea_id: int, on: str | dt.date | None = None) -> int:
    """Mark every entry of the idea's log the staff have not heard yet as shared on ``on`` (today);
    returns how many were marked."""
    day = _day(on) or dt.date.today()
    with ws.store.transaction(ws.actor):
        log = ws.ideas[idea_id]["feedback_log"]
        fresh = [e for e in log if not e["shared_with_staff"]]
        if fresh:
            ws.ideas.update(idea_id, feedback_log=[{**e, "shared_with_staff": e["shared_with_staff"] or day.isoformat()}
                                                   for e in log])
    return len(fresh)


#: The canvas on which the teams put up, in the room at a follow-up session, what customers said about the idea.
FEEDBACK_BOARD = "idea_feedback"


def feedback_from_board(ws: Workshop, idea_id: int, on: str | dt.date | None = None) -> int:
    """Take the notes of the feedback board (:data:`FEEDBACK_BOARD`) into the idea's feedback log, dated ``on``
    (today): what the customer said is the note, the score its column's, the channel its colour's label. A note
    already in the log (same words, score and channel) and a note still hidden are left out; one undo step.
    The facilitator's (kit.access); returns how many entries were added."""
    access.check_facilitator(ws.viewer(), "feedback")
    canvas = ws.canvas(FEEDBACK_BOARD)
    scores, channels = {a["id"]: a.get("score") for a in canvas.areas}, canvas.color_labels
    day = (_day(on) or dt.date.today()).isoformat()
    with ws.store.transaction(ws.actor):  # read and write as one: nothing taken twice, nothing lost
        log = ws.ideas[idea_id]["feedback_log"]
        known = {(e["said"], e["score"], e["channel"]) for e in log}
        fresh = []
        for note in canvas.items():
            entry = {"date": day, "channel": channels.get(note["color"] or "", ""), "said": note["text"],
                     "score": scores[note["area"]], "shared_with_staff": None}
            if not note["hidden"] and (entry["said"], entry["score"], entry["channel"]) not in known:
                known.add((entry["said"], entry["score"], entry["channel"]))
                fresh.append(entry)
        if fresh:
            ws.ideas.update(idea_id, feedback_log=[*log, *fresh])
    return len(fresh)


# --------------------------------------------------------------------------- since the workshop
@contextmanager
def _opened(doc: dict[str, Any]) -> Iterator[Workshop]:
    """A throw-away workshop holding ``doc`` (a snapshot), to ask it what the live one is asked."""
    from .workshop import Workshop

    folder = Path(tempfile.mkdtemp(prefix="kit-then-"))
    try:
        then = Workshop(formats.load_into_new(folder / "then.workshop", doc, "snapshot", "snapshot"), "snapshot")
        try:
            yield then
        finally:
            then.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def workshop_end(ws: Workshop) -> str | None:
    """The name of the snapshot taken at the workshop's end (the newest one called so), if any."""
    names = [s["name"] for s in ws.snapshots() if s["name"].startswith(WORKSHOP_END)]
    return names[-1] if names else None


def _notes(canvas: Any) -> dict[int, str]:
    return {i["id"]: i[canvas.text_field] for i in canvas.items()}


def _coverage(ws: Workshop) -> dict[str, tuple[int, int]]:
    coverage = ws.canvas("value_proposition").fit_coverage()
    return {area: (len(c["addressed"]), c["total"]) for area, c in coverage.items()}


def _curve(ws: Workshop) -> dict[str, list[float | None]]:
    canvas = ws.canvas("touchpoint_map")
    stages = [a["id"] for a in canvas.areas]
    return {persona: [p.mean for p in points]
            for persona, points in journey.by_stage(ws, stages, canvas.items()).items()}


def since_workshop(ws: Workshop) -> dict[str, Any] | None:
    """What changed on the value proposition canvas and the touchpoint map since the workshop ended.

    ``{"snapshot": name, "canvases": {canvas id: {"title", "added", "removed", "changed"}} (note texts),
    "fit": {area: {"then": (addressed, total), "now": (...)}}, "stages": [titles],
    "curve": {persona: {"then": [mean per stage], "now": [...]}}}``; None without the snapshot."""
    name = workshop_end(ws)
    if name is None:
        return None
    doc = ws.store.load_snapshot(name)
    with _opened(doc) as then:
        canvases = {}
        for canvas_id in _COMPARED:
            before, after = _notes(then.canvas(canvas_id)), _notes(ws.canvas(canvas_id))
            canvases[canvas_id] = {
                "title": ws.canvas(canvas_id).title,
                "added": [after[i] for i in sorted(after.keys() - before.keys())],
                "removed": [before[i] for i in sorted(before.keys() - after.keys())],
                "changed": [(before[i], after[i]) for i in sorted(before.keys() & after.keys())
                            if before[i] != after[i]]}
        fit_then, curve_then = _coverage(then), _curve(then)
    fit_now, curve_now = _coverage(ws), _curve(ws)
    stages = [a["title"] for a in ws.canvas("touchpoint_map").areas]
    empty: list[float | None] = [None] * len(stages)
    return {"snapshot": name, "canvases": canvases,
            "fit": {area: {"then": fit_then.get(area, (0, 0)), "now": fit_now[area]} for area in fit_now},
            "stages": stages,
            "curve": {p: {"then": curve_then.get(p, empty), "now": curve_now.get(p, empty)}
                      for p in dict.fromkeys([*curve_then, *curve_now])}}


def added_touchpoints(ws: Workshop) -> set[int]:
    """Ids of the touchpoints added after the workshop (not in its end snapshot; none without it)."""
    name = workshop_end(ws)
    if name is None:
        return set()
    then = {t["id"] for t in ws.store.load_snapshot(name).get("touchpoints", [])}
    return {t["id"] for t in ws.touchpoints if t["id"] not in then}


__all__ = [
    "SESSION_WINDOW_DAYS",
    "STATUSES",
    "WORKSHOP_END",
    "actions_late_first",
    "add_feedback",
    "added_touchpoints",
    "budget_used",
    "changes_of",
    "current_followup",
    "expected",
    "held",
    "is_late",
    "kpi_rows",
    "kpi_status",
    "last_review",
    "mark_held",
    "share_feedback",
    "since_workshop",
    "upcoming",
    "workshop_end",
]
