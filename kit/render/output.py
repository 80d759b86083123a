"""Figures out as PNG bytes, SVG text, or an HTML <img> a static notebook export keeps."""
from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from .style import REPORT_DPI, label, quiet_glyphs

if TYPE_CHECKING:
    from ..canvas import Canvas


def to_png(fig: Figure, dpi: float = REPORT_DPI) -> bytes:
    buf = io.BytesIO()
    with quiet_glyphs():
        fig.savefig(buf, format="png", dpi=dpi, facecolor=fig.get_facecolor())
    return buf.getvalue()


def to_svg(fig: Figure) -> str:
    """SVG with text as paths, so the look does not depend on the viewer's fonts."""
    buf = io.StringIO()
    with quiet_glyphs():
        fig.savefig(buf, format="svg", facecolor=fig.get_facecolor())
    return buf.getvalue()


def alt_text(canvas: Canvas) -> str:
    lang = canvas.language
    counts = ", ".join(label("alt_count", lang, area=a["title"], n=len(canvas.items(a["id"]))) for a in canvas.areas)
    return label("alt_canvas", lang, title=canvas.title, counts=counts)


def canvas_html(canvas: Canvas, dpi: float = 110) -> str:
    """An <img> with the canvas as a base64 PNG and an escaped alt text (no user markup survives)."""
    from . import canvas_figure

    png = base64.b64encode(to_png(canvas_figure(canvas), dpi=dpi)).decode("ascii")
    alt = html.escape(alt_text(canvas), quote=True)
    return (f'<img src="data:image/png;base64,{png}" alt="{alt}" title="{alt}" '
            f'style="max-width:100%;height:auto" />')
