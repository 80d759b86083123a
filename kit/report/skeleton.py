"""The report page around its chapters, kept in the user's cache, so that ``kit export`` need not import nbconvert.

nbconvert renders the ``workshop`` template (exporter.py) as a head (the title, the CSS, the page footer), then
the chapters' HTML one after the other with nothing between them, then the end of the page. So nbconvert renders
the page once per language, with stand-ins for the title, the footer and the chapters: the skeleton, kept in
``kit.usercache`` under a fingerprint of what shapes it (the kit's template and texts, nbconvert's templates and
version, Pygments' styles). Each export puts its title and chapters into the skeleton: the same page, byte for
byte, as nbconvert renders from the report notebook (tests/test_report.py compares the two, hostile titles
included). Importing nbconvert and its dependencies took about a third of a second in every ``kit export``.
"""
from __future__ import annotations

import hashlib
import html
import importlib.util
import re
from pathlib import Path

from .. import usercache

#: Stand-ins: letters only, so no escaping changes them; user text goes in after they are found.
TITLE, FOOTER, CHAPTERS = "kitskeletontitle", "kitskeletonfooter", "kitskeletonchapters"
_STAND_INS = re.compile(f"{TITLE}|{FOOTER}")
_KIT = Path(__file__).resolve().parent


def css_string(text: str) -> str:
    """``text`` as the inside of a CSS string: everything but letters, digits and spaces
    hex-escaped, so user text cannot end the string or the style element."""
    # an escape ends at the one space after it, so every escape gets that space
    return "".join(c if (c.isalnum() and c.isascii()) or c == " " else f"\\{ord(c):06x} " for c in text)


def fill(page: str, title: str, chapters: str) -> str:
    """The report page from its skeleton ``page``: the (protected) ``title`` in the browser tab and the footer,
    and the chapters' HTML."""
    head, end = page.split(CHAPTERS)
    escaped = {TITLE: html.escape(title, quote=False), FOOTER: css_string(title)}  # as the template escapes them

    def put(part: str) -> str:
        return _STAND_INS.sub(lambda found: escaped[found.group(0)], part)

    return put(head) + chapters + put(end)


def is_skeleton(text: str) -> bool:
    return text.count(CHAPTERS) == 1


def cached(language: str) -> str | None:
    """The skeleton kept for ``language`` by this very kit, template and nbconvert; None where there is none."""
    place = _place(language)
    if place is None:
        return None
    try:
        text = place.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if is_skeleton(text) else None


def keep(language: str, page: str) -> None:
    """Keep ``page`` (a skeleton) for the next export in ``language`` (and drop the skeletons of older templates)."""
    place = _place(language)
    if place is None or not is_skeleton(page):
        return
    for old in place.parent.glob(f"{language}-*.html"):
        if old != place:
            old.unlink(missing_ok=True)
    usercache.keep(place, page.encode("utf-8"))


def _place(language: str) -> Path | None:
    where = usercache.folder("pages")
    if where is None or not language.isalnum():
        return None
    return where / f"{language}-{_fingerprint()}.html"


def _fingerprint() -> str:
    """What shapes the skeleton, as the size and time of its files: the kit's template, texts and exporter, the
    installed nbconvert, Pygments and Jinja, and the ``lab`` and ``base`` templates wherever Jupyter keeps
    nbconvert's templates (a file changed means rendering again)."""
    from jupyter_core.paths import jupyter_path  # where nbconvert looks for templates (light, unlike nbconvert)

    files = [*(_KIT / "templates").rglob("*"), *(_KIT.parent / "texts").glob("*.yaml"), _KIT / "exporter.py",
             Path(__file__).resolve()]
    for package in ("nbconvert", "pygments", "jinja2"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin is not None:
            files += Path(spec.origin).parent.glob("*.py")  # __init__ and _version: an upgrade changes them
    for share in jupyter_path("nbconvert", "templates"):
        files += [file for name in ("lab", "base") for file in (Path(share) / name).rglob("*")]
    digest = hashlib.sha256()
    for file in sorted(files):
        try:
            found = file.stat()
        except OSError:
            continue
        digest.update(f"{file}\0{found.st_size}\0{found.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]
