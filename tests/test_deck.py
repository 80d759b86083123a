"""The editable slide deck: `kit export WS --pptx OUT.pptx [--template CORP.pptx]`.

Two decks per run: the German sample through the CLI (read back with python-pptx and rendered
once by LibreOffice Impress to PDF and PNG pages in artifacts/deck/), and a small hostile
workshop in-process on a corporate template. Expected values come from the kit's own functions
on the same protected copy the deck reads, so the deck must show exactly what the kit computes.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Pt

import kit
from inputs import STORABLE
from kit import i18n, journey, plan, synthesis, tracking
from kit.report import deck
from kit.report.privacy import protected_copy

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "deck"
NASTY = ["<script>alert(1)</script>", "& % $ # _ { } ~ ^ \\", "Feier 🎉🙂 im Büro", "שלום עולם", "مرحبا بالعالم",
         "ＡＤＭＩＮ Аdmin"]  # full-width and Cyrillic look-alikes
REAL_NAME = "Gerlinde Hoppenstedt"


def kit_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "KIT_USER": "tester", "MPLBACKEND": "Agg"})


def slide_texts(slide) -> list[str]:
    """Every text on a slide: shapes' paragraphs (line breaks as written) and table cells."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out += [p.text for p in shape.text_frame.paragraphs]
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return out


def titled(prs, *titles: str) -> list:
    return [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text in titles]


def charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    """The German sample's deck through the CLI, its protected copy for the expected values, and
    LibreOffice's rendering of it."""
    folder = tmp_path_factory.mktemp("deck")
    path, out = folder / "sample.workshop", folder / "sample.pptx"
    kit.demo(path, "de", actor="tester").close()
    done = kit_cli("export", str(path), "--pptx", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    with kit.open(path, actor="tester") as ws, protected_copy(ws) as safe:
        yield {"prs": Presentation(str(out)), "path": out, "ws": safe, "folder": folder,
               "real_names": [i["real_name"] for i in ws.interviews if i["real_name"]]}


def test_every_canvas_note_is_on_its_slide_exactly_once(sample) -> None:
    prs, ws = sample["prs"], sample["ws"]
    title = ws.canvas("value_proposition").title
    slides = titled(prs, title, i18n.t("deck.continued", "de", title=title))
    assert slides
    notes = ws.canvas("value_proposition").items()
    placed = {}
    for slide in slides:
        assert i18n.t("attribution.value_proposition", "de") in slide_texts(slide)
        names = {shape.name: shape for shape in slide.shapes}
        assert {"value map", "customer profile"} <= set(names)
        for note in notes:
            if f"note {note['id']}" in names:
                assert note["id"] not in placed, "a note on two slides"
                placed[note["id"]] = slide
                shape = names[f"note {note['id']}"]
                assert shape.text_frame.paragraphs[0].text == note["text"]
                assert all(r.font.size >= Pt(12) for p in shape.text_frame.paragraphs for r in p.runs)
                assert sum(t.count(note["text"]) for t in slide_texts(slide)) == 1
    assert set(placed) == {n["id"] for n in notes}
    for slide in slides:  # stickies overlap neither each other nor the square's or the circle's outline
        names = {shape.name: shape for shape in slide.shapes}
        square, circle = names["value map"], names["customer profile"]
        boxes = [(s.left, s.top, s.left + s.width, s.top + s.height) for s in slide.shapes
                 if s.name.startswith("note ")]
        for n, a in enumerate(boxes):
            assert all(a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1] for b in boxes[n + 1:])
            inside_square = square.left < a[0] and a[2] < square.left + square.width and \
                square.top < a[1] and a[3] < square.top + square.height
            cx, cy, r = circle.left + circle.width / 2, circle.top + circle.height / 2, circle.width / 2
            inside_circle = all((x - cx) ** 2 + (y - cy) ** 2 < r * r for x in (a[0], a[2]) for y in (a[1], a[3]))
            assert inside_square or inside_circle
    # rank and evidence count on the sticky, fit links as connectors glued to both notes
    counts = ws.canvas("value_proposition").evidence_counts()
    ranked = next(n for n in notes if n["rank"] and n["hypothesis"] and n["area"] == "pains")
    sticky = next(s for s in placed[ranked["id"]].shapes if s.name == f"note {ranked['id']}")
    found = counts[ranked["id"]]
    assert sticky.text_frame.paragraphs[1].text.replace("\u00a0", " ") == \
        f"Schwere {ranked['rank']} · Belege +{found['supports']} −{found['contradicts']}"
    links = [(n["id"], target) for n in notes for target in n["fit"] if placed[n["id"]] is placed.get(target)]
    connectors = [s for slide in slides for s in slide.shapes if s.name == "fit"]
    assert links and len(connectors) == len(links)
    glued = connectors[0]._element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
    assert glued.find(qn("a:stCxn")) is not None and glued.find(qn("a:endCxn")) is not None


