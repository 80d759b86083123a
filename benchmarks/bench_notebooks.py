"""How long the facilitator's notebooks take to run headless (nbclient) on the German sample.

Each notebook runs in its own fresh kernel, in sequence on one copy of the sample, from a
temp copy (the committed notebooks stay output-free). The time includes the kernel's start
and its imports, as a facilitator pressing "Run All" after opening a notebook would wait.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT = 300


def _run(path: Path, workdir: Path) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started


def rows() -> list[tuple[str, float | str, str, str]]:
    import kit

    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    out: list[tuple[str, float | str, str, str]] = []
    old = os.environ.get("KIT_WORKSHOP")
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as tmp:
        folder = Path(tmp)
        workshop = folder / "sample_de.workshop"
        kit.demo(workshop, "de", actor="bench").close()
        os.environ["KIT_WORKSHOP"] = str(workshop)
        try:
            total = 0.0
            for path in notebooks:
                copy = folder / path.name  # never execute (or save) the committed file itself
                shutil.copyfile(path, copy)
                seconds = _run(copy, folder)
                total += seconds
                out.append((f"notebook {path.stem} headless (de sample, incl. kernel start)", seconds, "s", ""))
            out.append(("notebooks 00-07 headless, total", total, "s", "< 120 s"))
        finally:
            if old is None:
                os.environ.pop("KIT_WORKSHOP", None)
            else:
                os.environ["KIT_WORKSHOP"] = old
    return out


if __name__ == "__main__":
    for row in rows():
        print(row)
