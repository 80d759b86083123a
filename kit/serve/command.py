"""`kit serve WORKSHOP`: arguments and the foreground loop (kit/cli.py registers it)."""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from .. import i18n
from ..hub.secrets import read_secret
from ..netutil import qr_text
from ..workshop import open as open_workshop
from .server import (
    DEFAULT_LAB_PORT,
    DEFAULT_ROOM_PORT,
    NOTEBOOKS,
    ServeConfig,
    ServeError,
    Supervisor,
)


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="workshop file (.workshop) or postgresql://user@host/db?workshop=KEY")
    p.add_argument("--lan", action="store_true",
                   help="let laptops and phones on the local network join (prints a link and a QR code); "
                        "the facilitator's JupyterLab stays on this computer")
    p.add_argument("--address", help="with --lan: the network address to listen on (default: detected)")
    p.add_argument("--port", type=int, default=DEFAULT_LAB_PORT, help="facilitator port (default: %(default)s)")
    p.add_argument("--participant-port", type=int, default=DEFAULT_ROOM_PORT,
                   help="participant port (default: %(default)s)")
    p.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="notebook folder (default: the kit's)")
    p.add_argument("--max-participants", type=int, default=30,
                   help="participants expected; twice as many pages may be open before the 'room is full' page "
                        "(default: %(default)s)")
    # a token on a command line is visible to every user of the machine (ps): chosen tokens come from 0600 files
    p.add_argument("--token-file", type=Path, help="file (mode 0600) holding the facilitator token "
                   "(default: a new random one); never empty")
    p.add_argument("--participant-token-file", type=Path, help="file (mode 0600) holding the participant token "
                   "(default: a new random one); never empty")


def run(args: argparse.Namespace) -> int:
    extra = {k: read_secret(v) for k, v in (("lab_token", args.token_file),
                                            ("participant_token", args.participant_token_file)) if v is not None}
    with open_workshop(args.path) as ws:
        language = args.language = ws.language  # the CLI reports errors in it from here on
        environment = ws.store.environment()
    workshop = environment.pop("KIT_WORKSHOP")  # a server's URL without its password: safe on a command line
    if args.max_participants < 1:
        raise ServeError("cli.max_participants", got=args.max_participants)
    cfg = ServeConfig(workshop, secrets_env=environment, notebooks=args.notebooks.resolve(), lan=args.lan,
                      lan_address=args.address, lab_port=args.port, room_port=args.participant_port, language=language,
                      max_participants=2 * args.max_participants, **extra)
    t = i18n.texts("serve", language)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with Supervisor(cfg) as servers:
        print(f"{t['cli_facilitator']}\n  {cfg.lab_url()}\n")
        print(f"{t['cli_join']}\n  {cfg.join_url()}\n")
        if cfg.lan:
            print(qr_text(cfg.join_url()))
        else:
            print(t["cli_local_only"])
        print(t["cli_stop"], flush=True)
        try:
            while servers.running() and not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            return 0
        if not stop.is_set():
            print(f"kit: error: a server stopped unexpectedly; logs in {servers.log_dir}", file=sys.stderr)
            return 1
    return 0
