"""The ``kit`` command: a thin layer over the library.

Each subcommand is one small function registered in ``COMMANDS``. A user error prints one
line (``kit: error: ...``) and exits 2; tracebacks are for bugs only.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

import kit

from .model import ValidationError
from .store import WorkshopError

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None]):
    """Register a subcommand: its help, its arguments and its handler."""
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = (help_text, arguments, handler)
        return handler
    return register


def _target(value: str) -> Path | str:
    """A workshop file, or a server URL kept as text (it may hold a password: never printed)."""
    from .store import is_url

    return value if is_url(value) else Path(value)


def _path(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=_target, nargs="?", default=None,
                   help="workshop file (.workshop) or postgresql://USER@HOST:PORT/DB?workshop=KEY "
                        "(default: $KIT_WORKSHOP)")


def _lang(p: argparse.ArgumentParser, default: str | None = "de") -> None:
    p.add_argument("--lang", choices=["de", "en"], default=default, help="workshop language (default: %(default)s)")


@command("new", "create an empty workshop file",
         lambda p: (_path(p), p.add_argument("--title", required=True, help="workshop title"), _lang(p)))
def _new(args: argparse.Namespace) -> int:
    with kit.new(args.path, title=args.title, language=args.lang) as ws:
        print(f"created {ws.location}")
    return 0


@command("demo", "write a complete sample workshop (de: collections team, en: event hotel)",
         lambda p: (_path(p), _lang(p)))
def _demo(args: argparse.Namespace) -> int:
    with kit.demo(args.path, args.lang) as ws:
        print(f"created {ws.location}: {ws.info['title']}")
    return 0


@command("info", "summarise a workshop: fields, record counts, snapshots, last change", _path)
def _info(args: argparse.Namespace) -> int:
    from . import model

    with kit.open(args.path) as ws:
        info = ws.info
        print(f"{'location':15} {ws.location}")
        for key in ("title", "client", "date", "facilitator", "language"):
            print(f"{key:15} {info[key] or '-'}")
        print(f"{'teams':15} {', '.join(info['teams']) or '-'}")
        print(f"{'personas':15} {', '.join(info['personas']) or '-'}")
        for name in model.COLLECTIONS:
            print(f"{name:15} {len(getattr(ws, name))}")
        print(f"{'snapshots':15} {', '.join(s['name'] for s in ws.snapshots()) or '-'}")
        last = ws.history(limit=1)
        print(f"{'last change':15} {last[0] if last else '-'}")
    return 0


@command("dump", "write the workshop as JSON (the versioned format) to stdout", _path)
def _dump(args: argparse.Namespace) -> int:
    with kit.open(args.path) as ws:
        sys.stdout.write(ws.to_json() + "\n")
    return 0


@command("load", "create a new workshop file from a JSON document",
         lambda p: (_path(p), p.add_argument("json", type=Path, help="JSON written by 'kit dump'")))
def _load(args: argparse.Namespace) -> int:
    with kit.load(args.path, args.json) as ws:
        print(f"created {ws.location} from {args.json}")
    return 0


def _url(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="postgresql://USER@HOST:PORT/DB")


@command("list", "list the workshops in a PostgreSQL database: key, title, last change", _url)
def _list(args: argparse.Namespace) -> int:
    from .store import list_workshops

    found = list_workshops(args.url)
    for w in found:
        print(f"{w['key']:20} {w['last_change'] or '-':26} {w['title']}")
    if not found:
        print("no workshops yet")
    return 0


def _copy_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", type=_target, help="workshop file or postgresql://…?workshop=KEY to copy")
    p.add_argument("destination", type=_target, help="new workshop file or postgresql://…?workshop=KEY "
                   "(never overwritten)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


@command("copy", "copy a whole workshop between files and servers, exactly (records, history, snapshots, "
                 "votes, live state)", _copy_args)
def _copy(args: argparse.Namespace) -> int:
    from .store.copy import copy_workshop
    from .workshop import default_actor

    copy = copy_workshop(args.source, args.destination, default_actor(), progress=not args.quiet)
    copy.close()
    print(f"copied to {copy.location}")
    return 0


def _export_args(p: argparse.ArgumentParser) -> None:
    _path(p)
    p.add_argument("--pdf", type=Path, help="write the report as PDF (A4, needs Chromium)")
    p.add_argument("--html", type=Path, help="write the report as one self-contained HTML file")
    p.add_argument("--notebook", type=Path, help="write the report notebook (convert it later with "
                   "'jupyter nbconvert --to workshop_pdf')")
    p.add_argument("--include-names", action="store_true", help="show interviewees' real names (off: pseudonyms)")
    p.add_argument("--redact", nargs="+", default=[], metavar="WORD", help="words to black out in the report")
    p.add_argument("--chromium", help="browser executable (default: $KIT_CHROMIUM or /usr/bin/chromium)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


@command("export", "write the workshop report as PDF and/or HTML (offline, pseudonyms by default)", _export_args)
def _export(args: argparse.Namespace) -> int:
    from . import report

    if not (args.pdf or args.html or args.notebook):
        raise WorkshopError("say what to write: --pdf OUT.pdf, --html OUT.html and/or --notebook OUT.ipynb")
    with kit.open(args.path) as ws:
        options = {"include_names": args.include_names, "redact": args.redact}
        if args.notebook:
            print(f"wrote {report.write_notebook(ws, args.notebook, **options)}")
        if args.pdf or args.html:
            written = report.export(ws, args.pdf, args.html, progress=not args.quiet, chromium=args.chromium,
                                    **options)
            for path in written.values():
                print(f"wrote {path}")
    return 0


def _serve_arguments(p: argparse.ArgumentParser) -> None:
    from .serve.command import arguments

    arguments(p)


@command("serve", "run a live workshop: the facilitator's JupyterLab and a code-free page for participants, "
                  "both behind a token", _serve_arguments)
def _serve(args: argparse.Namespace) -> int:
    from .serve.command import run

    return run(args)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="kit", description="workshop-kit: customer-centricity workshops in Jupyter, offline.",
        epilog="Run 'kit COMMAND --help' for the options of one command.")
    top.add_argument("--version", action="version", version=f"workshop-kit {kit.__version__}")
    subs = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (help_text, arguments, handler) in COMMANDS.items():
        sub = subs.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        arguments(sub)
        sub.set_defaults(handler=handler)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except (WorkshopError, ValidationError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"kit: error: {message}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"kit: error: not valid JSON: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
