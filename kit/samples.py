"""The sample workshops in data/ and loading JSON documents into new workshop files."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import formats
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


def demo(path: str | os.PathLike[str], language: str = "de", actor: str | None = None) -> Workshop:
    """Write the complete sample workshop (German: collections team; English: event hotel)."""
    return load(path, sample_path(language), actor)
