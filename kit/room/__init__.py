"""The participant room: one process, no kernel per person, many participants and workshops.

Design: a tornado server (kit.room.server) serves the participant page, its assets and one
WebSocket per page. The page hosts the very widget ES modules JupyterLab runs
(kit/widgets/*.js, bundled by kit.widgets.base) behind a small model object that speaks
anywidget's contract (get, set, on, off, save_changes, send) over the WebSocket
(static/room.js). On the Python side each page is a :class:`kit.room.member.Member` holding
a plain kit.sessions session with the participant's role; kit.access decides what it may see
and do. One watcher per workshop (kit.room.rooms) fans each change out; every member sends
only what changed for its viewer.

Entry point (``kit serve`` starts it; a hub service may start it too)::

    python -m kit.room --workshop [KEY=]TARGET [--workshop [KEY2=]TARGET2 ...]
                       --token-file FILE [--host 127.0.0.1] [--port 0]
                       [--base-url /services/room/] [--max-participants 400]

TARGET is a workshop file or a ``postgresql://`` URL; FILE has one line ``KEY TOKEN`` per
workshop (one bare token for a single workshop). Workshop ``KEY`` is served at
``<base-url>w/<KEY>/?token=TOKEN``; a token opens only its own workshop. The process prints
``kit.room: listening on http://HOST:PORT/PREFIX`` once it serves, and stops cleanly on
SIGINT/SIGTERM (pages are told to reconnect).

On a hub, ``--server postgresql://ADMIN@HOST:PORT/DB`` serves any workshop of that server on demand:
a facilitator opens its room with :func:`open_room` (a fresh token; the store keeps only its
digest) and closes it with :func:`close_room`.
"""
from .links import close_room, open_room, room_is_open

__all__ = ["close_room", "open_room", "room_is_open"]
