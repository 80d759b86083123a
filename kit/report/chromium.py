"""Headless Chromium printing a page to PDF, driven over the DevTools protocol on a pipe.

Light on purpose (the standard library and kit.errors only): ``kit export`` starts Chromium
before it imports nbconvert or matplotlib, so the browser launches while the report is built.
No Node driver (Playwright's) runs in between and no thread starts, so a helper process can
still be forked afterwards. Chromium gets a profile of its own (two exports at once never
share one), is cut off from the network with ``OFFLINE_FLAGS`` and every request the page
makes that is not a local file is recorded in ``blocked``, so an offline report is proven.
Windows cannot hand Chromium its pipe; there ``PlaywrightChromium`` prints, with the same contract.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from ..errors import WorkshopError

#: Flags for Debian's Chromium in containers and offline rooms (see the developers' guide).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Chromium resolves no host name and sends everything else to a closed port, so nothing reaches the
#: network even where a file tried.
OFFLINE_FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                 "--proxy-bypass-list=<-loopback>"]
#: Run in the page before printing: soft hyphens become a hyphen and a line break where a line broke, else go.
KEEP_BROKEN_HYPHENS = (Path(__file__).resolve().parent / "hyphens.js").read_text(encoding="utf-8")
#: Requests the report may make; anything else is recorded in ``blocked``.
_LOCAL = ("file:", "data:", "blob:", "about:")
#: Seconds Chromium may stay silent while loading or printing before the export gives up (a huge report
#: prints in well under a minute).
SILENCE = 120
#: Ends each message on the pipe.
NUL = b"\0"
_DEFAULT_PATHS = {
    "linux": "/usr/bin/chromium",
    "darwin": "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "win32": r"C:\Program Files\Google\Chrome\Application\chrome.exe",
}
_FIXES = {
    "linux": "sudo apt-get install chromium",
    "darwin": "brew install --cask chromium",
    "win32": "winget install Google.Chrome",
}
#: What a headless print needs besides the caller's flags (as Playwright passes them).
_HEADLESS = ["--headless", "--remote-debugging-pipe", "--hide-scrollbars", "--mute-audio", "--no-startup-window"]


class ReportError(WorkshopError):
    """The report could not be written (the browser failed, the page tried to go online); nothing was."""

    code = "report.failed"


class BrowserNotFound(ReportError):
    """No Chromium where the kit looks; the message is one line with the fix."""


class _Ended(ReportError):
    """Chromium's pipe ended while prepare()'s thread read it (``pdf`` says why, in the caller's thread)."""


def _scratch() -> str | None:
    """Where Chromium's throwaway profile (about 130 files) and the page go: memory (/dev/shm) where there
    is one, so writing and removing them costs nothing (from the disk, removing took a quarter second)."""
    shm = "/dev/shm"  # noqa: S108 - only as the parent of a private (0700) folder that mkdtemp makes
    return shm if sys.platform.startswith("linux") and os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) \
        else None


def default_chromium() -> str:
    """$KIT_CHROMIUM, else where the platform's package manager puts Chromium."""
    return os.environ.get("KIT_CHROMIUM") or _DEFAULT_PATHS.get(sys.platform, _DEFAULT_PATHS["linux"])


def check_chromium(path: str) -> str:
    """``path`` if it is an executable file, else BrowserNotFound with the exact fix."""
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    fix = _FIXES.get(sys.platform, _FIXES["linux"])
    raise BrowserNotFound("report.no_chromium", path=path, fix=fix)


def print_report(browser: Browser, html: str) -> bytes:
    """``html`` printed by ``browser``, with soft hyphens at the syllables of its long words in the page's language
    (kept in the PDF's text only where a line broke: hyphens.js)."""
    from ..render.hyphenation import soft_hyphens

    return browser.pdf(soft_hyphens(html))


class Browser(Protocol):
    """What prints the report: :class:`Chromium`, or on Windows ``PlaywrightChromium``."""

    blocked: list[str]

    def prepare(self) -> None: ...

    def pdf(self, html: str) -> bytes: ...

    def close(self) -> None: ...

    def __enter__(self) -> Browser: ...

    def __exit__(self, *exc: object) -> None: ...


