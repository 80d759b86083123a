"""The evidence curve equals a hand computation; old files gain the new evidence fields."""
from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest

import kit
from kit import journey
from kit.store import SCHEMA_VERSION

STAGES = ["contact", "service"]


@pytest.fixture
def fixture_ws(ws: kit.Workshop) -> kit.Workshop:
    """Anna: three interviews; Ben: one; Cem: none. Scores chosen so the numbers are easy by hand."""
    ws.set(personas=["Anna", "Ben", "Cem"])
    call = ws.touchpoints.add(stage="contact", name="Erstes Telefonat", emotion={"Anna": 1, "Ben": 0})
    letter = ws.touchpoints.add(stage="contact", name="Brief", emotion={"Anna": 1})
    hotline = ws.touchpoints.add(stage="service", name="Hotline", emotion={"Anna": -1, "Ben": 0})
    i1 = ws.interviews.add(pseudonym="A", real_name="Sabine Kröger", segment="Anna")
    i2 = ws.interviews.add(pseudonym="B", segment="Anna")
    i3 = ws.interviews.add(pseudonym="C", segment="Anna ")  # stray space: still Anna
    i4 = ws.interviews.add(pseudonym="D", segment="Ben")
    i5 = ws.interviews.add(pseudonym="E")  # no persona: not on any curve
    for interview, touchpoint, score in [(i1, call, -2), (i1, letter, -1), (i1, hotline, 0), (i2, call, 0),
                                         (i3, call, -1), (i3, hotline, -1), (i4, hotline, 2), (i4, call, None),
                                         (i5, call, 2)]:
        ws.evidence.add(interview=interview, snippet=f"snippet {interview}/{touchpoint}", stance="new_insight",
                        touchpoint=touchpoint, experience=score)
    ws.evidence.add(interview=i2, snippet="no touchpoint", stance="new_insight", experience=-2)
    return ws


def test_stage_curve_equals_hand_computation(fixture_ws: kit.Workshop) -> None:
    curves = journey.by_stage(fixture_ws, STAGES)
    assert list(curves) == ["Anna", "Ben", "Cem"]
    anna_contact, anna_service = curves["Anna"]
    # Anna at contact: interview means -1.5 (A: -2 and -1), 0 (B), -1 (C)
    assert anna_contact.n == 3
    assert anna_contact.mean == pytest.approx(-2.5 / 3)
    deviations = [-1.5 + 2.5 / 3, 0 + 2.5 / 3, -1 + 2.5 / 3]
    assert anna_contact.spread == pytest.approx(math.sqrt(sum(d * d for d in deviations) / 2))
    assert anna_contact.team == 1 and anna_contact.flag == "worse"  # we thought it was fine
    assert sorted(q.score for q in anna_contact.quotes) == [-2, -1, -1, 0]
    assert anna_service.n == 2 and anna_service.mean == pytest.approx(-0.5)
    assert anna_service.spread == pytest.approx(math.sqrt(0.5))
    assert anna_service.team == -1 and anna_service.flag == ""  # 0.5 apart
    ben_contact, ben_service = curves["Ben"]
    assert ben_contact.n == 0 and ben_contact.mean is None and ben_contact.flag == ""  # unscored snippet only
    assert ben_service.n == 1 and ben_service.mean == 2 and ben_service.spread is None
    assert ben_service.band is None and ben_service.flag == "better"
    assert all(p.n == 0 and p.mean is None and p.team is None for p in curves["Cem"])


def test_touchpoint_points_and_band(fixture_ws: kit.Workshop) -> None:
    call = next(t["id"] for t in fixture_ws.touchpoints if t["name"] == "Erstes Telefonat")
    point = journey.by_touchpoint(fixture_ws)["Anna"][call]
    assert (point.n, point.mean, point.spread, point.team) == (3, -1.0, 1.0, 1)
    assert point.band == (-2.0, 0.0)
    assert point.flag == "worse"
    wide = journey.summarise({1: [2], 2: [-2], 3: [2]})
    assert wide.band is not None and wide.band[1] == 2  # clipped to the scale


