"""Sessions without widgets: one per viewer, state as JSON-ready dicts, only what changed,
requests answered with ack and error; and the one live refresh that keeps every view in step.

A room server without kernels will drive sessions exactly like this: ``diff()`` to send,
``apply(request)`` for what a page asks, kit.live to hear about changes made elsewhere.
"""
from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kit
from kit import facilitation, i18n, live, roster
from kit.errors import NotFound, Refused, RequestError, StorageFailure
from kit.sessions import (
    AgendaSession,
    CanvasSession,
    InterviewSession,
    Session,
    TimerSession,
    for_canvas,
)

_nonce = iter(range(1, 10**9))


def ask(session: Session, op: str, **payload: Any) -> str:
    nonce = str(next(_nonce))
    result = session.apply({"op": op, "nonce": nonce, **payload})
    assert result["ack"] == nonce
    return result["error"]


class Page:
    """A view as a room server would hold one: a session and what was sent to the page."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sent: list[dict[str, Any]] = []

    @property
    def store(self) -> Any:
        return self.session.store

    @property
    def version(self) -> int:
        return self.session.version

    def refresh(self) -> None:
        self.sent.append(self.session.diff())


@pytest.fixture
def wsde(tmp_path: Path):
    with kit.new(tmp_path / "de.workshop", title="Test", language="de", actor="moderation") as ws:
        yield ws


@pytest.fixture(autouse=True)
def _no_views_left() -> Iterator[None]:
    yield
    for view in live.open_views():
        live.unregister(view)


def test_a_session_runs_without_any_widget_library(ws):
    script = textwrap.dedent(f"""
        import json, sys
        import kit
        from kit import facilitation, live
        from kit.sessions import for_canvas
        ws = kit.open({str(ws.path)!r}, actor="room")
        facilitation.open_vote(ws, "idea_board", budget=2)
        anna = for_canvas(ws, "idea_board", participant="Anna", team="Blau")
        first = anna.diff()
        results = [anna.apply({{"op": "add", "area": "contact", "text": "Greet by name", "nonce": "1"}})]
        note = anna.diff()["items"][0]["id"]
        results.append(anna.apply({{"op": "edit", "id": note, "text": "Greet warmly", "nonce": "2"}}))
        results.append(anna.apply({{"op": "move", "id": note, "area": "website", "nonce": "3"}}))
        results.append(anna.apply({{"op": "vote", "id": note, "nonce": "4"}}))
        results.append(anna.apply({{"op": "undo", "nonce": "5"}}))
        results.append(anna.apply({{"op": "explode", "nonce": "6"}}))
        json.dumps(first)  # JSON-ready
        print(json.dumps({{"results": results, "keys": sorted(first),
                          "loaded": [m for m in ("ipywidgets", "anywidget", "traitlets") if m in sys.modules],
                          "stored": ws.ideas.all()}}))
        anna.close()
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["loaded"] == []
    assert {"items", "controls", "labels", "areas", "me", "version"} <= set(data["keys"])
    assert [r["ack"] for r in data["results"]] == ["1", "2", "3", "4", "5", "6"]
    assert [r["error"] for r in data["results"][:5]] == ["", "", "", "", ""]
    assert "unknown request 'explode'" in data["results"][5]["error"]
    (idea,) = data["stored"]  # the undo took the dot back; text and area stay
    assert (idea["text"], idea["stage"], idea["votes"], idea["author"], idea["team"]) == (
        "Greet warmly", "website", {}, "Anna", "Blau")


def test_diff_sends_only_what_changed(ws):
    session = for_canvas(ws, "value_proposition")
    first = session.diff()
    assert {"items", "coverage", "controls", "labels", "areas", "version", "title"} <= set(first)
    assert session.diff() == {}  # nothing moved: nothing to send
    with kit.open(ws.path, actor="elsewhere") as other:
        other.canvas("value_proposition").add("jobs", "Keep the lights on")
    changed = session.diff()
    assert set(changed) == {"items", "version"}
    assert [i["text"] for i in changed["items"]] == ["Keep the lights on"]
    facilitation.lock(ws, "value_proposition")
    assert set(session.diff()) == {"controls", "version"}
    session.close()


