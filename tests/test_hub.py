"""`kit hub`: secrets in 0600 files, HTTPS with a given certificate, facilitators apart, Ctrl+C stops everything.

The slow tests start the real thing (tests/hubserver.py): a PostgreSQL cluster in a folder,
JupyterHub with configurable-http-proxy over HTTPS (a trustme CA that only the clients trust),
NativeAuthenticator, a JupyterLab per facilitator (each as a system user of their own, named with a
prefix of this run and removed afterwards) and the idle culler.
"""
from __future__ import annotations

import contextlib
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests

from cmdlines import secrets_on_command_lines, tree
from hubserver import (
    ROOT,
    STOP,
    Hub,
    api,
    authorize,
    env_of,
    log_in,
    make_certificate,
    pgpass_env,
    run_in_kernel,
    running_hub,
    sign_up,
    spawn,
)
from kit.errors import StoreError, UsageError
from kit.hub.secrets import ensure_secret, read_secret, write_private
from kit.hub.users import ensure_account, system_name, usable_by_others

PASSWORDS = {"admin": "Adm1n-hub-pw_2", "anna": "Anna-hub-pw_3", "ben": "Ben-hub-pw_44"}
needs_hub = pytest.mark.skipif(shutil.which("configurable-http-proxy") is None
                               or not Path("/usr/lib/postgresql/15/bin/initdb").exists(),
                               reason="needs configurable-http-proxy and PostgreSQL (make hub installs both)")


def kit_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, timeout=120,
                          check=False, env=env, cwd=ROOT)


