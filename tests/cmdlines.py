"""Secrets never on a command line: ``/proc/PID/cmdline`` of every process below a root, checked for known secrets.

Every user of the machine may read any process's command line (``ps``), so the tests of ``kit serve`` and
``kit hub`` walk the whole process tree they started (servers, kernels, proxy, services, PostgreSQL) and
look for each secret they know, whole or in part.
"""
from __future__ import annotations

from pathlib import Path

import psutil


def tree(*roots: int) -> dict[int, str]:
    """PID -> command line (NUL-separated arguments joined by spaces) of each root and every process below it."""
    found: dict[int, str] = {}
    for root in roots:
        try:
            top = psutil.Process(root)
            processes = [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in processes:
            try:
                raw = Path(f"/proc/{process.pid}/cmdline").read_bytes()
            except OSError:
                continue  # it ended meanwhile
            found[process.pid] = raw.replace(b"\0", b" ").decode(errors="replace")
    return found


def secrets_on_command_lines(cmdlines: dict[int, str], secrets: dict[str, str]) -> list[str]:
    """'<secret name> in PID: <command line>' for each secret (or its first 16 characters) found."""
    return [f"{name} in {pid}: {line}" for pid, line in cmdlines.items() for name, value in secrets.items()
            if value in line or value[:16] in line]
