"""A room under load, on loopback: many participants adding notes while one view watches.

Each simulated participant is its own OS process writing through the kit API with the
participant role (as a room process or a notebook kernel does). One observer holds a live board widget and
refreshes it exactly as a participant page does (kit.live.poll every INTERVAL);
it records when each note first appears in the widget's state. Used by tests/test_load.py
(compressed) and benchmarks/bench_serve.py (the full minute).
"""
from __future__ import annotations

import multiprocessing as mp
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CANVAS = "idea_board"
AREAS = ("need_arises", "contact", "purchase_use", "service", "after")


@dataclass(frozen=True)
class LoadResult:
    participants: int
    notes_each: int
    seconds: float
    stored: int
    unique: int
    lost: list[str]
    duplicated: list[str]
    propagation: list[float]  # seconds from commit to first sight, one per note

    def quantile(self, q: float) -> float:
        values = sorted(self.propagation)
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.propagation) if self.propagation else float("nan")

    @property
    def p95(self) -> float:
        return self.quantile(0.95)


def _participant(path: str, name: str, team: str, notes: int, seconds: float, start_at: float,
                 out: mp.Queue[Any]) -> None:
    import kit
    from kit import roster

    committed: list[tuple[str, float]] = []
    rng = random.Random(name)
    with kit.open(path, actor=name, role="participant") as ws:
        roster.join(ws, name, team)
        board = ws.canvas(CANVAS)
        gap = seconds / notes
        while time.time() < start_at:
            time.sleep(0.005)
        for k in range(notes):
            due = start_at + k * gap + rng.uniform(0, gap)
            time.sleep(max(0.0, due - time.time()))
            text = f"{name}-{k:02d}"
            board.add(rng.choice(AREAS), text, author=name, team=team)
            committed.append((text, time.time()))
    out.put(committed)


def run(path: str | Path, participants: int = 30, notes: int = 20, seconds: float = 60.0) -> LoadResult:
    """Run the room on the workshop at ``path`` (teams are set to A/B/C); returns what was measured."""
    import kit
    from kit import facilitation, live
    from kit.widgets import show

    path = str(path)
    with kit.open(path, actor="facilitator") as fac:
        fac.set(teams=["A", "B", "C"])
        facilitation.set_step(fac, "07_plan")
    ctx = mp.get_context("fork")
    queue: mp.Queue[Any] = ctx.Queue()
    start_at = time.time() + 1.5 + participants * 0.02
    procs = [ctx.Process(target=_participant, args=(path, f"P{i:02d}", "ABC"[i % 3], notes, seconds, start_at, queue))
             for i in range(participants)]
    for proc in procs:
        proc.start()
    seen: dict[str, float] = {}
    with kit.open(path, actor="observer") as ws:
        widget = show(ws, CANVAS)
        try:
            expected = participants * notes
            deadline = start_at + seconds + 60
            while len(seen) < expected and time.time() < deadline:
                live.poll()
                now = time.time()
                for item in widget.items:
                    seen.setdefault(item["text"], now)
                time.sleep(live.INTERVAL)
        finally:
            widget.close()
    committed: dict[str, float] = {}
    for _ in procs:
        for text, at in queue.get(timeout=120):
            committed[text] = at
    for proc in procs:
        proc.join(timeout=60)
        if proc.exitcode != 0:
            raise RuntimeError(f"a simulated participant failed (exit {proc.exitcode})")
    with kit.open(path, actor="observer") as ws:
        texts = [i["text"] for i in ws.ideas.all()]
    wanted = {f"P{i:02d}-{k:02d}" for i in range(participants) for k in range(notes)}
    duplicated = sorted({t for t in texts if texts.count(t) > 1})
    return LoadResult(participants, notes, seconds, len(texts), len(set(texts)), sorted(wanted - set(texts)),
                      duplicated, [max(0.0, seen[t] - committed[t]) for t in committed if t in seen])
