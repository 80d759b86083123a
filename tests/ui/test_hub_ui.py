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

import kit
from hubserver import Hub, facilitator_url, give, running_hub
from kit import facilitation
from kit.report.exporter import CHROMIUM_FLAGS
from labserver import CHROMIUM, run_all_cells, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "hub"
PASSWORDS = {"admin": "Adm1n-ui-pw_5", "anna": "Anna-ui-pw_66", "ben": "Ben-ui-pw_777"}
WAIT = 60_000  # ms for pages that start servers; everything else is far quicker
DIALOGS: list[str] = []  # an alert() any page showed (an injected script would)
LIVE = 2_000  # ms: a note or a vote reaches every participant's page within 2 s
PEOPLE = [("Ada", "Front Office"), ("Bo <b>bold</b>", "Housekeeping & Maintenance"),
          ("Cem 🎉", "Conference & Banqueting")]


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    if shutil.which("configurable-http-proxy") is None or not Path(CHROMIUM).exists():
        pytest.skip("needs configurable-http-proxy and Chromium (make hub, make system)")
    folder = Path(tempfile.mkdtemp(prefix="kit-hub-ui-"))
    folder.chmod(0o755)  # the postgres system user runs the cluster inside
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def hub(base: Path) -> Iterator[Hub]:
    with running_hub(base) as one:
        yield one


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


@pytest.fixture(scope="module")
def labs() -> dict[str, Any]:
    """Each facilitator's logged-in JupyterLab page, kept for the tests after the one that opened it."""
    return {}


def new_page(browser: Any, seen: list[str]) -> Any:
    context = browser.new_context()
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    page.on("dialog", lambda dialog: (DIALOGS.append(dialog.message), dialog.dismiss()))
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


def test_two_facilitators_sign_up_are_approved_and_stay_apart(hub: Hub, browser: Any, requests_seen: list[str],
                                                              labs: dict[str, Any]) -> None:
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
    run_as(anna, hub, "anna", "make.ipynb", [
        "import os, kit\nws = kit.demo(os.environ['KIT_SERVER'] + '?workshop=hotel', 'en')\n"
        "print('MADE', ws.info['title'])",
        "print('LISTED', [w['key'] for w in kit.store.list_workshops(os.environ['KIT_SERVER'])])"], until="LISTED")
    assert "'hotel'" in anna.locator(".jp-OutputArea-output", has_text="LISTED").inner_text()
    anna.screenshot(path=str(ARTIFACTS / "anna_lab.png"))
    labs["anna"] = anna

    # Ben: neither lists nor opens it from his JupyterLab, and cannot reach Anna's server
    run_as(ben, hub, "ben", "try.ipynb", [
        "import os, kit\nprint('LISTED', [w['key'] for w in kit.store.list_workshops(os.environ['KIT_SERVER'])])",
        "try:\n    kit.open(os.environ['KIT_SERVER'] + '?workshop=hotel')\nexcept kit.WorkshopError as e:\n"
        "    print('REFUSED', e.code)"], until="REFUSED")
    assert "'hotel'" not in ben.locator(".jp-OutputArea-output", has_text="LISTED").inner_text()
    assert "store.no_workshop" in ben.locator(".jp-OutputArea-output", has_text="REFUSED").inner_text()
    ben.screenshot(path=str(ARTIFACTS / "ben_refused.png"))
    elsewhere = ben.context.new_page()
    response = elsewhere.goto(hub.url + "user/anna/lab", wait_until="commit")
    assert response is not None and (response.status == 403 or "/user/anna/" not in elsewhere.url)
    elsewhere.wait_for_load_state()
    elsewhere.screenshot(path=str(ARTIFACTS / "ben_at_annas_server.png"))


def _note(page: Any, text: str) -> Any:
    return page.locator(".kit-note", has=page.locator(".kit-note-text", has_text=text))


