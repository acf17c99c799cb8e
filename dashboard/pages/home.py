"""The map page (``/``): filters, the clustered city map, the selection summary,
city search and the city panel. Its whole state lives in the URL."""
from html import escape

import dash
import dash_leaflet as dl
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from dashboard import config, data, ids, urls, vocabulary
from dashboard.facets import FACET_BY_KEY, Filters
from dashboard.i18n import _
from dashboard.ui.city_panel import panel_body
from dashboard.ui.selection_list import compare_tray, selection_list
from dashboard.ui.embed import embed_frame, selection_words
from dashboard.ui.first_map import drawing
from dashboard.ui.share import share_tools
from dashboard.ui.static_html import compact
from dashboard.ui.components import dropdown_labels
from dashboard.ui.summary import selection_summary
from dashboard.urls import MapState
from dashboard.views.map_view import (FIT, MAP_FACETS, Changes, browser_words, chosen_option, city_options,
                                      initial_view, opens_on_city, read_url, search_is_local, selection, sync)
from dashboard.views.map_view import first_map as first_map_view
from layers import LIBRARY, ON_USE
from layers.cities import cities_layer, selected_layer, selected_marker
from layers.countries import attribution, countries_layer, labels_layer, tile_layer
from layers.style import RING_COLOR, TIER_ORDER, TIER_STYLE

# code-split chunks the page needs as soon as it mounts (the dropdowns; Leaflet's come with Leaflet, ON_USE)
CHUNKS = ("/_dash-component-suites/dash/dcc/async-dropdown.js",)


def points_url() -> str:
    return urls.points_url(data.version())


def borders_url() -> str:
    return urls.countries_url(data.borders_version())


def preloads() -> list[tuple[str, str]]:
    """What the browser may fetch while Dash's bundles start (app.py writes preload links): the
    point table and the chunks, otherwise asked for one after another once the page has mounted."""
    return [(points_url(), "fetch"), (borders_url(), "fetch"), *((chunk, "script") for chunk in CHUNKS)]


def first_view(query) -> str:
    """What the address shows, written into the page's HTML before Dash's renderer starts
    (``first_view=``, app.py ``first_paint``), in the boxes the page will have (same classes): the
    filter panel with the count line and the active filters, the toolbar, and the map area with the
    map's first view (``first_map``). All text escaped."""
    state = read_url(query)
    filters = state.filters
    count = vocabulary.cities_shown(data.selection(filters)["count"])
    active = vocabulary.filters_in_words(filters)
    panel = (f'<aside class="filters"><div class="filters-head"><h2 class="panel-title">{escape(_("Explore cities"))}'
             f'</h2></div><p class="selection-line first-count">{escape(count)}</p>'
             + (f'<p class="first-filters">{escape(active)}</p>' if active else "") + "</aside>")
    toolbar = (f'<div class="map-toolbar"><span class="filters-toggle">{escape(_("Filters"))}</span>'
               f'<span class="search-label">{escape(_("Find a city"))}</span><span class="city-search first-search">'
               f'{escape(_("Type a city name, e.g. Medellin"))}</span><span class="toolbar-count">{escape(count)}</span>'
               '<span class="share-tools">' + "".join(f'<span class="button-link">{escape(w)}</span>' for w in (
                   _("Copy link"), _("Cite this"), _("Embed"))) + "</span></div>")
    page = (f'<div class="map-page">{panel}<div class="map-main">{toolbar}<div class="map-wrap first-slot">'
            f'{first_map(state)}</div></div></div>')
    if urls.is_embed(query):
        full = urls.full_url(urls.MAP_PATH, urls.parameters(query))
        return (f'<div class="embed bare embed-map"><div class="embed-bar"><span class="embed-brand">'
                f'{escape(vocabulary.page_title("map"))}</span><span class="embed-selection">'
                f'{escape(f"{count} — {selection_words(filters)}")}</span><a class="embed-full" href="'
                f'{escape(full, quote=True)}" target="_blank" rel="noopener">{escape(_("View in the full atlas"))}</a>'
                f'</div>{page}<p class="embed-credit">{escape(vocabulary.credits())}</p></div>')
    return page