def test_flag_rule_boundary() -> None:
    assert journey.flag(0.0, 1.0) == "worse"
    assert journey.flag(2.0, 1.0) == "better"
    assert journey.flag(0.01, 1.0) == ""
    assert journey.flag(None, 1.0) == journey.flag(1.0, None) == ""


def test_curve_state_is_json_ready_and_uses_pseudonyms(fixture_ws: kit.Workshop) -> None:
    state = journey.curve_state(fixture_ws, STAGES)
    text = json.dumps(state, ensure_ascii=False)
    assert "Sabine" not in text and "Kröger" not in text
    anna = state["personas"][0]
    assert anna["name"] == "Anna" and anna["has_evidence"]
    assert anna["points"][0] == {**anna["points"][0], "stage": "contact", "n": 3, "mean": -0.83, "team": 1,
                                 "flag": "worse"}
    assert {q["pseudonym"] for q in anna["points"][0]["quotes"]} == {"A", "B", "C"}
    assert [p["has_evidence"] for p in state["personas"]] == [True, True, False]
    assert [journey_row[:2] for journey_row in journey.flagged(fixture_ws, STAGES)] == [("Anna", "contact"),
                                                                                          ("Ben", "service")]


def test_score_out_of_range_names_the_field(ws: kit.Workshop) -> None:
    iv = ws.interviews.add(pseudonym="A")
    with pytest.raises(kit.ValidationError, match=r"evidence\.experience must be -2\.\.2, got 3"):
        ws.evidence.add(interview=iv, snippet="x", stance="new_insight", experience=3)
    with pytest.raises(kit.ValidationError, match=r"evidence\.touchpoint refers to touchpoint 9"):
        ws.evidence.add(interview=iv, snippet="x", stance="new_insight", touchpoint=9)
    assert len(ws.evidence) == 0


def test_removing_a_touchpoint_keeps_the_snippet(ws: kit.Workshop) -> None:
    iv = ws.interviews.add(pseudonym="A")
    tp = ws.touchpoints.add(stage="contact", name="Anruf")
    e = ws.evidence.add(interview=iv, snippet="x", stance="new_insight", touchpoint=tp, experience=-1)
    ws.touchpoints.remove(tp)
    assert ws.evidence[e]["touchpoint"] is None and ws.evidence[e]["experience"] == -1


def test_old_file_without_the_new_columns_opens_and_gains_them(tmp_path: Path) -> None:
    path = tmp_path / "old.workshop"
    with kit.new(path, title="Alt", language="de", actor="t") as ws:
        iv = ws.interviews.add(pseudonym="A")
        ws.evidence.add(interview=iv, snippet="„alt“", stance="new_insight")
    with sqlite3.connect(path) as con:  # the schema-1 evidence table had neither column
        con.execute("ALTER TABLE evidence DROP COLUMN experience")
        con.execute("ALTER TABLE evidence DROP COLUMN touchpoint")
        con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.close()
    with kit.open(path, actor="t") as ws:
        (old,) = ws.evidence.all()
        assert old["snippet"] == "„alt“" and old["touchpoint"] is None and old["experience"] is None
        tp = ws.touchpoints.add(stage="contact", name="Anruf")
        ws.evidence.update(old["id"], touchpoint=tp, experience=-2)
        ws.undo()
        assert ws.evidence[old["id"]]["experience"] is None
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as con:
        columns = [row[1] for row in con.execute('PRAGMA table_info("evidence")')]
        version = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    con.close()
    assert columns[-2:] == ["touchpoint", "experience"] and version == str(SCHEMA_VERSION)
    with kit.open(path, actor="t") as ws:
        assert ws.store._upgrade() == []  # a current file is only read


