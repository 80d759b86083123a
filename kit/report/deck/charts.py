"""Native charts: the evidence per hypothesis, the evidence emotion curve, KPI trends.

Each chart is a PowerPoint chart with its data embedded (editable in PowerPoint, Keynote and
LibreOffice). python-pptx 1.0 has no API for error bars; its chart XML has the slot, so the
curve's spread (mean ± standard deviation of the interview means, kit/journey.py) is written
there through lxml as custom plus and minus values (``c:errBars``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_LABEL_POSITION
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from .look import Look, Rect, rgb
from .shapes import SMALL

Series = tuple[str, Sequence[float | None]]


def _chart(slide: Any, look: Look, rect: Rect, kind: Any, categories: Sequence[Any], series: Sequence[Series],
           number_format: str = "General", date_format: str | None = None) -> Any:
    data = CategoryChartData(number_format=number_format)
    data.categories = list(categories)
    if date_format:
        data.categories.number_format = date_format
    for name, values in series:
        data.add_series(name, list(values))
    frame = slide.shapes.add_chart(kind, *(Inches(v) for v in (rect.left, rect.top, rect.width, rect.height)),
                                   data)
    chart = frame.chart
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size = Pt(SMALL)
    if look.font:
        chart.font.name = look.font
    for n, plot_series in enumerate(chart.plots[0].series):
        colour = rgb(look.series[n % len(look.series)])
        fmt = plot_series.format
        if kind in (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.LINE):
            fmt.line.color.rgb = colour
            fmt.line.width = Pt(2.5)
            plot_series.smooth = False
            plot_series.marker.style = XL_MARKER_STYLE.CIRCLE
            plot_series.marker.size = 8
            plot_series.marker.format.fill.solid()
            plot_series.marker.format.fill.fore_color.rgb = colour
        else:
            fmt.fill.solid()
            fmt.fill.fore_color.rgb = colour
    return chart


def _labelled(chart: Any, number_format: str) -> None:
    """Each point's value written beside it, and gridlines."""
    chart.plots[0].has_data_labels = True
    labels = chart.plots[0].data_labels
    labels.font.size = Pt(SMALL)
    labels.number_format = number_format
    labels.number_format_is_linked = False
    chart.value_axis.has_major_gridlines = True


def evidence(slide: Any, look: Look, rect: Rect, labels: Sequence[str], supporting: Sequence[int],
             contradicting: Sequence[int], names: tuple[str, str]) -> Any:
    """Interviews for and against each hypothesis, side by side."""
    chart = _chart(slide, look, rect, XL_CHART_TYPE.COLUMN_CLUSTERED, labels,
                   [(names[0], supporting), (names[1], contradicting)], "0")
    _labelled(chart, "0")
    chart.value_axis.minimum_scale = 0
    chart.value_axis.major_unit = 1
    return chart


def curve(slide: Any, look: Look, rect: Rect, categories: Sequence[str], mean: Series, team: Series,
          spread: Sequence[tuple[float, float] | None]) -> Any:
    """The evidence emotion curve of one persona: the interviews' mean with its spread as error
    bars (``spread``: (below, above) per point, None where fewer than two interviews), and the
    team's estimate, on the fixed -2..+2 scale."""
    chart = _chart(slide, look, rect, XL_CHART_TYPE.LINE_MARKERS, categories, [mean, team], "0.0")
    team_series = chart.plots[0].series[1]
    team_series.format.line.dash_style = 4  # MSO_LINE.DASH: the estimate is drawn dashed
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = -2, 2, 1
    axis.has_major_gridlines = True
    axis.tick_labels.number_format = "+0;-0;0"
    axis.tick_labels.number_format_is_linked = False
    chart.category_axis.tick_labels.font.size = Pt(SMALL)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # under the plot, not across at 0
    error_bars(chart.plots[0].series[0], spread, look.muted)
    return chart


def error_bars(series: Any, spread: Sequence[tuple[float, float] | None], colour: str) -> None:
    """Custom error bars on a line series: ``(minus, plus)`` per point (0 where None)."""
    ser = series._element
    bars = etree.SubElement(ser, qn("c:errBars"))
    etree.SubElement(bars, qn("c:errDir")).set("val", "y")
    etree.SubElement(bars, qn("c:errBarType")).set("val", "both")
    etree.SubElement(bars, qn("c:errValType")).set("val", "cust")
    etree.SubElement(bars, qn("c:noEndCap")).set("val", "0")
    for tag, index in (("c:plus", 1), ("c:minus", 0)):
        holder = etree.SubElement(bars, qn(tag))
        literal = etree.SubElement(holder, qn("c:numLit"))
        etree.SubElement(literal, qn("c:formatCode")).text = "0.00"
        etree.SubElement(literal, qn("c:ptCount")).set("val", str(len(spread)))
        for n, pair in enumerate(spread):
            point = etree.SubElement(literal, qn("c:pt"))
            point.set("idx", str(n))
            etree.SubElement(point, qn("c:v")).text = repr(round(pair[index], 4) if pair else 0.0)
    shape = etree.SubElement(bars, qn("c:spPr"))
    line = etree.SubElement(shape, qn("a:ln"))
    line.set("w", str(Pt(1.5)))
    solid = etree.SubElement(line, qn("a:solidFill"))
    etree.SubElement(solid, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())
    # the schema's order: errBars after the series' marker/dPt/dLbls/trendline, before cat/val
    anchor = ser.find(qn("c:cat"))
    if anchor is None:
        anchor = ser.find(qn("c:val"))
    if anchor is not None:
        anchor.addprevious(bars)


def _date_ticks(chart: Any, dates: Sequence[dt.date]) -> None:
    """A label a month (a fortnight over less than four months) on the date axis, not one every few days."""
    axis = chart._chartSpace.find(".//" + qn("c:dateAx"))
    if axis is None or not dates:
        return
    monthly = (dates[-1] - dates[0]).days > 120
    after = axis.find(qn("c:baseTimeUnit"))
    for tag, value in (("c:majorTimeUnit", "months" if monthly else "days"), ("c:majorUnit", "1" if monthly else "14")):
        element = etree.Element(qn(tag))
        element.set("val", value)
        after.addnext(element)  # the schema's order: baseTimeUnit, majorUnit, majorTimeUnit


def trend(slide: Any, look: Look, rect: Rect, dates: Sequence[dt.date], series: Sequence[Series],
          date_format: str) -> Any:
    """A KPI over time on a date axis (days apart as far as they are): its measurements, labelled, and
    further series such as the target path drawn dashed without markers or labels."""
    chart = _chart(slide, look, rect, XL_CHART_TYPE.LINE_MARKERS, dates, series, "General", date_format)
    _labelled(chart, "General")
    for extra in list(chart.plots[0].series)[1:]:
        extra.format.line.dash_style = 4  # MSO_LINE.DASH
        extra.format.line.width = Pt(1.75)
        extra.marker.style = XL_MARKER_STYLE.NONE
        labels = extra.data_labels
        labels.show_value = False
    chart.has_legend = len(series) > 1
    _date_ticks(chart, dates)
    blanks = chart._chartSpace.chart.find(qn("c:dispBlanksAs"))
    if blanks is not None:  # a date only one series has: the other's line goes on across it
        blanks.set("val", "span")
    return chart
