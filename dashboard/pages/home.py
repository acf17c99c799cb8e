"""The map page (``/``): filters, the clustered city map, the selection summary,
city search and the city panel. Its whole state lives in the URL."""
import dash
import dash_leaflet as dl
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from dashboard import config, data, ids
from dashboard.facets import Filters, query_string
from dashboard.i18n import _
from dashboard.ui.city_panel import panel_body
from dashboard.views.map_view import (MAP_FACETS, UrlState, facet_title, initial_view, map_state,
                                      city_options, search_is_local, sync, url_state,
                                      view_from_map)
from dashboard.ui.summary import selection_summary
from layers.cities import POINTS_URL, cities_layer, layer_labels, selected_layer, selected_marker
from layers.countries import COUNTRIES_URL, attribution, countries_layer, tile_layer
from layers.style import TIER_STYLE

# code-split chunks the map needs as soon as it mounts (dash-leaflet's GeoJSON layer, the dropdowns)
CHUNKS = ("/_dash-component-suites/dash_leaflet/async-GeoJSON.js", "/_dash-component-suites/dash/dcc/async-dropdown.js")


def points_url() -> str:
    """The point table's URL for the served data (a new version, a new URL: cached for long)."""
    return f"{POINTS_URL}?v={data.version()[:16]}"


def preloads() -> list[tuple[str, str]]:
    """What the browser may fetch while Dash's bundles start (app.py writes preload links): the
    point table and the chunks, otherwise asked for one after another once the page has mounted."""
    return [(points_url(), "fetch"), *((chunk, "script") for chunk in CHUNKS)]


dash.register_page(__name__, path="/", title="City Innovation Atlas", name="Map", preload=preloads)


def legend() -> html.Div:
    entries = [("high", _("High innovation capacity (6-10)")), ("low", _("Low innovation capacity (below 6)")),
               ("unknown", _("Score not published"))]
    return html.Div([
        html.H2(_("Legend"), className="legend-title"),
        html.Ul([html.Li([html.Span(className=f"swatch swatch-{k}", style={
            "backgroundColor": TIER_STYLE[k]["color"], "borderColor": TIER_STYLE[k]["stroke"]}), label])
            for k, label in entries]),
        html.P(_("Scores are the atlas's estimates from published answers unless marked official. "
                 "Circle size shows population."), className="legend-note"),
    ], id=ids.LEGEND, className="legend")


def facet_control(key: str, options: list[dict], value: tuple[str, ...]):
    if key == "country":
        return html.Div([
            html.Label(facet_title(key), htmlFor=ids.filter_id(key), className="facet-title"),
            dcc.Dropdown(id=ids.filter_id(key), options=options, value=list(value), multi=True,
                         placeholder=_("All countries"), className="facet-dropdown"),
        ], className="facet-block")
    return html.Fieldset([
        html.Legend(facet_title(key)),
        dcc.Checklist(id=ids.filter_id(key), options=options, value=list(value),
                      className="facet", inputClassName="facet-input", labelClassName="facet-label"),
    ])


def data_links(filters: Filters) -> list:
    """Links to the selection's data: the API's CSV and JSON, and the table page."""
    qs = query_string(filters)
    return [_("This selection:"), " ", html.A(_("CSV"), href="/api/cities.csv" + qs, download=""), " · ",
            html.A(_("JSON"), href="/api/cities.json" + qs), " · ", html.A(_("Table"), href="/table" + qs)]


def city_panel(city_id: str | None, filters: Filters) -> html.Aside:
    return html.Aside([
        html.Button("×", id=ids.CITY_PANEL_CLOSE, className="panel-close", title=_("Close (Esc)"),
                    **{"aria-label": _("Close the city panel")}),
        html.Div(panel_content(city_id, filters), id=ids.CITY_PANEL_BODY),
    ], id=ids.CITY_PANEL, className=panel_class(city_id), **{"aria-labelledby": "city-panel-title"})


def panel_class(city_id: str | None) -> str:
    return "city-panel open" if city_id else "city-panel"


