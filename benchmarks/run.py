"""`make bench`: run every benchmarks/bench_*.py and print one table of figures.

Each module defines ``rows() -> list[tuple[str, float | str, str, str]]``:
(what was measured, value, unit, goal or "").
"""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(selected: list[str]) -> int:
    table: list[tuple[str, str, str, str]] = []
    for file in sorted(HERE.glob("bench_*.py")):
        if selected and not any(s in file.stem for s in selected):
            continue
        spec = importlib.util.spec_from_file_location(file.stem, file)
        module = importlib.util.module_from_spec(spec)
        assert spec.loader is not None
        started = time.perf_counter()
        spec.loader.exec_module(module)
        try:
            rows = module.rows()
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            rows = [(f"{file.stem} FAILED", str(exc).splitlines()[0][:60], "", "")]
        for name, value, unit, goal in rows:
            shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
            table.append((name, shown, unit, goal))
        print(f"# {file.stem}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    widths = [max(len(r[i]) for r in [("figure", "value", "unit", "goal"), *table]) for i in range(4)]

    def line(r: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    print(line(("figure", "value", "unit", "goal")))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table:
        print(line(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
