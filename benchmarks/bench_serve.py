"""Live workshop figures: the full one-minute room (30 participants x 20 notes) and page load.

Propagation = from a participant's committed note to its first appearance in another view's
widget state through the live poll. Page load = participant page until the join form shows.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import kit
from kit.netutil import free_port
from kit.report.exporter import CHROMIUM_FLAGS
from kit.serve import ServeConfig, Supervisor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import loadtest  # noqa: E402 - tests/ is put on the path just above


def _page_load(tmp: Path) -> float:
    from playwright.sync_api import sync_playwright

    path = tmp / "page.workshop"
    kit.new(path, title="Bench", language="en", teams=["A", "B"]).close()
    cfg = ServeConfig(path, notebooks=ROOT / "notebooks", lab_port=free_port(), room_port=free_port())
    with Supervisor(cfg, log_dir=tmp / "logs"), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        times = []
        for _ in range(3):
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(cfg.join_url())
            page.wait_for_selector(".kit-name input", timeout=60_000)
            times.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return sorted(times)[1]


def rows() -> list[tuple[str, float | str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        path = tmp_path / "load.workshop"
        kit.new(path, title="Load", language="en").close()
        result = loadtest.run(path, participants=30, notes=20, seconds=60)
        load = _page_load(tmp_path)
    return [
        ("serve: notes stored (30 x 20 over 60 s)", f"{result.stored}/600", "notes",
         "600, none lost or duplicated" + ("" if not (result.lost or result.duplicated) else " FAILED")),
        ("serve: propagation p50", result.p50, "s", "< 1"),
        ("serve: propagation p95", result.p95, "s", "< 2"),
        ("serve: propagation max", max(result.propagation), "s", ""),
        ("serve: participant page load (median of 3)", load, "s", "< 5"),
    ]
