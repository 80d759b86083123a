"""Syllable breaks (pyphen): for the figures' word wrap, and for pages printed by Chromium.

Debian's Chromium ships no hyphenation dictionaries (other builds download them), so CSS
``hyphens: auto`` alone leaves German compounds unbroken or cut mid-word in the PDF. Before
printing, every long word in the page's text gets soft hyphens (U+00AD) at pyphen's break
points for the page's ``lang``; the browser shows a hyphen only where it breaks a line.
The HTML file itself keeps the text exactly as written.
"""
from __future__ import annotations

import functools
import re

import pyphen

_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']?([A-Za-z-]+)", re.IGNORECASE)
#: tags, comments and the inside of elements whose text is not prose
_SKIP = re.compile(r"(<!--.*?-->|<(script|style|svg|pre|code|textarea)\b.*?</\2\s*>|<[^>]*>)",
                   re.IGNORECASE | re.DOTALL)
#: a run of letters long enough to break, not the name of an entity (&shy; &Auml;)
_WORD = re.compile(r"(?<![&#\w])[^\W\d_]{7,}")


@functools.cache
def hyphenator(language: str | None) -> pyphen.Pyphen | None:
    """Syllable breaks for a language ("de" -> de_DE), or None where pyphen has no dictionary."""
    found = pyphen.language_fallback(language) if language else None
    return pyphen.Pyphen(lang=found) if found else None


def page_language(html: str) -> str | None:
    """The ``lang`` of the page's root element."""
    found = _LANG.search(html)
    return found.group(1) if found else None


def soft_hyphens(html: str, language: str | None = None) -> str:
    """``html`` with soft hyphens in the long words of its text (outside tags, scripts, styles)."""
    hyphens = hyphenator(language or page_language(html))
    if hyphens is None:
        return html
    parts = _SKIP.split(html)
    out: list[str] = []
    i = 0
    while i < len(parts):
        out.append(_WORD.sub(lambda m: hyphens.inserted(m.group(0), hyphen="\u00ad"), parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])  # the skipped markup, unchanged
        i += 3  # split yields text, the whole match, the inner group
    return "".join(out)
