"""A chart of the atlas as a page element: the figure for the browser to draw, and its data
as a table that shows until then (dashboard/views/chart_style.py, assets/atlas_charts.js)."""
from __future__ import annotations

import json

from dash import html

from dashboard import urls
from dashboard.i18n import _
from dashboard.views import chart_style as style


def figure_json(figure: dict) -> str:
    """The figure as the chart element's ``data-figure`` (what a callback returns to redraw it)."""
    return json.dumps(figure, ensure_ascii=False, separators=(",", ":"))


def data_table(figure: dict) -> html.Table:
    """The chart's data as a table, each value with a bar in the chart's colour (no script needed)."""
    table = style.chart_table(figure)
    top = table["top"] or 1
    head = html.Tr([html.Th(_("Category"), scope="col", className="visually-hidden-cell"),
                    *[html.Th(c, scope="col") for c in table["columns"]]])
    rows = []
    for label, cells in table["rows"]:
        tds = []
        for text, value, colour in cells:
            width = 0 if value is None else max(0.0, min(100.0, 100 * value / top))
            swatch = {"width": f"{width:.1f}%", "background": colour}
            if colour.lower() == "#ffffff":  # "not published": hollow, as on the map
                swatch["border"] = "1px dashed #555555"
            tds.append(html.Td([html.Span(className="cell-bar", style=swatch, **{"aria-hidden": "true"}),
                                html.Span(text or "–", className="cell-text")]))
        rows.append(html.Tr([html.Th(label, scope="row"), *tds]))
    return html.Table([html.Caption(table["caption"]), html.Thead(head), html.Tbody(rows)],
                      className="chart-table" + (" chart-table-single" if len(table["columns"]) == 1 else ""))


def chart(figure: dict, filename: str, caption, chart_id: str | None = None, table_id: str | None = None,
          at_once: bool = False) -> html.Figure:
    """A chart: plotly.js draws ``figure`` when it comes near the viewport once the visitor reads
    the page (or at once, ``at_once``, when the chart is what the page shows: an embedded chart, a
    slide); until then its data table fills the chart's place (the box kept at the chart's height:
    the wide figure's here, the narrow one's on a phone, set by assets/atlas_charts.js), and stays
    for screen readers."""
    return html.Figure([
        # the drawing is hidden from screen readers (assets/atlas_a11y.js: its data table says the same),
        # not its "Download as PNG" button, a Tab stop
        html.Div(className="chart-plot"),
        html.Div(data_table(figure), className="chart-fallback", style={"minHeight": f"{figure['layout']['height']}px"},
                 **({"id": table_id} if table_id else {})),
        caption,
    ], className="chart atlas-chart", **({"id": chart_id} if chart_id else {}), **{
        "data-figure": figure_json(figure),
        "data-config": json.dumps(style.graph_config(filename), ensure_ascii=False, separators=(",", ":")),
        "data-plotly": urls.plotly_js_url(style.plotly_bundle_version()),
        "data-narrow": str(style.NARROW_PX),
        **({"data-draw": "at-once"} if at_once else {}),
    })
