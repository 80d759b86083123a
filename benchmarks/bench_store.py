"""Store figures on both backends: writes per second (1 and 8 writer processes), propagation of a
change to another process (SQLite polling against PostgreSQL NOTIFY, p50/p95), and ``kit copy``
of the large generated workshop (100 interviews, 2,000 snippets) into PostgreSQL and back.

PostgreSQL runs in a throwaway cluster (tests/pgcluster.py) with fsync on; SQLite commits with
``synchronous=FULL``. Both on the same disk, so the figures compare durable commits.
"""
from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import kit
from kit.live import INTERVAL
from kit.store.copy import copy_workshop

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from pgcluster import PASSWORD, Cluster  # noqa: E402 - tests/ is put on the path just above

WRITES_ONE, WRITES_EACH, NOTES = 400, 100, 60


_WRITER = "import sys, time, kit\nwith kit.open(sys.argv[1], actor=sys.argv[2]) as ws:\n" \
          "    start = time.time()\n" \
          "    for n in range(int(sys.argv[3])): ws.observations.add(text=f'{sys.argv[2]}:{n}')\n" \
          "    print(start, time.time())"
_STAMPER = "import sys, time, kit\nwith kit.open(sys.argv[1], actor='stamper') as ws:\n" \
           "    for _ in range(int(sys.argv[2])):\n" \
           "        ws.observations.add(text=repr(time.time())); time.sleep(0.05)  # one note every 50 ms"


def _spawn(code: str, *args: object) -> subprocess.Popen[str]:
    """Another process (run.py loads this module without a name multiprocessing could import)."""
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE, text=True)


def writes_per_second(target: str, writers: int, each: int) -> float:
    """Commits per second from the first writer's first add to the last one's last (no start-up)."""
    procs = [_spawn(_WRITER, target, f"w{i}", each) for i in range(writers)]
    spans = [tuple(map(float, p.communicate()[0].split())) for p in procs]
    return writers * each / (max(end for _, end in spans) - min(start for start, _ in spans))


def propagation(target: str) -> tuple[float, float]:
    """p50 and p95 seconds from a commit in one process to the other process reading it."""
    ws = kit.open(target, actor="observer")
    seen = ws.store.last_seq()
    delays: list[float] = []
    changed = threading.Event()

    def read_new() -> None:
        nonlocal seen
        for change in ws.store.changes(seen):
            seen = change.seq
            if change.after is not None:
                delays.append(time.time() - float(change.after["text"]))

    if ws.store.notifies:
        ws.store.subscribe(lambda version: changed.set())
    proc = _spawn(_STAMPER, target, NOTES)
    last = ws.version()
    while len(delays) < NOTES:
        if ws.store.notifies:
            changed.wait(5)
            changed.clear()
        else:
            time.sleep(INTERVAL)  # the kernel poller's interval
        if ws.version() != last:
            last = ws.version()
            read_new()
    proc.wait()
    ws.close()
    delays.sort()
    return statistics.median(delays), delays[int(len(delays) * 0.95) - 1]


def _generate(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("bench_report", HERE / "bench_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(path, 1.0)


def rows() -> list[tuple[str, float | str, str, str]]:
    out: list[tuple[str, float | str, str, str]] = []
    cluster = Cluster(durable=True)  # fsync on, as a real server (the tests' cluster skips it)
    os.environ.setdefault("PGPASSWORD", PASSWORD)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            targets = {"SQLite": lambda name: str(folder / f"{name}.workshop"), "PostgreSQL": cluster.url}
            for backend, where in targets.items():
                for writers, each in ((1, WRITES_ONE), (8, WRITES_EACH)):
                    target = where(f"w{writers}")
                    kit.new(target, title="bench").close()
                    out.append((f"store {backend}: writes/s, {writers} writer process(es)",
                                writes_per_second(target, writers, each), "1/s", ""))
            for backend, where in targets.items():
                target = where("propagation")
                kit.new(target, title="bench").close()
                p50, p95 = propagation(target)
                how = "NOTIFY" if backend == "PostgreSQL" else f"polling every {INTERVAL} s"
                out += [(f"store {backend}: propagation to another process, p50 ({how})", p50, "s", ""),
                        (f"store {backend}: propagation to another process, p95 ({how})", p95, "s",
                         "<= 0.2" if backend == "PostgreSQL" else "")]
            _generate(folder / "large.workshop").close()
            started = time.perf_counter()
            copy_workshop(folder / "large.workshop", cluster.url("large"), "bench", progress=False).close()
            there = time.perf_counter() - started
            started = time.perf_counter()
            copy_workshop(cluster.url("large"), folder / "back.workshop", "bench", progress=False).close()
            back = time.perf_counter() - started
            out += [("kit copy: large workshop (100 interviews, 2,000 snippets) file -> PostgreSQL", there, "s", ""),
                    ("kit copy: the same, PostgreSQL -> file", back, "s", "")]
    finally:
        from kit.store import postgres

        postgres.close_pools()
        cluster.destroy()
    return out


if __name__ == "__main__":
    for row in rows():
        print(row)
