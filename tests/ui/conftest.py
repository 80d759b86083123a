"""Reusable fixtures for browser tests: a JupyterLab server the test starts, Chromium, notebooks.

* ``lab``: JupyterLab on 127.0.0.1 (a free port) with a token, its root, config, data,
  runtime, settings and workspaces in a temp dir, news and update checks off. Killed at the end.
* ``browser``: Debian's Chromium driven by Playwright (no download, no network), per test module.
* ``make_notebook(name, cells)``: write a notebook into the server's root.
* ``open_notebook(context, name)``: open it, wait for the kernel, run all cells from the menu,
  return the page. Every page records dialogs in ``page.kit_dialogs`` (an XSS would fire one).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from labserver import Lab, chromium, jupyterlab, lab_folders, run_all_cells, write_notebook

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "widgets"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base, root = lab_folders(tmp_path_factory, "lab")
    with jupyterlab(base, root, {"KIT_USER": "lab-user"}) as running:
        yield running


@pytest.fixture(scope="module")
def browser(lab: Lab):
    """Module-scoped: only one sync Playwright may run at a time, and other modules start their own."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def make_notebook(lab: Lab) -> Callable[[str, list[str]], str]:

    def make(name: str, cells: list[str]) -> str:
        write_notebook(lab.root / name, cells)
        return name

    return make


@pytest.fixture
def open_notebook(lab: Lab):
    """Open a notebook in a browser context and run all its cells; returns the page."""
    pages = []

    def open_(context, name: str, wait_for: str = ".kit-root"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page = context.new_page()
        page.kit_dialogs = []
        page.on("dialog", lambda d: (page.kit_dialogs.append(d.message), d.dismiss()))
        pages.append(page)
        page.goto(lab.tree(name))
        try:
            run_all_cells(page)
            page.wait_for_selector(wait_for, timeout=60_000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"failed_open_{name}.png"))
            raise
        return page

    yield open_
    for page in pages:
        page.close()
    lab.close_kernels()


@pytest.fixture
def screenshots(artifacts: Path) -> Path:
    folder = artifacts / "widgets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


