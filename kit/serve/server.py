"""`kit serve`: the facilitator's JupyterLab and the participants' room (kit.room), both behind a token.

Two servers, two tokens. The facilitator's JupyterLab runs code and therefore always listens
on 127.0.0.1 only. The participants' room (``python -m kit.room``, one process, no kernels)
serves the join page and the live canvases over WebSockets, and with ``--lan`` listens on the
machine's network address so laptops and phones can join. Neither token is ever on a command line
(``/proc/PID/cmdline`` is readable by every local user): each server reads its token from a file
readable by its owner only (JupyterLab through ``JUPYTER_TOKEN_FILE``), deleted once the servers are up.

There is no way to run without authentication: empty tokens are refused, every option that
could switch auth off is pinned on the command line (which beats any config file), and after
start-up :meth:`Supervisor.start` asks each server without a token and stops everything unless it
answers 403 (and the lab must accept our token, so a config file cannot have replaced it).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .. import tokens
from ..errors import WorkshopError
from ..netutil import lan_address
from ..store import is_url
from ..tokens import check as check_token

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE.parent.parent / "notebooks"
DEFAULT_LAB_PORT = 8910
DEFAULT_ROOM_PORT = 8911
ROOM_KEY = "workshop"  # the workshop's part of the room's URL: /w/workshop/


class ServeError(WorkshopError):
    """`kit serve` cannot start safely; the message says why (texts ``cli.*``)."""

    code = "cli.serve"


@dataclass
class ServeConfig:
    """Everything needed to build the two command lines."""

    workshop: Path | str  # a file, or a server workshop's location (a URL without its password)
    notebooks: Path = NOTEBOOKS
    lan: bool = False
    lan_address: str | None = None
    lab_port: int = DEFAULT_LAB_PORT
    room_port: int = DEFAULT_ROOM_PORT
    lab_token: str = field(default_factory=lambda: new_token())
    participant_token: str = field(default_factory=lambda: new_token())
    max_participants: int = 60  # open pages before the friendly "room is full" page
    language: str = "de"
    #: What the servers need besides KIT_WORKSHOP to reopen the workshop (PGPASSWORD); never printed.
    secrets_env: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not is_url(self.workshop):
            self.workshop = Path(self.workshop).resolve()
        for name in ("lab_token", "participant_token"):
            check_token(getattr(self, name), name.replace("_", " "))
        if self.lab_token == self.participant_token:
            raise ServeError("cli.tokens_equal")
        if self.lan and not self.lan_address:
            self.lan_address = lan_address()
            if self.lan_address is None:
                raise ServeError("cli.no_lan_address")

    @property
    def participant_host(self) -> str:
        return self.lan_address if self.lan and self.lan_address else "127.0.0.1"

    def lab_url(self, path: str = "lab") -> str:
        return f"http://127.0.0.1:{self.lab_port}/{path}?token={self.lab_token}"

    def join_url(self) -> str:
        """The link participants open (the QR code carries it)."""
        return f"http://{self.participant_host}:{self.room_port}/w/{ROOM_KEY}/?token={self.participant_token}"


def new_token() -> str:
    return tokens.make(24)


# --------------------------------------------------------------------------- command lines
#: Pinned on every server's command line: a config file cannot weaken them.
_AUTH_PINS = [
    "--ServerApp.password=",  # no shared password besides the token
    "--ServerApp.allow_unauthenticated_access=False",
    "--ServerApp.disable_check_xsrf=False",
    "--ServerApp.allow_origin=",
    "--ServerApp.allow_password_change=False",
    "--ServerApp.identity_provider_class=jupyter_server.auth.identity.PasswordIdentityProvider",
    "--ServerApp.authorizer_class=jupyter_server.auth.authorizer.AllowAllAuthorizer",
    "--PasswordIdentityProvider.hashed_password=",
    "--PasswordIdentityProvider.password_required=False",
    "--ServerApp.open_browser=False",
]


def _root_flag() -> list[str]:
    # Jupyter refuses to run as root; containers often are root. Not an auth switch.
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def lab_command(cfg: ServeConfig) -> list[str]:
    """The facilitator's JupyterLab: loopback only, token required (from ``JUPYTER_TOKEN_FILE``, see
    :func:`environment`), on the notebook sequence."""
    return [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        f"--ServerApp.root_dir={cfg.notebooks}",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={cfg.lab_port}", "--ServerApp.port_retries=0",
        "--ServerApp.allow_remote_access=False",
        *_AUTH_PINS, *_root_flag(),
    ]


def room_command(cfg: ServeConfig, token_file: Path) -> list[str]:
    """The participants' room: one process, no kernels; the token comes from a file, not the command line."""
    return [
        sys.executable, "-m", "kit.room", "--workshop", f"{ROOM_KEY}={cfg.workshop}", "--token-file", str(token_file),
        "--host", cfg.participant_host, "--port", str(cfg.room_port),
        "--max-participants", str(cfg.max_participants),
    ]


