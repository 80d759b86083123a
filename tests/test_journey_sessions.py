"""The evidence curve reaches the touchpoint map's session; the interview session scores snippets.

Numbers are checked by hand on a small fixture in the spirit of tests/test_journey.py.
"""
from __future__ import annotations

import math
from typing import Any

import pytest

import kit
from kit.sessions import InterviewSession, Session, TouchpointSession
from kit.widgets.interview import InterviewWidget
from kit.widgets.touchpoints import TouchpointMapWidget
from scoredinterviews import add_scored_interviews

HOSTILE = "<script>alert(1)</script> & % $ # _ { } ~ ^ \\ 🙂 \u05e9\u05dc\u05d5\u05dd"


def ask(session: Session, op: str, **payload: Any) -> str:
    result = session.apply({"op": op, "nonce": "1", **payload})
    assert result["ack"] == "1"
    return str(result["error"])


@pytest.fixture
def scored(ws: kit.Workshop) -> dict[str, int]:
    """Anna: interviews A (-2, -1 at the call) and B (0 at the call); Ben: D (+2 at the hotline); Cem: none."""
    ws.set(personas=["Anna", "Ben", "Cem"])
    return add_scored_interviews(ws, HOSTILE, call_emotion={"Anna": 1}, hotline_emotion={"Anna": -1, "Ben": 0})


def _curve(state: dict[str, Any], persona: str) -> dict[str, Any]:
    curve = next(c for c in state["evidence"]["personas"] if c["name"] == persona)
    return {p["stage"]: p for p in curve["points"]} | {"has_evidence": curve["has_evidence"]}


def test_touchpoint_state_carries_the_evidence_curve(ws: kit.Workshop, scored: dict[str, int]) -> None:
    session = TouchpointSession(ws, "touchpoint_map")
    state = session.snapshot()
    assert state["evidence"]["stages"][6:8] == ["contact", "purchase_use"]
    anna, ben, cem = (_curve(state, p) for p in ("Anna", "Ben", "Cem"))
    # Anna at contact: interview means -1.5 (A) and 0 (B): mean -0.75, SD sqrt(((-0.75)^2 * 2) / 1) = 1.06
    assert (anna["contact"]["n"], anna["contact"]["mean"]) == (2, -0.75)
    assert anna["contact"]["spread"] == round(math.sqrt(2 * 0.75**2), 2) == 1.06
    assert (anna["contact"]["low"], anna["contact"]["high"]) == (-1.81, 0.31)
    assert anna["contact"]["team"] == 1 and anna["contact"]["flag"] == "worse"
    assert sorted(q["score"] for q in anna["contact"]["quotes"]) == [-2, -1, 0]
    assert HOSTILE in [q["snippet"] for q in anna["contact"]["quotes"]]  # stored and handed on exactly
    assert {q["pseudonym"] for q in anna["contact"]["quotes"]} == {"A", "B"}
    assert "Sabine" not in str(state["evidence"])
    assert anna["service"]["n"] == 0 and anna["service"]["mean"] is None and anna["service"]["team"] == -1
    assert (ben["service"]["n"], ben["service"]["mean"], ben["service"]["spread"]) == (1, 2, None)
    assert ben["service"]["flag"] == "better" and ben["service"]["low"] is None
    assert cem["has_evidence"] is False and all(p["n"] == 0 for k, p in cem.items() if k != "has_evidence")
    # the team's hand-set estimate stays beside it, and the texts label it in the workshop language
    assert state["curves"]["Anna"][6] == 1
    assert state["curve_labels"]["key_team"] == "Team's estimate"
    assert state["curve_labels"]["flag_worse"] == "We thought it was fine; they said otherwise"


def test_the_curve_follows_a_new_score_and_counts_only_visible_touchpoints(ws: kit.Workshop,
                                                                           scored: dict[str, int]) -> None:
    session = TouchpointSession(ws, "touchpoint_map")
    session.diff()
    ws.evidence.add(interview=scored["a"], snippet="later", stance="new_insight", touchpoint=scored["hotline"],
                    experience=-2)
    assert _curve(session.diff(), "Anna")["service"]["n"] == 1
    ws.touchpoints.remove(scored["hotline"])  # its snippets keep no point on the curve
    assert _curve(session.diff(), "Ben")["has_evidence"] is False


