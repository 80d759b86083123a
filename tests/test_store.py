"""The store: transactions across processes, crashes, foreign files, undo/redo, snapshots, bad input.

Every test that takes ``ws`` runs twice: on an SQLite file and on a workshop in a throwaway
PostgreSQL cluster (tests/pgcluster.py). File-only cases (foreign, corrupt files) are SQLite's;
their server counterparts are in tests/test_postgres.py.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kit
from inputs import BAD_INPUT
from kit.errors import StorageFailure
from kit.store import SCHEMA_VERSION, WorkshopError


@pytest.fixture(params=["sqlite", "postgresql"])
def ws(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty English workshop on each backend."""
    target = tmp_path / "empty.workshop" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with kit.new(target, title="Test workshop", language="en", actor="tester") as workshop:
        yield workshop


@pytest.fixture
def file_ws(tmp_path: Path):
    """A workshop file, for the cases about files."""
    with kit.new(tmp_path / "empty.workshop", title="Test workshop", language="en", actor="tester") as workshop:
        yield workshop


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_stored_exactly_or_refused_naming_the_field(ws: kit.Workshop, case: str) -> None:
    text = BAD_INPUT[case]
    try:
        new_id = ws.observations.add(text=text, who=text if text.strip() and "\x00" not in text else "")
    except kit.ValidationError as err:
        assert str(err).startswith("observation.text "), err
        assert case in {"empty", "whitespace", "nul"}, f"{case} should have been stored"
        assert len(ws.observations) == 0
        return
    assert case not in {"empty", "whitespace", "nul"}
    reopened = kit.open(ws.location)
    assert reopened.observations[new_id]["text"] == text
    # and optional fields keep empty / whitespace exactly
    other = ws.observations.add(text="x", who="   ")
    assert kit.open(ws.location).observations[other]["who"] == "   "


def test_refused_input_leaves_the_workshop_untouched(ws: kit.Workshop) -> None:
    ws.observations.add(text="kept")
    before = ws.version()
    for bad in ({"text": "a\x00b"}, {"text": "x", "kind": "gossip"}, {"text": "x", "when": "yesterday"}):
        with pytest.raises(kit.ValidationError):
            ws.observations.add(**bad)
    assert ws.version() == before
    assert [o["text"] for o in ws.observations] == ["kept"]


def test_references_must_exist(ws: kit.Workshop) -> None:
    with pytest.raises(kit.ValidationError, match=r"evidence\.interview refers to interview 99, which does not exist"):
        ws.evidence.add(interview=99, snippet="x", stance="supports")


# ---------------------------------------------------------------------------- undo / redo / history
def test_undo_redo_add_update_remove(ws: kit.Workshop) -> None:
    i = ws.observations.add(text="first")
    ws.observations.update(i, text="second", who="Ida")
    ws.observations.remove(i)
    assert len(ws.observations) == 0
    ws.undo()
    assert ws.observations[i]["text"] == "second"
    ws.undo()
    assert ws.observations[i]["text"] == "first" and ws.observations[i]["who"] == ""
    ws.redo()
    assert ws.observations[i]["who"] == "Ida"
    ws.redo()
    assert i not in ws.observations
    with pytest.raises(WorkshopError, match="nothing to redo"):
        ws.redo()


def test_new_change_clears_redo(ws: kit.Workshop) -> None:
    i = ws.observations.add(text="a")
    ws.undo()
    ws.observations.add(text="b")
    with pytest.raises(WorkshopError, match="nothing to redo"):
        ws.redo()
    assert i not in ws.observations


def test_undo_is_per_person_and_never_overwrites_others(ws: kit.Workshop) -> None:
    other = kit.open(ws.location, actor="ben")
    mine = ws.observations.add(text="mine")
    theirs = other.observations.add(text="theirs")
    ws.undo()  # undoes my add, not Ben's
    assert mine not in ws.observations and theirs in ws.observations
    ws.redo()
    other.observations.update(mine, text="Ben edited it")
    with pytest.raises(kit.UndoConflict, match="was changed since by ben"):
        ws.undo()  # my redo of "mine" would delete Ben's edit
    assert ws.observations[mine]["text"] == "Ben edited it"


def test_remove_clears_references_and_undo_restores_them(ws: kit.Workshop) -> None:
    o1, o2 = ws.observations.add(text="o1"), ws.observations.add(text="o2")
    h = ws.hypotheses.add(kind="pain", statement="waiting hurts", observations=[o1, o2])
    iv = ws.interviews.add(pseudonym="A")
    e = ws.evidence.add(interview=iv, snippet="yes", hypothesis=h, stance="supports")
    ws.observations.remove(o1)
    assert ws.hypotheses[h]["observations"] == [o2]
    ws.interviews.remove(iv)  # evidence needs its interview: removed with it
    assert e not in ws.evidence
    ws.undo()
    assert ws.evidence[e]["hypothesis"] == h
    ws.undo()
    assert ws.hypotheses[h]["observations"] == [o1, o2]


