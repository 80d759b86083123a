"""Live widgets without a browser: state <-> store both ways, every request, errors, privacy, sync.

The widgets are driven exactly as the browser drives them: by setting the ``request`` trait
(``widget.request = {...}``), then the test reads the store through a separate connection.
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import kit
from kit import facilitation, live
from kit.widgets import BoardWidget, TouchpointMapWidget, ValuePropositionWidget, show

XSS = '<img src=x onerror=alert(1)><script>alert("x")</script> & % $ # _ { } ~ ^ \\ مرحبا 👩‍🚀'
_nonce = iter(range(1, 10**9))


def ask(widget, op: str, **payload) -> str:
    """Send one request the way the browser does; returns the error shown ("" = success)."""
    nonce = str(next(_nonce))
    widget.request = {"op": op, "nonce": nonce, **payload}
    assert widget.ack == nonce, "the request was not answered"
    return widget.error


def fresh(path: Path, actor: str = "checker") -> kit.Workshop:
    """A second connection to the same file, as another kernel would have."""
    return kit.open(path, actor=actor)


@pytest.fixture(autouse=True)
def _close_widgets():
    yield
    for view in live.open_views():  # widgets close themselves; other views (a test's stand-ins) are let go
        close = getattr(view, "close", None)
        if close is not None:
            close()
        else:
            live.unregister(view)


def test_import_kit_does_not_load_widget_libraries():
    code = "import sys, kit; print('ipywidgets' in sys.modules or 'anywidget' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("canvas_id, cls", [
    ("value_proposition", ValuePropositionWidget), ("touchpoint_map", TouchpointMapWidget),
    ("empathy_map", BoardWidget), ("observation_board", BoardWidget), ("hypothesis_board", BoardWidget),
    ("idea_board", BoardWidget)])
def test_show_picks_the_widget_by_layout(ws, canvas_id, cls):
    widget = show(ws, canvas_id)
    assert isinstance(widget, cls)  # anywidget derives a per-instance subclass
    assert widget.title == ws.canvas(canvas_id).title
    assert [a["id"] for a in widget.areas] == [a["id"] for a in ws.canvas(canvas_id).areas]
    assert widget.labels["undo"] == "Undo"


def test_assets_are_files_without_network_or_html_injection():
    folder = Path(kit.__file__).parent / "widgets"
    sources = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.js")}
    assert {"common.js", "vpc.js", "board.js", "touchpoints.js"} <= set(sources)
    for name, text in sources.items():
        for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "http://", "https://",
                    "import "):
            assert bad not in text.replace("http://www.w3.org/2000/svg", ""), f"{name} uses {bad}"


def test_labels_follow_the_workshop_language(ws_de):
    widget = show(ws_de, "value_proposition")
    assert widget.labels["undo"] == "Rückgängig"
    assert widget.attribution == "Value Proposition Canvas: Strategyzer AG (strategyzer.com)"  # texts, not JS
    assert show(ws_de, "empathy_map").attribution == ""
    assert {a["id"]: a["title"] for a in widget.areas}["pains"] == "Schmerzen"
    assert {a["id"]: a["rank"] for a in widget.areas}["pains"] == "Schwere"
    slots = {a["id"]: a["slot"] for a in widget.areas}
    assert slots == {"gain_creators": "vm-top", "products": "vm-left", "pain_relievers": "vm-bottom",
                     "gains": "cp-top", "jobs": "cp-right", "pains": "cp-bottom"}


def test_store_changes_reach_the_widget_and_requests_reach_the_store(ws):
    widget = show(ws, "value_proposition")
    other = fresh(ws.path)
    note = other.canvas("value_proposition").add("pains", "Waiting on hold", rank=4)
    assert live.poll() >= 1
    assert [(i["id"], i["text"], i["rank"]) for i in widget.items] == [(note, "Waiting on hold", 4)]

    assert ask(widget, "add", area="jobs", text="Pay rent on time") == ""
    (job,) = other.canvas("value_proposition").items("jobs")
    assert job["text"] == "Pay rent on time" and job["author"] == "tester" and job["position"] == 1.0
    assert widget.version == ws.version()


def test_every_vpc_request(ws):
    widget = show(ws, "value_proposition")
    check = fresh(ws.path).canvas("value_proposition")

    def get(item_id):
        return check.collection[item_id]

    assert ask(widget, "add", area="pains", text="Letters nobody understands") == ""
    assert ask(widget, "add", area="pains", text="Fear of opening mail") == ""
    assert ask(widget, "add", area="pain_relievers", text="Plain-language letters") == ""
    pain1, pain2 = (i["id"] for i in check.items("pains"))
    (reliever,) = (i["id"] for i in check.items("pain_relievers"))

    assert ask(widget, "edit", id=pain1, text="Letters full of jargon") == ""
    assert get(pain1)["text"] == "Letters full of jargon"
    assert ask(widget, "rank", id=pain1, rank=5) == "" and get(pain1)["rank"] == 5
    assert ask(widget, "rank", id=pain1, rank=None) == "" and get(pain1)["rank"] is None
    assert ask(widget, "color", id=pain1, color=widget.colors[1]) == "" and get(pain1)["color"] == widget.colors[1]

    assert widget.coverage["pains"] == {"total": 2, "addressed": 0, "unaddressed": [pain1, pain2]}
    assert ask(widget, "link", source=reliever, target=pain2) == ""
    assert get(reliever)["fit"] == [pain2]
    assert widget.coverage["pains"] == {"total": 2, "addressed": 1, "unaddressed": [pain1]}
    assert [i["addressed"] for i in widget.items if i["area"] == "pains"] == [False, True]
    assert ask(widget, "unlink", source=reliever, target=pain2) == "" and get(reliever)["fit"] == []

    # move: to the front of its own area, then to another area
    assert ask(widget, "move", id=pain2, area="pains", index=0) == ""
    assert [i["id"] for i in check.items("pains")] == [pain2, pain1]
    assert ask(widget, "move", id=pain2, area="gains") == "" and get(pain2)["area"] == "gains"

    facilitation.open_vote(ws, "value_proposition", budget=2)
    assert ask(widget, "vote", id=pain1) == "" and get(pain1)["votes"] == {"tester": 1}
    assert widget.controls["dots_left"] == 1
    assert ask(widget, "vote", id=pain1, dots=-1) == "" and get(pain1)["votes"] == {}

    assert ask(widget, "delete", id=pain1) == "" and check.collection.get(pain1) is None
    assert ask(widget, "undo") == "" and get(pain1)["text"] == "Letters full of jargon"
    assert ask(widget, "redo") == "" and check.collection.get(pain1) is None
    assert pain1 not in [i["id"] for i in widget.items]


def test_errors_are_shown_in_the_workshop_language_not_raised(ws_de):
    widget = show(ws_de, "value_proposition")
    assert ask(widget, "add", area="pains", text="   ").startswith("Nicht gespeichert: Eine Notiz braucht Text")
    assert ask(widget, "add", area="nowhere", text="x").startswith("Nicht gespeichert: Ungültige Eingabe in area")
    assert "unknown request" in ask(widget, "explode")
    assert ask(widget, "edit", id=999, text="x").endswith("(jemand hat sie gelöscht).")
    assert ask(widget, "edit", id="1; DROP TABLE", text="x").startswith("Nicht gespeichert")
    assert ask(widget, "add", area="pains", text="Schmerz") == ""
    pain = widget.items[0]["id"]
    assert ask(widget, "rank", id=pain, rank=9) == ("Nicht gespeichert: Ungültige Eingabe in rank: "
                                                    "muss zwischen 1 und 5 liegen, nicht 9")
    assert ask(widget, "link", source=pain, target=pain).endswith("ein Gewinnerzeuger zu Gewinnen.")
    assert ask(widget, "color", id=pain, color="javascript:alert(1)").startswith("Nicht gespeichert")
    assert ask(widget, "undo") == ""
    assert ask(widget, "undo") == "Nicht gespeichert: Nichts rückgängig zu machen."
    assert ask(widget, "add", area="pains", text="ok") == "" and widget.error == ""  # success clears it
    assert [i["text"] for i in widget.items] == ["ok"]


def test_bad_input_is_stored_exactly_and_sent_as_plain_text(ws):
    widget = show(ws, "value_proposition")
    long_text = "Ä" * 100_000
    assert ask(widget, "add", area="gains", text=XSS) == ""
    assert ask(widget, "add", area="gains", text=long_text) == ""
    texts = [i["text"] for i in widget.items]
    assert texts == [XSS, long_text]
    assert [r["text"] for r in fresh(ws.path).canvas("value_proposition").items()] == texts


def test_evidence_counts_and_flag(ws):
    hyp = ws.hypotheses.add(kind="pain", statement="Customers fear calls")
    interview = ws.interviews.add(pseudonym="C1")
    ws.evidence.add(interview=interview, snippet="I never pick up", hypothesis=hyp, stance="supports")
    ws.evidence.add(interview=interview, snippet="I called once", hypothesis=hyp, stance="contradicts")
    canvas = ws.canvas("value_proposition")
    backed = canvas.add("pains", "Fear of calls", hypothesis=hyp)
    bare = canvas.add("pains", "Nobody asked")
    reliever = canvas.add("pain_relievers", "Chat instead of calls")
    widget = show(ws, "value_proposition")
    by_id = {i["id"]: i for i in widget.items}
    assert by_id[backed]["evidence"] == {"supports": 2 - 1, "contradicts": 1}
    assert by_id[bare]["evidence"] == {"supports": 0, "contradicts": 0}
    assert by_id[reliever]["evidence"] is None


def test_change_by_another_process_reaches_an_open_widget(ws):
    widget = show(ws, "value_proposition")
    before = widget.version
    script = textwrap.dedent(f"""
        import kit
        ws = kit.open({str(ws.path)!r}, actor="other-kernel")
        ws.canvas("value_proposition").add("gains", "written elsewhere", author="other-kernel")
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert [i["text"] for i in widget.items] == []  # nothing happens until the poller looks
    assert live.poll() == 1
    assert [(i["text"], i["author"]) for i in widget.items] == [("written elsewhere", "other-kernel")]
    assert widget.version > before
    assert live.poll() == 0  # nothing new: nothing refreshed