def panel_content(city_id: str | None, filters: Filters) -> list:
    if not city_id:
        return []
    city = data.city(city_id)
    return panel_body(city, bool(city) and data.in_selection(city_id, filters))


def layout(**query):
    state = url_state(query)
    filters = state.filters
    shown = map_state(filters)
    city = data.city(state.city) if state.city else None
    center, zoom, fit = initial_view(state)
    return html.Div([
        # only written by the callback (an Input, it would fire as it mounts and hold up the map)
        dcc.Location(id=ids.MAP_URL, refresh=False),
        dcc.Store(id=ids.MAP_HISTORY),
        dcc.Store(id=ids.MAP_SELECTION, data=shown["selection"]),
        dcc.Store(id=ids.MAP_POINTS, data={"url": points_url(), "labels": layer_labels()}),
        dcc.Store(id=ids.MAP_FOCUS),
        dcc.Store(id=ids.CITY_REQUEST),
        dcc.Store(id=ids.MAP_FIT, data=fit),
        dcc.Store(id=ids.VIEW_SINK),
        html.Aside([
            html.Div([
                html.H1(_("Explore cities"), className="panel-title"),
                html.Button("×", id=ids.FILTERS_CLOSE, className="drawer-close",
                            **{"aria-label": _("Close the filters")}),
            ], className="filters-head"),
            html.P([html.Span(str(shown["count"]), id=ids.SELECTION_COUNT), " ", _("cities shown")],
                   className="selection-line", **{"aria-live": "polite"}),
            html.P(data_links(filters), id=ids.MAP_DATA_LINKS, className="data-links"),
            html.Details([
                html.Summary(_("The selection compared with all cities"), className="summary-title"),
                html.Div(selection_summary(filters), id=ids.SELECTION_SUMMARY),
            ], open=True, className="summary"),
            html.Button(_("Reset all filters"), id=ids.RESET, className="reset-button"),
            *[facet_control(k, shown["options"][k], getattr(filters, k)) for k in MAP_FACETS],
        ], id=ids.FILTERS, className="filters", **{"aria-label": _("Filters")}),
        html.Div([
            html.Div([
                html.Button(_("Filters"), id=ids.FILTERS_TOGGLE, className="filters-toggle",
                            **{"aria-controls": ids.FILTERS, "aria-expanded": "false"}),
                html.Label(_("Find a city"), htmlFor=ids.CITY_SEARCH, className="search-label"),
                dcc.Store(id=ids.CITY_SEARCH_QUERY, data={"local": search_is_local()}),
                dcc.Dropdown(id=ids.CITY_SEARCH, options=city_options(None, state.city), value=state.city,
                             placeholder=_("Type a city name, e.g. Medellin"), clearable=True, searchable=True,
                             className="city-search"),
            ], className="map-toolbar"),
            html.Div([
                dl.Map([
                    *([tile_layer(tiles)] if (tiles := config.load().tile_url) else []),
                    countries_layer(ids.COUNTRY_LAYER, COUNTRIES_URL),
                    cities_layer(ids.CITY_LAYER),
                    selected_layer(ids.SELECTED_LAYER, city),
                    attribution(),
                ], id=ids.MAP, center=center, zoom=zoom, minZoom=1, worldCopyJump=True,
                    style={"height": "100%", "width": "100%"}, attributionControl=False),
                legend(),
                city_panel(state.city, filters),
            ], className="map-wrap"),
        ], className="map-main"),
    ], className="map-page")


def filters_from_values(values) -> Filters:
    filters = Filters()
    for key, value in zip(MAP_FACETS, values):
        filters = filters.replace(key, value)
    return filters