def test_emotion_curves_equal_kit_journey(sample) -> None:
    prs, ws = sample["prs"], sample["ws"]
    canvas = ws.canvas("touchpoint_map")
    curves = journey.by_stage(ws, [s["id"] for s in canvas.areas], canvas.items())
    checked = 0
    for persona, points in curves.items():
        found = titled(prs, i18n.t("deck.curve", "de", persona=persona))
        if not any(p.n or p.team is not None for p in points):
            assert not found
            continue
        (chart,) = charts(found[0])
        mean, team = chart.plots[0].series
        assert list(mean.values) == [p.as_dict()["mean"] for p in points]
        assert list(team.values) == [p.as_dict()["team"] for p in points]
        assert [str(c) for c in chart.plots[0].categories] == [f"{s['title']} (n={p.n})"
                                                               for s, p in zip(canvas.areas, points, strict=True)]
        bars = mean._element.find(qn("c:errBars"))
        plus = [float(v.text) for v in bars.find(qn("c:plus")).iter(qn("c:v"))]
        assert plus == pytest.approx([p.band[1] - p.mean if p.band else 0 for p in points], abs=1e-3)
        flagged = [s["title"] for s, p in zip(canvas.areas, points, strict=True) if p.flag]
        caption = next(s for s in found[0].shapes if s.name == "flags").text_frame.text
        assert all(stage in caption for stage in flagged)
        speaker = found[0].notes_slide.notes_text_frame.text
        for p in points:
            for q in p.quotes:
                assert q.pseudonym in speaker and q.snippet in speaker
        checked += bool(flagged)
    assert checked, "the sample has flagged stages"
    for name in sample["real_names"]:
        assert all(name not in s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)


def chart_dates(chart) -> list[dt.date]:
    """A date axis's categories (serial day numbers in the chart's data) as dates."""
    return [dt.date(1899, 12, 30) + dt.timedelta(days=int(float(c))) for c in chart.plots[0].categories]


def test_evidence_and_kpi_charts_equal_the_kit(sample) -> None:
    prs, ws = sample["prs"], sample["ws"]
    (chart,) = charts(titled(prs, i18n.t("deck.evidence_chart", "de"))[0])
    data = synthesis.evidence_chart_data(ws)
    supporting, contradicting = chart.plots[0].series
    assert list(supporting.values) == [r["supporting_interviews"] for r in data]
    assert list(contradicting.values) == [r["contradicting_interviews"] for r in data]
    trends = titled(prs, i18n.t("deck.kpi_trend", "de"))
    measured = [k for k in ws.kpis if k["measurements"]]
    assert len(trends) == len(measured)
    since = tracking.last_review(ws, before=dt.date.today())
    statuses = set()
    for slide, kpi in zip(trends, measured, strict=True):
        (chart,) = charts(slide)
        values, path = chart.plots[0].series
        dates = chart_dates(chart)
        by_date = {dt.date.fromisoformat(m["date"]): m["value"] for m in kpi["measurements"]}
        assert [v for v in values.values if v is not None] == [m["value"] for m in kpi["measurements"]]
        assert [v for d, v in zip(dates, values.values, strict=True) if v is not None] == \
            [by_date[d] for d in dates if d in by_date]
        # the target path: baseline on its date, the target on the target date, the straight line between
        assert dates[0] == min(dt.date.fromisoformat(kpi["baseline_date"]), *by_date)
        assert dates[-1] == max(dt.date.fromisoformat(kpi["target_date"]), *by_date)
        assert list(path.values) == pytest.approx([tracking.expected(kpi, d) for d in dates], abs=0.006)
        assert path.values[-1] == kpi["target_value"] and path.name == i18n.t("deck.target_path", "de")
        assert kpi["criterion"] in slide_texts(slide)
        status = tracking.kpi_status(kpi, since)
        statuses.add(status)
        assert any(i18n.t(f"report.kpi_{status}", "de") in t for t in slide_texts(slide))
    assert len(statuses) > 1, "the sample's KPIs differ in status"


