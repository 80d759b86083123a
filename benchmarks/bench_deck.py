"""Slide deck export speed: `kit export --pptx` through the CLI, beside Chromium printing the same
workshop's HTML report to PDF, measured in the same run (fastest of two runs each).

Figures:
- the German sample's deck (a fresh `python -m kit export WS --pptx OUT`: start-up, imports,
  protecting the data, every slide, saving) divided by Chromium printing the sample's HTML report
  (launch, load, print, close; the HTML is written once beforehand). Goal: no slower (<= 1.0).
- the deck of the large generated workshop (100 interviews, 2,000 snippets, 300 canvas notes;
  bench_report.generate), through the CLI.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kit
from kit import report
from kit.report.exporter import WorkshopPDFExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import generate


def cli_deck(workshop: Path, out: Path, runs: int = 2) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kit", "export", str(workshop), "--pptx", str(out)], check=True,
                       capture_output=True, env={**os.environ, "MPLBACKEND": "Agg"})
        best = min(best, time.perf_counter() - started)
    assert out.stat().st_size > 0
    return best


def chromium_print(html: str, runs: int = 2) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        pdf = WorkshopPDFExporter().run_playwright(html)
        best = min(best, time.perf_counter() - started)
    assert pdf.startswith(b"%PDF")
    return best


def rows() -> list[tuple[str, float | str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sample = folder / "sample.workshop"
        with kit.demo(sample, "de", actor="bench") as ws:
            report.export(ws, html=folder / "sample.html", progress=False)
        with generate(folder / "large.workshop", 1.0):
            pass
        html = (folder / "sample.html").read_text(encoding="utf-8")
        cli_deck(sample, folder / "warm.pptx", runs=1)  # warm: font and bytecode caches
        deck = cli_deck(sample, folder / "sample.pptx")
        printed = chromium_print(html)
        large = cli_deck(folder / "large.workshop", folder / "large.pptx")
        return [("deck: kit export --pptx, sample de (CLI)", deck, "s", ""),
                ("deck: Chromium printing the sample's HTML report", printed, "s", ""),
                ("deck: sample deck / Chromium print", deck / printed, "x", "<= 1.0"),
                ("deck: generated workshop, 100 interviews / 2,000 snippets / 300 notes (CLI)", large, "s", ""),
                ("deck: load average during the run (2 cores)", os.getloadavg()[0], "", "")]


if __name__ == "__main__":
    for row in rows():
        print(row)
