"""Syllable breaks (pyphen): for the figures' word wrap, and for pages printed by Chromium.

Debian's Chromium ships no hyphenation dictionaries (other builds download them), so CSS
``hyphens: auto`` alone leaves long German words to break anywhere in the PDF. Before printing,
the long words of user text (elements of class ``u``, which may already wrap anywhere, so their
boxes keep their size) get soft hyphens (U+00AD) at pyphen's break points for the page's
``lang``; the browser shows a hyphen only where it breaks a line. The HTML file itself keeps the
text exactly as written.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pyphen

from .. import usercache

_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']?([A-Za-z-]+)", re.IGNORECASE)
#: comments, and tags with their name, whether they close, and their class attribute
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w-]*)([^>]*)>", re.DOTALL)
_CLASS_U = re.compile(r"""\bclass\s*=\s*["']?(?:[^"'>]*\s)?u(?:\s[^"'>]*)?["'\s>]""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: a run of letters long enough to break, not the name of an entity (&shy; &Auml;)
_WORD = re.compile(r"(?<![&#\w])[^\W\d_]{7,}")


@functools.cache
def hyphenator(language: str | None) -> pyphen.Pyphen | None:
    """Syllable breaks for a language ("de" -> de_DE), or None where pyphen has no dictionary."""
    found = pyphen.language_fallback(language) if language else None
    if not found:
        return None
    _load_parsed(pyphen.LANGUAGES[found])
    return pyphen.Pyphen(lang=found)


def _load_parsed(path: Path) -> None:
    """Give pyphen the dictionary at ``path`` as parsed before, from the user's cache (parsing the German one
    takes half a second, in every ``kit export``); where the cache has no copy of this very file (its size and
    time in the name), parse it and keep one there. Any trouble with the cache only means parsing as usual."""
    if path in pyphen.hdcache:
        return
    cache = usercache.entry(path, path.stem)
    kept = usercache.read(cache)
    if isinstance(kept, tuple) and len(kept) == 2 and type(kept[0]) is dict and type(kept[1]) is int:
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.patterns, parsed.cache, parsed.maxlen = kept[0], {}, kept[1]
        pyphen.hdcache[path] = parsed
        return
    parsed = pyphen.HyphDict(path)  # none kept, or damaged: parsed, and kept again
    pyphen.hdcache[path] = parsed
    if cache is not None and all(type(v) is int for _, values in parsed.patterns.values() for v in values):
        usercache.keep_data(cache, (parsed.patterns, parsed.maxlen))  # not DataInt: marshal takes it


def page_language(html: str) -> str | None:
    """The ``lang`` of the page's root element."""
    found = _LANG.search(html)
    return found.group(1) if found else None


def soft_hyphens(html: str, language: str | None = None) -> str:
    """``html`` with soft hyphens in the long words of its user text (elements of class ``u``)."""
    hyphens = hyphenator(language or page_language(html))
    if hyphens is None:
        return html
    out: list[str] = []
    open_: list[tuple[str, bool]] = []  # (tag, inside user text)
    done = 0
    for tag in _TAG.finditer(html):
        text = html[done:tag.start()]
        if text and open_ and open_[-1][1]:
            text = _WORD.sub(lambda m: hyphens.inserted(m.group(0), hyphen="\u00ad"), text)
        out.append(text)
        out.append(tag.group(0))
        done = tag.end()
        closing, name, attrs = tag.group(1), (tag.group(2) or "").lower(), tag.group(3) or ""
        if not name or name in _VOID or attrs.rstrip().endswith("/"):
            continue
        if closing:
            while open_ and open_.pop()[0] != name:
                pass
        else:
            inside = name not in ("script", "style", "svg") and (
                bool(_CLASS_U.search(f"{attrs}>")) or bool(open_ and open_[-1][1]))
            open_.append((name, inside))
    out.append(html[done:])
    return "".join(out)
