"""The room process: arguments, start-up, and a clean stop on Ctrl+C (SIGINT) or SIGTERM."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from ..errors import WorkshopError
from .config import Entry, entries
from .rooms import ROOM_SIZE, ServedWorkshop, ServedWorkshops
from .server import RoomServer


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kit.room", description="The participant room of live workshops.")
    p.add_argument("--workshop", action="append", default=[], metavar="[KEY=]TARGET",
                   help="a workshop file or postgresql:// URL; repeat for several workshops")
    p.add_argument("--token-file", type=Path, help="lines 'KEY TOKEN' (or one bare token); needed with --workshop")
    p.add_argument("--server", metavar="URL", help="postgresql://USER@HOST:PORT/DB: serve any workshop of it whose "
                   "facilitator opened the room (kit.room.open_room), on demand")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=0, help="port (default: any free one, printed at start)")
    p.add_argument("--base-url", default="/", help="URL prefix, e.g. /services/room/ (default: %(default)s)")
    p.add_argument("--max-participants", type=int, default=ROOM_SIZE,
                   help="joined participants per workshop before the 'room is full' page (default: %(default)s)")
    return p


def open_rooms(found: list[Entry]) -> dict[str, ServedWorkshop]:
    hall: dict[str, ServedWorkshop] = {}
    try:
        for e in found:
            hall[e.key] = ServedWorkshop(e.key, e.target, e.token_digest, e.max_members)
    except BaseException:
        for room in hall.values():
            room.close()
        raise
    return hall


async def serve(args: argparse.Namespace) -> None:
    named = entries(args.workshop, args.token_file, args.max_participants) if args.workshop or not args.server else []
    hall = ServedWorkshops(open_rooms(named), args.server, args.max_participants)
    server = RoomServer(hall, args.base_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        port = server.listen(args.port, args.host)
        prefix = server.app.settings["kit_prefix"]
        served = ", ".join([*hall, *(["any opened room"] if args.server else [])])
        print(f"kit.room: listening on http://{args.host}:{port}{prefix} ({served})", flush=True)
        await stop.wait()
    finally:
        server.stop()
    print("kit.room: stopped", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        asyncio.run(serve(args))
    except WorkshopError as exc:
        print(f"kit.room: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the port is taken, the address is not this machine's
        print(f"kit.room: error: {exc}", file=sys.stderr)
        return 2
    return 0
