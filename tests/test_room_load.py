"""200 participants as headless WebSocket clients on 127.0.0.1: notes and votes, teams kept apart, hidden notes."""
from __future__ import annotations

import asyncio
import time

import pytest

import kit
from kit import facilitation, roster
from roomclient import Client, running_room

TOKEN = "participant-token-0123456789"
PEOPLE = 200
BOUND = 240.0  # seconds for the whole room: join, add, vote, see


@pytest.mark.slow
def test_two_hundred_participants_add_notes_and_vote(tmp_path):
    path = tmp_path / "load.workshop"
    with kit.new(path, title="Town hall", language="en", actor="fac", teams=["Blue", "Green"]) as ws:
        facilitation.set_step(ws, "07_plan")
        roster.separate_teams(ws, "idea_board")
        facilitation.open_vote(ws, "idea_board", budget=1)
    team = {f"P{i:03d}": ("Blue", "Green")[i % 2] for i in range(PEOPLE)}
    started = time.monotonic()

    with running_room({"load": (path, TOKEN)}) as (base, _):
        async def main() -> list[Client]:
            url = f"ws://{base}w/load/ws?token={TOKEN}"
            clients = await asyncio.gather(*(Client(url).connect() for _ in range(PEOPLE)))
            await asyncio.gather(*(c.join(name, team[name]) for c, name in zip(clients, team, strict=True)))
            await asyncio.gather(*(c.until(lambda c: "items" in c.state, 60) for c in clients))
            assert all(c.joined.get("name") == name for c, name in zip(clients, team, strict=True))
            results = await asyncio.gather(*(c.request("add", area="contact", text=f"note of {c.joined['name']}")
                                             for c in clients))
            assert [r["error"] for r in results] == [""] * PEOPLE
            mine = {f"note of {n}" for n, t in team.items() if t == "Blue"}, \
                {f"note of {n}" for n, t in team.items() if t == "Green"}
            for c in clients:
                expected = mine[0] if c.joined["team"] == "Blue" else mine[1]
                await c.until(lambda c, e=expected: set(c.texts()) == e, 60)
            # Everyone gives their one dot to the first note of their team they see.
            votes = []
            for c in clients:
                target = min(c.state["items"], key=lambda i: i["id"])
                votes.append(c.request("vote", id=target["id"]))
            assert [r["error"] for r in await asyncio.gather(*votes)] == [""] * PEOPLE
            for c in clients:
                await c.until(lambda c: sum(i["votes"] for i in c.state["items"]) == PEOPLE // 2, 60)
            # Silent mode: 20 people add a hidden note each; only its author (and no other page) has it.
            with kit.open(path, actor="fac") as ws:
                facilitation.set_private(ws, "idea_board")
            writers = clients[:20]
            results = await asyncio.gather(*(c.request("add", area="after", text=f"secret of {c.joined['name']}")
                                             for c in writers))
            assert [r["error"] for r in results] == [""] * len(writers)
            with kit.open(path, actor="check") as ws:
                version = ws.version()
            await asyncio.gather(*(c.until(lambda c: c.state["version"] >= version, 60) for c in clients))
            for c in clients:
                secrets = [t for t in c.texts() if t.startswith("secret of")]
                assert secrets == ([f"secret of {c.joined['name']}"] if c in writers else []), c.joined
            for c in clients:
                await c.close()
            return clients

        clients = asyncio.run(asyncio.wait_for(main(), BOUND))
        assert [c.refused for c in clients] == [[]] * PEOPLE
    assert time.monotonic() - started < BOUND
    with kit.open(path, actor="check") as ws:
        ideas = ws.ideas.all()
    texts = [i["text"] for i in ideas]
    assert len(texts) == PEOPLE + 20 and len(set(texts)) == PEOPLE + 20  # every note stored once
    assert sum(sum(i["votes"].values()) for i in ideas) == PEOPLE
    assert all(i["team"] == team[i["author"]] for i in ideas)
