"""Two languages that cannot drift: every text in German and English with the same
placeholders, the same agenda steps, and no reference to a text that does not exist."""
from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
import yaml

from kit import agenda, i18n, model
from kit.sessions.interview import JOURNEY_TEXTS

ROOT = Path(__file__).resolve().parent.parent
TEXT_FILES = sorted((ROOT / "kit" / "texts").glob("*.yaml"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("file", TEXT_FILES, ids=lambda p: p.name)
def test_every_key_has_both_languages_with_same_placeholders(file: Path) -> None:
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    assert data, f"{file.name} is empty"
    for key, entry in data.items():
        assert isinstance(entry, dict), f"{file.name}:{key} must map de/en to text"
        for lang in i18n.LANGUAGES:
            value = entry.get(lang)
            assert isinstance(value, str) and value.strip(), f"{file.name}:{key} has no {lang} text"
        assert placeholders(entry["de"]) == placeholders(entry["en"]), f"{file.name}:{key} placeholders differ"
        assert set(entry) <= set(i18n.LANGUAGES), f"{file.name}:{key} has unknown languages {set(entry)}"


def test_both_languages_cover_the_same_agenda_steps() -> None:
    for lang in i18n.LANGUAGES:
        steps = agenda.steps(lang)
        assert [s.id for s in steps] == list(agenda.STEP_IDS)
    catalogue = i18n.catalogue()
    step_keys = {k for k in catalogue if k.startswith("notebooks.step_")}
    wanted = {agenda.text_key(s, part) for s in agenda.NOTEBOOK_IDS for part in ("title", *agenda.SECTIONS)}
    assert step_keys == wanted  # no orphan step, no missing part
    for key in wanted:
        assert catalogue[key]["de"] != catalogue[key]["en"] or key.endswith("05_canvas_title"), key


def test_model_choices_have_labels_in_both_languages() -> None:
    catalogue = i18n.catalogue()
    needed = [f"notebooks.status_{s}" for s in model.HYPOTHESIS_STATUSES]
    needed += [f"notebooks.stance_{s}" for s in model.STANCES]
    needed += [f"notebooks.kind_{k}" for k in model.HYPOTHESIS_KINDS]
    needed += [f"notebooks.format_{f}" for f in model.INTERVIEW_FORMATS]
    needed += [f"notebooks.followup_{k}" for k in model.FOLLOWUP_KINDS]
    needed += [f"notebooks.action_{k}" for k in model.ACTION_STATUSES]
    missing = [k for k in needed if k not in catalogue]
    assert not missing


def _notebook_code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def test_notebooks_reference_only_existing_keys() -> None:
    catalogue = i18n.catalogue()
    for path in NOTEBOOKS:
        code = _notebook_code(path)
        step = re.search(r'STEP = "([^"]+)"', code)
        assert step and step.group(1) == path.stem, path.name
        for part in ("title", *agenda.SECTIONS):
            assert agenda.text_key(step.group(1), part) in catalogue
        for key in re.findall(r'nb\.say\(ws, "([^"]+)"', code):
            assert f"notebooks.{key}" in catalogue, f"{path.name} uses unknown text {key}"


def test_python_references_only_existing_keys() -> None:
    """Literal keys in kit/*.py and the facilitator widgets exist in kit/texts."""
    catalogue = i18n.catalogue()
    files = [ROOT / "kit" / n for n in ("synthesis.py", "plan.py", "guide.py", "agenda.py", "notebook.py")]
    files += [ROOT / "kit" / "widgets" / n for n in ("timer.py", "agenda.py", "interview.py", "form.py")]
    for file in files:
        source = file.read_text(encoding="utf-8")
        for key in re.findall(r'i18n\.t\(\s*"([a-z_]+\.[a-z0-9_]+)"', source):
            assert key in catalogue, f"{file.name} uses unknown text {key}"
        for key in re.findall(r'say\(ws, "([a-z_]+)"', source):
            assert f"notebooks.{key}" in catalogue, f"{file.name} uses unknown text {key}"
        for key in re.findall(r'self\.texts\["([a-z_]+)"\]', source):
            assert f"facilitation.{key}" in catalogue, f"{file.name} uses unknown text {key}"


@pytest.mark.parametrize("name", ["timer", "agenda", "interview"])
def test_widget_js_uses_only_existing_keys(name: str) -> None:
    """Keys the browser reads (t.key, tx.key, t().key) exist, or are stance/status labels sent along."""
    source = (ROOT / "kit" / "widgets" / f"{name}.js").read_text(encoding="utf-8")
    keys = set(re.findall(r'\b(?:t|tx|t\(\))\.([a-z][a-z0-9_]+)', source))
    assert keys, f"{name}.js reads no texts"
    facilitation = i18n.texts("facilitation", "en")
    facilitation |= {k: i18n.t(f"journey.{k}", "en") for k in JOURNEY_TEXTS}  # sent along by the interview session
    missing = sorted(k for k in keys if k not in facilitation)
    assert not missing, f"{name}.js uses unknown texts {missing}"


def test_the_value_proposition_canvas_is_credited_to_its_owner() -> None:
    assert i18n.t("attribution.value_proposition", "de") == "Value Proposition Canvas: Strategyzer AG (strategyzer.com)"


def test_texts_returns_the_requested_language() -> None:
    de, en = i18n.texts("notebooks", "de"), i18n.texts("notebooks", "en")
    assert de.keys() == en.keys()
    assert de["status_confirmed"] == "bestätigt" and en["status_confirmed"] == "confirmed"
