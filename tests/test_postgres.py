"""Workshops on PostgreSQL: URLs and one-line errors, many workshops apart, NOTIFY, a restarted server.

The store's own rules run on both backends in tests/test_store.py; here is what only a server has.
Every test uses the throwaway cluster of tests/pgcluster.py.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

import psycopg
import pytest

import kit
from kit.errors import NotFound, StorageFailure, StoreError, UsageError
from kit.store import delete_workshop, list_workshops, rename_workshop
from kit.store.postgres import CHANNEL
from pgcluster import PASSWORD, Cluster, free_port

WAIT = 20  # seconds any awaited event may take at most (it normally takes milliseconds)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, timeout=120,
                          check=False,
                          env=env)


# ---------------------------------------------------------------------------- URLs and one-line errors
@pytest.mark.parametrize("url", [
    "postgresql://kit:s3cret@127.0.0.1:notaport/kit?workshop=a",
    "postgresql://kit:s3cret@127.0.0.1:5432/?workshop=a",
    "postgresql://kit:s3cret@127.0.0.1:5432/a/b?workshop=a",
    "postgresql://kit:s3cret@127.0.0.1/kit?workshop=a&workshop=b",
])
def test_a_wrong_url_is_one_line_without_the_password(url: str) -> None:
    with pytest.raises(StoreError) as err:
        kit.open(url)
    text = str(err.value)
    assert err.value.code == "store.bad_url" and "s3cret" not in text and "\n" not in text
    assert "postgresql://USER@HOST:PORT/DATABASE?workshop=KEY" in text


def test_a_bad_or_missing_workshop_key(pg_cluster: Cluster) -> None:
    with pytest.raises(StoreError) as err:
        kit.open(pg_cluster.url("Not a key"))
    assert err.value.code == "store.bad_key"
    with pytest.raises(StoreError) as err:
        kit.open(pg_cluster.url())
    assert err.value.code == "store.no_key" and "kit list" in str(err.value)


def test_login_errors_say_what_is_wrong_and_never_show_the_password(pg_cluster: Cluster, pg_url: str) -> None:
    kit.new(pg_url, title="x").close()
    cases = {
        pg_cluster.url("x", password="wrong-Pw_1"): "store.login_refused",
        pg_cluster.url("x", user="nobody", password="wrong-Pw_1"): "store.login_refused",
        pg_cluster.url("x", password=PASSWORD).replace("/kit?", "/nodb?"): "store.no_database",
        f"postgresql://kit:wrong-Pw_1@127.0.0.1:{free_port()}/kit?workshop=x": "store.unreachable",
        pg_cluster.url("never-made", password=PASSWORD): "store.no_workshop",
    }
    for url, code in cases.items():
        with pytest.raises(kit.WorkshopError) as err:
            kit.open(url)
        assert err.value.code == code, url
        for language in ("de", "en"):
            text = err.value.render(language)
            assert "wrong-Pw_1" not in text and PASSWORD not in text and "\n" not in text
    with pytest.raises(NotFound, match=r"no such workshop \(workshops there: .*" + pg_url.rsplit("=", 1)[1]):
        kit.open(pg_cluster.url("never-made"))


def test_passwords_come_from_the_url_pgpassword_or_pgpass(pg_cluster: Cluster, pg_url: str,
                                                          tmp_path: Path) -> None:
    kit.new(pg_url, title="Passwords").close()
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    env["PGPASSFILE"] = str(tmp_path / "missing")
    key = pg_url.rsplit("=", 1)[1]
    no_password = cli("info", pg_url, env=env)
    assert no_password.returncode == 2 and "wants a password for kit" in no_password.stderr
    with_url = cli("info", pg_cluster.url(key, password=PASSWORD), env=env)
    assert with_url.returncode == 0 and "Passwords" in with_url.stdout
    assert PASSWORD not in with_url.stdout + with_url.stderr
    assert f"location        {pg_url}" in with_url.stdout
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_cluster.port}:kit:kit:{PASSWORD}\n")
    pgpass.chmod(0o600)
    env["PGPASSFILE"] = str(pgpass)
    with_pgpass = cli("info", pg_url, env=env)
    assert with_pgpass.returncode == 0 and "Passwords" in with_pgpass.stdout
    env["KIT_WORKSHOP"] = pg_cluster.url(key, password=PASSWORD)
    from_env = cli("dump", env=env)
    assert from_env.returncode == 0 and '"title": "Passwords"' in from_env.stdout


def test_the_location_never_holds_the_password(pg_cluster: Cluster, pg_url: str) -> None:
    key = pg_url.rsplit("=", 1)[1]
    with kit.new(pg_cluster.url(key, password=PASSWORD), title="x") as ws:
        assert ws.location == pg_url and PASSWORD not in repr(ws) and PASSWORD not in repr(ws.store)
        with pytest.raises(StoreError, match="lives on a database server and has no file"):
            _ = ws.path


def test_cli_commands_take_a_url(pg_cluster: Cluster, tmp_path: Path) -> None:
    file, url, loaded = tmp_path / "demo.workshop", pg_cluster.url("cli-demo"), pg_cluster.url("cli-load")
    for args in (("demo", str(file), "--lang", "en"), ("demo", url, "--lang", "en")):
        out = cli(*args)
        assert out.returncode == 0 and out.stdout.startswith(f"created {args[1]}: ")
    dump = cli("dump", url).stdout
    assert dump == cli("dump", str(file)).stdout and '"title"' in dump
    (tmp_path / "demo.json").write_text(dump, encoding="utf-8")
    assert cli("load", loaded, str(tmp_path / "demo.json")).returncode == 0
    assert cli("dump", loaded).stdout == dump
    again = cli("demo", url, "--lang", "en")
    assert again.returncode == 2 and again.stderr.startswith(f"kit: error: {url}: a workshop with this key exists")
    german = cli("demo", url)  # the error speaks the language the command was given
    assert german.returncode == 2 and german.stderr.startswith(f"kit: error: {url}: diesen Workshop gibt es schon")


# ---------------------------------------------------------------------------- many workshops in one database
def test_workshops_in_one_database_are_kept_apart(pg_cluster: Cluster) -> None:
    a = kit.new(pg_cluster.url("apart-a"), title="A", language="en")
    b = kit.new(pg_cluster.url("apart-b"), title="B", language="en")
    ia, ib = a.observations.add(text="only in A"), b.observations.add(text="only in B")
    assert ia == ib == 1  # ids count per workshop, as in a file
    a.set_live("step", "01_observe")
    a.snapshot("s")
    assert [o["text"] for o in b.observations] == ["only in B"]
    assert b.live == {} and b.snapshots() == [] and [c.who for c in b.store.changes()] == [b.actor]
    with pytest.raises(kit.WorkshopError, match="nothing to undo"):
        kit.open(pg_cluster.url("apart-b"), actor=a.actor + "-other").undo()
    a.close()
    b.close()


def test_list_rename_and_delete_workshops(pg_cluster: Cluster) -> None:
    kit.new(pg_cluster.url("list-one"), title="Eins").close()
    kit.new(pg_cluster.url("list-two"), title="Zwei <b>&</b>").close()
    keys = {w["key"]: w for w in list_workshops(pg_cluster.url())}
    assert keys["list-one"]["title"] == "Eins" and keys["list-two"]["location"] == pg_cluster.url("list-two")
    out = cli("list", pg_cluster.url(password=PASSWORD))
    assert out.returncode == 0 and "list-two" in out.stdout and "Zwei <b>&</b>" in out.stdout
    assert PASSWORD not in out.stdout
    with pytest.raises(StoreError, match="exists already"):
        rename_workshop(pg_cluster.url("list-one"), "list-two")
    assert rename_workshop(pg_cluster.url("list-one"), "list-uno") == pg_cluster.url("list-uno")
    assert kit.open(pg_cluster.url("list-uno")).info["title"] == "Eins"
    with pytest.raises(NotFound):
        kit.open(pg_cluster.url("list-one"))
    delete_workshop(pg_cluster.url("list-uno"))
    assert "list-uno" not in {w["key"] for w in list_workshops(pg_cluster.url())}
    with pytest.raises(UsageError, match="needs a server URL"):
        list_workshops("some.workshop")


def _table_dump(pg_cluster: Cluster, schema: str) -> list[tuple[object, ...]]:
    with psycopg.connect(pg_cluster.url()) as conn:
        return conn.execute(f'SELECT * FROM "{schema}".meta ORDER BY 1').fetchall()


def test_a_foreign_schema_and_a_newer_schema_are_refused_and_left_unchanged(pg_cluster: Cluster, pg_url: str) -> None:
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute('CREATE SCHEMA "kit_foreign"')
        conn.execute('CREATE TABLE "kit_foreign".meta (key TEXT, value TEXT)')
        conn.execute("INSERT INTO \"kit_foreign\".meta VALUES ('owner', 'another application')")
    before = _table_dump(pg_cluster, "kit_foreign")
    with pytest.raises(StoreError, match="exists but is not a workshop; left unchanged"):
        kit.open(pg_cluster.url("foreign"))
    with pytest.raises(StoreError, match="exists already"):
        kit.new(pg_cluster.url("foreign"), title="x")
    with pytest.raises(StoreError, match="not a workshop"):
        delete_workshop(pg_cluster.url("foreign"))
    assert _table_dump(pg_cluster, "kit_foreign") == before

    schema = "kit_" + pg_url.rsplit("=", 1)[1]
    kit.new(pg_url, title="x").close()
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"UPDATE \"{schema}\".meta SET value='99' WHERE key='schema_version'")
    before = _table_dump(pg_cluster, schema)
    with pytest.raises(StoreError, match=r"written by a newer workshop-kit \(schema 99"):
        kit.open(pg_url)
    assert _table_dump(pg_cluster, schema) == before


# ---------------------------------------------------------------------------- failures and crashes
def test_a_writer_killed_inside_a_transaction_commits_nothing_and_blocks_nobody(pg_url: str) -> None:
    ws = kit.new(pg_url, title="x", actor="tester")
    kept = ws.observations.add(text="committed before")
    script = textwrap.dedent(f"""
        import sys, threading, kit
        ws = kit.open({pg_url!r}, actor="victim")
        with ws.store.transaction("victim"):
            ws.observations.add(text="never committed")
            print("inside", flush=True)
            threading.Event().wait()   # hold the transaction (and the workshop's write lock) until killed
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "inside"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=WAIT)
    after = ws.observations.add(text="written after the kill")  # the server freed the lock of the dead writer
    assert [o["text"] for o in ws.observations] == ["committed before", "written after the kill"]
    assert {c.record_id for c in ws.store.changes()} == {kept, after}
    ws.close()


