"""The plan: follow-up cadence (2-3 sessions 3-4 weeks apart, monthly review), .ics, tables."""
from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import icalendar
import pytest

import kit
from kit import plan

# Team-session gaps in days, by hand from data/sample_*.json followups:
# de: 2026-11-04, 11-25, 12-16 -> 21, 21; en: 2026-10-14, 11-11, 12-09 -> 28, 28.
GAPS = {"de": [21, 21], "en": [28, 28]}
# Touchpoints before first contact (stages need_arises..website) and moments of truth, by hand.
TOUCHPOINTS = {"de": {"touchpoints": 18, "pre_contact": 8, "moments_of_truth": 3},  # one added after the workshop
               "en": {"touchpoints": 19, "pre_contact": 9, "moments_of_truth": 3}}


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_cadence_follows_the_method() -> None:
    day = dt.date(2026, 10, 14)
    rows = plan.cadence(day, sessions=3, weeks_apart=4, reviews=3, language="de")
    sessions = [r for r in rows if r["kind"] == "team_session"]
    reviews = [r for r in rows if r["kind"] == "status_review"]
    assert [s["date"].date() for s in sessions] == [dt.date(2026, 11, 11), dt.date(2026, 12, 9), dt.date(2027, 1, 6)]
    assert all(s["duration_min"] == 240 for s in sessions)
    assert [r["date"].date() for r in reviews] == [dt.date(2026, 11, 14), dt.date(2026, 12, 14), dt.date(2027, 1, 14)]
    assert all(r["duration_min"] == 60 for r in reviews)
    assert len(plan.cadence(day, sessions=2, weeks_apart=3, reviews=1)) == 3


