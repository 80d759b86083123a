"""Live widget figures: browser render time of a 500-note VPC, propagation latency between kernels.

Render: the widget's real ES module and CSS run in Debian's Chromium against a minimal
stand-in for the widget model (``get``/``set``/``on``), so the figure is the page's own
time from "state set" to "DOM built and laid out" (performance.now), without JupyterLab's
start-up noise. Latency: this process holds an open widget with the live poller running on
an asyncio loop, exactly as in a kernel; a second OS process writes notes through
``kit.open``; we time from its commit to the widget's ``items`` trait changing.
"""
from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import kit
from kit.report.exporter import CHROMIUM_FLAGS


def harness_html(widget) -> str:
    """A page that runs the widget's ES module on a stand-in model holding the widget's state."""
    state = {k: v for k, v in widget.get_state().items() if not k.startswith("_")}
    payload = json.dumps({"state": state, "esm": widget._esm}).replace("<", "\\u003c")
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>{widget._css}</style></head>
<body style="margin:0;padding:12px;background:#fff"><div id="root"></div>
<script type="module">
const data = {payload};
const handlers = {{}};
const model = {{
  state: data.state, sent: [],
  get(k) {{ return this.state[k]; }},
  set(k, v) {{ this.state[k] = v; if (k === "request") this.sent.push(v); }},
  save_changes() {{}},
  on(evt, cb) {{ (handlers[evt] ||= []).push(cb); }},
  off(evt, cb) {{ handlers[evt] = (handlers[evt] || []).filter((f) => f !== cb); }},
  push(k, v) {{ this.state[k] = v; for (const cb of handlers["change:" + k] || []) cb(); }},
}};
window.kitModel = model;
const url = URL.createObjectURL(new Blob([data.esm], {{ type: "text/javascript" }}));
const mod = await import(url);
window.kitRender = () => {{
  const el = document.getElementById("root");
  el.replaceChildren();
  const t0 = performance.now();
  mod.default.render({{ model, el }});
  void el.offsetHeight;            // force style and layout
  return performance.now() - t0;
}};
window.kitReady = true;
</script></body></html>"""


def launch(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)


def _vpc_with_notes(folder: Path, n: int):
    from kit.widgets import show

    ws = kit.new(folder / "bench.workshop", title="Bench", language="de", actor="bench")
    canvas = ws.canvas("value_proposition")
    areas = [a["id"] for a in canvas.areas]
    canvas.collection.add_many([{"area": areas[i % len(areas)], "text": f"Notiz {i}: Kundin wartet auf Rückruf",
                                 "rank": (i % 5) + 1, "position": float(i)} for i in range(n)])
    return ws, show(ws, "value_proposition")


def render_times(n: int = 500, runs: int = 7) -> list[float]:
    """Milliseconds to build and lay out a VPC with ``n`` notes, ``runs`` times in one page."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        ws, widget = _vpc_with_notes(Path(tmp), n)
        html = harness_html(widget)
        widget.close()
        ws.close()
        page_file = Path(tmp) / "harness.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.goto(page_file.as_uri())
                page.wait_for_function("window.kitReady === true")
                times = [page.evaluate("window.kitRender()") for _ in range(runs)]
                count = page.evaluate("document.querySelectorAll('.kit-note').length")
                if count != n:
                    raise RuntimeError(f"rendered {count} notes, expected {n}")
            finally:
                browser.close()
    return times


WRITER = r"""
import sys, time, kit
ws = kit.open(sys.argv[1], actor="writer")
canvas = ws.canvas("value_proposition")
for line in sys.stdin:
    note_id = canvas.add("pains", line.strip())
    print(f"{note_id} {time.time()}", flush=True)
"""


def propagation_latencies(samples: int = 40) -> list[float]:
    """Seconds from a commit in another process to the open widget's trait update."""
    from kit import live
    from kit.widgets import show

    async def measure(path: Path) -> list[float]:
        ws = kit.open(path, actor="viewer")
        widget = show(ws, "value_proposition")
        seen: dict[str, float] = {}
        changed = asyncio.Event()

        def arrived(change: dict) -> None:
            for item in change["new"]:
                seen.setdefault(item["text"], time.time())
            changed.set()

        async def reached(text: str) -> None:
            while text not in seen:
                changed.clear()
                await changed.wait()

        widget.observe(arrived, "items")
        live.start()
        writer = await asyncio.create_subprocess_exec(
            sys.executable, "-c", WRITER, str(path), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        out = []
        try:
            for i in range(samples):
                text = f"latency-{i}"
                writer.stdin.write(f"{text}\n".encode())
                await writer.stdin.drain()
                committed = float((await writer.stdout.readline()).split()[1])
                try:
                    await asyncio.wait_for(reached(text), timeout=5)
                except TimeoutError:
                    raise RuntimeError(f"{text} did not reach the widget within 5 s") from None
                out.append(seen[text] - committed)
                await asyncio.sleep(0.05 + (i % 7) * 0.023)  # spread writes over the poll phase
        finally:
            writer.stdin.close()
            await writer.wait()
            widget.close()
            ws.close()
        return out

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "latency.workshop"
        kit.new(path, title="Latency", language="en", actor="bench").close()
        return asyncio.run(measure(path))


def rows() -> list[tuple[str, float | str, str, str]]:
    times = render_times()
    lat = sorted(propagation_latencies())
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
    return [
        ("widget: VPC render, 500 notes, Chromium (median of 7)", statistics.median(times), "ms", "<= 200 ms"),
        ("widget: VPC render, 500 notes, Chromium (worst of 7)", max(times), "ms", ""),
        ("widget: propagation between processes p50", statistics.median(lat) * 1000, "ms", ""),
        ("widget: propagation between processes p95", p95 * 1000, "ms", "p95 <= 1000 ms"),
    ]


if __name__ == "__main__":
    for row in rows():
        print(row)
