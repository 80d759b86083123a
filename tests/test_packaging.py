"""Packaging: the wheel holds everything the kit reads at run time, and runs from a fresh venv.

The wheel is built from this checkout, installed without ``-e`` into a new virtual environment (its
build backend and dependencies come from the configured package index, as in any user's install) and
driven from outside the source tree: ``kit demo`` needs the canvases, the sample data and the texts;
``kit export --html`` the report template, its partials and CSS. The file list of the wheel is compared with the source
tree, so a new JS/CSS/YAML/template file that the wheel would miss fails here, not at a client.
"""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{cmd} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _data_files(folder: Path) -> set[str]:
    """Every file under ``folder`` the kit may read: all but Python sources and caches."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
            and ".ipynb_checkpoints" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", dist, ROOT, cwd=dist)
    wheels = list(dist.glob("workshop_kit-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_runtime_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_name_and_spec(d) for d in env["dependencies"] if isinstance(d, str))
    for section in (d for d in env["dependencies"] if isinstance(d, dict)):
        conda.update(_name_and_spec(d) for d in section.get("pip", []))
    assert conda.pop("python") == project["requires-python"]
    assert conda == dict(_name_and_spec(d) for d in project["dependencies"])


def test_import_kit_loads_no_heavy_library() -> None:
    code = ("import sys, kit; print(sorted(m for m in ('pandas', 'matplotlib', 'ipywidgets', 'anywidget', "
            "'nbconvert', 'yaml', 'psycopg') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_wheel_holds_every_data_file_of_the_kit(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {n.removeprefix("kit/") for n in names if n.startswith("kit/") and not n.endswith(".py")}
    wanted = (_data_files(ROOT / "kit") | {f"canvases/{n}" for n in _data_files(ROOT / "canvases")}
              | {f"data/{n}" for n in _data_files(ROOT / "data")})
    assert "py.typed" in wanted, "kit/py.typed marks the package as typed for mypy users"
    assert wanted <= shipped, sorted(wanted - shipped)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(entry_points).decode()
    assert "kit = kit.cli:main" in text and "workshop_pdf = kit.report.exporter:WorkshopPDFExporter" in text


@pytest.mark.slow
def test_the_wheel_runs_demo_and_export_from_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python, kit_command = venv / "bin" / "python", venv / "bin" / "kit"
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, cwd=tmp_path)
    # outside the checkout and without PYTHONPATH: only the installed wheel can answer
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = _run(python, "-c", "import kit; print(kit.__file__)", cwd=tmp_path, env=env).strip()
    assert Path(where).is_relative_to(venv), where

    workshop, page = tmp_path / "hotel.workshop", tmp_path / "report.html"
    _run(kit_command, "demo", workshop, "--lang", "en", cwd=tmp_path, env=env)
    info = _run(kit_command, "info", workshop, cwd=tmp_path, env=env)
    title = json.loads((ROOT / "data" / "sample_en.json").read_text(encoding="utf-8"))["workshop"]["title"]
    assert title in info
    _run(kit_command, "export", workshop, "--html", page, "--quiet", cwd=tmp_path, env=env)
    written = page.read_text(encoding="utf-8")
    assert written.lstrip().lower().startswith("<!doctype html") and title in html.unescape(written)
    assert "<svg" in written  # the canvases drawn by kit.render
    assert "@page" in written  # the workshop template's report.css, inlined
