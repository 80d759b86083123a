"""Live widgets on a workshop server: a restart shows "reconnecting", then the current notes; two
processes with a live widget each see each other's notes.

What a widget's traits hold is exactly what the browser gets, so these run without a browser,
against the real throwaway cluster (tests/pgcluster.py) and a real ``pg_ctl`` stop and start.
Each test runs on an asyncio loop, as in a kernel: kit.live hands the listener's calls to it.
"""
from __future__ import annotations

import asyncio
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kit
from kit import i18n, widgets
from kit.widgets.base import SessionWidget
from pgcluster import PASSWORD, Cluster

WAIT = 20  # seconds any awaited state may take at most (it normally takes milliseconds)

TESTS = Path(__file__).resolve().parent


async def until(widget: SessionWidget, trait: str, wanted: Callable[[Any], bool], timeout: float = WAIT) -> None:
    """Await ``wanted(widget.<trait>)``, woken by the trait's own change events (no polling)."""
    if wanted(getattr(widget, trait)):
        return
    reached = asyncio.Event()

    def changed(change: dict[str, Any]) -> None:
        if wanted(change["new"]):
            reached.set()

    widget.observe(changed, names=trait)
    try:
        await asyncio.wait_for(reached.wait(), timeout)
    finally:
        widget.unobserve(changed, names=trait)


def texts(items: list[dict[str, Any]]) -> list[str]:
    return sorted(i["text"] for i in items)


def add(widget: SessionWidget, text: str) -> str:
    """What the page does for a new note on the pains; returns the error line ("" when saved)."""
    return widget.handle({"op": "add", "area": "pains", "text": text, "nonce": text})


def test_a_server_restart_shows_reconnecting_then_the_current_notes(pg_cluster: Cluster, pg_url: str) -> None:
    key = pg_url.rsplit("=", 1)[1]
    ws = kit.new(pg_cluster.url(key, password=PASSWORD), title="Neustart", language="de", actor="anna")
    other = kit.open(pg_url, actor="ben")  # another writer on the same workshop
    vpc = ws.canvas("value_proposition")
    before = [vpc.add("pains", f"vorher {i}") for i in range(3)]
    reconnecting = i18n.t("live.reconnecting", "de")

    async def main() -> None:
        widget = widgets.show(ws, "value_proposition")
        try:
            assert widget.connection == "" and texts(widget.items) == ["vorher 0", "vorher 1", "vorher 2"]
            other.canvas("value_proposition").add("pains", "von Ben")
            await until(widget, "items", lambda items: "von Ben" in texts(items))
            shown = texts(widget.items)

            await asyncio.to_thread(pg_cluster.stop)
            await until(widget, "connection", bool)
            assert widget.connection == reconnecting and "\n" not in reconnecting
            assert texts(widget.items) == shown  # kept, but marked by the banner as possibly stale
            error = add(widget, "während der Server steht")  # told in one line that it was not saved
            assert "nicht gespeichert" in error and "\n" not in error and PASSWORD not in error
            assert widget.error == error and widget.connection == reconnecting

            await asyncio.to_thread(pg_cluster.start)
            other.canvas("value_proposition").add("pains", "nach dem Neustart")
            await until(widget, "items", lambda items: "nach dem Neustart" in texts(items))
            await until(widget, "connection", lambda value: value == "")
            assert widget.version == ws.version()
            assert add(widget, "wieder da") == ""
        finally:
            widget.close()
        assert texts(widget.items) == sorted([*shown, "nach dem Neustart", "wieder da"])

    asyncio.run(main())
    stored = [r for r in ws.canvas_items.all() if r["area"] == "pains"]
    assert [r["id"] for r in stored][:3] == before  # nothing committed was lost
    assert texts(stored) == ["nach dem Neustart", "von Ben", "vorher 0", "vorher 1", "vorher 2", "wieder da"]
    other.close()
    ws.close()


#: The other process: its own kernel-like loop and live widget, writing through the widget as a page does.
CHILD = textwrap.dedent('''
    import asyncio, sys
    sys.path.insert(0, sys.argv[2])  # the tests folder, for the same awaiting helper
    import kit
    from kit import widgets
    from test_live_postgres import until

    async def main(url):
        ws = kit.open(url, actor="dort")
        widget = widgets.show(ws, "value_proposition")
        print("ready", flush=True)
        await until(widget, "items", lambda items: any(i["text"] == "von hier" for i in items))
        assert widget.handle({"op": "add", "area": "pains", "text": "von dort", "nonce": "1"}) == ""
        print(sorted(i["text"] for i in widget.items), flush=True)
        widget.close()

    asyncio.run(main(sys.argv[1]))
''')


def test_two_processes_with_a_live_widget_each_see_each_others_notes(pg_url: str) -> None:
    ws = kit.new(pg_url, title="Zwei Prozesse", language="de", actor="hier")

    async def main() -> list[str]:
        widget = widgets.show(ws, "value_proposition")
        child = await asyncio.create_subprocess_exec(sys.executable, "-c", CHILD, pg_url, str(TESTS),
                                                     stdout=asyncio.subprocess.PIPE)
        try:
            assert child.stdout is not None
            assert await asyncio.wait_for(child.stdout.readline(), WAIT) == b"ready\n"
            assert add(widget, "von hier") == ""
            await until(widget, "items", lambda items: "von dort" in texts(items))
            out, _ = await asyncio.wait_for(child.communicate(), WAIT)
            assert child.returncode == 0
            return [out.decode().strip(), str(texts(widget.items))]
        finally:
            widget.close()
            if child.returncode is None:
                child.kill()
                await child.wait()

    there, here = asyncio.run(main())
    assert there == here == "['von dort', 'von hier']"
    ws.close()
