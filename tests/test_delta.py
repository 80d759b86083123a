"""Item deltas hold the per-viewer rules exactly as full states do (kit.sessions.delta, kit.room.board).

One table: viewers (Anna and Ben of team Blau, Cem of team Grün, the facilitator) and steps of a
workshop (private brainstorming, moves and deletions of hidden notes, dot votes, a reveal, teams kept
apart). After every step, each viewer's page -- rebuilt only from the patches it received, both from
its own session (JupyterLab, generic) and from the room's shared group view -- must equal the full
state kit.access gives that viewer; the texts it may not see must never be in a patch it got; and a
change to a note it never saw must send it no patch at all. A second table does the same for the
touchpoint map (touchpoints and their ideas, kit.room.board.TouchpointBoard).
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kit import facilitation, roster
from kit.access import Viewer
from kit.room.board import Board, View, board_for
from kit.sessions import delta, for_canvas, views

CANVAS = "idea_board"


class _Asker:
    def __init__(self, session: Any) -> None:
        self.session = session


class Page:
    """A page following one viewer by patches only; ``source``: "session" or "room"."""

    def __init__(self, ws: Any, name: str | None, team: str, source: str, board: Board) -> None:
        self.session = for_canvas(ws, board.canvas.id, participant=name, team=team)
        self.viewer = self.session.viewer()
        self.source, self.board, self.ws = source, board, ws
        self.view = View()
        self.state: dict[str, Any] = {}
        self.patches: list[dict[str, Any]] = []

    def refresh(self) -> dict[str, Any] | None:
        if self.source == "session":
            patch = self.session.changes().get("patch")
        else:
            values, _, _ = self.view.follow(self.board.at(self.ws.version()), self.viewer, {})
            patch = values.get("patch")
        if patch is not None:
            assert delta.apply(self.state, patch), "a patch from a version the page does not hold"
            self.patches.append(patch)
        return patch

    def texts(self) -> list[str]:
        return [i["text"] for i in self.state.get("items", [])]


def follow(ws: Any, canvas_id: str) -> dict[tuple[str, str], Page]:
    """Pages of Anna, Ben (team Blau) and Cem (Grün), each from its session and from the room, and the facilitator's."""
    for name, team in (("Anna", "Blau"), ("Ben", "Blau"), ("Cem", "Grün")):
        roster.join(ws, name, team)
    board = board_for(ws.canvas(canvas_id))
    out = {}
    for source in ("session", "room"):
        for name, team in (("Anna", "Blau"), ("Ben", "Blau"), ("Cem", "Grün")):
            out[name, source] = Page(ws, name, team, source, board)
    out["fac", "session"] = Page(ws, None, "", "session", board)
    return out


@pytest.fixture
def pages(ws):
    out = follow(ws, CANVAS)
    yield out
    for page in out.values():
        page.session.close()


def ask(page: Page | _Asker, op: str, **payload: Any) -> Any:
    result = page.session.apply({"op": op, "nonce": "1", **payload})
    assert result["error"] == "", result["error"]


def note(ws: Any, text: str) -> int:
    return next(r["id"] for r in ws.ideas.all() if r["text"] == text)


# step -> per viewer: the texts its page shows afterwards (None: this viewer gets no patch at all)
TABLE: list[tuple[str, dict[str, list[str] | None]]] = [
    ("anna adds", {"Anna": ["anna 1"], "Ben": ["anna 1"], "Cem": ["anna 1"], "fac": ["anna 1"]}),
    ("private: anna and cem add hidden notes", {"Anna": ["anna 1", "anna hidden"], "Ben": None,
                                                "Cem": ["anna 1", "cem hidden"],
                                                "fac": ["anna 1", "anna hidden", "cem hidden"]}),
    ("cem edits and moves his hidden note", {"Anna": None, "Ben": None, "Cem": ["anna 1", "cem moved"],
                                             "fac": ["anna 1", "anna hidden", "cem moved"]}),
    ("cem deletes it", {"Anna": None, "Ben": None, "Cem": ["anna 1"], "fac": ["anna 1", "anna hidden"]}),
    ("ben votes on anna's note", {"Anna": ["anna 1", "anna hidden"], "Ben": ["anna 1"], "Cem": ["anna 1"],
                                  "fac": ["anna 1", "anna hidden"]}),
    ("reveal", {"Anna": ["anna 1", "anna hidden"], "Ben": ["anna 1", "anna hidden"],
                "Cem": ["anna 1", "anna hidden"], "fac": ["anna 1", "anna hidden"]}),
    ("cem adds, teams kept apart", {"Anna": ["anna 1", "anna hidden"], "Ben": ["anna 1", "anna hidden"],
                                    "Cem": ["cem 2"], "fac": ["anna 1", "anna hidden", "cem 2"]}),
    ("anna moves and deletes blue notes", {"Anna": ["anna 1 edited"], "Ben": ["anna 1 edited"], "Cem": None,
                                           "fac": ["anna 1 edited", "cem 2"]}),
]
#: Texts a viewer must never receive in any patch.
NEVER = {"Ben": {"cem hidden", "cem moved"}, "Anna": {"cem hidden", "cem moved"}}
NEVER_BEFORE_REVEAL = {"Ben": {"anna hidden"}, "Cem": {"anna hidden"}}