def _table_rows(prs, title: str) -> list[list[str]]:
    rows = []
    for slide in titled(prs, title, i18n.t("deck.continued", "de", title=title)):
        (table,) = [s.table for s in slide.shapes if s.has_table]
        rows += [[cell.text for cell in row.cells] for row in list(table.rows)[1:]]
    return rows


def test_tables_equal_todo_rows_and_kpis(sample) -> None:
    prs, ws = sample["prs"], sample["ws"]
    columns = ("who", "what", "start", "due", "budget", "status")
    assert _table_rows(prs, i18n.t("deck.todo", "de")) == [[str(r[c]) for c in columns] for r in plan.todo_rows(ws)]
    since = tracking.last_review(ws, before=dt.date.today())
    kpis = _table_rows(prs, i18n.t("deck.kpis", "de"))
    rows = tracking.kpi_rows(ws, since)
    assert len(kpis) == len(rows)
    for cells, r in zip(kpis, rows, strict=True):
        criterion, baseline, target, unit, frequency, owner, latest, status = cells
        assert criterion == r["criterion"] + (f"\n{r['target']}" if r["target"] else "")
        assert baseline == f"{i18n.format_number(r['baseline_value'], 'de')}\n" \
                           f"{i18n.format_date(r['baseline_date'], 'de')}"
        assert target == f"{i18n.format_number(r['target_value'], 'de')}\n{i18n.format_date(r['target_date'], 'de')}"
        assert (unit, frequency, owner) == (r["unit"], r["frequency"], r["owner"])
        assert latest == f"{i18n.format_number(r['latest']['value'], 'de')}\n" \
                         f"{i18n.format_date(r['latest']['date'], 'de')}"
        assert status == i18n.t(f"report.kpi_{tracking.kpi_status(r, since)}", "de")
    chosen = plan.chosen_idea(ws)
    idea = slide_texts(titled(prs, i18n.t("deck.idea", "de"))[0])
    assert chosen["text"] in idea and chosen["feedback"] in idea
    assert chosen["feedback_log"]
    log = _table_rows(prs, i18n.t("deck.idea", "de"))
    assert log == [[i18n.format_date(e["date"], "de"), e["channel"], e["said"], f"+{e['score']}" if e["score"] > 0
                    else str(e["score"]).replace("-", "\u2212"), i18n.format_date(e["shared_with_staff"], "de")
                    if e["shared_with_staff"] else "noch nicht"] for e in chosen["feedback_log"]]


def test_names_stay_out_of_the_whole_file(sample) -> None:
    with zipfile.ZipFile(sample["path"]) as package:
        xml = b"".join(package.read(n) for n in package.namelist() if n.endswith(".xml"))
    assert sample["real_names"]
    for name in sample["real_names"]:
        assert name.encode() not in xml


@pytest.mark.slow
def test_libreoffice_renders_every_slide(sample) -> None:
    """LibreOffice Impress (headless, private profile) prints every slide; pages land in artifacts/deck/."""
    soffice = shutil.which("soffice")
    assert soffice, "libreoffice-impress is missing (make system installs it)"
    folder = sample["folder"]
    done = subprocess.run([soffice, f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(folder), str(sample["path"])],
                          capture_output=True, text=True, timeout=300)
    pdf = folder / "sample.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(len(sample["prs"].slides))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Strategyzer AG" in text and "Value Proposition Canvas" in text
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    shutil.copy(pdf, ARTIFACTS / "sample-de.pdf")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "slide")], check=True)
    assert len(list(ARTIFACTS.glob("slide-*.png"))) == len(sample["prs"].slides)


