"""Reusable fixtures for browser tests: a JupyterLab server the test starts, Chromium, notebooks.

* ``lab``: JupyterLab on 127.0.0.1 (ports 8890-8899) with a token, its root, config, data,
  runtime, settings and workspaces in a temp dir, news and update checks off. Killed at the end.
* ``browser``: Debian's Chromium driven by Playwright (no download, no network), per test module.
* ``make_notebook(name, cells)``: write a notebook into the server's root.
* ``open_notebook(context, name)``: open it, wait for the kernel, run all cells from the menu,
  return the page. Every page records dialogs in ``page.kit_dialogs`` (an XSS would fire one).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PORTS = range(8890, 8900)
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "widgets"


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    process: subprocess.Popen

    def tree(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def _wait_until_up(url: str, token: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)  # a starting server offers no event to await; poll its status
    raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make system)")
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    root.mkdir()
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    env = {**os.environ,
           "JUPYTER_CONFIG_DIR": str(base / "config"), "JUPYTER_DATA_DIR": str(base / "data"),
           "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"), "KIT_USER": "lab-user", "MPLBACKEND": "Agg"}
    port, token = _free_port(), secrets.token_hex(16)
    log = base / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=", *(["--allow-root"] if os.geteuid() == 0 else [])],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, token, process, log)
        yield Lab(url, token, root, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser(lab: Lab):
    """Module-scoped: only one sync Playwright may run at a time, and other modules start their own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def make_notebook(lab: Lab) -> Callable[[str, list[str]], str]:
    import nbformat

    def make(name: str, cells: list[str]) -> str:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, lab.root / name)
        return name

    return make


@pytest.fixture
def open_notebook(lab: Lab):
    """Open a notebook in a browser context and run all its cells; returns the page."""
    pages = []

    def open_(context, name: str, wait_for: str = ".wk-root"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page = context.new_page()
        page.kit_dialogs = []
        page.on("dialog", lambda d: (page.kit_dialogs.append(d.message), d.dismiss()))
        pages.append(page)
        page.goto(lab.tree(name))
        try:
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            # the status bar says "| Idle" once the kernel is connected, not merely starting
            page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first.wait_for(timeout=60_000)
            started = page.locator(".jp-InputPrompt", has_text=re.compile(r"\[[0-9*]+\]")).first
            for attempt in range(3):  # a click in the instant the session settles can be dropped
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
                try:
                    started.wait_for(timeout=10_000)
                    break
                except Exception:
                    if attempt == 2:
                        raise
            page.wait_for_selector(wait_for, timeout=60_000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"failed_open_{name}.png"))
            raise
        return page

    yield open_
    for page in pages:
        page.close()
    for session in _api(lab, "GET", "/api/sessions"):  # kernels must not outlive the test
        _api(lab, "DELETE", f"/api/sessions/{session['id']}")


def _api(lab: Lab, method: str, path: str):  # noqa: ANN202
    request = urllib.request.Request(f"{lab.url}{path}", method=method,
                                     headers={"Authorization": f"token {lab.token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


@pytest.fixture
def screenshots(artifacts: Path) -> Path:
    folder = artifacts / "widgets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