def run_step(step: str, ws: Any, pages: dict[tuple[str, str], Page]) -> None:
    anna, ben, cem = pages["Anna", "session"], pages["Ben", "session"], pages["Cem", "session"]
    if step == "anna adds":
        ask(anna, "add", area="contact", text="anna 1")
    elif step == "private: anna and cem add hidden notes":
        facilitation.set_private(ws, CANVAS)
        for p in pages.values():
            p.refresh()  # the controls changed: every page follows, before the notes come
        ask(anna, "add", area="contact", text="anna hidden")
        ask(cem, "add", area="contact", text="cem hidden")
    elif step == "cem edits and moves his hidden note":
        ask(cem, "edit", id=note(ws, "cem hidden"), text="cem moved")
        ask(cem, "move", id=note(ws, "cem moved"), area="website")
    elif step == "cem deletes it":
        ask(cem, "delete", id=note(ws, "cem moved"))
    elif step == "ben votes on anna's note":
        facilitation.open_vote(ws, CANVAS)
        for p in pages.values():
            p.refresh()
        ask(ben, "vote", id=note(ws, "anna 1"))
    elif step == "reveal":
        facilitation.reveal(ws, CANVAS)
        facilitation.set_private(ws, CANVAS, False)
    elif step == "cem adds, teams kept apart":
        ask(cem, "add", area="contact", text="cem 2")
        roster.separate_teams(ws, CANVAS)
    elif step == "anna moves and deletes blue notes":
        for p in pages.values():
            p.refresh()
        ask(anna, "edit", id=note(ws, "anna 1"), text="anna 1 edited")
        ask(anna, "move", id=note(ws, "anna 1 edited"), area="website")
        ask(anna, "delete", id=note(ws, "anna hidden"))


def test_patches_hold_the_rules_of_full_states(ws, pages):
    for p in pages.values():
        assert p.refresh() is not None and p.patches[0]["full"]  # the first state is whole
    revealed = False
    for step, expected in TABLE:
        run_step(step, ws, pages)
        revealed = revealed or step == "reveal"
        for (name, source), page in pages.items():
            patch = page.refresh()
            want = expected[name]
            full = views.board_state(ws.canvas(CANVAS), page.viewer)["items"]
            assert page.state["items"] == full, (step, name, source)  # the patches rebuilt the full state
            if want is None:
                assert patch is None, (step, name, source, patch)  # a note it never saw: nothing at all
            else:
                assert sorted(page.texts()) == sorted(want), (step, name, source)
            wire = json.dumps(page.patches, ensure_ascii=False)
            for text in NEVER.get(name, set()) | (set() if revealed else NEVER_BEFORE_REVEAL.get(name, set())):
                assert text not in wire, (step, name, source, text)
    ben = pages["Ben", "room"]
    assert any(i["text"] == "anna hidden" for p in ben.patches if not p.get("full")
               for i in p["items"]["put"])  # the reveal sent the newly visible note as a delta


