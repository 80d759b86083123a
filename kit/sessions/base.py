"""A session: what one viewer sees of a workshop and what they may ask of it, in plain Python.

Why: a widget in a kernel and a room server without kernels must behave the same. A session
computes its viewer's state as a JSON-ready dict, tells which keys changed since it was last
asked (:meth:`Session.diff`, so only those travel), and applies one request
``{"op": ..., "nonce": ..., ...}`` through the kit API and kit.access, answering
``{"ack": nonce, "error": message}`` -- never raising. Nothing here imports ipywidgets,
anywidget or traitlets; kit.widgets only moves these dicts into traits.

Every state has the key ``connection``: "" while the store can be read, else one line saying
that the view is reconnecting to its server (``store.connected`` is False, or the server went
away). The page then dims what it shows (it may be stale) until the current state follows.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..errors import RequestError, StorageFailure, UndoConflict, ValidationError, WorkshopError
from . import delta

if TYPE_CHECKING:
    from ..store.abc import LiveStore
    from ..workshop import Workshop

log = logging.getLogger(__name__)
Op = Callable[[dict[str, Any]], Any]
_UNSET = object()


class Session:
    """One viewer's live view. Subclasses give :meth:`fixed`, :meth:`state` and :meth:`ops`.

    Besides requests, a page may set the state keys in :attr:`writable` (what the viewer
    selected, e.g. the interview on screen); the host passes them to :meth:`receive`.
    """

    writable: tuple[str, ...] = ()

    def __init__(self, ws: Workshop) -> None:
        self.ws = ws
        self.version = -1  # the store version the last state was read at
        self._fixed: dict[str, Any] | None = None
        self._sent: dict[str, Any] = {}
        self._patched: int | None = None  # the version of the last patch of item lists sent (None: send them whole)
        self._language: str | None = None  # known once the store was read; shown while it cannot be
        self.closed = False

    @property
    def language(self) -> str:
        """The workshop's language, read once (a refusal is still told in it while the server is away)."""
        if self._language is None:
            self._language = self.ws.language
        return self._language

    @property
    def store(self) -> LiveStore:
        """The store this session reads (what kit.live watches for a view built on it)."""
        return self.ws.store

    # ------------------------------------------------------------------ state
    def fixed(self) -> dict[str, Any]:
        """State that does not change while the session is open (labels, areas): read once."""
        return {}

    def state(self) -> dict[str, Any]:
        """State that follows the store (notes, controls)."""
        return {}

    def snapshot(self) -> dict[str, Any]:
        """Everything the viewer's page needs, including ``version``."""
        version = self.ws.version()  # read first: a change made meanwhile is seen next time
        if self._fixed is None:
            self._fixed = self.fixed()
        full = {**self._fixed, **self.state(), "version": version, "connection": ""}
        self.version = version
        return full

    def reconnecting(self) -> dict[str, Any]:
        """The state while the server cannot be reached: only the one line that says so."""
        langs = [self._language] if self._language else list(i18n.LANGUAGES)
        return {"connection": " / ".join(i18n.t("live.reconnecting", lang) for lang in langs)}

    def diff(self) -> dict[str, Any]:
        """The keys whose value changed since the last :meth:`diff` (all of them the first time).

        While the store reconnects only ``connection`` changes: what the page shows stays, marked
        as possibly stale, and the version is kept so the first refresh afterwards sends the rest.
        """
        full: dict[str, Any]
        if not self.store.connected:
            full = self.reconnecting()
        else:
            try:
                full = self.snapshot()
            except StorageFailure as exc:
                if not server_gone(exc):
                    raise
                full = self.reconnecting()  # the listener has not noticed yet; it will reconnect
        changed = {k: v for k, v in full.items() if self._sent.get(k, _UNSET) != v}
        self._sent.update(changed)
        return changed

    def changes(self) -> dict[str, Any]:
        """:meth:`diff`, with the item lists (kit.sessions.delta ``ITEM_KEYS``) as one ``patch``.

        The first time, and after :meth:`resync`, the patch carries the lists whole (``full``);
        afterwards only the items added, changed or removed, from ``base`` (the version of the
        previous patch) to ``version``.
        """
        before = {k: self._sent[k] for k in delta.ITEM_KEYS if k in self._sent}
        values = self.diff()
        lists = {k: values.pop(k) for k in delta.ITEM_KEYS if k in values}
        if self._patched is None:
            lists = {**before, **lists}
            if lists:
                values["patch"] = {"full": True, "version": self.version, **lists}
                self._patched = self.version
            return values
        patch: dict[str, Any] = {}
        for key, items in lists.items():
            change = delta.items_delta(before.get(key) or [], items)
            if change is not None:
                patch[key] = change
        if patch:
            values["patch"] = {"base": self._patched, "version": self.version, **patch}
            self._patched = self.version
        return values

    def lists(self) -> dict[str, Any]:
        """The item lists as last sent, whole."""
        return {k: self._sent[k] for k in delta.ITEM_KEYS if k in self._sent}

    def resync(self) -> None:
        """The page missed a patch: the next :meth:`changes` sends the item lists whole."""
        self._patched = None

    # ------------------------------------------------------------------ requests
    def ops(self) -> dict[str, Op]:
        return {}

    def apply(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Apply one request; returns ``{"ack": nonce, "error": message, ...}``, "" on success.

        Never raises: every refusal becomes a one-line message in the workshop language.
        A handler may return a dict of extra result keys (e.g. ``message``).
        """
        request = dict(request)
        result: dict[str, Any] = {}
        try:
            op = request.get("op")
            handler = self.ops().get(op) if isinstance(op, str) else None
            if handler is None:
                raise RequestError("widgets.req_unknown", op=op)
            extra = handler(request)
            if isinstance(extra, dict):
                result.update(extra)
            error = ""
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message for the viewer, never a traceback
            error = self.explain(exc)
        return {**result, "ack": str(request.get("nonce", "")), "error": error}

    def explain(self, exc: Exception) -> str:
        """A one-line message in the workshop language, chosen by the error's class and code."""
        lang = self.language
        if isinstance(exc, ValidationError):  # "Invalid input in area:" and the problem, in the language
            problem = WorkshopError.render(exc, lang)
            return f"{i18n.t('widgets.err_invalid', lang, field=exc.field)} {problem}"
        if isinstance(exc, UndoConflict):
            return i18n.t("widgets.err_undo_conflict", lang)
        if isinstance(exc, WorkshopError):
            key = VIEWER_TEXTS.get(exc.code)
            return i18n.t(key, lang) if key else exc.render(lang)
        return internal_error(exc, lang, f"a {type(self).__name__} request")

    def receive(self, key: str, value: Any) -> None:
        """The page set ``key`` (one of :attr:`writable`) to ``value``."""
        raise RequestError("widgets.req_unknown", op=key)

    def close(self) -> None:
        self.closed = True


def internal_error(exc: BaseException, language: str, where: str) -> str:
    """What a viewer reads of a failure that is not theirs to fix: one generic line with a short reference;
    the detail (which may name Python, the database or the data) goes to the log under that reference."""
    reference = secrets.token_hex(4)
    log.error("%s failed, reference %s", where, reference, exc_info=exc)
    return i18n.t("widgets.err_internal", language, ref=reference)


def server_gone(exc: BaseException) -> bool:
    """The workshop's server went away: transient, its listener reconnects and every view is refreshed."""
    return isinstance(exc, StorageFailure) and exc.code == "store.server_gone"


#: Refusals a viewer reads about themselves ("you"): shown with the widget's own wording.
VIEWER_TEXTS = {
    "access.locked": "widgets.err_locked",
    "access.vote_closed": "widgets.err_vote_closed",
    "access.budget": "widgets.err_budget",
    "access.not_yours": "widgets.err_not_yours",
    "access.not_yours_nobody": "widgets.err_not_yours",
    "canvas.cannot_link": "widgets.err_link",
    "canvas.cannot_link_any": "widgets.err_link",
    "store.nothing_to_undo": "widgets.err_nothing_to_undo",
    "store.nothing_to_redo": "widgets.err_nothing_to_redo",
}


def request_id(request: Mapping[str, Any], key: str = "id") -> int:
    """A record id from a request (an int, not a bool or text)."""
    value = request.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:  # a database integer
        raise RequestError("widgets.req_not_id", name=key, value=value)
    return value


def request_text(request: Mapping[str, Any], key: str = "text") -> str:
    value = request.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RequestError("widgets.err_empty")
    return value


def request_area(request: Mapping[str, Any], key: str = "area") -> str:
    value = request.get(key)
    if not isinstance(value, str):
        raise RequestError("widgets.req_missing", field=key)
    return value
