"""The presentation (``/present``): the story of the survey, slide by slide, each slide a view of
the atlas; and a city's spotlight (``/present?city=<id>``, "Present this city").

The slides come from ``data/slides.csv`` through the store (``views.present_view``). All slides are
in the page; assets/present.js shows one at a time, keeps ``slide=`` in the address (back and
forward step through them) and answers the keyboard; a clientside callback moves the map.
"""
import dash
import dash_leaflet as dl
from dash import ClientsideFunction, Input, Output, State, clientside_callback, dcc, html
from dash_extensions.javascript import Namespace

from dashboard import config, data, ids, urls, vocabulary
from dashboard.i18n import _
from dashboard.ui.first_view import flat, page_html
from dashboard.ui.present import controls, slide_section
from dashboard.views import present_view as view
from layers.cities import cities_layer
from layers.countries import attribution, countries_layer, labels_layer, tile_layer
from layers.style import TIER_STYLE

JS = Namespace("atlas", "map")


def first_view(query) -> str:
    """The slides and their controls as HTML before any script runs (app.py ``first_paint``), in the
    boxes Dash draws them in: the slide shows at once, and the map's box waits for Leaflet."""
    return page_html(layout(**flat(query)))


dash.register_page(__name__, path=urls.PRESENT_PATH, title=lambda: _("Presentation - {atlas}",
                                                                     atlas=vocabulary.page_title("map")),
                   name="Present", libraries=["dash_leaflet"], first_view=first_view)


def highlight_features(slide: view.Slide) -> dict:
    """The slide's cities as GeoJSON (names as data: the browser writes them as text). Each feature's id
    is the slide's own, so the layer draws a city again (named or not) when the slide changes."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f"{slide.number}/{p['id']}", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
         "properties": {"id": p["id"], "name": p["name"], "named": p["named"]}} for p in slide.highlight]}


def layout(**query):
    params = urls.parameters(query)
    spotlight = view.city_spotlight(params["city"]) if params.get("city") else None
    slides = [spotlight] if spotlight else view.slides()
    if not slides:  # data/slides.csv has no rows
        return html.Div([html.H1(_("Presentation")), html.P(_("There are no slides."))], className="prose")
    current = urls.slide_number(params.get("slide"), len(slides))
    shown = slides[current - 1]
    return html.Div([
        html.H1(_("Presentation") + " — " + (spotlight.title if spotlight else vocabulary.page_title("map")),
                className="visually-hidden"),
        dcc.Store(id=ids.PRESENT_STEP, data=current),
        dcc.Store(id=ids.PRESENT_SLIDES, data=[{"view": s.view, "highlight": highlight_features(s)} for s in slides]),
        dcc.Store(id=ids.PRESENT_SELECTION, data=""),
        dcc.Store(id=ids.PRESENT_POINTS, data={"url": urls.points_url(data.version()),
                                               "countries": urls.countries_url(data.borders_version()),
                                               "labels": vocabulary.map_labels(), "style": TIER_STYLE}),
        html.Div([
            html.Div([slide_section(s, len(slides), s.number == current) for s in slides], className="slides"),
            html.Div(dl.Map([
                *([tile_layer(tiles)] if (tiles := config.load().tile_url) else []),
                countries_layer(ids.PRESENT_COUNTRIES),
                labels_layer(ids.PRESENT_LABELS),
                cities_layer(ids.PRESENT_CITIES),
                dl.GeoJSON(id=ids.PRESENT_HIGHLIGHT, data=highlight_features(shown), pointToLayer=JS("highlightToLayer"),
                           interactive=False),
                attribution(vocabulary.map_attribution()),
            ], id=ids.PRESENT_MAP, center=shown.view.get("center", view.WORLD["center"]),
                zoom=shown.view.get("zoom", view.WORLD["zoom"]), minZoom=urls.MIN_ZOOM, zoomSnap=0.25,
                worldCopyJump=True, zoomControl=False,
                style={"height": "100%", "width": "100%"}, attributionControl=False),
                className="present-map", **{"aria-label": _("Map of the slide's cities")}),
        ], className="present-stage"),
        controls(current, len(slides), shown.explore),
    ], id=ids.PRESENT, className="present bare" + (" spotlight" if spotlight else ""),
        **{"data-count": str(len(slides))})


clientside_callback(ClientsideFunction("atlas", "showSelection"),
                    Output(ids.PRESENT_CITIES, "data"), Output(ids.PRESENT_COUNTRIES, "data"),
                    Output(ids.PRESENT_LABELS, "data"),
                    Input(ids.PRESENT_SELECTION, "data"), State(ids.PRESENT_POINTS, "data"),
                    State(ids.PRESENT_COUNTRIES, "data"))
clientside_callback(ClientsideFunction("atlas", "showSlide"),
                    Output(ids.PRESENT_MAP, "viewport"), Output(ids.PRESENT_HIGHLIGHT, "data"),
                    Input(ids.PRESENT_STEP, "data"), State(ids.PRESENT_SLIDES, "data"))