def environment(cfg: ServeConfig, lab_token_file: Path) -> dict[str, str]:
    """Both servers (and so every kernel) know the workshop; the facilitator's notebook the join link;
    JupyterLab reads its token from ``lab_token_file``."""
    env = dict(os.environ)
    env.update(cfg.secrets_env)
    env["KIT_WORKSHOP"] = str(cfg.workshop)
    env["KIT_JOIN_URL"] = cfg.join_url()  # the facilitator notebook projects it as a QR code
    env["KIT_LANGUAGE"] = cfg.language
    for unsafe in ("JUPYTER_TOKEN", "JUPYTER_PASSWORD"):  # the kit chooses the tokens
        env.pop(unsafe, None)
    env["JUPYTER_TOKEN_FILE"] = str(lab_token_file)
    return env


# --------------------------------------------------------------------------- running
def status(url: str, timeout: float = 2.0) -> tuple[int, str]:
    """HTTP status and Location of a GET (redirects not followed); (0, "") if nothing answers."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        with exc:  # the error is the response: close its socket
            return exc.code, exc.headers.get("Location", "")
    except (urllib.error.URLError, OSError):
        return 0, ""


def refused(url: str) -> bool:
    """True if ``url`` turns a request away: 401/403, or a redirect to the login page."""
    code, location = status(url)
    return code in (401, 403) or (code in (301, 302, 303, 307) and "/login" in location)


class Supervisor:
    """Supervises the two servers of one live workshop (the facilitator's JupyterLab and the participants'
    room): starts them, checks that each refuses a request without its token, stops both together.
    Use as a context manager, always stopped."""

    def __init__(self, cfg: ServeConfig, log_dir: Path | None = None, participants: bool = True):
        self.cfg = cfg
        self.participants = participants
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="kit-serve-"))
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: list[IO[bytes]] = []

    @property
    def token_file(self) -> Path:
        return self.log_dir / "room-token"

    @property
    def lab_token_file(self) -> Path:
        return self.log_dir / "lab-token"

    def _token_files(self) -> None:
        """Each server's token in a file readable by this user only (JupyterLab reads it as it is: no newline)."""
        for path, text in ((self.lab_token_file, self.cfg.lab_token),
                           (self.token_file, f"{ROOM_KEY} {self.cfg.participant_token}\n")):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)

    def __enter__(self) -> Supervisor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 90.0) -> None:
        from ..store import open_store

        open_store(self.cfg.workshop).close()  # refuse a missing or foreign file before anything listens
        if not self.cfg.notebooks.is_dir():
            raise ServeError("cli.no_notebooks", folder=str(self.cfg.notebooks))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._token_files()
        env = environment(self.cfg, self.lab_token_file)
        commands = {"lab": lab_command(self.cfg)}
        if self.participants:
            commands["room"] = room_command(self.cfg, self.token_file)
        try:
            for name, cmd in commands.items():
                log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
                self._logs.append(log)
                self.procs[name] = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                    cwd=self.log_dir, start_new_session=True)
            self.wait_ready(timeout)
            self._remove_token_files()  # read at start; no secret stays on disk
            self.verify_auth()
        except BaseException:
            self.stop()
            raise

    def urls(self) -> dict[str, tuple[str, str]]:
        """Per server: (URL probed without token, URL probed with token)."""
        cfg = self.cfg
        out = {"lab": (f"http://127.0.0.1:{cfg.lab_port}/api/status",
                       f"http://127.0.0.1:{cfg.lab_port}/api/status?token={cfg.lab_token}")}
        if "room" in self.procs:
            page = f"http://{cfg.participant_host}:{cfg.room_port}/w/{ROOM_KEY}/"
            out["room"] = (page, f"{page}?token={cfg.participant_token}")
        return out

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = dict(self.urls())
        while pending:
            for name, (_, with_token) in list(pending.items()):
                proc = self.procs[name]
                if proc.poll() is not None:
                    raise ServeError("cli.server_exited", name=name, code=proc.returncode,
                                     log=str(self.log_dir / (name + ".log")))
                if status(with_token)[0] == 200:
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise ServeError("cli.server_slow", names=", ".join(pending), seconds=timeout, logs=str(self.log_dir))
            if pending:
                time.sleep(0.2)

    def verify_auth(self) -> None:
        """Each server must refuse a request without the token; otherwise stop at once."""
        for name, (without, _) in self.urls().items():
            if not refused(without):
                raise ServeError("cli.server_open", name=name, status=status(without)[0])

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:  # the room's Ctrl+C tells its pages; JupyterLab would ask "y/n" on SIGINT
                proc.send_signal(signal.SIGINT if proc is self.procs.get("room") else signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self._logs:
            log.close()
        self._logs.clear()
        self._remove_token_files()

    def _remove_token_files(self) -> None:
        for path in (self.lab_token_file, self.token_file):
            path.unlink(missing_ok=True)

    def running(self) -> bool:
        return bool(self.procs) and all(p.poll() is None for p in self.procs.values())