# On a phone the city panel is a bottom sheet over up to 55% of the screen (assets/atlas.css): a city the
# map opens on or moves to goes in the middle of the part of the map above it. The rule's one owner: the
# pixels to move the map's centre down by for the map's box (a DOMRect), 0 on a wider screen. Written
# into every page's head (a visitor may go from any page to the map without a reload), before the first
# view's script places the drawing; assets/atlas_map.js ``aboveSheet`` turns it into a centre.
SHEET_SCRIPT = ("window.atlasSheetShift=function(b){if(!window.matchMedia||!matchMedia('(max-width: 640px)').matches)"
                "{return 0}var d=b.height/2-(Math.min(b.bottom,innerHeight*.45)-b.top)/2;return d>0?d:0};")


def first_map(state) -> str:
    """The map's first view (``map_view.first_map``) as HTML (``ui.first_map.drawing``): it goes when
    Leaflet's first markers appear."""
    return drawing(first_map_view(state), ids.MAP, ".map-wrap", "map-first", vocabulary.map_attribution())


def client_data() -> dict:
    """What the browser's code needs before Dash starts (app.py ``client_config``): where the point
    table is, the words to count a selection in (``browser_words``), and whether the search box
    gets every city (when the visitor reaches for it) or asks the server as they type; and the rule
    by which the map fits a new selection (``map_view.FIT``)."""
    return {"points": points_url(), "words": browser_words(), "searchLocal": search_is_local(), "fit": FIT}


# Leaflet (dash-leaflet: about 80 KB compressed, and with the first drawing of the markers and the
# borders 0.6 s of a phone's main thread) loads when the visitor first points at the page, touches it or
# moves the focus into it (assets/atlas_on_use.js): until then the first view's drawing is the map, and
# the page's map component is stood in for by an empty box that keeps the props the callbacks set;
# its script is fetched at idle priority meanwhile (prefetch_on_use, app.py), so the first use waits
# only for its start-up
dash.register_page(__name__, path=urls.MAP_PATH, title=lambda: vocabulary.page_title("map"), name="Map",
                   preload=preloads, first_view=first_view, client=client_data, on_use=ON_USE,
                   prefetch_on_use=True, head_script=SHEET_SCRIPT)


def legend() -> html.Div:
    entries = [("high", _("High innovation capacity (6-10)")), ("low", _("Low innovation capacity (below 6)")),
               ("unknown", _("Score not published"))]
    return html.Div([
        html.H2(_("Legend"), className="legend-title"),
        html.Ul([html.Li([html.Span(className=f"swatch swatch-{k}", style={
            "backgroundColor": TIER_STYLE[k]["color"], "borderColor": TIER_STYLE[k]["stroke"]}), label])
            for k, label in entries]),
        html.P([html.Span(className="swatch swatch-cluster", style={"background": cluster_swatch()}),
                _("A group of cities: the ring shows their tiers' shares, the number how many they are.")],
               className="legend-cluster"),
        html.P(_("Scores are the atlas's estimates from published answers unless marked official. "
                 "Circle size shows population."), className="legend-note"),
    ], id=ids.LEGEND, className="legend")


def cluster_swatch() -> str:
    """An example cluster ring for the legend, in the clusters' colours and order."""
    stops, step = [], 360 / len(TIER_ORDER)
    for i, tier in enumerate(TIER_ORDER):
        stops.append(f"{RING_COLOR[tier]} {i * step:.0f}deg {(i + 1) * step:.0f}deg")
    return f"conic-gradient({', '.join(stops)})"