def test_a_workshop_locked_past_the_timeout_is_one_line(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from kit.store import postgres

    monkeypatch.setattr(postgres, "LOCK_TIMEOUT", 0.5)
    ws = kit.new(pg_url, title="x")
    kept = ws.observations.add(text="kept")
    holder = kit.open(pg_url, actor="holder")
    with holder.store.transaction("holder"):  # another writer of this workshop does not let go
        with pytest.raises(StorageFailure) as err:
            ws.observations.add(text="waits, then gives up")
        assert err.value.code == "store.locked" and "over 0.5 s" in str(err.value)
    assert [o["id"] for o in ws.observations] == [kept]
    ws.observations.add(text="after the lock")
    assert len(ws.observations) == 2


def test_a_connection_lost_mid_transaction_is_one_line_and_loses_nothing_committed(pg_cluster: Cluster,
                                                                                    pg_url: str) -> None:
    ws = kit.new(pg_url, title="x")
    ids = [ws.observations.add(text=f"n{i}") for i in range(5)]
    with pytest.raises(StorageFailure) as err, ws.store.transaction(ws.actor):
        ws.observations.add(text="lost")
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype='advisory' "
                          "AND pid <> pg_backend_pid()")
        ws.observations.add(text="after the drop")
    assert err.value.code == "store.server_gone"
    assert str(err.value).endswith("the last change was not saved; everything before it is safe")
    assert [o["id"] for o in ws.observations] == ids  # the pool hands out a fresh connection
    ws.observations.add(text="still writable")


