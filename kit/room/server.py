"""The room's web server: one tornado process, the participant page, its assets, one WebSocket per page.

Why tornado: it is the framework Jupyter's own server runs on (already installed with the
kit, no new dependency), it serves HTTP and WebSockets from one event loop, and it has a
per-message size cap and ping/timeout keep-alive built in.

URLs under the prefix (``base_url``, e.g. ``/`` or ``/services/room/``):

* ``w/<key>/?token=...``      the page of workshop ``key`` (403 without its own token; the friendly
  "room is full" page with 503 once ``max_members`` pages are open);
* ``w/<key>/ws?token=...``    its WebSocket (kit.room.protocol);
* ``static/...``              room.js (behind kit/widgets/common.js), room.css and ``static/widgets/<module>.js|css``:
  the widget modules of kit/widgets exactly as JupyterLab gets them (kit.widgets.base ``bundle``/``styles``).
"""
from __future__ import annotations

import contextlib
import functools
import html
import json
import logging
import time
from pathlib import Path
from typing import Any

from tornado import httpserver, ioloop, netutil, web, websocket

from .. import i18n
from ..sessions.base import internal_error
from ..widgets import CANVAS_MODULES
from .member import Member, Write
from .protocol import HARD_FRAME, dump
from .rooms import POLL, SAFETY_POLL, ServedWorkshop, ServedWorkshops

STATIC = Path(__file__).resolve().parent / "static"
#: permessage-deflate per page (tornado: zlib level, memory level; 2**mem_level * 512 bytes of state per page).
COMPRESSION = {"compression_level": 6, "mem_level": 5}
PING = 10.0  # seconds: keep-alive pings; a page that answers none within a ping is closed, its place freed
JOIN_WITHIN = 10.0  # seconds: a socket that has not joined by then is closed (it holds no place meanwhile)
MAX_BODY = 4 * 1024  # bytes: the room takes no uploads; a bigger request body is cut before it is read
#: Seconds between two rounds of a workshop's pages at the least. In a burst the changes of that time travel
#: as one frame per page: at 20 notes/s a round per note made each room process send 2,000 frames a second
#: (a send and a compression each), which with 200 pages on a shared 2-core machine kept notes waiting.
GATHER = 0.1
COOKIE = "kit-room"  # the link's token, kept for a reload after the page took it out of the address bar
log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the link carries the token
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


def browser_language(handler: web.RequestHandler) -> str:
    """The first of the kit's languages the browser asks for (Accept-Language), else English."""
    for part in handler.request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in i18n.LANGUAGES:
            return code
    return "en"


class Secured:
    """Security headers on every answer of a handler, its errors and tornado's own pages included."""

    def set_default_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)  # type: ignore[attr-defined]  # a mixin of RequestHandlers


@functools.cache
def widget_asset(module: str, kind: str) -> str:
    """The widget module (``js``) or style sheet (``css``) as JupyterLab gets it, built once."""
    from ..widgets.base import (  # anywidget loads here, once, not per participant
        bundle,
        styles,
    )

    return bundle(f"{module}.js") if kind == "js" else styles(f"{module}.css")


@functools.cache
def page_script() -> str:
    """room.js behind common.js, as one module: the page builds its DOM with the widgets' own helpers."""
    from ..widgets.base import bundle

    return bundle(STATIC / "room.js")


def page_html(name: str, **values: str) -> str:
    """A page from static/, with ``{{name}}`` placeholders filled by already-escaped values."""
    text = (STATIC / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def script_json(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no "</script>" can close it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def presented_token(handler: web.RequestHandler) -> str | None:
    """The token of the link (``?token=``), else the one this browser's cookie kept for a reload."""
    return handler.get_query_argument("token", None) or handler.get_cookie(COOKIE)


class Handler(Secured, web.RequestHandler):
    """Security headers on every answer; errors as small pages in the browser's language (the workshop's,
    once its token admitted the page)."""

    hall: ServedWorkshops

    def initialize(self, hall: ServedWorkshops | None = None) -> None:
        if hall is not None:
            self.hall = hall

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Not tornado's (its line carries the address, and so the token): write_error logs under a reference."""

    def admitted(self, key: str) -> ServedWorkshop:
        """The room of ``key`` if the token is its own; 403 otherwise (the same page for an unknown key)."""
        room = self.hall.find(key, presented_token(self))
        if room is None:
            self.send_error(403)
            raise web.Finish
        return room

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        room = kwargs.get("room")
        language = room.language if isinstance(room, ServedWorkshop) else browser_language(self)
        if status_code == 503 and isinstance(room, ServedWorkshop):
            title = i18n.t("serve.room_full_title", language)
            text = i18n.t("serve.room_full_text", language, max=room.max_members)
        elif status_code == 403:  # closed, never opened, or not this link's workshop: the same page for all
            title, text = i18n.t("room.refused_title", language), i18n.t("room.refused_text", language)
        elif status_code >= 500:
            failure = kwargs["exc_info"][1] if "exc_info" in kwargs else RuntimeError(self._reason)
            title, text = str(status_code), internal_error(failure, language, "a room request")
        else:
            title, text = f"{status_code}: {self._reason}", ""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page_html("full.html", lang=language, title=html.escape(title), text=html.escape(text),
                              code=str(status_code)))


class PageHandler(Handler):
    def get(self, key: str) -> None:
        room = self.admitted(key)
        if room.full:
            self.send_error(503, room=room)
            return
        prefix = self.settings["kit_prefix"]
        token = self.get_query_argument("token", None)
        if token:  # the page takes the token out of the address bar; a reload brings it back this way
            self.set_cookie(COOKIE, token, path=f"{prefix}w/{key}/", httponly=True, samesite="Strict",
                            secure=self.request.protocol == "https")
        config = {"ws": f"{prefix}w/{key}/ws", "static": f"{prefix}static/", "language": room.language}
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page_html("room.html", lang=room.language, static=html.escape(prefix + "static/"),
                              title=html.escape(room.texts["join_title"]), config=script_json(config)))


