"""``kit hub``: PostgreSQL, JupyterHub, its proxy, the room and the idle culler on one machine; Ctrl+C stops all.

Why one foreground command: a facilitator trying the hosted setup (or a test) should get the
whole thing with one line and lose it with one key, leaving no process behind. JupyterHub runs
in a session of its own so that Ctrl+C reaches only this process, which then stops the hub
(which stops the proxy, the services and every facilitator's server) and the database, in order.
"""
from __future__ import annotations

import argparse
import contextlib
import grp
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import StoreError, UsageError
from ..netutil import free_port, qr_text
from ..store.url import check_key
from .cluster import LocalCluster
from .config import NOTEBOOKS, Settings
from .secrets import ensure_secret
from .users import PREFIX, USERADD, check_prefix, usable_by_others

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub_config.py"
ADMIN_ROLE, DATABASE = "kit_admin", "workshops"
#: Seconds the hub may take to answer, and to stop, before it counts as failed.
START_TIMEOUT, STOP_TIMEOUT = 120, 30


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dir", type=Path, default=Path("work/hub"), help="state: database, secrets, homes, logs "
                   "(default: %(default)s)")
    p.add_argument("--ip", default="127.0.0.1", help="address of the proxy (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port of the proxy (default: %(default)s)")
    p.add_argument("--ssl-cert", type=Path, help="certificate (PEM) for HTTPS; needed unless --ip is 127.0.0.1")
    p.add_argument("--ssl-key", type=Path, help="its private key (PEM, mode 0600)")
    p.add_argument("--admin", default="admin", help="the hub user who approves sign-ups (default: %(default)s)")
    p.add_argument("--room", action="append", default=[], metavar="KEY", help="serve this workshop's participant "
                   "room at /services/room/w/KEY/ (repeat for several); its link is printed at start")
    p.add_argument("--cull-timeout", type=int, default=3600, help="stop a facilitator's idle server after this "
                   "many seconds (default: %(default)s)")
    p.add_argument("--user-prefix", default=PREFIX, help="facilitator NAME's JupyterLab runs as the system user "
                   "PREFIX+NAME, which the hub creates (needs root) (default: %(default)s)")
    p.add_argument("--shared-user", action="store_true", help="run every facilitator's JupyterLab as this user "
                   "instead, in DIR/homes/NAME: no isolation between facilitators on this machine; for trying the "
                   "hub alone without root")


def environment(args: argparse.Namespace, db_port: int) -> dict[str, str]:
    """The KIT_HUB_* variables deploy/jupyterhub_config.py reads."""
    if bool(args.ssl_cert) != bool(args.ssl_key):
        raise UsageError("hub.cert_pair")
    for path in (args.ssl_cert, args.ssl_key):
        if path and not path.is_file():
            raise UsageError("hub.no_file", path=str(path))
    if not args.ssl_cert and args.ip != "127.0.0.1":
        raise UsageError("hub.needs_https", ip=args.ip)
    state = args.dir.resolve()
    return {"KIT_HUB_DIR": str(state), "KIT_HUB_ADMIN": args.admin, "KIT_HUB_IP": args.ip,
            "KIT_HUB_PORT": str(args.port), "KIT_HUB_DB": f"postgresql://{ADMIN_ROLE}@127.0.0.1:{db_port}/{DATABASE}",
            "KIT_HUB_API_PORT": str(free_port()), "KIT_HUB_PROXY_API_PORT": str(free_port()),
            "KIT_HUB_ROOM_PORT": str(free_port()), "KIT_HUB_CULL_TIMEOUT": str(args.cull_timeout),
            "KIT_HUB_ROOMS": ",".join(check_key(key, "--room") for key in args.room),
            "KIT_HUB_USER_PREFIX": check_prefix(args.user_prefix),
            "KIT_HUB_SHARED_USER": "1" if args.shared_user else "",
            "KIT_HUB_SSL_CERT": str(args.ssl_cert.resolve()) if args.ssl_cert else "",
            "KIT_HUB_SSL_KEY": str(args.ssl_key.resolve()) if args.ssl_key else ""}


