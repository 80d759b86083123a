"""Static figures (kit.render): every canvas and chart renders, stays readable with many notes,
shows bad input literally, and says "no notes yet" on an empty workshop. PNGs land in
artifacts/render/ - look at them."""
from __future__ import annotations

import html
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import kit
from kit import render
from kit.canvases import available
from kit.i18n import t
from kit.render.style import ELLIPSIS, MIN_FONT

CANVASES = ["value_proposition", "touchpoint_map", "empathy_map", "observation_board", "hypothesis_board",
            "idea_board"]
CHARTS = ["emotion_curve", "gap_heatmap", "observations_chart", "evidence_chart"]
NOTE_ROLES = {"note", "detail", "footer", "badge", "overflow"}
SVG = "{http://www.w3.org/2000/svg}"
BAD = ["<script>alert(1)</script>", "& % $ # _ { } ~ ^ \\", "$x^2$ and $\\alpha$", "Grüße aus Köln, Straße ß",
       "שלום עולם", "مرحبا بالعالم", "Emoji 😀🎉👍", "<img src=x onerror=alert(1)>", "\\textbf{x} %comment"]


@pytest.fixture
def out(artifacts: Path) -> Path:
    folder = artifacts / "render"
    folder.mkdir(exist_ok=True)
    return folder


def texts(fig: Figure) -> list[Text]:
    return [a for a in fig.findobj(Text) if a.get_text()]


def save(fig: Figure, path: Path) -> bytes:
    png = render.to_png(fig, dpi=110)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    path.write_bytes(png)
    return png


def squash(s: str) -> str:
    """Whitespace and hyphens out: a long word breaks at a syllable with a hyphen (kit.render.hyphenation)."""
    return re.sub(r"[\s\u00ad-]+", "", s)


def shows_literally(fig: Figure, original: str) -> bool:
    """Some Text holds ``original`` unchanged, or a leading part of it ending in an ellipsis
    (wrapping only adds line breaks and syllable hyphens, so both are ignored in the comparison)."""
    want = squash(original)
    for artist in texts(fig):
        got = squash(artist.get_text())
        if got == want:
            return True
        if got.endswith(ELLIPSIS) and len(got) > 4 and want.startswith(got[:-1]):
            return True
    return False


def assert_readable(fig: Figure) -> list[Text]:
    """No note text below the minimum size, no two note texts overlapping."""
    renderer = fig.canvas.get_renderer()
    notes = [a for a in texts(fig) if a.get_gid() in NOTE_ROLES]
    assert notes
    for artist in notes:
        assert artist.get_fontsize() >= MIN_FONT, (artist.get_text(), artist.get_fontsize())
    boxes = [(a, a.get_window_extent(renderer)) for a in notes]
    width, height = fig.canvas.get_width_height()
    for i, (a, box) in enumerate(boxes):
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, a.get_text()
        for b, other in boxes[i + 1:]:
            overlap_w = min(box.x1, other.x1) - max(box.x0, other.x0)
            overlap_h = min(box.y1, other.y1) - max(box.y0, other.y0)
            assert overlap_w <= 1 or overlap_h <= 1, f"{a.get_text()!r} overlaps {b.get_text()!r}"
    return notes


# ---------------------------------------------------------------------------------- samples
def test_every_sample_canvas_renders(sample, out: Path) -> None:
    lang = sample.language
    assert set(CANVASES) <= set(available())
    for canvas_id in CANVASES:
        canvas = sample.canvas(canvas_id)
        fig = render.canvas_figure(canvas)
        save(fig, out / f"{canvas_id}_{lang}.png")
        shown = " ".join(a.get_text() for a in texts(fig))
        assert canvas.title in shown
        for area in canvas.areas:  # area names in the workshop language
            assert shown.count(area["title"][:6]) >= 1, area["title"]
        assert_readable(fig) if canvas.items() else None
        visible = [i for i in canvas.items() if not i.get("hidden")]
        cut = sum(len(v) for v in fig.kit_overflow.values())
        # every note is on the figure (literally or ellipsised) unless listed as overflow
        drawn = sum(shows_literally(fig, i[canvas.text_field]) for i in visible)
        assert drawn + cut >= len(visible), canvas_id


