"""User-facing texts in German and English, kept in step.

Texts live in ``kit/texts/*.yaml`` as ``key: {de: ..., en: ...}``; one file per part of the
kit (widgets, notebooks, report, serve). Every key must have both languages, which
``tests/test_i18n.py`` checks, so the two cannot drift.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

LANGUAGES = ("de", "en")
_DIR = Path(__file__).resolve().parent / "texts"


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All texts, ``{"area.key": {"de": ..., "en": ...}}``, keyed by file stem and key."""
    import yaml

    texts: dict[str, dict[str, str]] = {}
    for file in sorted(_DIR.glob("*.yaml")):
        for key, value in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items():
            texts[f"{file.stem}.{key}"] = value
    return texts


def t(key: str, language: str, **values: Any) -> str:
    """The text for ``key`` ("widgets.add") in ``language``, with ``{name}`` filled in."""
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"no text {key!r} in kit/texts")
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text


def texts(prefix: str, language: str) -> dict[str, str]:
    """All texts under ``prefix`` ("widgets") in one language, keys without the prefix."""
    start = prefix + "."
    return {k[len(start):]: v.get(language) or v["en"] for k, v in catalogue().items() if k.startswith(start)}
