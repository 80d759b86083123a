"""The brainstorm burst (issue 18): everyone writes sticky notes at once.

The room runs as its own process (``python -m kit.room``); the participants are headless pages
(tests/roomclient.py, offering permessage-deflate as browsers do) in this process. Writers add
notes at a steady rate, round robin; every page follows by patches. Figures per run: notes stored
(each exactly once), pages that have every note, delay from sending a note to each other page
having it (p50, p95, max), the room's CPU (cores, from /proc), and the bytes each page received per
note, as messages and on the wire after compression. Runs: 30 pages from an empty board; 200 pages
from a board of 500 notes; on one durable PostgreSQL server, one room process with 200 pages and then
two room processes on one workshop, 100 pages each. The machine's load average is printed at the start
and the end: on shared cores the delays follow it. The
page's main-thread time per incoming change is measured in Chromium with the DevTools protocol
(``Performance.getMetrics`` TaskDuration, and ThreadTime, its CPU time, before and after N changes, less
the same time idle) at 50 and 500 notes, for changes in a burst at the goal's rate and one by one; the
page draws other people's notes at most every 0.3 s (common.js ITEM_PACE_MS), so in a burst one frame
shows several changes, and the figures say in how many frames the changes came and how often the page drew.
``BURST_SECONDS`` shortens the 200-page runs (default 60, the goal's length); ``BURST_PARTS`` picks parts
(``sqlite``, ``page``, ``two_process``; comma-separated).
"""
from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import kit
from kit import facilitation

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from bench_room import TOKEN, p95, room_for, start_room  # noqa: E402

from roomclient import Client  # noqa: E402

RATE = 20.0  # notes per second, the whole room together
SECONDS = float(os.environ.get("BURST_SECONDS", "60"))
AREAS = ("contact", "website", "purchase_use", "service")
FILLER = " – eine Idee, wie wir den Kunden am Telefon schneller helfen"
KIB = 1024


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


PROBES = 3  # pages more, in the bench's own process: not slowed by reading 50 pages' frames
WORKERS = 4  # participant processes: one Python process cannot read 200 pages' frames in time by itself


async def crowd(urls: list[str], names: list[str]) -> list[Client]:
    """The pages open and join in waves of 10, as people arrive (a page that opened its socket and does not join
    within the room's JOIN_WITHIN seconds is closed: 200 sockets opened at once and joined one wave after another
    on a busy machine were)."""
    clients: list[Client] = []
    for start in range(0, len(names), 10):
        wave = await asyncio.gather(*(Client(urls[i % len(urls)], light=True).connect()
                                      for i in range(start, min(start + 10, len(names)))))
        await asyncio.gather(*(c.join(n, "Blue", 120) for c, n in zip(wave, names[start:start + 10], strict=True)))
        clients += wave
    await asyncio.gather(*(c.until(lambda c: "patch_version" in c.state, 120) for c in clients))
    return clients


