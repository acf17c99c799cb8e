"""The city layer: a clustered dash-leaflet GeoJSON built from query results.

Knows nothing about pages. Points are filtered before they get here (by the
store), because client-side filtering with clustering drops clusters.
"""
from __future__ import annotations

from html import escape

import dash_leaflet as dl
from dash_extensions.javascript import Namespace

from dashboard.i18n import _
from layers.style import TIER_STYLE, radius

JS = Namespace("atlas", "map")


def tier_label(tier: str, source: str | None) -> str:
    if tier == "unknown":
        return _("Innovation capacity: not published")
    name = _("high") if tier == "high" else _("low")
    kind = _("official") if source == "official" else _("estimate")
    return _("Innovation capacity: {tier} ({kind})", tier=name, kind=kind)


def feature(p: dict) -> dict:
    style = TIER_STYLE[p["psi_tier"]]
    lines = [f"<strong>{escape(p['name'])}</strong>", escape(p["country"]),
             escape(tier_label(p["psi_tier"], p["psi_source"]))]
    if not p["respondent"]:
        lines.append(escape(_("Survey participation not confirmed")))
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


def feature_collection(points: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": [feature(p) for p in points]}


def cities_layer(layer_id: str, data: dict | None = None) -> dl.GeoJSON:
    return dl.GeoJSON(
        id=layer_id,
        data=data,
        cluster=True,
        zoomToBoundsOnClick=True,
        superClusterOptions={"radius": 40, "maxZoom": 9},
        pointToLayer=JS("pointToLayer"),
    )


def selected_marker(point: dict | None) -> list:
    """A ring around the selected city, drawn above clusters so it shows at any zoom."""
    if not point:
        return []
    return [dl.CircleMarker(center=[point["lat"], point["lon"]], radius=15, color="#000000", weight=3, fill=False,
                            pane="tooltipPane", interactive=False, className="selected-city")]


def selected_layer(layer_id: str, point: dict | None = None) -> dl.LayerGroup:
    return dl.LayerGroup(selected_marker(point), id=layer_id)

def city_marker_layer(layer_id: str, point: dict) -> dl.GeoJSON:
    """One city as a marker (styled like the map's), without clustering."""
    return dl.GeoJSON(id=layer_id, data=feature_collection([point]), pointToLayer=JS("pointToLayer"))
