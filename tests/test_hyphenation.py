"""German compounds break at syllables with a hyphen: in the static figures (pyphen in the
word wrap) and in the printed report (soft hyphens before Chromium prints; the HTML keeps
the text exactly as written)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from matplotlib.text import Text

import kit
from kit import render
from kit.render.hyphenation import hyphenator, page_language, soft_hyphens
from kit.render.style import Measure

COMPOUND = "Ratenvereinbarungsbestätigungsschreiben"


def breaks(word: str) -> set[int]:
    """Positions pyphen allows a German break at."""
    hyphens = hyphenator("de")
    assert hyphens is not None
    return set(hyphens.positions(word))


def test_wrap_breaks_a_compound_at_syllables_with_a_hyphen() -> None:
    measure = Measure("de")
    lines, cut = measure.wrap(COMPOUND, 0.9, 9, 8)
    assert not cut and len(lines) >= 2
    assert "".join(line.removesuffix("-") for line in lines) == COMPOUND
    allowed = breaks(COMPOUND)
    done = 0
    for line in lines[:-1]:
        assert line.endswith("-"), lines
        done += len(line) - 1
        assert done in allowed, (line, lines)
        assert measure.width(line, 9) <= 0.9


def test_wrap_without_a_dictionary_still_breaks_by_width() -> None:
    lines, _ = Measure(None).wrap("x" * 60, 0.5, 9, 20)
    assert len(lines) > 1 and "".join(lines) == "x" * 60 and not any(line.endswith("-") for line in lines)


def test_figure_note_with_a_long_compound_is_hyphenated(tmp_path: Path) -> None:
    with kit.new(tmp_path / "de.workshop", title="Silben", language="de", actor="t") as ws:
        canvas = ws.canvas("value_proposition")
        canvas.add("pains", f"Die {COMPOUND} kommt zu spät")
        fig = render.canvas_figure(canvas)
    notes = [a.get_text() for a in fig.findobj(Text) if a.get_gid() == "note"]
    (shown,) = [n for n in notes if "Die" in n]
    lines = shown.split("\n")
    broken = [line for line in lines if line.endswith("-")]
    assert broken, lines
    allowed = breaks(COMPOUND)
    for line in broken:  # every break is a syllable break of the compound
        head = line.rsplit(" ", 1)[-1].removesuffix("-")
        start = max(COMPOUND.find(head), 0)
        assert start + len(head) in allowed, (line, lines)


def test_soft_hyphens_touch_only_user_text() -> None:
    page = ('<html lang="de"><head><style>.Ratenvereinbarung{color:red}</style></head><body>'
            '<h2>Ratenvereinbarung</h2><p title="Ratenvereinbarung" class="lead u">Ratenvereinbarung &amp; '
            '<b>Inkassobranche</b><br>&Auml;rger</p>'
            '<img src="data:image/png;base64,QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="><pre>Ratenvereinbarung</pre>'
            '<td class="u">Zahlungsvereinbarung</td><span class="unit">Ratenvereinbarung</span>'
            "<script>Ratenvereinbarung</script></body></html>")
    out = soft_hyphens(page)
    assert page_language(page) == "de"
    assert out.replace("\u00ad", "") == page
    assert '<p title="Ratenvereinbarung" class="lead u">Ra\u00adten\u00adver\u00adein\u00adba\u00adrung &amp;' in out
    assert "<b>In\u00adkas\u00adso\u00adbran\u00adche</b>" in out  # inside the user text's element
    assert "<td class=\"u\">Zah\u00adlungs" in out
    # not: headings, attributes, styles, data, pre, a class merely starting with u, scripts
    assert out.count("\u00ad") == 5 + 4 + 5
    assert soft_hyphens(page.replace('lang="de"', 'lang="xx"')) == page.replace('lang="de"', 'lang="xx"')


@pytest.mark.browser
def test_printed_pdf_breaks_a_compound_with_a_hyphen(tmp_path: Path) -> None:
    from kit.report.exporter import WorkshopPDFExporter, default_chromium

    if not Path(default_chromium()).exists():
        pytest.skip("no Chromium")
    page = (f'<html lang="de"><body><p class="u" style="width:32mm;font-size:14pt;hyphens:auto">{COMPOUND} '
            f"und Inkassobranche</p></body></html>")
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(WorkshopPDFExporter().run_playwright(page))
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    broken = [line for line in lines if line.endswith(("-", "\u00ad", "\u2010"))]  # U+2010: hyphens.js
    assert broken, lines
    allowed = breaks(COMPOUND)
    first = broken[0].rstrip("-\u00ad\u2010")
    assert COMPOUND.startswith(first) and len(first) in allowed, lines


def test_the_parsed_dictionary_is_kept_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyphen


    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenator.cache_clear()
    try:
        parsed = hyphenator("de")
        assert parsed is not None
        [kept] = (tmp_path / "workshop-kit").iterdir()
        assert kept.stat().st_mode & 0o077 == 0  # the user's own
        pyphen.hdcache.clear()
        hyphenator.cache_clear()
        read = hyphenator("de")
        assert read is not None and read.hd is not parsed.hd and read.hd.patterns == parsed.hd.patterns
        assert read.inserted(COMPOUND) == parsed.inserted(COMPOUND)
        kept.write_bytes(b"\x00 not what the kit wrote")  # a damaged copy only means parsing again
        pyphen.hdcache.clear()
        hyphenator.cache_clear()
        again = hyphenator("de")
        assert again is not None and again.inserted(COMPOUND) == parsed.inserted(COMPOUND)
        assert kept.read_bytes() != b"\x00 not what the kit wrote"  # written again
    finally:
        hyphenator.cache_clear()
