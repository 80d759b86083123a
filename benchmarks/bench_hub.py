"""The hosted hub's figures (issue 12): start to ready, a facilitator's server spawn, joining the room via the proxy.

`kit hub` runs over HTTPS on 127.0.0.1 (tests/hubserver.py: a throwaway CA, Chromium trusts the
certificate's key hash). Start to ready = `kit hub` started -> facilitators' URL printed (PostgreSQL,
JupyterHub, the proxy and its routes, the culler; the second start also the room). Spawn = the
REST call -> the hub says the facilitator's JupyterLab is ready. Join = participant link opened ->
join form, plus join clicked -> canvas visible, through the proxy (HTTPS) and directly at the room.
"""
from __future__ import annotations

import shutil
import signal
import statistics
import sys
import tempfile
from pathlib import Path

import psutil

import kit
from kit import facilitation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from bench_room import join_once  # noqa: E402 - benchmarks/ is on the path when run.py runs it

from hubserver import (  # noqa: E402
    STOP,
    authorize,
    facilitator_url,
    log_in,
    room_links,
    running_hub,
    sign_up,
    spawn,
)

PASSWORDS = {"admin": "Adm1n-bench-pw", "anna": "Anna-bench-pw"}
JOINS = 5


def join_times(links: dict[str, str], spki: str) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    from kit.report.exporter import CHROMIUM_FLAGS

    times: dict[str, list[float]] = {how: [] for how in links}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=[*CHROMIUM_FLAGS, f"--ignore-certificate-errors-spki-list={spki}"])
        for i in range(JOINS):
            for how, link in links.items():
                page = browser.new_context().new_page()
                times[how].append(join_once(page, link, f"{how} {i}"))
                page.context.close()
        browser.close()
    return times


def _room_port(hub_pid: int) -> str:
    for child in psutil.Process(hub_pid).children(recursive=True):
        command = child.cmdline()
        if "kit.room" in command:
            return command[command.index("--port") + 1]
    raise RuntimeError("no room process")


def rows() -> list[tuple[str, float | str, str, str]]:
    base = Path(tempfile.mkdtemp(prefix="kit-bench-hub-"))
    base.chmod(0o755)  # the postgres system user runs the cluster inside
    try:
        return _measure(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _measure(base: Path) -> list[tuple[str, float | str, str, str]]:
    with running_hub(base) as hub:
        first_start = hub.started
        for name, password in PASSWORDS.items():
            sign_up(hub, name, password)
        authorize(hub, log_in(hub, "admin", PASSWORDS["admin"]), "anna")
        spawn_time = spawn(hub, log_in(hub, "anna", PASSWORDS["anna"]), "anna")
        with kit.demo(facilitator_url(hub, "anna", "bench"), "en") as ws:
            facilitation.set_step(ws, "07_plan")
        hub.process.send_signal(signal.SIGINT)
        hub.process.wait(STOP)
    with running_hub(base, rooms=("bench",)) as hub:
        proxied = room_links(hub)["bench"]
        path = proxied.split("/services/room/", 1)[1]
        direct = f"http://127.0.0.1:{_room_port(hub.process.pid)}/services/room/{path}"
        joins = join_times({"proxy": proxied, "direct": direct}, hub.spki)
        with_room = hub.started
    return [
        ("hub: kit hub -> ready (PostgreSQL, hub, proxy, culler)", first_start, "s", ""),
        ("hub: kit hub -> ready, with the room", with_room, "s", ""),
        ("hub: spawn a facilitator's JupyterLab", spawn_time, "s", ""),
        (f"hub: participant join through the proxy (HTTPS), median of {JOINS}", statistics.median(joins["proxy"]),
         "s", "≤ 1"),
        (f"hub: participant join directly at the room, median of {JOINS}", statistics.median(joins["direct"]), "s",
         ""),
    ]


if __name__ == "__main__":
    for row in rows():
        print(row)
