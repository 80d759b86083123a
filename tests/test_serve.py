"""`kit serve`: tokens, loopback, the room as one process, the full-room page, roster, team separation, the room panel.

Servers run on free ports the operating system picks, on 127.0.0.1, and are always stopped.
"""
from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import kit
from kit import facilitation, roster
from kit.errors import Refused, WorkshopError
from kit.netutil import free_port
from kit.serve import ServeConfig, ServeError, Supervisor, check_token
from kit.serve import panel as room_panel
from kit.serve.server import lab_command, refused, room_command, status
from waiting import wait_for

ROOT = Path(__file__).resolve().parent.parent


def _workshop(tmp_path: Path, name: str = "room.workshop") -> Path:
    path = tmp_path / name
    with kit.new(path, title="Hotel room", language="en", actor="fac", teams=["Blue", "Green"]) as ws:
        facilitation.set_step(ws, "07_plan")
    return path


# --------------------------------------------------------------------------- tokens and command lines
@pytest.mark.parametrize("token", [None, "", "   ", "short", "x" * 15, "has space in it 123456", "a&b" * 8])
def test_bad_tokens_are_refused(token):
    with pytest.raises(WorkshopError):
        check_token(token)


def test_config_refuses_empty_or_shared_tokens(tmp_path):
    with pytest.raises(WorkshopError, match="never runs without authentication"):
        ServeConfig(tmp_path / "x.workshop", lab_token="")
    same = "s" * 32
    with pytest.raises(ServeError, match="must differ"):
        ServeConfig(tmp_path / "x.workshop", lab_token=same, participant_token=same)


def test_command_lines_pin_auth_and_loopback(tmp_path):
    cfg = ServeConfig(tmp_path / "x.workshop")
    token_file = tmp_path / "tokens"
    lab, room = " ".join(lab_command(cfg)), " ".join(room_command(cfg, token_file))
    assert "--ServerApp.ip=127.0.0.1" in lab and "token" not in lab.lower()  # from JUPYTER_TOKEN_FILE
    assert "--ServerApp.allow_unauthenticated_access=False" in lab and "--ServerApp.password=" in lab
    assert "-m kit.room" in room and "--host 127.0.0.1" in room and f"--token-file {token_file}" in room
    assert cfg.lab_token not in room and cfg.participant_token not in room + lab  # never on a command line
    assert cfg.join_url().startswith("http://127.0.0.1:") and cfg.participant_token in cfg.join_url()


def test_lan_link_uses_the_network_address(tmp_path):
    cfg = ServeConfig(tmp_path / "x.workshop", lan=True, lan_address="192.168.1.20")
    assert cfg.join_url().startswith("http://192.168.1.20:8911/w/workshop/?token=")
    assert "192.168.1.20" in room_command(cfg, tmp_path / "t")
    assert "--ServerApp.ip=127.0.0.1" in lab_command(cfg)  # the code-running server never leaves loopback


def test_qr_code_carries_the_link():
    from kit.netutil import qr_text

    text = qr_text("http://192.168.1.20:8911/?token=abcdefghijklmnopqrstuvwxyz")
    assert len(text.splitlines()) > 10 and set(text) - set(" \n")


def _serve(path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], int, int]:
    lab, room = free_port(), free_port()
    done = subprocess.run([sys.executable, "-m", "kit", "serve", str(path), *args, "--port", str(lab),
                           "--participant-port", str(room)], capture_output=True, text=True, timeout=60, check=False)
    return done, lab, room