def test_poller_task_on_the_event_loop_follows_another_process(ws):
    widget = show(ws, "touchpoint_map")
    script = textwrap.dedent(f"""
        import kit
        ws = kit.open({str(ws.path)!r}, actor="participant-laptop")
        ws.canvas("touchpoint_map").add("press", "Trade press article", channel="print")
    """)

    async def main() -> float:
        task = live.start()
        assert task is not None
        changed = asyncio.Event()
        widget.observe(lambda change: changed.set(), "items")
        proc = await asyncio.create_subprocess_exec(sys.executable, "-c", script)
        assert await proc.wait() == 0
        done = time.monotonic()
        await asyncio.wait_for(changed.wait(), timeout=5)
        task.cancel()
        return time.monotonic() - done

    seconds = asyncio.run(main())
    assert seconds < 1.0
    assert [(t["name"], t["channel"]) for t in widget.items] == [("Trade press article", "print")]


def test_concurrent_edits_on_different_notes_both_survive(ws):
    canvas = ws.canvas("value_proposition")
    a, b = canvas.add("pains", "A"), canvas.add("pains", "B")
    mine = show(ws, "value_proposition")
    theirs_ws = fresh(ws.path, actor="colleague")
    theirs = show(theirs_ws, "value_proposition")
    # neither widget has refreshed in between: each still holds the old list
    assert ask(mine, "edit", id=a, text="A edited") == ""
    assert ask(theirs, "rank", id=a, rank=3) == ""
    assert ask(theirs, "edit", id=b, text="B edited") == ""
    records = {r["id"]: r for r in fresh(ws.path).canvas("value_proposition").items()}
    assert (records[a]["text"], records[a]["rank"], records[b]["text"]) == ("A edited", 3, "B edited")
    live.poll()
    assert {i["text"] for i in mine.items} == {i["text"] for i in theirs.items} == {"A edited", "B edited"}