TP = "touchpoint_map"
# step -> per viewer: the idea texts its page shows afterwards (None: this viewer gets no patch at all)
TP_TABLE: list[tuple[str, dict[str, list[str] | None]]] = [
    ("anna adds a touchpoint and an idea", {"Anna": ["idea 1"], "Ben": ["idea 1"], "Cem": ["idea 1"],
                                            "fac": ["idea 1"]}),
    ("private: anna and cem add hidden ideas", {"Anna": ["idea 1", "anna hidden"], "Ben": None,
                                                "Cem": ["idea 1", "cem hidden"],
                                                "fac": ["idea 1", "anna hidden", "cem hidden"]}),
    ("cem edits his hidden idea", {"Anna": None, "Ben": None, "Cem": ["idea 1", "cem edited"],
                                   "fac": ["idea 1", "anna hidden", "cem edited"]}),
    ("cem deletes it", {"Anna": None, "Ben": None, "Cem": ["idea 1"], "fac": ["idea 1", "anna hidden"]}),
    ("ben votes on anna's idea", {"Anna": ["idea 1", "anna hidden"], "Ben": ["idea 1"], "Cem": ["idea 1"],
                                  "fac": ["idea 1", "anna hidden"]}),
    ("teams kept apart: cem adds a touchpoint and an idea", {
        "Anna": ["idea 1", "anna hidden"], "Ben": ["idea 1"], "Cem": ["cem idea"],
        "fac": ["idea 1", "anna hidden", "cem idea"]}),
    ("anna rates her touchpoint, deletes her hidden idea", {"Anna": ["idea 1"], "Ben": ["idea 1"], "Cem": None,
                                                             "fac": ["idea 1", "cem idea"]}),
]
TP_NEVER = {"Ben": {"cem hidden", "cem edited", "anna hidden"}, "Anna": {"cem hidden", "cem edited"},
            "Cem": {"anna hidden"}}


def idea(ws: Any, text: str) -> int:
    return next(r["id"] for r in ws.ideas.all() if r["text"] == text)


def run_tp_step(step: str, ws: Any, pages: dict[tuple[str, str], Page]) -> None:
    anna, ben, cem = pages["Anna", "session"], pages["Ben", "session"], pages["Cem", "session"]
    if step == "anna adds a touchpoint and an idea":
        ask(anna, "add", area="contact", text="Hotline")
        ask(anna, "idea_add", touchpoint=ws.touchpoints.all()[0]["id"], text="idea 1")
    elif step == "private: anna and cem add hidden ideas":
        facilitation.set_private(ws, TP)
        for p in pages.values():
            p.refresh()  # the controls changed: every page follows, before the ideas come
        ask(anna, "idea_add", stage="contact", text="anna hidden")
        ask(cem, "idea_add", stage="website", text="cem hidden")
    elif step == "cem edits his hidden idea":
        ask(cem, "idea_edit", id=idea(ws, "cem hidden"), text="cem edited")
    elif step == "cem deletes it":
        ask(cem, "idea_delete", id=idea(ws, "cem edited"))
    elif step == "ben votes on anna's idea":
        facilitation.open_vote(ws, TP)
        for p in pages.values():
            p.refresh()
        ask(ben, "idea_vote", id=idea(ws, "idea 1"))
    elif step == "teams kept apart: cem adds a touchpoint and an idea":
        facilitation.set_private(ws, TP, False)
        roster.separate_teams(ws, TP)
        for p in pages.values():
            p.refresh()
        ask(cem, "add", area="website", text="Webshop")
        ask(cem, "idea_add", stage="website", text="cem idea")
    elif step == "anna rates her touchpoint, deletes her hidden idea":
        for p in pages.values():
            p.refresh()
        ask(anna, "rate", id=ws.touchpoints.all()[0]["id"], field="ist_rating", value=2)
        ask(anna, "idea_delete", id=idea(ws, "anna hidden"))


def test_touchpoint_map_patches_hold_the_rules_of_full_states(ws):
    """The touchpoint map's two lists (touchpoints and ideas) and its curves, by group deltas in the room."""
    ws.set(personas=["Kundin"])
    pages = follow(ws, TP)
    try:
        for p in pages.values():
            assert p.refresh() is not None and p.patches[0]["full"]
        for step, expected in TP_TABLE:
            run_tp_step(step, ws, pages)
            for (name, source), page in pages.items():
                patch = page.refresh()
                full = page.session.state()
                assert page.state["items"] == full["items"], (step, name, source)
                assert page.state["ideas"] == full["ideas"], (step, name, source)
                if source == "room":  # curves and the scrubbed evidence of the group are this viewer's
                    values, _, _ = page.view.follow(page.board.at(ws.version()), page.viewer, {})
                    assert {k: page.view.sent[k] for k in ("personas", "curves", "evidence", "controls")} == \
                        {k: full[k] for k in ("personas", "curves", "evidence", "controls")}, (step, name)
                    assert "patch" not in values  # asked again at the same version: nothing more
                want = expected[name]
                if want is None:
                    assert patch is None, (step, name, source, patch)
                else:
                    assert sorted(i["text"] for i in page.state["ideas"]) == sorted(want), (step, name, source)
                wire = json.dumps(page.patches, ensure_ascii=False)
                for text in TP_NEVER.get(name, set()):
                    assert text not in wire, (step, name, source, text)
        blue = [pages[n, "room"] for n in ("Anna", "Ben")]
        assert all(i["name"] != "Webshop" for p in blue for i in p.state["items"])  # teams apart: not theirs
    finally:
        for page in pages.values():
            page.session.close()


