"""A facilitator opens and closes the participant room: a fresh token each time, only its digest stored."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import subprocess
import sys
from pathlib import Path

import pytest

import kit
from kit import facilitation
from kit.errors import Refused, UsageError
from kit.room import close_room, open_room, room_is_open
from kit.store.copy import copy_workshop
from roomclient import Client, http_get, running_room

BASE = "https://hub.example.org/services/room/"


def _workshop(path: Path) -> Path:
    with kit.new(path, title="Room", language="en", actor="fac", teams=["Blue"]) as ws:
        facilitation.set_step(ws, "07_plan")
    return path


def _token(link: str) -> str:
    return link.split("?token=", 1)[1]


def test_open_stores_only_the_digest_and_close_forgets_it(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    path = _workshop(tmp_path / "room.workshop")
    with kit.open(path, actor="fac") as ws:
        before = ws.version()
        link = open_room(ws, BASE)
        token = _token(link)
        assert link == f"{BASE}w/room/?token={token}" and len(token) >= 40
        assert ws.store.room_digest() == hashlib.sha256(token.encode()).hexdigest() and room_is_open(ws)
        assert ws.version() > before  # the room's watchers notice at once
        assert token not in repr(ws.store.meta()) + repr(ws.live)
        again = _token(open_room(ws, BASE))
        assert again != token and ws.store.room_digest() == hashlib.sha256(again.encode()).hexdigest()
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert token.encode() not in stored and again.encode() not in stored  # the token itself is never stored
    assert token not in caplog.text and again not in caplog.text
    with kit.open(path, actor="fac") as ws:
        close_room(ws)
        assert ws.store.room_digest() is None and not room_is_open(ws)


def test_only_a_facilitator_with_the_room_address_opens_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workshop(tmp_path / "room.workshop")
    with kit.open(path, actor="p", role="participant") as ws:
        with pytest.raises(Refused) as refused:
            open_room(ws, BASE)
        assert refused.value.code == "room.not_facilitator" and ws.store.room_digest() is None
    monkeypatch.delenv("KIT_ROOM_URL", raising=False)
    with kit.open(path, actor="fac") as ws:
        with pytest.raises(UsageError) as missing:
            open_room(ws)
        assert missing.value.code == "room.no_room_url" and "KIT_ROOM_URL" in str(missing.value)
        monkeypatch.setenv("KIT_ROOM_URL", "http://127.0.0.1:9/services/room")
        assert open_room(ws).startswith("http://127.0.0.1:9/services/room/w/room/?token=")


def test_the_room_admits_only_while_open_and_disconnects_pages_on_close(tmp_path: Path) -> None:
    path = _workshop(tmp_path / "room.workshop")
    other = _workshop(tmp_path / "other.workshop")
    with running_room({"room": (path, None), "other": (other, None)}) as (base, _):
        page = f"http://{base}w/room/"
        status, body = http_get(page + "?token=" + "x" * 43)
        assert status == 403 and "This room is not open" in body  # never opened: the friendly page
        with kit.open(path, actor="fac") as ws:
            token = _token(open_room(ws, f"http://{base}"))
        with kit.open(other, actor="fac") as ws:
            other_token = _token(open_room(ws, f"http://{base}"))
        assert http_get(page + f"?token={token}")[0] == 200
        assert http_get(page)[0] == 403 and http_get(page + f"?token={other_token}")[0] == 403
        assert http_get(f"http://{base}w/other/?token={token}")[0] == 403  # one workshop's token opens only it

        async def main() -> Client:
            client = await Client(f"ws://{base}w/room/ws?token={token}").connect()
            await client.join("Ada", "Blue")
            await client.until(lambda c: "items" in c.state, 10)
            with kit.open(path, actor="fac") as ws:
                close_room(ws)
            await client.until(lambda c: c.closed, 5)
            await client.close()
            return client

        client = asyncio.run(main())
        assert client.refused[-1] == "The room has been closed. Please ask the facilitator for a new link."
        assert http_get(page + f"?token={token}")[0] == 403
        with kit.open(path, actor="fac") as ws:
            fresh = _token(open_room(ws, f"http://{base}"))
        assert http_get(page + f"?token={token}")[0] == 403 and http_get(page + f"?token={fresh}")[0] == 200


def test_kit_room_open_and_close_from_the_command_line(tmp_path: Path) -> None:
    path = _workshop(tmp_path / "room.workshop")
    env = {"KIT_ROOM_URL": BASE, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    opened = subprocess.run([sys.executable, "-m", "kit", "room", "open", str(path)], capture_output=True, text=True,
                            env=env, timeout=60, check=False)
    assert opened.returncode == 0, opened.stderr
    link = opened.stdout.strip()
    assert link.startswith(f"{BASE}w/room/?token=")
    with kit.open(path) as ws:
        assert ws.store.room_digest() == hashlib.sha256(_token(link).encode()).hexdigest()
    closed = subprocess.run([sys.executable, "-m", "kit", "room", "close", str(path)], capture_output=True, text=True,
                            env=env, timeout=60, check=False)
    assert closed.returncode == 0 and closed.stdout.strip() == "The room is closed; open pages were disconnected."
    with kit.open(path) as ws:
        assert ws.store.room_digest() is None
    refused = subprocess.run([sys.executable, "-m", "kit", "room", "open", str(path)], capture_output=True, text=True,
                             env={**env, "KIT_ROOM_URL": ""}, timeout=60, check=False)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "KIT_ROOM_URL" in refused.stderr


def test_a_copy_starts_with_its_room_closed(tmp_path: Path) -> None:
    path = _workshop(tmp_path / "room.workshop")
    with kit.open(path, actor="fac") as ws:
        open_room(ws, BASE)
    copy_workshop(path, tmp_path / "copy.workshop", "fac", progress=False).close()
    with kit.open(tmp_path / "copy.workshop") as ws:
        assert ws.store.room_digest() is None
    with kit.open(path) as ws:
        assert ws.store.room_digest() is not None
