"""The status review for management (`kit export --review`) and the report's "Progress since the workshop".

The samples go through the CLI once each (module fixture), their pages land in artifacts/review/ to be
looked at; a small hostile workshop checks that a feedback entry and a measurement note stay literal in
the PDF, the HTML and the CSV, and that who attended a follow-up stays out unless names are asked for.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

import kit
from kit import tracking
from kit.report.sections import Report
from test_report import ROOT, export_sample, page_sizes, parse, pdf_text, squash

ARTIFACTS = ROOT / "artifacts" / "review"
HOSTILE = ["<script>alert(1)</script>", "& % $ # _ { } ~ ^ \\", "=HYPERLINK(\"http://x\")", "Grüße 🎉",
           "שלום עולם"]
ATTENDEE = "Gerlinde Hoppenstedt"


@pytest.fixture(scope="module", params=["de", "en"])
def review(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    exported = export_sample(request.param, tmp_path_factory.mktemp(f"review_{request.param}"), ARTIFACTS,
                             "--review", "--quiet")
    with kit.open(exported["path"]) as ws:
        facts = {"kpis": [k["criterion"] for k in ws.kpis], "idea": ws.ideas.all(), "upcoming": tracking.upcoming(ws)}
    return {**exported, **facts}


@pytest.mark.browser
def test_the_review_is_two_to_four_pages_for_management(review) -> None:
    assert 2 <= len(page_sizes(review["pdf"])) <= 4
    text = squash(review["text"])
    for criterion in review["kpis"]:
        assert squash(criterion)[:30] in text
    words = {"de": ["Statusbericht", "ImPlan", "NichtimPlan", "Zielerreicht", "Überfällig", "Nächste Termine",
                    "Was sich seit dem Workshop geändert hat", "DemTeamerzählt"],
             "en": ["Statusreview", "Ontrack", "Offtrack", "Targetreached", "Late", "Nextdates",
                    "Whatchangedsincetheworkshop", "Sharedwiththestaff"]}[review["lang"]]
    for word in words:
        assert squash(word).lower() in text.lower(), word  # the kicker is set in capitals
    chosen = next(i for i in review["idea"] if i["selected"])
    for entry in chosen["feedback_log"]:
        assert squash(entry["said"])[:40] in text
    assert squash(review["upcoming"][-1]["topic"])[:30] in text


@pytest.mark.browser
def test_the_review_shows_what_changed_since_the_workshop(review) -> None:
    text = squash(review["text"])
    added = {"de": "Danke-Karte nach der dritten pünktlichen Rate",
             "en": "Photo of the rebuilt room sent to the planner"}[review["lang"]]
    removed = {"de": "Zahlungserinnerung per Messenger", "en": "Fixed-price event bundles sold online"}[review["lang"]]
    assert squash(added) in text and squash(removed) in text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    """A workshop whose feedback entry and measurement note are hostile, after one held follow-up."""
    from kit import report

    folder = tmp_path_factory.mktemp("hostile_review")
    path = folder / "h.workshop"
    joined = " | ".join(HOSTILE)
    with kit.new(path, title="Review", language="de", actor="tester", date="2026-10-01") as ws:
        ws.snapshot(tracking.WORKSHOP_END)
        ws.kpis.add(criterion="Quote", baseline_value=30, baseline_date="2026-10-01", target_value=40,
                    target_date="2027-04-01", unit="%",
                    measurements=[{"date": "2026-11-30", "value": 33, "note": joined}])
        idea = ws.ideas.add(text="Karte", selected=True)
        tracking.add_feedback(ws, idea, date="2026-11-20", said=joined, channel=HOSTILE[1], score=-2)
        followup = ws.followups.add(kind="team_session", date="2026-11-04T09:00")
        tracking.mark_held(ws, followup, when="2026-11-04T09:00", attendees=[ATTENDEE], learned="gelernt")
        ws.canvas("value_proposition").add("pains", "neu nach dem Workshop")
        pdf, page_html = folder / "h.pdf", folder / "h.html"
        report.export(ws, pdf, page_html, progress=False, review=True, since="2026-11-01")
        csv_folder = folder / "csv"
        csv_folder.mkdir()
        ws.kpis.to_csv(csv_folder / "kpis.csv")
        ws.ideas.to_csv(csv_folder / "ideas.csv")
    return {"pdf": pdf, "html": page_html, "csv": csv_folder, "joined": joined, "text": pdf_text(pdf),
            "logical": pdf_text(pdf, raw=False)}


@pytest.mark.browser
def test_hostile_feedback_and_notes_are_literal_in_pdf_html_and_csv(hostile) -> None:
    text, logical = squash(hostile["text"]), squash(hostile["logical"])
    for value in HOSTILE:
        assert text.count(squash(value)) + logical.count(squash(value)) >= 2, value  # the entry and the note
    markup = hostile["html"].read_text(encoding="utf-8")
    parsed = parse(markup)
    assert not [t for t, _ in parsed.tags if t == "script"]
    assert "".join(parsed.text).count(hostile["joined"]) == 2
    with open(hostile["csv"] / "kpis.csv", encoding="utf-8", newline="") as fh:
        (kpi,) = csv.DictReader(fh)
    assert json.loads(kpi["measurements"])[0]["note"] == hostile["joined"]
    with open(hostile["csv"] / "ideas.csv", encoding="utf-8", newline="") as fh:
        (idea,) = csv.DictReader(fh)
    assert json.loads(idea["feedback_log"])[0]["said"] == hostile["joined"]


@pytest.mark.browser
def test_who_attended_stays_out_of_the_review(hostile) -> None:
    assert "Hoppenstedt" not in hostile["text"]
    assert "Hoppenstedt" not in hostile["html"].read_text(encoding="utf-8")
    assert "gelernt" in squash(hostile["text"])  # what was learned is shown


def test_the_workshop_report_gains_progress_once_a_follow_up_was_held(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    with kit.demo(path, "en", actor="t") as ws:
        held = tracking.held(ws)
    with Report(path) as report:
        progress = report.section("progress").html
    assert "Progress since the workshop" in progress and "On track" in progress
    assert "What changed since the workshop" in progress and "photo of the rebuilt room" in progress.lower()
    with kit.open(path, actor="t") as ws:
        for followup in held:
            ws.followups.update(followup["id"], held_at=None)
    with Report(path) as report:
        assert report.section("progress").html.strip() == ""


def test_done_in_this_period_comes_from_the_change_log(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "d.workshop"
    with kit.new(path, title="d", language="en", actor="t") as ws:
        done = ws.actions.add(what="done today")
        ws.actions.add(what="still open")
        ws.actions.update(done, status="done")
    yesterday, today = (dt.date.today() - dt.timedelta(days=1)).isoformat(), dt.date.today().isoformat()
    with Report(path, since=yesterday) as report:
        assert [a["what"] for a in report._review_todos()["done"]] == ["done today"]
    with Report(path, since=today) as report:  # the protected copy's own history must not count
        assert report._review_todos()["done"] == []


def test_the_helper_process_builds_the_reviews_chapters_as_this_one_would(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from kit.report import build, sections

    # `kit export` forks before its first thread; this test process may have others left by earlier tests
    monkeypatch.setattr(build, "_can_fork", lambda: True)
    with kit.demo(tmp_path / "r.workshop", "de", actor="tester") as ws:
        alone = build.run(build.for_workshop(ws, review=True))
        with build.Run(build.cells(ws.location, review=True)) as run:
            helped = [run.code[n] for n in run.helped]
            shared = run.wait(build.for_workshop(ws, review=True))
    assert [cell.section for cell in helped] == list(sections.REVIEW_SECTIONS)  # while nbconvert imports

    def shown(nb: Any) -> list[tuple[int, str, str]]:  # the charts' SVG has no time stamp or ids: all of it
        return [(o["execution_count"], o["data"]["text/plain"], o["data"].get("text/html", ""))
                for cell in nb.cells for o in cell.outputs]
    assert shown(shared) == shown(alone)
    (kpis,) = [cell for cell in shared.cells if build._section(cell) == "review_kpis"]
    assert "<svg" in kpis.outputs[0]["data"]["text/html"]


def test_the_cli_writes_the_reviews_notebook_and_refuses_since_without_review(tmp_path: Path) -> None:
    from kit.report import build
    from test_errors import kit_cli

    path = tmp_path / "n.workshop"
    with kit.new(path, title="n", language="de", actor="t") as ws:
        ws.kpis.add(criterion="Zahlungsquote <b>", baseline_value=31, baseline_date="2026-06-01", target_value=40,
                    target_date="2027-06-01", measurements=[{"date": "2026-11-20", "value": 33}])
    alone = kit_cli("export", str(path), "--since", "2026-11-01", "--pdf", str(tmp_path / "r.pdf"))
    assert alone.returncode == 2 and not (tmp_path / "r.pdf").exists()
    assert alone.stderr.strip().splitlines() == [
        "kit: error: --since applies only to the status review: add --review or leave out --since"]
    bad = kit_cli("export", str(path), "--review", "--since", "neulich", "--notebook", str(tmp_path / "b.ipynb"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "since" in bad.stderr
    assert not (tmp_path / "b.ipynb").exists()
    done = kit_cli("export", str(path), "--review", "--since", "2026-11-01", "--notebook", str(tmp_path / "r.ipynb"))
    assert done.returncode == 0, done.stderr
    import nbformat

    nb = nbformat.read(str(tmp_path / "r.ipynb"), as_version=4)
    sections = [c.metadata[build.METADATA_KEY]["section"] for c in nb.cells if build.METADATA_KEY in c.metadata]
    assert sections == list(build.REVIEW_SECTIONS) and "since='2026-11-01'" in nb.cells[0].source
    shown = "".join(o.get("data", {}).get("text/html", "") for c in build.run(nb).cells for o in c.get("outputs", []))
    assert "Zahlungsquote &lt;b&gt;" in shown
