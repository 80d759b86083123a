"""Shared fixtures: fresh workshops, the samples, and an artifacts folder for screenshots/PDFs."""
from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import kit

#: Fixture modules beside this file: pgcluster (pg_cluster, a throwaway PostgreSQL server; pg_url, a fresh
#: workshop URL on it).
pytest_plugins = ["pgcluster"]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture
def artifacts() -> Path:
    """Folder kept after the run (screenshots, PDF pages): look at what it holds."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def ws(tmp_path: Path):
    """A fresh, empty English workshop."""
    with kit.new(tmp_path / "empty.workshop", title="Test workshop", language="en", actor="tester") as workshop:
        yield workshop


@pytest.fixture
def ws_de(tmp_path: Path):
    """A fresh, empty German workshop."""
    with kit.new(tmp_path / "de.workshop", title="Testworkshop", language="de", actor="tester") as workshop:
        yield workshop


@pytest.fixture(params=["de", "en"])
def sample(request: pytest.FixtureRequest, tmp_path: Path):
    """Each sample workshop (German collections team, English event hotel), freshly written."""
    with kit.demo(tmp_path / f"sample_{request.param}.workshop", request.param, actor="tester") as workshop:
        yield workshop


@pytest.fixture(autouse=True, scope="session")
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The kit's user cache (kit.usercache) in a folder of this run, for every test and the commands they run:
    what the first test derives, the others read, and nothing depends on what an earlier run left."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIT_USER", os.environ.get("KIT_USER", "tester"))
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _unclosed_fails_its_own_test() -> Iterator[None]:
    """A socket or file left open is an error (pyproject.toml's filterwarnings); collecting garbage after each
    test makes it fail the test that left it, not whichever test the collector happens to run in.

    tornado keeps each asyncio loop it served in a class-level map until it next starts on a new loop, and with
    it every socket still registered there: a WebSocket a test left open inside ``asyncio.run`` would otherwise
    be collected in the next test that uses tornado. Starting and closing a loop of its own drops those."""
    yield
    if "tornado.ioloop" in sys.modules:
        sys.modules["tornado.ioloop"].IOLoop(make_current=False).close()
    gc.collect()