def test_private_notes_are_seen_only_by_their_author_and_the_facilitator(ws):
    facilitation.set_private(ws, "empathy_map")
    anna = show(ws, "empathy_map", participant="Anna", team="Blau")
    ben = show(ws, "empathy_map", participant="Ben")
    room = show(ws, "empathy_map")
    assert anna.me == {"name": "Anna", "team": "Blau", "role": "participant"}
    assert ask(anna, "add", area="sees", text="Anna's secret") == ""
    (record,) = fresh(ws.path).canvas("empathy_map").items()
    assert (record["hidden"], record["author"], record["team"]) == (True, "Anna", "Blau")
    live.poll()
    assert [i["text"] for i in anna.items] == ["Anna's secret"]
    assert ben.items == []
    assert [(i["text"], i["hidden"]) for i in room.items] == [("Anna's secret", True)]
    assert ask(ben, "edit", id=record["id"], text="overwritten").endswith("(someone deleted it).")
    assert ask(ben, "delete", id=record["id"]) != ""
    assert fresh(ws.path).canvas("empathy_map").collection[record["id"]]["text"] == "Anna's secret"
    assert "text/html" not in anna._repr_mimebundle_()[0]  # the static figure would show hidden notes

    assert ask(ben, "reveal") != ""  # only the facilitator reveals
    assert ask(room, "reveal") == ""
    live.poll()
    assert [(i["text"], i["hidden"]) for i in ben.items] == [("Anna's secret", False)]
    assert ben.controls["private"] is False


