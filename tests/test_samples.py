"""The two sample workshops in data/ are valid, consistent and complete through every method step.

For each sample the test loads the JSON, validates every record against ``kit.model``,
follows every reference, recomputes the hypothesis status rule from the evidence, and checks
the content a facilitator needs to demo each step (observe, hypothesise, interview, canvas,
touchpoints, ideas, to-do plan, KPIs, follow-up cadence).
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from kit import model

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SAMPLES = {"de": DATA / "sample_de.json", "en": DATA / "sample_en.json"}

PRE_CONTACT = ("need_arises", "hearsay", "friends_colleagues", "press", "search_reviews", "website")
LATER = ("contact", "purchase_use", "service", "after")
STAGES = PRE_CONTACT + LATER
VALUE_MAP = ("products", "pain_relievers", "gain_creators")
PROFILE = ("jobs", "pains", "gains")
EMPATHY_AREAS = {"thinks_feels", "sees", "hears", "says_does", "pains", "gains"}
VP, EMPATHY = "value_proposition", "empathy_map"


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module", params=sorted(SAMPLES))
def doc(request):
    language = request.param
    data = json.loads(SAMPLES[language].read_text(encoding="utf-8"))
    data["_language"] = language
    return data


def rows(doc, collection):
    return doc.get(collection, [])


def by_id(doc, collection):
    return {r["id"]: r for r in rows(doc, collection)}


def status_by_rule(doc, hypothesis):
    """The status the evidence gives: distinct interviews supporting vs contradicting."""
    supports, contradicts = set(), set()
    for e in rows(doc, "evidence"):
        if e.get("hypothesis") != hypothesis["id"]:
            continue
        if e["stance"] == "supports":
            supports.add(e["interview"])
        elif e["stance"] == "contradicts":
            contradicts.add(e["interview"])
    s, c = len(supports), len(contradicts)
    if s >= 2 and s > c:
        return "confirmed"
    if c >= 2 and c > s:
        return "refuted"
    return "testing" if hypothesis.get("selected") else "open"


def days(a: str, b: str) -> float:
    return (dt.datetime.fromisoformat(b) - dt.datetime.fromisoformat(a)).total_seconds() / 86400


# --------------------------------------------------------------------------- format & model
def test_format_and_version(doc):
    assert doc["format"] == "workshop-kit"
    assert doc["version"] == 1
    known = {"format", "version", "workshop", "_language", *model.COLLECTIONS}
    assert set(doc) <= known, f"unknown keys: {set(doc) - known}"


def test_workshop_record(doc):
    info = model.kind("workshop").validate(doc["workshop"])
    assert info["language"] == doc["_language"]
    assert info["title"].strip() and info["client"].strip() and info["facilitator"].strip()
    assert info["date"] == doc["workshop"]["date"]
    assert 2 <= len(info["teams"]) <= 3
    assert 2 <= len(info["personas"]) <= 3
    assert info["purpose"].strip()


@pytest.mark.parametrize("collection", model.COLLECTIONS)
def test_every_record_validates(doc, collection):
    kind = model.kind(collection)
    ids = []
    for record in rows(doc, collection):
        ident = record.get("id")
        assert isinstance(ident, int) and not isinstance(ident, bool) and ident >= 1, record
        ids.append(ident)
        values = {k: v for k, v in record.items() if k != "id"}
        clean = kind.validate(values)
        kind.check_record(clean)
        # what is stored is already clean: a round trip through the model changes nothing
        for key, value in values.items():
            assert clean[key] == value or (isinstance(value, (int, float)) and clean[key] == value), (
                collection, ident, key)
    assert ids == list(range(1, len(ids) + 1)), f"{collection}: ids must run 1..n"


@pytest.mark.parametrize("collection", model.COLLECTIONS)
def test_references_point_to_existing_records(doc, collection):
    kind = model.kind(collection)
    for record in rows(doc, collection):
        for f in kind.fields:
            if f.type not in ("ref", "refs") or record.get(f.name) is None:
                continue
            targets = by_id(doc, model.kind(f.ref).collection)
            values = record[f.name] if f.type == "refs" else [record[f.name]]
            for value in values:
                assert value in targets, f"{collection}[{record['id']}].{f.name} -> {value} missing"


def test_texts_are_in_the_sample_language(doc):
    text = json.dumps(doc, ensure_ascii=False)
    if doc["_language"] == "de":
        assert any(ch in text for ch in "äöüßÄÖÜ")
        for word in (" the ", " and ", " with "):
            assert text.count(word) < 3, word
    else:
        assert not any(ch in text for ch in "äöüßÄÖÜ")
        for word in (" und ", " der ", " nicht "):
            assert text.count(word) == 0, word


# --------------------------------------------------------------------------- 1 observe
def test_observations(doc):
    info = doc["workshop"]
    obs = rows(doc, "observations")
    assert 12 <= len(obs) <= 18
    assert {o["kind"] for o in obs} == {"behaviour", "quote", "artefact"}
    for o in obs:
        assert o["who"] in info["personas"], o
        assert o["team"] in info["teams"], o
        assert o["touchpoint"].strip() and o["observed_by"].strip() and o["text"].strip()
        assert o["when"][:10] <= info["date"], "observations happen before the workshop"
    assert {o["who"] for o in obs} == set(info["personas"])


# --------------------------------------------------------------------------- 2 hypotheses
def test_hypotheses_and_dot_voting(doc):
    hyps = rows(doc, "hypotheses")
    assert 8 <= len(hyps) <= 10
    assert {h["kind"] for h in hyps} == {"job", "pain", "gain"}
    dots_per_voter: Counter[str] = Counter()
    for h in hyps:
        assert 1 <= len(h["observations"]) <= 3, h["id"]
        for key in ("statement", "test_question", "confirm_if", "refute_if"):
            assert h[key].strip(), (h["id"], key)
        for voter, dots in h["votes"].items():
            assert 1 <= dots <= 3, (h["id"], voter)
            dots_per_voter[voter] += dots
    assert all(total <= 5 for total in dots_per_voter.values()), dots_per_voter
    selected = [h for h in hyps if h.get("selected")]
    assert 5 <= len(selected) <= 6
    # the tested ones are the ones with the most dots
    score = lambda h: sum(h["votes"].values())  # noqa: E731
    assert min(score(h) for h in selected) >= max(score(h) for h in hyps if not h.get("selected"))


def test_status_follows_the_evidence_rule(doc):
    for h in rows(doc, "hypotheses"):
        assert h["status"] == status_by_rule(doc, h), f"hypothesis {h['id']}: {h['statement']}"


def test_outcome_mix(doc):
    statuses = Counter(h["status"] for h in rows(doc, "hypotheses"))
    assert statuses["confirmed"] >= 3
    assert statuses["refuted"] >= 2
    assert statuses["open"] + statuses["testing"] >= 1


# --------------------------------------------------------------------------- 3 interviews
def test_interviews(doc):
    info = doc["workshop"]
    interviews = rows(doc, "interviews")
    assert 6 <= len(interviews) <= 8
    pseudonyms = [i["pseudonym"] for i in interviews]
    real_names = [i["real_name"] for i in interviews]
    assert len(set(pseudonyms)) == len(pseudonyms)
    assert len(set(real_names)) == len(real_names)
    for i in interviews:
        assert i["real_name"].strip() and " " in i["real_name"].strip(), "an invented full name"
        assert i["real_name"] not in i["pseudonym"]
        assert i["segment"] in info["personas"]
        assert i["format"] in model.INTERVIEW_FORMATS
        assert 20 <= i["duration_min"] <= 40
        assert i["interviewer"].strip() and len(i["notes"]) > 80
        assert i["date"] >= info["date"], "interviews follow the workshop"
    assert len({i["format"] for i in interviews}) >= 3
    assert "real_name" in {f.name for f in model.kind("interview").fields if f.private}


def test_evidence(doc):
    evidence = rows(doc, "evidence")
    assert 25 <= len(evidence) <= 40
    new = [e for e in evidence if e["stance"] == "new_insight"]
    assert len(new) >= 2
    for e in evidence:
        if e["stance"] == "new_insight":
            assert e.get("hypothesis") is None
        else:
            assert e.get("hypothesis") is not None
    assert {e["interview"] for e in evidence} == {i["id"] for i in rows(doc, "interviews")}


# --------------------------------------------------------------------------- 4 canvas
def test_value_proposition_canvas(doc):
    items = [c for c in rows(doc, "canvas_items") if c["canvas"] == VP]
    areas = defaultdict(list)
    for c in items:
        areas[c["area"]].append(c)
    assert set(areas) == set(VALUE_MAP + PROFILE)
    for area in VALUE_MAP + PROFILE:
        assert 4 <= len(areas[area]) <= 7, area
    hyps = by_id(doc, "hypotheses")
    linked = 0
    for area in PROFILE:
        for c in areas[area]:
            assert c.get("rank") is not None and 1 <= c["rank"] <= 5, c
            if c.get("hypothesis") is not None:
                linked += 1
                assert hyps[c["hypothesis"]]["status"] == "confirmed", c
    assert linked >= 5
    ids = {area: {c["id"] for c in areas[area]} for area in areas}
    relieved, created = set(), set()
    for c in areas["pain_relievers"]:
        assert c.get("fit") and set(c["fit"]) <= ids["pains"], c
        relieved |= set(c["fit"])
    for c in areas["gain_creators"]:
        assert c.get("fit") and set(c["fit"]) <= ids["gains"], c
        created |= set(c["fit"])
    for area in ("products", *PROFILE):
        assert all(not c.get("fit") for c in areas[area]), area
    assert 1 <= len(ids["pains"] - relieved) <= 2, "leave one or two pains unaddressed"
    assert len(ids["gains"] - created) == 1, "leave exactly one gain unaddressed"


def test_empathy_map(doc):
    items = [c for c in rows(doc, "canvas_items") if c["canvas"] == EMPATHY]
    assert {c["area"] for c in items} == EMPATHY_AREAS
    assert {c["canvas"] for c in rows(doc, "canvas_items")} == {VP, EMPATHY}


# --------------------------------------------------------------------------- 5 touchpoints
def test_touchpoints(doc):
    personas = set(doc["workshop"]["personas"])
    tps = rows(doc, "touchpoints")
    assert 14 <= len(tps) <= 20
    stages = Counter(t["stage"] for t in tps)
    assert set(stages) <= set(STAGES)
    for stage in PRE_CONTACT:
        assert stages[stage] >= 1, f"no touchpoint before contact in stage {stage}"
    assert sum(stages[s] for s in LATER) >= 6
    assert all(stages[s] >= 1 for s in LATER)
    assert 2 <= sum(bool(t["moment_of_truth"]) for t in tps) <= 4
    assert sum(t["soll_target"] >= t["ist_rating"] for t in tps) >= 0.8 * len(tps)
    positions = defaultdict(list)
    for t in tps:
        assert set(t["emotion"]) == personas, t["name"]
        assert all(-2 <= v <= 2 for v in t["emotion"].values())
        assert 1 <= t["ist_rating"] <= 5 and 1 <= t["soll_target"] <= 5
        assert t["side"] in ("front", "back")
        for key in ("name", "channel", "owner", "backstage_owner", "frequency"):
            assert t[key].strip(), (t["name"], key)
        positions[t["stage"]].append(t["position"])
    for stage, pos in positions.items():
        assert sorted(pos) == list(range(len(pos))) and len(pos) <= 3, stage
    assert any(t["side"] == "back" for t in tps)


# --------------------------------------------------------------------------- 6 ideas
def test_ideas(doc):
    teams = set(doc["workshop"]["teams"])
    tps = by_id(doc, "touchpoints")
    ideas = rows(doc, "ideas")
    assert 10 <= len(ideas) <= 15
    for idea in ideas:
        assert idea["touchpoint"] in tps
        assert idea["stage"] == tps[idea["touchpoint"]]["stage"], idea["id"]
        assert idea["team"] in teams and idea["author"].strip()
        assert all(1 <= d <= 3 for d in idea["votes"].values())
    assert len({i["stage"] for i in ideas}) >= 6, "ideas at many steps"
    selected = [i for i in ideas if i.get("selected")]
    assert len(selected) == 1
    assert len(selected[0]["feedback"].strip()) > 40
    assert all(not i.get("feedback") for i in ideas if not i.get("selected"))
    # ideas come from the staff, not from management or the facilitator
    facilitator = doc["workshop"]["facilitator"]
    assert all(i["author"] != facilitator for i in ideas)


# --------------------------------------------------------------------------- to-do plan & KPIs
def test_actions(doc):
    actions = rows(doc, "actions")
    assert 6 <= len(actions) <= 10
    for a in actions:
        assert a["who"].strip() and a["what"].strip()
        assert a["start"] and a["due"] and a["due"] >= a["start"]
        assert isinstance(a["budget"], (int, float)) and a["budget"] >= 0
        assert a["status"] in ("open", "doing", "done")
    assert {a["status"] for a in actions} == {"open", "doing", "done"}
    selected = next(i["id"] for i in rows(doc, "ideas") if i.get("selected"))
    assert any(a.get("idea") == selected for a in actions), "the chosen idea gets funded"


def test_kpis(doc):
    kpis = rows(doc, "kpis")
    assert 4 <= len(kpis) <= 6
    for k in kpis:
        for key in ("criterion", "target", "frequency", "owner", "method"):
            assert k[key].strip(), (k["criterion"], key)
        assert 2 <= len(k["measurements"]) <= 4
        dates = [m["date"] for m in k["measurements"]]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)


# --------------------------------------------------------------------------- 7 keep at it
def test_followup_cadence(doc):
    start = doc["workshop"]["date"] + "T23:59"
    followups = rows(doc, "followups")
    sessions = sorted((f for f in followups if f["kind"] == "team_session"), key=lambda f: f["date"])
    reviews = sorted((f for f in followups if f["kind"] == "status_review"), key=lambda f: f["date"])
    assert len(sessions) == 3 and len(reviews) == 3
    assert len(followups) == 6
    for f in followups:
        assert f["date"] > start, "follow-ups come after the workshop"
        assert f["topic"].strip() and f["team"].strip()
    for a, b in itertools.pairwise(sessions):
        assert 21 <= days(a["date"], b["date"]) <= 28, "team sessions 3-4 weeks apart"
    assert all(180 <= s["duration_min"] <= 300 for s in sessions), "about four hours"
    for a, b in itertools.pairwise(reviews):
        assert 27 <= days(a["date"], b["date"]) <= 35, "status reviews monthly"
    assert all(r["duration_min"] == 60 for r in reviews)
