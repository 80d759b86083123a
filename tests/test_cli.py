"""The kit command: help everywhere, one-line errors, and the commands of the foundation."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kit
from kit.cli import COMMANDS


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_help_lists_every_command() -> None:
    out = run("--help")
    assert out.returncode == 0
    for name in COMMANDS:
        assert name in out.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_has_help(name: str) -> None:
    out = run(name, "--help")
    assert out.returncode == 0 and "usage: kit " + name in out.stdout


def test_new_info_dump_load(tmp_path: Path) -> None:
    ws_file = tmp_path / "a.workshop"
    assert run("new", str(ws_file), "--title", "Kick-off <b>&</b>", "--lang", "en").returncode == 0
    info = run("info", str(ws_file))
    assert "Kick-off <b>&</b>" in info.stdout and "language" in info.stdout
    dump = run("dump", str(ws_file))
    data = json.loads(dump.stdout)
    assert data["workshop"]["title"] == "Kick-off <b>&</b>"
    (tmp_path / "a.json").write_text(dump.stdout, encoding="utf-8")
    assert run("load", str(tmp_path / "b.workshop"), str(tmp_path / "a.json")).returncode == 0
    assert kit.open(tmp_path / "b.workshop").info["title"] == "Kick-off <b>&</b>"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_demo_writes_a_complete_sample(tmp_path: Path, lang: str) -> None:
    out = run("demo", str(tmp_path / "s.workshop"), "--lang", lang)
    assert out.returncode == 0, out.stderr
    ws = kit.open(tmp_path / "s.workshop")
    assert ws.language == lang
    assert all(len(getattr(ws, name)) > 0 for name in kit.model.COLLECTIONS)


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    existing = tmp_path / "x.workshop"
    existing.write_text("mine")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    cases = [
        ("new", str(existing), "--title", "t"),
        ("info", str(tmp_path / "missing.workshop")),
        ("info", str(existing)),
        ("dump", str(tmp_path)),
        ("load", str(tmp_path / "n.workshop"), str(bad_json)),
        ("load", str(tmp_path / "n.workshop"), str(tmp_path / "nope.json")),
    ]
    for args in cases:
        out = run(*args)
        assert out.returncode == 2, args
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kit: error: "), (args, out.stderr)
        assert "Traceback" not in out.stderr
    assert existing.read_text() == "mine"
    assert not (tmp_path / "n.workshop").exists()


def test_usage_errors_exit_non_zero() -> None:
    out = run("new")
    assert out.returncode != 0 and "required" in out.stderr


def test_the_kit_command_works_without_the_hub_extra(tmp_path: Path) -> None:
    """`pip install workshop-kit` without `[hub]` has no JupyterHub: every command but `kit hub` still runs."""
    blocked = ("import sys\n"
               "class NoHub:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name.split('.')[0] in ('jupyterhub', 'nativeauthenticator'):\n"
               "            raise ModuleNotFoundError(name)\n"
               "sys.meta_path.insert(0, NoHub())\n"
               "from kit.cli import main\n"
               "sys.exit(main(sys.argv[1:]))\n")
    for argv in (["--help"], ["demo", str(tmp_path / "s.workshop"), "--lang", "en"], ["hub", "--help"]):
        done = subprocess.run([sys.executable, "-c", blocked, *argv], capture_output=True, text=True, timeout=120,
                              check=False)
        assert done.returncode == 0, (argv, done.stderr[-2000:])
    assert (tmp_path / "s.workshop").is_file()
