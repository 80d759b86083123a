"""Keep at it: the on-track rule and late actions as tables of cases, the schema-3 upgrade on both backends,
the feedback log, the .ics of a moved follow-up, and what changed since the workshop."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kit
from kit import model, plan, tracking
from kit.store import SCHEMA_VERSION

D = dt.date.fromisoformat


def _kpi(direction: str = "higher", measurements: list[tuple[str, float]] = (), **over: Any) -> dict[str, Any]:
    kpi = {"baseline_value": 30.0, "baseline_date": "2026-01-01", "target_value": 40.0, "target_date": "2026-11-01",
           "direction": direction, "measurements": [{"date": d, "value": v, "note": ""} for d, v in measurements]}
    if direction == "lower":
        kpi.update(baseline_value=40.0, target_value=30.0)
    return {**kpi, **over}


# 2026-01-01 -> 2026-11-01 is 304 days; on 2026-06-01 (151 days) the path stands at 34.97 (higher) / 35.03 (lower)
ON_TRACK_CASES = [
    ("higher: above the path", _kpi(measurements=[("2026-06-01", 35.5)]), None, "on_track"),
    ("higher: exactly on the path at the start", _kpi(measurements=[("2026-01-01", 30.0)]), None, "on_track"),
    ("higher: below the path", _kpi(measurements=[("2026-06-01", 34.0)]), None, "off_track"),
    ("higher: the target reached early", _kpi(measurements=[("2026-03-01", 40.0)]), None, "reached"),
    ("higher: after the target date the target itself is expected", _kpi(measurements=[("2027-01-01", 39.9)]),
     None, "off_track"),
    ("lower: below the path is good", _kpi("lower", [("2026-06-01", 34.5)]), None, "on_track"),
    ("lower: above the path", _kpi("lower", [("2026-06-01", 36.0)]), None, "off_track"),
    ("lower: at the target", _kpi("lower", [("2026-06-01", 30.0)]), None, "reached"),
    ("only the latest counts", _kpi(measurements=[("2026-03-01", 39.0), ("2026-06-01", 33.0)]), None, "off_track"),
    ("nothing measured yet", _kpi(), None, "no_data"),
    ("nothing measured since the last review", _kpi(measurements=[("2026-06-01", 36.0)]), "2026-06-01", "no_data"),
    ("measured after the last review", _kpi(measurements=[("2026-06-02", 36.0)]), "2026-06-01", "on_track"),
    ("no numeric target (free text only)", _kpi(measurements=[("2026-06-01", 36.0)], target_value=None), None,
     "no_target"),
    ("no baseline date", _kpi(measurements=[("2026-06-01", 36.0)], baseline_date=None), None, "no_target"),
    ("no target and nothing measured", _kpi(target_date=None), None, "no_target"),
]


@pytest.mark.parametrize(("case", "kpi", "since", "status"), ON_TRACK_CASES, ids=[c[0] for c in ON_TRACK_CASES])
def test_on_track_rule(case: str, kpi: dict[str, Any], since: str | None, status: str) -> None:
    assert tracking.kpi_status(kpi, since) == status and status in tracking.STATUSES


LATE_CASES = [
    ("due yesterday, open", {"due": "2026-12-01", "status": "open"}, True),
    ("due yesterday, doing", {"due": "2026-12-01", "status": "doing"}, True),
    ("due yesterday, done", {"due": "2026-12-01", "status": "done"}, False),
    ("due yesterday, dropped", {"due": "2026-12-01", "status": "dropped"}, False),
    ("due today, open", {"due": "2026-12-02", "status": "open"}, False),
    ("due tomorrow, open", {"due": "2026-12-03", "status": "open"}, False),
    ("no due date, open", {"due": None, "status": "open"}, False),
]


@pytest.mark.parametrize(("case", "action", "late"), LATE_CASES, ids=[c[0] for c in LATE_CASES])
def test_late_actions(case: str, action: dict[str, Any], late: bool) -> None:
    assert tracking.is_late(action, dt.date(2026, 12, 2)) is late


def test_late_ones_come_first_and_late_is_never_stored(ws: kit.Workshop) -> None:
    ws.actions.add(what="later", due="2026-12-20")
    first = ws.actions.add(what="late", due="2026-11-01", status="doing")
    ws.actions.add(what="done", due="2026-10-01", status="done")
    rows = tracking.actions_late_first(ws, dt.date(2026, 12, 2))
    assert [r["what"] for r in rows] == ["late", "later", "done"] and rows[0]["late"] and rows[0]["id"] == first
    assert "late" not in ws.actions[first]


def test_kpi_numbers_are_checked(ws: kit.Workshop) -> None:
    with pytest.raises(kit.ValidationError, match=r"kpi\.direction"):
        ws.kpis.add(criterion="x", direction="up")
    with pytest.raises(kit.ValidationError, match=r"kpi\.target_date must be after kpi\.baseline_date"):
        ws.kpis.add(criterion="x", baseline_date="2026-05-01", target_date="2026-04-01")


def test_feedback_log_entries_are_checked_and_kept_literally(ws: kit.Workshop) -> None:
    idea = ws.ideas.add(text="Karte")
    hostile = "<script>alert(1)</script> & % $ # _ { } ~ ^ \\ =1+1 ‮עברית 😀"
    tracking.add_feedback(ws, idea, date="2026-11-13", said=hostile, channel="QR", score=-2)
    assert ws.ideas[idea]["feedback_log"] == [{"date": "2026-11-13", "channel": "QR", "said": hostile, "score": -2,
                                               "shared_with_staff": None}]
    with pytest.raises(kit.ValidationError, match=r"idea\.feedback_log .*-2\.\.2"):
        tracking.add_feedback(ws, idea, date="2026-11-14", said="x", score=3)
    with pytest.raises(kit.ValidationError, match=r"idea\.feedback_log .*keys"):
        ws.ideas.update(idea, feedback_log=[{"date": "2026-11-14", "who": "Anna"}])
    assert tracking.share_feedback(ws, idea, "2026-11-20") == 1
    assert ws.ideas[idea]["feedback_log"][0]["shared_with_staff"] == "2026-11-20"
    assert tracking.share_feedback(ws, idea, "2026-11-21") == 0
    ws.undo()
    assert ws.ideas[idea]["feedback_log"][0]["shared_with_staff"] is None


# ------------------------------------------------------------------------------- the schema-2 workshop
SCHEMA_2_IDEA = ("touchpoint", "stage", "text", "author", "team", "votes", "selected", "feedback", "feedback_result",
                 "hidden")
NEW_COLUMNS = {"kpi": ["baseline_value", "baseline_date", "target_value", "target_date", "direction", "unit"],
               "followup": ["held_at", "attendees", "minutes", "learned"]}
OLD_TEXT = "Nach vier Wochen: 38 Antworten, „der erste freundliche Brief“ <b>&amp;</b>"


def _fill(ws: kit.Workshop) -> None:
    ws.ideas.add(text="Danke-Karte", selected=True, feedback="QR-Code")
    ws.kpis.add(criterion="Zahlungsquote", target="von 31 % auf 40 % bis Juni 2027",
                measurements=[{"date": "2026-10-31", "value": 32}])
    ws.followups.add(kind="team_session", date="2026-11-04T09:00")


def _to_schema_2(run: Callable[[str, tuple[Any, ...]], None], integer: str) -> None:
    """Rewrite a schema-3 workshop as the previous kit left it (the idea table rebuilt with feedback_result)."""
    for table, columns in NEW_COLUMNS.items():
        for column in columns:
            run(f'ALTER TABLE "{table}" DROP COLUMN "{column}"', ())
    run('DROP TABLE "idea"', ())
    types = {"touchpoint": integer, "selected": integer, "hidden": integer}
    run('CREATE TABLE "idea" (id ' + ("INTEGER PRIMARY KEY AUTOINCREMENT" if integer == "INTEGER" else
                                        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY") + ", "
        + ", ".join(f'"{c}" {types.get(c, "TEXT")}' for c in SCHEMA_2_IDEA) + ")", ())
    run('INSERT INTO "idea" (id, text, votes, selected, feedback, feedback_result, hidden) '
        "VALUES (1, 'Danke-Karte', '{}', 1, 'QR-Code', %s, 0)", (OLD_TEXT,))
    run("UPDATE meta SET value='2' WHERE key='schema_version'", ())


def _check_upgraded(location: str | Path) -> None:
    with kit.open(location, actor="t") as ws:
        (idea,) = ws.ideas.all()
        assert idea["feedback_log"] == [{"date": idea["feedback_log"][0]["date"], "channel": "", "said": OLD_TEXT,
                                         "score": None, "shared_with_staff": None}]
        dt.date.fromisoformat(idea["feedback_log"][0]["date"])  # dated by the idea's last change
        assert "feedback_result" not in idea and idea["feedback"] == "QR-Code" and idea["selected"]
        (kpi,) = ws.kpis.all()
        assert kpi["target"] == "von 31 % auf 40 % bis Juni 2027" and kpi["target_value"] is None
        assert kpi["direction"] == "higher" and tracking.kpi_status(kpi) == "no_target"
        (followup,) = ws.followups.all()
        assert followup["held_at"] is None and followup["attendees"] == []
        assert ws.store.meta()["schema_version"] == str(SCHEMA_VERSION) == "3"
        tracking.mark_held(ws, followup["id"], when="2026-11-04T09:10", learned="x")
        ws.kpis.update(kpi["id"], baseline_value=31, baseline_date="2026-09-30", target_value=40,
                       target_date="2027-06-30")
        assert ws.store._upgrade() == []  # a current workshop is only read
    with kit.open(location, actor="t") as ws:
        assert ws.followups.all()[0]["held_at"] == "2026-11-04T09:10"


def test_a_schema_2_file_opens_and_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.workshop"
    with kit.new(path, title="Alt", language="de", actor="t") as ws:
        _fill(ws)
    with sqlite3.connect(path) as con:
        _to_schema_2(lambda sql, args: con.execute(sql.replace("%s", "?"), args), "INTEGER")
    con.close()
    _check_upgraded(path)
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as con:
        columns = [row[1] for row in con.execute('PRAGMA table_info("idea")')]
    con.close()
    assert columns == ["id", *model.KINDS["idea"].field_names]


def test_a_schema_2_workshop_on_postgresql_opens_and_upgrades(pg_url: str) -> None:
    import psycopg

    from kit.store.url import parse

    with kit.new(pg_url, title="Alt", language="de", actor="t") as ws:
        _fill(ws)
    url = parse(pg_url)
    with psycopg.connect(url.conninfo) as conn:
        conn.execute(f'SET search_path TO "{url.schema}"')
        _to_schema_2(lambda sql, args: conn.execute(sql, args), "BIGINT")  # type: ignore[arg-type]
    _check_upgraded(pg_url)


def test_an_old_json_document_moves_its_feedback_text_into_the_log(tmp_path: Path) -> None:
    doc = {"format": "workshop-kit", "version": 1, "workshop": {"title": "x", "language": "en"},
           "ideas": [{"id": 1, "text": "card", "feedback_result": "four answers, all five stars"}]}
    with kit.load(tmp_path / "a.workshop", doc) as ws:
        assert ws.ideas[1]["feedback_log"][0]["said"] == "four answers, all five stars"


# ------------------------------------------------------------------------------- the calendar
def test_a_moved_follow_up_keeps_its_uid_and_raises_sequence(ws: kit.Workshop) -> None:
    import icalendar

    first = ws.followups.add(kind="team_session", date="2026-11-04T09:00", duration_min=240)
    ws.followups.add(kind="status_review", date="2026-11-19T14:00", duration_min=60)

    def events() -> dict[str, icalendar.Event]:
        cal = icalendar.Calendar.from_ical(plan.calendar_bytes(ws))
        return {str(e["summary"]) + str(e["dtstart"].dt.date()): e for e in cal.walk("VEVENT")}

    before = events()
    (old,) = [e for e in before.values() if e["dtstart"].dt == dt.datetime(2026, 11, 4, 9, 0)]
    assert int(old["sequence"]) == 0
    tracking.mark_held(ws, first, when="2026-11-04T09:00")  # held: not a move
    ws.followups.update(first, date="2026-11-06T10:00")
    after = events()
    assert len(after) == 2
    (moved,) = [e for e in after.values() if str(e["uid"]) == str(old["uid"])]
    assert moved["dtstart"].dt == dt.datetime(2026, 11, 6, 10, 0) and int(moved["sequence"]) == 1
    ws.undo()  # moved back: still a newer version of the same entry
    (back,) = [e for e in events().values() if str(e["uid"]) == str(old["uid"])]
    assert back["dtstart"].dt == dt.datetime(2026, 11, 4, 9, 0) and int(back["sequence"]) == 2


# ------------------------------------------------------------------------------- the samples
def test_samples_tell_the_whole_story(sample: kit.Workshop) -> None:
    assert len(tracking.held(sample)) == 2
    statuses = {r["status"] for r in tracking.kpi_rows(sample, tracking.last_review(sample))}
    assert {"on_track", "off_track", "reached"} <= statuses
    months = {m["date"][:7] for k in sample.kpis for m in k["measurements"]}
    assert len(months) >= 3
    assert any(a["status"] == "done" for a in sample.actions)
    assert any(tracking.is_late(a, dt.date(2026, 12, 2)) for a in sample.actions)
    idea = plan.chosen_idea(sample)
    assert idea is not None and len(idea["feedback_log"]) == 3
    assert any(e["shared_with_staff"] for e in idea["feedback_log"])
    changed = tracking.since_workshop(sample)
    assert changed is not None
    vpc = changed["canvases"]["value_proposition"]
    assert len(vpc["added"]) == len(vpc["removed"]) == len(vpc["changed"]) == 1
    assert changed["fit"]["pains"]["then"][0] < changed["fit"]["pains"]["now"][0]
    assert len(tracking.added_touchpoints(sample)) == 1


# ------------------------------------------------------------------------------- measurements from a file
def test_measurements_import_previews_checks_every_line_and_is_one_undo(ws_de: kit.Workshop, tmp_path: Path) -> None:
    from kit import kpi_import

    ws = ws_de
    k1 = ws.kpis.add(criterion="Zahlungsquote", measurements=[{"date": "2026-12-31", "value": 35.8}])
    k2 = ws.kpis.add(criterion="Rückmeldequote")
    bad = tmp_path / "bad.csv"
    bad.write_text("kpi;date;value\n9;2027-01-31;1\nZahlungsquote;2026-12-31;99\n1;x;1\n1;2027-01-31;\n",
                   encoding="utf-8")
    refused = kpi_import.plan(ws, bad)
    assert [line for line, _ in refused.problem_lines("en")] == [2, 3, 4, 5]
    reasons = dict(refused.problem_lines("en"))
    assert "KPI '9' does not exist" in reasons[2] and "already has 35.8 stored for 2026-12-31" in reasons[3]
    with pytest.raises(kit.UsageError, match=r"bad\.csv line 2: .*nothing was imported"):
        refused.commit()
    good = tmp_path / "good.csv"
    good.write_text("Kennzahl;Datum;Wert;Notiz\nZahlungsquote;31.01.2027;36,4;" + HOSTILE_NOTE + "\n"
                    f"{k2};2027-01-31;45;\n{k1};2026-12-31;35.8;\n", encoding="utf-8")
    plan_ = kpi_import.plan(ws, good)
    assert len(plan_) == 2 and plan_.skipped == 1
    assert plan_.preview()[0]["note"] == HOSTILE_NOTE[:59] + "…"  # literal, cut like every preview
    assert len(ws.kpis[k1]["measurements"]) == 1  # the preview wrote nothing
    assert plan_.commit() == [k1, k2]
    assert ws.kpis[k1]["measurements"][-1] == {"date": "2027-01-31", "value": 36.4, "note": HOSTILE_NOTE}
    assert kpi_import.plan(ws, good).skipped == 3  # imported again: nothing twice
    ws.undo()
    assert len(ws.kpis[k1]["measurements"]) == 1 and ws.kpis[k2]["measurements"] == []


HOSTILE_NOTE = "<script>alert('x')</script> & % $ # _ { } ~ ^ \\ =HYPERLINK(\"http://x\") ‮שלום 😀"


def test_the_cli_imports_measurements(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "w.workshop"
    with kit.new(path, title="t", language="en") as ws:
        ws.kpis.add(criterion="NPS")
    csv = tmp_path / "m.csv"
    csv.write_text("kpi,date,value,note\nNPS,2026-11-30,31,21 answers\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "kit", "import", str(path), str(csv), "--into", "measurements",
                          "--yes"], capture_output=True, text=True, check=True).stdout
    assert "1 measurements from m.csv" in out
    with kit.open(path) as ws:
        assert ws.kpis.all()[0]["measurements"] == [{"date": "2026-11-30", "value": 31.0, "note": "21 answers"}]


# ------------------------------------------------------------------------------- the room at a follow-up
def test_the_facilitator_moves_the_agenda_to_the_follow_up_and_it_is_highlighted(ws: kit.Workshop) -> None:
    from kit import agenda
    from kit.sessions import AgendaSession

    session = AgendaSession(ws)
    assert session.apply({"op": "go", "step": "08_follow_up", "nonce": "1"})["error"] == ""
    assert agenda.current(ws) == "08_follow_up" and session.state()["current"] == "08_follow_up"
    rows = session.state()["steps"]
    assert [(r["id"], r["state"], r["follow_up"]) for r in rows[-2:]] == [("07_plan", "done", False),
                                                                         ("08_follow_up", "current", True)]
    assert rows[-1]["starts_after"] is None and {r["state"] for r in rows[:-1]} == {"done"}
    with kit.open(ws.path, actor="Anna", role="participant") as anna:
        refused = AgendaSession(anna).apply({"op": "go", "step": "07_plan", "nonce": "2"})["error"]
    assert refused == "Only the facilitator can move the agenda on." and agenda.current(ws) == "08_follow_up"


ROOM_TOKEN = "participant-token-0123456789"


def _at_the_follow_up(tmp_path: Path) -> Path:
    """A German workshop with two teams whose room is at the follow-up step (08)."""
    from kit import agenda

    path = tmp_path / "room.workshop"
    with kit.new(path, title="Room", language="de", actor="fac", teams=["Blau", "Grün"]) as ws:
        agenda.go_to(ws, "08_follow_up")
    return path


async def _anna_and_ben(base: str) -> tuple[Any, Any]:
    """Two pages joined to the room (Anna in Blau, Ben in Grün), each showing its board."""
    from roomclient import Client

    url = f"ws://{base}w/room/ws?token={ROOM_TOKEN}"
    anna, ben = await Client(url).connect(), await Client(url).connect()
    await anna.join("Anna", "Blau")
    await ben.join("Ben", "Grün")
    for page in (anna, ben):
        await page.until(lambda c: "items" in c.state, 10)
    return anna, ben


def test_at_a_follow_up_the_room_offers_the_learnings_board_and_the_feedback_on_the_idea(tmp_path: Path) -> None:
    import asyncio

    from kit import facilitation
    from kit.errors import Refused
    from roomclient import running_room

    path = _at_the_follow_up(tmp_path)
    with kit.open(path, actor="fac") as ws:
        idea = ws.ideas.add(text="Ratenplan per SMS", selected=True)
    said = "Kundin: „Endlich verständlich“ <script>alert(1)</script> & % $ # _ { } ~ ^ \\ 👍 مرحبا"
    phone = "#cfe3ff"

    async def main(base: str) -> None:
        anna, ben = await _anna_and_ben(base)
        for page in (anna, ben):
            assert page.room["canvas"] == "learnings_board"
            assert [c["id"] for c in page.room["choices"]] == ["learnings_board", "idea_feedback"]
        await anna.send({"t": "pick", "canvas": "value_proposition"})  # not on offer: refused in one line
        await anna.until(lambda c: bool(c.refused), 10)
        assert anna.refused[-1].startswith("Diese Wand gibt es gerade nicht") and "Lernwand" in anna.refused[-1]
        await anna.send({"t": "pick", "canvas": ["idea_feedback"]})  # malformed: refused, nothing switches
        await anna.until(lambda c: len(c.refused) == 2, 10)
        assert "'pick' needs 'canvas'" in anna.refused[-1] and anna.room["canvas"] == "learnings_board"
        await anna.send({"t": "pick", "canvas": "idea_feedback"})
        await anna.until(lambda c: c.room["canvas"] == "idea_feedback" and "items" in c.state, 10)
        assert anna.state["color_labels"][phone] == "Telefon" and anna.state["title"] == "Rückmeldungen zur Idee"
        assert anna.state["intro"].endswith("Die Idee: Ratenplan per SMS")  # which idea, under the intro
        state = await anna.request("add", area="score_plus_2", text=said)
        assert state["error"] == "" and anna.texts() == [said]
        note = anna.state["items"][0]["id"]
        assert (await anna.request("color", id=note, color=phone))["error"] == ""
        assert ben.room["canvas"] == "learnings_board"  # a pick is one page's, not the room's
        await ben.send({"t": "pick", "canvas": "idea_feedback"})
        await ben.until(lambda c: c.room["canvas"] == "idea_feedback" and c.texts() == [said], 10)
        assert "nicht" in (await ben.request("edit", id=note, text="Ben war hier"))["error"]  # Anna's note
        assert "nicht" in (await ben.request("move", id=note, area="score_minus_2"))["error"]
        with kit.open(path, actor="fac") as fac:
            facilitation.lock(fac, "idea_feedback")
        await anna.until(lambda c: c.state.get("controls", {}).get("readonly") is True, 10)
        assert (await anna.request("add", area="score_0", text="zu spät"))["error"]
        await anna.close()
        await ben.close()

    with running_room({"room": (path, ROOM_TOKEN)}) as (base, _):
        asyncio.run(main(base))
    with kit.open(path, actor="Anna", role="participant") as anna_ws, pytest.raises(Refused):
        tracking.feedback_from_board(anna_ws, idea)
    with kit.open(path, actor="fac") as ws:
        (note,) = ws.canvas("idea_feedback").items()
        assert (note["area"], note["text"], note["author"]) == ("score_plus_2", said, "Anna")
        assert tracking.feedback_from_board(ws, idea, on="2026-12-01") == 1
        assert ws.ideas[idea]["feedback_log"] == [{"date": "2026-12-01", "channel": "Telefon", "said": said,
                                                   "score": 2, "shared_with_staff": None}]
        assert tracking.feedback_from_board(ws, idea) == 0  # taken once
        ws.undo()
        assert ws.ideas[idea]["feedback_log"] == []  # one undo step


def test_the_panel_s_controls_on_one_board_of_the_follow_up_reach_only_that_board_s_pages(tmp_path: Path) -> None:
    import asyncio

    from kit.serve import panel as room_panel
    from roomclient import running_room

    path = _at_the_follow_up(tmp_path)

    def controls(page: Any) -> dict[str, Any]:
        found: dict[str, Any] = page.state.get("controls", {})
        return found

    async def main(base: str) -> None:
        anna, ben = await _anna_and_ben(base)
        await ben.send({"t": "pick", "canvas": "idea_feedback"})
        await ben.until(lambda c: c.room["canvas"] == "idea_feedback" and "items" in c.state, 10)
        with kit.open(path, actor="fac") as fac:
            panel = room_panel.panel(fac)
            assert panel.board.value == "learnings_board"
            panel.board.value = "idea_feedback"
            panel.lock.value = True
            panel.budget.value = 4
            panel.vote.value = True
            await ben.until(lambda c: controls(c).get("readonly") is True and controls(c)["vote_open"], 10)
            assert controls(ben)["budget"] == 4
            assert (await ben.request("add", area="score_0", text="zu spät"))["error"]  # locked
            panel.board.value = "learnings_board"
            panel.private.value = True
            await anna.until(lambda c: controls(c).get("private") is True, 10)
        assert controls(anna) == {**controls(anna), "locked": False, "vote_open": False, "readonly": False}
        assert (await anna.request("add", area="learned", text="nur für mich"))["error"] == ""
        assert anna.state["items"][-1]["hidden"]  # private on the learnings board
        assert controls(ben)["locked"] and not controls(ben)["private"]  # the feedback board keeps its own
        assert anna.room["canvas"] == "learnings_board" and ben.room["canvas"] == "idea_feedback"  # tabs kept
        await anna.close()
        await ben.close()

    with running_room({"room": (path, ROOM_TOKEN)}) as (base, _):
        asyncio.run(main(base))
    with kit.open(path, actor="fac") as ws:
        assert [n["text"] for n in ws.canvas("learnings_board").items()] == ["nur für mich"]
        assert ws.canvas("idea_feedback").items() == []  # the lock held


def test_the_changes_of_a_follow_up_come_from_the_change_log_times(ws: kit.Workshop) -> None:
    today = dt.date.today()
    earlier = ws.followups.add(kind="team_session", date="2026-11-04T09:00")
    now = ws.followups.add(kind="team_session", date="2026-12-02T09:00")
    assert tracking.changes_of(ws, now) == []  # not held yet
    tracking.mark_held(ws, earlier, when=dt.datetime.combine(today - dt.timedelta(days=28), dt.time(9)))
    tracking.mark_held(ws, now, when=dt.datetime.combine(today, dt.time(9)))
    note = ws.actions.add(what="learned at today's session")
    mine = tracking.changes_of(ws, now)
    assert any(c.kind == "action" and c.record_id == note for c in mine)
    assert all(c.ts[:10] >= today.isoformat() for c in mine)
    assert not any(c.kind == "action" for c in tracking.changes_of(ws, earlier))  # it ended when today's began


def test_todays_session_is_the_nearest_follow_up_within_a_week(ws: kit.Workshop) -> None:
    first = ws.followups.add(kind="team_session", date="2026-11-04T09:00")
    second = ws.followups.add(kind="status_review", date="2026-11-25T14:00")
    pick = tracking.current_followup
    assert pick(ws, dt.date(2026, 11, 6))["id"] == first
    assert pick(ws, dt.date(2026, 11, 18))["id"] == second  # 7 days ahead: still this week's session
    assert pick(ws, dt.date(2026, 11, 14)) is None and pick(ws, dt.date(2027, 1, 1)) is None  # nothing near
    tracking.mark_held(ws, first, when="2026-11-04T09:30")
    assert pick(ws, dt.date(2026, 11, 4))["id"] == first  # held today: still this session
    assert pick(ws, dt.date(2026, 11, 5)) is None  # the next one is 20 days away


def test_the_follow_up_header_and_timebox_are_those_of_todays_follow_up(ws: kit.Workshop) -> None:
    from kit import agenda
    from kit import notebook as nb

    assert repr(nb.header(ws, "08_follow_up", go=False)).splitlines()[0] == "Follow-up · Timebox: 240 minutes"
    today = dt.datetime.combine(dt.date.today(), dt.time(14))
    ws.followups.add(kind="status_review", date=today)
    assert repr(nb.header(ws, "08_follow_up")).splitlines()[0] == "Follow-up: Status review · Timebox: 60 minutes"
    assert agenda.start_timebox(ws, "08_follow_up")["seconds"] == 3600 and agenda.timebox(ws, "07_plan") == 15
    assert nb.timer(ws, "08_follow_up").default_minutes == 60 and agenda.overview(ws)[-1]["minutes"] == 60


def test_the_feedback_board_becomes_log_entries_by_column_and_colour(ws: kit.Workshop) -> None:
    idea = ws.ideas.add(text="SMS reminder", selected=True)
    board = ws.canvas(tracking.FEEDBACK_BOARD)
    board.add("score_minus_1", "Too many texts", color="#c8f0c8", author="Anna")
    board.add("score_0", "Did not notice", author="Ben")
    board.add("score_plus_2", "not revealed yet", author="Cem", hidden=True)
    assert tracking.feedback_from_board(ws, idea, on=dt.date(2026, 12, 2)) == 2
    assert [(e["said"], e["score"], e["channel"], e["date"]) for e in ws.ideas[idea]["feedback_log"]] == [
        ("Too many texts", -1, "In person", "2026-12-02"), ("Did not notice", 0, "", "2026-12-02")]
