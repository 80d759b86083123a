"""Foundation figures: import time, writing 10,000 observations, to_dataframe on them."""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kit


def _import_median(module: str, runs: int = 7) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return statistics.median(
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs))


def rows() -> list[tuple[str, float | str, str, str]]:
    out: list[tuple[str, float | str, str, str]] = []
    kit_s, widgets_s = _import_median("kit"), _import_median("ipywidgets")
    out.append(("import kit (median of 7)", kit_s * 1000, "ms", "< import ipywidgets"))
    out.append(("import ipywidgets (median of 7)", widgets_s * 1000, "ms", ""))
    with tempfile.TemporaryDirectory() as tmp:
        ws = kit.new(Path(tmp) / "bench.workshop", title="bench", language="en", actor="bench")
        started = time.perf_counter()
        for n in range(10_000):
            ws.observations.add(text=f"observation {n}", who="Ida", touchpoint="hotline")
        one_by_one = time.perf_counter() - started
        out.append(("add 10,000 observations, one commit each", one_by_one, "s", ""))
        out.append(("  per add (fsync'd commit)", one_by_one / 10_000 * 1000, "ms", ""))
        started = time.perf_counter()
        ws.observations.add_many([{"text": f"batch {n}"} for n in range(10_000)])
        out.append(("add_many 10,000 observations, one commit", time.perf_counter() - started, "s", ""))
        import pandas  # noqa: F401  (import cost is not part of to_dataframe)

        started = time.perf_counter()
        frame = ws.observations.to_dataframe()
        out.append((f"to_dataframe on {len(frame):,} observations", (time.perf_counter() - started) * 1000, "ms", ""))
        ws.close()
    return out