def test_lock_makes_the_participant_view_read_only(ws):
    ws.canvas("value_proposition").add("jobs", "Keep the lights on")
    anna = show(ws, "value_proposition", participant="Anna")
    room = show(ws, "value_proposition")
    facilitation.lock(ws, "value_proposition")
    live.poll()
    assert anna.controls["readonly"] is True and room.controls["readonly"] is False
    assert ask(anna, "add", area="jobs", text="sneaky") == "Not saved: The facilitator has locked this canvas."
    assert ask(anna, "edit", id=anna.items[0]["id"], text="sneaky") != ""
    assert ask(room, "add", area="jobs", text="facilitator may") == ""
    assert [r["text"] for r in fresh(ws.path).canvas("value_proposition").items()] == [
        "Keep the lights on", "facilitator may"]
    facilitation.lock(ws, "value_proposition", False)
    live.poll()
    assert anna.controls["readonly"] is False
    assert ask(anna, "add", area="jobs", text="now allowed") == ""


def test_participant_votes_within_budget_only_while_open(ws):
    note = ws.canvas("idea_board").add("contact", "Greet by name")
    anna = show(ws, "idea_board", participant="Anna")
    assert ask(anna, "vote", id=note) == "Not saved: Voting is closed right now."
    facilitation.open_vote(ws, "idea_board", budget=1)
    live.poll()
    assert anna.controls["vote_open"] and anna.controls["dots_left"] == 1
    assert ask(anna, "vote", id=note) == ""
    assert ask(anna, "vote", id=note) == "Not saved: All your dots are used – take one back first."
    assert fresh(ws.path).ideas[note]["votes"] == {"Anna": 1}
    assert anna.items[0]["votes"] == 1 and anna.items[0]["my_votes"] == 1 and anna.controls["dots_left"] == 0


@pytest.mark.parametrize("canvas_id, area, other_area, collection, text_field", [
    ("empathy_map", "sees", "hears", "canvas_items", "text"),
    ("observation_board", "quote", "behaviour", "observations", "text"),
    ("hypothesis_board", "pain", "gain", "hypotheses", "statement"),
    ("idea_board", "press", "website", "ideas", "text"),
])
def test_board_requests_on_every_grid_canvas(ws, canvas_id, area, other_area, collection, text_field):
    widget = show(ws, canvas_id)
    store = getattr(fresh(ws.path), collection)
    assert ask(widget, "add", area=area, text="first") == ""
    (record,) = store.all()
    assert record[text_field] == "first"
    assert ask(widget, "edit", id=record["id"], text="edited") == ""
    assert ask(widget, "move", id=record["id"], area=other_area) == ""
    record = store[record["id"]]
    assert record[text_field] == "edited" and record[widget.canvas.area_field] == other_area
    assert [(i["text"], i["area"]) for i in widget.items] == [("edited", other_area)]
    assert ask(widget, "delete", id=record["id"]) == "" and len(store) == 0


