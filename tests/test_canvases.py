"""Canvases are data: declarations load, bad ones name file and key, a new type needs no code."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import kit
from kit import canvases
from kit.canvases import CanvasDeclarationError

REQUIRED = {"value_proposition", "touchpoint_map", "empathy_map", "observation_board", "hypothesis_board",
            "idea_board"}


def test_required_canvases_are_declared_in_both_languages() -> None:
    assert set(canvases.available()) >= REQUIRED
    for canvas_id in REQUIRED:
        decl = canvases.declaration(canvas_id)
        for area in decl["areas"]:
            assert area["title"]["de"] and area["title"]["en"]
            if decl["layout"] != "touchpoint_map":
                assert area["question"]["de"] and area["question"]["en"], (canvas_id, area["id"])


def test_value_proposition_has_six_areas_with_fit_and_ranks() -> None:
    decl = canvases.declaration("value_proposition")
    areas = {a["id"]: a for a in decl["areas"]}
    assert set(areas) == {"products", "pain_relievers", "gain_creators", "jobs", "pains", "gains"}
    assert areas["pain_relievers"]["fits"] == "pains" and areas["gain_creators"]["fits"] == "gains"
    assert {a for a, v in areas.items() if v.get("rank")} == {"jobs", "pains", "gains"}


def test_touchpoint_map_starts_before_first_contact() -> None:
    stages = [a["id"] for a in canvases.declaration("touchpoint_map")["areas"]]
    assert stages[:6] == ["need_arises", "hearsay", "friends_colleagues", "press", "search_reviews", "website"]
    assert stages[6:] == ["contact", "purchase_use", "service", "after"]


BROKEN = [
    ({"id": "x", "title": {"de": "X"}, "layout": "grid", "areas": []}, "title.en is missing"),
    ({"id": "x", "title": {"de": "X", "en": "X"}, "layout": "spiral", "areas": []}, "layout must be one of"),
    ({"id": "x", "title": {"de": "X", "en": "X"}, "layout": "grid",
      "areas": [{"id": "a", "title": {"de": "A", "en": "A"}, "question": {"de": "?", "en": "?"}}]},
     r"areas\[0\]\.cell must be"),
    ({"id": "x", "title": {"de": "X", "en": "X"}, "layout": "grid",
      "areas": [{"id": "a", "cell": [0, 0, 1, 1], "title": {"de": "A", "en": "A"}, "question": {"de": "?"}}]},
     r"areas\[0\]\.question\.en is missing"),
    ({"id": "y", "title": {"de": "X", "en": "X"}, "layout": "grid", "areas": []}, "id must match the file name"),
    ({"id": "x", "title": {"de": "X", "en": "X"}, "layout": "grid", "source": "people", "areas": []},
     "source must be a collection"),
    ({"id": "x", "title": {"de": "X", "en": "X"}, "layout": "grid", "colors": ["#fff", "#000"],
      "color_labels": [{"de": "Telefon", "en": "Phone"}], "areas": []}, r"color_labels must be a list .* \(2\)"),
    ({"id": "x", "title": {"de": "X", "en": "X"}, "layout": "grid",
      "areas": [{"id": "a", "cell": [0, 0, 1, 1], "score": 3, "title": {"de": "A", "en": "A"},
                 "question": {"de": "?", "en": "?"}}]}, r"areas\[0\]\.score must be a whole number from -2 to \+2"),
]


@pytest.mark.parametrize("data,message", BROKEN)
def test_invalid_declaration_names_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                data: dict, message: str) -> None:
    (tmp_path / "x.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv("KIT_CANVASES", str(tmp_path))
    with pytest.raises(CanvasDeclarationError, match=rf"^{tmp_path.name}/x\.yaml: .*{message}"):
        canvases.declaration("x")


def test_broken_yaml_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.yaml").write_text("id: [unclosed", encoding="utf-8")
    monkeypatch.setenv("KIT_CANVASES", str(tmp_path))
    with pytest.raises(CanvasDeclarationError, match=r"x\.yaml: not valid YAML"):
        canvases.declaration("x")


def test_a_new_canvas_type_needs_only_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              ws: kit.Workshop) -> None:
    decl = {"id": "stop_start_continue", "title": {"de": "Stopp/Start/Weiter", "en": "Stop/start/continue"},
            "layout": "grid", "areas": [
                {"id": k, "cell": [0, i, 1, 1], "title": {"de": k, "en": k}, "question": {"de": "?", "en": "?"}}
                for i, k in enumerate(["stop", "start", "continue"])]}
    (tmp_path / "stop_start_continue.yaml").write_text(yaml.safe_dump(decl), encoding="utf-8")
    monkeypatch.setenv("KIT_CANVASES", str(tmp_path))
    canvas = ws.canvas("stop_start_continue")
    note = canvas.add("start", "Kunden zurückrufen")
    assert [i["id"] for i in canvas.items("start")] == [note]
    with pytest.raises(kit.ValidationError, match=r"canvas_item\.area must be one of stop, start, continue"):
        canvas.add("later", "x")


def test_canvas_api_fit_and_evidence(ws: kit.Workshop) -> None:
    vpc = ws.canvas("value_proposition")
    h = ws.hypotheses.add(kind="pain", statement="Briefe machen Angst")
    iv = ws.interviews.add(pseudonym="A")
    ws.evidence.add(interview=iv, snippet="Ich öffne sie nicht", hypothesis=h, stance="supports")
    p1, p2 = vpc.add("pains", "Angst vor Briefen", hypothesis=h), vpc.add("pains", "Gebühren unklar")
    relief = vpc.add("pain_relievers", "Freundlicher Erstbrief")
    vpc.link(relief, p1)
    assert vpc.fit_coverage()["pains"] == {"total": 2, "addressed": [p1], "unaddressed": [p2]}
    assert vpc.evidence_counts() == {p1: {"supports": 1, "contradicts": 0}, p2: {"supports": 0, "contradicts": 0}}
    with pytest.raises(kit.WorkshopError, match="pain_relievers items address pains"):
        vpc.link(relief, vpc.add("gains", "Ruhe"))
    vpc.move(relief, "products")
    assert vpc.collection[relief]["fit"] == []  # products address nothing
    assert vpc.title == "Value Proposition Canvas" and vpc.area("pains")["title"] == "Pains"
