"""The city layer: a clustered dash-leaflet GeoJSON built from query results.

Knows nothing about pages. Points are filtered before they are clustered,
because dash-leaflet's client-side filtering with clustering drops clusters.

The main map sends every city once, as a compact column table fetched by URL
(``point_table``, with each city's facet values as codes), and each selection
as its filters' query string; the browser picks the selection's cities from
the table and builds their features (``atlas.map.features`` in
assets/atlas_map.js, same shape as ``feature``), so what a filter change sends
does not grow with the number of cities.
"""
from __future__ import annotations

from html import escape

import dash_leaflet as dl
from dash_extensions.javascript import Namespace

from layers.style import RING_COLOR, TIER_ORDER, TIER_STYLE, radius

JS = Namespace("atlas", "map")


def feature(p: dict, labels: dict) -> dict:
    """One city as a GeoJSON point styled by its tier; ``labels`` are the tooltip's words
    (``{"tier": {"high/estimate": ...}, "unconfirmed": ...}``, given by the page)."""
    style = TIER_STYLE[p["psi_tier"]]
    lines = [f"<strong>{escape(p['name'])}</strong>", escape(p["country"]),
             escape(labels["tier"][f"{p['psi_tier']}/{p['psi_source'] or 'estimate'}"])]
    if not p["respondent"]:
        lines.append(escape(labels["unconfirmed"]))
    return {
        "type": "Feature",
        "id": p["id"],
        "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
        "properties": {
            "id": p["id"],
            "tier": p["psi_tier"],
            "color": style["color"],
            "stroke": style["stroke"],
            "fill_opacity": style["fill_opacity"],
            "dash": style["dash"],
            "radius": radius(p["population"]),
            "tooltip": "<br>".join(lines),
        },
    }


def feature_collection(points: list[dict], labels: dict) -> dict:
    return {"type": "FeatureCollection", "features": [feature(p, labels) for p in points]}


def point_table(points: list[dict], facets: dict) -> dict:
    """Every city as columns, in the order of ``points``; ``facets`` are the facet columns in the
    same order (``FacetIndex.columns``), which the browser filters by. No words, so one table
    serves every language."""
    return {
        "id": [p["id"] for p in points],
        "name": [p["name"] for p in points],
        "country": [p["country"] for p in points],
        "lat": [round(p["lat"], 5) for p in points],
        "lon": [round(p["lon"], 5) for p in points],
        "tier": [p["psi_tier"] for p in points],
        "official": [1 if p["psi_source"] == "official" else 0 for p in points],
        "confirmed": [1 if p["respondent"] else 0 for p in points],
        "radius": [radius(p["population"]) for p in points],
        "facets": facets,
    }


# Clusters: the distance (screen pixels) under which cities merge is a little more than the widest
# cluster icon (assets/atlas_map.js clusterToLayer: 30 px and 7 px more per tenfold count), so
# two icons never overlap; tile extent 256 makes the radius screen pixels at Leaflet's tile size.
CLUSTER_OPTIONS = {"radius": 46, "extent": 256, "maxZoom": 9}


def cities_layer(layer_id: str, data: dict | None = None, group_label: str = "{n}") -> dl.GeoJSON:
    """The clustered cities; each cluster is drawn as a ring of its members' tier shares around
    their count (``clusterToLayer``), in the colours and order of ``layers.style``.
    ``group_label``: a cluster's name for screen readers, ``{n}`` standing for its count."""
    return dl.GeoJSON(
        id=layer_id,
        data=data,
        cluster=True,
        zoomToBoundsOnClick=True,
        superClusterOptions=CLUSTER_OPTIONS,
        pointToLayer=JS("pointToLayer"),
        clusterToLayer=JS("clusterToLayer"),
        hideout={"ring": RING_COLOR, "order": list(TIER_ORDER), "groupLabel": group_label},
    )


# the selected city's ring, and its name as a permanent tooltip right of it (the map's first view draws both:
# it reads the offset and draws the name as Leaflet places a tooltip on the right, .first-name in assets/atlas.css)
SELECTED_RING = {"radius": 15, "color": "#000000", "weight": 3}
SELECTED_NAME = {"direction": "right", "offset": [14, 0], "className": "selected-name"}


def selected_marker(point: dict | None) -> list:
    """A ring around the selected city with its name beside it, drawn above clusters so it shows
    at any zoom (the name is text, never HTML)."""
    if not point:
        return []
    return [dl.CircleMarker(dl.Tooltip(point["name"], permanent=True, **SELECTED_NAME),
                            center=[point["lat"], point["lon"]], radius=SELECTED_RING["radius"],
                            color=SELECTED_RING["color"], weight=SELECTED_RING["weight"], fill=False,
                            pane="tooltipPane", interactive=False, className="selected-city")]


def selected_layer(layer_id: str, point: dict | None = None) -> dl.LayerGroup:
    return dl.LayerGroup(selected_marker(point), id=layer_id)


# cities ringed on the presentation's map (assets/atlas_map.js highlightToLayer, and the first view's drawing):
# a named city's ring with its name as a permanent tooltip right of it, the others a small dot; above the
# clusters, below the names
HIGHLIGHT_RING = {"named": {"radius": 13, "color": "#000000", "weight": 4, "fillColor": "#111418", "fillOpacity": 0.25},
                  "other": {"radius": 6, "color": "#ffffff", "weight": 2, "fillColor": "#111418", "fillOpacity": 1}}
HIGHLIGHT_NAME = {"direction": "right", "offset": [14, 0], "className": "highlight-name"}


def highlight_features(key: str | int, points) -> dict:
    """Cities to ring (``{"id", "name", "lat", "lon", "named"}``) as GeoJSON, each with its ring's style and
    whether it is named (names as data: the browser writes them as text). Each feature's id starts with
    ``key`` (a slide's number), so the layer draws a city again (named or not) when the key changes."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f"{key}/{p['id']}", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
         "properties": {"id": p["id"], "name": p["name"], "named": p["named"],
                        "ring": HIGHLIGHT_RING["named" if p["named"] else "other"],
                        **({"label": HIGHLIGHT_NAME} if p["named"] else {})}} for p in points]}


def highlight_layer(layer_id: str, features: dict) -> dl.GeoJSON:
    return dl.GeoJSON(id=layer_id, data=features, pointToLayer=JS("highlightToLayer"), interactive=False)


def city_marker_layer(layer_id: str, point: dict, labels: dict) -> dl.GeoJSON:
    """One city as a marker (styled like the map's), without clustering."""
    return dl.GeoJSON(id=layer_id, data=feature_collection([point], labels), pointToLayer=JS("pointToLayer"))