def test_every_touchpoint_request(ws):
    ws.set(personas=["Sandra", "Kai"])
    widget = show(ws, "touchpoint_map")
    store = fresh(ws.path)
    assert [a["id"] for a in widget.areas][:2] == ["need_arises", "hearsay"]
    assert widget.areas[0]["pre_contact"] is True and widget.areas[-1]["pre_contact"] is False
    assert [lane["id"] for lane in widget.lanes] == ["touchpoints", "owners", "ratings", "emotion", "ideas"]

    assert ask(widget, "add", area="search_reviews", text="Review portal", channel="web") == ""
    assert ask(widget, "add", area="search_reviews", text="Forum thread") == ""
    tp, forum = (t["id"] for t in store.canvas("touchpoint_map").items("search_reviews"))
    assert ask(widget, "edit", id=tp, fields={"owner": "Marketing", "backstage_owner": "IT", "channel": "app"}) == ""
    assert {k: store.touchpoints[tp][k] for k in ("owner", "backstage_owner", "channel")} == {
        "owner": "Marketing", "backstage_owner": "IT", "channel": "app"}
    assert ask(widget, "edit", id=tp, fields={"ist_rating": 5}) != ""  # only text fields via edit
    assert ask(widget, "rate", id=tp, field="ist_rating", value=2) == ""
    assert ask(widget, "rate", id=tp, field="soll_target", value=5) == ""
    assert (store.touchpoints[tp]["ist_rating"], store.touchpoints[tp]["soll_target"]) == (2, 5)
    assert "1..5" in ask(widget, "rate", id=tp, field="ist_rating", value=7)
    assert ask(widget, "mot", id=tp, value=True) == "" and store.touchpoints[tp]["moment_of_truth"] is True
    assert ask(widget, "emotion", id=tp, persona="Sandra", value=-2) == ""
    assert ask(widget, "emotion", id=tp, persona="Kai", value=1) == ""
    assert store.touchpoints[tp]["emotion"] == {"Sandra": -2, "Kai": 1}
    stage = [a["id"] for a in widget.areas].index("search_reviews")
    assert widget.curves["Sandra"][stage] == -2 and widget.curves["Kai"][stage] == 1
    assert widget.curves["Sandra"][0] is None

    assert ask(widget, "move", id=forum, area="search_reviews", index=0) == ""
    assert [t["id"] for t in store.canvas("touchpoint_map").items("search_reviews")] == [forum, tp]
    assert ask(widget, "move", id=forum, area="website") == "" and store.touchpoints[forum]["stage"] == "website"

    assert ask(widget, "idea_add", stage="search_reviews", touchpoint=tp, text="Answer every review") == ""
    assert ask(widget, "idea_add", stage="after", touchpoint=None, text="Thank-you card") == ""
    idea, card = (i["id"] for i in store.ideas.all())
    assert (store.ideas[idea]["touchpoint"], store.ideas[card]["stage"]) == (tp, "after")
    facilitation.open_vote(ws, "touchpoint_map", budget=3)
    assert ask(widget, "idea_vote", id=idea) == "" and ask(widget, "idea_vote", id=idea) == ""
    assert store.ideas[idea]["votes"] == {"tester": 2}
    assert {i["id"]: i["votes"] for i in widget.ideas}[idea] == 2 and widget.controls["dots_left"] == 1
    assert ask(widget, "idea_edit", id=card, text="Handwritten card") == ""
    assert ask(widget, "idea_delete", id=card) == "" and store.ideas.get(card) is None

    assert ask(widget, "delete", id=tp) == "" and store.touchpoints.get(tp) is None
    assert store.ideas[idea]["touchpoint"] is None  # the idea stays, unlinked
    assert ask(widget, "undo") == "" and store.touchpoints[tp]["name"] == "Review portal"


def test_static_figure_goes_with_the_facilitator_view(ws):
    ws.canvas("value_proposition").add("pains", "<b>not bold</b>")
    data = show(ws, "value_proposition")._repr_mimebundle_()[0]
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "<img" in data["text/html"] and "<b>not bold</b>" not in data["text/html"]


def test_separated_teams_see_only_their_own_team(ws):
    from kit import roster

    roster.join(ws, "Anna", "Blau")
    roster.join(ws, "Cem", "Grün")
    board = ws.canvas("idea_board")
    blue = board.add("contact", "Blue idea", author="Anna", team="Blau")
    green = board.add("contact", "Green idea", author="Cem", team="Grün")
    tp = ws.canvas("touchpoint_map").add("contact", "Hotline")
    ws.ideas.add(text="Green TP idea", stage="contact", touchpoint=tp, author="Cem", team="Grün")
    anna = show(ws, "idea_board", participant="Anna", team="Blau")
    anna_map = show(ws, "touchpoint_map", participant="Anna", team="Blau")
    room = show(ws, "idea_board")
    assert {i["text"] for i in anna.items} == {"Blue idea", "Green idea", "Green TP idea"}  # not separated: shared
    assert {i["text"] for i in anna_map.ideas} == {"Blue idea", "Green idea", "Green TP idea"}

    roster.separate_teams(ws, "idea_board")
    roster.separate_teams(ws, "touchpoint_map")
    live.poll()
    assert [i["text"] for i in anna.items] == ["Blue idea"]  # filtered in Python: Green never reaches the page
    assert [i["text"] for i in anna_map.ideas] == ["Blue idea"]
    assert {i["text"] for i in room.items} == {"Blue idea", "Green idea", "Green TP idea"}  # facilitator: all
    facilitation.open_vote(ws, "idea_board", budget=3)
    live.poll()
    for op, extra in (("edit", {"text": "hijacked"}), ("delete", {}), ("vote", {}), ("move", {"area": "after"})):
        assert ask(anna, op, id=green, **extra).endswith("(someone deleted it).")  # unseen counts as gone
    assert fresh(ws.path).ideas[green]["text"] == "Green idea" and fresh(ws.path).ideas[green]["votes"] == {}
    assert ask(anna, "add", area="contact", text="Another blue one") == ""
    assert fresh(ws.path).ideas.all()[-1]["team"] == "Blau"
    assert ask(anna, "vote", id=blue) == ""
    roster.separate_teams(ws, "idea_board", False)
    live.poll()
    assert {i["text"] for i in anna.items} == {"Blue idea", "Green idea", "Green TP idea", "Another blue one"}


