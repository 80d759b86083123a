"""A throwaway PostgreSQL cluster for the tests: initdb into a temp dir, a free port on 127.0.0.1.

Why our own and not a shared server: the tests must not depend on (or damage) anything on the
machine. The server refuses to run as root, so as root the cluster belongs to the ``postgres``
system user (Debian's package creates it). Fixtures: ``pg_cluster`` (one per test session),
``pg_url`` (a URL naming a fresh workshop key per test).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

#: The password of the role ``kit``; the server checks it (scram-sha-256 over TCP).
PASSWORD = "geheim-Pw_9"
BIN = Path(os.environ.get("KIT_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One PostgreSQL server in a temp dir; ``url(key)`` names a workshop on it."""

    def __init__(self, durable: bool = False, base: Path | None = None) -> None:
        self.durable = durable  # False: fsync off, fine for tests that never pull the plug
        self.dir = Path(tempfile.mkdtemp(prefix="kit-pg-", dir=base))
        self.data = self.dir / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.dir, "postgres")
        self._run(BIN / "initdb", "-D", self.data, "--auth-local=trust", "--auth-host=scram-sha-256", "-U", "postgres",
                  "-E", "UTF8", "--no-sync")
        self.start()
        self._run(BIN / "psql", "-h", self.dir, "-p", str(self.port), "-U", "postgres", "-q", "-c",
                  f"CREATE ROLE kit LOGIN PASSWORD '{PASSWORD}'", "-c", "CREATE DATABASE kit OWNER kit")

    def _run(self, *cmd: object) -> None:
        args = [str(c) for c in cmd]
        if self._as_postgres:
            args = ["runuser", "-u", "postgres", "--", *args]
        subprocess.run(args, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -h 127.0.0.1" + ("" if self.durable else " -c fsync=off")
        self._run(BIN / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def url(self, workshop: str | None = None, user: str = "kit", password: str | None = None) -> str:
        auth = user if password is None else f"{user}:{password}"
        query = f"?workshop={workshop}" if workshop else ""
        return f"postgresql://{auth}@127.0.0.1:{self.port}/kit{query}"

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    if not (BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL is not installed ({BIN}); see README 'Which store'")
    cluster = Cluster()
    saved = os.environ.get("PGPASSWORD")
    os.environ["PGPASSWORD"] = PASSWORD  # the libpq way; subprocesses of the tests inherit it
    try:
        yield cluster
    finally:
        from kit.store import postgres

        postgres.close_pools()
        cluster.destroy()
        if saved is None:
            os.environ.pop("PGPASSWORD", None)
        else:
            os.environ["PGPASSWORD"] = saved


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """A URL naming a workshop key nobody has used yet."""
    return pg_cluster.url(f"t{uuid.uuid4().hex[:12]}")
