"""workshop-kit: run customer-centricity workshops in Jupyter, offline and evidence-backed.

``kit.new(path, title=..., language="de")`` creates a workshop, ``kit.open(path)`` opens one,
``kit.demo(path, language)`` writes a complete sample. Importing ``kit`` loads neither
pandas, matplotlib nor ipywidgets; they load when a table, figure or widget is asked for.
Everything the kit refuses is a ``kit.WorkshopError`` (the tree is in ``kit.errors``).
"""
from __future__ import annotations

from .errors import NotFound, Refused, StorageFailure, UndoConflict, UsageError, ValidationError, WorkshopError
from .samples import demo, load
from .workshop import Workshop, new, open  # noqa: A004

__version__ = "0.1.0"
__all__ = [
           "NotFound",
           "Refused",
           "StorageFailure",
           "UndoConflict",
           "UsageError",
           "ValidationError",
           "Workshop",
           "WorkshopError",
           "demo",
           "load",
           "new",
           "open",
]
