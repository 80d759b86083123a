"""The room against a hostile participant: each finding of the security review (issue 17) as it was
observed, now refused, and what held, kept so. Real WebSockets on 127.0.0.1 (tests/roomclient.py)."""
from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request

import pytest

import kit
from kit import facilitation, roster, tokens
from kit.room import limits, rooms
from kit.room import server as room_server
from kit.room.protocol import HARD_FRAME
from roomclient import Client, room_workshop, running_room

TOKEN = "participant-token-0123456789"
TEAMS = ("Front Office", "Back Office")
SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")



@pytest.fixture
def room(tmp_path):
    path = room_workshop(tmp_path / "trust.workshop", TEAMS)
    with running_room({"room": (path, TOKEN)}) as (base, server):
        yield path, base, server


def _ws(base: str, token: str = TOKEN) -> str:
    return f"ws://{base}w/room/ws?token={token}"


async def _joined(base: str, name: str, team: str, secret: str | None = None) -> Client:
    client = await Client(_ws(base)).connect()
    await client.send({"t": "join", "name": name, "team": team, "secret": secret})
    await client.until(lambda c: bool(c.joined) or bool(c.refused), 10)
    if client.joined:
        await client.until(lambda c: "items" in c.state, 10)
    return client


def _request(url: str, method: str = "GET", headers: dict[str, str] | None = None,
             data: bytes | None = None) -> tuple[int, str, dict[str, str]]:
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


# --------------------------------------------------------------------------- 1. identity is the typed name
def test_finding_1_same_name_is_not_same_person(room):
    """A second page typing Alice's name and team is not Alice: no hidden notes, no edits, not her in the log."""
    path, base, _ = room

    async def main() -> None:
        with kit.open(path, actor="fac") as ws:
            facilitation.set_private(ws, "idea_board")
        alice = await _joined(base, "Alice", "Front Office")
        state = await alice.request("add", area="contact", text="Alice's hidden idea")
        note = next(i for i in state["items"] if i["text"] == "Alice's hidden idea")
        mallory = await _joined(base, "Alice", "Front Office")
        assert mallory.joined["name"] == "Alice (2)" and mallory.joined["secret"] != alice.joined["secret"]
        assert mallory.texts() == []  # the hidden note is not hers
        state = await mallory.request("edit", id=note["id"], text="hijacked")
        assert state["error"] and "hijacked" not in alice.texts()
        again = await _joined(base, "Alice", "Back Office", alice.joined["secret"])  # Alice reloads
        assert (again.joined["name"], again.joined["team"]) == ("Alice", "Front Office")
        assert again.texts() == ["Alice's hidden idea"]
        for c in (alice, mallory, again):
            await c.close()

    asyncio.run(main())
    with kit.open(path, actor="check") as ws:
        (idea,) = ws.ideas.all()
        assert (idea["text"], idea["author"]) == ("Alice's hidden idea", "Alice")
        assert {c.who for c in ws.store.changes() if c.kind == "idea"} == {"participant:Alice"}


def test_finding_1_refusal_never_names_another_persons_team(room):
    _, base, _ = room

    async def main() -> None:
        alice = await _joined(base, "Alice", "Front Office")
        other = await _joined(base, "Alice", "Back Office")
        assert other.joined["name"] == "Alice (2)" and other.refused == []
        frames = json.dumps([other.hello, other.joined, other.room])
        assert "Front Office" not in frames.replace(json.dumps(other.hello["teams"]), "")
        for c in (alice, other):
            await c.close()

    asyncio.run(main())


def test_finding_1_facilitator_name_cannot_undo_the_facilitator(room):
    """A page typing the facilitator's actor name (here "fac") undoes nothing of theirs."""
    path, base, _ = room
    with kit.open(path, actor="fac") as ws:
        board = ws.canvas("idea_board")
        gone = board.add("contact", "deleted by the facilitator", author="fac")
        board.remove(gone)

    async def main() -> None:
        fake = await _joined(base, "fac", "Front Office")
        for _ in range(3):
            state = await fake.request("undo")
            assert "nothing" in state["error"].lower()
        await fake.close()

    asyncio.run(main())
    with kit.open(path, actor="check") as ws:
        assert ws.ideas.all() == []
    with pytest.raises(kit.WorkshopError, match="reserved for participants"):
        kit.open(path, actor="participant:fac")


