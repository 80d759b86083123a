"""nbconvert exporters for the workshop report: ``--to workshop_html`` and ``--to workshop_pdf``.

Both use the ``workshop`` template (templates/workshop: extends ``lab``, loads nothing from
the network, inputs hidden). The PDF exporter is nbconvert's WebPDFExporter printing with the
kit's own Chromium driver (chromium.py: the DevTools protocol on a pipe, no Playwright) from an
explicit executable (``chromium_path``: config, else $KIT_CHROMIUM, else the platform's usual
place), since nothing can download browsers here. Chromium runs cut off from the network and
every request that is not a local file is recorded in ``blocked_requests``, so an offline report
is proven, not hoped.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter, WebPDFExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, List, Unicode, default

from . import build, skeleton
from .chromium import (
    CHROMIUM_FLAGS,
    OFFLINE_FLAGS,
    Browser,
    BrowserNotFound,
    ReportError,
    check_chromium,
    default_chromium,
    launch,
    print_report,
)
from .skeleton import css_string

TEMPLATES = Path(__file__).resolve().parent / "templates"
# the browser's part lives in chromium.py (light imports, so that ``kit export`` starts it first); named here too
__all__ = ["CHROMIUM_FLAGS", "OFFLINE_FLAGS", "Browser", "BrowserNotFound", "ReportError", "WorkshopHTMLExporter",
           "WorkshopPDFExporter", "check_chromium", "default_chromium"]


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
    """What both exporters share: the template, hidden inputs, the language and footer; the notebook validated
    once, not after every preprocessor."""

    export_from_notebook = "Workshop report"

    @default("optimistic_validation")
    def _optimistic_validation_default(self) -> bool:
        return True

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

    def report_html(self, nb: Any, resources: Any = None, *, footer: str | None = None, **kw: Any) -> tuple[str, Any]:
        """The report page (``footer``: what the page footer says instead of the title, as a CSS string's
        inside). Like HTMLExporter.from_notebook_node without its BeautifulSoup pass (alt texts and tab stops
        for jp-Cell wrappers, which the report has none of), which took seconds on large reports."""
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        from .. import i18n

        meta = nb.metadata.get(build.METADATA_KEY, {})
        language = meta.get("language", "en")
        if language in i18n.LANGUAGES:
            self.language_code = language
        resources = self._init_resources(dict(resources or {}))  # type: ignore[attr-defined]
        resources["kit"] = {"footer": css_string(nb.metadata.get("title", "")) if footer is None else footer,
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

    def skeleton(self, language: str) -> str:
        """The page of a report in ``language`` with stand-ins for its title and chapters (skeleton.py)."""
        from nbformat.v4 import new_code_cell, new_output

        nb = build.blank(build.notebook("", title=skeleton.TITLE, language=language))
        nb.cells.append(new_code_cell("", outputs=[new_output("execute_result", {"text/html": skeleton.CHAPTERS},
                                                              execution_count=1)], execution_count=1))
        text, _ = self.report_html(nb, footer=skeleton.FOOTER)
        return text

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"


class WorkshopPDFExporter(_ReportTemplate, WebPDFExporter):
    """The report as an A4 PDF, printed by Chromium (driven over the DevTools protocol: chromium.py)."""

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

    def browser(self) -> Browser:
        """Start Chromium in the background now (it launches while the report is being built)."""
        return launch(self.chromium_path, block_network=self.block_network, extra=self.browser_args)

    def run_playwright(self, html: str, browser: Browser | None = None) -> bytes:
        """Print ``html`` to PDF with the configured Chromium; CSS sets page sizes and numbers,
        soft hyphens in the page's language break long words at syllables (and stay in the PDF's
        text only where a line broke: hyphens.js)."""
        own = browser is None
        browser = browser or self.browser()
        try:
            pdf = print_report(browser, html)
        finally:
            if own:
                browser.close()
        self.blocked_requests = list(browser.blocked)
        return pdf
