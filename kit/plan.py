"""Keep at it: the to-do plan, the KPIs and the follow-up cadence, exported as an .ics calendar.

The cadence follows the method: after the workshop 2-3 team sessions of about four hours,
3-4 weeks apart, focused on shared learning, plus a monthly one-hour status review with
management. ``propose`` writes such a cadence; ``check`` says where a stored one departs
from it; ``to_ics`` exports every follow-up with the icalendar library (RFC 5545), so any
calendar program can import it offline.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .errors import UsageError

if TYPE_CHECKING:
    import pandas

    from .workshop import Workshop

SESSIONS = (2, 3)  # team sessions after the workshop
WEEKS_APART = (3, 4)  # between two team sessions
SESSION_MINUTES = 240
REVIEW_MINUTES = 60
REVIEW_DAYS = (25, 35)  # "monthly", allowing for month lengths and moved dates
SESSION_TIME = dt.time(9, 0)
REVIEW_TIME = dt.time(14, 0)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def cadence(workshop_day: dt.date, *, sessions: int = 3, weeks_apart: int = 4, reviews: int = 3,
            team: str = "", language: str = "en") -> list[dict[str, Any]]:
    """Follow-up records for a workshop held on ``workshop_day`` (nothing is stored).

    The first team session is ``weeks_apart`` weeks after the workshop, the next ones
    ``weeks_apart`` weeks after each other; status reviews are monthly from one month after."""
    if not SESSIONS[0] <= sessions <= SESSIONS[1]:
        raise UsageError("method.sessions", lo=SESSIONS[0], hi=SESSIONS[1], got=sessions)
    if not WEEKS_APART[0] <= weeks_apart <= WEEKS_APART[1]:
        raise UsageError("method.weeks_apart", lo=WEEKS_APART[0], hi=WEEKS_APART[1], got=weeks_apart)
    if not 1 <= reviews <= 24:
        raise UsageError("method.reviews", lo=1, hi=24, got=reviews)
    out = []
    for n in range(1, sessions + 1):
        day = workshop_day + dt.timedelta(weeks=weeks_apart * n)
        out.append({"kind": "team_session", "date": dt.datetime.combine(day, SESSION_TIME),
                    "duration_min": SESSION_MINUTES, "team": team,
                    "topic": i18n.t("notebooks.plan_session_topic", language, n=n, total=sessions)})
    for n in range(1, reviews + 1):
        out.append({"kind": "status_review",
                    "date": dt.datetime.combine(add_months(workshop_day, n), REVIEW_TIME),
                    "duration_min": REVIEW_MINUTES, "team": "",
                    "topic": i18n.t("notebooks.plan_review_topic", language, n=n)})
    return out


def workshop_day(ws: Workshop) -> dt.date:
    """The workshop's date, or today if none was set."""
    date = ws.info["date"]
    return dt.date.fromisoformat(date) if date else dt.date.today()


def propose(ws: Workshop, *, sessions: int = 3, weeks_apart: int = 4, reviews: int = 3) -> list[int]:
    """Store the standard cadence unless the workshop already has follow-ups (safe to rerun).

    Returns the ids of the follow-ups added; an empty list when some already existed."""
    if len(ws.followups):
        return []
    teams = ", ".join(ws.info["teams"])
    return ws.followups.add_many(cadence(workshop_day(ws), sessions=sessions, weeks_apart=weeks_apart,
                                         reviews=reviews, team=teams, language=ws.language))


def _dates(ws: Workshop, kind: str) -> list[dt.datetime]:
    return sorted(dt.datetime.fromisoformat(f["date"]) for f in ws.followups if f["kind"] == kind)


