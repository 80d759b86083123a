"""Two room processes, as on two machines, serve one PostgreSQL workshop: a note on A shows on B."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from secrets import token_hex

import psycopg

import kit
from kit import facilitation
from roomclient import Client, running_room

TOKEN = "participant-token-0123456789"
ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def room_process(target: str, token_file: Path, key: str = "pg") -> Iterator[str]:
    """``python -m kit.room`` on a free port; yields its base URL once it listens, stops it with SIGINT."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "kit.room", "--workshop", f"{key}={target}",
                             "--token-file", str(token_file), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"listening on http://(\S+)", line)
        assert match, f"no start line: {line!r} {proc.stderr.read() if proc.poll() is not None else ''}"
        yield match.group(1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "stopped" in out, err  # a clean stop on Ctrl+C
        assert "Traceback" not in err, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_note_on_process_a_shows_on_process_b(pg_url, tmp_path):
    with kit.new(pg_url, title="Two rooms", language="en", actor="fac", teams=["Blue"]) as ws:
        facilitation.set_step(ws, "07_plan")
    token_file = tmp_path / "tokens"
    token_file.write_text(f"pg {TOKEN}\n")
    token_file.chmod(0o600)
    with room_process(pg_url, token_file) as a, room_process(pg_url, token_file) as b:
        async def main() -> None:
            anna = await Client(f"ws://{a}w/pg/ws?token={TOKEN}").connect()
            ben = await Client(f"ws://{b}w/pg/ws?token={TOKEN}").connect()
            for client, name in ((anna, "Anna"), (ben, "Ben")):
                await client.join(name, "Blue")
                await client.until(lambda c: "items" in c.state, 10)
            state = await anna.request("add", area="contact", text="from process A")
            assert state["error"] == ""
            await ben.until(lambda c: c.texts() == ["from process A"], 1)  # pushed by NOTIFY, not the 2 s poll
            await ben.request("add", area="contact", text="and from B")
            await anna.until(lambda c: sorted(c.texts()) == ["and from B", "from process A"], 1)
            await anna.close()
            await ben.close()

        asyncio.run(main())
    with kit.open(pg_url, actor="check") as ws:
        assert sorted(i["text"] for i in ws.ideas.all()) == ["and from B", "from process A"]


def test_a_write_waiting_for_the_workshop_lock_holds_no_other_page(pg_url, pg_cluster):
    """Another process holds the workshop's write lock (its write, a slow commit): Anna's note waits for it on the
    room's writer thread while Ben's page is served, and is stored and shown once the lock is free."""
    with kit.new(pg_url, title="Lock", language="en", actor="fac", teams=["Blue"]) as ws:
        facilitation.set_step(ws, "07_plan")
    schema = "kit_" + pg_url.rsplit("=", 1)[1]
    with running_room({"pg": (pg_url, TOKEN)}) as (base, _):
        async def main() -> None:
            anna = await Client(f"ws://{base}w/pg/ws?token={TOKEN}").connect()
            ben = await Client(f"ws://{base}w/pg/ws?token={TOKEN}").connect()
            for client, name in ((anna, "Anna"), (ben, "Ben")):
                await client.join(name, "Blue")
                await client.until(lambda c: "items" in c.state, 10)
            with psycopg.connect(pg_cluster.url()) as other:  # a transaction: the lock holds until its end
                other.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (schema,))
                request = {"op": "add", "nonce": "held", "area": "contact", "text": "after the lock"}
                await anna.send({"t": "set", "gen": anna.room["gen"], "values": {"request": request}})
                frames = ben.frames
                await ben.send({"t": "msg", "gen": ben.room["gen"], "content": {"t": "resync"}})
                await ben.until(lambda c: c.frames > frames, 5)  # served while Anna's write waits
                assert anna.state.get("ack") != "held" and "after the lock" not in ben.texts()
                other.rollback()
            await anna.until(lambda c: c.state.get("ack") == "held", 10)
            assert anna.state["error"] == ""
            await ben.until(lambda c: c.texts() == ["after the lock"], 5)
            await anna.close()
            await ben.close()

        asyncio.run(main())
    with kit.open(pg_url, actor="check") as ws:
        assert [i["text"] for i in ws.ideas.all()] == ["after the lock"]


def test_kit_serve_runs_a_server_workshop_with_no_secret_on_any_command_line(pg_cluster, tmp_path):
    """`kit serve URL`: the password given in the URL reaches the servers through PGPASSWORD, the tokens through
    0600 files; none is on the command line of any process it starts (JupyterLab, a kernel, the room)."""
    from cmdlines import secrets_on_command_lines, tree
    from kit.netutil import free_port
    from kit.serve.server import status
    from pgcluster import PASSWORD

    key = "serve-url"
    with kit.demo(pg_cluster.url(key), "en"):
        pass
    secrets = {"database password": PASSWORD, "lab token": "Lab" + token_hex(16), "participant token": token_hex(20)}
    for name in ("lab", "participant"):
        file = tmp_path / name
        file.touch(mode=0o600)
        file.write_text(secrets[f"{name} token"] + "\n")
    secret_url = pg_cluster.url(key, password=PASSWORD)
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    lab_port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kit", "serve", secret_url, "--port", str(lab_port),
                             "--participant-port", str(free_port()), "--token-file", str(tmp_path / "lab"),
                             "--participant-token-file", str(tmp_path / "participant")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        printed = []
        while not any("?token=" in line and "/w/" in line for line in printed):
            line = proc.stdout.readline()
            assert line, f"kit serve stopped: {proc.stderr.read() if proc.stderr else ''}"
            printed.append(line)
        join = next(line.strip() for line in printed if "/w/" in line)
        assert join.endswith("?token=" + secrets["participant token"])  # the tokens from the files
        assert status(join)[0] == 200  # the room opened the workshop on the server
        lab = f"http://127.0.0.1:{lab_port}/api/kernels?token={secrets['lab token']}"
        with urllib.request.urlopen(urllib.request.Request(lab, data=b"{}", method="POST"), timeout=60) as made:
            assert made.status == 201  # a kernel, as a notebook starts one
        cmdlines = tree(proc.pid)
        own = cmdlines.pop(proc.pid)  # the user's own command line: here the URL with its password, no token
        assert secrets["lab token"][:16] not in own and secrets["participant token"][:16] not in own
        assert any("-m jupyterlab" in c for c in cmdlines.values()) and any("-m kit.room" in c
                                                                           for c in cmdlines.values())
        assert any("ipykernel" in c for c in cmdlines.values()), cmdlines
        assert secrets_on_command_lines(cmdlines, secrets) == []
        assert PASSWORD not in "".join(printed)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert PASSWORD not in out + err
