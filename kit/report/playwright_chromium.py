"""Printing through Playwright, where chromium.py cannot hand Chromium its pipe (Windows: no fork, no fd 3 and 4).

The same contract as :class:`kit.report.chromium.Chromium`: ``pdf(html)``, ``blocked``, ``close()``.
"""
from __future__ import annotations

import asyncio
import tempfile
import threading
from pathlib import Path
from typing import Any

from .chromium import _LOCAL, KEEP_BROKEN_HYPHENS, ReportError


class PlaywrightChromium:
    """One headless Chromium driven by Playwright on an event loop in its own thread (so it also works
    inside Jupyter, where a loop already runs). Launching starts at once; ``pdf`` waits for it."""

    def __init__(self, executable: str, args: list[str]):
        self.executable = executable
        self.blocked: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kit-chromium", daemon=True)
        self._thread.start()
        self._playwright: Any = None
        self._browser: Any = None
        self._launched = asyncio.run_coroutine_threadsafe(self._launch(args), self._loop)

    async def _launch(self, args: list[str]) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=self.executable, args=args, handle_sigint=False, handle_sigterm=False,
                handle_sighup=False)
        except Exception as exc:  # noqa: BLE001 - reported as one line
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ReportError("report.chromium_failed", path=self.executable, detail=first) from None

    def pdf(self, html: str) -> bytes:
        self._launched.result()
        with tempfile.TemporaryDirectory(prefix="kit-pdf-") as folder:
            file = Path(folder) / "report.html"
            file.write_text(html, encoding="utf-8")
            return asyncio.run_coroutine_threadsafe(self._print(file), self._loop).result()

    async def _print(self, file: Path) -> bytes:
        page = await self._browser.new_page()
        try:
            # watching costs nothing; intercepting every request (page.route) doubled print time
            page.on("request", lambda request: None if request.url.startswith(_LOCAL) else
                    self.blocked.append(request.url))
            await page.goto(file.as_uri(), wait_until="load")
            await page.evaluate("document.fonts.ready.then(() => true)")
            await page.emulate_media(media="print")
            await page.evaluate(KEEP_BROKEN_HYPHENS)
            pdf: bytes = await page.pdf(prefer_css_page_size=True, print_background=True)
            return pdf
        finally:
            await page.close()

    async def _stop(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    def close(self) -> None:
        try:
            self._launched.exception()  # wait for a launch still under way; its error was reported
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> PlaywrightChromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