def check(ws: Workshop) -> list[str]:
    """Where the stored cadence departs from the method, in the workshop language ([] = on track)."""
    lang, problems = ws.language, []
    sessions, reviews = _dates(ws, "team_session"), _dates(ws, "status_review")
    if not SESSIONS[0] <= len(sessions) <= SESSIONS[1]:
        problems.append(i18n.t("notebooks.plan_check_sessions", lang, count=len(sessions)))
    for before, after in itertools.pairwise(sessions):
        days = (after.date() - before.date()).days
        if not 7 * WEEKS_APART[0] <= days <= 7 * WEEKS_APART[1]:
            problems.append(i18n.t("notebooks.plan_check_gap", lang, first=before.date().isoformat(),
                                   second=after.date().isoformat(), days=days))
    if not reviews:
        problems.append(i18n.t("notebooks.plan_check_no_review", lang))
    for before, after in itertools.pairwise(reviews):
        days = (after.date() - before.date()).days
        if not REVIEW_DAYS[0] <= days <= REVIEW_DAYS[1]:
            problems.append(i18n.t("notebooks.plan_check_review_gap", lang, first=before.date().isoformat(),
                                   second=after.date().isoformat(), days=days))
    return problems


def session_gaps(ws: Workshop) -> list[int]:
    """Days between consecutive team sessions (the method asks for 21..28)."""
    sessions = _dates(ws, "team_session")
    return [(b.date() - a.date()).days for a, b in itertools.pairwise(sessions)]


# --------------------------------------------------------------------------- calendar
def planned_minutes(followup: dict[str, Any]) -> int:
    """How long a follow-up is planned to take: its own duration, else a team session's or a status review's."""
    return int(followup["duration_min"] or (SESSION_MINUTES if followup["kind"] == "team_session"
                                            else REVIEW_MINUTES))


def calendar_bytes(ws: Workshop) -> bytes:
    """Every follow-up as an RFC 5545 calendar (floating local times, stable UIDs; SEQUENCE counts the
    moves, so a calendar that imports it again updates the entry instead of adding a second one)."""
    import icalendar

    lang, info = ws.language, ws.info
    cal = icalendar.Calendar()
    cal.add("prodid", "-//workshop-kit//follow-up cadence//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", i18n.t("notebooks.plan_calendar_name", lang, title=info["title"]))
    origin = ws.store.meta().get("created", "") + ws.store.name  # the file's name or the workshop key
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    moves = moved(ws)
    for followup in sorted(ws.followups, key=lambda f: (f["date"], f["id"])):
        start = dt.datetime.fromisoformat(followup["date"])
        minutes = planned_minutes(followup)
        event = icalendar.Event()
        digest = hashlib.sha1(f"{origin}:{followup['id']}".encode(), usedforsecurity=False).hexdigest()[:16]
        event.add("uid", f"followup-{followup['id']}-{digest}@workshop-kit")
        event.add("dtstamp", stamp)
        event.add("sequence", moves.get(followup["id"], 0))  # a moved date replaces the calendar entry
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=minutes))
        kind = i18n.t(f"notebooks.followup_{followup['kind']}", lang)
        event.add("summary", f"{kind}: {info['title']}")
        details = [followup["topic"], followup["team"]]
        event.add("description", "\n".join(d for d in details if d))
        event.add("categories", [kind])
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics


def moved(ws: Workshop) -> dict[int, int]:
    """How often each follow-up's date or length changed, from the change log (its .ics SEQUENCE)."""
    counts: dict[int, int] = {}
    for change in ws.store.changes():
        if change.kind == "followup" and change.before and change.after and any(
                change.before.get(k) != change.after.get(k) for k in ("date", "duration_min")):
            counts[change.record_id] = counts.get(change.record_id, 0) + 1
    return counts


def to_ics(ws: Workshop, path: str | os.PathLike[str]) -> Path:
    """Write the follow-up calendar to ``path`` (e.g. follow-ups.ics) and return the path."""
    target = Path(path)
    target.write_bytes(calendar_bytes(ws))
    return target