def test_requests_are_answered_with_ack_and_a_message_never_an_exception(wsde):
    session = for_canvas(wsde, "value_proposition")
    assert ask(session, "add", area="pains", text="Schmerz") == ""
    pain = session.diff()["items"][0]["id"]
    assert ask(session, "add", area="pains", text="  ") == "Nicht gespeichert: Eine Notiz braucht Text."
    not_an_id = "Nicht gespeichert: id muss die Nummer einer Notiz sein, nicht True."
    assert ask(session, "edit", id=True, text="x") == not_an_id
    assert ask(session, "edit", id=999, text="x").endswith("(jemand hat sie gelöscht).")
    assert ask(session, "vote", id=pain, dots=5).startswith("Nicht gespeichert: Ein Punkt mehr oder weniger")
    assert ask(session, "link", source=pain, target=pain).endswith("ein Gewinnerzeuger zu Gewinnen.")
    assert session.apply({"nonce": 7}) == {"ack": "7", "error": session.apply({"op": None})["error"]}
    assert ask(session, "undo") == "" and ask(session, "undo") == "Nicht gespeichert: Nichts rückgängig zu machen."
    assert ask(session, "redo") == "" and [i["text"] for i in session.snapshot()["items"]] == ["Schmerz"]
    assert ask(session, "redo") == "Nicht gespeichert: Nichts zu wiederholen."
    session.close()


def test_nothing_to_undo_is_told_by_its_code_not_by_its_class(wsde: kit.Workshop) -> None:
    """The store's refusal is a NotFound with its own code; another NotFound keeps its own message."""
    session = for_canvas(wsde, "value_proposition")
    with pytest.raises(NotFound) as caught:
        wsde.undo()
    assert caught.value.code == "store.nothing_to_undo" and caught.value.render("de") == (
        "nichts rückgängig zu machen für moderation")
    assert session.explain(caught.value) == "Nicht gespeichert: Nichts rückgängig zu machen."
    other = NotFound("workshop.no_record", kind="canvas_item", id=9)
    assert session.explain(other) == f"Nicht gespeichert: {other.render('de')}"
    session.close()


def test_the_vote_budget_is_one_rule_with_one_refusal_everywhere(wsde: kit.Workshop) -> None:
    """A collection, a canvas and a page all refuse the dot over the budget with kit.access's code."""
    first = wsde.hypotheses.add(kind="pain", statement="Die Summe macht Angst")
    second = wsde.hypotheses.add(kind="pain", statement="Der Anruf kommt zu spät")
    assert wsde.hypotheses.vote(first, "Anna", budget=1) == 0
    with pytest.raises(Refused) as by_collection:
        wsde.hypotheses.vote(second, "Anna", budget=1)
    facilitation.open_vote(wsde, "value_proposition", budget=1)
    vpc = wsde.canvas("value_proposition")
    pains = [vpc.add("pains", "eins"), vpc.add("pains", "zwei")]
    vpc.vote(pains[0], "moderation")
    with pytest.raises(Refused) as by_canvas:
        vpc.vote(pains[1], "moderation")
    assert by_collection.value.code == by_canvas.value.code == "access.budget"
    assert by_canvas.value.params == {"voter": "moderation", "used": 1, "budget": 1}
    session = for_canvas(wsde, "value_proposition")
    assert ask(session, "vote", id=pains[1]) == session.explain(by_canvas.value)
    assert ask(session, "vote", id=pains[1]) == f"Nicht gespeichert: {i18n.t('widgets.err_budget', 'de')}"
    assert [r["votes"] for r in wsde.hypotheses.all()] == [{"Anna": 1}, {}]  # nothing over the budget stored
    session.close()


