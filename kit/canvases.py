"""Canvas declarations: the YAML files in ``canvases/`` that define every canvas type.

A new canvas type is a new file, no code. ``declaration(id)`` loads and checks one; a
mistake in a file raises ``CanvasDeclarationError`` naming the file and the key, e.g.
``canvases/empathy_map.yaml: areas[2].question.en is missing``.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from . import model
from .errors import CanvasDeclarationError, NotFound

LAYOUTS = ("value_proposition", "grid", "touchpoint_map")
AREA_KINDS = ("value_map", "customer_profile", "board", "stage")
LANGS = model.LANGUAGES
#: What a canvas may be about besides its own notes, named under its intro (``about``): the idea the team chose.
ABOUT = (None, "chosen_idea")


def search_path() -> list[Path]:
    """Folders searched for ``*.yaml``: $KIT_CANVASES (os.pathsep-separated), then the kit's own."""
    extra = [Path(p) for p in os.environ.get("KIT_CANVASES", "").split(os.pathsep) if p]
    here = Path(__file__).resolve().parent
    return [*extra, here / "canvases", here.parent / "canvases"]


def available() -> dict[str, Path]:
    """Canvas id -> file, first folder on the search path wins."""
    found: dict[str, Path] = {}
    for folder in search_path():
        for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            found.setdefault(file.stem, file)
    return found


def declaration(canvas_id: str) -> dict[str, Any]:
    """The checked declaration of ``canvas_id``."""
    files = available()
    if canvas_id not in files:
        raise NotFound("canvases.no_canvas", name=canvas_id, available=", ".join(sorted(files)) or "-")
    return load(files[canvas_id])


@functools.lru_cache(maxsize=64)
def _load_cached(path: Path, mtime: float) -> dict[str, Any]:
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a tenth of the time
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CanvasDeclarationError("canvases.not_yaml", where=_name(path), detail=str(exc).splitlines()[0]) from None
    return check(data, _name(path), path.stem)


def load(path: str | os.PathLike[str]) -> dict[str, Any]:
    path = Path(path)
    return _load_cached(path, path.stat().st_mtime)


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def check(data: Any, where: str, expected_id: str | None = None) -> dict[str, Any]:
    """Validate a declaration; returns it with defaults filled in."""
    def fail(key: str, problem: str, **params: Any) -> CanvasDeclarationError:
        return CanvasDeclarationError(problem, where=where, key=key, **params)

    def need(obj: dict[str, Any], key: str, path: str, kind: type = str) -> Any:
        if key not in obj or obj[key] in (None, ""):
            raise fail(f"{path}{key}", "canvases.missing")
        if not isinstance(obj[key], kind):
            raise fail(f"{path}{key}", "canvases.wrong_type", type=kind.__name__, got=obj[key])
        return obj[key]

    def text(obj: dict[str, Any], key: str, path: str, required: bool = True) -> dict[str, str]:
        if key not in obj and not required:
            return {lang: "" for lang in LANGS}
        value: dict[str, str] = need(obj, key, path, dict)
        for lang in LANGS:
            need(value, lang, f"{path}{key}.")
        return value

    if not isinstance(data, dict):
        raise fail("the file", "canvases.not_mapping")
    canvas_id = need(data, "id", "")
    if expected_id is not None and canvas_id != expected_id:
        raise fail("id", "canvases.id_mismatch", expected=expected_id, got=canvas_id)
    text(data, "title", "")
    text(data, "intro", "", required=False)
    layout = need(data, "layout", "")
    if layout not in LAYOUTS:
        raise fail("layout", "canvases.choice", choices=", ".join(LAYOUTS), got=layout)
    source = data.setdefault("source", "canvas_items")
    if source not in model.BY_COLLECTION:
        raise fail("source", "canvases.source", choices=", ".join(model.COLLECTIONS), got=source)
    if data.setdefault("about", None) not in ABOUT:
        raise fail("about", "canvases.choice", choices=", ".join(a for a in ABOUT if a), got=data["about"])
    kind = model.BY_COLLECTION[source]
    for key, default in (("area_field", "area"), ("text_field", kind.title_field)):
        name = data.setdefault(key, default)
        if name not in kind.field_names:
            raise fail(key, "canvases.field", kind=kind.name, got=name)
    areas = need(data, "areas", "", list)
    ids = []
    for i, area in enumerate(areas):
        path = f"areas[{i}]."
        if not isinstance(area, dict):
            raise fail(f"areas[{i}]", "canvases.area_mapping")
        ids.append(need(area, "id", path))
        area.setdefault("kind", "board")
        if area["kind"] not in AREA_KINDS:
            raise fail(f"{path}kind", "canvases.choice", choices=", ".join(AREA_KINDS), got=area["kind"])
        text(area, "title", path)
        area["question"] = text(area, "question", path, required=layout != "touchpoint_map")
        if "rank" in area:
            text(area, "rank", path)
        if area.get("evidence") not in (None, *model.HYPOTHESIS_KINDS):
            raise fail(f"{path}evidence", "canvases.choice", choices=", ".join(model.HYPOTHESIS_KINDS),
                       got=area["evidence"])
        score = area.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not -2 <= score <= 2):
            raise fail(f"{path}score", "canvases.area_score", got=score)
        if layout == "grid":
            cell = area.get("cell")
            if not (isinstance(cell, list) and len(cell) == 4 and all(isinstance(n, int) and n >= 0 for n in cell)):
                raise fail(f"{path}cell", "canvases.cell")
    if len(set(ids)) != len(ids):
        raise fail("areas", "canvases.duplicate_ids", ids=", ".join(sorted({a for a in ids if ids.count(a) > 1})))
    for i, area in enumerate(areas):
        if area.get("fits") is not None and area["fits"] not in ids:
            raise fail(f"areas[{i}].fits", "canvases.fits", ids=", ".join(ids), got=area["fits"])
    rank = data.setdefault("rank_scale", {"min": 1, "max": 5})
    if not (isinstance(rank, dict) and isinstance(rank.get("min"), int) and isinstance(rank.get("max"), int)
            and rank["min"] < rank["max"]):
        raise fail("rank_scale", "canvases.rank_scale")
    colors = data.setdefault("colors", ["#fff3a8", "#ffd1dc", "#c8f0c8", "#cfe3ff", "#ffe0b2", "#e6d5ff"])
    if not (isinstance(colors, list) and colors and all(isinstance(c, str) for c in colors)):
        raise fail("colors", "canvases.colors")
    labels = data.setdefault("color_labels", [])  # what each colour means here (e.g. a channel), if anything
    if not (isinstance(labels, list) and len(labels) in (0, len(colors))
            and all(isinstance(label, dict) and all(isinstance(label.get(lang), str) and label[lang]
                                                    for lang in LANGS) for label in labels)):
        raise fail("color_labels", "canvases.color_labels", n=len(colors))
    if layout == "touchpoint_map":
        lanes = need(data, "lanes", "", list)
        for i, lane in enumerate(lanes):
            need(lane, "id", f"lanes[{i}].")
            text(lane, "title", f"lanes[{i}].")
    return data


def text_in(value: dict[str, str] | None, language: str) -> str:
    """Pick the workshop language from a ``{de: ..., en: ...}`` mapping."""
    if not value:
        return ""
    return value.get(language) or value.get("en") or next(iter(value.values()), "")
