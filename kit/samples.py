"""The sample workshops in data/ and loading JSON documents into new workshop files."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import formats, model, tracking
from .errors import NotFound, StoreError
from .workshop import Workshop, default_actor


def data_dir() -> Path:
    """data/ of a checkout, or the copy inside an installed wheel."""
    here = Path(__file__).resolve().parent
    for folder in (here / "data", here.parent / "data"):
        if folder.is_dir():
            return folder
    raise NotFound("workshop.no_data_folder")


def sample_path(language: str) -> Path:
    path = data_dir() / f"sample_{language}.json"
    if not path.exists():
        raise NotFound("workshop.no_sample", language=language)
    return path


def load(path: str | os.PathLike[str], source: str | os.PathLike[str] | dict[str, Any],
         actor: str | None = None) -> Workshop:
    """Create a workshop at ``path`` from a JSON file or document (never overwrites ``path``)."""
    actor = actor or default_actor()
    if isinstance(source, dict):
        return Workshop(formats.load_into_new(path, source, "document", actor), actor)
    source = Path(source)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFound("document.no_file", file=str(source)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StoreError("document.not_json", file=str(source), detail=str(exc)) from None
    return Workshop(formats.load_into_new(path, data, str(source), actor), actor)


#: How the samples looked when the workshop ended, before the follow-ups changed them: records added
#: since (collection -> ids), records removed since, and texts changed since (collection -> id -> old text).
WORKSHOP_END: dict[str, dict[str, Any]] = {
    "de": {"added": {"touchpoints": [18], "canvas_items": [37], "evidence": [31, 32]},
           "removed": {"canvas_items": [{"id": 38, "canvas": "value_proposition", "area": "products",
                                         "author": "Lukas Meier", "team": "Digitalkanäle", "position": 5,
                                         "text": "Zahlungserinnerung per Messenger zwei Tage vor jeder Rate"}]},
           "texts": {"canvas_items": {5: "Erstes Anschreiben in Alltagssprache, mit Name und Durchwahl statt "
                                         "Drohkulisse"}}},
    "en": {"added": {"touchpoints": [19], "canvas_items": [36], "evidence": [28, 29]},
           "removed": {"canvas_items": [{"id": 37, "canvas": "value_proposition", "area": "products",
                                         "author": "Ben Okafor", "team": "Conference & Banqueting", "position": 5,
                                         "text": "Fixed-price event bundles sold online without a conversation"}]},
           "texts": {"canvas_items": {6: "“Yes, and here's how” rule: no first answer without an option"}}},
}


def demo(path: str | os.PathLike[str], language: str = "de", actor: str | None = None) -> Workshop:
    """Write the complete sample workshop (German: collections team; English: event hotel), with the
    snapshot taken at the workshop's end so "what changed since the workshop" has a story to tell."""
    ws = load(path, sample_path(language), actor)
    ws.store.save_snapshot(tracking.WORKSHOP_END, workshop_end(ws.to_dict(), WORKSHOP_END[language]), ws.actor)
    return ws


def workshop_end(doc: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    """``doc`` as it was at the workshop's end: ``then`` says what was added, removed and retexted since."""
    out = dict(doc)
    for name, ids in then["added"].items():
        out[name] = [r for r in out[name] if r["id"] not in ids]
    for name, records in then["removed"].items():
        kind = model.BY_COLLECTION[name]
        full = [kind.validate({k: v for k, v in r.items() if k != "id"}) | {"id": r["id"]} for r in records]
        out[name] = sorted([*out[name], *full], key=lambda r: r["id"])
    for name, texts in then["texts"].items():
        title = model.BY_COLLECTION[name].title_field
        out[name] = [{**r, title: texts.get(r["id"], r[title])} for r in out[name]]
    out["followups"] = [{**f, "held_at": None, "attendees": [], "minutes": "", "learned": ""} for f in out["followups"]]
    return out
