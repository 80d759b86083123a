"""The participant room (kit.room) over real WebSockets on 127.0.0.1: join, notes, visibility, refusals."""
from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest

import kit
from kit import facilitation, roster
from kit.room.protocol import HARD_FRAME, MAX_FRAME, RateLimit
from roomclient import Client, room_workshop, running_room

TOKEN = "participant-token-0123456789"
OTHER = "another-workshop-token-98765"



@pytest.fixture
def room(tmp_path):
    path = room_workshop(tmp_path / "room.workshop")
    with running_room({"room": (path, TOKEN)}) as (base, server):
        yield path, base, server


def _ws(base: str, key: str = "room", token: str = TOKEN) -> str:
    return f"ws://{base}w/{key}/ws?token={token}"


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        with exc:  # the error is the response: close its socket
            return exc.code, exc.read().decode(), dict(exc.headers)


async def _clients(base: str, people: list[tuple[str, str]]) -> list[Client]:
    clients = [await Client(_ws(base)).connect() for _ in people]
    for client, (name, team) in zip(clients, people, strict=True):
        await client.join(name, team)
        await client.until(lambda c: "items" in c.state, 10)
    return clients


def test_join_add_and_see_each_others_notes(room):
    path, base, _ = room

    async def main() -> None:
        anna, ben = await _clients(base, [("Anna", "Blue"), ("Ben <b>", "Green")])
        assert anna.joined["who"] == "Anna · team Blue" and ben.room["canvas"] == "idea_board"
        assert anna.state["layout"] == "grid" and anna.state["me"]["name"] == "Anna"
        state = await anna.request("add", area="contact", text="nul \x00 inside")
        assert "text" in state["error"] and anna.texts() == []  # refused, naming the field
        weird = "<script>alert(1)</script> & % $ # _ { } ~ ^ \\ מרחבא مرحبا 🎉" + "x" * 100_000
        state = await anna.request("add", area="contact", text=weird)
        assert state["error"] == "" and anna.texts() == [weird]
        await ben.until(lambda c: c.texts() == [weird], 2)
        for c in (anna, ben):
            await c.close()

    asyncio.run(main())
    with kit.open(path, actor="check") as ws:
        assert [i["text"] for i in ws.ideas.all()] == [
            "<script>alert(1)</script> & % $ # _ { } ~ ^ \\ מרחבא مرحبا 🎉" + "x" * 100_000]
        assert roster.team_of(ws, "Ben <b>") == "Green"


def test_hidden_notes_and_separate_teams_reach_only_who_may_see_them(room):
    path, base, _ = room

    async def main() -> None:
        anna, ben, cem = await _clients(base, [("Anna", "Blue"), ("Ben", "Blue"), ("Cem", "Green")])
        with kit.open(path, actor="fac") as ws:
            facilitation.set_private(ws, "idea_board")
        await anna.until(lambda c: c.state["controls"].get("private"), 2)
        await anna.request("add", area="contact", text="secret")
        await cem.request("add", area="contact", text="cem secret")
        with kit.open(path, actor="check") as ws:
            version = ws.version()
        for c in (anna, ben, cem):  # every page has moved past both notes
            await c.until(lambda c: c.state["version"] >= version, 2)
        assert (anna.texts(), ben.texts(), cem.texts()) == (["secret"], [], ["cem secret"])
        with kit.open(path, actor="fac") as ws:
            facilitation.reveal(ws, "idea_board")
            facilitation.set_private(ws, "idea_board", False)
            roster.separate_teams(ws, "idea_board")
        for c in (anna, ben):
            await c.until(lambda c: c.texts() == ["secret"], 2)
        await cem.until(lambda c: c.texts() == ["cem secret"], 2)
        await ben.request("add", area="contact", text="blue only")
        await anna.until(lambda c: "blue only" in c.texts(), 2)
        await cem.request("add", area="contact", text="after")  # cem's page moved past Ben's note
        await cem.until(lambda c: "after" in c.texts(), 2)
        assert cem.texts() == ["cem secret", "after"]
        for c in (anna, ben, cem):
            await c.close()

    asyncio.run(main())


