"""What the method's modules need of a workshop, stated as a Protocol (as psycopg's ``abc.py`` does).

canvas, facilitation and roster act on a workshop for someone: they need the handle a collection
needs (:class:`kit.store.abc.WorkshopHandle`: store, actor, the workshop's record) plus the role the
actor acts in, the workshop's language, the shared live state and the collections a canvas's readers
use (evidence, interviews, touchpoints, ideas). ``kit.Workshop`` is one. Typing them against this
instead of the Workshop class keeps ``workshop`` the only module that knows them all: none of them
imports it back, not even for the type checker.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from .store.abc import WorkshopHandle

if TYPE_CHECKING:
    from . import access
    from .collection import Collection


class WorkshopAccess(WorkshopHandle, Protocol):
    """A workshop as the modules that apply kit.access see it."""

    @property
    def role(self) -> str:
        """"facilitator" or "participant": what the actor may do (kit.access decides)."""
        ...

    @property
    def language(self) -> str: ...

    @property
    def live(self) -> dict[str, Any]:
        """Shared facilitator state: current step, controls, timer, roster."""
        ...

    def set_live(self, key: str, value: Any) -> None: ...

    def viewer(self) -> access.Viewer:
        """Who acts, as kit.access sees them."""
        ...

    evidence: Collection
    interviews: Collection
    touchpoints: Collection
    ideas: Collection
