"""Model validation: good and bad values for every field type, messages that name kind.field."""
from __future__ import annotations

import datetime as dt

import pytest

from kit import model
from kit.model import ValidationError

GOOD_BAD = {
    # type: (good inputs -> cleaned value, bad inputs)
    "text": ([("hello", "hello"), ("  padded  ", "  padded  ")], [5, b"bytes", "a\x00b", "\ud800"]),
    "choice": ([("quote", "quote")], ["Quote", "gossip", 3]),
    "int": ([(3, 3), ("4", 4), (2.0, 2), (None, None)], [9, 0, "three", 2.5, True]),
    "float": ([(10, 10.0), ("12,5", 12.5), ("3.25", 3.25)], [-1, "much", float("inf"), True]),
    "bool": ([(True, True), ("ja", True), ("no", False), (0, False)], ["maybe", 2]),
    "date": ([("2026-03-14", "2026-03-14"), (dt.date(2026, 1, 2), "2026-01-02")], ["14.03.2026", "tomorrow", 7]),
    "datetime": ([("2026-03-14T09:30", "2026-03-14T09:30"), (dt.datetime(2026, 1, 2, 8, 5, 7), "2026-01-02T08:05")],
                 ["9:30", "2026-13-01T00:00"]),
    "ref": ([(3, 3), ("7", 7), (None, None)], [0, -2, "x", True]),
    "refs": ([([1, 2, 2], [1, 2]), ((3,), [3]), ([], [])], ["1,2", [0], [1, "x"], {"a": 1}]),
    "strs": ([(["Blau", "Grün", "Blau"], ["Blau", "Grün"])], ["Blau", [""], ["   "], [1]]),
    "scores": ([({"Anna": 2, "Ben": -1}, {"Anna": 2, "Ben": -1})], [{"Anna": 3}, {"": 1}, {"Anna": "x"}, [1]]),
    "measurements": ([([{"date": "2026-02-01", "value": "3,5"}, {"date": "2026-01-01", "value": 2, "note": "n"}],
                       [{"date": "2026-01-01", "value": 2.0, "note": "n"},
                        {"date": "2026-02-01", "value": 3.5, "note": ""}])],
                     [[{"value": 1}], [{"date": "x", "value": 1}], "1"]),
    "feedback": ([([{"date": "2026-02-01", "said": "gut", "score": "2"}, {"date": "2026-01-01", "score": 0}],
                   [{"date": "2026-01-01", "channel": "", "said": "", "score": 0, "shared_with_staff": None},
                    {"date": "2026-02-01", "channel": "", "said": "gut", "score": 2, "shared_with_staff": None}])],
                 [[{"said": "x"}], [{"date": "2026-01-01", "score": 3}], [{"date": "2026-01-01", "who": "x"}], "x"]),
}

FIELDS = {
    "text": ("observation", "text"),
    "choice": ("observation", "kind"),
    "int": ("touchpoint", "ist_rating"),
    "float": ("action", "budget"),
    "bool": ("touchpoint", "moment_of_truth"),
    "date": ("interview", "date"),
    "datetime": ("followup", "date"),
    "ref": ("idea", "touchpoint"),
    "refs": ("hypothesis", "observations"),
    "strs": ("workshop", "teams"),
    "scores": ("touchpoint", "emotion"),
    "measurements": ("kpi", "measurements"),
    "feedback": ("idea", "feedback_log"),
}


def test_every_field_type_is_covered() -> None:
    used = {f.type for k in model.KINDS.values() for f in k.fields}
    assert used == set(GOOD_BAD) == set(FIELDS)


@pytest.mark.parametrize("ftype", sorted(GOOD_BAD))
def test_good_values_are_cleaned(ftype: str) -> None:
    kind_name, field_name = FIELDS[ftype]
    f = model.kind(kind_name).field(field_name)
    for raw, expected in GOOD_BAD[ftype][0]:
        assert f.clean(kind_name, raw) == expected, raw


@pytest.mark.parametrize("ftype", sorted(GOOD_BAD))
def test_bad_values_name_kind_and_field(ftype: str) -> None:
    kind_name, field_name = FIELDS[ftype]
    f = model.kind(kind_name).field(field_name)
    for raw in GOOD_BAD[ftype][1]:
        with pytest.raises(ValidationError) as err:
            f.clean(kind_name, raw)
        assert str(err.value).startswith(f"{kind_name}.{field_name} "), str(err.value)


def test_message_matches_the_documented_example() -> None:
    with pytest.raises(ValidationError, match=r"^touchpoint\.ist_rating must be 1\.\.5, got 9$"):
        model.kind("touchpoint").validate({"stage": "contact", "name": "Hotline", "ist_rating": 9})


def test_required_and_empty() -> None:
    obs = model.kind("observation")
    with pytest.raises(ValidationError, match=r"observation\.text is required"):
        obs.validate({})
    for blank in ("", "   ", "\n\t"):
        with pytest.raises(ValidationError, match=r"observation\.text must not be empty"):
            obs.validate({"text": blank})
    # optional text may be empty and is stored as such
    assert obs.validate({"text": "x", "who": ""})["who"] == ""


def test_unknown_field_is_named() -> None:
    with pytest.raises(ValidationError, match=r"observation\.colour is not a field of observation"):
        model.kind("observation").validate({"text": "x", "colour": "red"})


def test_cross_field_rule_due_after_start() -> None:
    action = model.kind("action")
    record = action.validate({"what": "Train hotline", "start": "2026-05-01", "due": "2026-04-01"})
    with pytest.raises(ValidationError, match=r"^action\.due must not be before action\.start"):
        action.check_record(record)


def test_emotion_range_names_the_persona() -> None:
    with pytest.raises(ValidationError, match=r"touchpoint\.emotion \['Ida'\] must be -2\.\.2, got 3"):
        model.kind("touchpoint").field("emotion").clean("touchpoint", {"Ida": 3})


def test_too_long_text_is_refused_with_its_length() -> None:
    with pytest.raises(ValidationError, match=r"observation\.text is too long: 200,001 characters"):
        model.kind("observation").field("text").clean("observation", "x" * 200_001)


def test_whole_method_is_modelled() -> None:
    expected = {"workshop", "observation", "hypothesis", "interview", "evidence", "learning_card", "canvas_item",
                "touchpoint", "idea", "action", "kpi", "followup"}
    assert set(model.KINDS) == expected
    assert model.kind("interview").field("real_name").private
