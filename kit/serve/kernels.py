"""Participant kernels for Voilà: a cap on how many run, and culling of abandoned ones.

Voilà starts one kernel per page visit and keeps it after the browser closes. A participant
kernel is never "idle" in Jupyter's sense while the workshop changes, because the live
poller pushes every change to its widgets. So besides the usual idle culling this manager
shuts down a kernel that has had no browser connected for ``disconnected_grace`` seconds,
and refuses to start more than ``max_kernels`` at once (after first culling the abandoned).
"""
from __future__ import annotations

import os
import time
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Float, Int


def room_full(max_kernels: int, language: str | None = None) -> web.HTTPError:
    """The 503 a page beyond the cap gets; the kit Voilà template's 503.html shows its
    localised reason (title) and message as a friendly page instead of a bare error."""
    from .. import i18n

    language = language or os.environ.get("KIT_LANGUAGE", "de")
    if language not in ("de", "en"):
        language = "de"
    text = i18n.t("serve.room_full_text", language, max=max_kernels).replace("%", "%%")
    error = web.HTTPError(503, text, reason=i18n.t("serve.room_full_title", language))
    error.kit_language = language  # type: ignore[attr-defined]  # the page's lang attribute
    return error


class RoomKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager with a kernel cap and disconnected-kernel culling."""

    max_kernels = Int(60, config=True, help="Most participant kernels running at once.")
    disconnected_grace = Float(60.0, config=True,
                               help="Seconds a kernel may live with no browser connected.")

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._alone_since: dict[str, float] = {}

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]  # async, as in jupyter_server
        if kwargs.get("kernel_id") is None and len(self._kernels) >= self.max_kernels:
            await self.cull_kernels()
            if len(self._kernels) >= self.max_kernels:
                self.log.warning("the room is full (%d participant pages open); page refused", self.max_kernels)
                raise room_full(self.max_kernels)
        return await super().start_kernel(*args, **kwargs)

    def abandoned(self, kernel_id: str, now: float | None = None) -> bool:
        """True once ``kernel_id`` has had no browser for longer than the grace period."""
        now = time.monotonic() if now is None else now
        if self._kernel_connections.get(kernel_id, 0):
            self._alone_since.pop(kernel_id, None)
            return False
        since = self._alone_since.setdefault(kernel_id, now)
        return now - since > self.disconnected_grace

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self._kernels and self.abandoned(kernel_id):
            self.log.info("Culling participant kernel %s: no browser for %.0f s", kernel_id,
                          self.disconnected_grace)
            await self.shutdown_kernel(kernel_id)
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._alone_since.pop(kernel_id, None)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
