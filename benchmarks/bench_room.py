"""The participant room's figures (issue 11): memory per participant, join time, note propagation.

The room runs as its own process (``python -m kit.room``) so its RSS is its alone; participants
are headless WebSocket clients (tests/roomclient.py) in this process, on 127.0.0.1. Join time is
measured in Chromium (link opened -> join form, plus join clicked -> canvas visible; typing the
name is the person's time, not the room's) with 30 participants in the room.
Propagation: one participant adds a note; the time until each other participant's page state has
it, over all of them and :data:`NOTES` notes.
"""
from __future__ import annotations

import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kit
from kit import facilitation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from roomclient import Client  # noqa: E402

TOKEN = "bench-participant-token-0123456789"  # noqa: S105 - a throwaway room on 127.0.0.1
NOTES = 10
MIB = 1024 * 1024


def rss(pid: int) -> float:
    """Resident memory of ``pid`` in MiB (/proc, Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / MIB
    return float("nan")


def start_room(path: Path | str, tmp: Path) -> tuple[subprocess.Popen[str], str]:
    tokens = tmp / "tokens"
    tokens.write_text(f"bench {TOKEN}\n")
    tokens.chmod(0o600)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kit.room", "--workshop", f"bench={path}", "--token-file",
                             str(tokens), "--port", "0"], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    match = re.search(r"listening on http://(\S+)", proc.stdout.readline())
    if not match:
        proc.kill()
        raise RuntimeError("the room did not start")
    return proc, match.group(1)


async def crowd(url: str, count: int, first: int = 0) -> list[Client]:
    clients = await asyncio.gather(*(Client(url).connect() for _ in range(count)))
    await asyncio.gather(*(c.join(f"P{first + i:03d}", "Blue") for i, c in enumerate(clients)))
    await asyncio.gather(*(c.until(lambda c: "items" in c.state, 120) for c in clients))
    return list(clients)


async def propagation(clients: list[Client], tag: str) -> list[float]:
    delays: list[float] = []
    for n in range(NOTES):
        writer, others = clients[n % len(clients)], [c for i, c in enumerate(clients) if i != n % len(clients)]
        text = f"{tag} note {n}"
        sent = time.monotonic()
        await writer.request("add", area="contact", text=text)
        await asyncio.gather(*(c.until(lambda c, t=text: t in c.seen, 30) for c in others))
        delays += [c.seen[text] - sent for c in others]
        await asyncio.sleep(0.2)  # notes one by one, as people type them
    return delays


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def join_once(page: Any, link: str, name: str) -> float:
    """Seconds from opening ``link`` to the join form, plus from clicking join to the canvas: the room's time,
    not the person's typing. Also used by bench_hub (the same join through the hub's proxy)."""
    started = time.perf_counter()
    page.goto(link)
    page.wait_for_selector(".kit-name input")
    form = time.perf_counter() - started
    page.fill(".kit-name input", name)
    clicked = time.perf_counter()
    page.click(".kit-join")
    page.wait_for_selector(".kit-board .kit-area", state="visible")
    return form + time.perf_counter() - clicked


def join_times(link: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    from kit.report.exporter import CHROMIUM_FLAGS

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        for i in range(5):
            page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            times.append(join_once(page, link, f"Browser {i}"))
            page.context.close()
        browser.close()
    return times


@contextmanager
def room_for(language: str = "en") -> Iterator[tuple[Path, subprocess.Popen[str], str]]:
    """A new workshop at the idea board and its room process; yields (workshop path, process, base address)."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = tmp / "bench.workshop"
        with kit.new(path, title="Bench", language=language, actor="fac", teams=["Blue"]) as ws:
            facilitation.set_step(ws, "07_plan")
        proc, base = start_room(path, tmp)
        try:
            yield path, proc, base
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(30)


def rows() -> list[tuple[str, float | str, str, str]]:
    with room_for() as (_, proc, base):
        url = f"ws://{base}w/bench/ws?token={TOKEN}"

        async def measure() -> dict[str, object]:
            out: dict[str, object] = {"rss0": rss(proc.pid)}
            clients = await crowd(url, 30)
            await asyncio.sleep(0.5)
            out["rss30"] = rss(proc.pid)
            out["prop30"] = await propagation(clients, "thirty")
            out["join"] = await asyncio.to_thread(join_times, f"http://{base}w/bench/?token={TOKEN}")
            clients += await crowd(url, 170, first=30)
            await asyncio.sleep(0.5)
            out["rss200"] = rss(proc.pid)
            out["prop200"] = await propagation(clients, "two hundred")
            for c in clients:
                await c.close()
            return out

        found = asyncio.run(measure())
    rss0, rss30, rss200 = (float(found[k]) for k in ("rss0", "rss30", "rss200"))  # type: ignore[arg-type]
    prop30, prop200, join = (list(found[k]) for k in ("prop30", "prop200", "join"))  # type: ignore[call-overload]
    per = (rss200 - rss0) / 200
    return [
        ("room: RSS, 0 participants", rss0, "MiB", ""),
        ("room: RSS, 30 participants", rss30, "MiB", ""),
        ("room: RSS, 200 participants", rss200, "MiB", "≤ 1024"),
        ("room: RSS per participant (200 - 0) / 200", per, "MiB", "≤ 5"),
        ("room: join, link -> canvas visible, median of 5 (30 in the room, Chromium)", statistics.median(join), "s",
         "≤ 1"),
        ("room: note to all 29 others, p50", statistics.median(prop30), "s", ""),
        ("room: note to all 29 others, p95", p95(prop30), "s", "≤ 0.3"),
        ("room: note to all 199 others, p50", statistics.median(prop200), "s", ""),
        ("room: note to all 199 others, p95", p95(prop200), "s", "≤ 0.5"),
    ]
