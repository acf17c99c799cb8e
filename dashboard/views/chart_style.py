"""How every chart of the atlas looks, in one place: the Plotly template, axes, sizes, modebar.

The template is built from the visual system's tokens, the same values
``assets/atlas.css`` holds as CSS variables (``--ink``, ``--muted``, ``--line``,
the type scale ``--text-*``; tests/test_charts.py checks that they agree): the
page's font stack, no chart text under the type scale's smallest step (14 px),
titles one step up. Colours: the map's tier colours (Okabe-Ito blue and orange,
safe for the common colour-vision deficiencies) and the rest of the Okabe-Ito
set for categorical series (answers of a question, COVID-19 response
categories); colour is never the only carrier of meaning (every bar has a text
label, "not published" is hatched like the map's hollow markers).

Every chart is a horizontal bar chart (:func:`horizontal_bars`). Its figure
carries a narrow variant in ``layout.meta.narrow`` (labels, title and source
re-wrapped for a phone); ``assets/atlas_charts.js`` draws it when the chart is
narrower than :data:`NARROW_PX`. :func:`chart_table` reads the same figure back
as a table: the text shown before plotly.js has drawn the chart, and for
screen readers after.

Text that comes from the data goes into figures only through :func:`plain`:
plotly.js reads a few HTML-like tags in every text, so data is escaped and
only the tags written here (``<br>``, ``<b>``) are ever interpreted.
"""
from __future__ import annotations

import html
import math
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard import i18n
from layers.style import TIER_STYLE

# plotly.js's "basic" partial bundle (bar, pie, scatter), served by the atlas itself
# (scripts/vendor_plotly.py writes it in the version plotly.py ships)
PLOTLY_BUNDLE = Path(__file__).resolve().parents[2] / "vendor" / "plotly" / "plotly-basic.min.js"


@lru_cache(maxsize=1)
def plotly_bundle_version() -> str:
    """The version of the vendored bundle, from its licence header ("plotly.js (basic - minified) v4.1.1")."""
    with PLOTLY_BUNDLE.open(encoding="utf-8") as f:
        head = f.read(300)
    found = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", head)
    if not found:
        raise RuntimeError(f"{PLOTLY_BUNDLE} is not plotly.js's basic bundle")
    return found.group(1)


# ---------------------------------------------------------------- tokens
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

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'  # --font-sans
INK, MUTED, LINE, BG = "#1d2430", "#5a6270", "#d8dbe0", "#ffffff"  # --ink, --muted, --line, --bg
ROOT_PX = 16  # 1rem
# the type scale in rem, as assets/atlas.css's --text-* (sm is the smallest text of the atlas's charts)
TYPE_SCALE = {"sm": 0.875, "base": 1.0, "lg": 1.125, "xl": 1.375, "2xl": 1.75}
TEXT_PX = {step: round(rem * ROOT_PX) for step, rem in TYPE_SCALE.items()}  # sm 14, base 16, lg 18, xl 22, 2xl 28
SMALLEST_PX = TEXT_PX["sm"]

NARROW_PX = 600  # a chart narrower than this (a phone) draws its narrow variant
HOVER_WIDTH = 44  # characters per line of a hover label (fits a phone)


@dataclass(frozen=True)
class Measure:
    """Characters per line and pixels per line of one chart width."""
    title: int  # characters per title line
    label: int  # per category label line
    note: int  # per source line
    x_ticks: int  # about how many ticks on the value axis
    width: int  # pixels the chart is drawn in, about


WIDE = Measure(title=72, label=34, note=96, x_ticks=6, width=880)
NARROW = Measure(title=30, label=18, note=40, x_ticks=3, width=340)
CHAR_PX = 7.6  # the width of a character of --text-sm, about (for margins and legend rows)
TITLE_LINE_PX, SUBTITLE_LINE_PX, LABEL_LINE_PX, NOTE_LINE_PX = 24, 20, 18, 18
ROW_PX, BAR_PX, LEGEND_PX = 38, 22, 34