def test_participants_join_annas_room_through_the_proxy(hub: Hub, browser: Any, requests_seen: list[str],
                                                        labs: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    from kit.room import close_room, open_room

    # Anna's workshop (made in her JupyterLab above) goes live at the idea board, voting open; Ben has one too
    with kit.open(facilitator_url(hub, "anna", "hotel"), actor="anna") as ws:
        facilitation.set_step(ws, "07_plan")
        facilitation.open_vote(ws, "idea_board", budget=3)
    with kit.new(facilitator_url(hub, "ben", "bens"), title="Ben's", language="en", teams=["Solo"]) as ws:
        token_b = open_room(ws, hub.url + "services/room/").split("token=", 1)[1]  # Ben, with his own login
    # Anna starts her room from her JupyterLab, on the running hub (no restart): the link comes from her server
    _notebook(hub, "anna", "room.ipynb", [
        "import os\nfrom kit import notebook as nb\n"
        "ws = nb.open_workshop(os.environ['KIT_SERVER'] + '?workshop=hotel')",
        "nb.open_room(ws)"])
    anna = labs["anna"].context.new_page()  # logged in above; a workspace of its own, so only this notebook opens
    anna.set_default_timeout(WAIT)
    anna.goto(hub.url + "user/anna/lab/workspaces/room/tree/room.ipynb")
    try:
        run_all_cells(anna)
    finally:
        anna.screenshot(path=str(ARTIFACTS / "anna_room_notebook.png"))
    shown = anna.locator(".jp-OutputArea-output a[href*='token=']")
    shown.wait_for()
    link = shown.get_attribute("href") or ""
    anna.screenshot(path=str(ARTIFACTS / "anna_opens_room.png"))
    assert link.startswith(hub.url + "services/room/w/hotel/?token=")
    token_a = link.split("token=", 1)[1]
    client = hub.session()
    assert client.get(link, timeout=30).status_code == 200, hub.logs()[-4000:]
    refused = {"no token": link.split("?")[0], "wrong token": link.replace(token_a, "x" * 43),
               "A's token on B's room": hub.url + f"services/room/w/bens/?token={token_a}",
               "B's token on A's room": link.replace(token_a, token_b)}
    stranger = hub.session()  # without the cookie that lets the link's own browser reload the page
    for what, url in refused.items():
        answer = stranger.get(url, timeout=30)
        assert answer.status_code == 403 and "This room is not open" in answer.text, what

    pages = []
    for name, team in PEOPLE:
        page = new_page(browser, requests_seen)
        page.set_default_timeout(10_000)
        page.goto(link)
        page.fill(".kit-name input", name)
        page.locator(".kit-team select").select_option(label=team)
        page.click(".kit-join")
        expect(page.locator(".kit-who")).to_contain_text(name)
        pages.append(page)
    texts = ["Late check-in: key in a safe 🔑 <script>alert(1)</script>", "مرحبا – a welcome note", "& % $ # _ { }"]
    for page, text in zip(pages, texts, strict=True):
        box = page.locator('.kit-area[data-area="contact"] .kit-add')
        box.locator("input").fill(text)
        box.locator(".kit-btn-add").click()
        for view in pages:
            expect(_note(view, text)).to_have_count(1, timeout=LIVE)
    for running, page in enumerate(pages, start=1):
        _note(page, texts[0]).locator("[data-action=vote]").click()
        for view in pages:
            expect(_note(view, texts[0]).locator(".kit-vote-count")).to_have_text(f"● {running}", timeout=LIVE)
    pages[0].screenshot(path=str(ARTIFACTS / "participant_through_proxy.png"), full_page=True)
    with kit.open(facilitator_url(hub, "anna", "hotel"), actor="check") as ws:
        ours = [i for i in ws.ideas.all() if i["text"] in texts]
        assert sorted(i["text"] for i in ours) == sorted(texts)
        assert {i["author"] for i in ours} == {n for n, _ in PEOPLE}
        assert next(i for i in ours if i["text"] == texts[0])["votes"] == {n: 1 for n, _ in PEOPLE}
    assert DIALOGS == []  # the <script> in a note stayed text

    # Anna closes the room: every open page is told, and the link no longer opens it
    with kit.open(facilitator_url(hub, "anna", "hotel"), actor="anna") as ws:
        close_room(ws)
    for page in pages:
        expect(page.locator(".kit-room-refused")).to_contain_text("The room has been closed", timeout=LIVE)
        expect(page.locator("body.kit-ended")).to_have_count(1)  # and it stops trying to reconnect
    pages[0].screenshot(path=str(ARTIFACTS / "participant_room_closed.png"), full_page=True)
    assert client.get(link, timeout=30).status_code == 403
    hub_log = (hub.state / "jupyterhub.log").read_text()
    assert token_a not in hub_log and token_b not in hub_log  # tokens are not logged


def test_no_request_left_127_0_0_1(requests_seen: list[str]) -> None:
    assert requests_seen, "the browser test above made no request"
    outside = [u for u in requests_seen if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []


def run_as(page: Any, hub: Hub, user: str, name: str, cells: list[str], until: str) -> None:
    """``user`` logs in, opens the notebook ``name`` (written with ``cells`` into their home) in their
    JupyterLab and runs it, until an output shows ``until``."""
    log_in(page, hub, user)  # the hub makes their system user and home at the first start
    page.wait_for_url(f"**/user/{user}/lab**")
    _notebook(hub, user, name, cells)
    page.goto(hub.url + f"user/{user}/lab/tree/{name}")
    run_all_cells(page)
    page.locator(".jp-OutputArea-output", has_text=until).wait_for()


def _notebook(hub: Hub, user: str, name: str, cells: list[str]) -> None:
    """The notebook ``name`` with ``cells`` in ``user``'s home, theirs (their JupyterLab saves it)."""
    write_notebook(hub.home(user) / name, cells)
    give(hub, user, hub.home(user) / name)
