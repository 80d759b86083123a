"""Live sync: one poller per kernel refreshes every open canvas widget when the store changes.

Another kernel, a participant's Voilà page or the CLI writes to the same SQLite file; the
poller notices with one cheap ``ws.version()`` query per open workshop every
``INTERVAL`` seconds and refreshes only the widgets whose workshop moved on. It runs as an
asyncio task on the kernel's own event loop, so refreshes never race with the kernel
handling a click. Without a running loop (a plain script, a test) call :func:`poll`.
"""
from __future__ import annotations

import asyncio
import logging
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import CanvasWidget

INTERVAL = 0.2  # seconds: a change elsewhere shows within ~0.2 s, well under the 1 s goal
log = logging.getLogger(__name__)

_widgets: "weakref.WeakSet[CanvasWidget]" = weakref.WeakSet()
_task: asyncio.Task | None = None


def register(widget: "CanvasWidget") -> None:
    """Keep ``widget`` in step with its store (weakly: a dropped widget stops being polled)."""
    _widgets.add(widget)
    start()


def unregister(widget: "CanvasWidget") -> None:
    _widgets.discard(widget)


def open_widgets() -> list["CanvasWidget"]:
    return list(_widgets)


def poll() -> int:
    """Refresh every widget whose workshop changed since its last refresh; returns how many."""
    versions: dict[int, int] = {}
    refreshed = 0
    for widget in list(_widgets):
        try:
            store = widget.ws.store
            if id(store) not in versions:
                versions[id(store)] = widget.ws.version()
            if versions[id(store)] != widget.version:
                widget.refresh()
                refreshed += 1
        except Exception as exc:  # a closed or vanished workshop must not stop the others
            log.warning("live refresh of %r failed: %s", widget, exc)
            unregister(widget)
    return refreshed


async def run(interval: float = INTERVAL) -> None:
    """Poll until no widget is left open."""
    global _task
    try:
        while _widgets:
            poll()
            await asyncio.sleep(interval)
    finally:
        if _task is asyncio.current_task():
            _task = None


def start() -> asyncio.Task | None:
    """Start the poller on the running event loop (a Jupyter kernel has one); no-op otherwise."""
    global _task
    if _task is not None and not _task.done():
        return _task
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    _task = loop.create_task(run())
    return _task