def test_value_proposition_shows_fit_coverage_and_evidence(sample) -> None:
    canvas = sample.canvas("value_proposition")
    fig = render.canvas_figure(canvas)
    lang = sample.language
    shown = [a.get_text() for a in texts(fig)]
    for target, entry in canvas.fit_coverage().items():
        line = t("render.coverage", lang, addressed=len(entry["addressed"]), total=entry["total"],
                 area=canvas.area(target)["title"])
        assert line in shown
    counts = canvas.evidence_counts()
    flagged = [i for i, c in counts.items() if not (c["supports"] or c["contradicts"])]
    badges = [a.get_text() for a in texts(fig) if a.get_gid() == "badge"]
    no_evidence = t("render.no_evidence", lang)
    assert sum(no_evidence in b for b in badges) == len(flagged)
    backed = [c for c in counts.values() if c["supports"] or c["contradicts"]]
    assert sum(b.startswith("✓") for b in badges) == len(backed)
    unaddressed = {i for c in canvas.fit_coverage().values() for i in c["unaddressed"]}
    assert unaddressed, "the samples leave some pains unaddressed on purpose"
    # the unaddressed notes have the red outline
    from matplotlib.patches import FancyBboxPatch

    red = [p for p in fig.findobj(FancyBboxPatch) if p.get_linewidth() >= 2.0]
    assert len(red) >= len(unaddressed)
    # whose framework it is, bottom right, clear of the legend
    (owner,) = [a for a in texts(fig) if a.get_gid() == "attribution"]
    assert owner.get_text() == "Value Proposition Canvas: Strategyzer AG (strategyzer.com)"
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = owner.get_window_extent(renderer)
    assert box.x1 <= fig.bbox.x1 and not any(box.overlaps(a.get_window_extent(renderer))
                                             for a in texts(fig) if a.get_gid() == "legend")
    assert not [a for a in texts(render.canvas_figure(sample.canvas("empathy_map"))) if a.get_gid() == "attribution"]


def test_charts_render_from_samples(sample, out: Path) -> None:
    for name in CHARTS:
        fig = getattr(render, name)(sample)
        save(fig, out / f"{name}_{sample.language}.png")
    shown = " ".join(a.get_text() for a in texts(render.evidence_chart(sample)))
    for hypothesis in sample.hypotheses:
        first_words = " ".join(hypothesis["statement"].split()[:3])
        assert first_words in shown


def test_svg_and_html(sample) -> None:
    canvas = sample.canvas("value_proposition")
    svg = render.to_svg(render.canvas_figure(canvas))
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    snippet = render.canvas_html(canvas)
    assert snippet.startswith('<img src="data:image/png;base64,') and canvas.title in snippet


# ---------------------------------------------------------------------------------- many notes
def test_150_notes_stay_readable(ws, out: Path) -> None:
    vpc = ws.canvas("value_proposition")
    for n in range(150):
        vpc.add("pains", f"Pain number {n}: waiting on hold for a long time while the music repeats", rank=n % 5 + 1)
    for n in range(12):
        vpc.add("pain_relievers", f"Reliever {n}")
    fig = render.canvas_figure(vpc)
    save(fig, out / "many_notes_vpc.png")
    notes = assert_readable(fig)
    hidden = fig.kit_overflow["pains"]
    shown = 150 - len(hidden)
    assert 10 <= shown < 150 and len(hidden) == 150 - shown
    overflow = [a.get_text() for a in notes if a.get_gid() == "overflow"]
    assert t("render.more", "en", n=len(hidden)) in overflow
    assert "pain_relievers" not in fig.kit_overflow  # the 12 relievers all fit

    board = ws.canvas("observation_board")
    ws.observations.add_many([{"text": f"Observation {n} " + "word " * (n % 30), "who": "Segment A"}
                              for n in range(150)])
    fig = render.canvas_figure(board)
    save(fig, out / "many_notes_board.png")
    assert_readable(fig)
    assert len(fig.kit_overflow["behaviour"]) > 0
    limited = render.canvas_figure(vpc, max_notes_per_area=5)
    assert len(limited.kit_overflow["pains"]) == 145