def template() -> dict:
    """The atlas's Plotly template (figure JSON): fonts, colours, axes, legend, hover labels."""
    small = {"family": FONT_FAMILY, "size": SMALLEST_PX}
    return {"layout": {
        "font": {"family": FONT_FAMILY, "size": SMALLEST_PX, "color": INK},
        "title": {"font": {"family": FONT_FAMILY, "size": TEXT_PX["lg"], "color": INK}, "x": 0, "xanchor": "left"},
        "colorway": list(SERIES),
        "paper_bgcolor": BG, "plot_bgcolor": BG,
        "separators": i18n.separators(),
        "xaxis": {"gridcolor": LINE, "linecolor": LINE, "zerolinecolor": MUTED, "tickfont": {**small, "color": INK},
                  "title": {"font": {**small, "color": MUTED}}, "automargin": True, "fixedrange": True},
        "yaxis": {"gridcolor": LINE, "linecolor": LINE, "tickfont": {**small, "color": INK}, "automargin": True,
                  "fixedrange": True, "ticks": ""},
        "legend": {"font": {**small, "color": INK}, "orientation": "h", "x": 0, "xanchor": "left",
                   "traceorder": "normal"},
        "hoverlabel": {"font": small, "align": "left"},
        "uniformtext": {"minsize": SMALLEST_PX, "mode": "hide"},
        "annotationdefaults": {"font": {**small, "color": MUTED}, "showarrow": False},
    }}


# ------------------------------------------------------------------ text

def plain(text) -> str:
    """Data text made safe for a plotly text field (shown as written, never as markup)."""
    return html.escape("" if text is None else str(text), quote=False)


def wrap(text, width: int, whole_words: bool = False) -> str:
    """Escaped text broken into lines of at most ``width`` characters (plotly does not wrap);
    ``whole_words``: a longer word (an address) keeps its line rather than being cut."""
    lines = textwrap.wrap(str(text), width, break_long_words=not whole_words, break_on_hyphens=not whole_words)
    return "<br>".join(plain(line) for line in lines or [""])


def unwrap(markup: str) -> str:
    """The plain text of a figure text made by :func:`wrap` / :func:`plain` (for the data table)."""
    markup = re.sub(r"</?(b|span)\b[^>]*>", "", markup)
    return html.unescape(markup.replace("<br>", " "))


def pct(value: float) -> str:
    """A number of percent in the page's language: "55%", "55 %"."""
    return i18n.decimal(value) + i18n.percent_sign()


# ------------------------------------------------------------------ axes

NICE_STEPS = (1, 1.2, 1.25, 1.5, 1.6, 2, 2.5, 3, 4, 5, 6, 8, 10)