@pytest.mark.parametrize("kwargs, message", [
    ({"sessions": 1}, "sessions must be 2..3"), ({"sessions": 4}, "sessions must be 2..3"),
    ({"weeks_apart": 2}, "weeks_apart must be 3..4"), ({"weeks_apart": 6}, "weeks_apart must be 3..4"),
    ({"reviews": 0}, "reviews must be"),
])
def test_cadence_refuses_what_the_method_does_not_call_for(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan.cadence(dt.date(2026, 1, 1), **kwargs)


def test_add_months_clamps_to_month_end() -> None:
    assert plan.add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert plan.add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert plan.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_propose_once_then_ics_holds_dates_3_to_4_weeks_apart(ws: kit.Workshop, tmp_path: Path) -> None:
    ws.set(date="2026-03-02", teams=["Blau", "Grün"])
    added = plan.propose(ws, sessions=3, weeks_apart=3, reviews=2)
    assert len(added) == 5
    assert plan.propose(ws) == []  # safe to run again
    assert len(ws.followups) == 5
    assert plan.check(ws) == []
    assert plan.session_gaps(ws) == [21, 21]
    path = plan.to_ics(ws, tmp_path / "follow-ups.ics")
    found = events(path.read_bytes())
    assert len(found) == 5
    starts = sorted(e.decoded("dtstart") for e in found if "Team session" in str(e["summary"]))
    assert [(b - a).days for a, b in itertools.pairwise(starts)] == [21, 21]
    assert starts[0] == dt.datetime(2026, 3, 23, 9, 0)
    for event in found:
        assert (event.decoded("dtend") - event.decoded("dtstart")) in (dt.timedelta(hours=4), dt.timedelta(hours=1))
        assert str(event["uid"]).endswith("@workshop-kit")
    assert len({str(e["uid"]) for e in found}) == 5
    assert all("Blau, Grün" in str(e["description"]) for e in found if "Team session" in str(e["summary"]))
    # UIDs are stable across exports, so a calendar update does not duplicate events
    again = events(plan.calendar_bytes(ws))
    assert sorted(str(e["uid"]) for e in again) == sorted(str(e["uid"]) for e in found)


def test_ics_keeps_awkward_text(ws: kit.Workshop) -> None:
    topic = "Rückblick; Budget, Plan \\ <script>x</script> 🙂 שלום\nzweite Zeile"
    ws.followups.add(kind="team_session", date="2026-05-04T09:30", duration_min=240, topic=topic)
    (event,) = events(plan.calendar_bytes(ws))
    assert str(event["description"]) == topic
    assert event.decoded("dtstart") == dt.datetime(2026, 5, 4, 9, 30)


def test_samples_cadence_and_ics(sample: kit.Workshop, tmp_path: Path) -> None:
    assert plan.check(sample) == []
    assert plan.session_gaps(sample) == GAPS[sample.language]
    assert plan.propose(sample) == []
    found = events(plan.to_ics(sample, tmp_path / "f.ics").read_bytes())
    assert len(found) == 6
    label = {"de": "Teamtermin: ", "en": "Team session: "}[sample.language]
    team = sorted(e.decoded("dtstart") for e in found if str(e["summary"]).startswith(label))
    assert len(team) == 3
    assert all(21 <= (b - a).days <= 28 for a, b in itertools.pairwise(team))


def test_check_names_what_departs_from_the_method(ws: kit.Workshop) -> None:
    ws.followups.add(kind="team_session", date="2026-01-05T09:00")
    ws.followups.add(kind="team_session", date="2026-01-12T09:00")
    problems = plan.check(ws)
    assert any("7 days apart" in p for p in problems)
    assert any("No monthly status review" in p for p in problems)
    ws.followups.add(kind="status_review", date="2026-02-01T14:00")
    ws.followups.add(kind="status_review", date="2026-04-01T14:00")
    assert any("59 days apart" in p for p in plan.check(ws))


def test_touchpoint_management_counts(sample: kit.Workshop) -> None:
    summary = plan.touchpoint_summary(sample)
    assert {k: summary[k] for k in TOUCHPOINTS[sample.language]} == TOUCHPOINTS[sample.language]
    rows = plan.touchpoint_rows(sample)
    first_contact = next(i for i, r in enumerate(rows) if not r["pre_contact"])
    assert all(r["pre_contact"] for r in rows[:first_contact])  # journey order: pre-contact first
    assert len(plan.touchpoint_table(sample, "pre_contact")) == TOUCHPOINTS[sample.language]["pre_contact"]
    assert len(plan.touchpoint_table(sample, "moments_of_truth")) == 3
    with pytest.raises(ValueError):
        plan.touchpoint_table(sample, "nonsense")


def test_choose_idea_keeps_exactly_one(sample: kit.Workshop) -> None:
    chosen = plan.chosen_idea(sample)
    assert chosen is not None
    version = sample.version()
    assert plan.choose_idea(sample)["id"] == chosen["id"]
    assert sample.version() == version  # nothing changed on a rerun
    other = next(i for i in sample.ideas if i["id"] != chosen["id"])
    plan.choose_idea(sample, other["id"], feedback="QR code on the card")
    assert [i["id"] for i in sample.ideas if i["selected"]] == [other["id"]]
    assert sample.ideas[other["id"]]["feedback"] == "QR code on the card"
    plan.choose_idea(sample, other["id"], feedback="")
    assert sample.ideas[other["id"]]["feedback"] == "QR code on the card"


def test_choose_idea_without_ideas_is_none(ws: kit.Workshop) -> None:
    assert plan.choose_idea(ws) is None


def test_todo_and_kpi_tables(sample: kit.Workshop) -> None:
    todo = plan.todo_rows(sample)
    assert len(todo) == 9
    dues = [r["due"] for r in todo if r["due"]]
    assert dues == sorted(dues)
    expected = sum(a["budget"] or 0 for a in sample.actions if a["status"] != "dropped")
    assert plan.budget_total(sample) == pytest.approx(expected)
    kpis = plan.kpi_rows(sample)
    assert len(kpis) == 5 and all(k["criterion"] and k["owner"] for k in kpis)