def _participants(urls: list[str], names: list[str], tag: str, total: int, worker: int, barrier: Any,
                  out: Any) -> None:
    """One participant process: its pages join, wait for all, write every WORKERS-th note, follow all notes."""

    async def main() -> dict[str, Any]:
        clients = await crowd(urls, names)
        wire0 = [c.wire() for c in clients]
        await asyncio.to_thread(barrier.wait)
        started = time.monotonic()
        sent: dict[str, tuple[float, int]] = {}
        for n in range(worker, total, WORKERS):
            await asyncio.sleep(max(0.0, started + n / RATE - time.monotonic()))
            index = (n // WORKERS) % len(clients)  # round robin: each page stays within the room's note quota
            writer, text = clients[index], f"{tag} {n}{FILLER}"
            sent[text] = (time.monotonic(), index)
            request = {"op": "add", "nonce": f"{tag}-{n}", "area": AREAS[n % len(AREAS)], "text": text}
            await writer.send({"t": "set", "gen": writer.room["gen"], "values": {"request": request}})
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and any(
                sum(t.startswith(f"{tag} ") for t in c.seen) < total for c in clients):
            await asyncio.sleep(0.25)
        seen = [{t: at for t, at in c.seen.items() if t.startswith(f"{tag} ")} for c in clients]
        wire = [(c.wire()[0] - w[0], c.wire()[1] - w[1]) for c, w in zip(clients, wire0, strict=True)]
        for c in clients:
            await c.close()
        return {"sent": sent, "seen": seen, "wire": wire, "resyncs": sum(c.resyncs for c in clients)}

    out.put(asyncio.run(main()))


def burst(urls: list[str], pages: int, seconds: float, tag: str, pids: list[int]) -> dict[str, Any]:
    """``pages`` pages in WORKERS processes; writers add RATE notes per second for ``seconds`` (round robin);
    returns what the pages saw and what it cost the room."""
    ctx = mp.get_context("fork")
    total = int(RATE * seconds)
    barrier, out = ctx.Barrier(WORKERS + 1), ctx.Queue()
    names = [f"{tag[:3]}{i:03d}" for i in range(pages)]
    procs = [ctx.Process(target=_participants, args=(urls, names[w::WORKERS], tag, total, w, barrier, out))
             for w in range(WORKERS)]
    for proc in procs:
        proc.start()

    async def probe() -> tuple[list[Any], list[dict[str, float]], float, list[float]]:
        """PROBES more pages in this process, which has little else to do: what a page whose device keeps up sees."""
        probes = await crowd(urls, [f"probe{i}" for i in range(PROBES)])
        await asyncio.to_thread(barrier.wait, 300)
        cpu0, started = [cpu_seconds(p) for p in pids], time.monotonic()
        found = [await asyncio.to_thread(out.get, True, seconds + 300) for _ in procs]
        elapsed = time.monotonic() - started
        seen = [{t: at for t, at in c.seen.items() if t.startswith(f"{tag} ")} for c in probes]
        for c in probes:
            await c.close()
        return found, seen, elapsed, cpu0

    found, probe_seen, elapsed, cpu0 = asyncio.run(probe())
    for proc in procs:
        proc.join(30)
    cpu = [(cpu_seconds(p) - c0) / elapsed for p, c0 in zip(pids, cpu0, strict=True)]
    sent = {t: at for f in found for t, (at, _) in f["sent"].items()}
    writer = {t: (w, i) for w, f in enumerate(found) for t, (_, i) in f["sent"].items()}
    delays = [seen[t] - at for w, f in enumerate(found) for i, seen in enumerate(f["seen"])
              for t, at in sent.items() if writer[t] != (w, i) and t in seen]
    complete = sum(len(seen) == total for f in found for seen in f["seen"])
    probed = [seen[t] - at for seen in probe_seen for t, at in sent.items() if t in seen]
    messages = sum(m for f in found for m, _ in f["wire"])
    wire = sum(b for f in found for _, b in f["wire"])
    return {"total": total, "sent": list(sent), "delays": delays, "probed": probed, "complete": complete,
            "pages": pages, "cpu": cpu, "message_per": messages / pages / total, "wire_per": wire / pages / total,
            "resyncs": sum(f["resyncs"] for f in found)}


def stored_once(target: str | Path, texts: list[str]) -> int:
    with kit.open(target, actor="bench") as ws:
        stored = [i["text"] for i in ws.ideas.all()]
    counted: dict[str, int] = {}
    for t in stored:
        counted[t] = counted.get(t, 0) + 1
    return sum(counted.get(t) == 1 for t in texts)


def prefill(target: str | Path, count: int, tag: str) -> None:
    with kit.open(target, actor="bench") as ws:
        for n in range(count):
            ws.ideas.add(text=f"{tag} {n}{FILLER}", stage=AREAS[n % len(AREAS)], author="Vorher", team="Blue")


def burst_rows(label: str, found: dict[str, Any], stored: int) -> list[tuple[str, float | str, str, str]]:
    pages, total = found["pages"], found["total"]
    big = pages >= 200
    return [
        (f"burst {label}: notes stored exactly once", f"{stored}/{total}", "", f"{total}/{total}"),
        (f"burst {label}: pages with every note", f"{found['complete']}/{pages}", "", f"{pages}/{pages}"),
        (f"burst {label}: note to each other page, p50", statistics.median(found["delays"]), "s", ""),
        (f"burst {label}: note to each other page, p95", p95(found["delays"]), "s", "≤ 0.5" if big else ""),
        (f"burst {label}: note to each other page, max", max(found["delays"]), "s", ""),
        (f"burst {label}: note to {PROBES} probe pages in a quiet process, p50", statistics.median(found["probed"]),
         "s", ""),
        (f"burst {label}: note to {PROBES} probe pages in a quiet process, p95", p95(found["probed"]), "s",
         "≤ 0.5" if big else ""),
        (f"burst {label}: room CPU", " + ".join(f"{c:.2f}" for c in found["cpu"]), "cores",
         "≤ 1 each" if big else ""),
        (f"burst {label}: sent per page per note (JSON)", found["message_per"] / KIB, "KiB", "≤ 1"),
        (f"burst {label}: on the wire per page per note (deflate)", found["wire_per"] / KIB, "KiB", "≤ 1"),
        (f"burst {label}: resyncs (pages that missed a patch)", str(found["resyncs"]), "", "0"),
    ]


#: (name, incoming changes, seconds between two) per board size: each change its own commit, and so its own frame
#: to the page; "burst" at the goal's 20 notes/s, "one by one" slow enough for the page to draw each by itself
RUNS = (("one by one", 15, 0.3), ("burst", 60, 1 / RATE))
SETTLE = 1.0  # seconds after the last change before the reading: the page has drawn it
#: Performance.getMetrics figures (seconds): the task time (the goal's), the main thread's CPU time, and their parts
METRICS = ("TaskDuration", "ThreadTime", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration")
#: in the page: 40 frames that each change one character of it (a frame's cost whatever it shows)
ONE_CHARACTER = """(() => { const live = document.querySelector('[data-key="live"]');
  for (let n = 0; n < 40; n++) setTimeout(() => { live.textContent += "."; }, 100 * n); })()"""


class Observer:
    """One more participant of the page's team, in a thread of its own: counts the frames the room sends it,
    the frames the page gets too (the page's own are not watched: DevTools would then copy each to the bench)."""

    def __init__(self, url: str) -> None:
        import threading

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = self.run(Client(url, light=True).connect())
        self.run(self.client.join("Beobachter", "Blue", 60))
        self.run(self.client.until(lambda c: "patch_version" in c.state, 60))

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(120)

    def close(self) -> None:
        self.run(self.client.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def main_thread(link: str, ws_url: str, path: Path) -> dict[tuple[int, str], dict[str, float]]:
    """The page's main thread per incoming change, with 50 and then 500 notes on the board, for each of RUNS:
    milliseconds of each METRICS figure (less the same time idle), ``frames`` (the state frames the changes
    came in) and ``drawn`` (the page's renders); and the same per frame of ONE_CHARACTER."""
    from playwright.sync_api import sync_playwright

    from kit.report.exporter import CHROMIUM_FLAGS

    out: dict[tuple[int, str], dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        observer = Observer(ws_url)
        page.goto(link)
        page.fill(".kit-name input", "Messung")
        page.click(".kit-join")
        page.wait_for_selector(".kit-board .kit-area", state="visible")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")

        def metrics() -> dict[str, float]:
            found = {m["name"]: float(m["value"]) for m in cdp.send("Performance.getMetrics")["metrics"]}
            return {name: found[name] for name in METRICS}

        def count() -> int:
            return int(page.evaluate("document.querySelectorAll('.kit-note').length"))

        def wait_for(notes: int) -> None:  # the page's CSP allows no eval: Playwright's wait_for_function cannot run
            deadline = time.monotonic() + 60
            while count() < notes:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the page shows {count()} of {notes} notes")
                page.wait_for_timeout(250)

        def measure(seconds: float, act: Any) -> dict[str, float]:
            """METRICS while ``act()`` runs and SETTLE after, less the same time idle; seconds each."""
            before = metrics()
            page.wait_for_timeout((seconds + SETTLE) * 1000)
            idle = {k: v - before[k] for k, v in metrics().items()}
            before = metrics()
            act()
            page.wait_for_timeout(SETTLE * 1000)
            return {k: max(0.0, v - before[k] - idle[k]) for k, v in metrics().items()}

        def renders() -> int:
            return int(page.evaluate("document.querySelector('.kit-widget').dataset.renders"))

        for size in (50, 500):
            prefill(path, size - count(), f"page {size}")
            wait_for(size)
            page.wait_for_timeout(1000)
            for name, changes, pace in RUNS:
                def changed(changes: int = changes, pace: float = pace, size: int = size) -> None:
                    with kit.open(path, actor="bench") as ws:
                        for n in range(changes):  # one commit each, at a steady pace
                            ws.ideas.add(text=f"change {size} {n}{FILLER}", stage=AREAS[n % len(AREAS)],
                                         author="Ben", team="Blue")
                            time.sleep(pace)

                notes, frames, drawn = count(), observer.client.frames, renders()
                spent = measure(changes * pace, changed)
                if count() < notes + changes:  # read before the polling below, which would count as the page's
                    raise TimeoutError(f"{size} notes: the changes had not all arrived {SETTLE} s after the last")
                out[size, name] = {k: v / changes * 1000 for k, v in spent.items()}
                out[size, name].update(changes=changes, pace=pace, frames=observer.client.frames - frames,
                                       drawn=renders() - drawn)
            def one_character() -> None:
                page.evaluate(ONE_CHARACTER)
                page.wait_for_timeout(4000)  # its 40 frames, 0.1 s apart

            floor = measure(4.0, one_character)
            out[size, "one character"] = {k: v / 40 * 1000 for k, v in floor.items()}
        browser.close()
        observer.close()
    return out


Row = tuple[str, float | str, str, str]


def rows() -> list[Row]:
    table: list[Row] = [load_row("at the start")]
    parts = (sqlite_rows, page_rows, two_process_rows)
    chosen = os.environ.get("BURST_PARTS", "")  # e.g. BURST_PARTS=page: only the page's figures
    for part in parts:  # one failing part must not hide the others
        if chosen and not any(part.__name__.startswith(c) for c in chosen.split(",")):
            continue
        try:
            table += part()
        except Exception as exc:  # noqa: BLE001 - reported in the table
            table.append((f"bench_burst {part.__name__} FAILED", f"{type(exc).__name__}: {exc}"[:60], "", ""))
    return [*table, load_row("at the end")]


def sqlite_rows() -> list[Row]:
    table: list[Row] = []
    with room_for("de") as (path, proc, base):
        url = f"ws://{base}w/bench/ws?token={TOKEN}"

        runs = [("30 pages, 20 notes/s, 20 s, empty board", burst([url], 30, 20, "thirty", [proc.pid]))]
        prefill(path, 500 - 400, "vorher")  # 400 from the first run: 500 now
        label = f"200 pages, 20 notes/s, {SECONDS:.0f} s, from 500 notes"
        runs.append((label, burst([url], 200, SECONDS, "zweihundert", [proc.pid])))
        for label, found in runs:
            table += burst_rows(label, found, stored_once(path, found["sent"]))
    return table


def page_rows() -> list[Row]:
    with room_for("de") as (path, _, base):
        found = main_thread(f"http://{base}w/bench/?token={TOKEN}", f"ws://{base}w/bench/ws?token={TOKEN}", path)
    table: list[Row] = [(f"page: machine load while measured (1 min, {os.cpu_count()} cores)",
                         f"{os.getloadavg()[0]:.1f}", "", "")]
    for (size, name), ms in found.items():
        if name == "one character":
            table.append((f"page, {size} notes: a frame that changes one character (task · CPU)",
                          f"{ms['TaskDuration']:.2f} · {ms['ThreadTime']:.2f}", "ms", ""))
            continue
        label = f"page, {size} notes, {name}: {ms['changes']:.0f} changes {ms['pace']:.2f} s apart " \
                f"in {ms['frames']:.0f} frames, drawn {ms['drawn']:.0f} times"
        table += [
            (f"{label}: main thread per change (TaskDuration)", ms["TaskDuration"], "ms",
             "≤ 3" if name == "burst" else ""),
            (f"{label}: its CPU time (ThreadTime)", ms["ThreadTime"], "ms", ""),
            (f"{label}: script · style · layout", " · ".join(f"{ms[k]:.2f}" for k in METRICS[2:]), "ms", ""),
        ]
    return table


def two_process_rows() -> list[tuple[str, float | str, str, str]]:
    """On one durable PostgreSQL server: the burst through one room process (200 pages), then through two
    (100 pages each) on another workshop: what the second process costs, measured in the same run."""
    from kit.store import postgres
    from pgcluster import PASSWORD, Cluster

    cluster = Cluster(durable=True)
    os.environ["PGPASSWORD"] = PASSWORD
    table: list[Row] = []
    try:
        for processes, tag in ((1, "eins"), (2, "zwei")):
            target = cluster.url(tag)
            with kit.new(target, title="Burst", language="de", actor="fac", teams=["Blue"]) as ws:
                facilitation.set_step(ws, "07_plan")
            postgres.close_pools()  # no connection of this process may live on in the participant processes it forks
            procs: list[subprocess.Popen[str]] = []
            try:
                with tempfile.TemporaryDirectory() as tmp_name:
                    bases = []
                    for n in range(processes):
                        folder = Path(tmp_name) / str(n)
                        folder.mkdir()
                        proc, base = start_room(target, folder)
                        procs.append(proc)
                        bases.append(base)
                    urls = [f"ws://{base}w/bench/ws?token={TOKEN}" for base in bases]
                    found = burst(urls, 200, SECONDS, tag, [p.pid for p in procs])
            finally:
                for proc in procs:
                    proc.send_signal(signal.SIGINT)
                    proc.wait(30)
            label = (f"{processes} process{'es' if processes > 1 else ''} x {200 // processes} pages, PostgreSQL, "
                     f"20 notes/s, {SECONDS:.0f} s")
            table += burst_rows(label, found, stored_once(target, found["sent"]))
        return table
    finally:
        postgres.close_pools()
        cluster.destroy()


def load_row(when: str) -> Row:
    """The machine's load average: the burst's figures depend on what else the 2 cores run."""
    one, five, _ = os.getloadavg()
    return (f"machine load average {when} (1 min / 5 min, {os.cpu_count()} cores)", f"{one:.2f} / {five:.2f}", "",
            "")