def test_participants_get_controls_only_on_their_own_notes(ws_de):
    ws = ws_de
    vpc = ws.canvas("value_proposition")
    bens = vpc.add("pains", "Bens Schmerz", author="Ben")
    facilitation.open_vote(ws, "value_proposition", budget=3)
    anna = show(ws, "value_proposition", participant="Anna")
    room = show(ws, "value_proposition")
    assert ask(anna, "add", area="pains", text="Annas Schmerz") == ""
    flags = {i["text"]: (i["mine"], i["editable"]) for i in anna.items}
    assert flags == {"Bens Schmerz": (False, False), "Annas Schmerz": (True, True)}
    assert all(i["editable"] for i in room.items)  # the facilitator is not limited
    not_yours = ("Nicht gespeichert: Das ist nicht deine Notiz: "
                 "ändern, verschieben und löschen kannst du nur deine eigenen.")
    for op, extra in (("edit", {"text": "meins"}), ("move", {"area": "gains"}), ("delete", {}), ("rank", {"rank": 5}),
                      ("color", {"color": anna.colors[0]})):
        assert ask(anna, op, id=bens, **extra) == not_yours, op
    assert ask(anna, "vote", id=bens) == ""  # voting on other people's notes stays allowed
    stored = fresh(ws.path).canvas_items[bens]
    assert (stored["text"], stored["area"], stored["rank"], stored["votes"]) == ("Bens Schmerz", "pains", None,
                                                                                {"Anna": 1})
    assert ask(room, "edit", id=bens, text="Moderation darf") == ""
    assert fresh(ws.path).canvas_items[bens]["text"] == "Moderation darf"


def test_moving_to_another_area_puts_the_note_at_its_end_or_the_drop_position(ws):
    vpc = ws.canvas("value_proposition")
    a = vpc.add("gains", "scripted, unplaced")  # no position: sorts by creation
    b = vpc.add("gains", "placed first", position=0.5)
    widget = show(ws, "value_proposition")
    assert ask(widget, "add", area="pains", text="p1") == ""
    assert ask(widget, "add", area="pains", text="p2") == ""
    assert ask(widget, "add", area="pains", text="p3") == ""
    ids = {r["text"]: r["id"] for r in vpc.items()}

    def order(area):
        return [r["text"] for r in fresh(ws.path).canvas("value_proposition").items(area)]

    assert order("gains") == ["placed first", "scripted, unplaced"]
    assert ask(widget, "move", id=ids["p1"], area="gains") == ""  # no index: at the end, not at its old place
    assert order("gains") == ["placed first", "scripted, unplaced", "p1"]
    assert ask(widget, "move", id=ids["p2"], area="gains", index=1) == ""  # dropped between the first two
    assert order("gains") == ["placed first", "p2", "scripted, unplaced", "p1"]
    assert ask(widget, "move", id=ids["p3"], area="gains", index=0) == ""
    assert order("gains")[0] == "p3"
    vpc.move(ids["p2"], "jobs")
    vpc.move(a, "jobs")  # through the kit API too
    assert order("jobs") == ["p2", "scripted, unplaced"]
    assert ask(widget, "move", id=b, area="gains", index=3) == ""  # reorder within the area keeps working
    assert order("gains") == ["p3", "p1", "placed first"]


