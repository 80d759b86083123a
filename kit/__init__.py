"""workshop-kit: run customer-centricity workshops in Jupyter, offline and evidence-backed.

``kit.new(path, title=..., language="de")`` creates a workshop, ``kit.open(path)`` opens one,
``kit.demo(path, language)`` writes a complete sample. Importing ``kit`` loads neither
pandas, matplotlib nor ipywidgets; they load when a table, figure or widget is asked for.
"""
from __future__ import annotations

from .model import ValidationError
from .samples import demo
from .store import UndoConflict, WorkshopError
from .workshop import Workshop, new, open  # noqa: A004

__version__ = "0.1.0"
__all__ = ["Workshop", "WorkshopError", "UndoConflict", "ValidationError", "new", "open", "demo", "load"]


def load(path, source):  # noqa: ANN001, ANN201 - thin alias documented in formats
    """Create a workshop at ``path`` from a JSON file or an already parsed document."""
    from .samples import load as _load

    return _load(path, source)
