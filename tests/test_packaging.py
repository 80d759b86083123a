"""Packaging: environment.yml mirrors pyproject, and importing kit stays light."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_runtime_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_name_and_spec(d) for d in env["dependencies"] if isinstance(d, str))
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    for section in pip_section:
        conda.update(dict(_name_and_spec(d) for d in section.get("pip", [])))
    python = conda.pop("python")
    assert python == project["requires-python"]
    assert conda == dict(_name_and_spec(d) for d in project["dependencies"])


def test_import_kit_loads_no_heavy_library() -> None:
    code = "import sys, kit; print(sorted(m for m in ('pandas', 'matplotlib', 'ipywidgets', 'anywidget', " \
           "'nbconvert', 'yaml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_canvases_and_samples_ship_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    forced = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert forced == {"canvases": "kit/canvases", "data": "kit/data"}
