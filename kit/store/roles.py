"""Facilitators on a shared PostgreSQL server: one login role each, workshops owned and shared by role.

Why in the database and not in the kit: when several facilitators share one server (a hosted hub),
"B cannot open or list A's workshop" must hold for any program B runs with B's credentials, not
only for the kit's own code. So each facilitator logs in as their own role; a workshop's schema
belongs to the role that created it; sharing GRANTs another role the use of that schema and its
tables (and, through default privileges, of tables an upgrade adds later); unsharing REVOKEs it.
``kit list`` and ``kit.open`` see only schemas the role may use (``has_schema_privilege``).

The administrator's role (CREATEROLE, owner of the database) creates facilitators and is made a
member of each, so it may see and share every workshop. A password is sent to the server only as
its SCRAM hash, so it never appears in the server's log.
"""
from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg import sql

from ..errors import NotFound, Refused, StoreError
from .postgres import _owner_only, _require_workshop, connect
from .url import ServerURL

#: A facilitator's name, which is also their login role.
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
TABLE_RIGHTS = sql.SQL("SELECT, INSERT, UPDATE, DELETE")
SEQUENCE_RIGHTS = sql.SQL("USAGE, SELECT, UPDATE")


def check_name(name: str) -> str:
    """A name that can be a login role and cannot be mistaken for the server's own roles."""
    if not NAME.fullmatch(name) or name == "postgres" or name.startswith("pg_"):
        raise StoreError("store.bad_facilitator", name=name)
    return name


def add_facilitator(admin: ServerURL, name: str, password: str) -> None:
    """Create the facilitator's login role (or set its password) with the right to create workshops."""
    role = sql.Identifier(check_name(name))
    with connect(admin) as conn, conn.transaction():
        hashed = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname=%s", (name,)).fetchone()
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        conn.execute(sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
            verb, role, sql.Literal(hashed)))
        conn.execute(sql.SQL("GRANT CONNECT, CREATE ON DATABASE {} TO {}").format(
            sql.Identifier(admin.database), role))
        if not _is_superuser(conn):
            conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(role))


def _is_superuser(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    return bool(row and row[0])


def share(url: ServerURL, name: str) -> None:
    """Let facilitator ``name`` open, change and list the workshop at ``url`` (owner or admin only)."""
    _grant(url, name, share=True)


def unshare(url: ServerURL, name: str) -> None:
    """Take the workshop back from facilitator ``name``; its owner keeps it."""
    _grant(url, name, share=False)


def _grant(url: ServerURL, name: str, share: bool) -> None:
    role = sql.Identifier(check_name(name))
    schema = sql.Identifier(url.schema)
    with connect(url) as conn, conn.transaction():
        _require_workshop(conn, url)
        owner = conn.execute("SELECT pg_get_userbyid(nspowner), pg_has_role(current_user, nspowner, 'USAGE') "
                             "FROM pg_namespace WHERE nspname=%s", (url.schema,)).fetchone()
        if owner is None or not owner[1]:  # (None: dropped since _require_workshop found it)
            raise Refused("store.not_owner", location=url.location, user=url.user or "?")
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname=%s AND rolcanlogin", (name,)).fetchone():
            raise NotFound("store.no_facilitator", server=url.server, name=name)
        if name == owner[0]:
            return  # the owner always keeps their workshop
        statements = [
            ("GRANT {rights} ON ALL TABLES IN SCHEMA {schema} TO {role}",
             "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}", TABLE_RIGHTS),
            ("GRANT {rights} ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
             "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}", SEQUENCE_RIGHTS),
            ("ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT {rights} ON TABLES TO {role}",
             "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} REVOKE ALL ON TABLES FROM {role}",
             TABLE_RIGHTS),
            ("ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT {rights} ON SEQUENCES TO {role}",
             "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} REVOKE ALL ON SEQUENCES FROM {role}",
             SEQUENCE_RIGHTS),
            ("GRANT USAGE ON SCHEMA {schema} TO {role}", "REVOKE ALL ON SCHEMA {schema} FROM {role}", sql.SQL("")),
        ]
        with _owner_only(url):
            for grant, revoke, rights in statements:
                conn.execute(sql.SQL(grant if share else revoke).format(
                    rights=rights, schema=schema, role=role, owner=sql.Identifier(owner[0])))


def shared_with(url: ServerURL) -> list[str]:
    """The facilitators (besides the owner) who may use the workshop at ``url``."""
    with connect(url) as conn:
        _require_workshop(conn, url)
        rows = conn.execute(
            "SELECT r.rolname FROM pg_roles r, pg_namespace n WHERE n.nspname=%s AND r.rolcanlogin "
            "AND NOT r.rolsuper AND NOT pg_has_role(r.oid, n.nspowner, 'USAGE') "
            "AND has_schema_privilege(r.oid, n.oid, 'USAGE') "
            "ORDER BY r.rolname", (url.schema,)).fetchall()
    return [r[0] for r in rows]


def bootstrap(superuser: str, admin: str, password: str, database: str) -> None:
    """A fresh server for a hub: the administrator's role (CREATEROLE, no superuser) owning ``database``.

    ``superuser`` is a conninfo for the server's superuser (a local socket); run again, it only sets
    the password. Nobody else may connect to ``database`` until made a facilitator.
    """
    with psycopg.connect(superuser, autocommit=True) as conn:
        hashed = conn.pgconn.encrypt_password(password.encode(), admin.encode(), b"scram-sha-256").decode()
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname=%s", (admin,)).fetchone()
        conn.execute(sql.SQL("{} ROLE {} LOGIN CREATEROLE NOSUPERUSER PASSWORD {}").format(
            sql.SQL("ALTER") if exists else sql.SQL("CREATE"), sql.Identifier(admin), sql.Literal(hashed)))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (database,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(admin)))
            conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database)))