class WidgetHandler(Handler):
    def get(self, module: str, kind: str) -> None:
        if module not in CANVAS_MODULES:
            raise web.HTTPError(404)
        self.set_header("Content-Type", "text/javascript; charset=utf-8" if kind == "js" else "text/css; charset=utf-8")
        self.set_header("Cache-Control", "private, max-age=3600")
        self.finish(widget_asset(module, kind))


class NotFound(Handler):
    """Every other address: tornado's 404, with the security headers and in the browser's language."""

    def prepare(self) -> None:
        raise web.HTTPError(404)


class PageScriptHandler(Handler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "private, max-age=3600")
        self.finish(page_script())


class StaticHandler(Secured, web.StaticFileHandler):
    pass


class _Protocol(websocket.WebSocketProtocol13):
    """tornado's protocol, except that a frame past the hard cap is refused in one line before the socket closes."""

    def close(self, code: int | None = None, reason: str | None = None) -> None:
        handler = self.handler
        if code == 1009 and isinstance(handler, Socket) and handler.member is not None:
            handler.emit(dump("refused", message=i18n.t("room.too_big_closed", handler.room.language,
                                                       limit=HARD_FRAME)))
        super().close(code, reason)


class Socket(Secured, websocket.WebSocketHandler):
    """One page: frames in to its :class:`Member`, frames out from it."""

    room: ServedWorkshop
    member: Member | None = None
    _join_timer: object | None = None

    def initialize(self, hall: ServedWorkshops) -> None:
        self.hall = hall

    async def get(self, *args: Any, **kwargs: Any) -> None:
        room = self.hall.find(args[0] if args else "", presented_token(self))
        if room is None:
            self.set_status(403)
            self.finish()
            return
        if room.crowded:
            self.set_status(503)
            self.finish()
            return
        self.room = room
        await super().get(*args, **kwargs)

    def get_websocket_protocol(self) -> websocket.WebSocketProtocol | None:
        protocol = super().get_websocket_protocol()
        if isinstance(protocol, websocket.WebSocketProtocol13):
            protocol.__class__ = _Protocol
        return protocol

    def get_compression_options(self) -> dict[str, Any]:
        """permessage-deflate where the browser offers it (every current one does): patches and full lists
        are repetitive JSON. A small window per page keeps a room of 200 well under a MiB each."""
        return COMPRESSION

    def open(self, *args: str, **kwargs: str) -> None:
        self.set_nodelay(True)
        self.member = Member(self.room, self.emit, lambda: self.close(1001))
        self.room.members.add(self.member)
        self.emit(dump("hello", **self.room.hello()))
        self._join_timer = ioloop.IOLoop.current().call_later(JOIN_WITHIN, self._unjoined)

    def _unjoined(self) -> None:
        """A socket that has not joined within :data:`JOIN_WITHIN` seconds is closed (floods of idle sockets)."""
        self._join_timer = None
        if self.member is not None and self.member.ws is None:
            self.close(1008, "join first")

    async def on_message(self, message: str | bytes) -> None:
        """One frame; a request is written on the room's writer thread while the loop serves the other pages
        (tornado reads this page's next frame only after this one's answer)."""
        member, room = self.member, self.room
        if member is None:
            return
        try:
            with room.shared.request():
                outcome = member.receive(message)
            if isinstance(outcome, Write):
                outcome = outcome.done(await room.shared.write(outcome.apply))
            changed = outcome
        except Exception as exc:  # noqa: BLE001 - a store failure or a bug: one line to this page, the rest to the log
            text = internal_error(exc, room.language, f"room {room.key}: a frame")
            self.emit(dump("refused", message=text))
            changed = True  # it may have written part of it: everyone looks again
        if changed:
            schedule(room)

    def on_close(self) -> None:
        if self._join_timer is not None:
            ioloop.IOLoop.current().remove_timeout(self._join_timer)
            self._join_timer = None
        if self.member is not None:
            self.room.leave(self.member)
            self.member = None

    def emit(self, frame: str) -> None:
        if self.ws_connection is None or self.ws_connection.is_closing():
            return
        with contextlib.suppress(websocket.WebSocketClosedError):  # closed meanwhile: on_close cleans up
            self.write_message(frame)