# --------------------------------------------------------------------------- tables
def followup_rows(ws: Workshop) -> list[dict[str, Any]]:
    lang = ws.language
    return [{"date": f["date"].replace("T", " "), "kind": i18n.t(f"notebooks.followup_{f['kind']}", lang),
             "duration_min": f["duration_min"], "team": f["team"], "topic": f["topic"]}
            for f in sorted(ws.followups, key=lambda f: (f["date"], f["id"]))]


def _frame(rows: list[dict[str, Any]], columns: list[str], language: str) -> pandas.DataFrame:
    import pandas as pd

    from .synthesis import column

    return pd.DataFrame(rows, columns=columns).rename(columns={c: column(c, language) for c in columns})


def followup_table(ws: Workshop) -> pandas.DataFrame:
    return _frame(followup_rows(ws), ["date", "kind", "duration_min", "team", "topic"], ws.language)


def todo_rows(ws: Workshop) -> list[dict[str, Any]]:
    """The to-do plan ordered by due date: who, what, from, by, budget, status."""
    lang = ws.language
    actions = sorted(ws.actions, key=lambda a: (a["due"] is None, a["due"] or "", a["id"]))
    return [{"who": a["who"], "what": a["what"], "start": a["start"] or "", "due": a["due"] or "",
             "budget": i18n.format_money(a["budget"], lang),
             "status": i18n.t(f"notebooks.action_{a['status']}", lang)} for a in actions]


def todo_table(ws: Workshop) -> pandas.DataFrame:
    return _frame(todo_rows(ws), ["who", "what", "start", "due", "budget", "status"], ws.language)


def budget_total(ws: Workshop) -> float:
    return float(sum(a["budget"] or 0 for a in ws.actions if a["status"] != "dropped"))


def kpi_rows(ws: Workshop) -> list[dict[str, Any]]:
    """KPIs with their latest measurement: criterion, target, frequency, owner, method, latest."""
    rows = []
    for kpi in ws.kpis:
        latest = kpi["measurements"][-1] if kpi["measurements"] else None
        rows.append({"criterion": kpi["criterion"], "target": kpi["target"], "frequency": kpi["frequency"],
                     "owner": kpi["owner"], "method": kpi["method"],
                     "latest": f"{latest['value']:g} ({latest['date']})" if latest else ""})
    return rows


def kpi_table(ws: Workshop) -> pandas.DataFrame:
    return _frame(kpi_rows(ws), ["criterion", "target", "frequency", "owner", "method", "latest"], ws.language)


# --------------------------------------------------------------------------- touchpoint management
def touchpoint_rows(ws: Workshop) -> list[dict[str, Any]]:
    """Step 1 and 2 of touchpoint management: every touchpoint in journey order with its stage,
    whether it lies before first contact, Ist rating, Soll target, gap and moment of truth."""
    canvas = ws.canvas("touchpoint_map")
    stages = {a["id"]: a for a in canvas.areas}
    order = {a["id"]: n for n, a in enumerate(canvas.areas)}
    rows = []
    for tp in sorted(canvas.items(), key=lambda t: (order.get(t["stage"], 99), t["position"] or 0, t["id"])):
        stage = stages.get(tp["stage"], {})
        gap = (tp["soll_target"] - tp["ist_rating"]) if tp["soll_target"] and tp["ist_rating"] else None
        emotions = list(tp["emotion"].values())
        rows.append({"id": tp["id"], "stage": stage.get("title", tp["stage"]),
                     "pre_contact": bool(stage.get("pre_contact")), "name": tp["name"], "channel": tp["channel"],
                     "owner": tp["owner"], "backstage_owner": tp["backstage_owner"], "frequency": tp["frequency"],
                     "ist_rating": tp["ist_rating"], "soll_target": tp["soll_target"], "gap": gap,
                     "moment_of_truth": tp["moment_of_truth"],
                     "emotion": round(sum(emotions) / len(emotions), 1) if emotions else None})
    return rows


