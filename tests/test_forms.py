"""Choice values in the forms and tables show in the workshop language; the store keeps the value."""
from __future__ import annotations

import pytest

import kit
from kit import i18n, model
from kit import notebook as nb
from kit.widgets.form import RecordForm, choice_label

CHOICES = [(kind.name, f.name, value) for kind in model.KINDS.values() for f in kind.fields if f.type == "choice"
           for value in f.choices]
# the same value shown in a table (kit/texts/notebooks.yaml) must read the same in the form
TABLE_KEYS = {("hypothesis", "status"): "status_", ("hypothesis", "kind"): "kind_", ("evidence", "stance"): "stance_",
              ("interview", "format"): "format_", ("action", "status"): "action_",
              ("followup", "kind"): "followup_"}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_choice_of_the_model_has_a_label(lang: str) -> None:
    assert CHOICES  # the model has choice fields at all
    for kind, field, value in CHOICES:
        key = f"forms.{kind}_{field}_{value}"
        assert key in i18n.catalogue(), f"no label {key}"
        table = TABLE_KEYS.get((kind, field))
        if table:
            assert choice_label(kind, field, value, lang) == i18n.t(f"notebooks.{table}{value}", lang), key
    assert choice_label("action", "status", "never-heard-of", lang) == "never-heard-of"


def test_labels_differ_between_languages_where_the_words_do() -> None:
    assert choice_label("followup", "kind", "team_session", "de") == "Teamtermin"
    assert choice_label("followup", "kind", "team_session", "en") == "Team session"
    assert choice_label("action", "status", "doing", "de") == "in Arbeit"


def test_action_form_shows_german_status_and_stores_the_value(ws_de: kit.Workshop) -> None:
    form = RecordForm(ws_de, "actions", ["who", "what", "status"])
    status = form.controls["status"]
    shown = dict(status.options)  # label -> value
    assert shown["offen"] == "open" and shown["in Arbeit"] == "doing" and shown["verworfen"] == "dropped"
    assert "doing" not in shown and "open" not in shown  # no raw value as a label
    form.controls["what"].value = "Dankeskarten drucken"
    status.value = "doing"
    assert status.label == "in Arbeit"
    action = form.save()
    assert action and ws_de.actions[action]["status"] == "doing"
    form.picker.value = 0
    form.picker.value = action  # load it back: the drop-down shows the label of the stored value
    assert (status.value, status.label) == ("doing", "in Arbeit")


def test_followup_form_shows_german_kind_and_stores_the_value(ws_de: kit.Workshop) -> None:
    form = RecordForm(ws_de, "followups", ["kind", "date", "duration_min", "topic"])
    kind = form.controls["kind"]
    assert [label for label, _ in kind.options] == ["Teamtermin", "Statustermin", "Training", "Termin"]
    kind.value = "status_review"
    form.controls["date"].value = "2026-12-01T10:00"
    form.controls["duration_min"].value = "60"
    form.controls["topic"].value = "Stand & nächste Schritte"
    followup = form.save()
    assert followup, form.status.value
    assert ws_de.followups[followup]["kind"] == "status_review"


def test_english_form_keeps_english_labels(ws: kit.Workshop) -> None:
    form = RecordForm(ws, "followups", ["kind"])
    assert dict(form.controls["kind"].options)["Team session"] == "team_session"


def test_records_table_translates_choices_and_dates(ws_de: kit.Workshop) -> None:
    ws_de.observations.add(text="<b>wartet</b> & zahlt", kind="quote", when="2026-10-08T09:00")
    shown = nb.records(ws_de, "observations", ["kind", "text", "when"])
    assert "Zitat" in shown.markup and ">quote<" not in shown.markup
    assert "2026-10-08 09:00" in shown.markup
    assert "&lt;b&gt;wartet&lt;/b&gt; &amp; zahlt" in shown.markup  # literal, never HTML
    assert ws_de.observations.all()[0]["kind"] == "quote"


def test_table_shows_text_literally_with_ticks_and_breakable_long_words(ws_de: kit.Workshop) -> None:
    import pandas as pd

    frame = pd.DataFrame({"<i>Kopf</i>": ["<script>x</script> & %$#_{}~^\\", "ا" * 25 + "y" * 45],
                          "ok": [True, False]})
    shown = nb.table(ws_de, frame)
    assert "<script>" not in shown.markup and "<i>" not in shown.markup
    assert "&lt;script&gt;x&lt;/script&gt; &amp; %$#_{}~^\\" in shown.markup
    assert "&lt;i&gt;Kopf&lt;/i&gt;" in shown.markup
    assert "<td>✓</td>" in shown.markup and "<td>–</td>" in shown.markup and "True" not in shown.markup
    long_cell = ("ا" * 25 + "y" * 45)
    assert shown.markup.count("<wbr>") == 3 and long_cell[:20] + "<wbr>" in shown.markup
    assert long_cell in shown.text  # the plain text keeps the word whole


def test_dates_in_tables_do_not_break_at_their_hyphens(ws_de: kit.Workshop) -> None:
    import pandas as pd

    shown = nb.table(ws_de, pd.DataFrame({"Bis": ["2026-10-30", "2026-10-08 09:00", "2026-10-30 <b>"]}))
    assert '<span class="kit-nowrap">2026-10-30</span>' in shown.markup
    assert '<span class="kit-nowrap">2026-10-08 09:00</span>' in shown.markup
    assert "<td>2026-10-30 &lt;b&gt;</td>" in shown.markup  # not a date: escaped text as usual
