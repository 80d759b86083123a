"""A PostgreSQL server in a folder (``work/hub/pg``) for ``kit hub`` on one machine.

Why a cluster of our own: ``make hub`` must work on a fresh machine without touching a system
database. The server refuses to run as root, so as root the folder belongs to the ``postgres``
system user (Debian's package creates it). It listens on 127.0.0.1 (passwords, SCRAM) and on a
socket in its own 0700 folder, through which only its owner (and root) reach the superuser.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from ..errors import StoreError, UsageError
from ..netutil import free_port

BIN = Path(os.environ.get("KIT_PG_BIN", "/usr/lib/postgresql/15/bin"))


POSTGRES_HOME = Path("/var/lib/postgresql")
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


def _reachable_by_postgres(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run([RUNUSER, "-u", "postgres", "--", "test", "-x", str(folder)],
                          check=False, capture_output=True, timeout=30).returncode == 0


class LocalCluster:
    """initdb once, then start and stop; ``superuser`` is the conninfo for setting it up.

    ``fsync=False`` is for throwaway clusters (the tests' tests/pgcluster.py builds on this class):
    faster, and lost on a power cut."""

    def __init__(self, folder: Path, fsync: bool = True) -> None:
        if not (BIN / "initdb").exists():
            raise UsageError("hub.no_program", program=str(BIN / "initdb"), package="postgresql")
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres and not _reachable_by_postgres(folder.parent):
            # e.g. a checkout in /root (mode 0700): the cluster lives in the postgres user's home instead
            folder = POSTGRES_HOME / f"kit-hub-{hashlib.sha256(str(folder).encode()).hexdigest()[:12]}"
        self.folder, self.data, self.port = folder, folder / "data", free_port()
        self.fsync = fsync

    @property
    def superuser(self) -> str:
        return f"host={self.folder} port={self.port} user=postgres dbname=postgres"

    def _run(self, *cmd: object) -> None:
        args = [str(c) for c in cmd]
        if self.as_postgres:
            args = [RUNUSER, "-u", "postgres", "--", *args]
        done = subprocess.run(args, check=False, capture_output=True, text=True, timeout=120)
        if done.returncode:
            lines = (done.stderr or done.stdout).strip().splitlines() or ["?"]
            raise StoreError("hub.pg_failed", step=Path(args[-len(cmd)]).name if cmd else "?", detail=lines[-1])

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._run(BIN / "initdb", "-D", self.data, "--auth-local=trust", "--auth-host=scram-sha-256",
                      "-U", "postgres", "-E", "UTF8", *([] if self.fsync else ["--no-sync"]))
        options = f"-p {self.port} -k {self.folder} -h 127.0.0.1" + ("" if self.fsync else " -c fsync=off")
        self._run(BIN / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """``mode``: "fast" ends the sessions and shuts down cleanly; "immediate" is a crash (tests)."""
        self._run(BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")
