"""A throwaway PostgreSQL cluster for the tests: kit hub's own cluster (kit/hub/cluster.py) in a temp dir.

Why our own and not a shared server: the tests must not depend on (or damage) anything on the
machine. initdb, pg_ctl and running them as the ``postgres`` system user when the tests run as root
are kit.hub.cluster.LocalCluster's; this adds the temp dir, the role ``kit`` with its password and
the database ``kit``. Fixtures: ``pg_cluster`` (one per test session), ``pg_url`` (a URL naming a
fresh workshop key per test); conftest.py loads them through ``pytest_plugins``.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit.errors import StoreError
from kit.hub.cluster import BIN, LocalCluster
from kit.netutil import free_port

__all__ = ["BIN", "PASSWORD", "Cluster", "free_port", "pg_cluster", "pg_url"]

#: The password of the role ``kit``; the server checks it (scram-sha-256 over TCP).
PASSWORD = "geheim-Pw_9"


class Cluster(LocalCluster):
    """One PostgreSQL server in a temp dir, started; ``url(key)`` names a workshop on it."""

    def __init__(self, durable: bool = False, base: Path | None = None) -> None:
        # durable=False: fsync off, fine for tests that never pull the plug
        super().__init__(Path(tempfile.mkdtemp(prefix="kit-pg-", dir=base)), fsync=durable)
        self.start()
        self._run(BIN / "psql", "-h", self.dir, "-p", str(self.port), "-U", "postgres", "-q", "-c",
                  f"CREATE ROLE kit LOGIN PASSWORD '{PASSWORD}'", "-c", "CREATE DATABASE kit OWNER kit")

    @property
    def dir(self) -> Path:
        """The cluster's folder (its data, its log and its socket)."""
        return self.folder

    def url(self, workshop: str | None = None, user: str = "kit", password: str | None = None) -> str:
        auth = user if password is None else f"{user}:{password}"
        query = f"?workshop={workshop}" if workshop else ""
        return f"postgresql://{auth}@127.0.0.1:{self.port}/kit{query}"

    def destroy(self) -> None:
        with contextlib.suppress(StoreError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


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