def test_interview_session_scores_and_names_touchpoints(ws: kit.Workshop, scored: dict[str, int]) -> None:
    session = InterviewSession(ws)
    session.receive("current", scored["a"])
    state = session.snapshot()
    assert {tp["name"] for tp in state["touchpoints"]} == {"First call", "Hotline"}
    assert state["texts"]["score_keys"].startswith("Alt+Shift+1…5")
    assert ask(session, "code", snippet="waited", stance="new_insight", touchpoint=scored["hotline"],
               experience=-1) == ""
    new = next(e for e in session.diff()["evidence"] if e["snippet"] == "waited")
    assert (new["touchpoint"], new["experience"]) == (scored["hotline"], -1)
    assert ask(session, "tag", id=new["id"], experience=2) == ""
    stored = ws.evidence.get(new["id"])
    assert stored["experience"] == 2 and stored["touchpoint"] == scored["hotline"]
    assert ask(session, "tag", id=new["id"], touchpoint=scored["call"], experience=None) == ""
    stored = ws.evidence.get(new["id"])
    assert (stored["touchpoint"], stored["experience"]) == (scored["call"], None)
    assert "999" in ask(session, "tag", id=999, experience=1)  # a snippet deleted meanwhile
    assert "id" in ask(session, "tag", id="1", experience=1)


@pytest.mark.parametrize(("payload", "field"), [
    ({"experience": 3}, "experience"), ({"experience": "x"}, "experience"), ({"experience": True}, "experience"),
    ({"experience": 1.5}, "experience"), ({"touchpoint": 999}, "touchpoint"), ({"touchpoint": "<b>"}, "touchpoint"),
    ({}, "touchpoint/experience"),
])
def test_bad_scores_and_touchpoints_are_refused_naming_the_field(ws: kit.Workshop, scored: dict[str, int],
                                                                 payload: dict[str, Any], field: str) -> None:
    session = InterviewSession(ws)
    target = next(e for e in ws.evidence if e["snippet"] == "slow")
    before = list(ws.evidence)
    error = ask(session, "tag", id=target["id"], **payload)
    assert field in error and "\n" not in error
    assert ask(session, "code", snippet="new one", stance="new_insight", interview=scored["a"], **payload) != "" \
        or not payload  # no tag at all is fine when coding
    assert [e for e in ws.evidence if e["snippet"] != "new one"] == before  # nothing changed


def test_refusal_in_german(ws: kit.Workshop, scored: dict[str, int]) -> None:
    ws.set(language="de")
    session = InterviewSession(ws)
    target = next(e for e in ws.evidence if e["snippet"] == "slow")
    error = ask(session, "tag", id=target["id"], experience=7)
    assert "experience" in error and "7" in error and "must" not in error
    assert session.snapshot()["texts"]["score_label"] == "Erleben (−2 bis +2)"


def test_widgets_carry_the_new_traits(ws: kit.Workshop, scored: dict[str, int]) -> None:
    tp_map = TouchpointMapWidget(ws)
    assert [c["name"] for c in tp_map.evidence["personas"]] == ["Anna", "Ben", "Cem"]
    assert tp_map.curve_labels["key_evidence"] == "Interviews (mean, n)"
    interview = InterviewWidget(ws)
    evidence_id = interview.code("typed", "new_insight", interview=scored["a"], touchpoint=scored["call"], experience=1)
    assert ws.evidence.get(evidence_id)["experience"] == 1
    assert len(interview.touchpoints) == 2
    tp_map.refresh()
    anna = next(c for c in tp_map.evidence["personas"] if c["name"] == "Anna")
    assert anna["points"][6]["n"] == 2  # interview A now averages (-2, -1, +1): still one voice
    for widget in (tp_map, interview):
        widget.close()
