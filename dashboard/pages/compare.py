"""Two to four cities side by side (``/compare?cities=a,b,c``); the set lives in the URL."""
import dash
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update

from dashboard import data, ids, urls, vocabulary
from dashboard.ui.components import bar, source_link
from dashboard.ui.embed import embed_frame
from dashboard.ui.first_view import flat, page_html, top
from dashboard.ui.share import share_tools
from dashboard.ui.components import as_printed, bar, dropdown_labels, source_link
from dashboard.i18n import _
from dashboard.views import compare_view

def first_view(query) -> str:
    """The page's heading, introduction and notes as HTML before any script runs (app.py ``first_paint``)."""
    query = flat(query)
    if urls.is_embed(query):
        return ""
    only = urls.only_differences(query.get("diff"))
    return page_html(top(compare_article(compare_view.compare_page(query.get("cities"), only), only), TOP_BLOCKS))


# the heading, the introduction and the notes: what comes before the city chooser
TOP_BLOCKS = 4
dash.register_page(__name__, path=urls.COMPARE_PATH, title=lambda: vocabulary.page_title("compare"), name="Compare",
                   first_view=first_view, in_frame=True)

ONLY = "only"
WRAP_CLASS = "compare-wrap"


def city_head(c: dict) -> html.Th:
    remove = _("Remove {city} from the comparison", city=c["name"])
    return html.Th([
        # a page load, not a dcc.Link: the city page loads the mini map's library, which this page does not
        html.A(c["name"], href=c["href"], className="compare-city"),
        dcc.Link([html.Span("×", **{"aria-hidden": "true"}), html.Span(remove, className="visually-hidden")],
                 href=c["remove"], className="remove-city", title=remove),
        html.Div(c["country"], className="compare-country"),
        html.Div(source_link(c["source"]), className="section-source") if c["source"] else None,
    ], scope="col")


def cell(c: dict, points: tuple[int, int] | None) -> html.Td:
    """One cell; ``points`` (points, of how many) draws a bar."""
    return html.Td([
        html.Div(c["text"], className="cell-main") if c["text"] else None,
        bar(*points, c["text"]) if points is not None else None,
        html.Div(c["note"], className="fact-note") if c["note"] else None,
        html.Ul([html.Li(as_printed(x)) for x in c["items"]], className="cell-list") if c["items"] else None,
    ])


def table(page: dict) -> html.Table:
    n = len(page["cities"])
    body, group = [], None
    for row in page["rows"]:
        if row["group"] != group:
            group = row["group"]
            body.append(html.Tr(html.Th(group, colSpan=n + 1, scope="colgroup"), className="group-row"))
        label = [row["label"], html.Span(_("differs"), className="differs-tag")] if row["differs"] else row["label"]
        bars = row["bars"] or [None] * n
        body.append(html.Tr([html.Th(label, scope="row"), *[cell(c, b) for c, b in zip(row["cells"], bars)]],
                            className="differs" if row["differs"] else "same", **{"data-row": row["key"]}))
    return html.Table([
        html.Thead(html.Tr([html.Td(), *[city_head(c) for c in page["cities"]]])),
        html.Tbody(body),
    ], id=ids.COMPARE_TABLE, className="compare-table")


def layout(cities=None, diff=None, **_query):
    only = urls.only_differences(diff)
    page = compare_view.compare_page(cities, only)
    article = compare_article(page, only)
    if urls.is_embed(_query):
        names = ", ".join(c["name"] for c in page["cities"]) or _("Compare cities")
        return embed_frame(article, urls.COMPARE_PATH, {**_query, "cities": cities, "diff": diff}, names,
                           "embed-compare")
    return article


def compare_article(page: dict, only: bool) -> html.Article:
    return html.Article([
        dcc.Location(id=ids.COMPARE_URL, refresh=False),
        html.Div([html.H1(_("Compare cities")),
                  share_tools(_("Compare cities"), urls.compare_url(page["ids"], only), embed="compare")], className="page-head"),
        html.P(_("Two to four cities side by side, from their published answers. Scores are the atlas's estimates "
                 "unless marked official; rows where the cities differ are marked.")),
        html.Ul([html.Li(n) for n in page["notes"]], id=ids.COMPARE_NOTES, className="compare-notes", role="status"),
        html.Div([
            html.Div([
                html.Label(_("Add a city"), htmlFor=ids.COMPARE_ADD),
                dcc.Dropdown(id=ids.COMPARE_ADD, options=page["options"], value=None, disabled=page["full"],
                             labels=dropdown_labels(),
                             placeholder=(_("Four cities is the most") if page["full"] else _("Type a city name"))),
            ], className="compare-add"),
            dcc.Checklist(id=ids.COMPARE_ONLY_DIFF, options=[{"label": _("Show only rows that differ"), "value": ONLY}],
                          value=[ONLY] if only else [], inputClassName="facet-input"),
        ], className="compare-controls"),
        html.P(_("Choose at least two cities to compare."), className="not-published") if page["too_few"] else None,
        html.Div(table(page) if page["cities"] else None, id=ids.COMPARE_TABLE_WRAP,
                 className=WRAP_CLASS + (" only-differences" if only else "")),
        dcc.Store(id=ids.COMPARE_IDS, data=page["ids"]),
    ], id=ids.COMPARE_PAGE, className="prose compare-page")


@callback(Output(ids.URL, "search", allow_duplicate=True), Input(ids.COMPARE_ADD, "value"),
          State(ids.COMPARE_IDS, "data"), State(ids.COMPARE_ONLY_DIFF, "value"), prevent_initial_call=True)
def add_city(city_id, current, only):
    """Adding a city changes the URL; the page is drawn again from it."""
    city_id = data.known_city(city_id)
    if not city_id:
        return no_update
    current = [c for c in current if isinstance(c, str)] if isinstance(current, list) else []
    return urls.compare_query(compare_view.add(current, city_id), bool(only and ONLY in only))


# Remember the set, so "Add to compare" on the map or a city page adds to it (assets/atlas_map.js).
clientside_callback(ClientsideFunction("atlas", "rememberCompare"),
                    Output(ids.COMPARE_SET, "data"), Input(ids.COMPARE_IDS, "data"))


@callback(Output(ids.COMPARE_TABLE_WRAP, "className"), Output(ids.COMPARE_URL, "search"),
          Input(ids.COMPARE_ONLY_DIFF, "value"), State(ids.COMPARE_IDS, "data"), prevent_initial_call=True)
def only_differences(value, current):
    """The table shows only the rows that differ, and the address says so (``diff=1``)."""
    only = isinstance(value, list) and ONLY in value
    current = [c for c in current if isinstance(c, str)] if isinstance(current, list) else []
    return WRAP_CLASS + (" only-differences" if only else ""), urls.compare_query(current, only)