def test_controls_reach_pages_and_the_step_swaps_the_canvas(room):
    path, base, _ = room

    async def main() -> None:
        (anna,) = await _clients(base, [("Anna", "Blue")])
        gen = anna.room["gen"]
        with kit.open(path, actor="fac") as ws:
            facilitation.lock(ws, "idea_board")
            facilitation.start_timer(ws, 5, "Ideas")
        await anna.until(lambda c: c.state["controls"].get("locked") and c.room["timer"]["running"], 1)
        state = await anna.request("add", area="contact", text="too late")
        assert "locked" in state["error"].lower()
        with kit.open(path, actor="fac") as ws:
            facilitation.set_step(ws, "05_canvas")
        await anna.until(lambda c: c.room["canvas"] == "value_proposition" and c.state.get("layout"), 1)
        assert anna.room["gen"] == gen + 1 and anna.room["module"] == "vpc" and "Canvas" in anna.room["step"]
        with kit.open(path, actor="fac") as ws:
            facilitation.set_step(ws, "03_interviews")
        await anna.until(lambda c: c.room["canvas"] is None and c.room["notice"], 1)
        await anna.send({"t": "set", "gen": gen, "values": {"request": {"op": "add"}}})  # a widget now gone
        await anna.until(lambda c: c.refused, 2)
        assert "No canvas" in anna.refused[-1]
        await anna.close()

    asyncio.run(main())


def test_bad_frames_are_refused_and_the_room_goes_on(room):
    path, base, _ = room

    async def main() -> None:
        anna, ben = await _clients(base, [("Anna", "Blue"), ("Ben", "Blue")])
        for frame in ["not json", "[1, 2]", json.dumps({"t": "nope"}), json.dumps({"t": "set", "values": 3}),
                      "[" * 100_000, b"\x00\xffbinary", json.dumps({"t": "join", "name": 5, "team": None})]:
            before = len(anna.refused)
            await anna.send(frame)
            await anna.until(lambda c, n=before: len(c.refused) > n, 2)
            assert "Unreadable message" in anna.refused[-1]
        before = len(anna.refused)
        await anna.send(json.dumps({"t": "ping", "pad": "x" * (MAX_FRAME + 1)}))
        await anna.until(lambda c: len(c.refused) > before, 5)
        assert "too large" in anna.refused[-1] and not anna.closed
        huge = await Client(_ws(base)).connect()  # beyond the hard cap the socket is cut, nobody else notices
        await huge.send(json.dumps({"t": "ping", "pad": "x" * HARD_FRAME}))
        await huge.until(lambda c: c.closed, 5)
        await huge.close()
        await anna.send({"t": "set", "gen": anna.room["gen"], "values": {"items": []}})  # never a note list
        await anna.until(lambda c: "cannot set" in c.refused[-1], 2)
        # A flood: 500 adds at once; the bucket lets a burst through and refuses the rest, saving nothing twice.
        flood = [json.dumps({"t": "set", "gen": anna.room["gen"],
                             "values": {"request": {"op": "add", "area": "contact", "text": f"f{i}", "nonce": i}}})
                 for i in range(500)]
        for frame in flood:
            await anna.send(frame)
        await anna.until(lambda c: any("Too many" in r for r in c.refused), 5)
        state = await ben.request("add", area="contact", text="ben is not disturbed")
        assert state["error"] == ""
        await anna.until(lambda c: "ben is not disturbed" in c.texts(), 5)
        assert not anna.closed and not ben.closed
        for c in (anna, ben):
            await c.close()

    asyncio.run(main())
    with kit.open(path, actor="check") as ws:
        texts = [i["text"] for i in ws.ideas.all()]
    flooded = [t for t in texts if t.startswith("f")]
    assert len(flooded) == len(set(flooded)) and 0 < len(flooded) < 500 and "ben is not disturbed" in texts


