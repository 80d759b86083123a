"""The hub's configuration as code: settings from the environment and 0600 files into JupyterHub's traits.

Why from the environment: ``kit hub``, a test and a systemd unit all start the same
``deploy/jupyterhub_config.py``; only the values differ, and secrets never appear on a command
line. What it sets up:

* facilitators log in with NativeAuthenticator (sign-up, approved by the admin user);
* each gets a JupyterLab as a local process running as a system user of their own
  (:class:`kit.hub.spawner.FacilitatorSpawner`, ``kit-NAME``), in a home folder of mode 0700 with a copy of
  the notebooks, the kit, no ``KIT_WORKSHOP`` (they choose), and their own PostgreSQL login role, whose
  password reaches them only in a 0600 ``.pgpass`` file they own (``--shared-user``: all as the hub's
  user, in ``homes/NAME``, for trying the hub alone);
* the room (``python -m kit.room``) as a Hub-managed service at ``/services/room/`` when the kit
  has it, and jupyterhub-idle-culler as a service with only the scopes it needs;
* HTTPS with the given certificate and key; the cookie secret and the proxy's token from 0600 files.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import UsageError
from ..room.links import ROOM_URL
from ..store import add_facilitator
from ..store.roles import check_name
from ..store.url import parse
from .secrets import ensure_secret, write_private
from .users import PREFIX, copy_as

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
DEBIAN_NODE = Path("/usr/share/nodejs")
#: A ``token=`` inside a URL-encoded URL, which JupyterHub's own log scrubbing does not see.
ENCODED_TOKEN = re.compile(r"(token(?:%3D|%253D))[^&%]+", re.IGNORECASE)
#: The scopes the idle culler needs (from jupyterhub-idle-culler's documentation), nothing more.
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]


@dataclass(frozen=True)
class Settings:
    """Everything the hub needs, read from ``KIT_HUB_*`` variables (see ``from_env``)."""

    state: Path  # secrets/, homes/, the hub's own database and logs
    admin: str  # the hub user who approves facilitators' sign-ups
    database: str  # postgresql://ADMINROLE@HOST:PORT/DB, the password in secrets/db_admin_password
    ip: str = "127.0.0.1"
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    room_port: int = 8002
    ssl_cert: str = ""
    ssl_key: str = ""
    cull_timeout: int = 3600
    rooms: tuple[str, ...] = ()  # workshop keys the room serves, each behind its own participant token
    user_prefix: str = PREFIX  # facilitator anna's JupyterLab runs as system user kit-anna
    shared_user: bool = False  # every JupyterLab as the hub's own user: no isolation (trying the hub alone)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def need(name: str) -> str:
            value = env.get(name, "")
            if not value:
                raise UsageError("hub.missing_setting", name=name)
            return value

        numbers = {field: int(env[name]) for field, name in (
            ("port", "KIT_HUB_PORT"), ("hub_port", "KIT_HUB_API_PORT"), ("proxy_api_port", "KIT_HUB_PROXY_API_PORT"),
            ("room_port", "KIT_HUB_ROOM_PORT"), ("cull_timeout", "KIT_HUB_CULL_TIMEOUT")) if env.get(name)}
        return cls(state=Path(need("KIT_HUB_DIR")), admin=need("KIT_HUB_ADMIN"), database=need("KIT_HUB_DB"),
                   ip=env.get("KIT_HUB_IP", "127.0.0.1"), ssl_cert=env.get("KIT_HUB_SSL_CERT", ""),
                   ssl_key=env.get("KIT_HUB_SSL_KEY", ""),
                   rooms=tuple(k for k in env.get("KIT_HUB_ROOMS", "").split(",") if k),
                   user_prefix=env.get("KIT_HUB_USER_PREFIX", PREFIX),
                   shared_user=env.get("KIT_HUB_SHARED_USER") == "1",
                   **numbers)

    @property
    def secrets(self) -> Path:
        return self.state / "secrets"

    def room_tokens(self) -> dict[str, str]:
        """Each room workshop's participant token (made once, kept in a 0600 file)."""
        return {key: ensure_secret(self.secrets / "room" / key) for key in self.rooms}

    @property
    def room_url(self) -> str:
        """The room service through the proxy: facilitators' servers get it as ``KIT_ROOM_URL``."""
        return f"{self.url}services/room/"

    def room_link(self, key: str, token: str) -> str:
        """What participants of workshop ``key`` open (also as a QR code): through the proxy, with its token."""
        return f"{self.room_url}w/{key}/?token={token}"

    @property
    def url(self) -> str:
        scheme = "https" if self.ssl_cert else "http"
        return f"{scheme}://{self.ip}:{self.port}/"

    def admin_url(self) -> str:
        """The administrator's database URL with its password: for this process only, never shown."""
        password = ensure_secret(self.secrets / "db_admin_password")
        head, _, rest = self.database.partition("://")
        user, _, host = rest.partition("@")
        return f"{head}://{user}:{quote(password, safe='')}@{host}"


