"""The base layer: Natural Earth 110m countries, loaded by URL (browser-cached)."""
import json

import dash_leaflet as dl

COUNTRY_STYLE = {"color": "#9a9a9a", "weight": 0.6, "fillColor": "#f3efe6", "fillOpacity": 1}


def served_geojson(source: bytes) -> bytes:
    """The borders as the map gets them: compact JSON with the geometry only (the layer has
    one style and no tooltips, so it reads no properties): 10% fewer bytes compressed."""
    features = [{"type": "Feature", "properties": {}, "geometry": f["geometry"]}
                for f in json.loads(source)["features"]]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def countries_layer(layer_id: str, url: str) -> dl.Pane:
    """Countries in their own pane below the city markers (they load later, by URL)."""
    return dl.Pane(dl.GeoJSON(id=layer_id, url=url, style=COUNTRY_STYLE, interactive=False),
                   name="countries", style={"zIndex": 250})


def attribution(text: str) -> dl.AttributionControl:
    """Credits shown on the map itself (the layers carry no tiles of their own); ``text`` is the
    page's words for them."""
    return dl.AttributionControl(position="bottomright", prefix=text)


def tile_layer(url: str) -> dl.TileLayer:
    """Optional third-party tiles (ATLAS_TILE_URL); off by default so nothing leaves the site."""
    return dl.TileLayer(url=url)
