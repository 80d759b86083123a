"""The sample workshops in data/ and loading JSON documents into new workshop files."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import formats
from .store import WorkshopError
from .workshop import Workshop


def data_dir() -> Path:
    """data/ of a checkout, or the copy inside an installed wheel."""
    here = Path(__file__).resolve().parent
    for folder in (here / "data", here.parent / "data"):
        if folder.is_dir():
            return folder
    raise WorkshopError("the sample data folder is missing from this installation")


def sample_path(language: str) -> Path:
    path = data_dir() / f"sample_{language}.json"
    if not path.exists():
        raise WorkshopError(f"no sample workshop in language {language!r} (have: de, en)")
    return path


def load(path: str | os.PathLike[str], source: str | os.PathLike[str] | dict[str, Any],
         actor: str | None = None) -> Workshop:
    """Create a workshop at ``path`` from a JSON file or document (never overwrites ``path``)."""
    if isinstance(source, dict):
        return formats.load_into_new(path, source, "document", actor)
    source = Path(source)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkshopError(f"{source}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WorkshopError(f"{source}: not valid JSON ({exc})") from None
    return formats.load_into_new(path, data, str(source), actor)


def demo(path: str | os.PathLike[str], language: str = "de", actor: str | None = None) -> Workshop:
    """Write the complete sample workshop (German: collections team; English: event hotel)."""
    return load(path, sample_path(language), actor)
