"""One system user per facilitator: the hub creates it, and that facilitator's JupyterLab and kernels run as it.

Why: processes of one system user can read each other's files, environment and memory. Were every
facilitator's JupyterLab run as the hub's own user (root, on a server), any facilitator's code could
read the hub's secrets and every other facilitator's ``.pgpass``. So facilitator ``anna`` runs as the
system user ``kit-anna`` (the prefix is ``kit hub --user-prefix``), made by ``useradd`` on her first
start, with a home of mode 0700 that holds her copy of the notebooks and her 0600 ``.pgpass``.
:class:`kit.hub.spawner.FacilitatorSpawner` (JupyterHub's ``LocalProcessSpawner`` with that one name
mapping) uses these rules; this module needs no JupyterHub, so ``kit --help`` works without the hub extra.

Root writes into a home its user controls only with care: the notebooks are copied by the user
themselves (``runuser``), and ``.pgpass`` is made with ``O_NOFOLLOW``/``O_EXCL`` and given to them by
descriptor, so a symlink planted there cannot redirect root's write.
"""
from __future__ import annotations

import hashlib
import importlib.util
import pwd
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

from ..errors import UsageError
from ..store.roles import check_name

#: ``kit hub --user-prefix``: what a facilitator's system user name starts with.
PREFIX = "kit-"
PREFIX_FORM = re.compile(r"[a-z][a-z0-9_]{0,14}-?")
#: The longest user name useradd accepts on Debian.
MAX_NAME = 32
#: Below this user id are system accounts (Debian's UID_MIN): never a facilitator's.
UID_MIN = 1000
USERADD = shutil.which("useradd") or "/usr/sbin/useradd"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
#: useradd's exit status when another program holds the lock on /etc/passwd, and how often to try.
USERADD_LOCKED, LOCK_TRIES = 10, 5


def check_prefix(prefix: str) -> str:
    """A prefix that keeps facilitators' system users apart from every other account (never empty)."""
    if not PREFIX_FORM.fullmatch(prefix):
        raise UsageError("hub.bad_prefix", prefix=ascii(prefix))  # quoted, control characters escaped
    return prefix


def system_name(prefix: str, name: str) -> str:
    """Facilitator ``name``'s system user: ``prefix + name``, or, beyond 32 characters, cut and a hash added."""
    full = check_prefix(prefix) + check_name(name)
    if len(full) <= MAX_NAME:
        return full
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{full[:MAX_NAME - 9]}-{digest}"


def ensure_account(system: str, name: str) -> pwd.struct_passwd:
    """The system user ``system`` for facilitator ``name``, made now (home 0700) if there is none yet.

    An existing account is used only if it is an ordinary one (uid >= 1000, not nobody) whose home it owns:
    a prefix must never turn a hub login into root or a service's account.
    """
    try:
        account = pwd.getpwnam(system)
    except KeyError:
        _useradd(system, name)
        account = pwd.getpwnam(system)
    home = Path(account.pw_dir)
    if account.pw_uid < UID_MIN or account.pw_name == "nobody" or not home.is_dir() or home.is_symlink() \
            or home.stat().st_uid != account.pw_uid:
        raise UsageError("hub.foreign_account", user=system)
    home.chmod(0o700)  # useradd's HOME_MODE may be 0755; the home is root-controlled, no symlink to follow
    return account


def _useradd(system: str, name: str) -> None:
    command = [USERADD, "--create-home", "--shell", "/bin/bash", "--user-group",
               "--comment", f"workshop-kit facilitator {name}", system]
    for attempt in range(LOCK_TRIES):
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
        if done.returncode != USERADD_LOCKED:
            break
        time.sleep(0.2 * (attempt + 1))  # another useradd holds /etc/passwd; it tells nobody when it is done
    if done.returncode:
        detail = (done.stderr or done.stdout).strip().splitlines() or [f"exit {done.returncode}"]
        raise UsageError("hub.useradd_failed", user=system, detail=detail[-1])


def copy_as(account: pwd.struct_passwd, source: Path, target: Path) -> None:
    """Copy the folder ``source`` to ``target`` as the user themselves (root writes nothing in their home)."""
    done = subprocess.run([RUNUSER, "-u", account.pw_name, "--", "cp", "-R", "--no-preserve=mode,ownership",
                           str(source), str(target)], check=False, capture_output=True, text=True, timeout=120)
    if done.returncode:
        lines = (done.stderr or done.stdout).strip().splitlines() or [f"exit {done.returncode}"]
        raise UsageError("hub.copy_failed", source=str(source), user=account.pw_name, detail=lines[-1])


def usable_by_others(python: str, paths: list[Path]) -> None:
    """Refuse to start when an ordinary user (``nobody`` stands in) cannot run ``python``, or read the kit, the
    servers' packages and ``paths`` (the notebooks): every facilitator's JupyterLab would fail. Names the folder
    that shuts them out. Reads the files rather than importing them: a second's check, not three."""
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return  # nobody to ask: the first spawn will say it
    packages = [Path(str(spec.origin)) for spec in map(importlib.util.find_spec, ("kit", "jupyterhub", "jupyterlab"))
                if spec is not None and spec.origin]
    wanted = [*packages, *paths]
    done = subprocess.run([RUNUSER, "-u", "nobody", "--", python, "-c",
                           "import sys\nfor p in sys.argv[1:]: open(p, 'rb').close()", *map(str, wanted)],
                          check=False, capture_output=True, text=True, timeout=120, cwd="/")
    if done.returncode:
        closed = next((folder for place in (Path(python), *wanted) for folder in reversed(place.resolve().parents)
                       if not stat.S_IMODE(folder.stat().st_mode) & 0o001), None)
        raise UsageError("hub.kit_private", folder=str(closed or wanted[0].parent))

