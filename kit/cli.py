"""The ``kit`` command: a thin layer over the library.

Each subcommand is one small function registered in ``COMMANDS``. A user error (any
``WorkshopError``, or the operating system refusing a file) prints one line (``kit: error: ...``),
in the workshop's language once the workshop is known, and exits 2; tracebacks are for bugs only.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import kit

from . import model
from .errors import UsageError, WorkshopError, one_line
from .workshop import Workshop

Handler = Callable[[argparse.Namespace], int]
#: Adds some of a command's arguments to its parser (what it returns is not used).
Arguments = Callable[[argparse.ArgumentParser], object]
COMMANDS: dict[str, tuple[str, tuple[Arguments, ...], Handler]] = {}


def command(name: str, help_text: str, *arguments: Arguments) -> Callable[[Handler], Handler]:
    """Register a subcommand: its help, what adds its arguments, and its handler."""
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


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Workshop]:
    """The workshop at ``args.path``; from here on errors are reported in its language."""
    with kit.open(args.path) as ws:
        args.language = ws.language
        yield ws


def _lang(p: argparse.ArgumentParser, default: str | None = "de") -> None:
    p.add_argument("--lang", choices=["de", "en"], default=default, help="workshop language (default: %(default)s)")


@command("new", "create an empty workshop file",
         _path, lambda p: p.add_argument("--title", required=True, help="workshop title"), _lang)
def _new(args: argparse.Namespace) -> int:
    args.language = args.lang
    with kit.new(args.path, title=args.title, language=args.lang) as ws:
        print(f"created {ws.location}")
    return 0


@command("demo", "write a complete sample workshop (de: collections team, en: event hotel)",
         _path, _lang)
def _demo(args: argparse.Namespace) -> int:
    args.language = args.lang
    with kit.demo(args.path, args.lang) as ws:
        print(f"created {ws.location}: {ws.info['title']}")
    return 0


@command("info", "summarise a workshop: fields, record counts, snapshots, last change", _path)
def _info(args: argparse.Namespace) -> int:
    with _opened(args) as ws:
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
    with _opened(args) as ws:
        sys.stdout.write(ws.to_json() + "\n")
    return 0


@command("load", "create a new workshop file from a JSON document",
         _path, lambda p: p.add_argument("json", type=Path, help="JSON written by 'kit dump'"))
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


def _share_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="postgresql://USER@HOST:PORT/DB?workshop=KEY (you must own it or be an admin)")
    p.add_argument("--with", dest="name", required=True, metavar="NAME", help="the facilitator's name (login role)")


@command("share", "let another facilitator open and change a workshop on a PostgreSQL server", _share_args)
def _share(args: argparse.Namespace) -> int:
    from .store import share_workshop, shared_with

    share_workshop(args.url, args.name)
    print(f"shared with {', '.join(shared_with(args.url))}")
    return 0


@command("unshare", "take a shared workshop back from a facilitator", _share_args)
def _unshare(args: argparse.Namespace) -> int:
    from .store import shared_with, unshare_workshop

    unshare_workshop(args.url, args.name)
    print(f"shared with {', '.join(shared_with(args.url)) or 'nobody'}")
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
    p.add_argument("--notebook", type=Path, help="write the report notebook, with --review the status review's "
                   "(convert it later with 'jupyter nbconvert --to workshop_pdf')")
    p.add_argument("--pptx", type=Path, help="write an editable slide deck (PowerPoint, Keynote, LibreOffice)")
    p.add_argument("--template", type=Path, metavar="CORP.pptx", help="with --pptx: use this deck's layouts, "
                   "fonts and colours")
    p.add_argument("--include-names", action="store_true", help="show interviewees' real names (off: pseudonyms)")
    p.add_argument("--redact", nargs="+", default=[], metavar="WORD", help="words to black out in the report")
    p.add_argument("--chromium", help="browser executable (default: $KIT_CHROMIUM or /usr/bin/chromium)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--csv", type=Path, metavar="DIR", help="write one CSV per canvas into DIR (one row per note; "
                   "re-imports with 'kit import')")
    p.add_argument("--review", action="store_true", help="the status review for management instead of the workshop "
                   "report (KPI trends, to-dos, idea feedback, what changed since the workshop, next dates)")
    p.add_argument("--since", metavar="DATE", help="with --review: cover what happened after DATE (YYYY-MM-DD; "
                   "default: the last follow-up held before today)")


@command("export", "write the workshop report as PDF and/or HTML (offline, pseudonyms by default), or CSV per canvas",
         _export_args)
def _export(args: argparse.Namespace) -> int:
    _without_iri_grammars()
    from . import report

    if args.since is not None and not args.review:
        raise UsageError("cli.since_without_review")
    if args.csv:
        _export_csv(args)
    if not (args.pdf or args.html or args.notebook or args.pptx):
        if args.csv:
            return 0
        raise UsageError("cli.export_what")
    with _opened(args) as ws:
        options = {"include_names": args.include_names, "redact": args.redact}
        if args.notebook:
            print(f"wrote {report.write_notebook(ws, args.notebook, review=args.review, since=args.since, **options)}")
        if args.pdf or args.html:
            written = report.export(ws, args.pdf, args.html, progress=not args.quiet, chromium=args.chromium,
                                    review=args.review, since=args.since, **options)
            for path in written.values():
                print(f"wrote {path}")
        if args.pptx:
            from .report import deck

            written_deck = deck.export(ws, args.pptx, template=args.template, review=args.review, since=args.since,
                                       **options)
            print(f"wrote {written_deck}")
    return 0


def _without_iri_grammars() -> None:
    """Spare the export about a second: nbconvert imports nbformat -> jsonschema, which builds ~38 Lark
    grammars at import when rfc3987_syntax is installed (jsonschema #1428, #1521), only to check the
    "iri" format that nbformat's Draft 4 schema never uses. The command's process does without it."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # an import of it fails


def _export_csv(args: argparse.Namespace) -> None:
    from . import board_csv, i18n

    with _opened(args) as ws:
        written = board_csv.export(ws, args.csv, include_names=args.include_names)
        print(i18n.t("journey.export_written", ws.language, n=len(written), folder=args.csv))


def _import_args(p: argparse.ArgumentParser) -> None:
    _path(p)
    p.add_argument("file", type=Path, help="a .csv (UTF-8 or Windows-1252; comma, semicolon or tab) or .xlsx file "
                   "with a header row")
    p.add_argument("--into", required=True, help="observations, evidence, ideas, canvas:<id> or measurements "
                   "(KPI values: columns kpi, date, value, note)")
    p.add_argument("--map", metavar="FIELD=COLUMN,...", help="columns the kit does not recognise, "
                   "e.g. text=Content,area=Frame,who=Segment; FIELD= (empty) leaves a recognised column out")
    p.add_argument("--area", metavar="ID", help="put every row into this area of the canvas (its id or title), "
                   "e.g. when the board's frames are not the canvas's areas")
    p.add_argument("--yes", action="store_true", help="import without asking (default: preview, then ask)")


@command("import", "import notes from a board export (Miro, Mural, Dovetail, a spreadsheet): preview first, "
                   "then all rows in one step", _import_args)
def _import(args: argparse.Namespace) -> int:
    from . import i18n, importing, kpi_import

    with _opened(args) as ws:
        lang = ws.language
        plan = (kpi_import.plan(ws, args.file, importing.parse_map(args.map)) if args.into == kpi_import.INTO
                else importing.plan(ws, args.file, args.into, importing.parse_map(args.map), args.area))
        for line in importing.preview_lines(plan, lang):
            print(line)
        plan.check()
        if not args.yes and not (sys.stdin.isatty() and input(i18n.t("journey.import_confirm", lang,
                                                                      n=len(plan))).strip().lower()
                                 in ("y", "yes", "j", "ja")):
            print(i18n.t("journey.import_dry_run", lang))
            return 0
        print(i18n.t("journey.import_done", lang, n=len(plan.commit())))
    return 0


def _room_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["open", "close"], help="open: a fresh participant link (earlier ones stop "
                   "working); close: forget it and disconnect every page")
    p.add_argument("url", help="postgresql://USER@HOST:PORT/DB?workshop=KEY (a workshop you may use)")
    p.add_argument("--room-url", help="the room's public address (default: $KIT_ROOM_URL, set by the hub)")