def touchpoint_table(ws: Workshop, only: str = "all") -> pandas.DataFrame:
    """``only``: "all", "pre_contact" (before the customer contacts us) or "moments_of_truth"."""
    rows = touchpoint_rows(ws)
    if only == "pre_contact":
        rows = [r for r in rows if r["pre_contact"]]
    elif only == "moments_of_truth":
        rows = sorted((r for r in rows if r["moment_of_truth"]), key=lambda r: -(r["gap"] or 0))
    elif only != "all":
        raise UsageError("method.touchpoint_table", got=only)
    return _frame(rows, ["stage", "pre_contact", "name", "channel", "owner", "backstage_owner", "frequency",
                         "ist_rating", "soll_target", "gap", "moment_of_truth", "emotion"], ws.language)


def touchpoint_summary(ws: Workshop) -> dict[str, int]:
    """Counts the facilitator checks: touchpoints, how many before first contact, moments of truth."""
    rows = touchpoint_rows(ws)
    return {"touchpoints": len(rows), "pre_contact": sum(r["pre_contact"] for r in rows),
            "moments_of_truth": sum(r["moment_of_truth"] for r in rows),
            "with_gap": sum(1 for r in rows if (r["gap"] or 0) > 0)}


def idea_rows(ws: Workshop) -> list[dict[str, Any]]:
    """Wow ideas by dots received (ties: older first), with the step they belong to."""
    stages = {a["id"]: a["title"] for a in ws.canvas("idea_board").areas}
    rows = [{"id": i["id"], "stage": stages.get(i["stage"], i["stage"]), "text": i["text"],
             "votes": sum(i["votes"].values()), "selected": i["selected"], "feedback": i["feedback"],
             "feedback_log": len(i["feedback_log"])} for i in ws.ideas if not i["hidden"]]
    return sorted(rows, key=lambda r: (-r["votes"], r["id"]))


def idea_table(ws: Workshop) -> pandas.DataFrame:
    return _frame(idea_rows(ws), ["stage", "text", "votes", "selected", "feedback"], ws.language)


def chosen_idea(ws: Workshop) -> dict[str, Any] | None:
    """The idea the team chose to implement (the first selected one), if any."""
    return next((i for i in ws.ideas if i["selected"]), None)


def choose_idea(ws: Workshop, idea_id: int | None = None, feedback: str = "") -> dict[str, Any] | None:
    """Choose one idea to implement and note how customers will give feedback on it.

    Without ``idea_id`` the idea already chosen stays chosen, else the most-voted one is taken;
    an empty ``feedback`` keeps what is stored. Only one idea is selected at a time. Returns
    the chosen idea, or None when there are no ideas yet. Safe to run again."""
    if idea_id is None:
        current = chosen_idea(ws)
        ranked = idea_rows(ws)
        idea_id = current["id"] if current else (ranked[0]["id"] if ranked else None)
    if idea_id is None:
        return None
    ws.ideas[idea_id]  # NotFound, naming the id, for an unknown one
    with ws.store.transaction(ws.actor):
        for idea in ws.ideas:
            if idea["id"] != idea_id and idea["selected"]:
                ws.ideas.update(idea["id"], selected=False)
        changes: dict[str, Any] = {"selected": True}
        if feedback.strip():
            changes["feedback"] = feedback
        return ws.ideas.update(idea_id, **changes)


def chosen_idea_table(ws: Workshop) -> pandas.DataFrame:
    rows = [r for r in idea_rows(ws) if r["selected"]]
    return _frame(rows, ["stage", "text", "votes", "feedback", "feedback_log"], ws.language)


__all__ = [
    "add_months",
    "budget_total",
    "cadence",
    "calendar_bytes",
    "check",
    "choose_idea",
    "chosen_idea",
    "chosen_idea_table",
    "followup_rows",
    "followup_table",
    "idea_rows",
    "idea_table",
    "kpi_rows",
    "kpi_table",
    "moved",
    "propose",
    "session_gaps",
    "to_ics",
    "todo_rows",
    "todo_table",
    "touchpoint_rows",
    "touchpoint_summary",
    "touchpoint_table",
    "workshop_day",
]