@pytest.mark.parametrize("first, second", [("Eve", "Eve\u200d"), ("Alice", "\u0410lice"),
                                           ("Zo\u00e9", "Zoe\u0301"), ("Thomas", "Thomas")])
def test_finding_1_look_alike_names_and_two_thomases_are_different_people(tmp_path, first, second):
    """Look-alike names are one name (NFC, zero-width removed, TR 39 skeleton); its second bearer gets "(2)"."""
    path = room_workshop(tmp_path / "names.workshop", TEAMS)
    with kit.open(path, actor="room", role="participant") as ws:
        one = roster.join(ws, first, "Front Office")
        two = roster.join(ws, second, "Front Office")
        assert two["name"] == f"{' '.join(second.split())} (2)" or two["name"].endswith(" (2)")
        assert one["name"] != two["name"] and one["secret"] != two["secret"]
        assert len(roster.participants(ws)) == 2
        assert roster.join(ws, second, "Back Office", one["secret"])["name"] == one["name"]  # the secret is hers
        assert all("secret" not in e and "secret_sha256" not in e for e in roster.participants(ws))
        stored = ws.live[next(k for k in ws.live if k.startswith("participant:"))]
        assert stored["secret_sha256"] == tokens.digest(one["secret"]).hex()  # only the digest is kept


# --------------------------------------------------------------------------- 2. undo and redo skip the rules
def test_finding_2_undo_and_redo_on_a_locked_canvas_are_refused(room):
    path, base, _ = room

    async def main() -> None:
        anna = await _joined(base, "Anna", "Front Office")
        await anna.request("add", area="contact", text="mine")
        with kit.open(path, actor="fac") as ws:
            facilitation.lock(ws, "idea_board")
        await anna.until(lambda c: c.state["controls"].get("locked"), 5)
        assert "locked" in (await anna.request("undo"))["error"].lower()
        with kit.open(path, actor="fac") as ws:
            facilitation.lock(ws, "idea_board", False)
        await anna.until(lambda c: not c.state["controls"].get("locked"), 5)
        assert (await anna.request("undo"))["error"] == ""
        with kit.open(path, actor="fac") as ws:
            facilitation.lock(ws, "idea_board")
        await anna.until(lambda c: c.state["controls"].get("locked"), 5)
        assert "locked" in (await anna.request("redo"))["error"].lower()
        await anna.close()

    asyncio.run(main())
    with kit.open(path, actor="check") as ws:
        assert ws.ideas.all() == []  # the undo that was allowed holds; the redo did not bring it back


def test_finding_2_undo_and_redo_of_dots_are_refused_while_voting_is_closed(room):
    path, base, _ = room
    with kit.open(path, actor="fac") as ws:
        note = ws.canvas("idea_board").add("contact", "vote on me", author="fac")
        facilitation.open_vote(ws, "idea_board", budget=3)

    async def main() -> None:
        anna = await _joined(base, "Anna", "Front Office")
        for _ in range(3):
            assert (await anna.request("vote", id=note))["error"] == ""
        assert (await anna.request("undo"))["error"] == ""  # 3 -> 2 while voting is open
        with kit.open(path, actor="fac") as ws:
            facilitation.close_vote(ws, "idea_board")
        await anna.until(lambda c: not c.state["controls"].get("vote_open"), 5)
        assert "closed" in (await anna.request("redo"))["error"].lower()
        assert "closed" in (await anna.request("undo"))["error"].lower()
        await anna.close()

    asyncio.run(main())
    with kit.open(path, actor="check") as ws:
        assert ws.ideas[note]["votes"] == {"Anna": 2}