@command("room", "open or close the participant room of a hosted workshop (on a hub)", _room_args)
def _room(args: argparse.Namespace) -> int:
    from . import i18n
    from .room import close_room, open_room

    with kit.open(args.url) as ws:
        args.language = ws.language
        if args.action == "open":
            print(open_room(ws, args.room_url))
        else:
            close_room(ws)
            print(i18n.t("notebooks.room_closed", ws.language))
    return 0


def _serve_arguments(p: argparse.ArgumentParser) -> None:
    from .serve.command import arguments

    arguments(p)


@command("serve", "run a live workshop: the facilitator's JupyterLab and a code-free page for participants, "
                  "both behind a token", _serve_arguments)
def _serve(args: argparse.Namespace) -> int:
    from .serve.command import run

    return run(args)


def _hub_arguments(p: argparse.ArgumentParser) -> None:
    from .hub.command import arguments

    arguments(p)


@command("hub", "host workshops for a team: PostgreSQL, JupyterHub for facilitators, the room behind its proxy; "
                "Ctrl+C stops all", _hub_arguments)
def _hub(args: argparse.Namespace) -> int:
    from .hub.command import run

    return run(args)


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``kit`` command line; ``only``: add just that command's arguments (the others' may import a lot:
    ``kit hub``'s bring JupyterHub, a second on every command)."""
    top = argparse.ArgumentParser(
        prog="kit", description="workshop-kit: customer-centricity workshops in Jupyter, offline.",
        epilog="Run 'kit COMMAND --help' for the options of one command.")
    top.add_argument("--version", action="version", version=f"workshop-kit {kit.__version__}")
    subs = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (help_text, adders, handler) in COMMANDS.items():
        sub = subs.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        for add in adders if only in (None, name) else ():
            add(sub)
        sub.set_defaults(handler=handler)
    return top


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    args = parser(next((a for a in given if not a.startswith("-")), None)).parse_args(argv)
    try:
        handler: Handler = args.handler
        return handler(args)
    except WorkshopError as exc:
        print(f"kit: error: {one_line(exc, getattr(args, 'language', None) or 'en')}", file=sys.stderr)
        return 2
    except OSError as exc:  # the system refusing a path (permissions, a folder given as a file)
        print(f"kit: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