def page_outputs(changes: dict, filters: Filters) -> tuple:
    """The sync callback's outputs from ``map_view.sync``'s changes (no_update elsewhere)."""
    new_filters = changes.get("filters")
    state = changes.get("map")
    values = [list(getattr(new_filters, k)) for k in MAP_FACETS] if new_filters else [no_update] * len(MAP_FACETS)
    options = [state["options"][k] for k in MAP_FACETS] if state else [no_update] * len(MAP_FACETS)
    map_parts = ((state["selection"], str(state["count"]), selection_summary(new_filters or filters),
                  data_links(new_filters or filters)) if state else (no_update,) * 4)
    if "city" in changes:
        city_id = changes["city"]
        city = data.city(city_id) if city_id else None
        search_choices = no_update if search_is_local() else city_options(None, city_id)
        city_parts = (city_id, search_choices, panel_class(city_id),
                      panel_content(city_id, new_filters or filters), selected_marker(city))
    else:
        city_parts = (no_update,) * 5
    return (*values, *options, *map_parts, *city_parts, changes.get("focus", no_update),
            changes.get("search", no_update))


@callback(
    *[Output(ids.filter_id(k), "value") for k in MAP_FACETS],
    *[Output(ids.filter_id(k), "options") for k in MAP_FACETS],
    Output(ids.MAP_SELECTION, "data"),
    Output(ids.SELECTION_COUNT, "children"),
    Output(ids.SELECTION_SUMMARY, "children"),
    Output(ids.MAP_DATA_LINKS, "children"),
    Output(ids.CITY_SEARCH, "value"),
    Output(ids.CITY_SEARCH, "options", allow_duplicate=True),
    Output(ids.CITY_PANEL, "className"),
    Output(ids.CITY_PANEL_BODY, "children"),
    Output(ids.SELECTED_LAYER, "children"),
    Output(ids.MAP_FOCUS, "data"),
    Output(ids.MAP_URL, "search"),
    *[Input(ids.filter_id(k), "value") for k in MAP_FACETS],
    Input(ids.RESET, "n_clicks"),
    Input(ids.CITY_SEARCH, "value"),
    Input(ids.CITY_REQUEST, "data"),
    Input(ids.MAP_HISTORY, "data"),
    State(ids.MAP, "zoom"),
    State(ids.MAP, "center"),
    prevent_initial_call=True,
)
def sync_page(*args):
    n = len(MAP_FACETS)
    values, (_reset, city, request, entry, zoom, center) = args[:n], args[n:]
    if ctx.triggered_id == ids.CITY_REQUEST:
        city = (request or {}).get("id")
    current = UrlState(filters_from_values(values), city or None, view_from_map(zoom, center))
    kind = {ids.RESET: "reset", ids.CITY_SEARCH: "city", ids.CITY_REQUEST: "city",
            ids.MAP_HISTORY: "url"}.get(ctx.triggered_id, "filters")
    return page_outputs(sync(kind, current, (entry or {}).get("search")), current.filters)


@callback(Output(ids.CITY_SEARCH, "options"), Input(ids.CITY_SEARCH_QUERY, "data"), State(ids.CITY_SEARCH, "value"),
          prevent_initial_call=True)
def search_cities(query, selected):
    """The server's matches for the typed text (only used above ATLAS_LOCAL_SEARCH_MAX cities)."""
    text = query.get("text") if isinstance(query, dict) else None
    return city_options(text if isinstance(text, str) else None, selected if isinstance(selected, str) else None)


# Browser-side wiring (assets/atlas_map.js): the selection's features are built from
# the point table (fetched once) and the selection's query string; a marker click or the close button
# chooses the city; the map fits the selection when it opens without a view in
# the URL, and moves to a focus (no animation for reduced motion); views the
# user chose rewrite z/lat/lon in place; the drawer opens and closes.
clientside_callback(ClientsideFunction("atlas", "showSelection"),
                    Output(ids.CITY_LAYER, "data"), Input(ids.MAP_SELECTION, "data"), State(ids.MAP_POINTS, "data"))
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
clientside_callback(ClientsideFunction("atlas", "toggleFilters"),
                    Output(ids.FILTERS, "className"), Output(ids.FILTERS_TOGGLE, "aria-expanded"),
                    Input(ids.FILTERS_TOGGLE, "n_clicks"), Input(ids.FILTERS_CLOSE, "n_clicks"),
                    State(ids.FILTERS, "className"), prevent_initial_call=True)
