"""The presentation (``/present``): the story of the survey, slide by slide, each slide a view of
the atlas; and a city's spotlight (``/present?city=<id>``, "Present this city").

The slides come from ``data/slides.csv`` through the store (``views.present_view``). All slides are
in the page; assets/present.js shows one at a time, keeps ``slide=`` in the address (back and
forward step through them) and answers the keyboard; a clientside callback moves the map.

The page's first HTML draws the map of the slide it opens on (``first_view``, dashboard/ui/first_map.py);
Leaflet loads when the presenter first uses the page (points at it, moves the focus into it, or steps to
another slide: assets/present.js) and then takes the map over.
"""
import dash
import dash_leaflet as dl
from dash import ClientsideFunction, Input, Output, State, clientside_callback, dcc, html

from dashboard import config, data, ids, urls, vocabulary
from dashboard.i18n import _
from dashboard.ui.first_map import drawing
from dashboard.ui.first_view import flat, page_html
from dashboard.ui.present import controls, slide_section
from dashboard.ui.static_html import Html
from dashboard.views import present_view as view
from layers import LIBRARY, ON_USE
from layers.cities import cities_layer, highlight_features, highlight_layer
from layers.countries import attribution, countries_layer, labels_layer, tile_layer
from layers.style import TIER_STYLE

MAP_BOX = "present-map"  # the map's box (class): where the first view's drawing goes


def first_view(query) -> str:
    """The slides and their controls as HTML before any script runs (app.py ``first_paint``), in the
    boxes Dash draws them in: the slide shows at once, and in the map's box the slide's map is drawn
    (``view.first_map``) until Leaflet's markers appear."""
    return page_html(layout(first=True, **flat(query)))


def client_data() -> dict:
    """The room the map leaves free when it fits a slide (assets/present.js showSlide)."""
    return {"padding": view.FIT_PADDING}


# The room the map leaves free when it fits a slide, for a map box ``w`` pixels wide, from the rule
# ``p`` (present_view.FIT_PADDING): Leaflet's paddingTopLeft and paddingBottomRight. The rule's one owner in
# the browser, written into every page's head (app.py ``head_script``) before the first view's drawing uses
# it; assets/present.js ``showSlide`` fits the map with it.
FIT_PADDING_SCRIPT = "window.atlasFitPadding=function(p,w){return[p[0],[Math.min(p[1][0],w*p[2]),p[1][1]]]};"

# Leaflet (dash-leaflet) loads on use: a presenter's first step, pointer or focus; its script is fetched at
# idle priority meanwhile, so that use waits only for its start-up (the home page's rule, pages/home.py)
dash.register_page(__name__, path=urls.PRESENT_PATH, title=lambda: _("Presentation - {atlas}",
                                                                     atlas=vocabulary.page_title("map")),
                   name="Present", on_use=ON_USE, prefetch_on_use=True, first_view=first_view, client=client_data,
                   head_script=FIT_PADDING_SCRIPT)


def layout(first: bool = False, **query):
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
        dcc.Store(id=ids.PRESENT_SLIDES, data=[{"view": s.view, "highlight": highlight_features(s.number, s.highlight)}
                                               for s in slides]),
        dcc.Store(id=ids.PRESENT_LIVE),
        dcc.Store(id=ids.PRESENT_SELECTION, data=""),
        dcc.Store(id=ids.PRESENT_POINTS, data={"url": urls.points_url(data.version()),
                                               "countries": urls.countries_url(data.borders_version()),
                                               "labels": vocabulary.map_labels(), "style": TIER_STYLE}),
        html.Div([
            html.Div([slide_section(s, len(slides), s.number == current) for s in slides], className="slides"),
            the_map(shown, first),
        ], className="present-stage"),
        controls(current, len(slides), shown.explore),
        # the first view's drawing of the map, after the controls (which place the map's box when they come)
        *([Html("div", {}, drawing(view.first_map(shown), ids.PRESENT_MAP, "." + MAP_BOX, "present-first",
                                   vocabulary.map_attribution()))] if first else []),
    ], id=ids.PRESENT, className="present bare" + (" spotlight" if spotlight else ""),
        **{"data-count": str(len(slides)), "data-on-use": LIBRARY, "data-on-use-store": ids.PRESENT_LIVE,
           "data-on-use-busy": ids.PRESENT_MAP, "data-on-use-drawing": ".first-map"})


def the_map(shown: view.Slide, first: bool = False):
    """The map's box: Leaflet's map at the slide's view, with every city and the slide's cities ringed;
    in the first view (``first``) empty, the drawing of that map above it (Dash's page has Leaflet's)."""
    label = {"aria-label": _("Map of the slide's cities")}
    if first:
        return html.Div(className=MAP_BOX, **label)
    return html.Div(dl.Map([
        *([tile_layer(tiles)] if (tiles := config.load().tile_url) else []),
        countries_layer(ids.PRESENT_COUNTRIES),
        labels_layer(ids.PRESENT_LABELS),
        cities_layer(ids.PRESENT_CITIES),
        highlight_layer(ids.PRESENT_HIGHLIGHT, highlight_features(shown.number, shown.highlight)),
        attribution(vocabulary.map_attribution()),
    ], id=ids.PRESENT_MAP, center=shown.view.get("center", view.WORLD["center"]),
        zoom=shown.view.get("zoom", view.WORLD["zoom"]), minZoom=urls.MIN_ZOOM, zoomSnap=view.ZOOM_SNAP,
        worldCopyJump=True, zoomControl=False,
        style={"height": "100%", "width": "100%"}, attributionControl=False), className=MAP_BOX, **label)


clientside_callback(ClientsideFunction("atlas", "showSelection"),
                    Output(ids.PRESENT_CITIES, "data"), Output(ids.PRESENT_COUNTRIES, "data"),
                    Output(ids.PRESENT_LABELS, "data"),
                    Input(ids.PRESENT_SELECTION, "data"), State(ids.PRESENT_POINTS, "data"),
                    State(ids.PRESENT_COUNTRIES, "data"))
# Leaflet has loaded: the map is drawn anew, now by Leaflet's component (it was stood in for), at the
# slide's view
clientside_callback(ClientsideFunction("atlas", "presentLive"),
                    Output(ids.PRESENT_MAP, "className"), Input(ids.PRESENT_LIVE, "data"),
                    State(ids.PRESENT_MAP, "viewport"), State(ids.PRESENT_MAP, "minZoom"),
                    State(ids.PRESENT_MAP, "zoomSnap"), prevent_initial_call=True)
clientside_callback(ClientsideFunction("atlas", "showSlide"),
                    Output(ids.PRESENT_MAP, "viewport"), Output(ids.PRESENT_HIGHLIGHT, "data"),
                    Input(ids.PRESENT_STEP, "data"), State(ids.PRESENT_SLIDES, "data"))
