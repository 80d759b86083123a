"""The deck's look: a corporate template's layouts, fonts and colours, or the kit's own.

With ``--template`` every slide comes from the template's layouts: the title slide from its
title layout, every other slide from its "title and content" layout, so titles sit in the
template's title placeholder and text in its content placeholder, set in the template's
fonts; charts and series take the template's accent colours. Without a template the deck is
16:9 in the report's palette (kit/render/style.py) and DejaVu Sans, the report's font.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches, Pt

from ...errors import UsageError
from ...render import style

EMU_PER_INCH = 914400
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TITLE = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_CONTENT = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


@dataclass(frozen=True)
class Rect:
    """A place on the slide in inches."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @classmethod
    def of(cls, shape: Any) -> Rect:
        return cls(*(int(getattr(shape, k)) / EMU_PER_INCH for k in ("left", "top", "width", "height")))

    def place(self, shape: Any) -> None:
        shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in
                                                             (self.left, self.top, self.width, self.height))


def rgb(value: str) -> RGBColor:
    found: RGBColor = RGBColor.from_string(value.lstrip("#")[:6].upper())
    return found


@dataclass
class Look:
    """Where titles and content go, and in which fonts and colours."""

    prs: Any
    font: str | None  # None: the template's theme font
    ink: str = style.INK
    muted: str = style.MUTED
    panel: str = style.PANEL
    accent: str = style.ACCENT
    alert: str = style.ALERT
    series: list[str] = field(default_factory=lambda: list(style.SERIES))
    templated: bool = False

    @property
    def size(self) -> tuple[float, float]:
        return int(self.prs.slide_width) / EMU_PER_INCH, int(self.prs.slide_height) / EMU_PER_INCH

    # -- layouts
    def _layout(self, wanted: tuple[Any, ...], with_content: bool) -> Any:
        for layout in self.prs.slide_layouts:
            types = {ph.placeholder_format.type for ph in layout.placeholders}
            if types & set(wanted) and (not with_content or types & set(_CONTENT)):
                return layout
        return self.prs.slide_layouts[0]

    @property
    def title_layout(self) -> Any:
        return self._layout((PP_PLACEHOLDER.CENTER_TITLE,), False)

    @property
    def content_layout(self) -> Any:
        return self._layout((PP_PLACEHOLDER.TITLE,), True)

    def title_rect(self) -> Rect:
        width, _ = self.size
        if self.templated:
            found = _placeholder(self.content_layout, _TITLE)
            if found is not None:
                return Rect.of(found)
        return Rect(0.5, 0.2, width - 1.0, 0.7)

    def content_rect(self) -> Rect:
        """The room below the title: the template's content placeholder, else the kit's margins."""
        width, height = self.size
        if self.templated:
            found = _placeholder(self.content_layout, _CONTENT)
            if found is not None:
                return Rect.of(found)
        return Rect(0.5, 1.0, width - 1.0, height - 1.25)

    # -- text
    def style_run(self, run: Any, size: float, *, bold: bool = False, color: str | None = None) -> None:
        run.font.size = Pt(size)
        run.font.bold = bold
        if self.font:
            run.font.name = self.font
        if color or not self.templated:
            run.font.color.rgb = rgb(color or self.ink)


def _placeholder(layout: Any, types: tuple[Any, ...]) -> Any:
    return next((ph for ph in layout.placeholders if ph.placeholder_format.type in types), None)


def built_in() -> Look:
    """The kit's own look: 16:9, the report's palette and font."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    return Look(prs, font="DejaVu Sans")


def from_template(path: str | os.PathLike[str]) -> Look:
    """A corporate template's layouts, fonts and colours; its own slides are left out."""
    try:
        prs = Presentation(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise UsageError("deck.template_unreadable", path=str(path), detail=type(exc).__name__) from None
    _drop_slides(prs)
    look = Look(prs, font=None, templated=True)
    colours = theme_colours(prs)
    accents = [colours[f"accent{n}"] for n in range(1, 7) if f"accent{n}" in colours]
    if accents:
        look.series = accents + [c for c in look.series if c not in accents]
        look.accent = accents[0]
    for name, attribute in (("dk1", "ink"), ("dk2", "muted")):
        if name in colours:
            setattr(look, attribute, colours[name])
    return look


def theme_colours(prs: Any) -> dict[str, str]:
    """{"accent1": "#4472C4", "dk1": ...} from the first slide master's theme."""
    from lxml import etree

    master = prs.slide_masters[0]
    try:
        theme = master.part.part_related_by(RT.THEME)
    except KeyError:
        return {}
    root = etree.fromstring(theme.blob)
    scheme = root.find(f".//{_DRAWING}clrScheme")
    out: dict[str, str] = {}
    for child in scheme if scheme is not None else []:
        name = etree.QName(child).localname
        srgb, system = child.find(f"{_DRAWING}srgbClr"), child.find(f"{_DRAWING}sysClr")
        value = srgb.get("val") if srgb is not None else system.get("lastClr") if system is not None else None
        if value:
            out[name] = "#" + value
    return out


def _drop_slides(prs: Any) -> None:
    ids = prs.slides._sldIdLst
    for entry in list(ids):
        prs.part.drop_rel(entry.rId)
        ids.remove(entry)


__all__ = ["EMU_PER_INCH", "Look", "Rect", "built_in", "from_template", "rgb", "theme_colours"]