def test_a_session_without_its_server_says_reconnecting_and_reads_nothing(wsde: kit.Workshop,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    session = for_canvas(wsde, "value_proposition")
    first = session.diff()
    assert first["connection"] == "" and first["items"] == []
    store = type(wsde.store)
    monkeypatch.setattr(store, "connected", property(lambda self: False))
    monkeypatch.setattr(store, "_rows", lambda *a, **k: pytest.fail("read the store while reconnecting"))
    reconnecting = session.diff()
    assert reconnecting == {"connection": i18n.t("live.reconnecting", "de")}  # only the banner; the notes stay
    assert reconnecting["connection"].startswith("Verbindung zum Workshop-Server unterbrochen")
    assert session.diff() == {}
    monkeypatch.undo()
    wsde.canvas("value_proposition").add("pains", "meanwhile")
    back = session.diff()
    assert back["connection"] == "" and [i["text"] for i in back["items"]] == ["meanwhile"]
    session.close()


def test_a_session_that_never_read_its_workshop_says_reconnecting_in_both_languages(
        wsde: kit.Workshop, monkeypatch: pytest.MonkeyPatch) -> None:
    session = for_canvas(wsde, "value_proposition")
    monkeypatch.setattr(type(wsde.store), "connected", property(lambda self: False))
    text = session.diff()["connection"]
    assert text.startswith("Verbindung zum Workshop-Server unterbrochen") and " / Connection to the " in text
    session.close()


def test_each_viewer_has_their_own_session_and_rights(ws):
    roster.join(ws, "Cem", "Grün")
    facilitation.set_private(ws, "empathy_map")
    anna = for_canvas(ws, "empathy_map", participant="Anna", team="Blau")
    cem = for_canvas(ws, "empathy_map", participant="Cem")
    room = for_canvas(ws, "empathy_map")
    assert ask(anna, "add", area="sees", text="Annas secret") == ""
    note = anna.diff()["items"][0]
    assert (note["hidden"], note["mine"], note["editable"], note["team"]) == (True, True, True, "Blau")
    assert cem.diff()["items"] == [] and cem.diff() == {}
    assert [i["text"] for i in room.diff()["items"]] == ["Annas secret"]
    assert ask(cem, "delete", id=note["id"]).endswith("(someone deleted it).")  # unseen counts as gone
    assert ask(cem, "reveal") == "Not saved: only the facilitator can reveal hidden notes"
    assert ask(room, "reveal") == ""
    assert [i["text"] for i in cem.diff()["items"]] == ["Annas secret"]
    assert ask(cem, "edit", id=note["id"], text="mine now") == (
        "Not saved: This is not your note: you can only change, move and delete your own.")
    assert cem.snapshot()["me"] == {"name": "Cem", "team": "", "role": "participant"}
    roster.separate_teams(ws, "empathy_map")
    assert cem.diff()["items"] == []  # Cem joined team Grün: Blau's note is out of sight
    for session in (anna, cem, room):
        session.close()


def test_timer_agenda_and_interview_sessions(ws):
    timer = TimerSession(ws, minutes=10, label="Observe")
    assert timer.diff()["running"] is False
    assert ask(timer, "start", minutes="soon") == "Please give a duration between 1 and 1440 minutes."
    assert ask(timer, "start", minutes=2) == ""
    state = timer.diff()
    assert state["running"] and state["seconds"] == 120 and state["label"] == "Observe"
    assert ask(timer, "stop") == "" and timer.diff()["running"] is False

    agenda_view = AgendaSession(ws)
    assert ask(agenda_view, "go", step="02_hypotheses") == "" and agenda_view.diff()["current"] == "02_hypotheses"
    assert ask(agenda_view, "go", step="99_nowhere") == "no such agenda step: '99_nowhere'"
    with kit.open(ws.path, actor="Anna", role="participant") as anna:
        assert ask(AgendaSession(anna), "go", step="03_interviews") == "Only the facilitator can move the agenda on."

    interviews = InterviewSession(ws)
    assert interviews.diff()["current"] == 0
    assert ask(interviews, "save", id=0, fields={"pseudonym": " "}) != ""
    result = interviews.apply({"op": "save", "id": 0, "fields": {"pseudonym": "P1", "notes": "\u202eRTL"}, "nonce": 1})
    assert result["error"] == "" and result["message"]
    state = interviews.diff()
    assert state["current"] == state["interviews"][0]["id"] and state["interviews"][0]["notes"] == "\u202eRTL"
    assert ask(interviews, "code", snippet="unexpected", stance="new_insight") == ""
    assert [e["snippet"] for e in interviews.diff()["evidence"]] == ["unexpected"]
    interviews.receive("current", 0)  # the page selected "new interview": its evidence list empties
    assert interviews.diff() == {"current": 0, "evidence": []}
    with pytest.raises(RequestError):
        interviews.receive("interviews", [])  # the page never sends lists back


# ---------------------------------------------------------------------------- the one live refresh
class Broken:
    """A view whose refresh always fails."""

    def __init__(self, store: Any) -> None:
        self.store, self.version, self.calls = store, -1, 0

    def refresh(self) -> None:
        self.calls += 1
        raise RuntimeError("this view is broken")


def test_a_failing_view_never_stops_the_others(ws, caplog):
    broken = Broken(ws.store)
    good = Page(CanvasSession(ws, "idea_board"))
    live.register(broken)
    live.register(good)
    with caplog.at_level(logging.ERROR, logger="kit.live"):
        for round_ in range(1, live.MAX_FAILURES + 1):
            ws.ideas.add(text=f"idea {round_}", stage="contact")
            assert live.poll() == 1  # the good view was refreshed, the broken one failed
            assert [i["text"] for i in good.sent[-1]["items"]][-1] == f"idea {round_}"
    assert broken.calls == live.MAX_FAILURES
    assert "this view is broken" in caplog.text
    assert broken not in live.open_views() and good in live.open_views()  # given up on after too many
    assert live.poll() == 0


class NotifyingStore:
    """A store that pushes its version (as the PostgreSQL store does with LISTEN/NOTIFY)."""

    notifies = True
    connected = True

    def __init__(self) -> None:
        self.callbacks: list[Any] = []
        self.on_connection: list[Any] = []
        self.unsubscribed = 0

    def subscribe(self, callback: Any, on_connection: Any = None) -> Any:
        self.callbacks.append(callback)
        self.on_connection.append(on_connection)

        def unsubscribe() -> None:
            self.unsubscribed += 1
            self.callbacks.remove(callback)
            self.on_connection.remove(on_connection)
        return unsubscribe

    def version(self) -> int:
        raise AssertionError("a notifying store is never polled")


class Seen:
    def __init__(self, store: NotifyingStore) -> None:
        self.store, self.version = store, 0
        self.refreshed = asyncio.Event()
        self.thread: str | None = None

    def refresh(self) -> None:
        self.version += 1
        self.thread = threading.current_thread().name
        self.refreshed.set()


def test_a_notifying_store_is_followed_by_its_callback_on_the_event_loop():
    store = NotifyingStore()

    async def main() -> Seen:
        view, broken = Seen(store), Broken(store)
        live.register(view)
        live.register(broken)
        assert len(store.callbacks) == 1  # one subscription per store, shared by its views
        listener = threading.Thread(target=store.callbacks[0], args=(1,), name="listener")
        listener.start()
        listener.join()
        await asyncio.wait_for(view.refreshed.wait(), timeout=5)
        assert live.poll() == 0  # nothing polled: the store pushes
        live.unregister(view)
        live.unregister(broken)
        return view

    view = asyncio.run(main())
    assert view.version == 1 and view.thread == threading.main_thread().name  # refreshed on the loop's thread
    assert store.unsubscribed == 1 and store.callbacks == []


def test_a_lost_and_regained_connection_refreshes_every_view_of_the_store() -> None:
    store = NotifyingStore()

    async def main() -> list[tuple[str, bool, int]]:
        views = [Seen(store), Seen(store)]
        for view in views:
            live.register(view)
        [on_connection] = store.on_connection  # one subscription per store, with its connection callback
        seen: list[tuple[str, bool, int]] = []
        for connected in (False, True):
            store.connected = connected
            for view in views:
                view.refreshed.clear()
            listener = threading.Thread(target=on_connection, args=(connected,), name="listener")
            listener.start()
            listener.join()
            for view in views:
                await asyncio.wait_for(view.refreshed.wait(), timeout=5)
            seen += [(view.thread or "", connected, view.version) for view in views]
        for view in views:
            live.unregister(view)
        return seen

    seen = asyncio.run(main())
    main_thread = threading.main_thread().name
    assert seen == [(main_thread, False, 1), (main_thread, False, 1), (main_thread, True, 2), (main_thread, True, 2)]


class Unreachable(Broken):
    """A view whose server went away (or failed otherwise, as ``code`` says)."""

    def __init__(self, store: Any, code: str) -> None:
        super().__init__(store)
        self.code = code

    def refresh(self) -> None:
        self.calls += 1
        raise StorageFailure(self.code, location="postgresql://kit@db/kit?workshop=x", seconds=1)


def test_a_server_that_went_away_is_waited_for_and_never_drops_a_view(ws: kit.Workshop,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    gone, full = Unreachable(ws.store, "store.server_gone"), Unreachable(ws.store, "store.disk_full")
    live.register(gone)
    live.register(full)
    with caplog.at_level(logging.INFO, logger="kit.live"):
        for _ in range(live.MAX_FAILURES + 2):
            assert not live.refresh(gone) and not live.refresh(full)
    assert gone in live.open_views() and full not in live.open_views()
    assert "waits for the server to come back" in caplog.text


def test_one_poller_task_follows_another_process(ws, tmp_path: Path):
    page = Page(for_canvas(ws, "touchpoint_map"))
    page.refresh()
    script = f"import kit; kit.open({str(ws.path)!r}, actor='x').canvas('touchpoint_map').add('press', 'Article')"

    async def main() -> None:
        live.register(page)
        task = live.start()
        assert task is not None and live.start() is task  # one task per process
        proc = await asyncio.create_subprocess_exec(sys.executable, "-c", script)
        assert await proc.wait() == 0
        for _ in range(50):
            if len(page.sent) > 1:
                break
            await asyncio.sleep(live.INTERVAL)
        task.cancel()

    asyncio.run(main())
    assert [t["name"] for t in page.sent[-1]["items"]] == ["Article"]
