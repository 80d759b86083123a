"""Round trips: store -> JSON -> store and collection -> CSV -> collection return the same data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import kit
from inputs import STORABLE as _STORABLE
from kit import model
from kit.formats import FORMAT_VERSION

STORABLE = list(_STORABLE.values())


def _fill(ws: kit.Workshop) -> None:
    """One record of every kind, with nasty text in every text field we can."""
    nasty = iter(STORABLE * 20)
    ws.set(client=next(nasty), teams=["Blau", "Grün 🌿"], personas=["Ida (62)", "Familie Öztürk"],
           date="2026-10-14", facilitator="Jo")
    o = ws.observations.add(text=next(nasty), kind="quote", who=next(nasty), when="2026-10-14T10:15")
    h = ws.hypotheses.add(kind="pain", statement=next(nasty), observations=[o], votes={"Anna": 2},
                          confirm_if=next(nasty), selected=True)
    i = ws.interviews.add(pseudonym=next(nasty), real_name="Erika Mustermann", duration_min=30,
                          date="2026-10-20", notes=next(nasty))
    ws.evidence.add(interview=i, snippet=next(nasty), hypothesis=h, stance="supports")
    ws.learning_cards.add(hypothesis=h, believed=next(nasty), learned=next(nasty))
    vpc = ws.canvas("value_proposition")
    pain = vpc.add("pains", next(nasty), rank=5, hypothesis=h)
    vpc.link(vpc.add("pain_relievers", next(nasty)), pain)
    t = ws.touchpoints.add(stage="search_reviews", name=next(nasty), ist_rating=2, soll_target=4,
                           emotion={"Ida (62)": -2}, moment_of_truth=True, position=1.5)
    idea = ws.ideas.add(touchpoint=t, text=next(nasty), votes={"Ben": 1}, selected=True, feedback=next(nasty))
    ws.actions.add(what=next(nasty), start="2026-11-01", due="2026-12-01", budget=1250.5, idea=idea)
    ws.kpis.add(criterion=next(nasty), measurements=[{"date": "2026-11-30", "value": 0.42, "note": next(nasty)}])
    ws.followups.add(kind="team_session", date="2026-11-11T09:00", duration_min=240, topic=next(nasty))


def _records(data: dict) -> dict:
    return {k: v for k, v in data.items() if k in model.COLLECTIONS or k == "workshop"}


def test_json_round_trip_is_exact(ws: kit.Workshop, tmp_path: Path) -> None:
    _fill(ws)
    text = ws.to_json(tmp_path / "out.json")
    data = json.loads(text)
    assert data["format"] == "workshop-kit" and data["version"] == FORMAT_VERSION
    copy = kit.load(tmp_path / "copy.workshop", tmp_path / "out.json")
    assert _records(copy.to_dict()) == _records(data)
    assert copy.info["client"] == ws.info["client"]


def test_sample_round_trips_through_json(sample: kit.Workshop, tmp_path: Path) -> None:
    copy = kit.load(tmp_path / "copy.workshop", json.loads(sample.to_json()))
    assert copy.to_dict() == sample.to_dict()


@pytest.mark.parametrize("collection", model.COLLECTIONS)
def test_csv_round_trip_is_exact(ws: kit.Workshop, tmp_path: Path, collection: str) -> None:
    _fill(ws)
    source = getattr(ws, collection)
    source.to_csv(tmp_path / f"{collection}.csv")
    earlier = model.COLLECTIONS[: model.COLLECTIONS.index(collection)]  # what it may refer to
    data = ws.to_dict()
    fresh = kit.load(tmp_path / "fresh.workshop", {k: v for k, v in data.items() if k not in model.COLLECTIONS
                                                   or k in earlier})
    getattr(fresh, collection).from_csv(tmp_path / f"{collection}.csv", keep_ids=True)
    assert getattr(fresh, collection).all() == source.all()


def test_csv_import_of_hand_written_file(ws: kit.Workshop, tmp_path: Path) -> None:
    csv_file = tmp_path / "obs.csv"
    csv_file.write_text("text,kind,when\n\"Sagt: \"\"zu teuer\"\"\",quote,2026-10-14T09:00\nschaut weg,,\n",
                        encoding="utf-8")
    ids = ws.observations.from_csv(csv_file)
    assert [ws.observations[i]["text"] for i in ids] == ['Sagt: "zu teuer"', "schaut weg"]
    assert ws.observations[ids[1]]["kind"] == "behaviour"
    bad = tmp_path / "bad.csv"
    bad.write_text("text,colour\nx,red\n", encoding="utf-8")
    with pytest.raises(kit.WorkshopError, match="colour are not fields of observation"):
        ws.observations.from_csv(bad)


def test_json_documents_that_are_not_ours_are_refused(tmp_path: Path) -> None:
    cases = {
        "not ours": ({"title": "x"}, "not a workshop-kit document"),
        "newer": ({"format": "workshop-kit", "version": FORMAT_VERSION + 1, "workshop": {"title": "x"}}, "newer"),
        "bad ref": ({"format": "workshop-kit", "version": 1, "workshop": {"title": "x"},
                     "evidence": [{"id": 1, "interview": 4, "snippet": "s", "stance": "supports"}]},
                    r"evidence\.interview of evidence 1 refers to interview 4"),
        "bad field": ({"format": "workshop-kit", "version": 1, "workshop": {"title": "x"},
                       "touchpoints": [{"id": 1, "stage": "web", "name": "n", "ist_rating": 9}]},
                      r"touchpoint\.ist_rating must be 1\.\.5, got 9"),
    }
    for name, (doc, message) in cases.items():
        target = tmp_path / f"{name}.workshop"
        with pytest.raises((kit.WorkshopError, kit.ValidationError), match=message):
            kit.load(target, doc)
        assert not target.exists(), name


def test_to_dataframe_has_every_field(ws: kit.Workshop) -> None:
    _fill(ws)
    for name in model.COLLECTIONS:
        frame = getattr(ws, name).to_dataframe()
        assert list(frame.columns) == model.BY_COLLECTION[name].field_names
        assert len(frame) == len(getattr(ws, name))
    assert ws.canvas("value_proposition").to_dataframe().shape[0] == 2


def test_format_documentation_lists_every_field() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    for kind in model.KINDS.values():
        section = doc.split(f"## `{kind.collection}`", 1)[1].split("\n## ", 1)[0]
        for name in kind.field_names:
            assert f"| `{name}` |" in section, f"docs/FORMAT.md misses {kind.collection}.{name}"