def schedule(room: ServedWorkshop) -> None:
    """Fan out once, on the next loop turn but not within :data:`GATHER` seconds of the last round: requests
    and other processes' commits arriving together cost one round, not one each."""
    if room.pending:
        return
    room.pending = True

    def run() -> None:
        room.pending = False
        fan_out(room)

    loop = ioloop.IOLoop.current()
    wait = room.fanned + GATHER - time.monotonic()
    if wait > 0:
        loop.call_later(wait, run)
    else:
        loop.add_callback(run)


def _notified(loop: ioloop.IOLoop, room: ServedWorkshop, version: int) -> None:
    """PostgreSQL's listener thread saw a commit: fan out on the room's loop."""
    loop.add_callback(schedule, room)


def fan_out(room: ServedWorkshop) -> None:
    try:
        room.fan_out()
    except Exception:  # a store hiccup must not stop the watcher; the next poll tries again
        log.exception("room %s: could not read the workshop", room.key)


def log_request(handler: web.RequestHandler) -> None:
    """tornado's access log without the query string: the link carries the token, which is never logged."""
    status = handler.get_status()
    if status < 400:
        return
    request = handler.request
    access = logging.getLogger("tornado.access")
    (access.warning if status < 500 else access.error)(
        "%d %s %s (%s) %.2f ms", status, request.method, request.path, request.remote_ip, 1000 * request.request_time())


def application(hall: ServedWorkshops, base_url: str = "/") -> web.Application:
    prefix = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    p = prefix.replace(".", r"\.")
    args = {"hall": hall}
    return web.Application([
        (p + r"w/([a-z0-9_-]{1,64})/", PageHandler, args),
        (p + r"w/([a-z0-9_-]{1,64})/ws", Socket, args),
        (p + r"static/widgets/([a-z]+)\.(js|css)", WidgetHandler, args),
        (p + r"static/room\.js", PageScriptHandler, args),
        (p + r"static/(room\.css)", StaticHandler, {"path": str(STATIC)}),
    ], kit_prefix=prefix, log_function=log_request, websocket_max_message_size=HARD_FRAME, websocket_ping_interval=PING,
        websocket_ping_timeout=PING, compress_response=False, default_handler_class=NotFound,
        default_handler_args=args)


class RoomServer:
    """The running room: the HTTP server and one watcher per workshop, on the current IOLoop."""

    def __init__(self, hall: dict[str, ServedWorkshop], base_url: str = "/") -> None:
        self.hall = hall if isinstance(hall, ServedWorkshops) else ServedWorkshops(hall)
        self.hall.on_open = self.watch
        self.app = application(self.hall, base_url)
        self.server: httpserver.HTTPServer | None = None
        self.loop: ioloop.IOLoop | None = None  # the loop it serves on (other threads hand work to it)
        self._poller: ioloop.PeriodicCallback | None = None

    def listen(self, port: int, host: str) -> int:
        """Start listening (port 0: any free one) and watching; returns the port."""
        self.server = httpserver.HTTPServer(self.app, xheaders=False, max_body_size=MAX_BODY)
        sockets = netutil.bind_sockets(port, host)
        self.server.add_sockets(sockets)
        self.loop = ioloop.IOLoop.current()
        for room in self.hall.values():
            self.watch(room)
        self._poller = ioloop.PeriodicCallback(self.poll, POLL * 1000)
        self._poller.start()
        return int(sockets[0].getsockname()[1])

    def watch(self, room: ServedWorkshop) -> None:
        """Follow a workshop's changes: pushed by PostgreSQL, or polled (a SQLite file)."""
        if room.shared.notifies and self.loop is not None:
            room.unsubscribe = room.shared.subscribe(functools.partial(_notified, self.loop, room))
        room.fan_out(force=True)

    def poll(self) -> None:
        """SQLite workshops every tick; pushing ones only now and then (a lost notification)."""
        now = time.monotonic()
        for room in list(self.hall.values()):
            if not room.shared.notifies or now - room.checked > SAFETY_POLL:
                fan_out(room)

    def stop(self) -> None:
        if self._poller is not None:
            self._poller.stop()
        if self.server is not None:
            self.server.stop()
        for room in self.hall.values():
            room.close()