def test_a_full_disk_on_the_server_is_one_line_and_keeps_every_committed_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A cluster of its own on an 80 MB tmpfs (initdb takes about 41 MB), filled with notes."""
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    disk = Path(tempfile.mkdtemp(prefix="kit-pgdisk-"))  # not under pytest's tmp: the postgres user must get in
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=80m,mode=0755", "tmpfs", str(disk)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode:
        disk.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    cluster: Cluster | None = None
    try:
        cluster = Cluster(base=disk)
        filler = disk / "filler"
        filler.write_bytes(b"\0" * 24_000_000)  # room for a 16 MB WAL segment once it is freed
        url = cluster.url("full")
        ws = kit.new(url, title="Full", language="en")
        committed: list[int] = []
        with pytest.raises(StorageFailure) as err:
            for _ in range(10_000):
                committed.append(ws.observations.add(text=secrets.token_hex(50_000)))  # hardly compressible
        # A table file that cannot grow is "disk full"; WAL that cannot be written makes the server
        # stop (PANIC), which the kit sees as the connection lost. Either way: one line, nothing lost.
        assert err.value.code in {"store.disk_full", "store.server_gone"} and len(committed) > 10
        assert str(err.value).endswith("the last change was not saved; everything before it is safe")
        ws.close()
        filler.unlink()
        with contextlib.suppress(StoreError):  # the server stopped itself (PANIC)
            cluster.stop("immediate")
        cluster.start()
        assert [o["id"] for o in kit.open(url).observations] == committed
    finally:
        from kit.store import postgres

        postgres.close_pools()
        if cluster is not None:
            cluster.destroy()
        subprocess.run(["umount", "-l", str(disk)], check=True)
        disk.rmdir()


# ---------------------------------------------------------------------------- live changes: NOTIFY
def test_a_commit_notifies_key_and_version_only(pg_cluster: Cluster, pg_url: str) -> None:
    ws = kit.new(pg_url, title="x")
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"LISTEN {CHANNEL}")
        ws.observations.add(text="a note " + "x" * 5000)
        ws.set_live("step", "02_hypotheses")
        payloads = [n.payload for n in conn.notifies(timeout=WAIT, stop_after=2)]
    key = pg_url.rsplit("=", 1)[1]
    assert payloads == [f"{key} {ws.version() - 1}", f"{key} {ws.version()}"]


def test_two_processes_see_each_others_changes_through_notify(pg_url: str) -> None:
    ws = kit.new(pg_url, title="x", actor="here")
    seen: list[int] = []
    arrived = threading.Event()

    def on_version(version: int) -> None:
        seen.append(version)
        arrived.set()

    unsubscribe = ws.store.subscribe(on_version)
    script = textwrap.dedent(f"""
        import sys, threading, kit
        ws = kit.open({pg_url!r}, actor="there")
        ws.observations.add(text="from there")
        mine = ws.version()
        newer = threading.Event()
        ws.store.subscribe(lambda version: version > mine and newer.set())
        print("wrote", flush=True)
        assert newer.wait({WAIT}), "no notification of the other process's note"
        print(sorted(o["text"] for o in ws.observations), flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "wrote"
    assert arrived.wait(WAIT)
    assert seen[-1] == ws.version() and [o["text"] for o in ws.observations] == ["from there"]
    ws.observations.add(text="from here")
    out, _ = proc.communicate(timeout=WAIT)
    assert proc.returncode == 0 and out.strip() == "['from here', 'from there']"
    unsubscribe()
    ws.close()


def test_the_listener_reconnects_after_a_server_restart_and_refreshes_once(pg_cluster: Cluster,
                                                                           pg_url: str) -> None:
    ws = kit.new(pg_url, title="x")
    committed = [ws.observations.add(text=f"before {i}") for i in range(3)]
    states: list[bool] = []
    versions: list[int] = []
    down, up, refreshed = threading.Event(), threading.Event(), threading.Event()

    def on_connection(connected: bool) -> None:
        states.append(connected)
        (up if connected else down).set()

    def on_version(version: int) -> None:
        if down.is_set():  # notifications of the writes above may still be arriving before the stop
            versions.append(version)
            refreshed.set()

    unsubscribe = ws.store.subscribe(on_version, on_connection)
    assert ws.store.connected
    pg_cluster.stop()
    assert down.wait(WAIT) and not ws.store.connected
    with pytest.raises(StorageFailure) as err:
        ws.observations.add(text="while the server is down")
    assert err.value.code == "store.server_gone" and "\n" not in str(err.value)
    pg_cluster.start()
    assert up.wait(WAIT) and refreshed.wait(WAIT)
    assert ws.store.connected and states == [False, True]
    assert versions == [ws.version()]  # exactly one refresh, with the current version
    assert [o["id"] for o in ws.observations] == committed
    ws.observations.add(text="after the restart")
    assert len(ws.observations) == 4
    unsubscribe()
    ws.close()


# ---------------------------------------------------------------------------- a server workshop beyond the store
def test_the_report_and_the_info_of_a_server_workshop_never_show_its_password(pg_cluster: Cluster,
                                                                              tmp_path: Path) -> None:
    """The password comes with the URL only: the report reopens the location in the same process."""
    url = pg_cluster.url("report-pw", password=PASSWORD)
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    env["PGPASSFILE"] = str(tmp_path / "missing")
    assert cli("demo", url, "--lang", "en", env=env).returncode == 0
    html, nb = tmp_path / "report.html", tmp_path / "report.ipynb"
    done = cli("export", url, "--html", str(html), "--notebook", str(nb), "--quiet", env=env)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    report, notebook_text = html.read_text(encoding="utf-8"), nb.read_text(encoding="utf-8")
    assert "Value Proposition Canvas" in report and PASSWORD not in report
    assert pg_cluster.url("report-pw") in notebook_text and PASSWORD not in notebook_text
    info = cli("info", url, env=env)
    assert info.returncode == 0 and pg_cluster.url("report-pw") in info.stdout
    assert PASSWORD not in info.stdout + info.stderr


def test_exports_calendars_and_participant_views_of_a_server_workshop(pg_cluster: Cluster, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from kit import notebook, plan
    from kit.sessions import for_canvas

    monkeypatch.delenv("PGPASSWORD")  # the password comes with the URL only
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "missing"))
    monkeypatch.chdir(tmp_path)
    ws = kit.demo(pg_cluster.url("exports-pw", password=PASSWORD), "en")
    folder = notebook.output_dir(ws)
    assert folder == tmp_path / "exports-pw-export" and folder.is_dir()  # named after the key, here
    notebook.export_calendar(ws)
    ics = (folder / "follow-ups.ics").read_bytes()
    uids = sorted(line for line in ics.decode().splitlines() if line.startswith("UID:"))
    assert len(uids) == len(ws.followups) > 0 and uids == sorted(
        line for line in plan.calendar_bytes(ws).decode().splitlines() if line.startswith("UID:"))  # stable
    anna = for_canvas(ws, "idea_board", participant="Anna")  # her own workshop, reopened by location
    assert anna.apply({"op": "add", "area": "contact", "text": "von Anna", "nonce": "1"})["error"] == ""
    assert anna.ws.store is not ws.store and anna.ws.location == ws.location == pg_cluster.url("exports-pw")
    anna.close()
    assert [i["author"] for i in ws.ideas if i["text"] == "von Anna"] == ["Anna"]
    child = ws.store.environment()  # what kit serve gives its kernels
    assert child == {"KIT_WORKSHOP": pg_cluster.url("exports-pw"), "PGPASSWORD": PASSWORD}
    script = "import kit; print(kit.open(None).info['title'])"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **child})
    assert done.returncode == 0 and done.stdout.strip() == ws.info["title"], done.stderr
    ws.close()
