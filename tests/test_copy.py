"""``kit copy``: a whole workshop between files and servers, exactly, never overwriting."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import kit
from kit.store import base, open_store
from kit.store.copy import PROGRESS_FROM, copy_workshop
from pgcluster import Cluster


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, timeout=300,
                          check=False)


def everything(target: Any) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, int]]:
    """Every table as stored, and the id counters."""
    store = open_store(target)
    try:
        return {table: store.read_table(table) for table in base.tables()}, store.id_counters()
    finally:
        store.close()


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    """The German sample with history, undo, a snapshot, votes, live state and a removed record."""
    path = tmp_path / "source.workshop"
    with kit.demo(path, "de", actor="anna") as ws:
        h = ws.hypotheses.all()[0]["id"]
        ws.hypotheses.vote(h, "Anna", budget=5)
        ws.snapshot("vor dem Umbau")
        note = ws.observations.add(text="wird gleich entfernt 😡 <script>")
        ws.observations.remove(note)  # the counter is ahead of the highest id: a copy must keep that
        ws.observations.add(text="& % $ # _ { } ~ ^ \\")
        ws.undo()
        ws.set_live("step", "03_interviews")
        ws.set_live("timer", {"ends": "2026-12-01T10:00:00+01:00", "minutes": 10})
    return path


def test_copy_is_exact_file_to_server_to_file(rich: Path, tmp_path: Path, pg_cluster: Cluster) -> None:
    server = pg_cluster.url("copy-exact")
    back = tmp_path / "back.workshop"
    for source, destination in ((rich, server), (server, back)):
        out = cli("copy", str(source), str(destination))
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == f"copied to {destination}"
    dumps = [cli("dump", str(t)).stdout for t in (rich, server, back)]
    assert dumps[0] == dumps[1] == dumps[2] and '"title"' in dumps[0]
    source_tables, source_counters = everything(rich)
    for target in (server, back):
        tables, counters = everything(target)
        assert tables == source_tables
        assert counters == source_counters
    next_ids = []
    for target in (rich, server, back):
        with kit.open(target, actor="anna") as ws:
            assert ws.live["step"] == "03_interviews"
            assert [s["name"] for s in ws.snapshots()] == ["workshop-end", "vor dem Umbau"]  # the sample's own first
            ws.redo()  # the undo history came along: anna's undone add comes back
            next_ids.append((ws.observations.add(text="next"), ws.version()))
    assert next_ids[0] == next_ids[1] == next_ids[2]


def test_copy_server_to_server(rich: Path, pg_cluster: Cluster) -> None:
    first, second = pg_cluster.url("copy-s1"), pg_cluster.url("copy-s2")
    copy_workshop(rich, first, "tester", progress=False).close()
    copy_workshop(first, second, "tester", progress=False).close()
    assert everything(second) == everything(rich)


def test_copy_never_overwrites(rich: Path, tmp_path: Path, pg_cluster: Cluster) -> None:
    existing_file = tmp_path / "existing.workshop"
    kit.new(existing_file, title="Do not touch").close()
    existing_server = pg_cluster.url("copy-existing")
    kit.new(existing_server, title="Do not touch either").close()
    before = (existing_file.read_bytes(), everything(existing_server))
    for destination, message in ((existing_file, "already exists"), (existing_server, "exists already")):
        out = cli("copy", str(rich), str(destination))
        assert out.returncode == 2 and message in out.stderr and len(out.stderr.splitlines()) == 1
    assert (existing_file.read_bytes(), everything(existing_server)) == before


def test_a_failed_copy_leaves_no_half_workshop(rich: Path, pg_cluster: Cluster, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    original = base.Store.replace_table

    def failing(self: base.Store, table: str, rows: Any) -> None:
        if table == "snapshots":
            raise kit.WorkshopError("store.io_error")
        original(self, table, rows)

    monkeypatch.setattr(base.Store, "replace_table", failing)
    for destination in (pg_cluster.url("copy-half"), tmp_path / "half.workshop"):
        with pytest.raises(kit.WorkshopError):
            copy_workshop(rich, destination, "tester", progress=False)
        with pytest.raises(kit.WorkshopError, match="no such workshop"):
            kit.open(destination)


def test_a_large_copy_shows_progress(tmp_path: Path, pg_cluster: Cluster) -> None:
    path = tmp_path / "large.workshop"
    with kit.new(path, title="Large", language="en") as ws:
        ws.observations.add_many([{"text": f"note {i}"} for i in range(PROGRESS_FROM)])
    loud = cli("copy", str(path), pg_cluster.url("copy-large"))
    assert loud.returncode == 0 and "kit copy" in loud.stderr and "rows" in loud.stderr
    quiet = cli("copy", "--quiet", pg_cluster.url("copy-large"), str(tmp_path / "large-back.workshop"))
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert everything(tmp_path / "large-back.workshop") == everything(path)