def facet_control(key: str, options: list[dict], value: tuple[str, ...]):
    """A facet's control as the specification says: a checklist, or a dropdown for long lists."""
    if FACET_BY_KEY[key].control == "dropdown":
        return html.Div([
            html.Label(vocabulary.facet_title(key), htmlFor=ids.filter_id(key), className="facet-title"),
            dcc.Dropdown(id=ids.filter_id(key), options=options, value=list(value), multi=True,
                         labels=dropdown_labels(), placeholder=_("Any"), className="facet-dropdown"),
        ], className="facet-block")
    return html.Fieldset([
        html.Legend(vocabulary.facet_title(key)),
        dcc.Checklist(id=ids.filter_id(key), options=options, value=list(value),
                      className="facet", inputClassName="facet-input", labelClassName="facet-label"),
    ])


def data_links(filters: Filters) -> list:
    """Links to the selection's data: the API's CSV and JSON, and the table page."""
    return [_("This selection:"), " ", html.A(_("CSV"), href=urls.api_cities_url("csv", filters), download=""), " · ",
            html.A(_("JSON"), href=urls.api_cities_url("json", filters)), " · ",
            html.A(_("Table"), href=urls.table_url(filters))]


def city_panel(city_id: str | None, filters: Filters) -> html.Aside:
    return html.Aside([
        html.Button("×", id=ids.CITY_PANEL_CLOSE, className="panel-close", title=_("Close (Esc)"),
                    **{"aria-label": _("Close the city panel")}),
        html.Div(panel_content(city_id, filters), id=ids.CITY_PANEL_BODY),
    ], id=ids.CITY_PANEL, className=panel_class(city_id), **{"aria-labelledby": "city-panel-title"})


def panel_class(city_id: str | None) -> str:
    return "city-panel open" if city_id else "city-panel"


def panel_content(city_id: str | None, filters: Filters) -> list:
    city = data.city(city_id)
    return panel_body(city, bool(city) and data.in_selection(city["id"], filters)) if city else []


def layout(**query):
    state = read_url(query)
    filters = state.filters
    shown = selection(filters)
    city = data.city(state.city)
    center, zoom, fit = initial_view(state)
    page = map_page(state, shown, city, center, zoom, fit, on_city=opens_on_city(state))
    if urls.is_embed(query):
        return embed_frame(page, urls.MAP_PATH, query, f"{shown.count_text} — {selection_words(filters)}", "embed-map")
    return page