# ---------------------------------------------------------------------------------- bad input
def test_bad_input_renders_literally(ws, out: Path) -> None:
    vpc = ws.canvas("value_proposition")
    long = "Lange " + "x" * 100_000
    for text in [*BAD, long]:
        vpc.add("pains", text)
        vpc.add("products", text, color="<script>")
    for text in BAD:
        ws.observations.add(text=text, who=text, touchpoint=text)
        ws.hypotheses.add(kind="pain", statement=text)
        ws.touchpoints.add(stage="contact", name=text, channel=text, owner=text, emotion={text: 1},
                           ist_rating=2, soll_target=4)
    for canvas_id in CANVASES:
        fig = render.canvas_figure(ws.canvas(canvas_id), max_notes_per_area=None)
        save(fig, out / f"bad_input_{canvas_id}.png")
        render.to_svg(fig)
        for artist in texts(fig):  # user text is never parsed as mathtext
            assert artist.get_parse_math() is False or not re.search(r"[$\\^_]", artist.get_text())
    fig = render.canvas_figure(vpc)
    for text in BAD:
        assert shows_literally(fig, text), text
    cut = [a.get_text() for a in texts(fig) if a.get_text().startswith("Lange")]
    assert cut and all(s.endswith(ELLIPSIS) and len(s) < 1000 for s in cut)
    board = render.canvas_figure(ws.canvas("observation_board"))
    for text in BAD:
        assert shows_literally(board, text), text
    for name in CHARTS:
        fig = getattr(render, name)(ws)
        save(fig, out / f"bad_input_{name}.png")
        for artist in texts(fig):
            assert artist.get_parse_math() is False or not re.search(r"[$\\^_]", artist.get_text())
    snippet = render.canvas_html(vpc)
    assert "<script>" not in snippet.split('alt="', 1)[1]
    assert html.escape("<script>") not in snippet  # the alt text holds counts, not user text


# ---------------------------------------------------------------------------------- empty
def test_empty_workshop_renders_with_hints(ws, out: Path) -> None:
    hint = t("render.no_notes", "en")
    for canvas_id in CANVASES:
        fig = render.canvas_figure(ws.canvas(canvas_id))
        save(fig, out / f"empty_{canvas_id}.png")
        assert any(hint in a.get_text() for a in texts(fig)), canvas_id
        assert fig.kit_overflow == {}
    for name in CHARTS:
        fig = getattr(render, name)(ws)
        save(fig, out / f"empty_{name}.png")
        assert any(a.get_text() == t("render.no_data", "en") for a in texts(fig)), name


def test_german_labels_on_a_german_workshop(tmp_path: Path) -> None:
    with kit.new(tmp_path / "de.workshop", title="Leer", language="de") as ws:
        fig = render.canvas_figure(ws.canvas("value_proposition"))
        shown = [a.get_text() for a in texts(fig)]
        assert "Kundenprofil" in shown and "Schmerzen" in shown and "Noch keine Notizen" in shown


def test_unknown_layout_is_refused(ws) -> None:
    canvas = ws.canvas("empathy_map")
    canvas.declaration = {**canvas.declaration, "layout": "spiral"}
    with pytest.raises(ValueError, match="spiral"):
        render.canvas_figure(canvas)


def test_where_colours_mean_something_the_figure_has_their_legend_and_a_plain_note_is_paper(ws, out: Path) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    from kit.render.style import PAPER

    canvas = ws.canvas("idea_feedback")  # colours are channels (color_labels), columns are scores
    canvas.add("score_plus_1", "by phone", color="#cfe3ff")
    canvas.add("score_plus_1", "channel not known")
    fig = render.canvas_figure(canvas)
    save(fig, out / "idea_feedback_legend.png")
    legend = [a.get_text() for a in texts(fig) if a.get_gid() == "legend"]
    assert legend == ["Phone", "In person", "Email or letter", "Online or review", "Survey"]
    faces = {p.get_facecolor() for p in fig.findobj(Patch)}
    swatches = [to_rgba(c) for c in canvas.declaration["colors"]]
    assert all(s in faces for s in swatches) and to_rgba(PAPER) in faces  # the plain note: no channel's colour
    fill = [p.get_facecolor() for p in fig.findobj(Patch) if p.get_facecolor() in swatches]
    assert len(fill) == len(swatches) + 1  # the swatches and the phone note; the plain note took no channel's


