"""nbconvert exporters for the workshop report: ``--to workshop_html`` and ``--to workshop_pdf``.

Both use the ``workshop`` template (templates/workshop: extends ``lab``, loads nothing from
the network, inputs hidden). The PDF exporter is nbconvert's WebPDFExporter with one change
that matters on a fresh machine: Chromium is launched from an explicit executable
(``chromium_path``: config, else $KIT_CHROMIUM, else the platform's usual place), since
Playwright cannot download browsers here. Chromium runs cut off from the network and every
request that is not a local file is recorded in ``blocked_requests``, so an offline report
is proven, not hoped.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter, WebPDFExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, List, Unicode, default

from ..errors import WorkshopError
from ..render.hyphenation import soft_hyphens
from . import build

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Run in the page before printing: soft hyphens become a hyphen and a line break where a line broke, else go.
KEEP_BROKEN_HYPHENS = (Path(__file__).resolve().parent / "hyphens.js").read_text(encoding="utf-8")
#: Flags for Debian's Chromium in containers and offline rooms (see the developers' guide).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
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


#: Requests the report may make; anything else is recorded in ``blocked_requests``.
_LOCAL = ("file:", "data:", "blob:", "about:")
#: With ``block_network`` Chromium resolves no host name and sends everything else to a closed
#: port, so nothing reaches the network even where a file tried.
OFFLINE_FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                 "--proxy-bypass-list=<-loopback>"]


class ReportError(WorkshopError):
    """The report could not be written (the browser failed, the page tried to go online); nothing was."""

    code = "report.failed"


class BrowserNotFound(ReportError):
    """No Chromium where the kit looks; the message is one line with the fix."""


def default_chromium() -> str:
    """$KIT_CHROMIUM, else where the platform's package manager puts Chromium."""
    return os.environ.get("KIT_CHROMIUM") or _DEFAULT_PATHS.get(sys.platform, _DEFAULT_PATHS["linux"])


def check_chromium(path: str) -> str:
    """``path`` if it is an executable file, else BrowserNotFound with the exact fix."""
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    fix = _FIXES.get(sys.platform, _FIXES["linux"])
    raise BrowserNotFound("report.no_chromium", path=path, fix=fix)


def css_string(text: str) -> str:
    """``text`` as the inside of a CSS string: everything but letters, digits and spaces
    hex-escaped, so user text cannot end the string or the style element."""
    # an escape ends at the one space after it, so every escape gets that space
    return "".join(c if (c.isalnum() and c.isascii()) or c == " " else f"\\{ord(c):06x} " for c in text)


class RunReportCells(Preprocessor):
    """Run a kit report notebook's cells in this process when they have no outputs yet
    (declared in templates/workshop/conf.json, so it runs after ``--execute`` if given).

    Notebooks that are not kit reports, or were already executed, pass unchanged."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        if build.is_report(nb) and build.needs_run(nb):
            build.run(nb)
        return nb, resources


class _ReportTemplate:
    """What both exporters share: the template, hidden inputs, the language and footer."""

    export_from_notebook = "Workshop report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "workshop"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES), *super()._default_extra_template_basedirs()]  # type: ignore[misc]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    def report_html(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:
        """The report page. Like HTMLExporter.from_notebook_node without its BeautifulSoup
        pass (alt texts and tab stops for jp-Cell wrappers, which the report has none of),
        which took seconds on large reports."""
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        from .. import i18n

        meta = nb.metadata.get(build.METADATA_KEY, {})
        language = meta.get("language", "en")
        if language in i18n.LANGUAGES:
            self.language_code = language
        resources = self._init_resources(dict(resources or {}))  # type: ignore[attr-defined]
        resources["kit"] = {"footer": css_string(nb.metadata.get("title", "")),
                            "page": css_string(i18n.t("report.page", language)),
                            "of": css_string(i18n.t("report.of", language))}
        self.register_filter("highlight_code", Highlight2HTML(pygments_lexer="python", parent=self))  # type: ignore[attr-defined]
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(  # type: ignore[attr-defined]
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))  # type: ignore[attr-defined]
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)  # type: ignore[arg-type]


class WorkshopHTMLExporter(_ReportTemplate, HTMLExporter):
    """The report as one self-contained HTML file (figures inline, no network)."""

    def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:  # type: ignore[override]
        return self.report_html(nb, resources, **kw)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"


class WorkshopPDFExporter(_ReportTemplate, WebPDFExporter):
    """The report as an A4 PDF, printed by Chromium through Playwright."""

    chromium_path = Unicode(help="Chromium or Chrome executable; default $KIT_CHROMIUM, else the "
                            "platform's usual place (/usr/bin/chromium on Debian).").tag(config=True)
    block_network = Bool(True, help="Cut Chromium off the network while printing.").tag(config=True)
    blocked_requests = List(Unicode(), help="URLs (not local files) the last export tried to load.")

    @default("chromium_path")
    def _chromium_path_default(self) -> str:
        return default_chromium()

    def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[bytes, Any]:  # type: ignore[override]
        page, resources = self.report_html(nb, resources, **kw)
        self.log.info("Building PDF with %s", self.chromium_path)
        return self.run_playwright(page), resources

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    def browser(self) -> Chromium:
        """Start Chromium in the background now (it launches while the report is being built)."""
        flags = [*CHROMIUM_FLAGS, *(OFFLINE_FLAGS if self.block_network else [])]
        return Chromium(check_chromium(self.chromium_path),
                        [*flags, *(a for a in self.browser_args if a not in flags)])

    def run_playwright(self, html: str, browser: Chromium | None = None) -> bytes:
        """Print ``html`` to PDF with the configured Chromium; CSS sets page sizes and numbers,
        soft hyphens in the page's language break long words at syllables (and stay in the PDF's
        text only where a line broke: hyphens.js)."""
        own = browser is None
        browser = browser or self.browser()
        try:
            pdf = browser.pdf(soft_hyphens(html))
        finally:
            if own:
                browser.close()
        self.blocked_requests = list(browser.blocked)
        return pdf


class Chromium:
    """One headless Chromium on an event loop in its own thread (so it also works inside
    Jupyter, where a loop already runs). Launching starts at once; ``pdf`` waits for it."""

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

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