def test_a_patch_is_as_big_as_the_change_not_the_board(ws):
    roster.join(ws, "Anna", "Blau")
    anna = for_canvas(ws, CANVAS, participant="Anna", team="Blau")
    for n in range(300):
        ws.ideas.add(text=f"note {n} " + "x" * 200, stage="contact", author="Ben", team="Blau")
    full = anna.changes()["patch"]
    ask(_Asker(anna), "add", area="contact", text="one more")
    patch = anna.changes()["patch"]
    assert patch["base"] == full["version"] and [i["text"] for i in patch["items"]["put"]] == ["one more"]
    assert len(json.dumps(patch)) < 600 < len(json.dumps(full)) / 100
    anna.resync()
    assert anna.changes()["patch"]["full"]  # a page that missed one gets the whole list again
    anna.close()


@pytest.mark.parametrize(("canvas_id", "key"), [(CANVAS, "items"), (TP, "ideas")])
def test_the_group_view_is_the_same_object_for_pages_alike(ws, canvas_id, key):
    """The board's notes, and the touchpoint map's ideas: one encoding for the pages of a group."""
    for name in ("Anna", "Ben", "Cem"):
        roster.join(ws, name, "Blau")
    board = board_for(ws.canvas(canvas_id))
    viewers = [Viewer(n, "Blau", True) for n in ("Anna", "Ben", "Cem")]
    views_ = [View() for _ in viewers]
    for v, who in zip(views_, viewers, strict=True):
        v.follow(board.at(ws.version()), who, {})
    ws.ideas.add(text="from the facilitator", stage="contact")
    keys = []
    for v, who in zip(views_, viewers, strict=True):
        values, _group, frame = v.follow(board.at(ws.version()), who, {})
        keys.append(frame)
        assert [i["text"] for i in values["patch"][key]["put"]] == ["from the facilitator"]
        assert set(values["patch"]) == {"base", "version", key}  # no other list changed: none in the patch
    assert keys[0] is not None and keys.count(keys[0]) == 3  # one encoding for the three pages


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_page_applies_patches_as_python_does():
    """common.js applyItems (the widget's) and delta.apply_items give the same list for the same patches."""
    rng = random.Random(18)
    cases = []
    for _ in range(200):
        before = [{"id": i, "pos": float(rng.randint(0, 30)), "text": "a"} for i in rng.sample(range(1, 60), 12)]
        before.sort(key=delta.sort_key)
        after = [dict(i) for i in before if rng.random() > 0.2]
        for item in after:
            if rng.random() < 0.2:
                item["pos"] = float(rng.randint(0, 30))
        after += [{"id": i, "pos": float(rng.randint(0, 30)), "text": "b"} for i in range(60, 60 + rng.randint(0, 3))]
        if rng.random() < 0.5:
            after.sort(key=delta.sort_key)  # else: an order of its own, which the patch then carries
        patch = delta.items_delta(before, after)
        if patch is not None:
            assert [i["id"] for i in delta.apply_items(before, patch)] == [i["id"] for i in after]
            cases.append((before, patch, [i["id"] for i in after]))
    common = (Path(__file__).resolve().parents[1] / "kit" / "widgets" / "common.js").read_text(encoding="utf-8")
    script = common + "\nconst cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n" \
        "process.stdout.write(JSON.stringify(cases.map(([b, p]) => applyItems(b, p).map((i) => i.id))));\n"
    out = subprocess.run(["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True,
                         timeout=60, check=True)
    assert json.loads(out.stdout) == [ids for _, _, ids in cases]