# ---------------------------------------------------------------------------------- the static figures
def _texts(fig: object) -> list[str]:
    from matplotlib.text import Text

    return [a.get_text() for a in fig.findobj(Text) if a.get_text()]  # type: ignore[attr-defined]


def _rings(fig: object) -> int:
    """Red rings drawn around flagged points."""
    from matplotlib.lines import Line2D

    return len([line for line in fig.findobj(Line2D) if line.get_gid() == "flag"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["de", "en"])
def test_chart_and_map_show_n_estimate_flags_and_no_evidence(fixture_ws: kit.Workshop, language: str,
                                                             artifacts: Path) -> None:
    from kit import i18n, render

    fixture_ws.set(language=language)
    folder = artifacts / "journey"
    folder.mkdir(exist_ok=True)
    chart = render.emotion_curve(fixture_ws)
    (folder / f"fixture_emotion_curve_{language}.png").write_bytes(render.to_png(chart, dpi=90))
    shown = _texts(chart)
    assert {"n=3", "n=2", "n=1"} <= set(shown)  # Anna at contact and service, Ben at service
    assert i18n.t("journey.key_team", language) in shown and i18n.t("journey.key_flag", language) in shown
    assert "Ben" in shown and "Anna" in shown and "Cem" not in " ".join(shown)  # Cem: nothing to draw
    assert i18n.t("journey.no_point", language) in shown
    assert _rings(chart) == 2  # Anna at contact, Ben at service
    board = render.canvas_figure(fixture_ws.canvas("touchpoint_map"))
    (folder / f"fixture_touchpoint_map_{language}.png").write_bytes(render.to_png(board, dpi=90))
    assert {"n=3", "n=2", "n=1"} <= set(_texts(board))
    assert _rings(board) == 2


def test_persona_with_only_an_estimate_says_so(ws: kit.Workshop) -> None:
    from kit import i18n, render

    ws.touchpoints.add(stage="contact", name="Anruf", emotion={"Cem": 1})
    shown = _texts(render.emotion_curve(ws))
    assert "Cem (no interview evidence)" in shown and not any(s.startswith("n=") for s in shown)
    board = _texts(render.canvas_figure(ws.canvas("touchpoint_map")))
    assert i18n.t("journey.no_evidence_lane", "en") in board


# ---------------------------------------------------------------------------------- the report
@pytest.mark.parametrize("language", ["de", "en"])
def test_report_chapter_has_the_curve_and_the_table_under_pseudonyms(tmp_path: Path, language: str) -> None:
    from kit import i18n
    from kit.report.sections import Report

    with kit.demo(tmp_path / "s.workshop", language, actor="t") as ws:
        real_names = [i["real_name"] for i in ws.interviews]
        pseudonyms = {i["pseudonym"] for i in ws.interviews}
    with Report(tmp_path / "s.workshop") as report:
        markup = report.section("touchpoints").html
    assert i18n.t("journey.table_title", language) in markup
    assert markup.count("<svg") >= 3  # the map, the emotion chart, the gap heatmap (text drawn as paths)
    # en: 5 since a follow-up call at the service stage was coded after the workshop
    assert markup.count('class="point flagged"') == (3 if language == "de" else 5)
    assert i18n.t("journey.flag_worse", language).replace("'", "&#39;") in markup
    assert all(name not in markup for name in real_names)
    assert any(f"— <span class=\"u\" dir=\"auto\">{p}</span>" in markup for p in pseudonyms)
    decimal = "," if language == "de" else "."
    # signed with a real minus, one decimal, in the language's style
    assert f"\u22121{decimal}3" in markup or f"\u22121{decimal}2" in markup


def test_notebook_table_in_numbers(fixture_ws: kit.Workshop) -> None:
    from kit import notebook

    shown = notebook.evidence_curve(fixture_ws)
    assert "Anna" in shown.text and "We thought it was fine; they said otherwise" in shown.text
    assert "Better than we thought" in shown.text and "-0.83" in shown.text and "Cem" not in shown.text