def test_finding_2_undo_and_redo_obey_teams_and_visibility(tmp_path):
    """The rest of the table through a real workshop: teams kept apart and whose note it is."""
    path = room_workshop(tmp_path / "undo.workshop", TEAMS)
    with kit.open(path, actor="Anna", role="participant") as anna, kit.open(path, actor="fac") as fac:
        roster.join(anna, "Anna", "Front Office")
        board = anna.canvas("idea_board")
        mine = board.add("contact", "front idea", author="Anna", team="Front Office")
        board.remove(mine)
        fac_roster = roster.participants(fac)[0]
        roster.assign(fac, fac_roster["name"], "Back Office")
        roster.separate_teams(fac, "idea_board")
        with pytest.raises(kit.WorkshopError, match="team"):  # bringing back a Front Office note, now in Back Office
            anna.undo()
        roster.separate_teams(fac, "idea_board", False)
        anna.undo()
        assert [i["text"] for i in fac.ideas.all()] == ["front idea"]


# --------------------------------------------------------------------------- 5-7. limits
def test_finding_5_idle_sockets_neither_fill_the_room_nor_stay(tmp_path, monkeypatch):
    monkeypatch.setattr(room_server, "JOIN_WITHIN", 0.5)
    path = room_workshop(tmp_path / "idle.workshop", TEAMS)
    with running_room({"room": (path, TOKEN)}, max_members=2) as (base, _):
        async def main() -> None:
            idle = [await Client(_ws(base)).connect() for _ in range(rooms.UNJOINED_ALLOWANCE)]
            assert _request(f"http://{base}w/room/?token={TOKEN}")[0] == 200  # idle sockets take no place
            with pytest.raises(Exception, match="503"):  # ... beyond the small allowance no socket more
                for _ in range(3):
                    idle.append(await Client(_ws(base)).connect())
            for client in idle:
                await client.until(lambda c: c.closed, 5)  # closed for not joining in time
            late = await Client(_ws(base)).connect()  # opened while there was room ...
            anna = await _joined(base, "Anna", "Front Office")
            ben = await _joined(base, "Ben", "Front Office")
            await late.join("Cem", "Front Office")  # ... joining once it is full: told at the form
            assert not late.joined and "All 2 places are taken" in late.refused[-1]
            await asyncio.sleep(0.8)  # past JOIN_WITHIN: joined pages stay
            assert not anna.closed and not ben.closed
            for c in (anna, ben, late, *idle):
                await c.close()

        asyncio.run(main())


def test_finding_6_a_huge_body_is_refused_before_it_is_read(room):
    _, base, _ = room
    host, port = base.split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"POST /w/room/ HTTP/1.1\r\nHost: x\r\nContent-Length: 94371840\r\n\r\n" + b"x" * 1024)
        answer = conn.recv(4096)  # answered (or cut) at once, not after 90 MiB
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4")
    assert room_server.MAX_BODY <= 8 * 1024


def test_finding_7_per_participant_quotas_and_one_join_per_socket(room, monkeypatch):
    path, base, _ = room
    monkeypatch.setattr(limits, "MAX_NOTES", limits.NOTES_PER_MINUTE + 2)

    async def main() -> None:
        anna = await _joined(base, "Anna", "Front Office")
        state = await anna.request("add", area="contact", text="x" * 200_000)
        assert state["error"] == "Note too long (200000 characters, at most 110000): not saved."
        for i in range(limits.NOTES_PER_MINUTE):
            assert (await anna.request("add", area="contact", text=f"n{i}"))["error"] == ""
        state = await anna.request("add", area="contact", text="one too many")
        assert state["error"] == "Too many notes in a short time (at most 30 a minute): this one was not saved."
        await anna.send({"t": "join", "name": "Bob", "team": "Front Office"})  # a second join on one socket
        await anna.until(lambda c: c.refused, 5)
        assert "already joined" in anna.refused[-1]
        limit = limits.Quota(total=limits.MAX_NOTES)
        with pytest.raises(kit.WorkshopError, match="the most allowed"):
            limit.check({"op": "add", "text": "x"})
        await anna.close()

    asyncio.run(main())
    with kit.open(path, actor="check") as ws:
        assert len(ws.ideas.all()) == limits.NOTES_PER_MINUTE and len(roster.participants(ws)) == 1