def test_history_is_readable(ws: kit.Workshop) -> None:
    i = ws.observations.add(text="Kunde wartet 20 Minuten in der Warteschleife")
    ws.observations.update(i, who="Schuldner")
    ws.undo()
    lines = ws.history()
    assert len(lines) == 3
    assert "tester added observation 1: 'Kunde wartet 20 Minuten in der Wartesch…'" in lines[0]
    assert "changed observation 1 (who)" in lines[1]
    assert "undid observation 1" in lines[2]


def test_snapshots_list_and_compare(ws: kit.Workshop) -> None:
    a = ws.observations.add(text="a")
    ws.snapshot("after observation")
    ws.observations.update(a, text="a2")
    b = ws.observations.add(text="b")
    ws.snapshot("after interviews")
    ws.observations.remove(a)
    assert [s["name"] for s in ws.snapshots()] == ["after observation", "after interviews"]
    diff = ws.compare("after observation")
    assert [r["id"] for r in diff["observations"]["added"]] == [b]
    assert [r["id"] for r in diff["observations"]["removed"]] == [a]
    between = ws.compare("after observation", "after interviews")
    assert between["observations"]["changed"] == [{"id": a, "fields": ["text"]}]
    with pytest.raises(WorkshopError, match="exists already"):
        ws.snapshot("after interviews")
    with pytest.raises(WorkshopError, match="no snapshot called 'nope'"):
        ws.compare("nope")


def test_change_detection_is_cheap_and_sees_other_processes(ws: kit.Workshop) -> None:
    start = ws.version()
    ws.observations.add(text="own write")
    ws.set_live("step", "01_observe")  # room controls count too
    seen = ws.version()
    assert seen == start + 2
    _run(f"import kit; kit.open({ws.location!r}, actor='other').observations.add(text='from elsewhere')")
    assert ws.version() == seen + 1
    assert [c.who for c in ws.changes_since(ws.store.last_seq() - 1)] == ["other"]


def test_the_version_covers_the_workshops_metadata(ws: kit.Workshop) -> None:
    """Opening and closing the room writes meta only (no live key): every watcher still sees it move."""
    start = ws.version()
    ws.store.set_room_digest("ab" * 32)
    opened = ws.version()
    ws.store.set_room_digest(None)
    assert start < opened < ws.version() == start + 2
    assert ws.store.room_digest() is None and "room_open" not in ws.live
    _run(f"import kit; kit.open({ws.location!r}).store.set_room_digest({'cd' * 32!r})")
    assert ws.version() == start + 3 and ws.store.room_digest() == "cd" * 32


# ---------------------------------------------------------------------------- files that are not ours
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_foreign_files_are_refused_and_left_unchanged(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.workshop"
    text_file.write_text("meeting notes, not a database")
    other_db = tmp_path / "other.sqlite"
    con = sqlite3.connect(other_db)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    empty = tmp_path / "empty.workshop"
    empty.touch()
    cases = {text_file: "not a workshop file", other_db: "an SQLite database but not a workshop file",
             empty: "not a workshop file"}
    for path, message in cases.items():
        before = _digest(path)
        with pytest.raises(WorkshopError, match=message):
            kit.open(path)
        assert _digest(path) == before
        assert not Path(str(path) + "-wal").exists()
    with pytest.raises(WorkshopError, match="no such workshop file"):
        kit.open(tmp_path / "missing.workshop")


def test_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "client.workshop"
    target.write_text("precious")
    with pytest.raises(WorkshopError, match="already exists"):
        kit.new(target, title="x")
    assert target.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.workshop"]  # no temp files left


def test_newer_schema_is_refused_and_left_unchanged(file_ws: kit.Workshop) -> None:
    path = file_ws.path
    file_ws.close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(WorkshopError, match=rf"written by a newer workshop-kit \(schema {SCHEMA_VERSION + 1}"):
        kit.open(path)
    assert _digest(path) == before


def test_corrupt_file_is_refused_and_left_unchanged(file_ws: kit.Workshop) -> None:
    file_ws.observations.add_many([{"text": f"note {i} " + "x" * 500} for i in range(200)])
    path = file_ws.path
    file_ws.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 8192
    data[4096:8192] = b"\xff" * 4096  # smash a page, keep the header
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(WorkshopError, match="corrupt"):
        kit.open(path)
    assert _digest(path) == before


# ---------------------------------------------------------------------------- several processes
def _writer(path: str, who: str, count: int) -> None:
    ws = kit.open(path, actor=who)
    for n in range(count):
        ws.observations.add(text=f"{who}:{n}", observed_by=who)
    ws.close()


def test_eight_processes_write_at_once_without_loss_or_duplicates(ws: kit.Workshop) -> None:
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(ws.location, f"p{i}", 250)) for i in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    texts = [o["text"] for o in kit.open(ws.location).observations]
    assert len(texts) == 2000
    assert len(set(texts)) == 2000
    assert set(texts) == {f"p{i}:{n}" for i in range(8) for n in range(250)}