def test_participants_change_only_their_own_touchpoints(ws):
    from kit.errors import WorkshopError

    ws.set(personas=["Ida"])
    tmap = ws.canvas("touchpoint_map")
    sample = tmap.add("contact", "Hotline")  # no author, like the sample data: the facilitator's
    anna = show(ws, "touchpoint_map", participant="Anna", team="Blau")
    ben = show(ws, "touchpoint_map", participant="Ben", team="Blau")
    room = show(ws, "touchpoint_map")
    assert ask(anna, "add", area="contact", text="Annas Chat") == ""
    assert ask(ben, "add", area="contact", text="Bens Brief") == ""
    store = fresh(ws.path)
    ids = {t["name"]: t["id"] for t in store.touchpoints.all()}
    annas, bens = ids["Annas Chat"], ids["Bens Brief"]
    assert (store.touchpoints[annas]["author"], store.touchpoints[annas]["team"]) == ("Anna", "Blau")
    live.poll()
    flags = {t["name"]: (t["mine"], t["editable"]) for t in anna.items}
    assert flags == {"Hotline": (False, False), "Annas Chat": (True, True), "Bens Brief": (False, False)}
    assert all(t["editable"] for t in room.items)

    not_yours = ask(anna, "edit", id=bens, fields={"name": "hijacked"})
    assert not_yours.endswith("This is not your note: you can only change, move and delete your own."), not_yours
    for op, extra in (("move", {"area": "after"}), ("delete", {}), ("rate", {"field": "ist_rating", "value": 1}),
                      ("rate", {"field": "soll_target", "value": 5}), ("mot", {"value": True}),
                      ("emotion", {"persona": "Ida", "value": -2})):
        for target in (bens, sample):
            assert ask(anna, op, id=target, **extra) == not_yours, (op, target)
    for target, name in ((bens, "Bens Brief"), (sample, "Hotline")):
        stored = fresh(ws.path).touchpoints[target]
        assert (stored["name"], stored["stage"], stored["ist_rating"], stored["soll_target"], stored["emotion"],
                stored["moment_of_truth"]) == (name, "contact", None, None, {}, False)

    # the kit API refuses the same, with a message naming who wrote it
    as_anna = kit.open(ws.path, actor="Anna", role="participant")
    try:
        with pytest.raises(WorkshopError, match="written by Ben; Anna can only change their own notes"):
            as_anna.canvas("touchpoint_map").update(bens, ist_rating=1)
        with pytest.raises(WorkshopError, match="written by nobody"):
            as_anna.canvas("touchpoint_map").remove(sample)
        with pytest.raises(WorkshopError, match="only write notes as themselves"):
            as_anna.canvas("touchpoint_map").add("contact", "Fake", author="Ben")
    finally:
        as_anna.close()

    # own touchpoint: everything works
    assert ask(anna, "edit", id=annas, fields={"name": "Annas Chatbot", "owner": "Service"}) == ""
    assert ask(anna, "rate", id=annas, field="ist_rating", value=2) == ""
    assert ask(anna, "mot", id=annas, value=True) == ""
    assert ask(anna, "emotion", id=annas, persona="Ida", value=1) == ""
    assert ask(anna, "move", id=annas, area="after") == ""
    stored = fresh(ws.path).touchpoints[annas]
    assert (stored["name"], stored["owner"], stored["ist_rating"], stored["moment_of_truth"], stored["emotion"],
            stored["stage"]) == ("Annas Chatbot", "Service", 2, True, {"Ida": 1}, "after")
    assert ask(anna, "delete", id=annas) == "" and fresh(ws.path).touchpoints.get(annas) is None

    # the facilitator changes anyone's
    assert ask(room, "rate", id=bens, field="ist_rating", value=4) == ""
    assert ask(room, "edit", id=sample, fields={"name": "Hotline 24/7"}) == ""
    assert ask(room, "move", id=bens, area="after") == ""
    assert ask(room, "delete", id=sample) == ""
    store = fresh(ws.path)
    assert (store.touchpoints[bens]["ist_rating"], store.touchpoints[bens]["stage"]) == (4, "after")
    assert store.touchpoints.get(sample) is None


