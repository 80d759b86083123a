"""A whole hub for the tests and the bench: ``kit hub`` over HTTPS with a throwaway CA, and facilitators' clients.

The certificate comes from trustme's CA; clients trust that CA only (``Hub.session()``), and Chromium
is told the certificate's public key hash (``Hub.spki``), never to ignore certificate errors at large.
"""
from __future__ import annotations

import base64
import hashlib
import os
import pwd
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kit.netutil import free_port
from waiting import wait_for

ROOT = Path(__file__).resolve().parent.parent
READY = "Facilitators log in here: "
#: Seconds the hub may take to start, a server to spawn, the whole thing to stop.
START, SPAWN, STOP = 180, 180, 60


@dataclass
class Hub:
    url: str  # https://127.0.0.1:PORT/
    state: Path
    ca: Path  # the CA that signed the hub's certificate (PEM)
    spki: str  # base64 SHA-256 of the certificate's public key, for Chromium
    process: subprocess.Popen[str]
    started: float  # seconds from `kit hub` to the ready line
    user_prefix: str  # facilitator NAME runs as the system user user_prefix + NAME
    output: list[str] = field(default_factory=list)

    def account(self, name: str) -> pwd.struct_passwd:
        """Facilitator ``name``'s system user (the hub makes it at their first start)."""
        return pwd.getpwnam(self.user_prefix + name)

    def home(self, name: str) -> Path:
        return Path(self.account(name).pw_dir)

    def session(self) -> requests.Session:
        s = requests.Session()
        s.trust_env = False  # no proxy, and no CA bundle from the environment overriding ours
        s.verify = str(self.ca)
        return s

    def secrets(self) -> dict[str, str]:
        """Every secret file the hub made: path -> value."""
        return {str(p): p.read_text().strip() for p in (self.state / "secrets").rglob("*") if p.is_file()}

    def logs(self) -> str:
        found = [self.state / "jupyterhub.log", self.state / "pg" / "log"]
        return "".join(p.read_text(errors="replace") for p in found if p.exists()) + "".join(self.output)


def make_certificate(folder: Path) -> tuple[Path, Path, Path, str]:
    """CA, certificate chain and 0600 key for 127.0.0.1 (made once per folder); and the key's SPKI hash."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    if not cert_file.exists():
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ca.cert_pem.write_to_path(str(ca_file))
        cert.cert_chain_pems[0].write_to_path(str(cert_file))
        key_file.touch(mode=0o600)
        cert.private_key_pem.write_to_path(str(key_file))
    public = x509.load_pem_x509_certificate(cert_file.read_bytes()).public_key()
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return ca_file, cert_file, key_file, base64.b64encode(hashlib.sha256(der).digest()).decode()


def user_prefix(base: Path) -> str:
    """The system users' prefix of the hub kept in ``base``: ``kittest``, 5 hex digits and ``-``, so that runs and
    developers sharing a machine never meet, and the hub started twice in ``base`` finds its users again."""
    return "kittest" + hashlib.sha256(str(base).encode()).hexdigest()[:5] + "-"


def remove_users(prefix: str) -> None:
    """``userdel -r`` every system user the hub made with ``prefix`` (their homes with them)."""
    for account in pwd.getpwall():
        if account.pw_name.startswith(prefix):
            subprocess.run(["userdel", "--remove", "--force", account.pw_name], check=False, capture_output=True,
                           timeout=60)


@contextmanager
def running_hub(base: Path, admin: str = "admin", cull_timeout: int = 3600,
                rooms: tuple[str, ...] = ()) -> Iterator[Hub]:
    """``kit hub`` over HTTPS on a free port of 127.0.0.1 (the same state and certificate each time in ``base``);
    SIGINT (Ctrl+C) at the end, then the facilitators' system users are removed."""
    ca, cert, key, spki = make_certificate(base / "tls")
    port = free_port()
    prefix = user_prefix(base)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "kit", "hub", "--dir", str(base / "state"), "--port", str(port), "--ssl-cert",
         str(cert), "--ssl-key", str(key), "--admin", admin, "--cull-timeout", str(cull_timeout),
         "--user-prefix", prefix, *[arg for key in rooms for arg in ("--room", key)]],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    hub = Hub(f"https://127.0.0.1:{port}/", base / "state", ca, spki, process, 0.0, prefix)
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            hub.output.append(line)
            if line.startswith(READY):
                hub.started = time.monotonic() - started
            if hub.started and len(room_links(hub)) == len(rooms):  # the room links follow the ready line
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(START):
            raise RuntimeError("kit hub did not start:\n" + "".join(hub.output) + hub.logs()[-3000:])
        yield hub
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(STOP)
        reader.join(5)
        if process.stdout is not None:
            process.stdout.close()
        remove_users(prefix)


def _xsrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    found = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    return found.group(1) if found else session.cookies.get("_xsrf", "")


def sign_up(hub: Hub, name: str, password: str) -> requests.Response:
    s = hub.session()
    url = hub.url + "hub/signup"
    return s.post(url, data={"username": name, "signup_password": password,
                             "signup_password_confirmation": password, "_xsrf": _xsrf(s, url)}, timeout=30)