def test_cli_refuses_an_empty_short_readable_or_missing_token_file_before_starting(tmp_path):
    path = _workshop(tmp_path)
    empty, short, loose = tmp_path / "empty", tmp_path / "short", tmp_path / "loose"
    for file, text, mode in ((empty, "\n", 0o600), (short, "abc", 0o600), (loose, "x" * 32, 0o644)):
        file.write_text(text)
        file.chmod(mode)
    for args, says in ((["--token-file", str(empty)], "the secret file is empty"),
                       (["--participant-token-file", str(short)], "never runs without authentication"),
                       (["--token-file", str(loose)], f"chmod 600 {loose}"),
                       (["--token-file", str(tmp_path / "nothere")], "no such file")):
        done, lab, room = _serve(path, *args)
        assert done.returncode == 2 and says in done.stderr and done.stderr.count("\n") == 1, done.stderr
        assert "x" * 32 not in done.stderr
        assert status(f"http://127.0.0.1:{lab}/api/status")[0] == 0  # nothing was started
        assert status(f"http://127.0.0.1:{room}/")[0] == 0


# --------------------------------------------------------------------------- real servers
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    cfg = ServeConfig(_workshop(tmp), notebooks=ROOT / "notebooks", lab_port=free_port(), room_port=free_port(),
                      language="en", max_participants=2)
    with Supervisor(cfg, log_dir=tmp / "logs") as room:
        yield room


def test_requests_without_the_token_are_refused(served):
    cfg = served.cfg
    lab = f"http://127.0.0.1:{cfg.lab_port}"
    room = f"http://127.0.0.1:{cfg.room_port}/w/workshop/"
    for url in (f"{lab}/api/status", f"{lab}/api/kernels", f"{lab}/api/contents", f"{lab}/api/terminals",
                f"{lab}/lab", f"{lab}/lab/tree/facilitator.ipynb", room, f"{room}?token=wrong-token-123456",
                f"{room}?token={cfg.lab_token}", f"{lab}/api/status?token={cfg.participant_token}",
                f"{room}ws", f"{room}ws?token={cfg.lab_token}"):
        assert refused(url), url
    assert status(f"{lab}/api/status?token={cfg.lab_token}")[0] == 200
    assert status(cfg.join_url())[0] == 200
    assert not served.token_file.exists() and not served.lab_token_file.exists()  # read; no secret stays on disk


