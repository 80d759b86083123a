"""What every browser test needs: Debian's Chromium settings and a private JupyterLab server.

The server runs on 127.0.0.1 with a token, with its config, data, runtime, settings and
workspaces in a temp folder (news and update checks off), and is stopped afterwards.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kit.netutil import free_port
from kit.report.exporter import CHROMIUM_FLAGS
from waiting import wait_for

CHROMIUM = "/usr/bin/chromium"


def write_settings(settings: Path, extra: dict[tuple[str, str], dict[str, Any]] | None = None) -> None:
    """JupyterLab user settings: news off, plus ``{(extension, plugin): values}``."""
    wanted = {("apputils-extension", "notification"): {"fetchNews": "false", "checkForUpdates": False},
              **(extra or {})}
    for (folder, name), values in wanted.items():
        target = settings / "@jupyterlab" / folder
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{name}.jupyterlab-settings").write_text(json.dumps(values), encoding="utf-8")


def private_dirs(base: Path) -> dict[str, str]:
    """Environment that keeps Jupyter's config, data, runtime, settings and workspaces under ``base``."""
    return {"JUPYTER_CONFIG_DIR": str(base / "config"), "JUPYTER_DATA_DIR": str(base / "data"),
            "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces")}


@dataclass
class Lab:
    """A running JupyterLab: where it answers, its token, the folder it serves, and its REST API."""

    url: str
    token: str
    root: Path

    def tree(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, data=json.dumps(body).encode() if body else None,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            data = response.read()
        return json.loads(data) if data else None

    def close_kernels(self) -> None:
        """End every session, so no kernel outlives the test that started it."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")


def write_notebook(path: Path, cells: list[str]) -> None:
    """A notebook of code cells on the python3 kernel (never a "Select Kernel" dialog)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def lab_folders(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Path, Path]:
    """``(base, root)`` for a private JupyterLab; skips the module when Debian's Chromium is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make system)")
    base = tmp_path_factory.mktemp(name)
    root = base / "root"
    root.mkdir()
    return base, root


@contextmanager
def jupyterlab(base: Path, root: Path, env: dict[str, str],
               settings: dict[tuple[str, str], dict[str, Any]] | None = None) -> Iterator[Lab]:
    """Start JupyterLab serving ``root``; yields it once it answers."""
    write_settings(base / "settings", settings)
    full_env = {**os.environ, "MPLBACKEND": "Agg", **private_dirs(base), **env}
    port, token = free_port(), secrets.token_hex(16)
    log = base / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
             "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=", *(["--allow-root"] if os.geteuid() == 0 else [])],
            cwd=root, env={**full_env, "JUPYTER_TOKEN": token},  # never a token on a command line
            stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, token, process, log)
        yield Lab(url, token, root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url: str, token: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """A starting server offers no event to await: poll its status, and stop early if it died."""

    def up() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                return bool(response.status == 200)
        except urllib.error.HTTPError as exc:
            exc.close()  # the error is the response: close its socket
            return False
        except OSError:
            return False

    try:
        wait_for(up, timeout, "JupyterLab to answer", interval=0.2)
    except AssertionError as exc:
        raise RuntimeError(f"{exc}:\n{log.read_text()[-3000:]}") from None


def run_all_cells(page: Any) -> None:
    """Wait for a connected, idle kernel, then Run → Run All Cells until a cell has started."""
    import re

    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # the status bar says "| Idle" once the kernel is connected, not merely starting
    page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first.wait_for(timeout=60_000)
    started = page.locator(".jp-CodeCell .jp-InputPrompt", has_text=re.compile(r"\[[0-9*]+\]")).first
    for attempt in range(3):  # a click in the instant the session settles can be dropped
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            started.wait_for(timeout=10_000)
            return
        except Exception:
            if attempt == 2:
                raise


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