def test_concurrent_votes_respect_one_budget(ws: kit.Workshop) -> None:
    ids = [ws.hypotheses.add(kind="pain", statement=f"h{i}") for i in range(4)]
    script = textwrap.dedent(f"""
        import kit
        ws = kit.open({ws.location!r}, actor="voter")
        ok = 0
        for i in {ids!r} * 3:
            try:
                ws.hypotheses.vote(i, "Anna", budget=5); ok += 1
            except kit.WorkshopError:
                pass
        print(ok)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    granted = sum(int(p.communicate(timeout=120)[0]) for p in procs)
    assert granted == 5
    assert sum(h["votes"].get("Anna", 0) for h in ws.hypotheses) == 5


def test_sigkill_mid_stream_keeps_every_committed_change(ws: kit.Workshop) -> None:
    """A writer prints each id after its commit; after SIGKILL every printed id is there."""
    script = textwrap.dedent(f"""
        import sys, kit
        ws = kit.open({ws.location!r}, actor="victim")
        for n in range(100000):
            i = ws.observations.add(text=f"n{{n}}")
            sys.stdout.write(f"{{i}}\\n"); sys.stdout.flush()
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        committed = []
        for line in proc.stdout:
            committed.append(int(line))
            if len(committed) == 300:
                os.kill(proc.pid, signal.SIGKILL)
                break
        committed += [int(line) for line in proc.stdout]  # anything printed before the kill landed
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with kit.open(ws.location) as survivor:
        stored = {o["id"] for o in survivor.observations}
        assert set(committed) <= stored
        assert len(stored) - len(committed) <= 1  # at most the one committed but not yet printed
        survivor.observations.add(text="still writable")


def _run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# ---------------------------------------------------------------------------- the disk underneath (SQLite)
@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB filesystem of its own (tmpfs, mounted as root), so the disk can really fill up."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


def test_a_full_disk_is_one_line_and_every_committed_change_survives(small_disk: Path) -> None:
    path = small_disk / "full.workshop"
    ws = kit.new(path, title="Full", language="en")
    committed: list[int] = []
    with pytest.raises(StorageFailure) as err:
        for n in range(10_000):
            committed.append(ws.observations.add(text=f"{n} " + "x" * 2000))
    assert err.value.code == "store.disk_full" and len(committed) > 10
    assert str(err.value) == "the disk is full: the last change was not saved; everything before it is safe"
    assert err.value.render("de").startswith("der Datenträger ist voll")
    assert [o["id"] for o in ws.observations] == committed  # the failed change left nothing behind
    ws.close()
    survivor = kit.open(path)
    assert [o["id"] for o in survivor.observations] == committed
    assert len(survivor.store.changes()) == len(committed)


def test_a_read_only_disk_is_one_line_and_nothing_is_lost(small_disk: Path) -> None:
    path = small_disk / "ro.workshop"
    ws = kit.new(path, title="Read-only", language="en")
    kept = ws.observations.add(text="kept")
    ws.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StorageFailure) as err:
        kit.open(path).observations.add(text="refused")
    assert err.value.code == "store.read_only" and "\n" not in str(err.value)
    assert str(err.value).startswith(f"{path} is read-only")
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert [o["id"] for o in kit.open(path).observations] == [kept]


def test_a_workshop_locked_past_the_timeout_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kit.store import sqlite

    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT", 0.3)
    path = tmp_path / "locked.workshop"
    ws = kit.new(path, title="Locked", language="en")
    kept = ws.observations.add(text="kept")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock and does not let go
    with pytest.raises(StorageFailure) as err:
        ws.observations.add(text="waits, then gives up")
    assert err.value.code == "store.locked"
    assert str(err.value) == ("the workshop stayed locked by another program for over 0.3 s: the last change was "
                              "not saved; everything before it is safe")
    other.execute("ROLLBACK")
    other.close()
    assert [o["id"] for o in ws.observations] == [kept]
    ws.observations.add(text="after the lock")
    assert len(kit.open(path).observations) == 2
