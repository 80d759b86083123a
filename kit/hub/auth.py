"""Facilitators' logins: NativeAuthenticator (sign-up, approved by the admin), on JupyterHub's own login page.

Why a subclass: NativeAuthenticator 1.3 replaces the hub's login handler with one written for
JupyterHub 4 (it uses ``self.statsd`` and an older ``_render``), which fails on JupyterHub 6. Its
sign-up, approval and password pages work as they are; the login goes through JupyterHub's own
handler, which asks this authenticator (approved sign-ups only, failed logins counted) all the same.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import nativeauthenticator  # type: ignore[import-untyped]  # the package has no types

#: NativeAuthenticator's pages (sign-up, approval, its login form), which ours extends.
TEMPLATES = Path(nativeauthenticator.__file__).parent / "templates"


class FacilitatorAuthenticator(nativeauthenticator.NativeAuthenticator):  # type: ignore[misc]  # the package has no types
    def get_handlers(self, app: Any) -> list[tuple[str, Any]]:
        return [(route, handler) for route, handler in super().get_handlers(app) if route != r"/login"]