def run(args: argparse.Namespace) -> int:
    """Start everything, print the facilitators' URL, wait for Ctrl+C (or the hub ending), stop everything."""
    from .. import i18n
    from ..store.roles import bootstrap

    if shutil.which("configurable-http-proxy") is None:
        raise UsageError("hub.no_program", program="configurable-http-proxy", package="node-configurable-http-proxy")
    if not args.shared_user:
        if os.geteuid() != 0:
            raise UsageError("hub.needs_root")
        if not Path(USERADD).exists():
            raise UsageError("hub.no_program", program="useradd", package="passwd")
        usable_by_others(sys.executable, [NOTEBOOKS / "00_setup.ipynb"])
    os.umask(0o077)  # everything the hub, its services and the facilitators' servers create is their own
    state = private_state(args.dir.resolve())
    if args.ssl_key:
        from .secrets import read_secret

        read_secret(args.ssl_key)  # a private key others may read is refused like any secret
    cluster = LocalCluster(state / "pg")
    env = environment(args, cluster.port)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a service manager stops it like Ctrl+C
    hub: subprocess.Popen[bytes] | None = None
    try:
        cluster.start()
        bootstrap(cluster.superuser, ADMIN_ROLE, ensure_secret(state / "secrets" / "db_admin_password"), DATABASE)
        settings = Settings.from_env(env)
        with open(state / "jupyterhub.log", "ab") as log:
            hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=state,
                                   env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        _wait_ready(hub, settings, state / "jupyterhub.log")
        print(i18n.t("hub.ready", "en", url=settings.url, admin=args.admin), flush=True)
        for key, token in settings.room_tokens().items():  # a participant link is meant to be handed out
            print(i18n.t("hub.room_link", "en", key=key, url=settings.room_link(key, token)), flush=True)
            if args.ip != "127.0.0.1":  # participants join from their phones: the link as a QR code too
                print(qr_text(settings.room_link(key, token)), flush=True)
        hub.wait()
        return 0 if hub.returncode in (0, -signal.SIGTERM) else 2
    except KeyboardInterrupt:
        return 0
    finally:
        with contextlib.suppress(KeyboardInterrupt):
            if hub is not None:
                _stop(hub)
            with contextlib.suppress(StoreError):  # Ctrl+C in a terminal may have stopped it already
                cluster.stop()
        signal.signal(signal.SIGTERM, previous)


def private_state(state: Path) -> Path:
    """The state folder, mode 0700 and its files 0600 (the hub's database and log among them), also when an
    older run left them readable. As root, the ``postgres`` group may pass through (0710) to the cluster in
    ``pg/``, which runs as that user; nobody else may enter."""
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = 0o700
    if os.geteuid() == 0:
        with contextlib.suppress(KeyError):
            os.chown(state, 0, grp.getgrnam("postgres").gr_gid)
            mode = 0o710
    state.chmod(mode)
    for path in state.iterdir():
        if path.is_file() and not path.is_symlink():
            path.chmod(0o600)
    return state


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _wait_ready(hub: subprocess.Popen[bytes], settings: Settings, log: Path) -> None:
    """Ready when the proxy routes to the hub and to every service (the hub answers before it has added them)."""
    wanted = {"/", "/services/room"}
    token = ensure_secret(settings.secrets / "proxy_token")
    request = urllib.request.Request(f"http://127.0.0.1:{settings.proxy_api_port}/api/routes",
                                     headers={"Authorization": f"token {token}"})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and hub.poll() is None:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 (http://127.0.0.1 only)
                routes = {spec.rstrip("/") or "/" for spec in json.load(response)}  # the proxy drops the last /
            if wanted <= routes and _answers(f"http://127.0.0.1:{settings.room_port}/"):
                return
        except OSError:
            pass  # the proxy is not listening yet
        time.sleep(0.2)  # neither the hub nor the proxy tells anybody when it is ready: ask
    raise UsageError("hub.failed", what="JupyterHub", log=str(log))


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (http://127.0.0.1 only)
    except urllib.error.HTTPError as exc:
        exc.close()  # the error is the response: close its socket
        return True  # it answered, with a refusal
    except OSError:
        return False
    return True


def _stop(hub: subprocess.Popen[bytes]) -> None:
    """SIGTERM: JupyterHub stops the proxy, its services and every spawned server, then exits.

    Whatever it leaves (it was killed, or a child would not stop in time) is stopped here, so no
    process outlives ``kit hub``.
    """
    below = _descendants(hub.pid)
    if hub.poll() is None:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            hub.kill()
            hub.wait()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        below = [pid for pid in below if _signal(pid, sig)]
        deadline = time.monotonic() + 5
        while below and time.monotonic() < deadline:
            time.sleep(0.1)  # a process that exits sends nobody but its parent a signal
            below = [pid for pid in below if _signal(pid, 0)]


def _signal(pid: int, sig: int) -> bool:
    """Send ``sig``; False when there is no such process any more."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc): the proxy, the services, the servers and their kernels."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # it ended meanwhile
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
