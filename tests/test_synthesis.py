"""Synthesis, interview guide and agenda: the status rule, prefill, learning cards, guide text.

Expected values on the samples were worked out by hand from data/sample_*.json (listed per
hypothesis below as the interviews that support / contradict), not computed by the kit.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import kit
from kit import agenda, facilitation, guide, synthesis

DATA = Path(__file__).resolve().parent.parent / "data"

# hypothesis id -> (interviews supporting, interviews contradicting, status), by hand:
HAND = {
    "de": {
        1: ({1, 4, 7}, {6}, "confirmed"),      # evidence 1,2 (iv 1), 14 (iv 4), 27 (iv 7); 23 (iv 6) against
        2: ({1, 3, 5, 6}, set(), "confirmed"),  # 3, 9+10 (iv 3 twice: counts once), 20, 24
        3: ({7}, {2, 3, 5}, "refuted"),
        4: ({2}, {1, 4, 7}, "refuted"),
        5: ({2, 4, 5}, {3}, "confirmed"),       # 16+17 both from iv 4
        6: ({3}, {4}, "testing"),               # selected, undecided
        7: ({6}, set(), "open"),                # not selected
        8: (set(), set(), "open"),
        9: ({4}, set(), "open"),
    },
    "en": {
        1: ({1, 3, 4, 6}, {2}, "confirmed"),
        2: ({1, 2, 5, 7}, set(), "confirmed"),
        3: ({6}, {1, 3, 5}, "refuted"),
        4: ({4, 5, 7}, {3}, "confirmed"),
        5: ({3}, {6}, "testing"),
        6: (set(), {2, 5}, "refuted"),
        7: ({2}, set(), "open"),
        8: (set(), set(), "open"),
        9: ({5}, set(), "open"),
    },
}
NEW_INSIGHTS = {"de": 5, "en": 6}  # two of each from follow-up calls after the workshop
# Value Proposition Canvas fit, by hand from the fit links of the reliever/creator items:
# (pain 23 gained a reliever at the first follow-up session)
FIT = {"de": {"pains": (5, 6), "gains": (5, 6)}, "en": {"pains": (5, 6), "gains": (4, 5)}}
UNADDRESSED = {"de": {"pains": [24], "gains": [30]}, "en": {"pains": [24], "gains": [29]}}


def lang_of(ws: kit.Workshop) -> str:
    return ws.language


# --------------------------------------------------------------------------- the rule
@pytest.mark.parametrize("s, c, selected, expected", [
    (2, 0, False, "confirmed"), (2, 1, True, "confirmed"), (3, 2, False, "confirmed"),
    (2, 2, True, "testing"), (2, 2, False, "open"), (1, 0, True, "testing"), (1, 0, False, "open"),
    (0, 2, False, "refuted"), (1, 2, True, "refuted"), (3, 3, True, "testing"), (0, 0, False, "open"),
    (5, 1, False, "confirmed"), (1, 5, True, "refuted"), (0, 1, True, "testing"),
])
def test_decide_follows_the_documented_rule(s: int, c: int, selected: bool, expected: str) -> None:
    assert synthesis.decide(s, c, selected) == expected


def test_rule_is_documented_in_module_docstring() -> None:
    doc = synthesis.__doc__ or ""
    assert "S >= 2 and S > C" in doc and "C >= 2 and C > S" in doc and "DISTINCT interviews" in doc


def test_statuses_on_samples_match_hand_count(sample: kit.Workshop) -> None:
    hand = HAND[sample.language]
    tallies = synthesis.tallies(sample)
    for hypothesis_id, (supporting, contradicting, _status) in hand.items():
        assert tallies[hypothesis_id].supporting_interviews == len(supporting), hypothesis_id
        assert tallies[hypothesis_id].contradicting_interviews == len(contradicting), hypothesis_id
    assert synthesis.statuses(sample) == {h: v[2] for h, v in hand.items()}
    assert synthesis.status_counts(sample) == {"open": 3, "testing": 1, "confirmed": 3, "refuted": 2}
    # the sample files store the same statuses: nothing to change
    version = sample.version()
    synthesis.apply_statuses(sample)
    assert sample.version() == version


def test_sample_json_statuses_follow_the_rule() -> None:
    """Independent of the kit: recount data/sample_*.json with plain Python."""
    for lang in ("de", "en"):
        data = json.loads((DATA / f"sample_{lang}.json").read_text(encoding="utf-8"))
        for h in data["hypotheses"]:
            s = {e["interview"] for e in data["evidence"]
                 if e.get("hypothesis") == h["id"] and e["stance"] == "supports"}
            c = {e["interview"] for e in data["evidence"]
                 if e.get("hypothesis") == h["id"] and e["stance"] == "contradicts"}
            assert (s, c, h["status"]) == HAND[lang][h["id"]], (lang, h["id"])


def test_one_talkative_interview_cannot_confirm(ws: kit.Workshop) -> None:
    h = ws.hypotheses.add(kind="pain", statement="Letters scare people", selected=True)
    one = ws.interviews.add(pseudonym="A")
    two = ws.interviews.add(pseudonym="B")
    for text in ("quote 1", "quote 2", "quote 3"):
        ws.evidence.add(interview=one, hypothesis=h, stance="supports", snippet=text)
    ws.evidence.add(interview=one, hypothesis=None, stance="new_insight", snippet="unrelated")
    assert synthesis.statuses(ws)[h] == "testing"
    assert synthesis.tallies(ws)[h].supporting_snippets == 3
    ws.evidence.add(interview=two, hypothesis=h, stance="supports", snippet="quote 4")
    assert synthesis.statuses(ws)[h] == "confirmed"
    ws.evidence.add(interview=two, hypothesis=h, stance="contradicts", snippet="but also this")
    # S = 2 (A, B), C = 1 (B): still confirmed
    assert synthesis.statuses(ws)[h] == "confirmed"
    assert synthesis.apply_statuses(ws)[h] == "confirmed"
    assert ws.hypotheses[h]["status"] == "confirmed"
    assert len(synthesis.new_insights(ws)) == 1


def test_new_insights_and_evidence_rows_hide_real_names(sample: kit.Workshop) -> None:
    first = sample.interviews.all()[0]
    sample.interviews.update(first["id"], real_name="Real Person Name")
    insights = synthesis.new_insights(sample)
    assert len(insights) == NEW_INSIGHTS[sample.language]
    assert all(row["stance"] == "new_insight" and row["hypothesis"] == "" for row in insights)
    rows = synthesis.evidence_rows(sample)
    assert len(rows) == len(sample.evidence)
    assert "Real Person Name" not in json.dumps(rows, ensure_ascii=False)
    assert "Real Person Name" not in synthesis.evidence_table(sample).to_string()


def test_status_table_is_localised(sample: kit.Workshop) -> None:
    table = synthesis.status_table(sample)
    status_header = "Status"
    assert len(table) == 9
    words = {"de": {"bestätigt", "widerlegt", "offen", "wird geprüft"},
             "en": {"confirmed", "refuted", "open", "testing"}}[sample.language]
    assert set(table[status_header]) == words


# --------------------------------------------------------------------------- the canvas
def test_fit_coverage_matches_hand_count(sample: kit.Workshop) -> None:
    summary = synthesis.fit_summary(sample)
    for area, (addressed, total) in FIT[sample.language].items():
        assert (summary[area]["addressed"], summary[area]["total"]) == (addressed, total)
    coverage = sample.canvas("value_proposition").fit_coverage()
    assert {a: coverage[a]["unaddressed"] for a in coverage} == UNADDRESSED[sample.language]


def test_prefill_is_a_no_op_on_samples(sample: kit.Workshop) -> None:
    """Every confirmed hypothesis of the samples is already on the customer profile."""
    before = len(sample.canvas_items)
    assert synthesis.prefill_canvas(sample) == []
    assert len(sample.canvas_items) == before
    rows = synthesis.profile_evidence_rows(sample)
    assert rows and all(r["status"] == "confirmed" for r in rows)


def test_prefill_puts_confirmed_insights_on_profile_with_evidence(ws: kit.Workshop) -> None:
    job = ws.hypotheses.add(kind="job", statement="Find a plan I can keep <b>", selected=True)
    pain = ws.hypotheses.add(kind="pain", statement="Fees look arbitrary", selected=True)
    gain = ws.hypotheses.add(kind="gain", statement="Only one interview says so", selected=True)
    ivs = [ws.interviews.add(pseudonym=f"P{i}") for i in range(3)]
    for iv in ivs:
        ws.evidence.add(interview=iv, hypothesis=job, stance="supports", snippet="yes")
    for iv in ivs[:2]:
        ws.evidence.add(interview=iv, hypothesis=pain, stance="supports", snippet="yes")
    ws.evidence.add(interview=ivs[0], hypothesis=gain, stance="supports", snippet="maybe")
    added = synthesis.prefill_canvas(ws)
    assert len(added) == 2
    canvas = ws.canvas("value_proposition")
    by_hypothesis = {item["hypothesis"]: item for item in canvas.items()}
    assert by_hypothesis[job]["area"] == "jobs" and by_hypothesis[job]["text"] == "Find a plan I can keep <b>"
    assert by_hypothesis[pain]["area"] == "pains"
    assert gain not in by_hypothesis
    counts = canvas.evidence_counts()
    assert counts[by_hypothesis[job]["id"]] == {"supports": 3, "contradicts": 0}
    assert counts[by_hypothesis[pain]["id"]] == {"supports": 2, "contradicts": 0}
    assert synthesis.prefill_canvas(ws) == []  # safe to run again


# --------------------------------------------------------------------------- learning cards
def test_learning_card_drafts_only_for_decided_without_card(sample: kit.Workshop) -> None:
    carded = {c["hypothesis"] for c in sample.learning_cards}
    decided = {h for h, (_, _, s) in HAND[sample.language].items() if s in ("confirmed", "refuted")}
    added = synthesis.draft_learning_cards(sample)
    assert len(added) == len(decided - carded)
    assert {sample.learning_cards[i]["hypothesis"] for i in added} == decided - carded
    card = sample.learning_cards[added[0]]
    assert card["believed"] == sample.hypotheses[card["hypothesis"]]["statement"]
    assert card["learned"] and card["will"] == ""
    assert synthesis.draft_learning_cards(sample) == []
    assert len(synthesis.learning_cards_table(sample)) == len(carded | decided)


# --------------------------------------------------------------------------- choosing what to test
def test_select_top_keeps_sample_selection(sample: kit.Workshop) -> None:
    selected = {h["id"] for h in sample.hypotheses if h["selected"]}
    version = sample.version()
    assert set(synthesis.select_top(sample, 6)) == selected == {1, 2, 3, 4, 5, 6}
    assert sample.version() == version


def test_select_top_picks_most_votes_ties_older_first(ws: kit.Workshop) -> None:
    ids = [ws.hypotheses.add(kind="pain", statement=f"H{i}") for i in range(4)]
    ws.hypotheses.vote(ids[2], "Ana", 3)
    ws.hypotheses.vote(ids[1], "Ben", 1)
    ws.hypotheses.vote(ids[3], "Ben", 1)
    assert synthesis.select_top(ws, 2) == sorted([ids[2], ids[1]])
    assert [h["selected"] for h in ws.hypotheses] == [False, True, True, False]
    with pytest.raises(ValueError, match="n must be"):
        synthesis.select_top(ws, -1)


# --------------------------------------------------------------------------- the interview guide
def test_guide_has_one_question_per_chosen_hypothesis(sample: kit.Workshop) -> None:
    built = guide.build(sample, 30)
    chosen = [h for h in sample.hypotheses if h["selected"]]
    assert len(built.questions) == len(chosen) == 6
    assert built.minutes == 30 and len(built.opening) == 3 and built.agenda_item
    assert {q.hypothesis for q in built.questions} == {f"H{h['id']}" for h in chosen}
    markdown, page = built.to_markdown(), built.to_html()
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page
    minutes_text = {"de": "30 Minuten", "en": "30 minutes"}[sample.language]
    assert minutes_text in markdown and minutes_text in page


@pytest.mark.parametrize("minutes", [19, 41, 0, True, 30.5])
def test_guide_refuses_time_frames_outside_20_to_40(sample: kit.Workshop, minutes: object) -> None:
    with pytest.raises(ValueError, match=r"20\.\.40"):
        guide.build(sample, minutes)


def test_guide_escapes_user_text(ws: kit.Workshop, tmp_path: Path) -> None:
    nasty = "<script>alert(1)</script> *bold* & % $ # _ { } ~ ^ \\ [x](y) שלום 🙂"
    h = ws.hypotheses.add(kind="gain", statement=nasty, test_question="Why <b>?", confirm_if="a & b", selected=True)
    built = guide.build(ws, 20)
    assert built.questions[0].question == "Why <b>?"
    page = built.to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>?" not in page
    markdown = built.to_markdown()
    assert "<script>" not in markdown and "\\*bold\\*" in markdown and "\\[x\\]\\(y\\)" in markdown
    assert "שלום 🙂" in markdown and "שלום 🙂" in page
    assert guide.build(ws, 20, [h]).questions[0].statement == nasty
    saved = built.save(tmp_path / "guide.md")
    assert saved.read_text(encoding="utf-8") == markdown


def test_guide_without_chosen_hypotheses_says_so(ws: kit.Workshop) -> None:
    built = guide.build(ws)
    assert built.questions == []
    assert "No hypothesis chosen" in built.to_markdown()


# --------------------------------------------------------------------------- the agenda
def test_agenda_steps_match_notebooks_and_fill_a_half_day() -> None:
    notebooks = sorted(p.stem for p in (DATA.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert list(agenda.NOTEBOOK_IDS) == notebooks and agenda.NOTEBOOK_IDS[:len(agenda.STEP_IDS)] == agenda.STEP_IDS
    assert agenda.total_minutes() == 240
    for lang in ("de", "en"):
        steps = agenda.steps(lang)
        assert [s.number for s in steps] == list(range(8))
        assert all(s.title and s.purpose and s.instructions and s.outcome and s.minutes > 0 for s in steps)
    with pytest.raises(ValueError, match="no agenda step"):
        agenda.step("99_nothing", "de")


def test_agenda_follows_the_shared_step(ws: kit.Workshop) -> None:
    assert agenda.current(ws) is None
    assert {r["state"] for r in agenda.overview(ws)} == {"next"}
    agenda.go_to(ws, "03_interviews")
    assert facilitation.step(ws) == "03_interviews"
    states = [r["state"] for r in agenda.overview(ws)]
    assert states == ["done"] * 3 + ["current"] + ["next"] * 5  # the last: the follow-up sessions
    other = kit.open(ws.path, actor="someone else")
    try:
        assert agenda.current(other) == "03_interviews"
    finally:
        other.close()
    timer = agenda.start_timebox(ws, "03_interviews")
    assert timer["seconds"] == 60 * 60 and timer["label"] == "Interviews"