def map_page(state, shown, city, center, zoom, fit, *, on_city: bool) -> html.Div:
    """The page. Leaflet waits for the visitor's first use of the page while the map's first view
    (``.first-map``, drawn into the page's HTML) is on it, else it loads at once: nothing else would
    show (no first view above FIRST_VIEW_MAX cities, or the page reached without a reload)."""
    filters = state.filters
    return html.Div([
        # only written by the callback (an Input, it would fire as it mounts and hold up the map)
        dcc.Location(id=ids.MAP_URL, refresh=False),
        dcc.Store(id=ids.MAP_HISTORY),
        dcc.Store(id=ids.MAP_SELECTION, data=shown.query),
        dcc.Store(id=ids.MAP_POINTS, data={"url": points_url(), "countries": borders_url(),
                                           "labels": vocabulary.map_labels(), "style": TIER_STYLE}),
        # a city opened from the URL without a view: the browser moves it above a phone's bottom sheet
        dcc.Store(id=ids.MAP_FOCUS, data={"center": center, "zoom": zoom, "animate": False, "initial": True}
                  if on_city else None),
        dcc.Store(id=ids.CITY_REQUEST),
        dcc.Store(id=ids.MAP_FIT, data=fit),
        dcc.Store(id=ids.VIEW_SINK),
        dcc.Store(id=ids.MAP_LIVE),
        # the page's one <h1>, for screen readers (on phones the filters' title is in a closed drawer)
        html.H1(_("Map of cities"), className="visually-hidden"),
        html.Aside([
            html.Div([
                html.H2(_("Explore cities"), className="panel-title"),
                html.Button("×", id=ids.FILTERS_CLOSE, className="drawer-close",
                            **{"aria-label": _("Close the filters")}),
            ], className="filters-head"),
            html.P(shown.count_text, id=ids.SELECTION_COUNT, className="selection-line", **{"aria-live": "polite"}),
            html.P(data_links(filters), id=ids.MAP_DATA_LINKS, className="data-links"),
            html.Div(selection_list(shown.listed, shown.count, filters), id=ids.SELECTION_LIST,
                     className="selection-list", **{"aria-label": _("Cities shown")}),
            html.Details([
                html.Summary(_("The selection compared with all cities"), className="summary-title"),
                html.Div(selection_summary(filters), id=ids.SELECTION_SUMMARY),
            ], open=True, className="summary"),
            html.Button(_("Reset all filters"), id=ids.RESET, className="reset-button"),
            *[facet_control(k, shown.options[k], filters[k]) for k in MAP_FACETS],
        ], id=ids.FILTERS, className="filters", **{"aria-label": _("Filters")}),
        html.Div([
            html.Div([
                html.Button(_("Filters"), id=ids.FILTERS_TOGGLE, className="filters-toggle",
                            **{"aria-controls": ids.FILTERS, "aria-expanded": "false"}),
                html.Label(_("Find a city"), htmlFor=ids.CITY_SEARCH, className="search-label"),
                dcc.Store(id=ids.CITY_SEARCH_QUERY, data={"local": search_is_local()}),
                # its full list of cities arrives when the visitor reaches for it (assets/atlas_map.js)
                dcc.Dropdown(id=ids.CITY_SEARCH, options=chosen_option(state.city), value=state.city,
                             placeholder=_("Type a city name, e.g. Medellin"), clearable=True, searchable=True,
                             className="city-search",
                             labels=search_labels()),
                html.A([html.Span(_("Not on the map? "), className="wide-only"), _("Assess your city")],
                       href=urls.SELF_ASSESSMENT_PATH, className="search-assess"),
                html.Span(shown.count_text, id=ids.TOOLBAR_COUNT, className="toolbar-count", **{"aria-hidden": "true"}),
                share_tools(_("Map of cities"), urls.map_url(filters, state.city, state.view), embed="map"),
            ], className="map-toolbar"),
            html.Div([
                dl.Map([
                    *([tile_layer(tiles)] if (tiles := config.load().tile_url) else []),
                    countries_layer(ids.COUNTRY_LAYER),
                    labels_layer(ids.COUNTRY_LABELS),
                    cities_layer(ids.CITY_LAYER, group_label=_("A group of {n} cities: Enter zooms in")),
                    selected_layer(ids.SELECTED_LAYER, city),
                    attribution(vocabulary.map_attribution()),
                ], id=ids.MAP, center=center, zoom=zoom, minZoom=urls.MIN_ZOOM, worldCopyJump=True,
                    style={"height": "100%", "width": "100%"}, attributionControl=False),
                legend(),
                html.Div(id=ids.COMPARE_TRAY, className="compare-tray empty", role="region",
                         **{"aria-label": _("Cities to compare"), "aria-live": "polite"}),
                city_panel(state.city, filters),
            ], className="map-wrap"),
        ], className="map-main"),
    ], className="map-page", **{"data-on-use": LIBRARY, "data-on-use-store": ids.MAP_LIVE,
                                "data-on-use-busy": ids.MAP, "data-on-use-drawing": ".first-map"})


def search_labels() -> dict:
    """The city search box's words (Dash's dropdown takes all of them or none)."""
    # the dead end of a search: a city that is not on the map can assess itself
    return dropdown_labels(no_options_found=_("No city of that name on the map. Not on the map? Use “Assess your "
                                              "city” next to this box."))


def filters_from_values(values: dict) -> Filters:
    """The filters the controls show (``{facet key: value}``); malformed values are dropped."""
    return Filters({key: value for key, value in (values or {}).items() if isinstance(value, (list, str))})