def log_request(handler: Any) -> None:
    """JupyterHub's request log, also without a token hidden in an encoded URL (its 404 page's ``?url=``)."""
    from jupyterhub.log import log_request as hub_log_request  # type: ignore[import-untyped]  # no types

    request = handler.request
    uri = request.uri
    request.uri = ENCODED_TOKEN.sub(r"\1[secret]", uri)
    try:
        hub_log_request(handler)
    finally:
        request.uri = uri


def facilitator_env(settings: Settings, name: str, home: Path,
                    owner: tuple[int, int] | None = None) -> dict[str, str]:
    """Create the facilitator's login role and their 0600 ``.pgpass`` (theirs: ``owner``, uid and gid); the
    variables their server gets."""
    check_name(name)
    password = ensure_secret(settings.secrets / "facilitators" / name)
    add_facilitator(settings.admin_url(), name, password)
    pgpass = write_private(home / ".pgpass", pgpass_line(settings.database, name, password), owner)
    server = parse(settings.database, need_key=False)
    own = server.server.replace(f"//{server.user}@", f"//{name}@", 1)
    return {"PGPASSFILE": str(pgpass), "KIT_SERVER": own, "KIT_USER": name}


def pgpass_line(database: str, user: str, password: str) -> str:
    """One ``.pgpass`` line giving ``user`` their password for the server and database of ``database``."""
    server = parse(database, need_key=False)
    host, colon, port = server.server.split("@", 1)[1].split("/", 1)[0].rpartition(":")
    if not colon:
        host, port = port, "5432"
    return f"{host}:{port}:{server.database}:{user}:{password}\n"


def prepare_home(spawner: Any) -> tuple[Path, tuple[int, int] | None]:
    """A facilitator's start: their system user and home (created the first time), and their own copy of the
    notebook sequence to work in; returns the home and the (uid, gid) owning it (None: the hub's own user)."""
    from .spawner import FacilitatorSpawner  # in the hub's process, where JupyterHub is

    if not isinstance(spawner, FacilitatorSpawner):  # --shared-user
        home = Path(spawner.home_dir)
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not (home / "notebooks").exists():
            shutil.copytree(NOTEBOOKS, home / "notebooks")
        return home, None
    account = spawner.account()
    home = Path(account.pw_dir)
    if not (home / "notebooks").exists():
        copy_as(account, NOTEBOOKS, home / "notebooks")
    return home, (account.pw_uid, account.pw_gid)