def test_separated_teams_see_only_their_own_touchpoints(ws):
    from kit import roster

    ws.set(personas=["Ida"])
    roster.join(ws, "Anna", "Blau")
    roster.join(ws, "Cem", "Grün")
    tmap = ws.canvas("touchpoint_map")
    tmap.add("contact", "Shared hotline")
    anna = show(ws, "touchpoint_map", participant="Anna", team="Blau")
    cem = show(ws, "touchpoint_map", participant="Cem", team="Grün")
    room = show(ws, "touchpoint_map")
    assert ask(cem, "add", area="contact", text="Green chat") == ""
    live.poll()
    assert {t["name"] for t in anna.items} == {"Shared hotline", "Green chat"}  # not separated: shared

    roster.separate_teams(ws, "touchpoint_map")
    live.poll()
    assert anna.items == []  # filtered in Python: no other team's touchpoint reaches the page
    assert [t["name"] for t in cem.items] == ["Green chat"]
    assert {t["name"] for t in room.items} == {"Shared hotline", "Green chat"}  # facilitator: all
    green = cem.items[0]["id"]
    for op, extra in (("edit", {"fields": {"name": "x"}}), ("delete", {}), ("move", {"area": "after"}),
                      ("rate", {"field": "ist_rating", "value": 1}), ("emotion", {"persona": "Ida", "value": 2})):
        assert ask(anna, op, id=green, **extra).endswith("(someone deleted it)."), op  # unseen counts as gone
    assert fresh(ws.path).touchpoints[green]["name"] == "Green chat"
    assert ask(anna, "add", area="contact", text="Blue portal") == ""
    assert ask(anna, "emotion", id=anna.items[0]["id"], persona="Ida", value=2) == ""
    assert ask(anna, "idea_add", stage="contact", touchpoint=anna.items[0]["id"], text="Blue idea") == ""
    facilitation.open_vote(ws, "touchpoint_map", budget=2)
    live.poll()
    idea = anna.ideas[0]["id"]
    assert ask(anna, "idea_vote", id=idea) == "" and ask(anna, "idea_edit", id=idea, text="Blue idea 2") == ""
    stored = fresh(ws.path)
    assert {t["name"]: t["team"] for t in stored.touchpoints.all()} == {
        "Shared hotline": "", "Green chat": "Grün", "Blue portal": "Blau"}
    assert (stored.ideas[idea]["text"], stored.ideas[idea]["votes"]) == ("Blue idea 2", {"Anna": 1})
    live.poll()
    assert [t["name"] for t in cem.items] == ["Green chat"] and cem.ideas == []
    as_cem = kit.open(ws.path, actor="Cem", role="participant")
    try:
        from kit.errors import WorkshopError

        with pytest.raises(WorkshopError, match="belongs to team Blau; Cem is in team Grün"):
            as_cem.canvas("touchpoint_map").update(anna.items[0]["id"], ist_rating=1)
    finally:
        as_cem.close()


def test_participant_writes_survive_other_processes_opening_the_file(ws):
    """A facilitator kernel holds two connections (its own and a participant widget's). Another
    process opening and closing the file must not take itself for the last user and drop the
    WAL under them (kit.store.check_file once read the header with open(), which released
    this process's SQLite locks)."""
    anna = show(ws, "touchpoint_map", participant="Anna", team="Blau")
    code = ("import kit, sys; w = kit.open(sys.argv[1], actor='reader'); "
            "print(sorted(t['name'] for t in w.touchpoints.all()))")
    read = [sys.executable, "-c", code, str(ws.path)]
    kit.open(ws.path, actor="another-widget").close()  # a third connection opened and closed here
    for n, name in enumerate(["first", "second", "third"]):
        assert ask(anna, "add", area="contact", text=name) == ""
        seen = subprocess.run(read, capture_output=True, text=True, check=True).stdout.strip()
        assert seen == str(sorted(["first", "second", "third"][: n + 1]))


def test_item_lists_reach_jupyterlab_as_patches_in_custom_messages(ws):
    widget = show(ws, "idea_board")
    sent: list[dict] = []
    widget.send = lambda content, buffers=None: sent.append(content)  # what model.on("msg:custom") would get
    assert widget.trait_metadata("items", "sync") is None  # never synced whole as a trait
    widget._on_custom(widget, {"t": "resync"}, [])  # the page holds nothing yet
    (full,) = sent
    assert full["t"] == "patch" and full["full"] and full["items"] == []
    assert ask(widget, "add", area="contact", text="erste Notiz") == ""
    patch = sent[-1]
    assert patch["base"] == full["version"] and [i["text"] for i in patch["items"]["put"]] == ["erste Notiz"]
    assert [i["text"] for i in widget.items] == ["erste Notiz"]  # Python's trait holds the list whole
    widget._on_custom(widget, {"t": "resync"}, [])  # a page that missed one gets the whole list
    assert sent[-1]["full"] and [i["text"] for i in sent[-1]["items"]] == ["erste Notiz"]