def log_in(hub: Hub, name: str, password: str) -> requests.Session:
    """A logged-in session; raises when the hub refuses the login."""
    s = hub.session()
    url = hub.url + "hub/login"
    s.post(url, data={"username": name, "password": password, "_xsrf": _xsrf(s, url)}, timeout=30,
           allow_redirects=False)
    if api(hub, s, "GET", "hub/api/user").status_code != 200:
        raise PermissionError(f"{name} is not logged in")
    return s


def api(hub: Hub, s: requests.Session, method: str, path: str) -> requests.Response:
    """The hub's REST API with the session's cookie (and its XSRF token, as JupyterHub asks for)."""
    return s.request(method, hub.url + path, headers={"X-XSRFToken": s.cookies.get("_xsrf", path="/hub/") or ""},
                     timeout=30)


def authorize(hub: Hub, admin: requests.Session, name: str) -> None:
    """The admin approves a facilitator's sign-up (NativeAuthenticator's toggle)."""
    admin.get(hub.url + f"hub/authorize/{name}", timeout=30).raise_for_status()


def spawn(hub: Hub, s: requests.Session, name: str) -> float:
    """Start the facilitator's server; seconds until the hub says it is ready."""
    started = time.monotonic()
    response = api(hub, s, "POST", f"hub/api/users/{name}/server")
    assert response.status_code in (201, 202), response.text
    # the hub has no push for readiness; its API is the documented way to ask
    wait_for(lambda: api(hub, s, "GET", f"hub/api/users/{name}").json()["servers"].get("", {}).get("ready"),
             SPAWN, f"{name}'s server to start", interval=0.2)
    return time.monotonic() - started


def room_links(hub: Hub) -> dict[str, str]:
    """The participant links ``kit hub`` printed: workshop key -> URL through the proxy."""
    found = (re.match(r"Participants of (\S+) join here: (\S+)", line) for line in hub.output)
    return {m.group(1): m.group(2) for m in found if m}


def facilitator_url(hub: Hub, name: str, key: str) -> str:
    """A workshop URL with facilitator ``name``'s own password (from the 0600 .pgpass the hub gave them)."""
    host, _, database, user, password = (hub.home(name) / ".pgpass").read_text().strip().split(":")
    port = (hub.state / "pg" / "data" / "postmaster.pid").read_text().splitlines()[3]  # today's port of the server
    return f"postgresql://{user}:{password}@{host}:{port}/{database}?workshop={key}"


def env_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def pgpass_env(hub: Hub, name: str) -> dict[str, str]:
    """The environment of a command run with facilitator ``name``'s database credentials only."""
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "PGPASSFILE", "KIT_WORKSHOP")}
    return {**env, "PGPASSFILE": str(hub.home(name) / ".pgpass"), "KIT_USER": name}


def give(hub: Hub, name: str, path: Path) -> Path:
    """Hand a file the test wrote into facilitator ``name``'s home to them (their JupyterLab saves it)."""
    account = hub.account(name)
    os.chown(path, account.pw_uid, account.pw_gid)
    return path


def run_in_kernel(hub: Hub, s: requests.Session, name: str, code: str) -> str:
    """Run ``code`` in a new kernel of facilitator ``name``'s JupyterLab (their session, a token of theirs, the
    Jupyter messaging protocol over the WebSocket), as their notebook would; returns what it printed."""
    import asyncio
    import json
    import ssl
    import uuid

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import WebSocketClientConnection, websocket_connect

    from roomclient import hang_up

    token = api(hub, s, "POST", f"hub/api/users/{name}/tokens").json()["token"]
    headers = {"Authorization": f"token {token}"}
    kernels = hub.url + f"user/{name}/api/kernels"
    kernel = s.post(kernels, headers=headers, json={"name": "python3"}, timeout=60)
    assert kernel.status_code == 201, kernel.text
    kernel_id = kernel.json()["id"]

    async def execute() -> str:
        url = kernels.replace("https:", "wss:") + f"/{kernel_id}/channels"
        conn = await websocket_connect(HTTPRequest(url, headers=headers,
                                                   ssl_options=ssl.create_default_context(cafile=str(hub.ca))))
        try:
            return await printed_by(conn)
        finally:
            await hang_up(conn)  # closed on both ends before asyncio.run ends: no TLS socket left open

    async def printed_by(conn: WebSocketClientConnection) -> str:
        msg_id = uuid.uuid4().hex
        conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": name, "session": uuid.uuid4().hex, "msg_type": "execute_request",
                       "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False}}))
        printed: list[str] = []
        while True:
            raw = await asyncio.wait_for(conn.read_message(), SPAWN)
            assert raw is not None, "the kernel's WebSocket closed"
            message = json.loads(raw) if isinstance(raw, str) else {}
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                printed.append(content["text"])
            elif kind == "error":
                printed.append(f"{content['ename']}: {content['evalue']}\n")
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(printed)

    try:
        return asyncio.run(execute())
    finally:
        s.delete(f"{kernels}/{kernel_id}", headers=headers, timeout=60)