def configure(c: Any, env: Mapping[str, str]) -> Settings:
    """Fill JupyterHub's config object ``c`` from ``env``; returns the settings used."""
    s = Settings.from_env(env)
    c.JupyterHub.ip, c.JupyterHub.port = s.ip, s.port
    c.JupyterHub.hub_ip, c.JupyterHub.hub_port = "127.0.0.1", s.hub_port
    if s.ssl_cert:
        c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = s.ssl_cert, s.ssl_key
    c.JupyterHub.cookie_secret = bytes.fromhex(ensure_secret(s.secrets / "cookie_secret"))
    c.ConfigurableHTTPProxy.auth_token = ensure_secret(s.secrets / "proxy_token")
    if DEBIAN_NODE.is_dir():  # Debian's proxy package keeps its modules there; a newer Node does not look there
        os.environ["NODE_PATH"] = os.pathsep.join(p for p in (os.environ.get("NODE_PATH"), str(DEBIAN_NODE)) if p)
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(s.state / "proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{s.state / 'jupyterhub.sqlite'}"
    c.JupyterHub.pid_file = str(s.state / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = c.JupyterHub.cleanup_proxy = True
    c.JupyterHub.tornado_settings = {"log_function": log_request}

    c.JupyterHub.authenticator_class = "kit.hub.auth.FacilitatorAuthenticator"
    from .auth import TEMPLATES

    c.JupyterHub.template_paths = [str(Path(__file__).parent / "templates"), str(TEMPLATES)]
    c.JupyterHub.template_vars = {"enable_signup": True, "two_factor_auth": False}
    c.Authenticator.admin_users = {s.admin}
    c.Authenticator.allow_all = True  # NativeAuthenticator itself lets in only approved sign-ups
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.minimum_password_length = 10

    if s.shared_user:
        c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
        c.SimpleLocalProcessSpawner.home_dir_template = str(s.state / "homes" / "{username}")
    else:
        c.JupyterHub.spawner_class = "kit.hub.spawner.FacilitatorSpawner"
        c.FacilitatorSpawner.user_prefix = s.user_prefix
    c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
    # nothing fetched at run time: no news feed, no update check
    c.Spawner.args = ["--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                      *(["--allow-root"] if s.shared_user and os.geteuid() == 0 else [])]
    c.Spawner.default_url = "/lab/tree/notebooks"
    c.Spawner.notebook_dir = "~"
    c.Spawner.env_keep = ["PATH", "PYTHONPATH", "LANG", "LC_ALL", "VIRTUAL_ENV", "KIT_CHROMIUM", "MPLBACKEND"]
    c.Spawner.start_timeout = c.Spawner.http_timeout = 120

    def pre_spawn(spawner: Any) -> None:
        home, owner = prepare_home(spawner)
        spawner.environment = {**spawner.environment, **facilitator_env(s, spawner.user.name, home, owner),
                               ROOM_URL: s.room_url}

    c.Spawner.pre_spawn_hook = pre_spawn
    c.JupyterHub.services, c.JupyterHub.load_roles = services(s)
    return s


def services(s: Settings) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The idle culler, and the room (``python -m kit.room``) behind the proxy at /services/room/."""
    found: list[dict[str, Any]] = [{"name": "idle-culler", "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                                                                      f"--timeout={s.cull_timeout}"]}]
    roles: list[dict[str, Any]] = [{"name": "idle-culler", "scopes": CULLER_SCOPES, "services": ["idle-culler"]}]
    # the room serves every facilitator's workshops on demand (once they open its room): it logs in as the
    # administrator's role; --room KEY workshops are served from the start with a token from a 0600 file
    admin = parse(s.database, need_key=False)
    line = pgpass_line(s.database, admin.user, ensure_secret(s.secrets / "db_admin_password"))
    named: list[str] = []
    if s.rooms:
        tokens = write_private(s.secrets / "room_tokens", "".join(f"{k} {t}\n" for k, t in s.room_tokens().items()))
        named = [arg for key in s.rooms for arg in ("--workshop", f"{key}={admin.server}?workshop={key}")]
        named += ["--token-file", str(tokens)]
    found.append({"name": "room", "url": f"http://127.0.0.1:{s.room_port}", "display": False,
                  "environment": {"PGPASSFILE": str(write_private(s.secrets / "room.pgpass", line))},
                  "command": [sys.executable, "-m", "kit.room", "--server", admin.server, *named,
                              "--host", "127.0.0.1", "--port", str(s.room_port), "--base-url", "/services/room/"]})
    return found, roles
