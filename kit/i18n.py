"""User-facing texts in German and English, kept in step.

Texts live in ``kit/texts/*.yaml`` as ``key: {de: ..., en: ...}``; one file per part of the
kit (widgets, notebooks, report, serve). Every key must have both languages, which
``tests/test_i18n.py`` checks, so the two cannot drift.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

LANGUAGES = ("de", "en")
_DIR = Path(__file__).resolve().parent / "texts"


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All texts, ``{"area.key": {"de": ..., "en": ...}}``, keyed by file stem and key."""
    import yaml

    # libyaml where it is built in: the pure-Python parser took most of a second, in every command
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    texts: dict[str, dict[str, str]] = {}
    for file in sorted(_DIR.glob("*.yaml")):
        for key, value in (yaml.load(file.read_text(encoding="utf-8"), Loader=loader) or {}).items():  # noqa: S506 - a safe loader
            texts[f"{file.stem}.{key}"] = value
    return texts


def t(key: str, language: str, /, **values: Any) -> str:
    """The text for ``key`` ("widgets.add") in ``language``, with ``{name}`` filled in."""
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"no text {key!r} in kit/texts")  # a bug in the kit, not something a user did
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text


def texts(prefix: str, language: str) -> dict[str, str]:
    """All texts under ``prefix`` ("widgets") in one language, keys without the prefix."""
    start = prefix + "."
    return {k[len(start):]: v.get(language) or v["en"] for k, v in catalogue().items() if k.startswith(start)}


# ---------------------------------------------------------------------------- numbers and dates
def format_date(value: str | dt.date | None, language: str) -> str:
    """A date as reports and tables print it: 14.10.2026 (de), 14 Oct 2026 (en)."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    if language == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    month = t("formats.months", language).split()[day.month - 1]
    return f"{day.day} {month} {day.year}"


def format_datetime(value: str | None, language: str) -> str:
    """A date and time as reports and tables print it: 11.11.2026, 09:00 (de), 11 Nov 2026, 09:00 (en)."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)
    return f"{format_date(moment.date(), language)}, {moment:%H:%M}"


def format_money(value: float | None, language: str) -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if language == "de":
        text = text.replace(",", "\u2009").replace(".", ",")
        return f"{text}\u00a0€"
    return f"€{text}"


def format_number(value: float | None, language: str) -> str:
    """A measured value: 35,8 (de), 35.8 (en)."""
    if value is None:
        return ""
    text = f"{value:g}"
    return text.replace(".", ",") if language == "de" else text
