"""The hosted hub in Chromium: HTTPS on 127.0.0.1, facilitators sign up, are approved, log in and stay apart.

Chromium trusts exactly the hub's certificate (``--ignore-certificate-errors-spki-list`` with its key's
hash), and a Chromium without that flag refuses the page, so the certificate really is checked.
Every request any page makes is recorded: none may leave 127.0.0.1. Screenshots: artifacts/hub/.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from hubserver import Hub, running_hub
from kit.report.exporter import CHROMIUM_FLAGS
from labserver import CHROMIUM, run_all_cells, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "hub"
PASSWORDS = {"admin": "Adm1n-ui-pw_5", "anna": "Anna-ui-pw_66", "ben": "Ben-ui-pw_777"}
WAIT = 60_000  # ms for pages that start servers; everything else is far quicker


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    if shutil.which("configurable-http-proxy") is None or not Path(CHROMIUM).exists():
        pytest.skip("needs configurable-http-proxy and Chromium (make hub, make system)")
    base = Path(tempfile.mkdtemp(prefix="kit-hub-ui-"))
    base.chmod(0o755)  # the postgres system user runs the cluster inside
    try:
        with running_hub(base) as one:
            yield one
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(hub: Hub) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        one = p.chromium.launch(executable_path=CHROMIUM,
                                args=[*CHROMIUM_FLAGS, f"--ignore-certificate-errors-spki-list={hub.spki}"])
        try:
            yield one
        finally:
            one.close()


@pytest.fixture(scope="module")
def requests_seen() -> list[str]:
    return []


def new_page(browser: Any, seen: list[str]) -> Any:
    context = browser.new_context()
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    page.set_default_timeout(WAIT)
    return page


def sign_up(page: Any, hub: Hub, name: str) -> None:
    page.goto(hub.url + "hub/signup")
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORDS[name])
    page.fill("#password_confirmation_input", PASSWORDS[name])
    page.click("#signup_submit, input[type=submit], button[type=submit]")
    page.wait_for_load_state()


def log_in(page: Any, hub: Hub, name: str) -> None:
    page.goto(hub.url + "hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORDS[name])
    page.click("#login_submit")
    page.wait_for_load_state()


def test_chromium_without_the_certificate_refuses_the_hub(hub: Hub) -> None:
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        plain = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            with pytest.raises(Error, match="ERR_CERT_AUTHORITY_INVALID"):
                plain.new_page().goto(hub.url + "hub/login")
        finally:
            plain.close()


def test_two_facilitators_sign_up_are_approved_and_stay_apart(hub: Hub, browser: Any,
                                                              requests_seen: list[str]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    admin, anna, ben = (new_page(browser, requests_seen) for _ in range(3))
    for page, name in ((admin, "admin"), (anna, "anna"), (ben, "ben")):
        sign_up(page, hub, name)
    log_in(anna, hub, "anna")  # not approved yet: stays on the login page
    assert "/hub/login" in anna.url
    log_in(admin, hub, "admin")
    admin.goto(hub.url + "hub/authorize")
    admin.screenshot(path=str(ARTIFACTS / "authorize.png"), full_page=True)
    for name in ("anna", "ben"):
        admin.goto(hub.url + f"hub/authorize/{name}")
    admin.screenshot(path=str(ARTIFACTS / "authorized.png"), full_page=True)

    # Anna: her JupyterLab, where she makes a workshop from the English sample on her own database login
    write_notebook(_home(hub, "anna") / "make.ipynb", [
        "import os, kit\nws = kit.demo(os.environ['KIT_SERVER'] + '?workshop=hotel', 'en')\n"
        "print('MADE', ws.info['title'])",
        "print('LISTED', [w['key'] for w in kit.store.list_workshops(os.environ['KIT_SERVER'])])"])
    log_in(anna, hub, "anna")
    anna.wait_for_url("**/user/anna/lab**")
    anna.goto(hub.url + "user/anna/lab/tree/make.ipynb")
    run_all_cells(anna)
    anna.locator(".jp-OutputArea-output", has_text="LISTED").wait_for()
    assert "'hotel'" in anna.locator(".jp-OutputArea-output", has_text="LISTED").inner_text()
    anna.screenshot(path=str(ARTIFACTS / "anna_lab.png"))

    # Ben: neither lists nor opens it from his JupyterLab, and cannot reach Anna's server
    write_notebook(_home(hub, "ben") / "try.ipynb", [
        "import os, kit\nprint('LISTED', [w['key'] for w in kit.store.list_workshops(os.environ['KIT_SERVER'])])",
        "try:\n    kit.open(os.environ['KIT_SERVER'] + '?workshop=hotel')\nexcept kit.WorkshopError as e:\n"
        "    print('REFUSED', e.code)"])
    log_in(ben, hub, "ben")
    ben.wait_for_url("**/user/ben/lab**")
    ben.goto(hub.url + "user/ben/lab/tree/try.ipynb")
    run_all_cells(ben)
    ben.locator(".jp-OutputArea-output", has_text="REFUSED").wait_for()
    assert "'hotel'" not in ben.locator(".jp-OutputArea-output", has_text="LISTED").inner_text()
    assert "store.no_workshop" in ben.locator(".jp-OutputArea-output", has_text="REFUSED").inner_text()
    ben.screenshot(path=str(ARTIFACTS / "ben_refused.png"))
    response = ben.goto(hub.url + "user/anna/lab")
    assert response is not None and (response.status == 403 or "/user/anna/" not in ben.url)
    ben.screenshot(path=str(ARTIFACTS / "ben_at_annas_server.png"))


def test_no_request_left_127_0_0_1(requests_seen: list[str]) -> None:
    assert requests_seen, "the browser test above made no request"
    outside = [u for u in requests_seen if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []


def _home(hub: Hub, name: str) -> Path:
    home = hub.state / "homes" / name
    home.mkdir(parents=True, exist_ok=True)
    return home
