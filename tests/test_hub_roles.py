"""Facilitators kept apart by the database itself: own login roles, owned workshops, sharing by GRANT.

Runs on the throwaway cluster of tests/pgcluster.py, in a database of its own whose owner is an
administrator role with CREATEROLE (as `kit hub` sets it up), never as a superuser.
"""
from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

import kit
from kit.errors import NotFound, Refused, StoreError
from kit.store import (
    add_facilitator,
    list_workshops,
    share_workshop,
    shared_with,
    unshare_workshop,
)
from pgcluster import Cluster

PASSWORDS = {"hubadmin": "Adm1n-pw_x", "anna": "Anna-pw_7", "ben": "Ben-pw_8"}


@dataclass
class Server:
    port: int
    database: str

    def url(self, user: str, key: str | None = None) -> str:
        query = f"?workshop={key}" if key else ""
        return f"postgresql://{user}:{PASSWORDS[user]}@127.0.0.1:{self.port}/{self.database}{query}"


@pytest.fixture(scope="module")
def server(pg_cluster: Cluster) -> Iterator[Server]:
    database = f"hub{uuid.uuid4().hex[:8]}"
    pg_cluster._run("/usr/lib/postgresql/15/bin/psql", "-h", pg_cluster.dir, "-p", str(pg_cluster.port), "-U",
                    "postgres", "-q", "-c",
                    f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='hubadmin') THEN "
                    f"CREATE ROLE hubadmin LOGIN CREATEROLE PASSWORD '{PASSWORDS['hubadmin']}'; END IF; END$$",
                    "-c", f"CREATE DATABASE {database} OWNER hubadmin")
    one = Server(pg_cluster.port, database)
    for name in ("anna", "ben"):
        add_facilitator(one.url("hubadmin"), name, PASSWORDS[name])
    yield one


def key() -> str:
    return f"w{uuid.uuid4().hex[:10]}"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_a_facilitator_cannot_open_list_or_read_another_facilitators_workshop(server: Server) -> None:
    k = key()
    kit.demo(server.url("anna", k), "en").close()
    assert k in [w["key"] for w in list_workshops(server.url("anna"))]
    assert [w["owner"] for w in list_workshops(server.url("anna")) if w["key"] == k] == ["anna"]
    assert k not in [w["key"] for w in list_workshops(server.url("ben"))]
    with pytest.raises(NotFound) as err:
        kit.open(server.url("ben", k))
    assert err.value.code == "store.no_workshop" and k not in err.value.params["names"]
    # not just the kit: the database refuses Ben's own SQL on Anna's tables
    with psycopg.connect(server.url("ben")) as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f'SELECT count(*) FROM "kit_{k}".observation')
    listing = cli("list", server.url("ben"))
    assert listing.returncode == 0 and k not in listing.stdout
    # and Ben cannot take it: neither share it to himself, nor delete or rename it
    with pytest.raises(NotFound):
        share_workshop(server.url("ben", k), "ben")
    with pytest.raises(NotFound):
        kit.store.delete_workshop(server.url("ben", k))


def test_sharing_gives_and_unsharing_takes_back_through_the_cli(server: Server) -> None:
    k = key()
    with kit.new(server.url("anna", k), title="Shared", language="en") as ws:
        ws.observations.add(text="by Anna", kind="behaviour")
    done = cli("share", server.url("anna", k), "--with", "ben")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "shared with ben" and PASSWORDS["anna"] not in done.stdout + done.stderr
    assert shared_with(server.url("anna", k)) == ["ben"]
    with kit.open(server.url("ben", k)) as ws:
        ws.observations.add(text="by Ben", kind="behaviour")
        assert sorted(o["text"] for o in ws.observations) == ["by Anna", "by Ben"]
    assert k in [w["key"] for w in list_workshops(server.url("ben"))]
    # a shared facilitator uses the workshop but does not own it
    with pytest.raises(Refused) as refused:
        kit.store.delete_workshop(server.url("ben", k))
    assert refused.value.code == "store.not_owner"
    with pytest.raises(Refused):
        share_workshop(server.url("ben", k), "ben")
    taken = cli("unshare", server.url("anna", k), "--with", "ben")
    assert taken.returncode == 0 and taken.stdout.strip() == "shared with nobody"
    with pytest.raises(NotFound):
        kit.open(server.url("ben", k))
    with kit.open(server.url("anna", k)) as ws:
        assert len(ws.observations) == 2


def test_the_admin_sees_and_shares_every_workshop(server: Server) -> None:
    k = key()
    kit.new(server.url("ben", k), title="Ben's", language="en").close()
    assert k in [w["key"] for w in list_workshops(server.url("hubadmin"))]
    share_workshop(server.url("hubadmin", k), "anna")
    with kit.open(server.url("anna", k)) as ws:
        assert ws.info["title"] == "Ben's"
    unshare_workshop(server.url("hubadmin", k), "anna")
    assert shared_with(server.url("ben", k)) == []


@pytest.mark.parametrize("name", ["", "Anna", "postgres", "pg_monitor", "a" * 41, "x; DROP TABLE meta", "änna"])
def test_a_bad_facilitator_name_is_one_line(server: Server, name: str) -> None:
    with pytest.raises(StoreError) as err:
        add_facilitator(server.url("hubadmin"), name, "x")
    assert err.value.code == "store.bad_facilitator" and "\n" not in str(err.value)


def test_sharing_with_nobody_known_and_creating_without_the_right(server: Server) -> None:
    k = key()
    kit.new(server.url("anna", k), title="x", language="en").close()
    result = cli("share", server.url("anna", k), "--with", "nobody_here")
    assert result.returncode == 2 and "no facilitator called 'nobody_here'" in result.stderr
    assert PASSWORDS["anna"] not in result.stderr
    # a role that is not a facilitator of this database may not create workshops there
    with pytest.raises(StoreError) as err:
        kit.new(server.url("hubadmin").replace("hubadmin:", "kit:", 1).replace(
            PASSWORDS["hubadmin"], "geheim-Pw_9") + f"?workshop={key()}", title="x")
    assert err.value.code == "store.no_create"


def test_a_facilitator_opens_her_room_and_the_hub_room_serves_it_on_demand(server: Server) -> None:
    from kit.room import close_room, open_room
    from roomclient import http_get, running_room

    def status(url: str) -> int:
        return http_get(url)[0]

    a, b = key(), key()
    kit.new(server.url("anna", a), title="Anna's", language="en").close()
    kit.new(server.url("ben", b), title="Ben's", language="en").close()
    with pytest.raises(NotFound):  # Ben cannot even open Anna's workshop, so not its room either
        kit.open(server.url("ben", a))
    with running_room({}, server=server.url("hubadmin")) as (base, _):
        with kit.open(server.url("anna", a), actor="anna") as ws:
            token = open_room(ws, f"http://{base}").split("?token=", 1)[1]
            assert ws.store.room_digest() != token and token not in repr(ws.store.meta())
        assert status(f"http://{base}w/{a}/?token={token}") == 200
        with kit.open(server.url("ben", b), actor="ben") as ws:
            token_b = open_room(ws, f"http://{base}").split("?token=", 1)[1]
        refused = [f"w/{b}/?token={token}", f"w/{a}/?token={token_b}", f"w/{a}/", "w/nothere/?token=" + token]
        assert [status(f"http://{base}{path}") for path in refused] == [403] * len(refused)
        with kit.open(server.url("anna", a), actor="anna") as ws:
            close_room(ws)
        assert status(f"http://{base}w/{a}/?token={token}") == 403