# ---------------------------------------------------------------------------- secrets
def test_a_secret_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "cookie_secret"
    first = ensure_secret(path)
    assert len(first) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert ensure_secret(path) == first  # read back, never replaced


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_secret_others_may_read_is_refused_in_one_line(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "proxy_token"
    path.write_text("s3cret-value")
    path.chmod(mode)
    with pytest.raises(UsageError) as err:
        read_secret(path)
    assert err.value.code == "hub.secret_mode" and f"chmod 600 {path}" in str(err.value)
    assert "s3cret-value" not in str(err.value) and "\n" not in err.value.render("de")


def test_an_empty_secret_is_refused_and_a_private_file_is_0600_even_when_it_existed(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.touch(mode=0o600)
    with pytest.raises(UsageError, match="empty"):
        read_secret(empty)
    loose = tmp_path / ".pgpass"
    loose.write_text("old")
    loose.chmod(0o644)
    write_private(loose, "h:1:d:u:p\n")
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600 and loose.read_text() == "h:1:d:u:p\n"


@pytest.mark.parametrize("prefix", ["", "Kit-", "-kit", "kit--", "k it-", "ki.t-", "a" * 17, "root\n"])
def test_a_bad_user_prefix_is_refused_in_one_line(prefix: str) -> None:
    with pytest.raises(UsageError) as err:
        system_name(prefix, "anna")
    assert err.value.code == "hub.bad_prefix" and "\n" not in err.value.render("de")


def test_a_system_user_name_is_the_prefix_and_the_name_and_never_longer_than_32() -> None:
    assert system_name("kit-", "anna") == "kit-anna" and system_name("kit", "anna") == "kitanna"
    long_a, long_b = system_name("kit-", "a" * 39 + "b"), system_name("kit-", "a" * 39 + "c")
    assert len(long_a) == len(long_b) == 32 and long_a != long_b and long_a.startswith("kit-aaaa")
    with pytest.raises(StoreError):  # hub logins that could not be a PostgreSQL role are no system user either
        system_name("kit-", "Anna")


@pytest.mark.parametrize("account", ["root", "daemon", "nobody"])
def test_the_hub_never_runs_a_facilitator_as_an_existing_system_account(account: str) -> None:
    with pytest.raises(UsageError) as err:
        ensure_account(account, "anna")
    assert err.value.code == "hub.foreign_account"


def test_a_private_file_replaces_a_planted_symlink_without_following_it(tmp_path: Path) -> None:
    target = tmp_path / "shadow"
    target.write_text("root:x:0:0\n")
    planted = tmp_path / "home" / ".pgpass"
    planted.parent.mkdir()
    planted.symlink_to(target)
    write_private(planted, "h:1:d:anna:pw\n", owner=(65534, 65534))
    assert target.read_text() == "root:x:0:0\n" and not planted.is_symlink()
    assert (planted.stat().st_uid, stat.S_IMODE(planted.stat().st_mode)) == (65534, 0o600)


def test_kit_hub_refuses_without_root_unless_told_to_share_one_user(tmp_path: Path) -> None:
    state = Path(tempfile.mkdtemp(prefix="kit-hub-nobody-"))
    shutil.chown(state, "nobody")
    try:
        done = subprocess.run(["runuser", "-u", "nobody", "--", sys.executable, "-m", "kit", "hub", "--dir",
                               str(state / "hub")], capture_output=True, text=True, timeout=120, check=False,
                              cwd="/")
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--shared-user" in done.stderr
        assert not (state / "hub").exists()  # nothing was started
    finally:
        shutil.rmtree(state)


def test_kit_hub_refuses_when_facilitators_could_not_reach_the_kit(tmp_path: Path) -> None:
    closed = Path(tempfile.mkdtemp(prefix="kit-closed-"))  # mode 0700, like /root
    (closed / "notebook.ipynb").write_text("{}")
    try:
        with pytest.raises(UsageError) as err:
            usable_by_others(sys.executable, [closed / "notebook.ipynb"])
        assert err.value.code == "hub.kit_private" and f"chmod o+x {closed}'" in str(err.value)
        usable_by_others(sys.executable, [ROOT / "notebooks" / "00_setup.ipynb"])  # what `make hub` makes sure of
    finally:
        shutil.rmtree(closed)


def test_kit_hub_refuses_a_readable_key_or_half_a_pair_before_starting_anything(tmp_path: Path) -> None:
    _, cert, key, _ = make_certificate(tmp_path / "tls")
    key.chmod(0o644)
    state = tmp_path / "state"
    result = kit_cli("hub", "--dir", str(state), "--ssl-cert", str(cert), "--ssl-key", str(key))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "chmod 600" in result.stderr
    assert not (state / "pg").exists()
    half = kit_cli("hub", "--dir", str(state), "--ssl-cert", str(cert))
    assert half.returncode == 2 and "give both or neither" in half.stderr
    lan = kit_cli("hub", "--dir", str(state), "--ip", "192.0.2.1")
    assert lan.returncode == 2 and "only over HTTPS" in lan.stderr and not (state / "pg").exists()


# ---------------------------------------------------------------------------- the running hub
@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    base = Path(tempfile.mkdtemp(prefix="kit-hub-"))
    base.chmod(0o755)  # the postgres system user runs the cluster inside
    try:
        with running_hub(base, admin="admin") as one:
            yield one
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def people(hub: Hub) -> dict[str, requests.Session]:
    """The admin and two approved facilitators, logged in."""
    for name, password in PASSWORDS.items():
        assert sign_up(hub, name, password).status_code == 200
    admin = log_in(hub, "admin", PASSWORDS["admin"])
    with pytest.raises(PermissionError):  # signed up but not approved yet
        log_in(hub, "anna", PASSWORDS["anna"])
    for name in ("anna", "ben"):
        authorize(hub, admin, name)
    return {"admin": admin, **{n: log_in(hub, n, PASSWORDS[n]) for n in ("anna", "ben")}}


@pytest.mark.slow
@needs_hub
def test_the_hub_serves_https_with_the_given_certificate_only(hub: Hub) -> None:
    assert hub.output[-1].startswith(f"Facilitators log in here: {hub.url} ")
    page = hub.session().get(hub.url + "hub/login", timeout=30)
    assert page.status_code == 200 and "signup" in page.text
    plain = requests.Session()
    plain.trust_env = False
    with pytest.raises(requests.exceptions.SSLError):  # a client that does not trust our CA refuses it
        plain.get(hub.url + "hub/login", timeout=30)
    with pytest.raises(requests.exceptions.ConnectionError):  # no plain HTTP on the same port
        plain.get(hub.url.replace("https:", "http:") + "hub/login", timeout=30)


@pytest.mark.slow
@needs_hub
def test_each_facilitator_gets_a_jupyterlab_with_their_own_database_login(hub: Hub,
                                                                         people: dict[str, requests.Session]) -> None:
    for name in ("anna", "ben"):
        spawn(hub, people[name], name)
        lab = people[name].get(hub.url + f"user/{name}/lab", timeout=60)
        assert lab.status_code == 200 and lab.url == hub.url + f"user/{name}/lab"
    # Anna's session does not open Ben's server
    other = people["anna"].get(hub.url + "user/ben/lab", timeout=60, allow_redirects=True)
    assert other.status_code == 403 or "user/ben/lab" not in other.url
    servers = {env_of(p.pid).get("JUPYTERHUB_USER"): p for p in psutil.process_iter(["cmdline"])
               if "jupyterhub.singleuser" in " ".join(p.info["cmdline"] or []) and p.is_running()
               and env_of(p.pid).get("USER", "").startswith(hub.user_prefix)}
    assert set(servers) == {"anna", "ben"}
    for name, process in servers.items():
        env = env_of(process.pid)
        account, home = hub.account(name), hub.home(name)
        # each runs as the system user the hub made for them (kit hub --user-prefix), in a home only they enter
        assert account.pw_name == hub.user_prefix + name and account.pw_uid >= 1000
        assert process.uids().real == process.uids().effective == account.pw_uid and process.gids().real != 0
        assert env["USER"] == account.pw_name and env["HOME"] == str(home) and not home.is_relative_to(hub.state)
        assert (home.stat().st_uid, stat.S_IMODE(home.stat().st_mode)) == (account.pw_uid, 0o700)
        assert "KIT_WORKSHOP" not in env and "PGPASSWORD" not in env  # they choose; the password is in a file
        assert env["PGPASSFILE"] == str(home / ".pgpass") and env["KIT_SERVER"].startswith(f"postgresql://{name}@")
        assert env["KIT_ROOM_URL"] == hub.url + "services/room/"  # where kit.room.open_room's links point
        pgpass = (home / ".pgpass").stat()
        assert (pgpass.st_uid, stat.S_IMODE(pgpass.st_mode)) == (account.pw_uid, 0o600)
        assert (home / "notebooks" / "00_setup.ipynb").stat().st_uid == account.pw_uid  # theirs to edit
    # with Anna's credentials Anna creates a workshop; with Ben's, Ben can neither list nor open it
    anna_server = env_of(servers["anna"].pid)["KIT_SERVER"]
    made = kit_cli("demo", anna_server + "?workshop=hotel", "--lang", "en", env=pgpass_env(hub, "anna"))
    assert made.returncode == 0, made.stderr
    assert "hotel" in kit_cli("list", anna_server, env=pgpass_env(hub, "anna")).stdout
    ben_server = env_of(servers["ben"].pid)["KIT_SERVER"]
    listed = kit_cli("list", ben_server, env=pgpass_env(hub, "ben"))
    assert listed.returncode == 0 and "hotel" not in listed.stdout
    opened = kit_cli("info", ben_server + "?workshop=hotel", env=pgpass_env(hub, "ben"))
    assert opened.returncode == 2 and "no such workshop" in opened.stderr


@pytest.mark.slow
@needs_hub
def test_a_facilitators_kernel_cannot_read_another_home_the_secrets_or_the_hubs_files(
        hub: Hub, people: dict[str, requests.Session]) -> None:
    for name in ("anna", "ben"):
        if not api(hub, people[name], "GET", f"hub/api/users/{name}").json()["servers"]:
            spawn(hub, people[name], name)
    ben_server = next(p.pid for p in psutil.process_iter(["username", "cmdline"])
                      if p.info["username"] == hub.account("ben").pw_name
                      and "jupyterhub.singleuser" in " ".join(p.info["cmdline"] or []))
    targets = {"Ben's home": hub.home("ben"), "Ben's .pgpass": hub.home("ben") / ".pgpass",
               "Ben's notebooks": hub.home("ben") / "notebooks" / "00_setup.ipynb",
               "secrets/": hub.state / "secrets", "the database password": hub.state / "secrets" / "db_admin_password",
               "the state folder": hub.state, "the hub database": hub.state / "jupyterhub.sqlite",
               "the hub log": hub.state / "jupyterhub.log",
               "Ben's server's environment": f"/proc/{ben_server}/environ",
               "the hub's environment": f"/proc/{hub.process.pid}/environ"}
    paths = {what: str(path) for what, path in targets.items()}
    code = (f"import os\nprint('UID', os.getuid())\nfor what, path in {paths!r}.items():\n"
            "    try:\n        os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read()\n"
            "        print('READ', what)\n    except PermissionError:\n        print('DENIED', what)\n"
            "print('OWN', open(os.path.expanduser('~/.pgpass')).read().split(':')[3])")
    printed = run_in_kernel(hub, people["anna"], "anna", code).splitlines()
    assert printed[0] == f"UID {hub.account('anna').pw_uid}" and printed[-1] == "OWN anna"  # her own she reads
    assert printed[1:-1] == [f"DENIED {what}" for what in targets], printed
    for path in (hub.state / "jupyterhub.sqlite", hub.state / "jupyterhub.log"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(hub.state.stat().st_mode) & 0o007 == 0  # others: nothing (the postgres group passes)


@pytest.mark.slow
@needs_hub
def test_no_secret_is_on_any_command_line_of_the_hub(hub: Hub, people: dict[str, requests.Session]) -> None:
    """Every process kit hub started (hub, proxy, room, culler, both JupyterLabs, PostgreSQL and its backends)."""
    postmaster = int((hub.state / "pg" / "data" / "postmaster.pid").read_text().split()[0])
    cmdlines = tree(hub.process.pid, postmaster)
    for needed in ("-m jupyterhub ", "configurable-http-proxy", "-m kit.room", "jupyterhub_idle_culler",
                   "jupyterhub.singleuser", "postgres"):
        assert any(needed in line for line in cmdlines.values()), needed
    secrets = {**hub.secrets(), **{f"login of {n}": p for n, p in PASSWORDS.items()}}
    for pid in cmdlines:  # and the tokens the hub hands its children through their environment
        with contextlib.suppress(OSError):
            secrets.update({f"{key} of {pid}": value for key, value in env_of(pid).items()
                            if key in ("JUPYTERHUB_API_TOKEN", "CONFIGPROXY_AUTH_TOKEN") and value})
    assert any(key.startswith("JUPYTERHUB_API_TOKEN") for key in secrets)
    assert secrets_on_command_lines(cmdlines, secrets) == []


@pytest.mark.slow
@needs_hub
def test_the_idle_culler_runs_as_a_service_with_its_role(hub: Hub, people: dict[str, requests.Session]) -> None:
    services = api(hub, people["admin"], "GET", "hub/api/services").json()
    assert services["idle-culler"]["roles"] == ["idle-culler"] and services["idle-culler"]["pid"]
    assert psutil.Process(services["idle-culler"]["pid"]).is_running()


def test_the_config_gives_the_culler_only_its_scopes_and_the_room_its_path(tmp_path: Path) -> None:
    from traitlets.config import Config

    from kit.hub import config

    env = {"KIT_HUB_DIR": str(tmp_path), "KIT_HUB_ADMIN": "admin", "KIT_HUB_DB": "postgresql://kit_admin@127.0.0.1:5/w",
           "KIT_HUB_ROOM_PORT": "4567", "KIT_HUB_CULL_TIMEOUT": "600"}
    c = Config()
    settings = config.configure(c, env)
    assert c.JupyterHub.load_roles == [{"name": "idle-culler", "services": ["idle-culler"], "scopes": [
        "list:users", "read:users:activity", "read:servers", "delete:servers"]}]
    culler = c.JupyterHub.services[0]
    assert culler["name"] == "idle-culler" and "--timeout=600" in culler["command"]
    assert settings.url == "http://127.0.0.1:8000/" and "ssl_cert" not in c.JupyterHub
    assert "KIT_WORKSHOP" not in c.Spawner.env_keep and "PGPASSWORD" not in c.Spawner.env_keep
    # each facilitator as a system user of their own; --shared-user (no isolation) only when asked for
    assert c.JupyterHub.spawner_class == "kit.hub.spawner.FacilitatorSpawner" and "--allow-root" not in c.Spawner.args
    assert c.FacilitatorSpawner.user_prefix == "kit-"
    shared = Config()
    config.configure(shared, {**env, "KIT_HUB_SHARED_USER": "1", "KIT_HUB_USER_PREFIX": "x-"})
    assert shared.JupyterHub.spawner_class == "jupyterhub.spawner.SimpleLocalProcessSpawner"
    assert shared.SimpleLocalProcessSpawner.home_dir_template == str(tmp_path / "homes" / "{username}")
    # the room always runs: it serves any workshop whose facilitator opened its room, on demand
    on_demand = c.JupyterHub.services[1]
    assert on_demand["command"][3:] == ["--server", "postgresql://kit_admin@127.0.0.1:5/w", "--host", "127.0.0.1",
                                        "--port", "4567", "--base-url", "/services/room/"]
    assert settings.room_url == "http://127.0.0.1:8000/services/room/"
    rooms = config.Settings.from_env({**env, "KIT_HUB_ROOMS": "hotel,bens"})
    room = config.services(rooms)[0][1]
    assert room["url"] == "http://127.0.0.1:4567" and room["command"][-2:] == ["--base-url", "/services/room/"]
    assert room["command"][5:9] == ["--workshop", "hotel=postgresql://kit_admin@127.0.0.1:5/w?workshop=hotel",
                                    "--workshop", "bens=postgresql://kit_admin@127.0.0.1:5/w?workshop=bens"]
    tokens = Path(room["command"][room["command"].index("--token-file") + 1])
    pgpass = Path(room["environment"]["PGPASSFILE"])
    for private in (tokens, pgpass):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    lines = dict(line.split() for line in tokens.read_text().splitlines())
    assert lines == rooms.room_tokens() and len(set(lines.values())) == 2  # one token per workshop
    assert pgpass.read_text().startswith("127.0.0.1:5:w:kit_admin:")
    no_port = config.pgpass_line("postgresql://kit_admin@db.example.org/w", "anna", "pw")
    assert no_port == "db.example.org:5432:w:anna:pw\n"
    with pytest.raises(UsageError, match="KIT_HUB_ADMIN"):
        config.Settings.from_env({"KIT_HUB_DIR": "x", "KIT_HUB_DB": "y"})


@pytest.mark.slow
@needs_hub
def test_ctrl_c_stops_every_process_and_no_secret_reached_a_log(hub: Hub, people: dict[str, requests.Session]) -> None:
    """Last in this module: it stops the module's hub."""
    if not api(hub, people["anna"], "GET", "hub/api/users/anna").json()["servers"]:
        spawn(hub, people["anna"], "anna")  # a facilitator's server is running when Ctrl+C comes
    children = psutil.Process(hub.process.pid).children(recursive=True)
    postmaster = int((hub.state / "pg" / "data" / "postmaster.pid").read_text().split()[0])
    names = {" ".join(c.cmdline()[:3]) for c in children}
    assert any("jupyterhub" in n for n in names) and any("configurable-http-proxy" in n for n in names)
    hub.process.send_signal(signal.SIGINT)
    assert hub.process.wait(STOP) == 0
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == [], [p.cmdline() for p in alive]
    assert not psutil.pid_exists(postmaster) or psutil.Process(postmaster).status() == psutil.STATUS_ZOMBIE
    logs = hub.logs()
    secrets = {**hub.secrets(), **{f"login of {n}": p for n, p in PASSWORDS.items()}}
    assert len(secrets) >= 6  # cookie, proxy token, database admin, anna, ben (+ logins)
    for where, value in secrets.items():
        assert value not in logs, f"{where} appears in a log"
        assert value[:16] not in logs, f"part of {where} appears in a log"
    for path in (hub.state / "secrets").rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