# The sync callback's outputs by name (Dash's dict-keyed callback signature): each part of the page
# that an event may change, rendered by ``render`` from a ``map_view.Changes``.
# The map's selection, the count line and the filter options are the browser's (``filterPanel``
# below): the server sends what the browser cannot compute.
OUTPUTS = {
    "values": {k: Output(ids.filter_id(k), "value") for k in MAP_FACETS},
    "list": Output(ids.SELECTION_LIST, "children"),
    "fit": Output(ids.MAP_FIT, "data"),
    "summary": Output(ids.SELECTION_SUMMARY, "children"),
    "data_links": Output(ids.MAP_DATA_LINKS, "children"),
    "search_value": Output(ids.CITY_SEARCH, "value"),
    "search_options": Output(ids.CITY_SEARCH, "options", allow_duplicate=True),
    "panel_class": Output(ids.CITY_PANEL, "className"),
    "panel_body": Output(ids.CITY_PANEL_BODY, "children"),
    "marker": Output(ids.SELECTED_LAYER, "children"),
    "focus": Output(ids.MAP_FOCUS, "data"),
    "url": Output(ids.MAP_URL, "search"),
}


def render(changes: Changes, listed: bool = False) -> dict:
    """The outputs for a change (``no_update`` for every part that stays), keyed like ``OUTPUTS``;
    ``listed``: the search box already holds every city."""
    out = {key: ({k: no_update for k in spec} if isinstance(spec, dict) else no_update) for key, spec in OUTPUTS.items()}
    filters = changes.state.filters
    if changes.filters is not None:
        out["values"] = {k: list(changes.filters[k]) for k in MAP_FACETS}
    if changes.selection is not None:
        shown = changes.selection
        # static parts as one element each, as in the page's layout (app.compact_pages)
        out.update(list=compact(selection_list(shown.listed, shown.count, filters)),
                   summary=compact(selection_summary(filters)), data_links=compact(data_links(filters)))
        if changes.fit:
            out["fit"] = shown.fit
    if changes.city is not None:
        city_id = changes.city or None
        out.update(search_value=city_id, panel_class=panel_class(city_id),
                   panel_body=compact(panel_content(city_id, filters)),
                   marker=selected_marker(data.city(city_id)))
        if not listed:  # the box shows the chosen city's name from its options
            out["search_options"] = chosen_option(city_id)
    if changes.focus is not None:
        out["focus"] = changes.focus
    if changes.search is not None:
        out["url"] = changes.search
    return out


EVENTS = {ids.RESET: "reset", ids.CITY_SEARCH: "city", ids.CITY_REQUEST: "city", ids.MAP_HISTORY: "url"}


@callback(
    output=OUTPUTS,
    inputs={"values": {k: Input(ids.filter_id(k), "value") for k in MAP_FACETS},
            "reset": Input(ids.RESET, "n_clicks"), "city": Input(ids.CITY_SEARCH, "value"),
            "request": Input(ids.CITY_REQUEST, "data"), "entry": Input(ids.MAP_HISTORY, "data"),
            "zoom": State(ids.MAP, "zoom"), "center": State(ids.MAP, "center"),
            "search_query": State(ids.CITY_SEARCH_QUERY, "data")},
    prevent_initial_call=True,
)
def sync_page(values, reset, city, request, entry, zoom, center, search_query):
    if ctx.triggered_id == ids.CITY_REQUEST:
        city = request.get("id") if isinstance(request, dict) else None
    current = MapState(filters_from_values(values), urls.city_id(city), urls.view_from_map(zoom, center))
    search = entry.get("search") if isinstance(entry, dict) else None
    listed = isinstance(search_query, dict) and search_query.get("loaded") is True and search_is_local()
    return render(sync(EVENTS.get(ctx.triggered_id, "filters"), current, search if isinstance(search, str) else None),
                  listed)


