"""The map page (``/``)."""
import dash
import dash_leaflet as dl
from dash import Input, Output, callback, dcc, html

from dashboard import config, ids
from dashboard.filters import Filters, from_query
from dashboard.i18n import _
from dashboard.views.map_view import MAP_FACETS, facet_title, map_state
from layers.cities import cities_layer
from layers.countries import COUNTRIES_URL, attribution, countries_layer, tile_layer
from layers.style import TIER_STYLE

dash.register_page(__name__, path="/", title="City Innovation Atlas", name="Map")


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


def layout(**query):
    filters = from_query(query)
    state = map_state(filters)
    controls = [html.Fieldset([
        html.Legend(facet_title(k)),
        dcc.Checklist(id=ids.filter_id(k), options=state["options"][k], value=list(getattr(filters, k)),
                      className="facet", inputClassName="facet-input", labelClassName="facet-label"),
    ]) for k in MAP_FACETS]
    return html.Div([
        html.Aside([
            html.H1(_("Explore cities"), className="panel-title"),
            html.P([html.Span(str(state["count"]), id=ids.SELECTION_COUNT), " ", _("cities shown")],
                   className="selection-line"),
            *controls,
        ], className="filters"),
        html.Div([
            dl.Map([
                *([tile_layer(tiles)] if (tiles := config.load().tile_url) else []),
                countries_layer(ids.COUNTRY_LAYER, COUNTRIES_URL),
                cities_layer(ids.CITY_LAYER, state["geojson"]),
                attribution(),
            ], id=ids.MAP, center=state["center"], zoom=2, minZoom=1, worldCopyJump=True,
                style={"height": "100%", "width": "100%"}, attributionControl=False),
            legend(),
        ], className="map-wrap"),
    ], className="map-page")


@callback(
    Output(ids.CITY_LAYER, "data"),
    Output(ids.SELECTION_COUNT, "children"),
    *[Output(ids.filter_id(k), "options") for k in MAP_FACETS],
    *[Input(ids.filter_id(k), "value") for k in MAP_FACETS],
    prevent_initial_call=True,
)
def update_map(*values):
    filters = Filters()
    for key, value in zip(MAP_FACETS, values):
        filters = filters.replace(key, value)
    state = map_state(filters)
    return state["geojson"], str(state["count"]), *[state["options"][k] for k in MAP_FACETS]