def test_rate_limit_refills():
    bucket = RateLimit(rate=10, burst=3)
    assert [bucket.allow(100.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.allow(100.15) and not bucket.allow(100.15)  # 1.5 tokens back after 0.15 s


def test_tokens_open_only_their_own_workshop_under_a_prefix(tmp_path, caplog):
    a, b = room_workshop(tmp_path / "a.workshop"), room_workshop(tmp_path / "b.workshop", step="05_canvas")
    with running_room({"alpha": (a, TOKEN), "beta": (b, OTHER)}, base_url="/services/room/") as (base, _):
        assert base.endswith("/services/room/")
        assert _get(f"http://{base}w/alpha/?token={TOKEN}")[0] == 200
        assert _get(f"http://{base}w/beta/?token={OTHER}")[0] == 200
        for url in (f"w/alpha/?token={OTHER}", f"w/beta/?token={TOKEN}", "w/alpha/", "w/gamma/?token=" + TOKEN,
                    f"w/beta/?token={OTHER}x"):
            assert _get(f"http://{base}{url}")[0] == 403, url
        assert _get(f"http://127.0.0.1:{base.split(':')[1].split('/')[0]}/w/alpha/?token={TOKEN}")[0] == 404

        async def main() -> None:
            with pytest.raises(Exception, match="403"):
                await Client(f"ws://{base}w/beta/ws?token={TOKEN}").connect()
            client = await Client(f"ws://{base}w/beta/ws?token={OTHER}").connect()
            await client.join("Anna", "Blue")
            await client.until(lambda c: c.room.get("canvas") == "value_proposition", 5)
            await client.close()

        asyncio.run(main())
    assert "403 GET /services/room/w/alpha/" in caplog.text  # refusals are logged ...
    assert TOKEN not in caplog.text and OTHER not in caplog.text  # ... never with a token


def test_page_is_local_escaped_and_a_full_room_is_friendly(tmp_path):
    path = room_workshop(tmp_path / "room.workshop")
    with running_room({"room": (path, TOKEN)}, max_members=1) as (base, _):
        code, page, headers = _get(f"http://{base}w/room/?token={TOKEN}")
        assert code == 200 and "default-src 'self'" in headers["Content-Security-Policy"]
        assert "http://" not in page.replace("http-equiv", "") and "https://" not in page  # nothing from a CDN
        assert headers["Referrer-Policy"] == "no-referrer"
        code, js, _ = _get(f"http://{base}static/widgets/board.js")
        assert code == 200 and "export default" in js and "function send(model" in js  # the JupyterLab module
        assert _get(f"http://{base}static/widgets/nope.js")[0] == 404
        assert _get(f"http://{base}static/../rooms.py")[0] in (403, 404)

        async def main() -> None:
            first = await Client(_ws(base)).connect()  # a socket that has not joined takes no place
            assert _get(f"http://{base}w/room/?token={TOKEN}")[0] == 200
            await first.join("Anna", "Blue")
            code, full, _ = _get(f"http://{base}w/room/?token={TOKEN}")
            assert code == 503 and "The room is full" in full and "All 1 places" in full
            with pytest.raises(Exception, match="503"):
                await Client(_ws(base)).connect()
            await first.close()
            await asyncio.sleep(0)  # the close travels; the next page gets in once it has

        asyncio.run(main())


def test_config_reads_keys_and_tokens(tmp_path):
    from kit.errors import WorkshopError
    from kit.room.config import entries, key_of, split_workshop
    from kit.tokens import digest

    assert key_of("/x/Kunden Service.workshop") == "kunden-service"
    assert key_of("postgresql://kit@db:5432/kit?workshop=Hotel_1") == "hotel_1"
    assert split_workshop("a=/x/y.workshop") == ("a", "/x/y.workshop")
    assert split_workshop("postgresql://h/db?workshop=k") == ("k", "postgresql://h/db?workshop=k")
    tokens = tmp_path / "tokens"
    tokens.write_text(f"a {TOKEN}\nb {OTHER}\n")
    found = entries(["a=/x/a.workshop", "b=/x/b.workshop"], tokens)
    assert [(e.key, e.token_digest) for e in found] == [("a", digest(TOKEN)), ("b", digest(OTHER))]
    assert all(TOKEN not in repr(e) for e in found)  # only digests are kept
    for workshops, text in ((["a=/x", "a=/y"], f"a {TOKEN}"), (["a=/x"], "a short"), ([], ""),
                            (["a=/x", "b=/y"], f"a {TOKEN}\nb {TOKEN}")):
        tokens.write_text(text)
        with pytest.raises(WorkshopError):
            entries(workshops, tokens)


def test_the_room_process_stops_cleanly_on_ctrl_c(tmp_path):
    from test_room_postgres import room_process

    path = room_workshop(tmp_path / "cli.workshop")
    tokens = tmp_path / "tokens"
    tokens.write_text(TOKEN + "\n")
    with room_process(str(path), tokens, key="cli") as base:  # asserts exit 0 and no traceback on SIGINT
        assert _get(f"http://{base}w/cli/?token={TOKEN}")[0] == 200

        async def main() -> None:
            client = await Client(f"ws://{base}w/cli/ws?token={TOKEN}").connect()
            await client.join("Anna", "Blue")
            await client.close()

        asyncio.run(main())


def test_a_page_that_missed_a_patch_asks_and_gets_the_whole_list(room):
    _, base, _ = room

    async def main() -> None:
        anna, ben = await _clients(base, [("Anna", "Blue"), ("Ben", "Blue")])
        await anna.request("add", area="contact", text="one")
        await ben.until(lambda c: c.texts() == ["one"], 2)
        ben.drop_next = True  # the next patch is lost on the way
        await anna.request("add", area="contact", text="two")
        await anna.request("add", area="contact", text="three")  # its base is the version Ben never got
        await ben.until(lambda c: c.texts() == ["one", "two", "three"], 2)
        assert ben.resyncs == 1 and anna.resyncs == 0
        received = ben.received
        await anna.request("add", area="contact", text="four " + "x" * 300)
        await ben.until(lambda c: len(c.texts()) == 4, 2)
        assert ben.received - received < 1024  # one note costs its size, not the board's
        await ben.send({"t": "msg", "gen": ben.room["gen"], "content": {"t": "explode"}})
        await ben.until(lambda c: bool(c.refused), 2)
        for c in (anna, ben):
            await c.close()

    asyncio.run(main())