@callback(Output(ids.CITY_SEARCH, "options"), Input(ids.CITY_SEARCH_QUERY, "data"), State(ids.CITY_SEARCH, "value"),
          prevent_initial_call=True)
def search_cities(query, selected):
    """Every city, when the visitor first reaches for a box that searches in the browser (up to
    ATLAS_LOCAL_SEARCH_MAX cities); else the server's matches for the typed text."""
    text = query.get("text") if isinstance(query, dict) else None
    return city_options(text if isinstance(text, str) else None, urls.city_id(selected))


# Browser-side wiring (assets/atlas_map.js): the selection's features are built from
# the point table (fetched once) and the selection's query string; a marker click or the close button
# chooses the city; the map fits the selection when it opens without a view in
# the URL, and moves to a focus (no animation for reduced motion); views the
# user chose rewrite z/lat/lon in place; the drawer opens and closes.
# a filter change: the selection's query string, the count line and every facet's options with
# the counts each value would give, computed in the browser from the point table in one pass
clientside_callback(ClientsideFunction("atlas", "filterPanel"),
                    Output(ids.MAP_SELECTION, "data"), Output(ids.SELECTION_COUNT, "children"),
                    Output(ids.TOOLBAR_COUNT, "children"), *(Output(ids.filter_id(k), "options") for k in MAP_FACETS),
                    *(Input(ids.filter_id(k), "value") for k in MAP_FACETS), prevent_initial_call=True)
clientside_callback(ClientsideFunction("atlas", "showSelection"),
                    Output(ids.CITY_LAYER, "data"), Output(ids.COUNTRY_LAYER, "data"), Output(ids.COUNTRY_LABELS, "data"),
                    Input(ids.MAP_SELECTION, "data"), State(ids.MAP_POINTS, "data"), State(ids.COUNTRY_LAYER, "data"))
clientside_callback(ClientsideFunction("atlas", "searchQuery"),
                    Output(ids.CITY_SEARCH_QUERY, "data"), Input(ids.CITY_SEARCH, "search_value"),
                    State(ids.CITY_SEARCH_QUERY, "data"), prevent_initial_call=True)
clientside_callback(ClientsideFunction("atlas", "chooseCity"),
                    Output(ids.CITY_REQUEST, "data"),
                    Input(ids.CITY_LAYER, "clickData"), Input(ids.CITY_PANEL_CLOSE, "n_clicks"),
                    prevent_initial_call=True)
clientside_callback(ClientsideFunction("atlas", "moveMap"),
                    Output(ids.MAP, "viewport"), Input(ids.MAP_FOCUS, "data"), Input(ids.MAP_FIT, "data"))
clientside_callback(ClientsideFunction("atlas", "writeView"),
                    Output(ids.VIEW_SINK, "data"), Input(ids.MAP, "zoom"), Input(ids.MAP, "center"),
                    prevent_initial_call=True)
# Leaflet has loaded: the map is drawn anew, now by Leaflet's component (it was stood in for)
clientside_callback(ClientsideFunction("atlas", "mapLive"),
                    Output(ids.MAP, "className"), Input(ids.MAP_LIVE, "data"), State(ids.MAP, "viewport"),
                    State(ids.MAP, "minZoom"), prevent_initial_call=True)
clientside_callback(ClientsideFunction("atlas", "toggleFilters"),
                    Output(ids.FILTERS, "className"), Output(ids.FILTERS_TOGGLE, "aria-expanded"),
                    Input(ids.FILTERS_TOGGLE, "n_clicks"), Input(ids.FILTERS_CLOSE, "n_clicks"),
                    State(ids.FILTERS, "className"), prevent_initial_call=True)


@callback(Output(ids.COMPARE_TRAY, "children"), Output(ids.COMPARE_TRAY, "className"), Input(ids.COMPARE_SET, "data"))
def show_compare_tray(chosen):
    """The cities chosen to compare (kept in the browser's storage), with the link to the comparison."""
    return compare_tray(chosen)