def listening(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port``, read from the kernel's socket
    tables (/proc/net/tcp, tcp6): proof of where a server can be reached, sending nothing."""
    found = set()
    for table, version in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 6)):
        path = Path(table)
        for line in path.read_text().splitlines()[1:] if path.exists() else []:
            local, state = line.split()[1], line.split()[3]
            host, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:  # 0A = LISTEN
                continue
            raw = bytes.fromhex(host)
            if version == 4:
                found.add(str(ipaddress.IPv4Address(raw[::-1])))
            else:
                found.add(str(ipaddress.IPv6Address(b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))))
    return found


def test_not_reachable_on_a_non_loopback_address(served):
    """Without --lan both servers listen on 127.0.0.1 only: no other address reaches them."""
    for port in (served.cfg.lab_port, served.cfg.room_port):
        assert listening(port) == {"127.0.0.1"}, port
        socket.create_connection(("127.0.0.1", port), timeout=3).close()


def test_the_room_is_one_process_without_kernels(served):
    assert set(served.procs) == {"lab", "room"}
    room = served.procs["room"]
    assert room.poll() is None and room.args[1:3] == ["-m", "kit.room"]
    assert [p for p in Path("/proc").glob("[0-9]*") if _ppid(p) == room.pid] == []  # no kernel, no worker


def _ppid(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def test_lan_opens_only_the_participant_page(tmp_path):
    """--lan on an address of its own (a loopback alias stands in for the Wi-Fi address here):
    the participant page listens there and still needs its token; JupyterLab stays on 127.0.0.1."""
    cfg = ServeConfig(_workshop(tmp_path), notebooks=ROOT / "notebooks", lab_port=free_port(),
                      room_port=free_port("127.0.0.2"), lan=True, lan_address="127.0.0.2", language="en")
    with Supervisor(cfg, log_dir=tmp_path / "logs"):
        assert listening(cfg.lab_port) == {"127.0.0.1"}
        assert listening(cfg.room_port) == {"127.0.0.2"}
        assert cfg.join_url().startswith(f"http://127.0.0.2:{cfg.room_port}/w/workshop/?token=")
        assert status(cfg.join_url())[0] == 200
        assert refused(f"http://127.0.0.2:{cfg.room_port}/w/workshop/")
        assert refused(f"http://127.0.0.2:{cfg.room_port}/w/workshop/?token={cfg.lab_token}")


def _participant_page(cfg: ServeConfig) -> str:
    with urllib.request.urlopen(cfg.join_url(), timeout=60) as response:
        return response.read().decode("utf-8")


def test_participant_page_has_no_code_and_no_cdn(served):
    html = _participant_page(served.cfg)
    assert "kit-participant" in html and "room.js" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html and "https://" not in html


def test_a_full_room_gets_a_friendly_localised_page(served):
    """Beyond ``max_participants`` joined pages: 503 with a page in the workshop language, nothing fetched."""
    from tornado.websocket import websocket_connect

    from roomclient import hang_up

    cfg = served.cfg
    url = f"ws://127.0.0.1:{cfg.room_port}/w/workshop/ws?token={cfg.participant_token}"

    async def main() -> None:
        pages = [await websocket_connect(url) for _ in range(cfg.max_participants)]
        for i, conn in enumerate(pages):  # an open socket takes a place only once it joined
            await conn.read_message()  # hello
            await conn.write_message(json.dumps({"t": "join", "name": f"P{i}", "team": "Blue"}))
            assert json.loads(await conn.read_message())["t"] == "joined"
        with pytest.raises(urllib.error.HTTPError) as info:
            _participant_page(cfg)
        with info.value:  # the error is the response: close its socket
            page = info.value.read().decode("utf-8")
        assert info.value.code == 503 and '<html lang="en">' in page and "<h1>The room is full</h1>" in page
        assert "All 2 places are taken" in page and "Please ask the facilitator" in page
        assert "<script" not in page and "<link" not in page and "http" not in page.split("<body>")[1]
        for conn in pages:
            await hang_up(conn)

    asyncio.run(main())
    wait_for(lambda: status(cfg.join_url())[0] == 200, 10, "closed pages to free their places")


# --------------------------------------------------------------------------- roster and team separation
def test_join_validates_and_keeps_teams(tmp_path):
    path = _workshop(tmp_path)
    with kit.open(path, actor="page", role="participant") as ws:
        for name in ("", "   ", "x" * 61, "bell\x07", 42):
            with pytest.raises(kit.ValidationError, match=r"participant\.name"):
                roster.join(ws, name, "Blue")
        with pytest.raises(kit.ValidationError, match=r"participant\.team"):
            roster.join(ws, "Anna", "Purple")
        secret = roster.join(ws, "  <b>Anna</b>  ", "Blue")["secret"]
        assert roster.join(ws, "<b>Anna</b>", "Green", secret)["team"] == "Blue"  # a reload joins again
        assert roster.join(ws, "<b>Anna</b>", "Green")["name"] == "<b>Anna</b> (2)"  # someone else
        roster.join(ws, "عمر 🎉", "Green")
        with pytest.raises(WorkshopError, match="only the facilitator"):
            roster.assign(ws, "عمر 🎉", "Blue")
        assert [(p["name"], p["team"]) for p in roster.participants(ws)] == [
            ("<b>Anna</b>", "Blue"), ("<b>Anna</b> (2)", "Green"), ("عمر 🎉", "Green")]


def test_teams_separated_is_enforced_by_the_kit(tmp_path):
    path = _workshop(tmp_path)
    with kit.open(path, actor="fac") as fac, kit.open(path, actor="Anna", role="participant") as anna, \
            kit.open(path, actor="Cem", role="participant") as cem:
        roster.join(anna, "Anna", "Blue")
        roster.join(cem, "Cem", "Green")
        board_a, board_c = anna.canvas("idea_board"), cem.canvas("idea_board")
        green = board_c.add("contact", "Green idea", team="Green", author="Cem")
        with pytest.raises(WorkshopError, match="only the facilitator"):
            roster.separate_teams(anna, "idea_board")
        roster.separate_teams(fac, "idea_board")
        with pytest.raises(WorkshopError, match="belongs to team Green"):
            board_a.update(green, text="hijacked")
        with pytest.raises(WorkshopError, match="belongs to team Green"):
            board_a.remove(green)
        with pytest.raises(WorkshopError, match="team Blue"):
            board_a.add("contact", "posing as green", team="Green")
        with pytest.raises(WorkshopError, match="team Blue"):
            board_a.add("contact", "no team given")
        facilitation.open_vote(fac, "idea_board", 3)
        with pytest.raises(WorkshopError, match="belongs to team Green"):
            board_a.vote(green, "Anna")
        with pytest.raises(WorkshopError, match="only vote as themselves"):
            board_c.vote(green, "Anna")
        blue = board_a.add("contact", "Blue idea", team="Blue", author="Anna")
        with pytest.raises(WorkshopError, match="team Blue"):
            board_a.update(blue, team="Green")
        board_c.vote(green, "Cem")
        fac.canvas("idea_board").update(green, text="facilitator may")  # the facilitator is not limited
        assert fac.ideas[green]["text"] == "facilitator may" and fac.ideas[green]["votes"] == {"Cem": 1}
        assert fac.ideas[blue]["team"] == "Blue"
        roster.separate_teams(fac, "idea_board", False)
        with pytest.raises(WorkshopError, match="only change their own notes"):  # Cem's note stays Cem's
            board_a.update(green, text="shared again")
        board_a.vote(green, "Anna")
        assert fac.ideas[green]["votes"] == {"Cem": 1, "Anna": 1}  # other teams' notes: votes allowed again


def test_participants_change_only_their_own_notes(tmp_path):
    """Edit, move, rank, link and delete: own notes only; votes on anyone's; facilitator unlimited."""
    path = _workshop(tmp_path)
    with kit.open(path, actor="fac") as fac, kit.open(path, actor="Anna", role="participant") as anna, \
            kit.open(path, actor="Ben", role="participant") as ben:
        vpc_a, vpc_b = anna.canvas("value_proposition"), ben.canvas("value_proposition")
        pain = vpc_b.add("pains", "Ben's pain", author="Ben")
        reliever = vpc_a.add("pain_relievers", "Anna's reliever", author="Anna")
        facilitation.open_vote(fac, "value_proposition", 3)
        for attempt in (lambda: vpc_a.update(pain, text="mine now"), lambda: vpc_a.update(pain, rank=5),
                        lambda: vpc_a.move(pain, "gains"), lambda: vpc_a.remove(pain),
                        lambda: vpc_a.update(pain, author="Anna"), lambda: vpc_b.link(reliever, pain)):
            with pytest.raises(WorkshopError, match="only change their own notes"):
                attempt()
        with pytest.raises(WorkshopError, match="as themselves"):
            vpc_a.add("pains", "posing as Ben", author="Ben")
        with pytest.raises(WorkshopError, match="as themselves"):
            vpc_a.update(reliever, author="Ben")
        vpc_a.link(reliever, pain)  # linking writes Anna's own reliever
        vpc_a.vote(pain, "Anna")  # voting on someone else's note stays allowed
        vpc_a.move(reliever, "gain_creators")
        vpc_a.update(reliever, text="Anna's creator")
        fac.canvas("value_proposition").update(pain, text="the facilitator may", rank=4)
        fac.canvas("value_proposition").move(pain, "gains")
        assert fac.canvas_items[pain]["votes"] == {"Anna": 1}
        assert (fac.canvas_items[pain]["text"], fac.canvas_items[pain]["area"]) == ("the facilitator may", "gains")
        vpc_a.remove(reliever)
        assert [r["text"] for r in fac.canvas("value_proposition").items()] == ["the facilitator may"]


def test_locked_canvas_refuses_participants_in_the_store(tmp_path):
    path = _workshop(tmp_path)
    with kit.open(path, actor="fac") as fac, kit.open(path, actor="Anna", role="participant") as anna:
        note = anna.canvas("idea_board").add("contact", "before the lock", author="Anna")
        facilitation.lock(fac, "idea_board")
        for attempt in (lambda: anna.canvas("idea_board").add("contact", "x"),
                        lambda: anna.canvas("idea_board").update(note, text="x"),
                        lambda: anna.canvas("idea_board").remove(note)):
            with pytest.raises(WorkshopError, match="locked"):
                attempt()
        assert [i["text"] for i in fac.ideas] == ["before the lock"]


# --------------------------------------------------------------------------- participant page and panel, no browser
def test_panel_controls_write_the_live_state(tmp_path):
    path = _workshop(tmp_path)
    with kit.open(path, actor="fac") as fac, kit.open(path, actor="Anna", role="participant") as anna:
        roster.join(anna, "Anna", "Blue")
        panel = room_panel.panel(fac)
        panel.private.value = True
        hidden = anna.canvas("idea_board").add("contact", "secret", author="Anna", hidden=True, team="Blue")
        panel.reveal.click()
        assert not fac.ideas[hidden]["hidden"] and "1 notes revealed" in panel.status.value
        panel.lock.value = True
        assert facilitation.controls(fac, "idea_board").locked
        panel.budget.value = 2
        panel.vote.value = True
        assert facilitation.controls(fac, "idea_board") == facilitation.CanvasControls(
            locked=True, private=False, vote_open=True, budget=2)
        panel.separate.value = True
        assert roster.teams_separated(fac, "idea_board")
        panel.step.value = "06_touchpoints"
        assert facilitation.step(fac) == "06_touchpoints"
        facilitation.lock(fac, "touchpoint_map")  # changed elsewhere: the panel shows the stored state
        panel.sync()
        assert panel.lock.value and not panel.vote.value
        assert "1 joined" in panel.status.value
        assert list(room_panel.joined(fac)["name"]) == ["Anna"]
        assert room_panel.votes_cast(fac, "idea_board").empty
        assert room_panel.notes_per_team(fac, "idea_board").loc["Blue", "total"] == 1
        panel.step.value = "08_follow_up"  # the follow-up sessions' step is one of the panel's
        assert facilitation.step(fac) == "08_follow_up" and room_panel.current_canvas(fac) == "learnings_board"


def test_panel_controls_act_on_the_board_chosen_among_those_the_step_offers(tmp_path):
    path = _workshop(tmp_path)
    with kit.open(path, actor="fac") as fac, kit.open(path, actor="Anna", role="participant") as anna:
        panel = room_panel.panel(fac)
        panel.step.value = "08_follow_up"  # the learnings board and the feedback board, as tabs
        assert panel.board.options == (("Learnings board", "learnings_board"),
                                       ("Feedback on the idea", "idea_feedback"))
        assert panel.board.value == "learnings_board" and not panel.board.disabled
        panel.board.value = "idea_feedback"
        assert "Feedback on the idea" in panel.status.value
        panel.lock.value = True
        panel.private.value = True
        panel.budget.value = 3
        panel.vote.value = True
        panel.separate.value = True
        assert facilitation.controls(fac, "idea_feedback") == facilitation.CanvasControls(
            locked=True, private=True, vote_open=True, budget=3)
        assert roster.teams_separated(fac, "idea_feedback")
        assert facilitation.controls(fac, "learnings_board") == facilitation.CanvasControls()  # untouched
        assert not roster.teams_separated(fac, "learnings_board")
        assert room_panel.current_canvas(fac) == "learnings_board"  # nobody was moved off their tab
        panel.board.value = "learnings_board"  # the controls show the chosen board's state
        assert not (panel.lock.value or panel.private.value or panel.vote.value or panel.separate.value)
        assert "Learnings board" in panel.status.value
        panel.board.value = "idea_feedback"
        assert panel.lock.value and panel.private.value and panel.vote.value and panel.separate.value
        hidden = fac.canvas("idea_feedback").add("score_0", "still hidden", author="Anna", hidden=True)
        panel.reveal.click()  # reveals on the chosen board
        assert not fac.canvas_items[hidden]["hidden"] and "1 notes revealed" in panel.status.value
        assert not facilitation.controls(fac, "idea_feedback").private
        panel.canvas.value = "value_proposition"  # shown to everyone: one board, nothing to choose
        assert panel.board.options == (("Value Proposition Canvas", "value_proposition"),) and panel.board.disabled
        for control in (lambda: facilitation.lock(anna, "idea_feedback"),  # a participant's handle: refused
                        lambda: facilitation.set_private(anna, "idea_feedback", False),
                        lambda: facilitation.open_vote(anna, "learnings_board", 99),
                        lambda: facilitation.close_vote(anna, "idea_feedback")):
            with pytest.raises(Refused, match="Only the facilitator can lock a board"):
                control()
        assert facilitation.controls(fac, "idea_feedback").locked


def test_notebook_controls_act_on_the_board_they_name_and_say_which(tmp_path):
    from kit import notebook as nb

    path = _workshop(tmp_path)
    with kit.open(path, actor="fac") as fac, kit.open(path, actor="Anna", role="participant") as anna:
        facilitation.set_step(fac, "08_follow_up")
        assert str(nb.lock(fac, "idea_feedback")) == "“Feedback on the idea” locked: participants can only read."
        assert "“Learnings board”" in str(nb.private(fac, "learnings_board"))
        voting = "Dot voting open on “Feedback on the idea”: 2 dots per person."
        assert str(nb.open_vote(fac, "idea_feedback", 2)) == voting
        assert str(nb.reveal(fac, "learnings_board")) == "0 cards revealed on “Learnings board”."
        assert facilitation.controls(fac, "idea_feedback") == facilitation.CanvasControls(
            locked=True, vote_open=True, budget=2)
        assert facilitation.controls(fac, "learnings_board") == facilitation.CanvasControls()  # revealed: private off
        assert "open for writing again" in str(nb.lock(fac, "idea_feedback", locked=False))
        assert "closed" in str(nb.close_vote(fac, "idea_feedback"))
        assert facilitation.controls(fac, "idea_feedback") == facilitation.CanvasControls(budget=2)
        with pytest.raises(Refused, match="Only the facilitator can lock a board"):
            nb.lock(anna, "learnings_board")
        with pytest.raises(WorkshopError, match="no_such_board"):
            nb.lock(fac, "no_such_board")
        assert not facilitation.controls(fac, "learnings_board").locked


def test_facilitator_notebook_is_thin_and_runs(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    nb_path = ROOT / "notebooks" / "facilitator.ipynb"
    nb = nbformat.read(nb_path, 4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)  # committed without outputs
    assert all(line.startswith(("from kit", "ws = panel.", "panel.", "ws")) or not line.strip()
               for c in code for line in c.source.splitlines())
    path = _workshop(tmp_path)
    with kit.open(path, actor="Anna", role="participant") as anna:
        roster.join(anna, "Anna", "Blue")
        anna.canvas("idea_board").add("contact", "an idea", author="Anna", team="Blue")
    monkeypatch.setenv("KIT_WORKSHOP", str(path))
    monkeypatch.setenv("KIT_JOIN_URL", "http://127.0.0.1:8911/?token=abcdefghijklmnopqrstuvwxyz")
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = {c.source: c.outputs for c in nb.cells if c.cell_type == "code"}
    assert any("<svg" in o.get("data", {}).get("image/svg+xml", "") for o in outputs["panel.join_qr()"])
    assert "Anna" in outputs["panel.joined(ws)"][0]["data"]["text/plain"]
    assert "Blue" in outputs["panel.notes_per_team(ws)"][0]["data"]["text/plain"]