# --------------------------------------------------------------------------- 8. unknown keys
def test_finding_8_unknown_keys_cost_nothing_and_say_nothing(tmp_path, monkeypatch):
    """The hub's room (any workshop of a server): a forged token on an existing key and any unknown key get
    the same page in the browser's language, and which rooms are open is read once, not per key."""
    reads: list[str] = []
    path = room_workshop(tmp_path / "known.workshop", TEAMS)
    opened = tokens.make()

    def directory(server: str) -> dict[str, str]:
        reads.append(server)
        return {"known": tokens.digest(opened).hex()}

    monkeypatch.setattr(rooms, "room_digests", directory)
    hall = rooms.ServedWorkshops({}, server="postgresql://nobody@127.0.0.1:1/none")
    assert hall.find("known", "forged-token-0123456789") is None
    for i in range(50):
        assert hall.find(f"unknown{i}", opened) is None
    assert len(reads) == 1 and dict(hall) == {}  # one look for all keys, no room (no connection) opened
    with running_room({"known": (path, opened)}) as (base, _):
        pages = [_request(f"http://{base}w/{key}/?token=forged-token-0123456789",
                          headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}) for key in ("known", "nope")]
        assert [p[0] for p in pages] == [403, 403] and pages[0][1] == pages[1][1]
        assert '<html lang="de">' in pages[0][1] and "Dieser Raum ist nicht offen" in pages[0][1]
        english = _request(f"http://{base}w/nope/?token=x", headers={"Accept-Language": "fr, en"})
        assert '<html lang="en">' in english[1]


# --------------------------------------------------------------------------- 9. quotes
def test_finding_9_quotes_reach_participants_pseudonymised(tmp_path):
    path = room_workshop(tmp_path / "quotes.workshop", TEAMS, step="06_touchpoints")
    with kit.open(path, actor="fac") as ws:
        ws.set(personas=["Guest"])
        interview = ws.interviews.add(pseudonym="Interviewee A", real_name="Nadia Osei", segment="Guest")
        tp = ws.canvas("touchpoint_map").add("contact", "Front desk")
        ws.evidence.add(interview=interview, snippet="Nadia Osei said Osei family waits; Acme Corp too slow",
                        touchpoint=tp, experience=-2, stance="new_insight")
        facilitation.redact_in_room(ws, ["Acme Corp"])
    with running_room({"room": (path, TOKEN)}) as (base, _):
        async def main() -> None:
            anna = await _joined(base, "Anna", "Front Office")
            await anna.until(lambda c: c.room.get("canvas") == "touchpoint_map" and "evidence" in c.state, 10)
            frames = json.dumps(anna.state)
            assert "Nadia" not in frames and "Osei" not in frames and "Acme" not in frames
            assert "Interviewee A said Interviewee A family waits" in frames
            await anna.close()

        asyncio.run(main())


# --------------------------------------------------------------------------- 10. internal errors
def test_finding_10_internal_errors_stay_internal(room, caplog, monkeypatch):
    """An id of 2**70 and a lone surrogate are refused naming the field; a failure inside the kit reaches the
    page as one generic line with a reference, and the log has the detail under that reference."""
    _, base, _ = room

    def broken(*args: object, **kwargs: object) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    async def main() -> None:
        anna = await _joined(base, "Anna", "Front Office")
        state = await anna.request("delete", id=2**70)
        assert "id" in state["error"] and "Python" not in state["error"] and "SQLite" not in state["error"]
        state = await anna.request("add", area="contact", text="lone \ud800")
        assert "text" in state["error"] and "codec" not in state["error"] and "surrogate" not in state["error"]
        monkeypatch.setattr(kit.canvas.Canvas, "add", broken)
        state = await anna.request("add", area="contact", text="fine")
        assert "Python" not in state["error"] and "SQLite" not in state["error"]
        reference = state["error"].split("reference ")[1].split(" ")[0]
        assert state["error"] == f"Not saved: Internal error: not saved (reference {reference} for the facilitator)."
        assert f"reference {reference}" in caplog.text and "SQLite INTEGER" in caplog.text
        await anna.close()

    asyncio.run(main())