# ----------------------------------------------------------------------------- hostile text, a template
def corporate_template(path: Path) -> Path:
    """A 4:3 template whose theme sets its own fonts and accent colour, with a slide of its own."""
    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "Template slide"
    theme = prs.slide_masters[0].part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    blob = theme.blob.replace(b'typeface="Calibri"', b'typeface="Liberation Serif"')
    theme._blob = blob.replace(b'<a:srgbClr val="4F81BD"/>', b'<a:srgbClr val="8E2C48"/>', 1)
    prs.save(str(path))
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile-deck")
    texts = [*NASTY, *STORABLE.values()]
    with kit.new(folder / "h.workshop", title=NASTY[0], language="en", actor="tester", client=NASTY[1],
                 personas=[NASTY[2]]) as ws:
        vpc = ws.canvas("value_proposition")
        pain = vpc.add("pains", NASTY[0], rank=5)
        vpc.add("pain_relievers", NASTY[1], fit=[pain])
        for value in texts[2:]:
            vpc.add("gains", value)
        tp = ws.touchpoints.add(stage="contact", name=NASTY[3], emotion={NASTY[2]: -1})
        interview = ws.interviews.add(pseudonym="Person Alpha", real_name=REAL_NAME, segment=NASTY[2])
        hypothesis = ws.hypotheses.add(kind="pain", statement=NASTY[4])
        ws.evidence.add(interview=interview, hypothesis=hypothesis, stance="supports", touchpoint=tp, experience=-2,
                        snippet="Frau Hoppenstedt: " + NASTY[5])
        ws.observations.add(text=STORABLE["long"], kind="quote")
        ws.observations.add(text="Projekt Adlerhorst: Adler sagt nein", kind="behaviour")
        ws.actions.add(what=NASTY[0], who=NASTY[5])
        ws.kpis.add(criterion=NASTY[1], measurements=[{"date": "2026-01-31", "value": 1.5, "note": NASTY[3]}])
        idea = ws.ideas.add(text=NASTY[2], selected=True, feedback=STORABLE["script"], stage="contact")
        tracking.add_feedback(ws, idea, date="2026-02-01", channel=NASTY[0], said=NASTY[4] + " " + NASTY[1],
                              score=-2)
        out = deck.export(ws, folder / "h.pptx", template=corporate_template(folder / "corp.pptx"), redact=["Adler"])
    return {"prs": Presentation(str(out)), "path": out, "texts": texts, "template": Presentation(str(folder /
                                                                                                     "corp.pptx"))}


def test_hostile_text_is_literal(hostile) -> None:
    prs = hostile["prs"]
    shown = [t for slide in prs.slides for t in slide_texts(slide)]
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    joined = "".join(shown)
    for value in hostile["texts"]:
        if value == STORABLE["long"]:
            # 100,000 characters: an observation's table rows and the canvas's "long notes" slides, each cut at
            # line ends into pieces that join to it exactly (the sticky shows its beginning and an ellipsis)
            pieces = [t for t in shown if t and set(t) == {"Ä"}]
            assert "".join(pieces) == value * 2
            assert any(t.startswith("ÄÄÄ") and t.endswith("…") for t in shown)
            continue
        assert value.replace("\n", "\v") in shown or value.replace("\n", "\v") in joined, value[:40]
    assert "Frau Person Alpha: " + NASTY[5] in notes  # the quote under the pseudonym, surname replaced
    log = [[c.text for c in row.cells] for slide in prs.slides for shape in slide.shapes if shape.has_table
           for row in shape.table.rows]
    assert ["1 Feb 2026", NASTY[0], NASTY[4] + " " + NASTY[1], "\u22122", "not yet"] in log  # a feedback entry
    assert f"31 Jan 2026: 1.5 – {NASTY[3]}" in notes.splitlines()  # a measurement's note, under the KPI's chart
    with zipfile.ZipFile(hostile["path"]) as package:
        xml = b"".join(package.read(n) for n in package.namelist())
    assert b"Hoppenstedt" not in xml and b"Gerlinde" not in xml
    assert "Projekt [redacted]horst: [redacted] sagt nein" in shown and b"Adler" not in xml  # --redact as the report
    assert b"<script>" not in xml  # escaped text, never markup