def nice_ceiling(value: float) -> float:
    """The smallest "round" number (1, 1.2, 1.25, 1.5, 1.6, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) >= value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(round(step * power, 10) for step in NICE_STEPS if step * power >= value - 1e-9)


def tick_step(top: float, ticks: int, integer: bool = False) -> float:
    """A round distance between ticks giving about ``ticks`` of them from 0 to ``top``."""
    raw = top / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(round(s * power, 10) for s in (1, 2, 2.5, 5, 10) if s * power >= raw - 1e-9)
    return max(step, 1) if integer else step


def share_axis() -> dict:
    """A share axis: 0-100 %, ticks every 20 (every 50 on a phone)."""
    return {"range": [0, 100], "dtick": 20, "narrow_dtick": 50, "ticksuffix": i18n.percent_sign()}


def count_axis(largest: float, headroom: float = 1.1) -> dict:
    """A count axis from 0 to a round number above the largest value (room for its label), whole ticks."""
    top = nice_ceiling(max(largest, 1) * headroom)
    return {"range": [0, top], "dtick": tick_step(top, WIDE.x_ticks, integer=True),
            "narrow_dtick": tick_step(top, NARROW.x_ticks, integer=True), "ticksuffix": ""}


def value_axis(largest: float, headroom: float = 1.5) -> dict:
    """An axis of measured values (points) from 0 to a round number, with room for long value labels."""
    top = nice_ceiling(max(largest, 0.1) * headroom)
    return {"range": [0, top], "dtick": tick_step(top, WIDE.x_ticks), "narrow_dtick": tick_step(top, NARROW.x_ticks),
            "ticksuffix": ""}


# ------------------------------------------------------------------ figures

def graph_config(filename: str) -> dict:
    """How the browser draws a chart (assets/atlas_charts.js): its PNG file name and the one
    modebar button, "download as PNG" (no Plotly logo, no cloud, no zoom tools)."""
    return {"filename": filename, "download": i18n._("Download this chart as PNG (with its source)"),
            "plotly": {"displaylogo": False, "responsive": True, "showSendToCloud": False,
                       "showEditInChartStudio": False, "showLink": False, "scrollZoom": False,
                       "displayModeBar": True}}


def bar(x: list, y: list, text: list, hovertext: list, **props) -> dict:
    """A horizontal bar trace (plotly figure JSON); ``y``: the category labels as plain text
    (escaped and wrapped by :func:`horizontal_bars`)."""
    return {"type": "bar", "orientation": "h", "x": x, "y": y, "text": text, "hovertext": hovertext,
            "hoverinfo": "text", "textposition": "outside", "cliponaxis": False, **props}


MULTILINE_TITLE_SHIFT_PX = 13


def _lines(markup: str) -> int:
    return markup.count("<br>") + 1 if markup else 0


def _bands(ys: list[list[str]], stacked: bool) -> tuple[int, float]:
    """The plot's height and the gap between bars: plotly gives every category the same band,
    as high as the tallest label needs or its bars side by side; bars stay about BAR_PX thick."""
    bars: dict[str, int] = {}
    for labels in ys:
        for label in labels:
            bars[label] = 1 if stacked else bars.get(label, 0) + 1
    if not bars:
        return ROW_PX, 0.3
    band = max(max(ROW_PX + (n - 1) * BAR_PX, LABEL_LINE_PX * _lines(label) + 12) for label, n in bars.items())
    thick = BAR_PX * max(bars.values())
    return band * len(bars), round(min(0.8, max(0.3, 1 - thick / band)), 2)


def _legend_rows(traces: list[dict], width: float) -> int:
    """How many lines the legend takes over a plot ``width`` pixels wide (about 8 px a character,
    40 px a swatch; plotly.js gives every item the widest one's room)."""
    item = 40 + 8 * max((len(unwrap(t.get("name", ""))) for t in traces), default=0)
    row, rows = 0, 1
    for _trace in traces:
        if row and row + item > width:
            rows, row = rows + 1, 0
        row += item
    return rows


def _fit(traces: list[dict], title: str, subtitle: str, note: list[str], legend: bool, stacked: bool,
         axis: dict, m: Measure) -> dict:
    """The parts of a figure that depend on its width: wrapped texts, margins, height, ticks;
    and the source note added to a downloaded PNG."""
    title_lines = wrap(title, m.title)
    subtitle_lines = wrap(subtitle, m.title + m.title // 4) if subtitle else ""
    title_markup = f"<b>{title_lines}</b>" + (f"<br><span style='font-size:{SMALLEST_PX}px'>{subtitle_lines}</span>"
                                              if subtitle else "")
    ys = [[wrap(label, m.label) for label in t["y"]] for t in traces]
    # the labels' width, estimated (plotly's automargin widens the margin when they need more)
    label_px = round(8 + CHAR_PX * max((len(html.unescape(line)) for y in ys for label in y for line in label.split("<br>")),
                                       default=0))
    title_px = TITLE_LINE_PX * _lines(title_lines) + (SUBTITLE_LINE_PX * _lines(subtitle_lines) if subtitle else 0)
    # plotly.js sets a title of several lines 13 px higher than one of a single line (its first line
    # then runs over the drawing's top edge and is cut): move it down by as much
    shift = MULTILINE_TITLE_SHIFT_PX if _lines(title_markup) > 1 else 0
    top = 20 + shift + title_px + (LEGEND_PX * _legend_rows(traces, m.width - label_px) if legend else 10)
    bottom = 58
    plot, bargap = _bands(ys, stacked)
    height = top + plot + bottom
    note_markup = "<br>".join(wrap(line, m.note, whole_words=True) for line in note)
    note_px = NOTE_LINE_PX * _lines(note_markup) + 16 if note else 0
    layout = {
        # plotly.js draws a multi-line title upwards from its anchor: anchor it at the top
        "title": {"text": title_markup, "y": 1, "yanchor": "top", "yref": "container", "pad": {"t": 12 + shift}},
        "height": height, "bargap": bargap,
        "margin": {"l": label_px, "r": 56 if m is WIDE else 40, "t": top, "b": bottom},
        "xaxis": {"dtick": axis["dtick"] if m is WIDE else axis["narrow_dtick"]},
    }
    download = {"height": height + note_px, "margin": {"b": bottom + note_px}, "annotations": [
        {"text": note_markup, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
         "xshift": 8 - label_px, "yshift": -bottom + 6, "align": "left"}]} if note else {}
    return {"y": ys, "layout": layout, "download": download}


def horizontal_bars(traces: list[dict], *, title: str, note: list[str], x_title: str, axis: dict,
                    subtitle: str = "", legend: bool = False, stacked: bool = False, **layout) -> dict:
    """A horizontal bar chart in the atlas's template, as plotly figure JSON.

    ``title``, ``subtitle`` and each line of ``note`` (source, sample, wave…) are plain
    text, escaped and wrapped here. The page prints the source under the chart; the note
    is added under the plot of a downloaded PNG (``layout.meta.download``), so the source
    travels with the image. ``axis`` comes from :func:`share_axis`, :func:`count_axis` or
    :func:`value_axis`. Built as plain dicts (plotly's validating classes cost ~50 ms a
    figure and a page has twenty; the tests validate every figure with ``go.Figure``).
    """
    wide = _fit(traces, title, subtitle, note, legend, stacked, axis, WIDE)
    narrow = _fit(traces, title, subtitle, note, legend, stacked, axis, NARROW)
    base = {
        "template": template(),
        "barmode": "stack" if stacked else "group", "showlegend": legend,
        "legend": {"y": 1, "yanchor": "bottom"},
        "xaxis": {"title": {"text": plain(x_title)}, "range": axis["range"], "tick0": 0,
                  "ticksuffix": axis["ticksuffix"], "zeroline": True},
        "yaxis": {"autorange": "reversed"},
        **layout,
    }
    merged = {**base, **wide["layout"], "xaxis": {**base["xaxis"], **wide["layout"]["xaxis"]}}
    merged["meta"] = {"download": wide["download"],
                      "narrow": {"y": narrow["y"], "layout": narrow["layout"], "download": narrow["download"]}}
    return {"data": [{**t, "y": y} for t, y in zip(traces, wide["y"])], "layout": merged}


def chart_table(figure: dict) -> dict:
    """The figure's data as a table of plain text: ``{"caption", "columns", "rows", "top"}``;
    a row is ``(label, [(text, value, colour), ...])`` per category, one cell per trace."""
    traces = figure["data"]
    labels: list[str] = []
    for trace in traces:
        labels += [y for y in trace["y"] if y not in labels]
    cells = {label: [] for label in labels}
    for trace in traces:
        by_label = {y: (text, x) for y, x, text in zip(trace["y"], trace["x"], trace.get("text") or [""] * len(trace["x"]))}
        colour = (trace.get("marker") or {}).get("color", SERIES[0])
        for label in labels:
            text, x = by_label.get(label, ("", None))
            shown = unwrap(text) if text else ("" if x is None else i18n.decimal(x))
            cells[label].append((shown, x, colour))
    title = figure["layout"]["title"]["text"]
    return {"caption": unwrap(title.replace("</b><br><span", "</b> — <span")),
            "columns": [unwrap(t.get("name") or figure["layout"]["xaxis"]["title"]["text"]) for t in traces],
            "rows": [(unwrap(label), cells[label]) for label in labels],
            "top": figure["layout"]["xaxis"]["range"][1]}