# --------------------------------------------------------------------------- 11. headers
def test_finding_11_every_response_carries_the_security_headers(room):
    _, base, _ = room
    for url, method, code in [(f"http://{base}nope", "GET", 404), (f"http://{base}w/room/ws?token={TOKEN}", "GET", 400),
                              (f"http://{base}w/room/?token={TOKEN}", "POST", 405),
                              (f"http://{base}w/room/?token=wrong-token-0123456789", "GET", 403),
                              (f"http://{base}w/room/?token={TOKEN}", "GET", 200),
                              (f"http://{base}static/room.js", "GET", 200)]:
        status, _, headers = _request(url, method, data=b"" if method == "POST" else None)
        assert status == code, url
        for name in SECURITY:
            assert name in headers, (url, name)
        assert headers["X-Frame-Options"] == "DENY"


def test_finding_11_a_reload_without_the_token_in_the_address_is_let_in_by_its_cookie(room):
    _, base, _ = room
    status, _, headers = _request(f"http://{base}w/room/?token={TOKEN}")
    cookie = headers["Set-Cookie"]
    assert status == 200 and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/w/room/" in cookie
    assert _request(f"http://{base}w/room/", headers={"Cookie": cookie.split(";")[0]})[0] == 200
    assert _request(f"http://{base}w/room/")[0] == 403


# --------------------------------------------------------------------------- item 7 of issue 21: a huge frame
def test_a_frame_over_the_hard_cap_is_refused_in_one_line(room):
    _, base, _ = room

    async def main() -> None:
        anna = await _joined(base, "Anna", "Front Office")
        await anna.send(json.dumps({"t": "ping", "pad": "x" * HARD_FRAME}))
        await anna.until(lambda c: c.closed, 10)
        assert anna.refused and "Message too large" in anna.refused[-1]
        await anna.close()

    asyncio.run(main())


# --------------------------------------------------------------------------- what held
def test_held_tokens_are_digests_compared_in_constant_time():
    token = tokens.make()
    assert len(token) >= tokens.MIN_TOKEN and tokens.matches(token, tokens.digest(token))
    assert not tokens.matches(token + "x", tokens.digest(token)) and not tokens.matches(None, tokens.digest(token))
    assert not tokens.matches(token, None) and not tokens.matches(42, tokens.digest(token))


def test_held_origin_facilitator_only_hidden_frames_and_others_notes(room):
    """A foreign Origin is refused; reveal is the facilitator's; hidden notes and other teams' notes are in no
    raw frame; others' notes and dots stay theirs; long and control-character names are refused; 405."""
    path, base, _ = room
    with pytest.raises(Exception, match="403"):
        asyncio.run(_foreign_origin(base))
    with kit.open(path, actor="fac") as ws:
        facilitation.set_private(ws, "idea_board")
        facilitation.open_vote(ws, "idea_board")

    async def main() -> None:
        anna = await _joined(base, "Anna", "Front Office")
        ben = await _joined(base, "Ben", "Back Office")
        raw: list[str] = []
        assert ben.conn is not None
        original = ben.conn.read_message

        async def spy() -> object:
            frame = await original()
            raw.append(str(frame))
            return frame

        ben.conn.read_message = spy  # type: ignore[method-assign]
        note = next(i for i in (await anna.request("add", area="contact", text="anna secret"))["items"])
        await ben.request("add", area="contact", text="ben's")
        assert "only the facilitator" in (await ben.request("reveal"))["error"]
        assert (await ben.request("edit", id=note["id"], text="mine now"))["error"]
        assert (await ben.request("vote", id=note["id"]))["error"]  # hidden from him: gone
        assert all("anna secret" not in frame for frame in raw)
        bad = await _joined(base, "x" * 61, "Front Office")
        control = await _joined(base, "bell\x07", "Front Office")
        assert bad.refused and control.refused and not bad.joined and not control.joined
        for c in (anna, ben, bad, control):
            await c.close()

    asyncio.run(main())
    assert _request(f"http://{base}w/room/?token={TOKEN}", "PUT", data=b"")[0] == 405


async def _foreign_origin(base: str) -> None:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    await websocket_connect(HTTPRequest(_ws(base), headers={"Origin": "http://evil.example"}))