def test_template_layouts_fonts_and_colours(hostile) -> None:
    prs, template = hostile["prs"], hostile["template"]
    assert (prs.slide_width, prs.slide_height) == (template.slide_width, template.slide_height)
    names = {layout.name for layout in template.slide_layouts}
    assert all(slide.slide_layout.name in names for slide in prs.slides)
    assert "Template slide" not in [t for slide in prs.slides for t in slide_texts(slide)]
    assert prs.slides[0].shapes.title.text == NASTY[0]
    runs = [r for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs]
    assert runs and all(r.font.name is None for r in runs)  # the theme's fonts
    assert all(r.font.size is None or r.font.size >= Pt(12) for r in runs)
    chart = next(shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart)
    assert str(chart.plots[0].series[0].format.fill.fore_color.rgb if chart.chart_type == 51 else
               chart.plots[0].series[0].format.line.color.rgb) == "8E2C48"


def test_an_unreadable_template_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "w.workshop"
    kit.new(path, title="T", language="en", actor="tester").close()
    (tmp_path / "corp.pptx").write_text("not a deck")
    done = kit_cli("export", str(path), "--pptx", str(tmp_path / "out.pptx"), "--template", str(tmp_path / "corp.pptx"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "corp.pptx" in done.stderr
    assert not (tmp_path / "out.pptx").exists()


def test_nbconvert_exporter_builds_the_deck_of_a_report_notebook(tmp_path: Path) -> None:
    """`jupyter nbconvert --to workshop_pptx report.ipynb`, registered like the report's exporters."""
    from nbconvert.exporters import get_exporter
    from nbformat.v4 import new_notebook

    from kit.errors import UsageError
    from kit.report import build

    path = tmp_path / "w.workshop"
    with kit.new(path, title="Nordwall & Co", language="de", actor="tester") as ws:
        ws.observations.add(text="Adler sieht alles", kind="behaviour")
        nb = build.for_workshop(ws, redact=["Adler"])
    exporter = get_exporter("workshop_pptx")()
    data, _ = exporter.from_notebook_node(nb)
    prs = Presentation(io.BytesIO(data))
    assert prs.slides[0].shapes.title.text == "Nordwall & Co"
    assert "[geschwärzt] sieht alles" in [t for slide in prs.slides for t in slide_texts(slide)]
    with kit.open(path, actor="tester") as ws:
        review = build.for_workshop(ws, review=True, since="2026-11-01")
    data, _ = exporter.from_notebook_node(review)
    facts = slide_texts(Presentation(io.BytesIO(data)).slides[1])
    assert "Berichtszeitraum ab: 01.11.2026" in facts  # the status-review deck, with the notebook's since
    with pytest.raises(UsageError):
        exporter.from_notebook_node(new_notebook())


# ----------------------------------------------------------------------------- the status-review deck
@pytest.fixture(scope="module")
def review_deck(sample):
    """`kit export --review --pptx` of the German sample through the CLI (the workshop deck's workshop)."""
    folder = sample["folder"]
    out = folder / "review.pptx"
    done = kit_cli("export", str(folder / "sample.workshop"), "--review", "--pptx", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    return {"prs": Presentation(str(out)), "path": out}


def test_review_deck_shows_the_review(sample, review_deck) -> None:
    prs, ws = review_deck["prs"], sample["ws"]
    since = tracking.last_review(ws, before=dt.date.today())
    assert since
    facts = slide_texts(titled(prs, f"Statusbericht · {i18n.format_date(dt.date.today(), 'de')}")[0])
    rows = tracking.kpi_rows(ws, since)
    on_track = sum(r["status"] in ("on_track", "reached") for r in rows)
    assert f"{on_track}/{len(rows)} Kennzahlen im Plan oder am Ziel" in facts
    assert f"Berichtszeitraum ab: {i18n.format_date(since, 'de')}" in facts
    # KPIs: table statuses and every trend chart as in the workshop deck, status by kit.tracking since the review
    kpis = _table_rows(prs, "Kennzahlen im Verlauf")
    assert [r[-1] for r in kpis] == [i18n.t(f"report.kpi_{r['status']}", "de") for r in rows]
    trends = titled(prs, i18n.t("deck.kpi_trend", "de"))
    measured = [k for k in ws.kpis if k["measurements"]]
    assert len(trends) == len(measured)
    for slide, kpi in zip(trends, measured, strict=True):
        (chart,) = charts(slide)
        values, path = chart.plots[0].series
        assert [v for v in values.values if v is not None] == [m["value"] for m in kpi["measurements"]]
        assert list(path.values) == pytest.approx([tracking.expected(kpi, d) for d in chart_dates(chart)], abs=0.006)
        assert any(i18n.t(f"report.kpi_{tracking.kpi_status(kpi, since)}", "de") in t for t in slide_texts(slide))
    # to-dos: late first, each group's rows in kit.tracking's order, the budget used above
    groups: dict[str, list[list[str]]] = {}
    for row in _table_rows(prs, "To-dos"):
        group = row[0] or list(groups)[-1]  # a group's name on its first row only
        groups.setdefault(group, []).append(row)
    actions = tracking.actions_late_first(ws)
    late = [a["what"] for a in actions if a["late"]]
    upcoming = [a["what"] for a in actions if not a["late"] and a["status"] in ("open", "doing")][:8]
    late_group, done_group, next_group = groups
    assert late and late_group == f"Überfällig ({len(late)})" and next_group == "Als Nächstes"
    done = [r for r in groups[done_group] if r[1] != "Noch keine Einträge."]
    assert done_group == f"Erledigt im Berichtszeitraum ({len(done)})" and all(r[-1] == "erledigt" for r in done)
    assert [r[1] for r in groups[late_group]] == late and all(r[-1] == "überfällig" for r in groups[late_group])
    assert [r[1] for r in groups[next_group]] == (upcoming or ["Noch keine Einträge."])
    assert any(t.startswith("Budget: ") for t in slide_texts(titled(prs, "To-dos")[0]))
    # the chosen idea's feedback log, literal
    chosen = plan.chosen_idea(ws)
    log = _table_rows(prs, "Rückmeldungen zur umgesetzten Idee")
    assert [r[2] for r in log] == [e["said"] for e in chosen["feedback_log"]]
    assert any(r[-1] == "noch nicht" for r in log)
    # what changed since the workshop, and the next dates
    changed = tracking.since_workshop(ws)
    notes = [r[2] for r in _table_rows(prs, "Was sich seit dem Workshop geändert hat")]
    for c in changed["canvases"].values():
        assert all(t in notes for t in c["added"] + c["removed"])
        assert all(f"{new}\nvorher: {old}" in notes for old, new in c["changed"])
    assert [r[4] for r in _table_rows(prs, "Nächste Termine")] == [f["topic"] for f in tracking.upcoming(ws)[:6]]


def test_review_deck_names_attendees_only_when_asked(sample, review_deck, tmp_path: Path) -> None:
    held = _table_rows(review_deck["prs"], "Durchgeführte Folgetermine")
    assert held and all(len(r) == 3 for r in held)  # when, kind, learned: no one who attended
    with kit.open(sample["folder"] / "sample.workshop", actor="tester") as ws:
        attended = [", ".join(f["attendees"]) for f in tracking.held(ws)]
        named = Presentation(str(deck.export(ws, tmp_path / "named.pptx", review=True, include_names=True)))
    assert any(attended)
    assert [r[3] for r in _table_rows(named, "Durchgeführte Folgetermine")] == attended
