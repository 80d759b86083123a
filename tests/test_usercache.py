"""The user's cache (kit.usercache): the user's own folder or none, entries whole, trouble only means deriving again."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kit import usercache
from kit.render import fonts


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "workshop-kit"


def test_the_folder_is_the_users_own_or_not_used(cache: Path) -> None:
    made = usercache.folder("pages")
    assert made == cache / "pages" and made.stat().st_mode & 0o777 == 0o700 and cache.stat().st_mode & 0o077 == 0
    for place in (cache, made):  # others may write there: compiled or parsed, what it holds is not trusted
        place.chmod(0o777)
        assert usercache.folder("pages") is None
        place.chmod(0o700)
    assert usercache.folder("pages") == made


def test_an_entry_is_named_after_its_source_and_written_whole(cache: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "dictionary.dic"
    source.write_text("a", encoding="utf-8")
    entry = usercache.entry(source, "dictionary")
    assert entry is not None and entry.parent == cache
    usercache.keep(entry, b"parsed")
    assert entry.read_bytes() == b"parsed" and entry.stat().st_mode & 0o077 == 0
    source.write_text("a changed dictionary", encoding="utf-8")
    assert usercache.entry(source, "dictionary") != entry  # derived again
    assert usercache.entry(tmp_path / "missing.dic", "missing") is None
    usercache.keep(cache / "no such folder" / "entry", b"x")  # a cache that cannot take it: nothing happens

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    usercache.keep(cache / "other", b"x")  # the disk full: no half entry left behind
    assert sorted(p.name for p in cache.iterdir()) == [entry.name]


def test_no_home_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(Path, "home", lambda: (_ for _ in ()).throw(RuntimeError("no home")))
    assert usercache.folder() is None


def test_a_fonts_advances_are_read_back_from_the_cache_as_the_font_gives_them(cache: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Überweisung 😀 שלום ﬁ\u00ad"

    def fresh() -> None:  # a new process, as far as the fonts go
        fonts._TABLES.clear()
        fonts._face.cache_clear()
        fonts._symbola.cache_clear()

    monkeypatch.setattr(fonts, "_TABLES", {})
    fresh()
    try:
        read = fonts.width(text, 10, "bold")
        face = fonts._face("bold", "normal")
        kept = sorted((cache / "fonts").iterdir())
        assert kept and all(p.stat().st_mode & 0o077 == 0 for p in kept) and face.units and face.em == 2048.0
        for entry in kept:
            entry.write_bytes(b"\x00 damaged")
        fresh()
        assert fonts.width(text, 10, "bold") == read  # read from the font again ...
        assert all(entry.read_bytes() != b"\x00 damaged" for entry in kept)  # ... and kept again
        fresh()
        monkeypatch.setattr(fonts._Face, "_read", lambda *_: pytest.fail("the font was read, not the cache"))
        assert fonts.width(text, 10, "bold") == read and fonts._face("bold", "normal").units == face.units
    finally:
        fresh()