def launch(path: str | None = None, *, block_network: bool = True, extra: Iterable[str] = ()) -> Browser:
    """Chromium (``path``, else ``default_chromium()``) starting now with the kit's flags, offline unless
    ``block_network`` is False, and any ``extra`` flags."""
    flags = [*CHROMIUM_FLAGS, *(OFFLINE_FLAGS if block_network else [])]
    executable, args = check_chromium(path or default_chromium()), [*flags, *(a for a in extra if a not in flags)]
    if os.name != "posix":
        return PlaywrightChromium(executable, args)
    return Chromium(executable, args)


class Chromium:
    """One headless Chromium, started at once; ``pdf`` prints a page with it (waiting for the launch)."""

    def __init__(self, executable: str, args: list[str]):
        self.executable = executable
        self.blocked: list[str] = []
        self._profile = tempfile.mkdtemp(prefix="kit-chromium-", dir=_scratch())
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close(); what Chromium says on stderr (a pipe nobody reads could fill)
        self._last_words = ""
        self._opener: Any = None  # prepare()'s thread, opening the tab ...
        self._tab: tuple[str, str] | Exception | None = None  # ... which is then (target, session), or its error
        import fcntl  # POSIX only, like this class (Windows prints through PlaywrightChromium)

        self._pid: int | None = None
        to_child, self._to_browser = os.pipe()  # Chromium reads commands on its fd 3 ...
        self._from_browser, from_child = os.pipe()  # ... and answers on its fd 4
        # posix_spawn, not fork and exec: no Python runs in the child, so this is safe in a process with threads
        # (a Jupyter kernel); the sources sit above 4, so putting one at 3 cannot overwrite the other
        sources = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 5) for fd in (to_child, from_child)]
        try:
            with open(os.devnull, "rb") as null:
                self._pid = os.posix_spawn(
                    executable, [executable, *_HEADLESS, f"--user-data-dir={self._profile}", *args], os.environ,
                    file_actions=[(os.POSIX_SPAWN_DUP2, null.fileno(), 0), (os.POSIX_SPAWN_DUP2, null.fileno(), 1),
                                  (os.POSIX_SPAWN_DUP2, self._log.fileno(), 2),
                                  (os.POSIX_SPAWN_DUP2, sources[0], 3), (os.POSIX_SPAWN_DUP2, sources[1], 4)],
                    setsid=True)  # a session of its own: close() ends exactly its processes
        except OSError as exc:
            self.close()
            raise ReportError("report.chromium_failed", path=executable, detail=str(exc)) from None
        finally:
            for fd in (to_child, from_child, *sources):
                os.close(fd)

    def prepare(self) -> None:
        """Open the tab ``pdf`` prints in, in a thread that waits for Chromium, while the caller builds the
        page (call it after forking: it starts a thread). ``pdf`` waits for it; its error is said there."""
        import threading

        def open_tab() -> None:
            try:
                self._tab = self._open_tab()
            except Exception as exc:  # noqa: BLE001 - raised by pdf(), in the caller's thread
                self._tab = exc

        self._opener = threading.Thread(target=open_tab, name="kit-chromium-tab", daemon=True)
        self._opener.start()

    def _opening(self) -> bool:
        """True in prepare()'s thread, which leaves ending Chromium to the caller's."""
        import threading

        return self._opener is threading.current_thread()

    def _open_tab(self) -> tuple[str, str]:
        """A new tab set up for printing: (target, session)."""
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method, params in (("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 720,
                                                                       "deviceScaleFactor": 1, "mobile": False}),
                               ("Network.enable", {}),  # every request the page makes is reported: requestWillBeSent
                               ("Page.enable", {}),
                               ("Emulation.setEmulatedMedia", {"media": "print"})):  # laid out once, for print
            self._send(method, params, session)
        return target, session

    def pdf(self, html: str) -> bytes:
        """``html`` printed to PDF: loaded from a file, fonts ready, laid out for print, soft hyphens kept
        only where a line broke (hyphens.js); CSS sets page sizes and numbers."""
        with tempfile.TemporaryDirectory(prefix="kit-pdf-", dir=_scratch()) as folder:
            file = Path(folder) / "report.html"
            file.write_text(html, encoding="utf-8")
            if self._opener is not None:
                self._opener.join()
            tab, self._tab, self._opener = self._tab, None, None
            if isinstance(tab, _Ended):
                self._failed()  # ended here, so that its last words are read
            if isinstance(tab, Exception):
                self.close()
                raise tab
            target, session = tab or self._open_tab()
            try:
                return self._print(file, session)
            finally:
                if self._pid is not None:  # still running (after a failure it was ended, with its error said)
                    self._send("Target.closeTarget", {"targetId": target})

    def _print(self, file: Path, session: str) -> bytes:
        def send(method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
            return self._send(method, params, session)

        self._events.clear()
        navigated = send("Page.navigate", {"url": file.as_uri()})
        if navigated.get("errorText"):
            raise ReportError("report.chromium_failed", path=self.executable, detail=navigated["errorText"])
        self._wait_for("Page.loadEventFired", session)
        self._evaluate(send, "document.fonts.ready.then(() => true)")
        self._evaluate(send, KEEP_BROKEN_HYPHENS)
        printed = send("Page.printToPDF", {
            "printBackground": True, "preferCSSPageSize": True, "paperWidth": 8.5, "paperHeight": 11,
            "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0,
            "generateTaggedPDF": False, "generateDocumentOutline": False})
        self._note_requests()
        return base64.b64decode(printed["data"])

    def _evaluate(self, send: Any, expression: str) -> None:
        result = send("Runtime.evaluate", {"expression": expression, "awaitPromise": True})
        if "exceptionDetails" in result:
            detail = result["exceptionDetails"].get("exception", {}).get("description") or result["exceptionDetails"]
            raise ReportError("report.chromium_failed", path=self.executable, detail=str(detail).splitlines()[0])

    def _note_requests(self) -> None:
        for event in self._events:
            if event.get("method") == "Network.requestWillBeSent":
                url = event["params"]["request"]["url"]
                if not url.startswith(_LOCAL):
                    self.blocked.append(url)
        self._events.clear()

    def _send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode() + NUL
        try:
            while data:
                data = data[os.write(self._to_browser, data):]
        except OSError:
            self._failed()
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ReportError("report.chromium_failed", path=self.executable,
                                      detail=f"{method}: {reply['error'].get('message', reply['error'])}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self._events.append(reply)

    def _wait_for(self, event: str, session: str) -> None:
        while not any(e.get("method") == event and e.get("sessionId") == session for e in self._events):
            reply = self._receive()
            if "method" in reply:
                self._events.append(reply)

    def _receive(self) -> dict[str, Any]:
        while NUL not in self._buffer:
            if not select.select([self._from_browser], [], [], SILENCE)[0]:
                if not self._opening():
                    self.close()
                raise ReportError("report.chromium_failed", path=self.executable,
                                  detail=f"no answer in {SILENCE} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                self._failed()
            self._buffer += chunk
        message, self._buffer = self._buffer.split(NUL, 1)
        reply: dict[str, Any] = json.loads(message)
        return reply

    def _failed(self) -> None:
        """Chromium ended (it could not start, or crashed): one line, its last words (said by the caller's
        thread: prepare()'s leaves ending Chromium and reading them to it)."""
        if self._opening():
            raise _Ended("report.chromium_failed", path=self.executable, detail="exited")
        self.close()
        raise ReportError("report.chromium_failed", path=self.executable, detail=self._last_words or "exited")

    def _close_pipes(self) -> None:
        for fd in ("_to_browser", "_from_browser"):
            if getattr(self, fd, -1) >= 0:
                os.close(getattr(self, fd))
                setattr(self, fd, -1)

    def close(self) -> None:
        """Chromium ends at once, with every process it started (its profile is thrown away, so there is
        nothing to shut down gracefully: that took half a second), and the profile is removed."""
        pid, self._pid = self._pid, None
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)  # its own session (setsid): only its processes
        if self._opener is not None:
            self._opener.join()  # a tab still opening reads the end of the pipe and stops
        self._close_pipes()
        if pid is not None:
            os.waitpid(pid, 0)
            self._log.seek(0)
            lines = [line for line in self._log.read().decode(errors="replace").splitlines() if line.strip()]
            self._last_words = lines[-1].strip() if lines else ""
        self._log.close()
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PlaywrightChromium:
    """Where :class:`Chromium` cannot hand Chromium its pipe (Windows: no fd 3 and 4): one headless Chromium
    driven by Playwright on an event loop in its own thread (so it also works inside Jupyter, where a loop
    already runs). Launching starts at once; ``pdf`` waits for it."""

    def __init__(self, executable: str, args: list[str]):
        import asyncio
        import threading

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

    def prepare(self) -> None:
        """Nothing to do ahead: ``pdf`` opens its page on the driver's own thread."""

    def pdf(self, html: str) -> bytes:
        import asyncio

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
        import asyncio

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
