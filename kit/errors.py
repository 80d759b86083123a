"""One tree of errors for everything the kit refuses, each with a stable code and its parameters.

Why: the CLI, the widgets, the notebooks and the room all show refusals to people, in the
workshop's language. Code that reacts to an error looks at its class or ``code``, never at
its text; the text is rendered from ``kit/texts`` only when it is shown.

``code`` is the key of the message in ``kit/texts`` (``"store.disk_full"`` is the entry
``disk_full`` of ``kit/texts/store.yaml``); ``params`` fill its ``{placeholders}``.
``str(error)`` is the English message (logs, tracebacks, tests); :meth:`WorkshopError.render`
gives it in any language::

    WorkshopError
    ├── ValidationError      bad input for one field of one record kind (also a ValueError)
    ├── UsageError           a bad argument to a kit call (also a ValueError)
    ├── NotFound             no such record, canvas, section, snapshot, workshop (also a KeyError)
    ├── Refused              the access policy says no: locked, not yours, voting closed, budget
    ├── UndoConflict         undo/redo would overwrite somebody's later change
    ├── CanvasDeclarationError   a canvases/*.yaml file is wrong (names file and key)
    ├── StoreError           the workshop file or database: foreign, corrupt, newer, exists
    │   └── StorageFailure   disk full, read-only, I/O error, locked past the timeout: not saved
    ├── RequestError         a widget or room request that is malformed
    └── beside the code that raises them:
        ├── RowRefused       one row of an imported board or CSV file (a UsageError; kit.importing)
        ├── RoomError        a frame the participant room refuses (kit.room.protocol)
        ├── ServeError       `kit serve` cannot start safely (kit.serve.server)
        └── ReportError      the report could not be written (kit.report.exporter)
            └── BrowserNotFound  no Chromium where the kit looks
"""
from __future__ import annotations

from typing import Any

from . import i18n

#: The language of ``str(error)``: English, so logs and tracebacks read the same everywhere.
LOG_LANGUAGE = "en"


class WorkshopError(Exception):
    """Root of every error the kit raises for a person to read; one line, no traceback needed."""

    #: The text key used when no code is given (subclasses set their own).
    code: str = "errors.generic"

    def __init__(self, code: str | None = None, /, **params: Any):
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.code, params)

    def render(self, language: str = LOG_LANGUAGE) -> str:
        """The one-line message in ``language`` ("de" or "en")."""
        try:
            return i18n.t(self.code, language, **self.params)
        except (KeyError, IndexError, ValueError):  # a missing text must never hide the error itself
            detail = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
            return f"{self.code}" + (f" ({detail})" if detail else "")

    def __str__(self) -> str:
        return self.render(LOG_LANGUAGE)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (multiprocessing in tests, the room's workers).
        return (_restore, (type(self), dict(self.__dict__)))


class ValidationError(WorkshopError, ValueError):
    """Bad input for one field of one record kind; the message names both (``touchpoint.ist_rating``).

    ``problem`` is the code of what is wrong (``"validation.range"``), with its parameters.
    """

    code = "errors.validation"

    def __init__(self, kind: str, field_name: str, problem: str, /, **params: Any):
        self.kind, self.field, self.problem_code = kind, field_name, problem
        super().__init__(problem, **params)

    @property
    def problem(self) -> str:
        """What is wrong, in English, without the field name."""
        return super().render(LOG_LANGUAGE)

    def render(self, language: str = LOG_LANGUAGE) -> str:
        return f"{self.kind}.{self.field} {super().render(language)}"


class UsageError(WorkshopError, ValueError):
    """A kit call with an argument out of range (a timer of 0 minutes, a budget of 500 dots)."""

    code = "errors.usage"


class NotFound(WorkshopError, KeyError):
    """Something asked for by name or id is not there (a record, a canvas, a snapshot, a workshop)."""

    code = "errors.not_found"

    def __str__(self) -> str:  # KeyError would quote the message
        return self.render(LOG_LANGUAGE)


class Refused(WorkshopError):
    """The access policy (kit.access) refuses: a locked canvas, somebody else's note, voting closed."""

    code = "errors.refused"


class UndoConflict(WorkshopError):
    """Undo or redo would overwrite a change someone made since."""

    code = "errors.undo_conflict"


class CanvasDeclarationError(WorkshopError, ValueError):
    """A canvas declaration in canvases/ is wrong; the message names the file and the key."""

    code = "errors.canvas_declaration"


class StoreError(WorkshopError):
    """The workshop file or database cannot be used as asked; nothing was changed."""

    code = "errors.store"


class StorageFailure(StoreError):
    """Writing failed underneath the kit (disk full, read-only, I/O, locked): the last change was
    not saved, everything committed before it is safe."""

    code = "errors.storage"


class RequestError(WorkshopError):
    """A request from a page (widget or room) that is malformed or names something unknown."""

    code = "errors.request"


def one_line(error: WorkshopError, language: str | None = None) -> str:
    """The message as one line in ``language``; in every language (``de / en``) when it is not known.

    Used where a person reads it: the CLI's stderr, a notebook cell, a form's status line.
    """
    texts = dict.fromkeys(error.render(lang) for lang in ([language] if language else i18n.LANGUAGES))
    return " / ".join(" ".join(text.splitlines()) for text in texts)


def _restore(cls: type[WorkshopError], state: dict[str, Any]) -> WorkshopError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, state["code"], state["params"])
    return error


__all__ = [
    "CanvasDeclarationError",
    "NotFound",
    "Refused",
    "RequestError",
    "StorageFailure",
    "StoreError",
    "UndoConflict",
    "UsageError",
    "ValidationError",
    "WorkshopError",
    "one_line",
]
