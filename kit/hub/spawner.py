"""The hub's spawner: JupyterHub's ``LocalProcessSpawner`` running facilitator ``anna`` as system user ``kit-anna``.

Only JupyterHub loads this module (``c.JupyterHub.spawner_class``); the account rules it applies live in
:mod:`kit.hub.users`, which needs no JupyterHub.
"""
from __future__ import annotations

import pwd
from typing import Any

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid  # type: ignore[import-untyped]  # no types
from traitlets import Unicode

from .users import PREFIX, ensure_account, system_name


class FacilitatorSpawner(LocalProcessSpawner):  # type: ignore[misc]  # jupyterhub has no types
    """``LocalProcessSpawner`` that runs hub user ``anna`` as system user ``<user_prefix>anna``, made on demand."""

    user_prefix = Unicode(PREFIX, help="What each facilitator's system user name starts with.").tag(config=True)

    @property
    def system_user(self) -> str:
        return system_name(self.user_prefix, self.user.name)

    def account(self) -> pwd.struct_passwd:
        """The facilitator's system user, created on their first start."""
        return ensure_account(self.system_user, self.user.name)

    def make_preexec_fn(self, name: str) -> Any:
        return set_user_setuid(self.system_user)

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        account = pwd.getpwnam(self.system_user)
        env.update(USER=account.pw_name, HOME=account.pw_dir, SHELL=account.pw_shell)
        return env
