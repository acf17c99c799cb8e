"""How every chart of the atlas looks, in one place: colours, fonts, sizes, modebar.

Okabe-Ito colours (safe for the common colour-vision deficiencies), the same
blue and orange the map uses for the high and low tiers; colour is never the
only carrier of meaning (every bar has a text label, "not published" is
hatched like the map's hollow markers). The font stack is the page's.

Text that comes from the data goes into figures only through :func:`plain`:
plotly.js reads a few HTML-like tags in every text, so data is escaped and
only the tags written here (``<br>``, ``<b>``) are ever interpreted.
"""
from __future__ import annotations

import html
import textwrap

from dashboard import i18n
from layers.style import TIER_STYLE

BLUE = TIER_STYLE["high"]["color"]  # #0072B2, the map's high tier
ORANGE = TIER_STYLE["low"]["color"]  # #E69F00, the map's low tier
GREEN = "#009E73"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
# series colours in order (answers of a question: first answer blue, second orange…)
SERIES = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION)
NOT_PUBLISHED = {"color": "#ffffff", "line": {"color": "#555555", "width": 1},
                 "pattern": {"shape": "/", "fgcolor": "#999999", "size": 6}}

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'  # as assets/atlas.css
INK, MUTED, GRID = "#1d2430", "#5a6270", "#d8dbe0"
FONT = {"family": FONT_FAMILY, "size": 13, "color": INK}

TITLE_WIDTH, LABEL_WIDTH, NOTE_WIDTH = 80, 38, 100  # characters per line
ROW_PX, BAR_PX, LINE_PX, LABEL_LINE_PX, NOTE_LINE_PX = 34, 22, 20, 17, 15


def plain(text) -> str:
    """Data text made safe for a plotly text field (shown as written, never as markup)."""
    return html.escape("" if text is None else str(text), quote=False)


def wrap(text, width: int) -> str:
    """Escaped text broken into lines of at most ``width`` characters (plotly does not wrap)."""
    return "<br>".join(plain(line) for line in textwrap.wrap(str(text), width) or [""])


def pct(value: float) -> str:
    """A number of percent in the page's language: "55%", "55 %"."""
    return i18n.decimal(value) + i18n.percent_sign()


def graph_config(filename: str) -> dict:
    """dcc.Graph config: the modebar offers the PNG download (no plotly logo, no zoom tools)."""
    return {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d",
                                   "autoScale2d", "resetScale2d"],
    }


def bar(x: list, y: list, text: list, hovertext: list, **props) -> dict:
    """A horizontal bar trace (plotly figure JSON) with the atlas's defaults."""
    return {"type": "bar", "orientation": "h", "x": x, "y": y, "text": text, "hovertext": hovertext,
            "hoverinfo": "text", "textposition": "outside", "cliponaxis": False, **props}


def _plot_height(traces: list[dict], stacked: bool) -> int:
    """Room for every category: its bars side by side (grouped) and its label's lines."""
    bars: dict[str, int] = {}
    for trace in traces:
        for label in trace["y"]:
            bars[label] = 1 if stacked else bars.get(label, 0) + 1
    if not bars:
        return ROW_PX
    return sum(max(ROW_PX + (n - 1) * BAR_PX, LABEL_LINE_PX * (label.count("<br>") + 1) + 14)
               for label, n in bars.items())


def horizontal_bars(traces: list[dict], *, title: str, note: str, x_title: str,
                    x_range: list[float] | None = None, ticksuffix: str = "", legend: bool = False,
                    stacked: bool = False, **layout) -> dict:
    """A horizontal bar chart with the atlas's look, as plotly figure JSON.

    Built as plain dicts (plotly's validating classes cost ~50 ms a figure and
    a page has twenty; the tests validate every figure with ``go.Figure``).
    ``title`` and ``note`` are markup built with :func:`wrap`/:func:`plain`;
    ``note`` (source, sample, wave…) is printed under the plot so it travels
    with a downloaded PNG.
    """
    title_lines = title.count("<br>") + 1
    note_lines = note.count("<br>") + 1 if note else 0
    top = 24 + LINE_PX * title_lines + (30 if legend else 0)
    bottom = 64 + NOTE_LINE_PX * note_lines
    return {"data": traces, "layout": {
        # plotly.js draws a multi-line title upwards from its anchor: push it down by the extra lines
        "title": {"text": f"<b>{title}</b>", "x": 0, "xanchor": "left", "y": 1, "yanchor": "top",
                  "pad": {"t": 10 + LINE_PX * (title_lines - 1)}, "font": {"size": 15}},
        "template": {}, "font": FONT, "separators": i18n.separators(), "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "height": top + bottom + _plot_height(traces, stacked) + 20,
        "margin": {"l": 10, "r": 50, "t": top, "b": bottom},
        "barmode": "stack" if stacked else "group", "bargap": 0.3, "showlegend": legend,
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom", "traceorder": "normal"},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "annotations": [{"text": note, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0, "y": 0,
                         "xanchor": "left", "yanchor": "top", "yshift": -48, "align": "left",
                         "font": {"size": 11, "color": MUTED}}] if note else [],
        "xaxis": {"title": {"text": x_title, "font": {"size": 12, "color": MUTED}}, "range": x_range,
                  "ticksuffix": ticksuffix.replace("%", i18n.percent_sign()), "gridcolor": GRID, "zeroline": True, "zerolinecolor": MUTED,
                  "fixedrange": True},
        "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True, "ticks": ""},
        **layout,
    }}
