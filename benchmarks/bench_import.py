"""Import figures: a 5,000-row board export (CSV and XLSX) planned and committed in one transaction."""
from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

import kit
from kit import board_csv, importing

ROWS = 5_000


def _timed_import(ws: kit.Workshop, path: Path, into: str) -> float:
    started = time.perf_counter()
    importing.plan(ws, path, into).commit()
    return time.perf_counter() - started


def rows() -> list[tuple[str, float | str, str, str]]:
    out: list[tuple[str, float | str, str, str]] = []
    header = ["Content", "Frame", "Author", "Votes", "Created"]
    body = [[f"Notiz {n}: „Legt auf“ & 50 % <b>", ("Verhalten", "Zitate", "artefact")[n % 3], f"Person {n % 17}",
             str(n % 5), "14.03.2026 09:30"] for n in range(ROWS)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "board.csv"
        with open(source, "w", encoding="cp1252", newline="") as fh:
            csv.writer(fh, delimiter=";").writerows([header, *body])
        with kit.new(folder / "csv.workshop", title="bench", language="de", actor="bench") as ws:
            out.append((f"import {ROWS:,}-row CSV (cp1252, ;) into observations", _timed_import(ws, source,
                                                                                              "observations"),
                        "s", "<= 2"))
            started = time.perf_counter()
            written = board_csv.export(ws, folder / "out")
            out.append(("export every canvas as CSV", time.perf_counter() - started, "s", ""))
            with kit.new(folder / "again.workshop", title="bench", language="de", actor="bench") as again:
                out.append((f"re-import the exported {ROWS:,} notes", _timed_import(again, written[0],
                                                                                    board_csv.target_of(written[0])),
                            "s", "<= 2"))
        from openpyxl import Workbook  # type: ignore[import-untyped]

        book = Workbook()
        for row in [header, *body]:
            book.active.append(row)
        book.save(folder / "board.xlsx")
        with kit.new(folder / "xlsx.workshop", title="bench", language="de", actor="bench") as ws:
            out.append((f"import {ROWS:,}-row XLSX into observations", _timed_import(ws, folder / "board.xlsx",
                                                                                    "observations"), "s", "<= 2"))
    return out
