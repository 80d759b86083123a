"""The workshop report: `kit export` and `jupyter nbconvert --to workshop_pdf` on real Chromium.

Exports run once per workshop (module fixtures) and the tests read the files: pdftotext -raw
for the text (content order, so a table cell's lines stay together), pdfinfo for page
sizes, pdftoppm for page images in artifacts/report/, the stdlib HTML parser for markup.
Text comparisons drop whitespace, bidi controls and hyphens on both sides: the PDF breaks
lines wherever the layout needs, and pdftotext joins a word broken after a hyphen.
"""
from __future__ import annotations

import html.parser
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

import kit
from kit import i18n
from kit.report import build

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "report"
NASTY = ["<script>alert(1)</script>", "& % $ # _ { } ~ ^ \\", "Grüße aus Köln: Maß, Übel, Äpfel, Straße",
         "Feier 🎉🙂 im Büro", "שלום עולם", "مرحبا بالعالم"]
NASTY_TITLE = 'Bericht "Nord" </style><script>alert(2)</script> & ß 🎉'


def env() -> dict[str, str]:
    return {**os.environ, "KIT_USER": "tester", "MPLBACKEND": "Agg"}


def kit_cli(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True,
                          env={**env(), **(extra_env or {})}, timeout=300)


def pdf_text(pdf: Path, raw: bool = True) -> str:
    """The PDF's text; ``raw`` keeps content order (tables), otherwise poppler restores the
    logical order of right-to-left runs, which raw mode leaves in visual order."""
    return subprocess.run(["pdftotext", *(["-raw"] if raw else []), "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """Whitespace, invisible bidi controls and hyphens (soft, U+2010 as Chromium prints a syllable break, ASCII)
    out: line breaks in a PDF fall anywhere."""
    return re.sub(r"[\s\u00ad\u2010\u200e\u200f\u202a-\u202e\u2066-\u2069-]+", "", text)


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


class Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and all text as the browser would show it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> Tags:
    parser = Tags()
    parser.feed(markup)
    return parser


# ----------------------------------------------------------------------------- exports
def export_sample(lang: str, folder: Path, artifacts: Path, *options: str) -> dict[str, object]:
    """The sample in ``lang`` exported through the CLI as PDF and HTML, its pages kept in ``artifacts``."""
    path = folder / f"sample_{lang}.workshop"
    kit.demo(path, lang, actor="tester").close()
    pdf, page_html = folder / "report.pdf", folder / "report.html"
    done = kit_cli("export", str(path), *options, "--pdf", str(pdf), "--html", str(page_html))
    assert done.returncode == 0, done.stderr
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.glob(f"{lang}-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(artifacts / f"{lang}-page")], check=True)
    return {"lang": lang, "path": path, "pdf": pdf, "html": page_html, "stderr": done.stderr,
            "text": pdf_text(pdf)}


@pytest.fixture(scope="module", params=["de", "en"])
def sample_export(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Each sample exported through the CLI, as PDF and HTML, with the page images kept."""
    return export_sample(request.param, tmp_path_factory.mktemp(f"report_{request.param}"), ARTIFACTS)


@pytest.mark.browser
def test_cli_export_writes_a_pdf_and_html_with_progress(sample_export) -> None:
    assert sample_export["pdf"].read_bytes().startswith(b"%PDF-")
    assert "<html" in sample_export["html"].read_text(encoding="utf-8")[:500]
    assert "report" in sample_export["stderr"] and "%" in sample_export["stderr"]  # tqdm's bar
    assert "Traceback" not in sample_export["stderr"]


@pytest.mark.browser
def test_pdf_text_splits_words_only_where_lines_break(sample_export) -> None:
    """Soft hyphens hyphenate on paper; the PDF's text keeps a hyphen only at the end of a line
    (pages in artifacts/report/), so copying and searching see whole words."""
    text = pdf_text(sample_export["pdf"], raw=False)
    assert "\u00ad" not in sample_export["text"] and "\u00ad" not in text
    at_line_ends = re.findall(r"\w\u2010\n", text)
    assert len(at_line_ends) >= 5  # long words still break at syllables on paper
    assert text.count("\u2010") == len(at_line_ends), "a hyphen inside a line"


@pytest.mark.browser
def test_report_credits_the_value_proposition_canvas(sample_export) -> None:
    credit = "Value Proposition Canvas: Strategyzer AG (strategyzer.com)"
    assert i18n.t("attribution.value_proposition", sample_export["lang"]) == credit
    assert credit in sample_export["html"].read_text(encoding="utf-8")  # the chapter's line, and the figure's
    assert squash(credit) in squash(sample_export["text"])


@pytest.mark.browser
def test_pdf_holds_every_item_hypothesis_action_kpi_and_followup_date(sample_export) -> None:
    text = squash(sample_export["text"])
    lang = sample_export["lang"]
    with kit.open(sample_export["path"]) as ws:
        expected = {"canvas item": [i["text"] for i in ws.canvas_items],
                    "observation": [o["text"] for o in ws.observations],
                    "hypothesis": [h["statement"] for h in ws.hypotheses],
                    "touchpoint": [t["name"] for t in ws.touchpoints],
                    "idea": [i["text"] for i in ws.ideas],
                    "action": [a["what"] for a in ws.actions],
                    "kpi": [k["criterion"] for k in ws.kpis],
                    "follow-up date": [i18n.format_datetime(f["date"], lang) for f in ws.followups],
                    "learning card": [c["learned"] for c in ws.learning_cards]}
        title = ws.info["title"]
    assert all(expected.values()), "the sample lacks a kind of record"
    missing = {kind: [v for v in values if squash(v) not in text] for kind, values in expected.items()}
    assert not any(missing.values()), missing
    assert squash(title) in text
    page = "Seite" if lang == "de" else "Page"
    pages = len(page_sizes(sample_export["pdf"]))
    assert squash(f"{page} 2 {'von' if lang == 'de' else 'of'} {pages}") in text


@pytest.mark.browser
def test_pdf_holds_the_evidence_curve_table(sample_export) -> None:
    text, lang = squash(sample_export["text"]), sample_export["lang"]
    assert squash(i18n.t("journey.table_title", lang)) in text
    assert squash(i18n.t("journey.flag_worse", lang)) in text


@pytest.mark.browser
def test_canvases_get_landscape_pages_in_story_order(sample_export) -> None:
    sizes = page_sizes(sample_export["pdf"])
    assert sizes[0] == pytest.approx((595, 842), abs=1)  # A4 portrait title page
    landscape = [n for n, (w, h) in enumerate(sizes, 1) if w > h]
    assert all((w, h) == pytest.approx((842, 595), abs=1) for w, h in sizes if w > h)
    # observation board, empathy map, hypothesis board, value proposition, touchpoint map, idea board
    assert len(landscape) == 6, landscape
    pages = sample_export["text"].split("\f")
    def first(heading: str) -> int:  # the first page with the heading as a line of its own
        return next(n for n, p in enumerate(pages, 1) if heading in (line.strip() for line in p.splitlines()))

    texts = kit.i18n.texts("report", sample_export["lang"])
    chapters = [texts[k] for k in ("agenda", "observations", "hypotheses", "learning", "fit", "ideas",
                                   "plan", "appendix")]
    order = [first(c) for c in chapters]
    assert order == sorted(order), dict(zip(chapters, order, strict=True))
    images = sorted(ARTIFACTS.glob(f"{sample_export['lang']}-page-*.png"))
    assert len(images) == len(sizes)


@pytest.mark.browser
def test_real_names_stay_out_by_default(sample_export) -> None:
    with kit.open(sample_export["path"]) as ws:
        interviews = ws.interviews.all()
    names = [i["real_name"] for i in interviews if i["real_name"]]
    assert names
    page_html = sample_export["html"].read_text(encoding="utf-8")
    for name in names:
        for part in (name, name.split()[-1]):
            assert part not in sample_export["text"], part
            assert part not in page_html, part
    assert all(squash(i["pseudonym"]) in squash(sample_export["text"]) for i in interviews)  # may break at a syllable


@pytest.mark.browser
def test_html_is_offline(sample_export) -> None:
    page_html = sample_export["html"].read_text(encoding="utf-8")
    tags = parse(page_html).tags
    assert not [t for t, _ in tags if t == "script"]
    loaded = [v for t, attrs in tags for k, v in attrs
              if k in ("src", "href") and v and re.match(r"\s*(https?:)?//", v)]
    assert not loaded
    assert not re.search(r"(url\(|@import)\s*['\"]?\s*(https?:)?//", page_html)


# ----------------------------------------------------------------------------- opt-ins
@pytest.mark.browser
def test_include_names_and_redact(tmp_path: Path) -> None:
    path = tmp_path / "de.workshop"
    with kit.demo(path, "de", actor="tester") as ws:
        names = [i["real_name"] for i in ws.interviews if i["real_name"]]
        secret = ws.info["client"].split()[0]  # "Nordwall"
    pdf, page_html = tmp_path / "named.pdf", tmp_path / "named.html"
    done = kit_cli("export", str(path), "--pdf", str(pdf), "--html", str(page_html), "--include-names",
                   "--redact", secret, "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # --quiet: no progress bar
    text, markup = pdf_text(pdf), page_html.read_text(encoding="utf-8")
    for name in names:
        assert squash(name) in squash(text) and name in markup
    assert secret.lower() not in text.lower() and secret.lower() not in markup.lower()
    assert "[geschwärzt]" in squash(text) and "[geschwärzt]" in markup


# ----------------------------------------------------------------------------- bad input
@pytest.fixture(scope="module")
def nasty(tmp_path_factory: pytest.TempPathFactory):
    """A small workshop whose every text is hostile, exported in-process (to see blocked requests)."""
    from kit import report
    from kit.report.exporter import WorkshopPDFExporter

    folder = tmp_path_factory.mktemp("nasty")
    path = folder / "nasty.workshop"
    joined = " | ".join(NASTY)
    with kit.new(path, title=NASTY_TITLE, language="de", actor="tester", client=joined,
                 facilitator="Moderatorin", teams=[NASTY[1], NASTY[4]], date="2026-03-14",
                 personas=[NASTY[3]]) as ws:
        vpc = ws.canvas("value_proposition")
        pain = vpc.add("pains", NASTY[0], rank=5)
        vpc.add("pain_relievers", NASTY[1], fit=[pain])
        for text in NASTY[2:]:
            vpc.add("gains", text)
        ws.canvas("empathy_map").add("says_does", joined)
        hypothesis = ws.hypotheses.add(kind="pain", statement=NASTY[0] + " H", test_question=NASTY[1])
        interview = ws.interviews.add(pseudonym="Person Alpha", real_name="Gerlinde Hoppenstedt",
                                      notes="Gerlinde Hoppenstedt sagt: " + NASTY[5])
        ws.evidence.add(interview=interview, hypothesis=hypothesis, stance="supports",
                        snippet="Frau Hoppenstedt: " + NASTY[4])
        ws.touchpoints.add(stage="contact", name=NASTY[3], ist_rating=2, soll_target=5, emotion={NASTY[3]: -1})
        ws.ideas.add(text=NASTY[2], selected=True, feedback=NASTY[1], stage="contact")
        ws.actions.add(what=NASTY[0] + " A", who=NASTY[4], due="2026-04-01")
        ws.kpis.add(criterion=NASTY[1] + " K", target=NASTY[5])
        ws.followups.add(kind="team_session", date="2026-04-11T09:00", topic=NASTY[3])
        pdf, page_html = folder / "nasty.pdf", folder / "nasty.html"
        report.export(ws, pdf, page_html, progress=False)
        probe = WorkshopPDFExporter()
        probe.run_playwright(page_html.read_text(encoding="utf-8"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("hostile-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(ARTIFACTS / "hostile-page")], check=True)
    return {"path": path, "pdf": pdf, "html": page_html, "blocked": probe.blocked_requests,
            "text": pdf_text(pdf), "logical": pdf_text(pdf, raw=False)}


@pytest.mark.browser
def test_hostile_text_is_literal_in_the_pdf(nasty) -> None:
    text, logical = squash(nasty["text"]), squash(nasty["logical"])
    for value in [*NASTY, NASTY_TITLE]:
        assert squash(value) in (logical if value in NASTY[4:] else text), value
    assert "Gerlinde" not in nasty["text"] and "Hoppenstedt" not in nasty["text"]
    assert squash("Frau Person Alpha") in text  # the surname alone became the pseudonym


@pytest.mark.browser
def test_hostile_text_is_escaped_in_the_html(nasty) -> None:
    markup = nasty["html"].read_text(encoding="utf-8")
    parsed = parse(markup)
    assert not [t for t, _ in parsed.tags if t == "script"], "a <script> element reached the HTML"
    handlers = [(t, k) for t, attrs in parsed.tags for k, _ in attrs if k.lower().startswith("on")]
    assert not handlers
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    shown = "".join(parsed.text)
    for value in NASTY:
        assert value in shown, value
    assert "Hoppenstedt" not in markup


@pytest.mark.browser
def test_pdf_engine_requests_nothing_from_the_network(nasty) -> None:
    assert nasty["blocked"] == []
    html_with_cdn = '<html><body><script src="https://cdn.example.org/x.js"></script>x</body></html>'
    from kit.report.exporter import WorkshopPDFExporter

    probe = WorkshopPDFExporter()
    probe.run_playwright(html_with_cdn)
    assert probe.blocked_requests == ["https://cdn.example.org/x.js"]  # the guard works
    from kit.report.chromium import CHROMIUM_FLAGS, OFFLINE_FLAGS, PlaywrightChromium, default_chromium

    with PlaywrightChromium(default_chromium(), [*CHROMIUM_FLAGS, *OFFLINE_FLAGS]) as windows:  # Windows' printer
        assert windows.pdf(html_with_cdn).startswith(b"%PDF")
    assert windows.blocked == ["https://cdn.example.org/x.js"]


# ----------------------------------------------------------------------------- nbconvert
@pytest.mark.browser
def test_jupyter_nbconvert_runs_the_report_notebook(nasty, tmp_path: Path) -> None:
    notebook = tmp_path / "report.ipynb"
    done = kit_cli("export", str(nasty["path"]), "--notebook", str(notebook))
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(str(notebook), as_version=4)
    assert build.needs_run(nb) and nb.metadata["kit_report"]["workshop"] == str(nasty["path"].resolve())
    for target, suffix in (("workshop_pdf", ".pdf"), ("workshop_html", ".html")):
        run = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", target, str(notebook)],
                             capture_output=True, text=True, env=env(), timeout=300)
        assert run.returncode == 0, run.stderr
        out = notebook.with_suffix(suffix)
        assert out.exists()
    assert squash(NASTY[0] + " A") in squash(pdf_text(notebook.with_suffix(".pdf")))
    markup = notebook.with_suffix(".html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; A" in markup and "Hoppenstedt" not in markup


def test_report_notebook_executes_in_a_kernel_like_in_process(nasty, tmp_path: Path) -> None:
    """The same cells give the same chapters whether run by kit (in-process) or by a kernel."""
    from nbclient import NotebookClient

    with kit.open(nasty["path"]) as ws:
        nb = build.for_workshop(ws)
    kernel = nbformat.from_dict(nb)
    NotebookClient(kernel, timeout=120, kernel_name="python3").execute()
    build.run(nb)
    def shown(cell: nbformat.NotebookNode) -> list[str]:  # figures differ only in random SVG ids
        return [re.sub(r"<svg.*?</svg>", "<svg/>", o.get("data", {}).get("text/html", ""), flags=re.S)
                for o in cell.outputs]

    assert [shown(c) for c in nb.cells] == [shown(c) for c in kernel.cells]
    assert any("text/html" in o.get("data", {}) for c in nb.cells for o in c.outputs)


# ----------------------------------------------------------------------------- units
def test_scrubber_replaces_names_and_redacted_words_case_insensitively() -> None:
    from kit.report.privacy import scrubber

    doc = {"interviews": [{"real_name": "Gerlinde Hoppenstedt", "pseudonym": "Person A"},
                          {"real_name": "Jo Mo", "pseudonym": "Person B"}, {"real_name": "", "pseudonym": "C"}]}
    scrub = scrubber(doc, include_names=False, redact=["Nordwall", " "], language="en")
    assert scrub("Frau HOPPENSTEDT, Gerlinde Hoppenstedt, Hoppenstedter, Jo Mo, nordwall-Gruppe") == \
        "Frau Person A, Person A, Hoppenstedter, Person B, [redacted]-Gruppe"
    keep = scrubber(doc, include_names=True, redact=[], language="de")
    assert keep("Gerlinde Hoppenstedt") == "Gerlinde Hoppenstedt"


def test_footer_text_cannot_leave_its_css_string() -> None:
    from kit.report.exporter import css_string

    escaped = css_string('a "b" </style> ß')
    assert not any(c in escaped for c in '"<>/')
    assert escaped.startswith("a \\000022 b\\000022  ")  # the space after an escape is its end


# ----------------------------------------------------------------------------- errors
def test_missing_browser_is_one_line_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "en.workshop"
    kit.demo(path, "en", actor="tester").close()
    out = tmp_path / "out.pdf"
    done = kit_cli("export", str(path), "--pdf", str(out), extra_env={"KIT_CHROMIUM": str(tmp_path / "nochrome")})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [f"kit: error: Chromium not found at {tmp_path / 'nochrome'}; install it with: "
                     "sudo apt-get install chromium (or set KIT_CHROMIUM)"]
    assert not out.exists()
    # the notebook's step runs the same command and shows its one line
    from kit import notebook

    monkeypatch.setenv("KIT_CHROMIUM", str(tmp_path / "nochrome"))
    with kit.open(path) as ws:
        shown = notebook.export_report(ws)
    assert shown.text == lines[0].removeprefix("kit: error: ") and "kit-error" in shown.markup
    assert not list(tmp_path.glob("*-export/report.pdf"))


def test_export_needs_an_output(tmp_path: Path) -> None:
    path = tmp_path / "en.workshop"
    kit.demo(path, "en", actor="tester").close()
    done = kit_cli("export", str(path))
    assert done.returncode == 2 and done.stderr.startswith("kit: error: say what to write")


def test_empty_workshop_reports_empty_tables_in_words(tmp_path: Path) -> None:
    from kit import report

    with kit.new(tmp_path / "e.workshop", title="Leer", language="de", actor="tester") as ws:
        written = report.export(ws, html=tmp_path / "e.html", progress=False)
    page = written["html"].read_text(encoding="utf-8")
    # to-do plan, KPIs, follow-ups and interviews each say so instead of showing a bare header
    assert page.count("Noch keine Einträge.") == 4


def _chapters(source: str) -> nbformat.NotebookNode:
    from nbformat.v4 import new_code_cell, new_notebook

    chapter = {build.METADATA_KEY: {"section": "observations"}}
    return new_notebook(cells=[new_code_cell("import os\nbase = 41"), new_code_cell("os.getpid()"),
                               new_code_cell(source, metadata=chapter), new_code_cell("None")])


def test_a_helper_process_draws_some_chapters_and_errors_still_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    # `kit export` forks before its first thread; this test process may have others left by earlier tests,
    # harmless for cells that only read os.getpid()
    monkeypatch.setattr(build, "_can_fork", lambda: True)
    done: list[str] = []
    with build.Run(build.cells_in(_chapters("(os.getpid(), base + 1)"))) as run:
        nb = run.wait(_chapters("(os.getpid(), base + 1)"), done.append)
    here = nb.cells[1].outputs[0]["data"]["text/plain"]
    helper, answer = eval(nb.cells[2].outputs[0]["data"]["text/plain"])  # noqa: S307 - our own repr of a tuple
    assert (answer, int(here)) == (42, os.getpid()) and helper != os.getpid()  # drawn in the other process
    assert [c.execution_count for c in nb.cells] == [1, 2, 3, 4] and done == ["", "", "observations", ""]
    with build.Run(build.cells_in(_chapters("1 / 0"))) as run, pytest.raises(ZeroDivisionError):
        run.wait(_chapters("1 / 0"))  # the helper failed: the chapter runs again here, where its error surfaces
    with build.Run(build.cells_in(_chapters("1 / 0"))) as run, pytest.raises(ValueError, match="not the ones"):
        run.wait(_chapters("2 / 1"))  # outputs go only into a notebook of the very cells drawn


@pytest.mark.browser
def test_chromium_leaves_no_process_or_profile_and_a_failed_start_is_one_line(tmp_path: Path) -> None:
    from kit.report.chromium import ReportError, launch

    with launch() as browser:
        assert browser.pdf("<html><body>x</body></html>").startswith(b"%PDF")
        profile, pid = Path(browser._profile), browser._pid
        assert profile.is_dir()
    assert not profile.exists()
    assert _ended(pid)  # its whole process group ended (at most zombies wait for their reaper)
    with launch("/bin/false") as broken, pytest.raises(ReportError) as failed:
        broken.pdf("<html></html>")
    assert str(failed.value).startswith("Chromium at /bin/false did not start") and "\n" not in str(failed.value)
    with launch("/bin/false") as broken, pytest.raises(ReportError) as failed:
        broken.prepare()  # the tab opens in a thread, which sees Chromium end; pdf() says so
        broken.pdf("<html></html>")
    assert str(failed.value).startswith("Chromium at /bin/false did not start") and "\n" not in str(failed.value)
    with launch() as browser:
        browser.prepare()
        pid = browser._pid
    assert _ended(pid) and not any(t.name == "kit-chromium-tab" for t in threading.enumerate())
    with launch() as browser:  # prepared and printing: the same PDF as without
        browser.prepare()
        assert browser.pdf("<html><body>x</body></html>").startswith(b"%PDF")


def _ended(group: int, within: float = 10.0) -> bool:
    """Every process of ``group`` has ended (killed ones take a moment to finish exiting on a busy machine;
    they are not our children, so there is no exit to wait for: look again until ``within`` seconds)."""
    deadline = time.monotonic() + within
    while _running_in_group(group):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _running_in_group(group: int) -> list[int]:
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, ...
        except OSError:  # ended meanwhile
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            running.append(int(stat.parent.name))
    return running


# ----------------------------------------------------------------------------- the page's skeleton
@pytest.mark.parametrize("review", [False, True], ids=["report", "review"])
def test_the_page_made_from_the_kept_skeleton_is_the_page_nbconvert_renders(sample, tmp_path: Path, review: bool,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from kit import report
    from kit.report import skeleton
    from kit.report.exporter import WorkshopHTMLExporter

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # no skeleton kept yet
    # the stand-ins themselves in the title: user text goes in after they are found, never replaced itself
    sample.set(title=f"{NASTY_TITLE} {skeleton.FOOTER} {skeleton.CHAPTERS} {skeleton.TITLE}")
    assert skeleton.cached(sample.language) is None
    first = report.export(sample, html=tmp_path / "first.html", progress=False, review=review)["html"]
    assert skeleton.cached(sample.language) is not None  # kept by the first export, read by the second
    second = report.export(sample, html=tmp_path / "second.html", progress=False, review=review)["html"]
    rendered, _ = WorkshopHTMLExporter().from_notebook_node(build.run(build.for_workshop(sample, review=review)))
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8") == rendered
    assert f"<title>{NASTY_TITLE.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}" in rendered


def test_a_damaged_or_outdated_skeleton_is_rendered_again(ws_de, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from kit import report
    from kit.report import skeleton

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    good = report.export(ws_de, html=tmp_path / "good.html", progress=False)["html"].read_text(encoding="utf-8")
    [kept] = (tmp_path / "cache" / "workshop-kit" / "pages").glob("de-*.html")
    assert kept.stat().st_mode & 0o077 == 0  # the user's own
    outdated = kept.with_name("de-0123456789abcdef0123.html")  # what an earlier template left
    kept.rename(outdated)
    kept.write_text("<html>no stand-in for the chapters</html>", encoding="utf-8")  # damaged
    again = report.export(ws_de, html=tmp_path / "again.html", progress=False)["html"].read_text(encoding="utf-8")
    assert again == good and skeleton.is_skeleton(kept.read_text(encoding="utf-8"))
    assert not outdated.exists()  # dropped once the new skeleton was kept


def test_an_export_with_the_skeleton_kept_imports_neither_nbconvert_nor_nbformat(tmp_path: Path) -> None:
    from test_errors import kit_cli

    sample_path = tmp_path / "sample.workshop"
    kit.demo(sample_path, "en", actor="tester").close()
    done = kit_cli("export", str(sample_path), "--html", str(tmp_path / "cli.html"), "--quiet")  # keeps the skeleton
    assert done.returncode == 0, done.stderr
    probe = ("import sys, kit\n"
             "from kit import report\n"
             f"with kit.open({str(sample_path)!r}) as ws:\n"
             f"    report.export(ws, html={str(tmp_path / 'probe.html')!r}, progress=False)\n"
             "print(sorted(m for m in ('nbconvert', 'nbformat', 'jsonschema') if m in sys.modules))\n")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env(), timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "[]"
    assert (tmp_path / "probe.html").read_bytes() == (tmp_path / "cli.html").read_bytes()