# ---------------------------------------------------------------------------------- the report's SVG
def svg_texts(svg: str) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter(f"{SVG}text")]  # noqa: S314 - the kit's own drawing


def inside(text: ET.Element, rects: list[ET.Element]) -> bool:
    """The text line's box (its anchor, exact length, ascent and descent) lies within one of ``rects``."""
    x, y, size = float(text.get("x", 0)), float(text.get("y", 0)), float(text.get("font-size", 0))
    length = float(text.get("textLength", 0))
    left = {"start": x, "middle": x - length / 2, "end": x - length}[text.get("text-anchor", "start")]
    top, bottom = y - 0.76 * size, y + 0.24 * size
    return any(float(r.get("x", 0)) - 0.01 <= left and left + length <= float(r.get("x", 0)) + float(r.get("width", 0))
               + 0.01 and float(r.get("y", 0)) - 0.01 <= top and bottom <= float(r.get("y", 0))
               + float(r.get("height", 0)) + 0.01 for r in rects)


def test_report_svg_notes_stay_inside_their_notes_and_text_is_literal(ws, sample) -> None:
    """canvas_svg (the report's drawing, no matplotlib): every line of a note lies inside a note, at its
    measured length; hostile text is escaped text, never markup; the VPC names its owner."""
    vpc = ws.canvas("value_proposition")
    for n in range(150):
        vpc.add("pains", f"Pain number {n}: waiting on hold for a long time while the music repeats", rank=n % 5 + 1)
    for text in [*BAD, "Lange " + "x" * 100_000, "BEL\x07here"]:
        vpc.add("products", text, color="<script>")
    for canvas in (vpc, *(sample.canvas(c) for c in CANVASES)):
        svg, overflow = render.canvas_svg(canvas)
        assert overflow == render.canvas_figure(canvas).kit_overflow  # the same layout as the PNG's
        texts = svg_texts(svg)
        notes = [r for r in ET.fromstring(svg).iter(f"{SVG}rect") if r.get("rx")]  # noqa: S314 - as above
        for text in texts:
            if text.get("data-role") in NOTE_ROLES - {"overflow"}:
                assert inside(text, notes), (canvas.id, text.text)
            assert float(text.get("font-size", 0)) >= MIN_FONT or text.get("data-role") not in NOTE_ROLES
    svg, _ = render.canvas_svg(vpc)
    assert "<script" not in svg and "\x07" not in svg and "BEL\ufffdhere" in svg
    shown = " ".join(t.text or "" for t in svg_texts(svg))
    for text in BAD:  # unchanged apart from where a line wraps
        assert squash(text)[:12] in squash(shown), text
    (owner,) = [t for t in svg_texts(svg) if t.get("data-role") == "attribution"]
    assert owner.text == vpc.attribution
    assert "matplotlib" not in subprocess.run(
        [sys.executable, "-c", "import sys, kit\nfrom kit import render\nws = kit.open(sys.argv[1])\n"
         "render.canvas_svg(ws.canvas('touchpoint_map'))\nrender.chart_svg('emotion_curve', ws)\n"
         "print(*sys.modules)", str(sample.location)], capture_output=True, text=True, check=True).stdout.split()


def test_report_charts_as_svg_match_the_figures(sample) -> None:
    """chart_svg draws the same chart as the Figure the notebooks show: the same lines of text."""
    for name in CHARTS:
        svg = render.chart_svg(name, sample)
        figure = sorted(line for a in texts(getattr(render, name)(sample)) for line in a.get_text().split("\n"))
        assert sorted(t.text or "" for t in svg_texts(svg)) == figure, name
