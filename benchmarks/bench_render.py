"""Static figure times (kit.render): each sample canvas to PNG at report dpi, all of them, and a
Value Proposition Canvas with 500 notes."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

CANVASES = ["value_proposition", "touchpoint_map", "empathy_map", "observation_board", "hypothesis_board",
            "idea_board"]


def _timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def rows() -> list[tuple[str, float | str, str, str]]:
    import kit
    from kit import render
    from kit.render.style import REPORT_DPI

    out: list[tuple[str, float | str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        ws = kit.demo(Path(tmp) / "sample.workshop", "de", actor="bench")
        render.to_png(render.canvas_figure(ws.canvas("empathy_map")))  # fonts and caches warm
        total = 0.0
        for canvas_id in CANVASES:
            ms = _timed(lambda c=canvas_id: render.to_png(render.canvas_figure(ws.canvas(c)), dpi=REPORT_DPI))
            total += ms
            out.append((f"static figure + PNG {REPORT_DPI} dpi: {canvas_id} (sample de)", ms, "ms", ""))
        out.append(("static figures + PNG: all six sample canvases", total, "ms", ""))
        charts = sum(_timed(lambda n=name: render.to_png(getattr(render, n)(ws)))
                     for name in ("emotion_curve", "gap_heatmap", "observations_chart", "evidence_chart"))
        out.append(("static charts + PNG: all four (sample de)", charts, "ms", ""))
        big = kit.new(Path(tmp) / "big.workshop", title="500 notes", language="en", actor="bench")
        vpc = big.canvas("value_proposition")
        areas = [a["id"] for a in vpc.areas]
        big.canvas_items.add_many([{"canvas": "value_proposition", "area": areas[n % len(areas)],
                                    "text": f"Note {n}: a customer insight in a few words", "rank": n % 5 + 1}
                                   for n in range(500)])
        out.append(("static VPC with 500 notes: figure", _timed(lambda: render.canvas_figure(vpc), 2), "ms", ""))
        out.append(("static VPC with 500 notes: figure + PNG", _timed(
            lambda: render.to_png(render.canvas_figure(vpc), dpi=REPORT_DPI), 2), "ms", ""))
        big.close()
        ws.close()
    return out
